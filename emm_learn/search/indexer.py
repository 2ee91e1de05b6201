"""What gets indexed: the curriculum, cut into entries that each link to one place on a page.

Each language has its own entries: the text a reader in that language is shown. A chapter
without an up-to-date translation is shown in English, so its entries in that language hold the
English text (a result never points at a page that does not hold the words found). Per chapter: the chapter itself (title and summary), its guiding questions with the learning
objectives, each narrative section, its key messages and each exercise (scenario and prompts).
Then every glossary term. Facilitator notes are left out: they are for trainers only, and search
is open to everyone.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass

from ..curriculum.library import Curriculum
from ..curriculum.model import Chapter

# Bumped whenever the shape or choice of entries, or the way a database indexes them, changes, so
# that indexes built by an older version are rebuilt even though the content did not change.
# 2: Spanish and French; PostgreSQL's own text search configurations, accents removed.
INDEX_FORMAT = 2

# Highlight markers the databases put around matches. They are private-use characters, removed
# from everything indexed, so a marker in a result can only come from the database's highlighter.
MARK_START, MARK_STOP = "\ue000", "\ue001"

CHAPTER, GUIDING, SECTION, KEY_MESSAGES, EXERCISE, GLOSSARY = (
    "chapter", "guiding-questions", "section", "key-messages", "exercise", "glossary")


@dataclass(frozen=True)
class Entry:
    """One indexed place: a chapter part or a glossary term."""
    language: str
    kind: str
    chapter_number: str | None
    anchor: str  # the id on the page; "" for the top of a chapter
    position: int  # reading order across the whole curriculum, for ties
    title: str
    chapter_title: str
    body: str


def clean(text: str) -> str:
    # str.replace, not str.translate: translate is slow on text beyond ASCII (Spanish, French).
    return " ".join(text.replace(MARK_START, "").replace(MARK_STOP, "").split())


def curriculum_entries(curriculum: Curriculum, language: str = "en") -> list[Entry]:
    """Every entry of the curriculum as shown to a reader of that language, in reading order."""
    parts: list[tuple] = []
    for number in curriculum.chapters:
        # The same call the chapter page makes: the translation, or the English when it has none.
        parts.extend(chapter_parts(curriculum.chapter(number, language)))
    for term in curriculum.glossary_in(language):
        parts.append((GLOSSARY, None, term.anchor, term.term, "",
                      " ".join(filter(None, (term.definition, term.source)))))
    return [Entry(language, kind, number, anchor, position, clean(title), clean(chapter_title),
                  clean(body))
            for position, (kind, number, anchor, title, chapter_title, body) in enumerate(parts)]


def chapter_parts(chapter: Chapter) -> list[tuple]:
    number, title = chapter.number, chapter.title
    parts = [(CHAPTER, number, "", title, title, chapter.summary),
             (GUIDING, number, "guiding-questions", "", title,
              " ".join(item.text for item in chapter.guiding_questions + chapter.objectives))]
    parts += [(SECTION, number, section.anchor, section.title, title, section.text)
              for section in chapter.sections]
    parts.append((KEY_MESSAGES, number, "key-messages", "", title,
                  " ".join(item.text for item in chapter.key_messages)))
    parts += [(EXERCISE, number, exercise.anchor, exercise.title, title,
               " ".join([exercise.scenario_text] + [prompt.text for prompt in exercise.prompts]))
              for exercise in chapter.exercises]
    return parts


def entries_digest(entries: list[Entry]) -> str:
    """Changes whenever anything that would be indexed changes."""
    digest = hashlib.sha256(f"format {INDEX_FORMAT}\n".encode())
    for entry in entries:
        digest.update(json.dumps(astuple(entry), ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()
