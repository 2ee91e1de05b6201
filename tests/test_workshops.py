"""Setting up the seed workshop: rooms, groups, sessions, facilitators, joining, groups, rotation."""
from __future__ import annotations

import re

import pytest

from emm_learn.curriculum.library import current_curriculum
from emm_learn.extensions import db
from emm_learn.workshops.models import Member, Workshop
from tests.conftest import post_form, sign_in

TRILINGUAL = ["en", "es", "fr"]


def form_post(client, url: str, data: dict, page: str):
    return post_form(client, url, data, page=page)


@pytest.fixture
def seed_workshop(app, signed_in_client, make_user):
    """The 2005 workshop: groups A-E in rooms A-E, A-C tri-lingual, D-E English only."""
    organiser, _ = signed_in_client("trainer")
    response = form_post(organiser, "/workshops/new", {
        "title": "Developing Capacity to Manage Migration", "venue": "Geneva",
        "starts_on": "2026-09-27", "ends_on": "2026-09-28", "timezone": "Europe/Zurich",
        "languages": TRILINGUAL}, page="/workshops/new")
    assert response.status_code == 302
    dashboard = response.headers["Location"]
    workshop_id = int(dashboard.rsplit("/", 1)[1])
    for letter in "ABCDE":
        languages = TRILINGUAL if letter in "ABC" else ["en"]
        assert form_post(organiser, f"{dashboard}/rooms", {"name": f"Room {letter}", "capacity": "9",
                                                           "languages": languages}, dashboard).status_code == 302
    with app.app_context():
        rooms = {r.name: r.id for r in db.session.get(Workshop, workshop_id).rooms}
        chapter_26 = current_curriculum().chapter("2.6")
        chapter_312 = current_curriculum().chapter("3.12")
    for letter in "ABCDE":
        form_post(organiser, f"{dashboard}/groups", {"name": f"Group {letter}",
                                                     "room_id": str(rooms[f"Room {letter}"])}, dashboard)
    sessions = [("Opening", "09:30", "10:30", "plenary", "", ""),
                ("Migration and Labour", "11:00", "13:00", "breakout", "2.6", chapter_26.exercises[1].anchor),
                ("Counter-Trafficking", "15:00", "17:00", "breakout", "3.12", chapter_312.exercises[1].anchor)]
    for title, start, end, kind, chapter, exercise in sessions:
        response = form_post(organiser, f"{dashboard}/sessions", {
            "title": title, "day": "2026-09-27", "start": start, "end": end, "kind": kind,
            "items": [f"{chapter}#{exercise}"] if chapter else []}, dashboard)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    facilitators = []
    for number in range(10):
        trainer = make_user("trainer")
        languages = ["en", ("es", "fr")[number % 2]] if number < 6 else ["en"]
        form_post(organiser, f"{dashboard}/facilitators", {"email": trainer.email, "languages": languages},
                  dashboard)
        facilitators.append(trainer)
    return organiser, dashboard, workshop_id, facilitators


def join(app, make_user, workshop_id: int, languages: list[str], organisation: str, country: str):
    learner = make_user()
    client = app.test_client()
    sign_in(client, learner)
    with app.app_context():
        code = db.session.get(Workshop, workshop_id).join_code
    response = form_post(client, f"/join/{code}", {"languages": languages, "organisation": organisation,
                                                   "country": country}, page=f"/join/{code}")
    assert response.status_code == 302
    return client, learner


def test_organiser_sets_up_the_seed_workshop(app, seed_workshop):
    organiser, dashboard, workshop_id, _ = seed_workshop
    html = organiser.get(dashboard).get_data(as_text=True)
    for letter in "ABCDE":
        assert f"Group {letter}" in html and f"Room {letter}" in html
    assert "Migration and Labour" in html and "Counter-Trafficking" in html
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert len(workshop.facilitators) == 10 and len(workshop.sessions) == 3
        assert re.fullmatch(r"[A-Z2-9]{8}", workshop.join_code)


def test_bad_input_is_explained_and_kept(signed_in_client, seed_workshop):
    organiser, dashboard, _, _ = seed_workshop
    response = form_post(organiser, f"{dashboard}/sessions", {
        "title": "Late session", "day": "2027-01-01", "start": "18:00", "end": "17:00",
        "kind": "breakout", "items": ["9.9"]}, dashboard)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "within the workshop" in html and "end after it starts" in html
    assert "Choose chapters and exercises from the list." in html
    assert 'value="Late session"' in html
    learner, _ = signed_in_client("learner")
    assert form_post(learner, "/workshops/new", {"title": "x"}, page="/progress").status_code == 403


