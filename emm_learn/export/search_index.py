"""The offline edition's search index: a small script the search page loads with <script src>.

Browsers refuse fetch() of local files when a page is opened from file://, but they do run a
script beside it, so the index is a JavaScript file that sets one global. Each entry is a place a
result can link to: a chapter's section, exercise, key messages or guiding questions, or a
glossary term. Terms map to the entries holding them, with a weight (3: in the title; 2: said
several times; 1: said once), so the page can rank results without the full text. The lists
are written as base-36 gaps (see encode_postings), which search.js decodes.
Each language's tree has its own index, of what a reader of that language is shown there (the
English of a chapter whose translation is missing or out of date), with its own stop words.
Facilitator notes are never read here: they are for trainers only.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

INDEX_GLOBAL = "EMM_SEARCH_INDEX"
SNIPPET_CHARS = 160
WORD = re.compile(r"[a-z0-9]+")
ACCENTS = re.compile("[\u0300-\u036f]")  # the same range as search.js
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})  # 'œuvre' is found as 'oeuvre', as search.js
# Words too common to tell entries apart; dropping them keeps the index small. Written as
# words() leaves them: lower case, without accents.
STOP_WORDS = frozenset("""
a an and are as at be been but by can do does for from had has have he her his how if in into is
it its may more most must not of on or our she should so such than that the their them then there
these they this those to under was we were what when where which who will with would you your
""".split())
STOP_WORDS_BY_LANGUAGE = {
    "en": STOP_WORDS,
    "es": frozenset("""
al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante el
ella ellas ellos en entre era es esa esas ese eso esos esta estan estas este esto estos fue ha han
hasta hay la las le les lo los mas me mi muy ni no nos otra otras otro otros para pero por porque
que se sea ser si sin sobre son su sus tambien te tiene tienen todo todos tu un una uno unos ya
""".split()),
    "fr": frozenset("""
ainsi au aussi aux avec ce ces cet cette comme dans de des doit doivent du elle elles en est et
ete etre fait il ils la le les leur leurs lui mais ne nous on ont ou par pas peut peuvent plus
pour qu que qui sa se ses son sont sur ta te tes un une vous
""".split()),
}


@dataclass(frozen=True)
class Entry:
    url: str  # relative to the export's root, with the anchor
    title: str
    text: str


def words(text: str, stop_words: frozenset[str] = STOP_WORDS) -> list[str]:
    """Lower-case words without accents, as the search page splits the reader's query."""
    plain = ACCENTS.sub("", unicodedata.normalize("NFKD", text.lower().translate(LIGATURES)))
    return [word for word in WORD.findall(plain) if len(word) > 1 and word not in stop_words]


def snippet(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= SNIPPET_CHARS:
        return flat
    return flat[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def chapter_entries(chapter, page: str) -> list[Entry]:
    heading = f"{chapter.number} {chapter.title}"
    questions = chapter.guiding_questions + chapter.objectives
    entries = [Entry(f"{page}#guiding-questions", f"{heading}: {_('Guiding questions')}",
                     " ".join(item.text for item in questions))]
    entries += [Entry(f"{page}#{section.anchor}", f"{heading}: {section.title}", section.text)
                for section in chapter.sections]
    entries.append(Entry(f"{page}#key-messages", f"{heading}: {_('Key messages')}",
                         " ".join(item.text for item in chapter.key_messages)))
    entries += [Entry(f"{page}#{exercise.anchor}", f"{heading}: {exercise.title}",
                      " ".join([exercise.scenario_text] + [p.text for p in exercise.prompts]))
                for exercise in chapter.exercises]
    return entries


def curriculum_entries(curriculum, language: str, page_of_chapter, glossary_page: str
                       ) -> list[Entry]:
    """Every place a result can point to, in reading order, as shown in that language."""
    entries: list[Entry] = []
    for number in curriculum.chapters:
        entries += chapter_entries(curriculum.chapter(number, language), page_of_chapter(number))
    entries += [Entry(f"{glossary_page}#{term.anchor}", f"{_('Glossary')}: {term.term}",
                      term.definition) for term in curriculum.glossary_in(language)]
    return entries


def stop_words_of(language: str) -> frozenset[str]:
    return STOP_WORDS_BY_LANGUAGE.get(language, STOP_WORDS)


def postings(entries: list[Entry], stop_words: frozenset[str] = STOP_WORDS
             ) -> dict[str, list[tuple[int, int]]]:
    """term -> [(entry number, weight), ...], entries in ascending order."""
    table: dict[str, list[tuple[int, int]]] = {}
    for number, entry in enumerate(entries):
        in_title = set(words(entry.title, stop_words))
        counts = Counter(words(entry.text, stop_words))
        for term in sorted(in_title | set(counts)):
            weight = 3 if term in in_title else min(counts[term], 2)
            table.setdefault(term, []).append((number, weight))
    return dict(sorted(table.items()))


def encode_postings(pairs: list[tuple[int, int]]) -> str:
    """Base-36 numbers, each (gap from the previous entry) * 4 + weight: a third of plain JSON."""
    previous, numbers = 0, []
    for number, weight in pairs:
        numbers.append(base36((number - previous) * 4 + weight))
        previous = number
    return ",".join(numbers)


def base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        value, remainder = divmod(value, 36)
        text = digits[remainder] + text
        if not value:
            return text


def build_index_script(entries: list[Entry], language: str = "en") -> str:
    """The whole index as a script; the same entries always give the same bytes."""
    stop_words = stop_words_of(language)
    index = {"entries": [[entry.url, entry.title, snippet(entry.text)] for entry in entries],
             "stop": sorted(stop_words),
             "terms": {term: encode_postings(pairs)
                       for term, pairs in postings(entries, stop_words).items()}}
    body = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.{INDEX_GLOBAL}={body};\n"


def search_messages() -> dict:
    """The search page's words, translated with the rest of the page; search.js fills them in."""
    return {"none": _("Nothing found. Try fewer words, or other words."),
            "one": _("1 place found for “%(q)s”."),
            "many": _("%(n)s places found for “%(q)s”; the best first.")}
