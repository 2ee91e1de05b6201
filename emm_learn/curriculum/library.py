"""Loads the whole curriculum from content/ once: volumes, chapters and the glossary."""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .checks import check_chapter
from .manifest import CHAPTER_ORDER, CHAPTER_TITLES, VOLUMES
from . import page_cache
from .glossary_links import TermLinker, link_glossary_terms
from .model import Chapter, GlossaryTerm, Problem, Volume
from .parser import ChapterParser, parse_chapter
from .rendering import render_markdown
from .translations import (MISSING, ORIGINAL, OUTDATED, TITLES_TABLE, TRANSLATED,
                           TRANSLATED_LANGUAGES, Edition, TranslationReport, load_edition)
from ..learning_paths.readymade import load_ready_made_paths

GLOSSARY_FILE = Path("volume1") / "glossary.yaml"
GLOSSARY_MIN_TERMS = 60


@dataclass(frozen=True)
class ChapterVersion:
    """The chapter to show a reader who asked for a language, and how it relates to that ask."""
    chapter: Chapter  # the translation, or the English original when there is none to show
    requested: str  # the language asked for
    status: str  # original (English asked) | translated | outdated | missing

    @property
    def is_fallback(self) -> bool:
        return self.status in (OUTDATED, MISSING)


@dataclass(frozen=True)
class Curriculum:
    volumes: tuple[Volume, ...]
    chapters: dict[str, Chapter]  # the English originals
    glossary: tuple[GlossaryTerm, ...]
    problems: tuple[Problem, ...]
    content_dir: Path
    ready_paths: dict = field(default_factory=dict)  # ready-made learning paths, by name
    editions: dict[str, Edition] = field(default_factory=dict)  # translations, by language
    outdated: tuple[Problem, ...] = ()  # translations older than their English original

    def chapter(self, number: str, language: str = "en") -> Chapter | None:
        """The chapter to show in that language: its up-to-date translation, else the English."""
        english = self.chapters.get(number)
        edition = self.editions.get(language)
        if english is None or edition is None:
            return english
        return edition.chapters.get(number, english)

    def chapter_version(self, number: str, language: str) -> ChapterVersion | None:
        english = self.chapters.get(number)
        if english is None:
            return None
        edition = self.editions.get(language)
        if edition is None:
            return ChapterVersion(english, "en", ORIGINAL)
        return ChapterVersion(edition.chapters.get(number, english), language,
                              edition.chapter_status(number))

    def volume(self, number: int, language: str = "en") -> Volume | None:
        english = next((v for v in self.volumes if v.number == number), None)
        edition = self.editions.get(language)
        if english is None or edition is None:
            return english
        return edition.volumes.get(number, english)

    def glossary_in(self, language: str) -> tuple[GlossaryTerm, ...]:
        edition = self.editions.get(language)
        return edition.glossary if edition else self.glossary

    def title_in(self, number: str, language: str) -> str:
        """The chapter's title in that language: its translation's, else the English."""
        chapter = self.chapter(number, language)
        return chapter.title if chapter else CHAPTER_TITLES.get(number, "")

    def neighbours(self, number: str, language: str = "en"
                   ) -> tuple[Chapter | None, Chapter | None]:
        """The previous and next chapters that exist, in manifest order."""
        present = [n for n in CHAPTER_ORDER if n in self.chapters]
        index = present.index(number)
        previous = self.chapter(present[index - 1], language) if index > 0 else None
        following = self.chapter(present[index + 1], language) if index + 1 < len(present) \
            else None
        return previous, following

    def chapters_of(self, volume: Volume, language: str = "en") -> list[Chapter]:
        """The chapters of a volume that exist, in manifest order."""
        return [self.chapter(n, language) for n in volume.chapter_numbers if n in self.chapters]

    def translation_summary(self) -> str:
        """'es: 23 of 32 chapters translated, 1 out of date, 4 of 4 learning paths translated,
        0 out of date; fr: ...' for check-content."""
        def paths_in(language: str, state: str) -> int:
            return sum(path.translation_status.get(language) == state
                       for path in self.ready_paths.values())
        return "; ".join(f"{language}: {edition.translated_count} of {len(CHAPTER_ORDER)} "
                         f"chapters translated, {edition.outdated_count} out of date, "
                         f"{paths_in(language, TRANSLATED)} of {len(self.ready_paths)} learning "
                         f"paths translated, {paths_in(language, OUTDATED)} out of date"
                         for language, edition in self.editions.items())


