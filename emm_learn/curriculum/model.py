"""Frozen objects a parsed chapter is made of; built once at start-up, shared by every request."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    html: str
    text: str
    word_count: int


@dataclass(frozen=True)
class Prompt:
    number: int  # 1-based, stable within its exercise
    html: str
    text: str


@dataclass(frozen=True)
class Exercise:
    anchor: str
    title: str
    mode: str  # individual | group | either
    minutes: int
    group_size: tuple[int, int] | None
    is_own_country: bool
    scenario_html: str
    scenario_text: str
    prompts: tuple[Prompt, ...]

    @property
    def suits_breakout_group(self) -> bool:
        """True when the exercise works for a break-out group of 5 to 12 people."""
        return (self.mode in ("group", "either") and self.group_size is not None
                and self.group_size[0] <= 5 and self.group_size[1] >= 12)


@dataclass(frozen=True)
class PlanBlock:
    minutes: int
    kind: str  # opening | exercise | discussion | report-back | break | close
    activity_html: str
    activity_text: str


@dataclass(frozen=True)
class FacilitatorNotes:
    plan: tuple[PlanBlock, ...]
    discussion_html: str
    report_back_html: str
    multilingual_html: str

    @property
    def total_minutes(self) -> int:
        return sum(block.minutes for block in self.plan)


@dataclass(frozen=True)
class Reading:
    html: str
    text: str


@dataclass(frozen=True)
class ListItem:
    html: str
    text: str


@dataclass(frozen=True)
class Chapter:
    number: str
    volume: int
    title: str
    summary: str
    study_minutes: int
    related: tuple[str, ...]
    guiding_questions: tuple[ListItem, ...]
    objectives: tuple[ListItem, ...]
    sections: tuple[Section, ...]
    key_messages: tuple[ListItem, ...]
    exercises: tuple[Exercise, ...]
    facilitator_notes: FacilitatorNotes | None
    further_reading: tuple[Reading, ...]
    path: Path
    source_hash: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    language: str = "en"  # the language of the text (a translation's, or "en")

    @property
    def narrative_words(self) -> int:
        return sum(section.word_count for section in self.sections)

    @property
    def sort_key(self) -> tuple[int, int]:
        volume, position = self.number.split(".")
        return int(volume), int(position)

    def exercise(self, anchor: str) -> Exercise | None:
        return next((ex for ex in self.exercises if ex.anchor == anchor), None)

    def section(self, anchor: str) -> Section | None:
        return next((s for s in self.sections if s.anchor == anchor), None)


@dataclass(frozen=True)
class Volume:
    number: int
    title: str
    description_html: str
    chapter_numbers: tuple[str, ...]
    language: str = "en"


@dataclass(frozen=True)
class GlossaryTerm:
    anchor: str
    term: str
    definition: str
    source: str | None
    see_also: tuple[str, ...] = ()
    language: str = "en"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, printed as ``path:line: message``."""
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
