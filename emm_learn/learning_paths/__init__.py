"""Learning paths: a trainer's ordered selection of chapters, sections and exercises for one
audience, followed by learners with their progress, ready-made paths shipped as content files,
and a path as a workshop's pre-reading.

(The package is not called ``paths`` because ``emm_learn/paths.py`` already names where the
content folder is; a package of the same name would shadow that module.)"""