def test_participants_join_and_are_grouped_by_language(app, make_user, seed_workshop):
    organiser, dashboard, workshop_id, _ = seed_workshop
    languages = [["fr"], ["es"], ["en"], ["en", "fr"], ["en"], ["es", "en"]]
    for number in range(30):
        join(app, make_user, workshop_id, languages[number % len(languages)], f"Org {number % 7}",
             f"Country {number % 5}")
    assert form_post(organiser, f"{dashboard}/assign", {}, dashboard).status_code == 302
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        sizes = {}
        for member in workshop.members:
            assert member.group is not None
            assert member.language_set & member.group.room.language_set
            sizes[member.group.name] = sizes.get(member.group.name, 0) + 1
        assert max(sizes.values()) <= 9 and max(sizes.values()) - min(sizes.values()) <= 3


def test_a_locked_participant_stays_when_groups_are_assigned_again(app, make_user, seed_workshop):
    organiser, dashboard, workshop_id, _ = seed_workshop
    _, learner = join(app, make_user, workshop_id, ["en"], "Ministry", "Norland")
    for number in range(8):
        join(app, make_user, workshop_id, ["en"], "Ministry", "Norland")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        member = next(m for m in workshop.members if m.user_id == learner.id)
        group_e = next(g for g in workshop.groups if g.name == "Group E")
        member_id, group_id = member.id, group_e.id
    form_post(organiser, f"{dashboard}/members/move", {"member_id": str(member_id),
                                                       "group_id": str(group_id), "lock": "yes"}, dashboard)
    for _ in range(2):
        form_post(organiser, f"{dashboard}/assign", {}, dashboard)
        with app.app_context():
            member = db.session.get(Member, member_id)
            assert member.group_id == group_id and member.is_locked


def test_rotation_is_proposed_and_hand_edits_are_flagged(app, seed_workshop):
    organiser, dashboard, workshop_id, facilitators = seed_workshop
    form_post(organiser, f"{dashboard}/rotation/propose", {}, dashboard)
    html = organiser.get(dashboard).get_data(as_text=True)
    assert "has-issue" not in html
    grid = html.split('id="rotation"')[1]
    assert len(re.findall(r'<option value="\d+" selected>', grid)) == 10  # 2 sessions x 5 groups
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        breakout = [s for s in workshop.sessions if s.kind == "breakout"][0]
        groups = workshop.groups
        english_only = next(f for f in workshop.facilitators if f.languages == "en")
        ids = (str(breakout.id), str(groups[0].id), str(groups[1].id), str(english_only.id))
    for group in (ids[1], ids[2]):  # the same facilitator in two rooms at once
        form_post(organiser, f"{dashboard}/rotation/cell", {"session_id": ids[0], "group_id": group,
                                                            "facilitator_id": ids[3]}, dashboard)
    html = organiser.get(dashboard).get_data(as_text=True)
    assert "in two places at once" in html
    form_post(organiser, f"{dashboard}/rotation/cell", {"session_id": ids[0], "group_id": ids[1],
                                                        "facilitator_id": ""}, dashboard)
    assert "no facilitator" in organiser.get(dashboard).get_data(as_text=True)


def test_participant_sees_group_room_sessions_and_the_coming_facilitator(app, make_user, seed_workshop):
    organiser, dashboard, workshop_id, _ = seed_workshop
    client, learner = join(app, make_user, workshop_id, ["fr"], "Ministry of Labour", "Norland")
    form_post(organiser, f"{dashboard}/assign", {}, dashboard)
    form_post(organiser, f"{dashboard}/rotation/propose", {}, dashboard)
    html = client.get(f"/workshops/{workshop_id}/mine").get_data(as_text=True)
    assert re.search(r"Group [ABC], in Room [ABC]", html)  # French works only in A-C
    assert "Migration and Labour" in html and "11:00" in html and "Europe/Zurich" in html
    with app.app_context():
        exercise = current_curriculum().chapter("2.6").exercises[1].anchor
    assert f'href="/chapters/2.6#{exercise}"' in html
    facilitator_cells = re.findall(r"<td>([^<]+)</td>\s*</tr>", html)
    assert any(name.startswith("Trainer") for name in facilitator_cells)


def test_joining_with_a_typed_code_and_without_a_language(app, make_user, seed_workshop):
    _, _, workshop_id, _ = seed_workshop
    with app.app_context():
        code = db.session.get(Workshop, workshop_id).join_code
    client = app.test_client()
    sign_in(client, make_user())
    response = client.get(f"/join?code={code.lower()[:4]}-{code.lower()[4:]}")
    assert response.headers["Location"].endswith(f"/join/{code}")
    response = form_post(client, f"/join/{code}", {"organisation": "Border Police"}, page=f"/join/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose at least one language." in html
    assert 'value="Border Police"' in html
    assert client.get(f"/workshops/{workshop_id}/mine").status_code == 404  # not joined yet
