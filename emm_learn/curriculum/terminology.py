"""Terminology check: does each translation use the glossary's equivalent of the terms its
English original uses?

For every glossary term found in an English chapter, the Spanish and French chapters must
contain the term's `es`/`fr` equivalent. Matching ignores case and accents and accepts inflected
forms (plural, gender: *migraciones irregulares*, *travailleuses migrantes*) and up to two words
between the words of a term. A miss is a question for a reviewer, not an error: an instrument
quoted in its own wording or a book title may rightly use another word. So this reports and
counts; it never fails check-content.

    python -m emm_learn.curriculum.terminology [--content DIR] [--verbose]
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..paths import default_content_dir
from .library import GLOSSARY_FILE, sort_key

LANGUAGES = ("es", "fr")
# "safe, orderly and regular migration" is its own term; its "regular migration" is not one.
NOT_A_USE_AFTER = ("orderly and ",)


@dataclass
class TerminologyReport:
    uses: dict[str, int] = field(default_factory=lambda: {language: 0 for language in LANGUAGES})
    misses: dict[str, list[tuple[str, str, str]]] = field(
        default_factory=lambda: {language: [] for language in LANGUAGES})

    def summary(self) -> str:
        return "; ".join(
            f"{language}: {self.uses[language] - len(self.misses[language])} of "
            f"{self.uses[language]} glossary-term uses carry the glossary's equivalent"
            for language in LANGUAGES)


def folded(text: str) -> str:
    """Lower case without accents (as the glossary sorts), typographic apostrophes made plain."""
    return sort_key(text.replace("\u2019", "'"))


def english_use(term: str) -> re.Pattern:
    return re.compile(r"\b" + re.escape(folded(term)) + r"(?:s|es)?\b")


def translated_use(term: str) -> re.Pattern:
    """Each long word by its stem (inflections vary), short words nearly exact, at most two
    words in between (es 'trabajadores domésticos migrantes', fr 'travailleurs saisonniers')."""
    words = re.findall(r"[\w'-]+", folded(term))
    parts = [re.escape(word[:max(4, len(word) - 3)]) + r"[\w'-]*" if len(word) > 4
             else re.escape(word) + r"[a-z]{0,2}" for word in words]
    return re.compile(r"\b" + r"\W+(?:[\w'-]+\W+){0,2}?".join(parts))


def body_of(path: Path) -> str:
    """The chapter without its metadata block (titles of readings stay: they are text too)."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n---", 1)[-1] if text.startswith("---") else text


def uses_term(english_text: str, term: str) -> bool:
    for match in english_use(term).finditer(english_text):
        before = english_text[max(0, match.start() - 20):match.start()]
        if not before.endswith(NOT_A_USE_AFTER):
            return True
    return False


def check_terminology(content_dir: Path) -> TerminologyReport:
    terms = yaml.safe_load((content_dir / GLOSSARY_FILE).read_text(encoding="utf-8"))
    report = TerminologyReport()
    for english in sorted(content_dir.glob("volume*/*.md")):
        if english.name == "volume.md":
            continue
        english_text = folded(body_of(english))
        used = [term for term in terms if uses_term(english_text, term["term"])]
        for language in LANGUAGES:
            translation = content_dir / language / english.parent.name / english.name
            if not translation.exists():
                continue
            translated_text = folded(body_of(translation))
            for term in (t for t in used if language in t):
                report.uses[language] += 1
                equivalent = term[language]["term"]
                if not translated_use(equivalent).search(translated_text):
                    chapter = english.name.split("-", 1)[0]
                    report.misses[language].append((chapter, term["term"], equivalent))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    arguments = parser.parse_args(argv)
    report = check_terminology(arguments.content or default_content_dir())
    if arguments.verbose:
        for language in LANGUAGES:
            for chapter, term, equivalent in report.misses[language]:
                print(f"{language} {chapter}: '{term}' without '{equivalent}'")
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
