"""Counts, means and distributions of 1-5 ratings, and the rule that hides small slices.

A slice (all responses, or those of one group, language, session or facilitator) with fewer than
MIN_SLICE responses is never shown. When exactly one slice of a breakdown is hidden, the smallest
shown one is hidden too: otherwise the hidden one could be worked out by subtracting the others
from the total."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Iterable

MIN_SLICE = 3
SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Summary:
    count: int
    mean: float | None
    distribution: tuple[int, ...]  # how many gave 1, 2, 3, 4, 5

    @property
    def mean_text(self) -> str:
        """The mean as a reader of the page's language writes it (3.25 / 3,25)."""
        from ..i18n import format_count
        return "" if self.mean is None else format_count(round(self.mean, 2), "0.00")

    @property
    def mean_figure(self) -> str:
        """The mean for spreadsheets: always a point, whatever the page's language."""
        return "" if self.mean is None else f"{self.mean:.2f}"


def summarise(ratings: Iterable[int]) -> Summary:
    values = [r for r in ratings if r in SCALE]
    distribution = tuple(values.count(point) for point in SCALE)
    mean = round(sum(values) / len(values), 2) if values else None
    return Summary(len(values), mean, distribution)


@dataclass(frozen=True)
class Slice:
    label: str
    summary: Summary | None  # None when the slice is hidden

    @property
    def is_hidden(self) -> bool:
        return self.summary is None


@dataclass
class Breakdown:
    """One question's ratings split along one dimension (group, language, session, facilitator)."""
    dimension: str
    slices: list[Slice] = field(default_factory=list)


def hidden_keys(sizes: dict[Hashable, int]) -> set[Hashable]:
    """Keys of the slices to hide: the small ones, and one more if only one would be hidden."""
    hidden = {key for key, size in sizes.items() if size < MIN_SLICE}
    if len(hidden) == 1:
        shown = sorted((size, index) for index, (key, size) in enumerate(sizes.items())
                       if key not in hidden)
        if shown:
            hidden.add(list(sizes)[shown[0][1]])
    return hidden


def breakdown(dimension: str, rows: Iterable[tuple[Hashable, str, int]]) -> Breakdown:
    """rows: (slice key, slice label, rating), one per rating given. A slice's size is its number
    of ratings, so a mean is never drawn from fewer than MIN_SLICE people's answers."""
    labels: dict[Hashable, str] = {}
    ratings: dict[Hashable, list[int]] = {}
    for key, label, rating in rows:
        labels[key] = label
        ratings.setdefault(key, []).append(rating)
    hidden = hidden_keys({key: len(values) for key, values in ratings.items()})
    result = Breakdown(dimension)
    for key in sorted(ratings, key=lambda k: (labels[k].lower(), str(k))):
        result.slices.append(Slice(labels[key], None if key in hidden else summarise(ratings[key])))
    return result


def is_shown(count: int) -> bool:
    return count >= MIN_SLICE
