"""Translations of the curriculum: where they live and whether they match their English original.

A translation is a chapter file under content/<language>/volumeN/ with the same file name as the
English one. Its structural headings (the seven parts, the four facilitator-note headings, the
exercise `Key: value` lines and the plan's Block column) stay in English, as markup; everything a
reader sees is translated. Its metadata names the English text it was made from:

    translated_from: <first 12 hex digits of the English file's SHA-256>

so that a later change to the English marks the translation out of date. A volume's description
(content/<language>/volumeN/volume.md) carries the same line.

Loading (load_edition) keeps, per language, only the translations a reader may be shown: parsed
without problems, with the English structure and made from the English as it is now. The others
are reported (check-content) and the reader gets the English with a notice.
"""
from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from .model import Chapter, GlossaryTerm, Problem, Volume
from .parser import ChapterParser, parse_chapter
from .rendering import link_chapter_references, reference_pattern, render_markdown

TRANSLATED_LANGUAGES = ("es", "fr")
HASH_LENGTH = 12
TRANSLATED, OUTDATED, MISSING, ORIGINAL = "translated", "outdated", "missing", "original"
# docs/translation/chapter-titles.md: the agreed titles, used for references to chapters whose
# translation is not written yet ("véase 3.5 Protection des réfugiés").
TITLES_TABLE = Path("docs") / "translation" / "chapter-titles.md"
TITLE_COLUMNS = {"es": 3, "fr": 4}


def original_path(translation_path: Path, content_dir: Path) -> Path:
    """content/es/volume2/x.md -> content/volume2/x.md"""
    relative = translation_path.resolve().relative_to(content_dir.resolve())
    return content_dir.joinpath(*relative.parts[1:])


def translation_path(english_path: Path, content_dir: Path, language: str) -> Path:
    """content/volume2/x.md -> content/<language>/volume2/x.md"""
    relative = english_path.resolve().relative_to(content_dir.resolve())
    return content_dir / language / relative


def short_hash(chapter: Chapter) -> str:
    return chapter.source_hash[:HASH_LENGTH]


def file_hash(path: Path) -> str:
    """What `sha256sum <file> | cut -c1-12` prints: the translators' way to record the original."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def _compared_parts(original: Chapter, translation: Chapter):
    """(part, what, English value, translated value) for everything that must be the same."""
    yield from (("meta", key, getattr(original, key), getattr(translation, key))
                for key in ("number", "study_minutes", "related"))
    yield ("guiding-questions", "guiding questions", len(original.guiding_questions),
           len(translation.guiding_questions))
    yield ("learning-objectives", "learning objectives", len(original.objectives),
           len(translation.objectives))
    yield ("narrative", "section ids", [s.anchor for s in original.sections],
           [s.anchor for s in translation.sections])
    yield ("key-messages", "key messages", len(original.key_messages),
           len(translation.key_messages))
    yield ("exercises", "exercise ids", [e.anchor for e in original.exercises],
           [e.anchor for e in translation.exercises])
    for english, translated in zip(original.exercises, translation.exercises):
        yield ("exercises", f"prompts of exercise {english.anchor}", len(english.prompts),
               len(translated.prompts))
        yield ("exercises", f"format of exercise {english.anchor}",
               (english.mode, english.minutes, english.group_size, english.is_own_country),
               (translated.mode, translated.minutes, translated.group_size,
                translated.is_own_country))
    english_plan = original.facilitator_notes.plan if original.facilitator_notes else ()
    translated_plan = translation.facilitator_notes.plan if translation.facilitator_notes else ()
    yield ("facilitator-notes", "plan blocks", [(b.minutes, b.kind) for b in english_plan],
           [(b.minutes, b.kind) for b in translated_plan])
    yield ("further-reading", "further reading", len(original.further_reading),
           len(translation.further_reading))


def structure_differences(original: Chapter, translation: Chapter) -> list[str]:
    """What a reader would find missing or extra in the translation, one message each."""
    return [f"{what}: the English has {english}, the translation {translated}"
            for _, what, english, translated in _compared_parts(original, translation)
            if english != translated]


def structure_problems(original: Chapter, translation: Chapter) -> list[Problem]:
    """The structure differences, each at the line of the translation's part it concerns."""
    part_lines = translation.extra.get("part_lines", {})
    meta_lines = translation.extra.get("meta_lines", {})
    problems = []
    for part, what, english, translated in _compared_parts(original, translation):
        if english != translated:
            line = meta_lines.get(what, 1) if part == "meta" else part_lines.get(part, 1)
            problems.append(Problem(translation.path, line, f"{what}: the English has {english}, "
                                                            f"the translation {translated}"))
    if not translation.title.strip():
        problems.append(Problem(translation.path, meta_lines.get("title", 1), "title is empty"))
    return problems


