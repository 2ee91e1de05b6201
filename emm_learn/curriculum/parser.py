"""Reads one chapter file (the format of content/README.md) into a frozen Chapter.

The parser never raises on bad content: it records a Problem with the line it concerns and keeps
going, so that an author sees every mistake of a file in one run of ``emm-learn check-content``.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import volume_of
from .model import (Chapter, Exercise, FacilitatorNotes, ListItem, PlanBlock, Problem, Prompt,
                    Reading, Section)
from .rendering import html_to_text, render_markdown

PART_TITLES = {
    "guiding questions": "guiding-questions",
    "learning objectives": "learning-objectives",
    "narrative": "narrative",
    "key messages": "key-messages",
    "exercises": "exercises",
    "facilitator notes": "facilitator-notes",
    "further reading": "further-reading",
}
NOTES_TITLES = {
    "plan": "plan",
    "discussion prompts": "discussion",
    "report-back": "report-back",
    "report back": "report-back",
    "multilingual groups": "multilingual",
}
PLAN_KINDS = {"opening", "exercise", "discussion", "report-back", "break", "close"}
EXERCISE_MODES = {"individual", "group", "either"}

ANCHOR = r"[a-z0-9]+(?:-[a-z0-9]+)*"
PART_HEADING = re.compile(r"^#\s+(?P<title>.+?)\s*$")
SUB_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*(?:\{#(?P<anchor>[^}\s]*)\})?\s*$")
LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|(?P<number>\d+)[.)])\s+(?P<text>.*)$")
ORDERED_ITEM = re.compile(r"^\s{0,3}\d+[.)]\s+(?P<text>.*)$")
META_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z _-]*):\s*(?P<value>.*)$")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


@dataclass
class Block:
    """A run of lines under one heading, with the line number of its heading."""
    title: str
    anchor: str | None
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines).strip("\n")


class ChapterParser:
    def __init__(self, path: Path, text: str):
        self.path = path
        self.source = text
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    # -- entry point ---------------------------------------------------------------------------
    def parse(self) -> Chapter | None:
        lines = self.source.splitlines()
        meta, body_start = self.parse_front_matter(lines)
        if meta is None:
            return None
        parts = self.split_blocks(lines, body_start, PART_HEADING)
        by_name: dict[str, Block] = {}
        for block in parts:
            key = PART_TITLES.get(block.title.lower())
            if block.title == "" and block.text.strip():
                self.problem(block.line, "text before the first part heading (# Guiding questions ...)")
            elif block.title and key is None:
                known = ", ".join(t.capitalize() for t in PART_TITLES)
                self.problem(block.line, f"unknown part '# {block.title}' (expected one of: {known})")
            elif key in by_name:
                self.problem(block.line, f"part '# {block.title}' appears twice")
            elif key:
                by_name[key] = block
        for title, key in PART_TITLES.items():
            if key not in by_name:
                self.problem(body_start, f"missing part '# {title.capitalize()}'")

        part_lines = {key: block.line for key, block in by_name.items()}
        number = meta.get("number", "")
        chapter = Chapter(
            number=number,
            volume=volume_of(number) if re.fullmatch(r"\d+\.\d+", number) else 0,
            title=meta.get("title", ""),
            summary=meta.get("summary", ""),
            study_minutes=self.parse_int(meta.get("study_minutes", ""), meta.line_of("study_minutes"),
                                         "study_minutes"),
            related=tuple(n.strip() for n in meta.get("related", "").split(",") if n.strip()),
            guiding_questions=self.parse_list(by_name.get("guiding-questions")),
            objectives=self.parse_list(by_name.get("learning-objectives")),
            sections=self.parse_sections(by_name.get("narrative")),
            key_messages=self.parse_list(by_name.get("key-messages")),
            exercises=self.parse_exercises(by_name.get("exercises")),
            facilitator_notes=self.parse_notes(by_name.get("facilitator-notes")),
            further_reading=tuple(Reading(item.html, item.text)
                                  for item in self.parse_list(by_name.get("further-reading"))),
            path=self.path,
            source_hash=hashlib.sha256(self.source.encode()).hexdigest(),
            extra={"meta": dict(meta.values), "meta_lines": meta.lines, "part_lines": part_lines, "body_line": body_start},
        )
        return chapter

    # -- front matter --------------------------------------------------------------------------
    def parse_front_matter_loose(self, lines: list[str]) -> tuple["FrontMatter | None", int]:
        """Front matter without the chapter's required keys (volume files)."""
        return self.parse_front_matter(lines, required=())

    def parse_front_matter(self, lines: list[str], required=("number", "title", "summary",
                                                              "study_minutes", "related")
                           ) -> tuple["FrontMatter | None", int]:
        if not lines or lines[0].strip() != "---":
            self.problem(1, "the file must start with a metadata block between two '---' lines")
            return None, 1
        meta = FrontMatter()
        for index in range(1, len(lines)):
            line_number = index + 1
            line = lines[index]
            if line.strip() == "---":
                for key in required:
                    if key not in meta.values:
                        self.problem(1, f"metadata is missing '{key}:'")
                return meta, line_number + 1
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            match = META_LINE.match(line)
            if not match:
                self.problem(line_number, "metadata lines are written 'key: value'")
                continue
            key = match["key"].strip().lower().replace(" ", "_").replace("-", "_")
            if key in meta.values:
                self.problem(line_number, f"metadata '{key}' is given twice")
            meta.values[key] = match["value"].strip().strip('"').strip("'")
            meta.lines[key] = line_number
        self.problem(1, "the metadata block is not closed by a '---' line")
        return None, 1

    # -- generic helpers -----------------------------------------------------------------------
    def split_blocks(self, lines, start: int, heading: re.Pattern, base: int = 0) -> list[Block]:
        """Split lines (1-based numbering from ``start``) into blocks at each heading match."""
        blocks = [Block("", None, start)]
        in_fence = False
        for index in range(start - 1 - base, len(lines)):
            line_number = index + 1 + base
            line = lines[index]
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            match = None if in_fence else heading.match(line)
            if match:
                blocks.append(Block(match["title"], match.groupdict().get("anchor"), line_number))
            else:
                blocks[-1].lines.append((line_number, line))
        return blocks

    def parse_int(self, value: str, line: int, what: str) -> int:
        digits = re.match(r"^\s*(\d+)", value or "")
        if not digits:
            self.problem(line, f"{what} must be a whole number of minutes")
            return 0
        return int(digits[1])

    def parse_list(self, block: Block | None) -> tuple[ListItem, ...]:
        if block is None:
            return ()
        return tuple(ListItem(html, html_to_text(html))
                     for html in map(render_inline, self.list_items(block.lines, block.title)))

    def list_items(self, numbered_lines, where: str) -> list[str]:
        items: list[list[str]] = []
        for line_number, line in numbered_lines:
            if not line.strip():
                continue
            match = LIST_ITEM.match(line)
            if match:
                items.append([match["text"].strip()])
            elif items:
                items[-1].append(line.strip())  # a wrapped line continues the item above
            else:
                self.problem(line_number, f"'{where}' holds a list: start each item with '- ' or '1. '")
        return [" ".join(parts) for parts in items]

    def heading_anchor(self, block: Block, what: str) -> str:
        if not block.anchor:
            self.problem(block.line, f"{what} '{block.title}' needs a stable id: add {{#some-id}} "
                                     "at the end of its heading")
            return ""
        if not re.fullmatch(ANCHOR, block.anchor):
            self.problem(block.line, f"id '{block.anchor}' may hold only lower-case letters, digits "
                                     "and single hyphens")
        return block.anchor

    # -- narrative -----------------------------------------------------------------------------
    def parse_sections(self, part: Block | None) -> tuple[Section, ...]:
        if part is None:
            return ()
        sections = []
        blocks = self.sub_blocks(part)
        if blocks[0].text.strip():
            self.problem(part.line, "narrative text must sit under a '## Section title {#id}' heading")
        for block in blocks[1:]:
            anchor = self.heading_anchor(block, "section")
            html = render_markdown(block.text)
            text = html_to_text(html)
            sections.append(Section(anchor, block.title, html, text, count_words(text)))
        return tuple(sections)

    def sub_blocks(self, part: Block) -> list[Block]:
        lines = [text for _, text in part.lines]
        first = part.lines[0][0] if part.lines else part.line + 1
        return self.split_blocks(lines, first, SUB_HEADING, base=first - 1)

    # -- exercises -----------------------------------------------------------------------------
    def parse_exercises(self, part: Block | None) -> tuple[Exercise, ...]:
        if part is None:
            return ()
        blocks = self.sub_blocks(part)
        if blocks[0].text.strip():
            self.problem(part.line, "exercise text must sit under a '## Exercise title {#id}' heading")
        return tuple(self.parse_exercise(block) for block in blocks[1:])

    def parse_exercise(self, block: Block) -> Exercise:
        anchor = self.heading_anchor(block, "exercise")
        meta: dict[str, tuple[int, str]] = {}
        rest = list(block.lines)
        while rest and not rest[0][1].strip():
            rest.pop(0)
        while rest and (match := META_LINE.match(rest[0][1])) and \
                match["key"].strip().lower() in ("format", "duration", "group size", "own country"):
            meta[match["key"].strip().lower()] = (rest[0][0], match["value"].strip())
            rest.pop(0)
        mode = meta.get("format", (block.line, ""))[1].lower()
        if mode not in EXERCISE_MODES:
            self.problem(meta.get("format", (block.line,))[0],
                         f"exercise '{block.title}': 'Format:' must be individual, group or either")
        minutes = self.parse_int(meta.get("duration", (0, ""))[1],
                                 meta.get("duration", (block.line,))[0],
                                 f"exercise '{block.title}': 'Duration:'")
        group_size = None
        if "group size" in meta:
            sizes = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)(?:\s*people)?", meta["group size"][1])
            if sizes and int(sizes[1]) <= int(sizes[2]):
                group_size = (int(sizes[1]), int(sizes[2]))
            else:
                self.problem(meta["group size"][0], "'Group size:' is written like 5-12")
        elif mode in ("group", "either"):
            self.problem(block.line, f"exercise '{block.title}': a group exercise needs 'Group size:'")
        own_country = meta.get("own country", (0, "no"))[1].lower()
        if own_country not in ("yes", "no"):
            self.problem(meta["own country"][0], "'Own country:' is yes or no")

        prompt_start = self.final_ordered_list_start(rest)
        scenario_lines, prompt_lines = rest[:prompt_start], rest[prompt_start:]
        scenario = "\n".join(text for _, text in scenario_lines).strip()
        prompts = tuple(
            Prompt(i, render_inline(text), html_to_text(render_inline(text)))
            for i, text in enumerate(self.list_items(prompt_lines, block.title), start=1))
        scenario_html = render_markdown(scenario)
        return Exercise(anchor, block.title, mode, minutes, group_size, own_country == "yes",
                        scenario_html, html_to_text(scenario_html), prompts)

    @staticmethod
    def final_ordered_list_start(numbered_lines) -> int:
        """Index where the exercise's closing numbered list (its prompts) begins."""
        start = len(numbered_lines)
        for index in range(len(numbered_lines) - 1, -1, -1):
            line = numbered_lines[index][1]
            if not line.strip() or line.startswith((" ", "\t")):
                continue
            if ORDERED_ITEM.match(line):
                start = index
            else:
                break
        return start

    # -- facilitator notes ---------------------------------------------------------------------
    def parse_notes(self, part: Block | None) -> FacilitatorNotes | None:
        if part is None:
            return None
        found: dict[str, Block] = {}
        for block in self.sub_blocks(part)[1:]:
            key = NOTES_TITLES.get(block.title.lower())
            if key is None:
                self.problem(block.line, f"unknown facilitator-notes heading '## {block.title}' "
                                         "(expected Plan, Discussion prompts, Report-back, "
                                         "Multilingual groups)")
            else:
                found[key] = block
        for title, key in (("Plan", "plan"), ("Discussion prompts", "discussion"),
                           ("Report-back", "report-back"), ("Multilingual groups", "multilingual")):
            if key not in found or not found[key].text.strip():
                self.problem(part.line, f"facilitator notes need a '## {title}' with content")
        plan = self.parse_plan(found["plan"]) if "plan" in found else ()
        html = {key: render_markdown(found[key].text) if key in found else ""
                for key in ("discussion", "report-back", "multilingual")}
        return FacilitatorNotes(plan, html["discussion"], html["report-back"], html["multilingual"])

    def parse_plan(self, block: Block) -> tuple[PlanBlock, ...]:
        rows = [(n, line) for n, line in block.lines if line.strip().startswith("|")]
        if len(rows) < 3:
            self.problem(block.line, "the plan is a table: | Minutes | Block | Activity |")
            return ()
        plan = []
        for line_number, line in rows[2:]:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) != 3:
                self.problem(line_number, "each plan row has three cells: minutes, block, activity")
                continue
            minutes = self.parse_int(cells[0], line_number, "the plan's minutes")
            kind = cells[1].lower().replace(" ", "-")
            if kind not in PLAN_KINDS:
                self.problem(line_number, f"plan block '{cells[1]}' must be one of: "
                                          + ", ".join(sorted(PLAN_KINDS)))
            activity_html = render_inline(cells[2])
            plan.append(PlanBlock(minutes, kind, activity_html, html_to_text(activity_html)))
        return tuple(plan)


class FrontMatter:
    def __init__(self):
        self.values: dict[str, str] = {}
        self.lines: dict[str, int] = {}

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


def render_inline(text: str) -> str:
    """Render one line of markdown without the surrounding paragraph."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def count_words(plain_text: str) -> int:
    return len(re.findall(r"[\w’'-]+", plain_text))


def parse_chapter(path: Path) -> tuple[Chapter | None, list[Problem]]:
    """Parse one chapter file; returns the chapter (None if unreadable) and its problems."""
    parser = ChapterParser(path, path.read_text(encoding="utf-8"))
    chapter = parser.parse()
    return chapter, parser.problems
