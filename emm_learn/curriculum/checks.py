"""The content guide's minimums, as rules over a parsed chapter (used by check-content and tests)."""
from __future__ import annotations

import re

from .manifest import CHAPTER_TITLES, volume_of
from .model import Chapter, Problem

LIMITS = {
    "summary_words": 40,
    "related": (2, 5),
    "guiding_questions": (4, 6),
    "objectives": (3, 5),
    "narrative_words": (1800, 3500),
    "sections": (4, 8),
    "key_messages": (5, 8),
    "exercises": (2, 4),
    "prompts": (2, 5),
    "further_reading": (3, 6),
    "plan_minutes": 120,
}
REQUIRED_PLAN_KINDS = ("opening", "exercise", "discussion", "report-back", "close")
RESERVED_ANCHORS = {"guiding-questions", "learning-objectives", "contents", "key-messages",
                    "exercises", "facilitator-notes", "further-reading", "related-chapters",
                    "main", "top"}
# Verbs that open a learning objective ("Explain ...", "Compare ...").
OBJECTIVE_VERBS = set("""
analyse analyze apply appraise argue assess build calculate categorise categorize challenge
choose classify compare compile construct contrast critique debate decide define describe design
develop devise differentiate discuss distinguish draft estimate evaluate examine explain formulate
frame identify illustrate interpret justify list locate map match name outline plan prepare
present prioritise prioritize propose rank recognise recognize recommend relate review select
sketch specify summarise summarize trace use weigh write
""".split())


def check_chapter(chapter: Chapter) -> list[Problem]:
    """Every way the chapter falls short of the content guide, each with a line to look at."""
    problems: list[Problem] = []
    meta_lines = chapter.extra.get("meta_lines", {})
    part_lines = chapter.extra.get("part_lines", {})

    def at(line: int, message: str) -> None:
        problems.append(Problem(chapter.path, line, message))

    def count(name: str, found: int, part: str, what: str) -> None:
        low, high = LIMITS[name]
        if not low <= found <= high:
            at(part_lines.get(part, 1), f"{what}: {found} found, the guide asks for {low}–{high}")

    check_metadata(chapter, meta_lines, at)
    count("guiding_questions", len(chapter.guiding_questions), "guiding-questions", "guiding questions")
    count("objectives", len(chapter.objectives), "learning-objectives", "learning objectives")
    for objective in chapter.objectives:
        first = re.sub(r"[^a-z]", "", objective.text.split(" ", 1)[0].lower())
        if first not in OBJECTIVE_VERBS:
            at(part_lines.get("learning-objectives", 1),
               f"learning objective should begin with a verb (explain, compare, assess...): "
               f"'{objective.text[:50]}'")
    count("sections", len(chapter.sections), "narrative", "narrative sections")
    if chapter.sections:
        count("narrative_words", chapter.narrative_words, "narrative", "narrative words")
    check_anchors(chapter, at, part_lines)
    count("key_messages", len(chapter.key_messages), "key-messages", "key messages")
    check_exercises(chapter, at, part_lines)
    check_notes(chapter, at, part_lines)
    count("further_reading", len(chapter.further_reading), "further-reading", "further reading items")
    for reading in chapter.further_reading:
        if not re.search(r"\b(?:19|20)\d{2}\b", reading.text):
            at(part_lines.get("further-reading", 1),
               f"further reading needs its year: '{reading.text[:60]}'")
    return problems


def check_metadata(chapter: Chapter, meta_lines: dict, at) -> None:
    line = lambda key: meta_lines.get(key, 1)  # noqa: E731 - tiny local helper
    if chapter.number not in CHAPTER_TITLES:
        at(line("number"), f"chapter {chapter.number or '(none)'} is not in the curriculum manifest")
        return
    if chapter.title != CHAPTER_TITLES[chapter.number]:
        at(line("title"), f"title must be '{CHAPTER_TITLES[chapter.number]}' (the manifest's)")
    folder = chapter.path.parent.name
    if folder != f"volume{volume_of(chapter.number)}":
        at(1, f"chapter {chapter.number} belongs in content/volume{volume_of(chapter.number)}/")
    summary_words = len(chapter.summary.split())
    if not summary_words:
        at(line("summary"), "summary is empty")
    elif summary_words > LIMITS["summary_words"]:
        at(line("summary"), f"summary has {summary_words} words; at most {LIMITS['summary_words']}")
    if chapter.study_minutes <= 0:
        at(line("study_minutes"), "study_minutes must be a positive number of minutes")
    low, high = LIMITS["related"]
    if not low <= len(chapter.related) <= high:
        at(line("related"), f"related chapters: {len(chapter.related)} found, the guide asks for "
                            f"{low}–{high}")
    for number in chapter.related:
        if number not in CHAPTER_TITLES:
            at(line("related"), f"related chapter {number} is not in the curriculum manifest")
        elif number == chapter.number:
            at(line("related"), "a chapter cannot be related to itself")
    if len(set(chapter.related)) != len(chapter.related):
        at(line("related"), "a related chapter is listed twice")


def check_anchors(chapter: Chapter, at, part_lines: dict) -> None:
    seen: set[str] = set()
    anchors = [s.anchor for s in chapter.sections] + [e.anchor for e in chapter.exercises]
    for anchor in anchors:
        if not anchor:
            continue
        if anchor in RESERVED_ANCHORS:
            at(part_lines.get("narrative", 1), f"id '{anchor}' is reserved for a part of the page")
        if anchor in seen:
            at(part_lines.get("narrative", 1), f"id '{anchor}' is used twice in this chapter")
        seen.add(anchor)


def check_exercises(chapter: Chapter, at, part_lines: dict) -> None:
    line = part_lines.get("exercises", 1)
    low, high = LIMITS["exercises"]
    if not low <= len(chapter.exercises) <= high:
        at(line, f"exercises: {len(chapter.exercises)} found, the guide asks for {low}–{high}")
    for exercise in chapter.exercises:
        low, high = LIMITS["prompts"]
        if not low <= len(exercise.prompts) <= high:
            at(line, f"exercise '{exercise.title}' has {len(exercise.prompts)} numbered prompts; "
                     f"the guide asks for {low}–{high}")
        if not exercise.scenario_text:
            at(line, f"exercise '{exercise.title}' needs a short scenario before its prompts")
        if exercise.minutes <= 0:
            at(line, f"exercise '{exercise.title}' needs 'Duration:' in minutes")
    if chapter.exercises and not any(e.is_own_country for e in chapter.exercises):
        at(line, "at least one exercise must apply the chapter to the learner's own country "
                 "('Own country: yes')")
    if chapter.exercises and not any(e.suits_breakout_group for e in chapter.exercises):
        at(line, "at least one exercise must work for a break-out group of 5–12 people "
                 "('Format: group' or 'either', 'Group size:' covering 5-12)")


def check_notes(chapter: Chapter, at, part_lines: dict) -> None:
    notes = chapter.facilitator_notes
    line = part_lines.get("facilitator-notes", 1)
    if notes is None or not notes.plan:
        return
    if notes.total_minutes != LIMITS["plan_minutes"]:
        at(line, f"the break-out plan adds up to {notes.total_minutes} minutes; it must be "
                 f"{LIMITS['plan_minutes']}")
    kinds = {block.kind for block in notes.plan}
    for kind in REQUIRED_PLAN_KINDS:
        if kind not in kinds:
            at(line, f"the break-out plan needs a '{kind}' block")