def recorded_hash(chapter_or_meta) -> str | None:
    meta = chapter_or_meta.extra.get("meta") if isinstance(chapter_or_meta, Chapter) \
        else chapter_or_meta
    return (meta or {}).get("translated_from") or None


def check_file(translation_path: Path, content_dir: Path) -> list[str]:
    """Every problem of one translation file, as 'path:line: message' lines."""
    if translation_path.name == "volume.md":
        return check_volume_file(translation_path, content_dir)
    translation, problems = parse_chapter(translation_path)
    messages = [f"{p.path}:{p.line}: {p.message}" for p in problems]
    source = original_path(translation_path, content_dir)
    if not source.exists():
        return messages + [f"{translation_path}:1: no English original at {source}"]
    original, _ = parse_chapter(source)
    if translation is None or original is None:
        return messages
    messages += [str(p) for p in structure_problems(original, translation)]
    recorded = recorded_hash(translation)
    if recorded != file_hash(source):
        messages.append(f"{translation_path}:{translation.extra['meta_lines'].get('translated_from', 1)}: "
                        f"translated_from is {recorded!r}; the English original is now "
                        f"{file_hash(source)!r} (out of date or not recorded)")
    return messages


def check_volume_file(translation_path: Path, content_dir: Path) -> list[str]:
    """A volume introduction's translation: a title, and made from the English as it is now."""
    number = int(translation_path.parent.name.removeprefix("volume") or 0)
    english = Volume(number, "", "", ())
    report = TranslationReport()
    _load_volumes(translation_path.parts[-3], content_dir, (english,), report)
    return [str(p) for p in report.problems + report.outdated]


# -- loading, once, with the curriculum ---------------------------------------------------------
@dataclass(frozen=True)
class Edition:
    """One language's translations that a reader may be shown, and where the others stand."""
    language: str
    chapters: dict[str, Chapter]  # up to date and well formed, with links in this language
    status: dict[str, str]  # number -> translated | outdated (a number absent here is missing)
    volumes: dict[int, Volume]
    volume_status: dict[int, str]
    glossary: tuple[GlossaryTerm, ...]
    titles: dict[str, str]  # every chapter's title in this language (English when unknown)

    def chapter_status(self, number: str) -> str:
        return self.status.get(number, MISSING)

    @property
    def translated_count(self) -> int:
        return sum(state == TRANSLATED for state in self.status.values())

    @property
    def outdated_count(self) -> int:
        return sum(state == OUTDATED for state in self.status.values())


@dataclass
class TranslationReport:
    """What check-content prints: problems (they fail the check) and out-of-date notes."""
    problems: list[Problem] = field(default_factory=list)
    outdated: list[Problem] = field(default_factory=list)


def agreed_titles(content_dir: Path, language: str) -> dict[str, str]:
    """Chapter titles of docs/translation/chapter-titles.md beside the content folder, if any."""
    table = content_dir.parent / TITLES_TABLE
    if language not in TITLE_COLUMNS or not table.exists():
        return {}
    titles = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > TITLE_COLUMNS[language] and re.fullmatch(r"\d+\.\d+", cells[0]):
            titles[cells[0]] = cells[TITLE_COLUMNS[language] - 1]
    return titles


def load_edition(language: str, content_dir: Path, english: dict[str, Chapter],
                 volumes: tuple[Volume, ...], glossary: tuple[GlossaryTerm, ...],
                 report: TranslationReport) -> Edition:
    """Every translation into one language, checked against the English chapters given."""
    from .glossary_links import TermLinker, link_glossary_terms
    parsed = _parse_translations(language, content_dir, english, report)
    status, shown = {}, {}
    for number, (translation, state) in parsed.items():
        status[number] = state
        if state == TRANSLATED:
            shown[number] = translation
    titles = {number: chapter.title for number, chapter in english.items()}
    titles.update(agreed_titles(content_dir, language))
    titles.update({number: t.title for number, (t, _) in parsed.items() if t.title})
    linker = TermLinker(glossary, glossary_url=f"/glossary?lang={language}#{{anchor}}")
    pattern = reference_pattern(titles)
    linked = {number: link_glossary_terms(link_references(chapter, titles, pattern, language),
                                          linker)
              for number, chapter in shown.items()}
    volume_versions, volume_status = _load_volumes(language, content_dir, volumes, report)
    volume_versions = {number: replace(volume, description_html=link_chapter_references(
        volume.description_html, titles, pattern, f"?lang={language}"))
        for number, volume in volume_versions.items()}
    return Edition(language, linked, status, volume_versions, volume_status, glossary, titles)


