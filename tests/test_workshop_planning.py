"""Group assignment and facilitator rotation, on many random workshops, against brute force.

Each property is checked on a few hundred small random workshops, where exhaustive search can say
what the best possible plan is; the planner must reach it whenever it exists."""
from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from emm_learn.workshops.planning import (Facilitator, Group, Participant, assign_groups,
                                          plan_rotation, rotation_issues)

LANGUAGES = ("en", "es", "fr")


def random_languages(rng: random.Random, at_least: int = 1) -> frozenset[str]:
    return frozenset(rng.sample(LANGUAGES, rng.randint(at_least, len(LANGUAGES))))


def random_workshop(seed: int):
    rng = random.Random(seed)
    groups = [Group(g, rng.randint(1, 4), random_languages(rng)) for g in range(rng.randint(1, 3))]
    people = [Participant(p, random_languages(rng), rng.choice("ABC"), rng.choice("XYZ"))
              for p in range(rng.randint(1, 7))]
    return rng, groups, people


def brute_force_assignment(people, groups):
    """(most placeable, smallest largest group among plans placing that many)."""
    best = (-1, 0)
    options = [[None] + [g for g in groups if p.languages & g.languages] for p in people]
    for choice in itertools.product(*options):
        sizes = Counter(g.id for g in choice if g is not None)
        if any(sizes[g.id] > g.capacity for g in groups):
            continue
        locked_ok = all(p.locked_group is None or (c is not None and c.id == p.locked_group)
                        for p, c in zip(people, choice))
        if not locked_ok:
            continue
        placed = sum(c is not None for c in choice)
        candidate = (placed, -max(sizes.values(), default=0))
        best = max(best, candidate)
    return best[0], -best[1]


@pytest.mark.parametrize("seed", range(300))
def test_assignment_places_everyone_it_can_in_a_language_they_work_in(seed):
    rng, groups, people = random_workshop(seed)
    if people and rng.random() < 0.3:  # the organiser locked someone in a group they can join
        person = people[0]
        fitting = [g for g in groups if g.languages & person.languages]
        if fitting:
            people[0] = Participant(person.id, person.languages, person.organisation,
                                    person.country, fitting[0].id)
    plan = assign_groups(people, groups)
    by_group = {g.id: g for g in groups}
    sizes = Counter(plan.groups.values())
    for person in people:
        if person.id in plan.groups:
            assert person.languages & by_group[plan.groups[person.id]].languages
        if person.locked_group is not None:
            assert plan.groups[person.id] == person.locked_group
    assert all(sizes[g.id] <= g.capacity for g in groups)
    most, smallest_largest = brute_force_assignment(people, groups)
    assert len(plan.groups) == most
    assert max(sizes.values(), default=0) == smallest_largest
    # Even as the languages allow: nobody could move to a group two smaller that speaks with them.
    for person in people:
        if person.id in plan.groups and person.locked_group is None:
            here = sizes[plan.groups[person.id]]
            assert not [g for g in groups if g.languages & person.languages
                        and sizes[g.id] < g.capacity and sizes[g.id] <= here - 2]


def test_assignment_mixes_organisations_and_countries():
    english = frozenset({"en"})
    groups = [Group(1, 4, english), Group(2, 4, english)]
    people = [Participant(i, english, organisation="Ministry" if i < 4 else "Agency",
                          country="X" if i % 2 else "Y") for i in range(8)]
    plan = assign_groups(people, groups)
    for group in (1, 2):
        members = [p for p in people if plan.groups[p.id] == group]
        assert Counter(p.organisation for p in members) == {"Ministry": 2, "Agency": 2}
        assert Counter(p.country for p in members) == {"X": 2, "Y": 2}


def test_seed_workshop_groups():
    """Groups A-C tri-lingual, D-E English only; French- and Spanish-only speakers go to A-C."""
    trilingual, english = frozenset(LANGUAGES), frozenset({"en"})
    groups = [Group(g, 10, trilingual if g < 3 else english) for g in range(5)]
    rng = random.Random(4)
    people = [Participant(i, frozenset({rng.choice(LANGUAGES)}), f"org{i % 9}", f"c{i % 7}")
              for i in range(40)]
    plan = assign_groups(people, groups)
    assert len(plan.groups) == 40 and not plan.unplaced
    sizes = Counter(plan.groups.values())
    assert max(sizes[g] for g in (0, 1, 2)) - min(sizes[g] for g in (0, 1, 2)) <= 1
    assert abs(sizes[3] - sizes[4]) <= 1
    for person in people:
        if "en" not in person.languages:
            assert plan.groups[person.id] < 3


def brute_force_rotation(sessions, groups, facilitators):
    """The best (uncovered, repeats, largest load) over every possible rotation."""
    per_session = []
    for choice in itertools.product(*[[None] + [f for f in facilitators
                                                if f.languages & g.languages] for g in groups]):
        used = [f.id for f in choice if f is not None]
        if len(used) == len(set(used)):
            per_session.append({g.id: f.id for g, f in zip(groups, choice) if f is not None})
    best = None
    for rotation in itertools.product(per_session, repeat=sessions):
        uncovered = sum(len(groups) - len(s) for s in rotation)
        met = Counter((g, f) for s in rotation for g, f in s.items())
        load = Counter(f for s in rotation for f in s.values())
        score = (uncovered, sum(n - 1 for n in met.values()), max(load.values(), default=0))
        best = score if best is None or score < best else best
    return best


@pytest.mark.parametrize("seed", range(200))
def test_rotation_is_as_good_as_the_best_possible(seed):
    rng = random.Random(1000 + seed)
    groups = [Group(g, 10, random_languages(rng)) for g in range(rng.randint(1, 3))]
    facilitators = [Facilitator(f, random_languages(rng)) for f in range(rng.randint(1, 4))]
    sessions = rng.randint(1, 3)
    rotation = plan_rotation(sessions, groups, facilitators)
    issues = rotation_issues(rotation.cells, groups, facilitators)
    assert not [i for i in issues if i.kind in ("double-booked", "language")]
    uncovered = sum(1 for i in issues if i.kind == "uncovered")
    load = rotation.load()
    ours = (uncovered, rotation.repeats(), max(load.values(), default=0))
    assert ours == brute_force_rotation(sessions, groups, facilitators)


def test_seed_workshop_rotation():
    """Two break-outs, five groups, ten facilitators: new faces in every room, one session each."""
    trilingual, english = frozenset(LANGUAGES), frozenset({"en"})
    groups = [Group(g, 10, trilingual if g < 3 else english) for g in range(5)]
    facilitators = [Facilitator(f, frozenset({"en", ("es", "fr")[f % 2]}) if f < 6
                                else frozenset({"en"})) for f in range(10)]
    rotation = plan_rotation(2, groups, facilitators)
    assert rotation_issues(rotation.cells, groups, facilitators) == []
    assert set(rotation.load().values()) == {1}


def test_hand_edits_are_flagged():
    english = frozenset({"en"})
    groups = [Group(1, 10, english), Group(2, 10, frozenset({"fr"})), Group(3, 10, english)]
    facilitators = [Facilitator(7, english), Facilitator(8, frozenset({"fr"}))]
    cells = [{1: 7, 2: 7}, {1: 7, 2: 8}]
    kinds = {(i.session, i.group, i.kind) for i in rotation_issues(cells, groups, facilitators)}
    assert (0, 1, "double-booked") in kinds and (0, 2, "language") in kinds
    assert (0, 3, "uncovered") in kinds and (1, 1, "repeat") in kinds
