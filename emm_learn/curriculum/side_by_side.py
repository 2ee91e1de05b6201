"""A chapter in two languages, aligned part by part: sections by their stable ids, exercises by
id, lists item by item. Each language's version is the one its reader would get (a translation
only when up to date), so both columns always have the English structure."""
from __future__ import annotations

from dataclasses import dataclass

from .library import ChapterVersion

PARTS = ("guiding-questions", "learning-objectives", "narrative", "key-messages", "exercises",
         "further-reading")
LIST_PARTS = {"guiding-questions": "guiding_questions", "learning-objectives": "objectives",
              "key-messages": "key_messages", "further-reading": "further_reading"}


@dataclass(frozen=True)
class Row:
    anchor: str  # the stable id both cells share ('' for list items)
    cells: tuple  # one item per column: ListItem, Section, Exercise, Prompt or Reading (or None)
    prompts: tuple = ()  # an exercise's prompt rows


@dataclass(frozen=True)
class Part:
    key: str  # one of PARTS
    rows: tuple[Row, ...]


def side_by_side_languages(args, page_language: str, languages) -> tuple[str, str]:
    """The two languages asked for, or English beside the reader's language (or beside Spanish)."""
    left = args.get("left") if args.get("left") in languages else languages[0]
    right = args.get("right") if args.get("right") in languages else page_language
    if right == left:
        right = next(code for code in languages if code != left)
    return left, right


def aligned_chapter(columns: list[ChapterVersion]) -> tuple[Part, ...]:
    chapters = [column.chapter for column in columns]
    parts = []
    for key in PARTS:
        if key in LIST_PARTS:
            lists = [getattr(chapter, LIST_PARTS[key]) for chapter in chapters]
            rows = tuple(Row("", cells) for cells in zip_longest_none(lists))
        elif key == "narrative":
            rows = tuple(Row(anchor, tuple(c.section(anchor) for c in chapters))
                         for anchor in anchors_in_order(c.sections for c in chapters))
        else:
            rows = tuple(exercise_row(anchor, chapters)
                         for anchor in anchors_in_order(c.exercises for c in chapters))
        parts.append(Part(key, rows))
    return tuple(parts)


def exercise_row(anchor: str, chapters) -> Row:
    exercises = tuple(chapter.exercise(anchor) for chapter in chapters)
    prompts = [exercise.prompts if exercise else () for exercise in exercises]
    return Row(anchor, exercises, tuple(Row("", cells) for cells in zip_longest_none(prompts)))


def anchors_in_order(collections) -> list[str]:
    """Every id of the first version, in order, then any the other has in addition."""
    seen: list[str] = []
    for items in collections:
        seen += [item.anchor for item in items if item.anchor not in seen]
    return seen


def zip_longest_none(lists) -> list[tuple]:
    length = max((len(items) for items in lists), default=0)
    return [tuple(items[i] if i < len(items) else None for items in lists) for i in range(length)]