def _parse_translations(language: str, content_dir: Path, english: dict[str, Chapter],
                        report: TranslationReport) -> dict[str, tuple[Chapter, str]]:
    by_path = {chapter.path.resolve(): chapter for chapter in english.values()}
    found: dict[str, tuple[Chapter, str]] = {}
    for path in sorted((content_dir / language).glob("volume*/*.md")):
        if path.name in ("volume.md", "README.md"):
            continue
        original = by_path.get(original_path(path, content_dir).resolve())
        if original is None:
            report.problems.append(Problem(path, 1, "no English chapter with this file name in "
                                                    f"{original_path(path, content_dir).parent}"))
            continue
        checked = check_translation(path, language, original, report)
        if checked is not None:
            found[original.number] = checked
    return found


def check_translation(path: Path, language: str, original: Chapter, report: TranslationReport
                      ) -> tuple[Chapter, str] | None:
    """The translation and its state, or None when it cannot be shown at all."""
    translation, problems = parse_chapter(path)
    report.problems.extend(problems)
    if translation is None:
        return None
    translation = replace(translation, language=language)
    recorded = recorded_hash(translation)
    line = translation.extra.get("meta_lines", {}).get("translated_from", 1)
    current = file_hash(original.path)
    if recorded is None:
        report.problems.append(Problem(path, 1, "metadata is missing 'translated_from:' (the "
                                                f"English original is now {current})"))
        return None
    if recorded != current:
        report.outdated.append(Problem(path, line, f"out of date: translated from {recorded}, "
                                                   f"the English original is now {current}"))
        return translation, OUTDATED
    if problems:  # a file that does not parse well differs everywhere: say it once
        return None
    differences = structure_problems(original, translation)
    report.problems.extend(differences)
    if differences:
        return None
    return translation, TRANSLATED


def link_references(chapter: Chapter, titles: dict[str, str], pattern, language: str) -> Chapter:
    """Every 'number title' in the translation's text, in its language, becomes a link."""
    def link(fragment: str) -> str:
        return link_chapter_references(fragment, titles, pattern, f"?lang={language}")

    def items(values):
        return tuple(replace(item, html=link(item.html)) for item in values)
    exercises = tuple(replace(e, scenario_html=link(e.scenario_html), prompts=items(e.prompts))
                      for e in chapter.exercises)
    notes = chapter.facilitator_notes
    if notes is not None:
        notes = replace(notes, plan=tuple(replace(b, activity_html=link(b.activity_html))
                                          for b in notes.plan),
                        discussion_html=link(notes.discussion_html),
                        report_back_html=link(notes.report_back_html),
                        multilingual_html=link(notes.multilingual_html))
    return replace(chapter, guiding_questions=items(chapter.guiding_questions),
                   objectives=items(chapter.objectives), sections=items(chapter.sections),
                   key_messages=items(chapter.key_messages), exercises=exercises,
                   facilitator_notes=notes, further_reading=items(chapter.further_reading))


def _load_volumes(language: str, content_dir: Path, volumes: tuple[Volume, ...],
                  report: TranslationReport) -> tuple[dict[int, Volume], dict[int, str]]:
    shown, status = {}, {}
    for volume in volumes:
        path = content_dir / language / f"volume{volume.number}" / "volume.md"
        english_path = content_dir / f"volume{volume.number}" / "volume.md"
        if not path.exists() or not english_path.exists():
            continue
        parser = ChapterParser(path, path.read_text(encoding="utf-8"))
        lines = parser.source.splitlines()
        meta, body_start = parser.parse_front_matter_loose(lines)
        report.problems.extend(parser.problems)
        if meta is None:
            continue
        current, recorded = file_hash(english_path), meta.get("translated_from") or None
        if not meta.get("title"):
            report.problems.append(Problem(path, 1, "metadata is missing 'title:'"))
        elif meta.get("number") and meta.get("number") != str(volume.number):
            report.problems.append(Problem(path, meta.line_of("number"),
                                           f"number must be {volume.number}"))
        elif recorded is None:
            report.problems.append(Problem(path, 1, "metadata is missing 'translated_from:' (the "
                                                    f"English original is now {current})"))
        elif recorded != current:
            report.outdated.append(Problem(path, meta.line_of("translated_from"),
                                           f"out of date: translated from {recorded}, the English "
                                           f"original is now {current}"))
            status[volume.number] = OUTDATED
        else:
            status[volume.number] = TRANSLATED
            shown[volume.number] = replace(
                volume, title=meta.get("title"), language=language,
                description_html=render_markdown("\n".join(lines[body_start - 1:])))
    return shown, status


if __name__ == "__main__":  # python -m emm_learn.curriculum.translations content/es/volume2/*.md
    root = Path(__file__).resolve().parents[2] / "content"
    found = [m for arg in sys.argv[1:] for m in check_file(Path(arg), root)]
    print("\n".join(found) or "no problems")
    sys.exit(1 if found else 0)