def load_curriculum(content_dir: Path) -> Curriculum:
    """Parse every file under content_dir; problems are collected, never raised."""
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    chapters: dict[str, Chapter] = {}
    for path in sorted(content_dir.glob("volume*/*.md")):
        if path.name in ("volume.md", "README.md"):
            continue
        chapter, found = parse_chapter(path)
        problems.extend(found)
        if chapter is None:
            continue
        problems.extend(check_chapter(chapter))
        if chapter.number in chapters:
            problems.append(Problem(path, 1, f"chapter {chapter.number} is also in "
                                             f"{chapters[chapter.number].path}"))
        elif chapter.number in CHAPTER_TITLES:
            chapters[chapter.number] = chapter
    volumes = tuple(load_volume(content_dir, v.number, problems) for v in VOLUMES)
    glossary, translated_glossaries = load_glossary(content_dir / GLOSSARY_FILE, problems)
    linker = TermLinker(glossary)
    ordered = {n: link_glossary_terms(chapters[n], linker) for n in CHAPTER_ORDER if n in chapters}
    report = TranslationReport()
    ready_paths = load_ready_made_paths(content_dir, ordered, problems, report.outdated)
    english = {n: chapters[n] for n in ordered}  # without links: compared with the translations
    editions = {language: load_edition(language, content_dir, english, volumes,
                                       translated_glossaries.get(language, glossary), report)
                for language in TRANSLATED_LANGUAGES}
    problems.extend(report.problems)
    return Curriculum(volumes, ordered, glossary, tuple(problems), content_dir, ready_paths,
                      editions, tuple(report.outdated))


def load_volume(content_dir: Path, number: int, problems: list[Problem]) -> Volume:
    manifest = VOLUMES[number - 1]
    path = content_dir / f"volume{number}" / "volume.md"
    description = ""
    if path.exists():
        parser = ChapterParser(path, path.read_text(encoding="utf-8"))
        lines = parser.source.splitlines()
        meta, body_start = parser.parse_front_matter_loose(lines)
        problems.extend(parser.problems)
        if meta is not None and meta.get("title") and meta.get("title") != manifest.title:
            problems.append(Problem(path, meta.line_of("title"),
                                    f"volume title must be '{manifest.title}'"))
        description = render_markdown("\n".join(lines[body_start - 1:]))
    else:
        problems.append(Problem(path, 1, f"volume {number} has no description file"))
    return Volume(number, manifest.title, description,
                  tuple(chapter_number for chapter_number, _ in manifest.chapters))


def load_glossary(path: Path, problems: list[Problem]
                  ) -> tuple[tuple[GlossaryTerm, ...], dict[str, tuple[GlossaryTerm, ...]]]:
    """The English glossary, and each translated language's (same anchors, its own words)."""
    if not path.exists():
        return (), {}
    entries = read_glossary_entries(path, problems)
    terms: list[GlossaryTerm] = []
    translated: dict[str, list[GlossaryTerm]] = {language: [] for language in TRANSLATED_LANGUAGES}
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("definition"):
            problems.append(Problem(path, 1, f"glossary entry {position} needs 'term' and "
                                             "'definition'"))
            continue
        anchor = entry.get("id") or slugify(entry["term"])
        if anchor in seen:
            problems.append(Problem(path, 1, f"glossary term '{entry['term']}' appears twice"))
            continue
        seen.add(anchor)
        term = GlossaryTerm(anchor, str(entry["term"]).strip(),
                            " ".join(str(entry["definition"]).split()),
                            entry.get("source"), tuple(entry.get("see_also") or ()))
        terms.append(term)
        for language, found in translated.items():
            found.append(translated_term(term, entry.get(language), language, path, problems))
    if len(terms) < GLOSSARY_MIN_TERMS:
        problems.append(Problem(path, 1, f"the glossary has {len(terms)} terms; the curriculum "
                                         f"needs at least {GLOSSARY_MIN_TERMS}"))
    return (tuple(sorted(terms, key=lambda t: t.term.lower())),
            {language: tuple(sorted(found, key=lambda t: sort_key(t.term)))
             for language, found in translated.items()})


