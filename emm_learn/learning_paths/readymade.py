"""Ready-made learning paths: files under content/paths/, parsed and checked with the curriculum.

A path file is a metadata block (title, audience), an optional introduction in Markdown, then a
`# Steps` part in which every step is a `## <chapter>` or `## <chapter>#<id>` heading followed by
its note. Every problem is reported as `path:line: message`, like the chapter checks.

A translation is content/<language>/paths/<same file name>.md: title, audience, introduction and
notes translated, the step headings unchanged (same steps, same order), and the metadata line
`translated_from:` recording the English file's hash, as chapters do. Readers get the English
with a notice when a translation is missing, out of date or broken.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

from ..curriculum.manifest import CHAPTER_TITLES
from ..curriculum.model import Chapter, Problem
from ..curriculum.parser import ChapterParser, FrontMatter
from ..curriculum.translations import (MISSING, ORIGINAL, OUTDATED, TRANSLATED,
                                       TRANSLATED_LANGUAGES, file_hash)

PATHS_FOLDER = "paths"
MAX_STEPS = 60
MAX_TITLE = 200
MAX_NOTE = 2000
# Ready-made names always contain a hyphen; links of paths made in the app never do.
READY_MADE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
STEPS_HEADING = re.compile(r"^#\s+steps\s*$", re.IGNORECASE)
ANY_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
STEP_REFERENCE = re.compile(r"^(?:/chapters/)?(?P<number>\d+\.\d+)"
                            r"(?:#(?P<anchor>[a-z0-9]+(?:-[a-z0-9]+)*))?$")


@dataclass(frozen=True)
class ReadyStep:
    kind: str  # chapter | section | exercise
    chapter_number: str
    anchor: str | None
    note: str
    line: int
    id: ClassVar[None] = None  # steps of a file have no database id


@dataclass(frozen=True)
class ReadyPath:
    slug: str
    title: str
    audience: str
    intro: str
    steps: tuple[ReadyStep, ...]
    path: Path
    language: str = "en"  # the language of its text
    requested: str = "en"  # the language the reader asked for
    status: str = ORIGINAL  # original (English asked) | translated | outdated | missing
    # On the English original only: the translations a reader may be shown, by language, and the
    # state of every translation file found (a language absent from both is missing).
    translations: dict[str, "ReadyPath"] = field(default_factory=dict, compare=False, repr=False)
    translation_status: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    is_ready_made: ClassVar[bool] = True
    owner_id: ClassVar[None] = None
    copied_from: ClassVar[None] = None

    @property
    def is_fallback(self) -> bool:
        """The English shown to a reader who asked for another language."""
        return self.status in (OUTDATED, MISSING)

    def in_language(self, language: str) -> "ReadyPath":
        """The path for a reader of that language: its up-to-date translation, else the English
        marked with the reason (the slug stays the same, so progress and links are shared)."""
        if language == self.language:
            return self
        if language in self.translations:
            return self.translations[language]
        return replace(self, requested=language,
                       status=self.translation_status.get(language, MISSING))


def load_ready_made_paths(content_dir: Path, chapters: dict[str, Chapter],
                          problems: list[Problem], outdated: list[Problem] | None = None
                          ) -> dict[str, ReadyPath]:
    """Every path file under content_dir/paths, by name, with its translations; problems go
    into problems, out-of-date translations into outdated (shown as English, not a failure)."""
    found: dict[str, ReadyPath] = {}
    for file in path_files(Path(content_dir) / PATHS_FOLDER):
        path, file_problems = parse_path_file(file, chapters)
        problems.extend(file_problems)
        if path is not None:
            found[path.slug] = path
    for language in TRANSLATED_LANGUAGES:
        load_translations(Path(content_dir), language, found, chapters, problems,
                          outdated if outdated is not None else [])
    return found


def path_files(folder: Path) -> list[Path]:
    return [file for file in sorted(folder.glob("*.md")) if file.name != "README.md"]


def parse_path_file(file: Path, chapters: dict[str, Chapter]) -> tuple[ReadyPath | None, list[Problem]]:
    """One path file; the path holds its valid steps (None when nothing usable is left)."""
    path, _meta, problems = read_path_file(file, chapters)
    return path, problems


def read_path_file(file: Path, chapters: dict[str, Chapter]
                   ) -> tuple[ReadyPath | None, FrontMatter | None, list[Problem]]:
    """parse_path_file, with the metadata too (a translation's `translated_from`)."""
    parser = ChapterParser(file, file.read_text(encoding="utf-8"))
    lines = parser.source.splitlines()
    meta, body_start = parser.parse_front_matter(lines, required=("title", "audience"))
    if meta is None:
        return None, None, parser.problems
    if not READY_MADE_NAME.match(file.stem):
        parser.problem(1, "the file name must be lower-case words joined by hyphens, "
                          "e.g. border-officials.md")
    for key in ("title", "audience"):
        if len(meta.get(key)) > MAX_TITLE:
            parser.problem(meta.line_of(key), f"'{key}' is longer than {MAX_TITLE} characters")
    steps_at = next((index for index in range(body_start - 1, len(lines))
                     if STEPS_HEADING.match(lines[index])), None)
    if steps_at is None:
        parser.problem(body_start, "missing part '# Steps'")
        return None, meta, parser.problems
    intro = check_intro(parser, lines, body_start - 1, steps_at)
    steps = parse_steps(parser, lines, steps_at + 1, chapters)
    if not steps:
        parser.problem(steps_at + 1, "the path has no usable step ('## 2.6' or '## 2.6#section-id')")
        return None, meta, parser.problems
    return ReadyPath(file.stem, meta.get("title"), meta.get("audience"), intro, tuple(steps),
                     file), meta, parser.problems


def check_intro(parser: ChapterParser, lines: list[str], start: int, end: int) -> str:
    for index in range(start, end):
        if ANY_HEADING.match(lines[index]):
            parser.problem(index + 1, "the introduction has no headings; steps go under '# Steps'")
    return "\n".join(lines[start:end]).strip()


def parse_steps(parser: ChapterParser, lines: list[str], start: int,
                chapters: dict[str, Chapter]) -> list[ReadyStep]:
    """The `## reference` blocks after '# Steps', each checked against the curriculum."""
    blocks: list[tuple[int, str, list[str]]] = []  # (line, reference, note lines)
    for index in range(start, len(lines)):
        line_number, line = index + 1, lines[index]
        heading = ANY_HEADING.match(line)
        if heading and len(heading[1]) == 2:
            blocks.append((line_number, heading[2].strip(), []))
        elif heading:
            parser.problem(line_number, "under '# Steps' only step headings are allowed: "
                                        "'## 2.6' or '## 2.6#section-id'")
        elif not blocks:
            if line.strip():
                parser.problem(line_number, "text before the first step heading")
        else:
            blocks[-1][2].append(line)
    steps: list[ReadyStep] = []
    seen: set[tuple[str, str | None]] = set()
    for line_number, reference, note_lines in blocks:
        step = resolve_step(parser, line_number, reference, "\n".join(note_lines).strip(), chapters)
        if step is None:
            continue
        key = (step.chapter_number, step.anchor)
        if key in seen:
            parser.problem(line_number, f"step '{reference}' appears twice")
            continue
        seen.add(key)
        steps.append(step)
    if len(steps) > MAX_STEPS:
        parser.problem(start, f"a path has at most {MAX_STEPS} steps; this one has {len(steps)}")
        steps = steps[:MAX_STEPS]
    return steps


def resolve_step(parser: ChapterParser, line: int, reference: str, note: str,
                 chapters: dict[str, Chapter]) -> ReadyStep | None:
    """The step a heading names, or None (with a problem) when the curriculum has no such part."""
    match = STEP_REFERENCE.match(reference)
    if not match:
        parser.problem(line, f"'{reference}' is not a step: write a chapter number ('2.6') or a "
                             "chapter and a section or exercise id ('2.6#recruitment-costs')")
        return None
    number, anchor = match["number"], match["anchor"]
    chapter = chapters.get(number)
    if number not in CHAPTER_TITLES:
        parser.problem(line, f"chapter {number} is not in the curriculum")
        return None
    if chapter is None:
        parser.problem(line, f"chapter {number} has no file yet")
        return None
    if anchor is None:
        kind = "chapter"
    elif chapter.section(anchor) is not None:
        kind = "section"
    elif chapter.exercise(anchor) is not None:
        kind = "exercise"
    else:
        parser.problem(line, f"chapter {number} has no section or exercise '{anchor}'")
        return None
    if not note:
        parser.problem(line, f"step '{reference}' needs a note: a sentence or two under its heading")
    if len(note) > MAX_NOTE:
        parser.problem(line, f"the note of step '{reference}' is longer than {MAX_NOTE} characters")
    return ReadyStep(kind, number, anchor, note, line)


# -- translations ----------------------------------------------------------------------------------
def load_translations(content_dir: Path, language: str, originals: dict[str, ReadyPath],
                      chapters: dict[str, Chapter], problems: list[Problem],
                      outdated: list[Problem]) -> None:
    """Attach each translation into one language to its English path, with its state."""
    for file in path_files(content_dir / language / PATHS_FOLDER):
        original = originals.get(file.stem)
        if original is None:
            problems.append(Problem(file, 1, "no English path with this file name in "
                                             f"{content_dir / PATHS_FOLDER}"))
            continue
        translation, state = check_translation(file, language, original, chapters, problems,
                                               outdated)
        if state is not None:
            original.translation_status[language] = state
        if translation is not None:
            original.translations[language] = translation


def check_translation(file: Path, language: str, original: ReadyPath,
                      chapters: dict[str, Chapter], problems: list[Problem],
                      outdated: list[Problem]) -> tuple[ReadyPath | None, str | None]:
    """The translation a reader may be shown (or None) and its state (None when broken).
    Like a chapter's: out of date when the English changed since, broken when it does not
    parse or leaves the English steps."""
    translation, meta, found = read_path_file(file, chapters)
    problems.extend(found)
    if meta is None:
        return None, None
    current, recorded = file_hash(original.path), meta.get("translated_from") or None
    if recorded is None:
        problems.append(Problem(file, 1, "metadata is missing 'translated_from:' (the English "
                                         f"original is now {current})"))
        return None, None
    if recorded != current:
        outdated.append(Problem(file, meta.line_of("translated_from"),
                                f"out of date: translated from {recorded}, the English original "
                                f"is now {current}"))
        return None, OUTDATED
    if found or translation is None:  # its own problems say what is wrong; say it once
        return None, None
    differences = step_differences(original, translation)
    problems.extend(differences)
    if differences:
        return None, None
    return replace(translation, language=language, requested=language, status=TRANSLATED), \
        TRANSLATED


def step_reference(step: ReadyStep) -> str:
    return f"{step.chapter_number}#{step.anchor}" if step.anchor else step.chapter_number


def step_differences(original: ReadyPath, translation: ReadyPath) -> list[Problem]:
    """Where the translation first leaves the English steps: every step of the English, in the
    same order (learners following the path share their progress across languages)."""
    english = [step_reference(step) for step in original.steps]
    translated = [step_reference(step) for step in translation.steps]
    for position, (ours, theirs) in enumerate(zip(english, translated), start=1):
        if ours != theirs:
            return [Problem(translation.path, translation.steps[position - 1].line,
                            f"step {position}: the English has '{ours}', the translation "
                            f"'{theirs}' (same steps, in the same order)")]
    if len(english) != len(translated):
        shorter = min(len(english), len(translated))
        line = translation.steps[min(shorter, len(translated) - 1)].line
        return [Problem(translation.path, line, f"steps: the English has {len(english)}, the "
                                                f"translation {len(translated)}")]
    return []
