"""The workshop's two planning problems, as pure functions over plain data.

1. Group assignment: every participant in a group whose room works in one of their languages,
   within room capacity, sizes as even as the languages allow, organisations and countries mixed;
   participants the organiser locked stay where they are.
2. Facilitator rotation: for every break-out session, one facilitator per group, who works in one
   of the group's languages, is in one place at a time, meets no group twice where that can be
   avoided, and carries an even share of the sessions.

No database here: the workshop services load the rows, call these, and store the result.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations


@dataclass(frozen=True)
class Participant:
    id: int
    languages: frozenset[str]
    organisation: str | None = None
    country: str | None = None
    locked_group: int | None = None


@dataclass(frozen=True)
class Group:
    id: int
    capacity: int
    languages: frozenset[str]


@dataclass
class Assignment:
    groups: dict[int, int] = field(default_factory=dict)  # participant id -> group id
    unplaced: list[int] = field(default_factory=list)     # participants no group could take


def can_join(participant: Participant, group: Group) -> bool:
    return bool(participant.languages & group.languages)


# -- 1. group assignment -------------------------------------------------------------------------
def assign_groups(participants: list[Participant], groups: list[Group]) -> Assignment:
    """Place everyone who can be placed, with the largest group as small as possible, then mix."""
    by_id = {g.id: g for g in groups}
    locked = {p.id: p.locked_group for p in participants if p.locked_group in by_id}
    free = [p for p in participants if p.id not in locked]
    locked_count = Counter(locked.values())
    best = None
    for ceiling in range(max([0, *locked_count.values()]), max([0, *(g.capacity for g in groups)]) + 1):
        limits = {g.id: max(0, min(g.capacity, ceiling) - locked_count[g.id]) for g in groups}
        placed = max_matching(free, groups, limits)
        if best is None or len(placed) > len(best):
            best = placed
        if len(placed) == len(free):
            break
    placed = {**locked, **(best or {})}
    placed = level(participants, groups, placed, set(locked))
    placed = mix(participants, groups, placed, set(locked))
    return Assignment(placed, [p.id for p in participants if p.id not in placed])


def max_matching(participants: list[Participant], groups: list[Group],
                 limits: dict[int, int]) -> dict[int, int]:
    """Most participants placed within each group's limit (augmenting paths, Kuhn's method)."""
    members: dict[int, list[int]] = defaultdict(list)
    placed: dict[int, int] = {}
    by_participant = {p.id: p for p in participants}
    # The most constrained first: fewer augmenting searches fail.
    order = sorted(participants, key=lambda p: sum(can_join(p, g) for g in groups))

    def augment(pid: int, seen: set[int]) -> bool:
        for group in groups:
            if group.id in seen or not can_join(by_participant[pid], group):
                continue
            seen.add(group.id)
            if len(members[group.id]) < limits[group.id]:
                members[group.id].append(pid)
                placed[pid] = group.id
                return True
            for other in list(members[group.id]):
                if augment_move(other, group.id, seen):
                    members[group.id].append(pid)
                    placed[pid] = group.id
                    return True
        return False

    def augment_move(pid: int, from_group: int, seen: set[int]) -> bool:
        members[from_group].remove(pid)
        if augment(pid, seen):
            return True
        members[from_group].append(pid)
        placed[pid] = from_group
        return False

    for participant in order:
        augment(participant.id, set())
    return placed


def level(participants: list[Participant], groups: list[Group], placed: dict[int, int],
          locked: set[int]) -> dict[int, int]:
    """Move people from a group to one at least two smaller that also works in their language."""
    placed = dict(placed)
    sizes = Counter(placed.values())
    by_id = {p.id: p for p in participants}
    moved = True
    while moved:
        moved = False
        for pid in sorted(placed, key=lambda p: -sizes[placed[p]]):
            if pid in locked:
                continue
            here = placed[pid]
            target = min((g for g in groups if can_join(by_id[pid], g) and sizes[g.id] < g.capacity
                          and sizes[g.id] <= sizes[here] - 2), key=lambda g: sizes[g.id], default=None)
            if target is not None:
                sizes[here] -= 1
                sizes[target.id] += 1
                placed[pid] = target.id
                moved = True
    return placed


def mix(participants: list[Participant], groups: list[Group], placed: dict[int, int],
        locked: set[int]) -> dict[int, int]:
    """Swap pairs between groups while that lowers repeated organisations and countries."""
    by_id = {p.id: p for p in participants}
    groups_by_id = {g.id: g for g in groups}
    placed = dict(placed)

    def clashes(group_id: int) -> int:
        """Pairs of members from the same organisation or country (3+1 is worse than 2+2)."""
        people = [by_id[pid] for pid, gid in placed.items() if gid == group_id]
        total = 0
        for attribute in ("organisation", "country"):
            counts = Counter(getattr(p, attribute) for p in people if getattr(p, attribute))
            total += sum(n * (n - 1) // 2 for n in counts.values())
        return total

    improved = True
    while improved:
        improved = False
        movable = [pid for pid in placed if pid not in locked]
        for a, b in combinations(movable, 2):
            ga, gb = placed[a], placed[b]
            if ga == gb or not (can_join(by_id[a], groups_by_id[gb]) and
                                can_join(by_id[b], groups_by_id[ga])):
                continue
            before = clashes(ga) + clashes(gb)
            placed[a], placed[b] = gb, ga
            if clashes(ga) + clashes(gb) < before:
                improved = True
            else:
                placed[a], placed[b] = ga, gb
    return placed


# -- 2. facilitator rotation ---------------------------------------------------------------------
@dataclass(frozen=True)
class Facilitator:
    id: int
    languages: frozenset[str]


@dataclass
class Rotation:
    # session index -> group id -> facilitator id (a group may be missing: nobody could go)
    cells: list[dict[int, int]]

    def load(self) -> Counter:
        return Counter(f for session in self.cells for f in session.values())

    def repeats(self) -> int:
        met = Counter((g, f) for session in self.cells for g, f in session.items())
        return sum(n - 1 for n in met.values())


SEARCH_BUDGET = 200_000  # nodes; beyond it the best rotation found so far is kept


def plan_rotation(session_count: int, groups: list[Group],
                  facilitators: list[Facilitator]) -> Rotation:
    """A rotation with, in order of priority: every group covered by a facilitator who works in
    one of its languages; no facilitator meeting the same group twice; the most even load.

    Exact for workshop sizes (a branch-and-bound search over sessions and groups); a search budget
    keeps a pathological input from running long, returning the best rotation found."""
    search = RotationSearch(session_count, groups, facilitators)
    search.run()
    return Rotation(search.best_cells)


class RotationSearch:
    def __init__(self, session_count: int, groups: list[Group], facilitators: list[Facilitator]):
        self.sessions = session_count
        # Groups with the fewest possible facilitators are filled first: failures show early.
        self.groups = sorted(groups, key=lambda g: sum(bool(f.languages & g.languages)
                                                       for f in facilitators))
        self.facilitators = facilitators
        self.eligible = {g.id: [f.id for f in facilitators if f.languages & g.languages]
                         for g in groups}
        self.best_cells: list[dict[int, int]] = [{} for _ in range(session_count)]
        self.best_score: tuple | None = None
        self.nodes = 0

    def score(self, cells, load) -> tuple:
        """What makes one rotation better than another, most important first."""
        uncovered = sum(len(self.groups) - len(session) for session in cells)
        met = Counter((g, f) for session in cells for g, f in session.items())
        repeats = sum(n - 1 for n in met.values())
        loads = [load[f.id] for f in self.facilitators] or [0]
        return uncovered, repeats, max(loads), max(loads) - min(loads)

    def cannot_improve(self) -> bool:
        """The best rotation found already meets every lower bound: stop searching."""
        uncovered, repeats, max_load, spread = self.best_score
        slots = self.sessions * len(self.groups) - uncovered
        fair_share = -(-slots // max(1, len(self.facilitators)))
        return uncovered == 0 and repeats == 0 and max_load <= fair_share and spread <= 1

    def run(self) -> None:
        cells = [{} for _ in range(self.sessions)]
        self.extend(cells, 0, 0, Counter(), set(), 0, 0)

    def extend(self, cells, session, position, load, met, uncovered, repeats) -> None:
        self.nodes += 1
        if self.nodes > SEARCH_BUDGET or (self.best_score and self.cannot_improve()):
            return
        if self.best_score is not None and \
                (uncovered, repeats, max(load.values(), default=0)) > self.best_score[:3]:
            return  # already worse than the best complete rotation: prune
        if session == self.sessions:
            score = self.score(cells, load)
            if self.best_score is None or score < self.best_score:
                self.best_score, self.best_cells = score, [dict(s) for s in cells]
            return
        if position == len(self.groups):
            self.extend(cells, session + 1, 0, load, met, uncovered, repeats)
            return
        group = self.groups[position]
        busy = set(cells[session].values())
        candidates = [f for f in self.eligible[group.id] if f not in busy]
        # Try who has not met the group yet, then the least loaded: good rotations come first.
        candidates.sort(key=lambda f: ((group.id, f) in met, load[f], f))
        for facilitator in candidates:
            repeat = (group.id, facilitator) in met
            cells[session][group.id] = facilitator
            load[facilitator] += 1
            added = (group.id, facilitator) not in met
            met.add((group.id, facilitator))
            self.extend(cells, session, position + 1, load, met, uncovered, repeats + repeat)
            if added:
                met.discard((group.id, facilitator))
            load[facilitator] -= 1
            del cells[session][group.id]
        # Leaving this group without a facilitator is also tried: when someone must stay
        # uncovered, which group it is decides whether repeats can be avoided (pruning keeps
        # this cheap whenever every group can be covered).
        self.extend(cells, session, position + 1, load, met, uncovered + 1, repeats)


# -- checks the organiser sees on the rotation grid ----------------------------------------------
@dataclass(frozen=True)
class RotationIssue:
    session: int
    group: int | None
    facilitator: int | None
    kind: str  # "double-booked" | "language" | "uncovered" | "repeat"


def rotation_issues(cells: list[dict[int, int]], groups: list[Group],
                    facilitators: list[Facilitator]) -> list[RotationIssue]:
    """Everything wrong with a (possibly hand-edited) rotation."""
    languages = {f.id: f.languages for f in facilitators}
    issues: list[RotationIssue] = []
    met: set[tuple[int, int]] = set()
    for index, session in enumerate(cells):
        seen = Counter(session.values())
        for group in groups:
            facilitator = session.get(group.id)
            if facilitator is None:
                issues.append(RotationIssue(index, group.id, None, "uncovered"))
                continue
            if seen[facilitator] > 1:
                issues.append(RotationIssue(index, group.id, facilitator, "double-booked"))
            if not languages.get(facilitator, frozenset()) & group.languages:
                issues.append(RotationIssue(index, group.id, facilitator, "language"))
            if (group.id, facilitator) in met:
                issues.append(RotationIssue(index, group.id, facilitator, "repeat"))
            met.add((group.id, facilitator))
    return issues