def translated_term(term: GlossaryTerm, given, language: str, path: Path,
                    problems: list[Problem]) -> GlossaryTerm:
    """The entry's term in that language; the English one (marked so) when it has none."""
    if given is None:
        return term
    if not isinstance(given, dict) or not given.get("term") or not given.get("definition"):
        problems.append(Problem(path, 1, f"glossary term '{term.term}': '{language}:' needs "
                                         "'term' and 'definition'"))
        return term
    return replace(term, term=str(given["term"]).strip(),
                   definition=" ".join(str(given["definition"]).split()), language=language)


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it: accents and case do not count."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def terms_by_letter(terms) -> list[tuple[str, list[GlossaryTerm]]]:
    """The glossary's terms under their initial, accents aside ('État' under E)."""
    groups: dict[str, list[GlossaryTerm]] = {}
    for term in sorted(terms, key=lambda t: sort_key(t.term)):
        groups.setdefault(sort_key(term.term)[:1].upper(), []).append(term)
    return list(groups.items())


def read_glossary_entries(path: Path, problems: list[Problem]) -> list:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        problems.append(Problem(path, line, f"the glossary is not valid YAML: {error}"))
        return []
    if not isinstance(entries, list):
        problems.append(Problem(path, 1, "the glossary is a list of entries ('- term: ...')"))
        return []
    return entries


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# -- the application's copy ---------------------------------------------------------------------
def init_app(app) -> None:
    """Parse the curriculum once at start-up; in development, again when a file changes."""
    content_dir = Path(app.config["EMM_CONTENT_PATH"])
    app.extensions["emm_curriculum"] = load_curriculum_cached(content_dir, Path(app.instance_path))
    app.jinja_env.globals["terms_by_letter"] = terms_by_letter
    content_reloads = bool(app.debug or app.config.get("EMM_RELOAD_CONTENT"))
    page_cache.init_app(app, content_reloads)
    report_problems(app)
    if content_reloads:
        app.extensions["emm_content_signature"] = content_signature(content_dir)
        app.before_request(lambda: reload_if_changed(app))


def content_digest(content_dir: Path) -> str:
    """Changes whenever a content file or the parsing code changes."""
    digest = hashlib.sha256()
    code = sorted(Path(__file__).parent.glob("*.py"))
    code.append(Path(__file__).parent.parent / "learning_paths" / "readymade.py")
    titles = content_dir.parent / TITLES_TABLE  # agreed translated titles, for references
    code += [titles] if titles.exists() else []
    for path in code + sorted(p for p in content_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(path.parent.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_curriculum_cached(content_dir: Path, cache_dir: Path) -> Curriculum:
    """The parsed curriculum from a pickle in the instance folder when the content is unchanged.

    Parsing 32 chapters with Python-Markdown takes over a second; a restart with the same content
    loads the result of the last parse instead. The cache is ours alone (never user input).
    """
    cache = cache_dir / "curriculum.pickle"
    digest = content_digest(content_dir)
    try:
        with cache.open("rb") as handle:
            stored_digest, curriculum = pickle.load(handle)
        if stored_digest == digest and curriculum.content_dir == content_dir:
            return curriculum
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        pass  # no cache yet, or one written by another version: parse afresh
    curriculum = load_curriculum(content_dir)
    temporary = cache.with_suffix(f".{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            pickle.dump((digest, curriculum), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)
    except OSError:
        temporary.unlink(missing_ok=True)
    return curriculum


def report_problems(app) -> None:
    problems = app.extensions["emm_curriculum"].problems
    if problems:
        app.logger.warning("The curriculum has %d problem(s); run 'emm-learn check-content'.",
                           len(problems))


def content_signature(content_dir: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in content_dir.rglob("*")
                        if p.is_file()))


def reload_if_changed(app) -> None:
    import time
    now = time.monotonic()
    if now - app.extensions.get("emm_content_checked_at", 0) < 1:
        return
    app.extensions["emm_content_checked_at"] = now
    content_dir = Path(app.config["EMM_CONTENT_PATH"])
    signature = content_signature(content_dir)
    if signature != app.extensions["emm_content_signature"]:
        app.extensions["emm_curriculum"] = load_curriculum(content_dir)
        app.extensions["emm_content_signature"] = signature
        app.extensions["emm_page_store"].clear()
        report_problems(app)


def current_curriculum() -> Curriculum:
    from flask import current_app
    return current_app.extensions["emm_curriculum"]
