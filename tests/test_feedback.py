"""Feedback: chapter ratings on the chapter page, and workshop forms from default questions to
answers, with anonymity that holds and forms that open and close."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from sqlalchemy import select

from emm_learn.curriculum.library import current_curriculum
from emm_learn.extensions import db
from emm_learn.feedback.models import ChapterFeedback, FormReceipt, FormResponse, WorkshopForm
from emm_learn.workshops.models import (BreakoutGroup, Facilitator, Member, Room, RotationCell,
                                        SessionItem, Workshop, WorkshopSession)
from tests.conftest import post_form, sign_in


# -- a workshop to give feedback on (also used by test_reports.py): two groups, a break-out on
# chapter 2.6 with a rotation, a plenary, two facilitators, participants in both groups, and
# people who must not see its reports.
@dataclass
class World:
    workshop_id: int
    breakout_id: int
    plenary_id: int
    group_ids: dict[str, int]
    facilitators: dict[str, object]  # facilitator's display name -> Facilitator id
    clients: dict[str, object] = field(default_factory=dict)  # role -> signed-in client
    participants: list = field(default_factory=list)  # (client, user, group letter)


def client_for(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


def make_workshop(app, make_user, organiser_id: int, title: str, code: str) -> Workshop:
    chapter = current_curriculum().chapter("2.6")
    workshop = Workshop(title=title, venue="Geneva", starts_on=date(2026, 9, 27),
                        ends_on=date(2026, 9, 28), timezone="Europe/Zurich", languages="en,fr",
                        join_code=code, organiser_id=organiser_id)
    room = Room(name="Room A", capacity=20, languages="en,fr")
    workshop.rooms.append(room)
    workshop.groups.extend([BreakoutGroup(name=f"Group {x}", room=room) for x in "AB"])
    workshop.sessions.extend([
        WorkshopSession(title="Opening", starts_at=datetime(2026, 9, 27, 9, 30),
                        ends_at=datetime(2026, 9, 27, 10, 30), kind="plenary"),
        WorkshopSession(title="Migration and Labour", starts_at=datetime(2026, 9, 27, 11),
                        ends_at=datetime(2026, 9, 27, 13), kind="breakout",
                        items=[SessionItem(position=1, chapter_number="2.6",
                                           exercise_anchor=chapter.exercises[1].anchor)])])
    db.session.add(workshop)
    db.session.flush()
    return workshop


def build_world(app, make_user, group_sizes=(4, 3)) -> World:
    organiser, other_trainer = make_user("trainer"), make_user("trainer")
    admin, learner, outsider = make_user("admin"), make_user("learner"), make_user("learner")
    facilitator_users = [make_user("trainer", name=f"Facilitator {x}") for x in "XY"]
    people = [(make_user("learner", name=f"Participant {letter}{n}"), letter)
              for letter, size in zip("AB", group_sizes) for n in range(size)]
    with app.app_context():
        workshop = make_workshop(app, make_user, organiser.id, "Developing Capacity", "WORLD234")
        groups = {g.name[-1]: g for g in workshop.groups}
        facilitators = [Facilitator(user_id=u.id, languages="en,fr") for u in facilitator_users]
        workshop.facilitators.extend(facilitators)
        for person, letter in people:
            workshop.members.append(Member(user_id=person.id, languages="en",
                                           group_id=groups[letter].id))
        other = make_workshop(app, make_user, other_trainer.id, "Another workshop", "OTHER234")
        other.members.append(Member(user_id=outsider.id, languages="en"))
        db.session.flush()
        breakout = next(s for s in workshop.sessions if s.kind == "breakout")
        plenary = next(s for s in workshop.sessions if s.kind == "plenary")
        for letter, facilitator in zip("AB", facilitators):
            db.session.add(RotationCell(session_id=breakout.id, group_id=groups[letter].id,
                                        facilitator_id=facilitator.id))
        db.session.commit()
        world = World(workshop.id, breakout.id, plenary.id,
                      {letter: g.id for letter, g in groups.items()},
                      {f"Facilitator {x}": f.id for x, f in zip("XY", facilitators)})
    world.users = {"organiser": organiser, "other trainer": other_trainer, "admin": admin,
                   "learner": learner, "other participant": outsider}
    world.clients = {role: client_for(app, user) for role, user in world.users.items()}
    world.clients["anonymous"] = app.test_client()
    world.participants = [(client_for(app, user), user, letter) for user, letter in people]
    return world


def create_form(world: World, kind: str, session_id: int | None = None) -> int:
    organiser = world.clients["organiser"]
    base = f"/workshops/{world.workshop_id}/forms"
    data = {"kind": kind, "session_id": str(session_id or "")}
    response = post_form(organiser, base, data, page=base)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/forms/(\d+)$", response.headers["Location"])[1])


def set_anonymous(world: World, form_id: int, anonymous: bool, title: str = "A form"):
    page = f"/workshops/{world.workshop_id}/forms/{form_id}"
    data = {"title": title, **({"is_anonymous": "yes"} if anonymous else {})}
    return post_form(world.clients["organiser"], f"{page}/settings", data, page=page)


def open_form(world: World, form_id: int, is_open: bool = True):
    page = f"/workshops/{world.workshop_id}/forms/{form_id}"
    response = post_form(world.clients["organiser"], f"{page}/state",
                         {"open": "yes" if is_open else "no"}, page=page)
    assert response.status_code == 302
    return response


def answer(world: World, client, form_id: int, answers: dict):
    page = f"/workshops/{world.workshop_id}/forms/{form_id}/answer"
    return post_form(client, page, answers, page=page)


def question_ids(app, form_id: int) -> list[tuple[int, str]]:
    from emm_learn.feedback.models import WorkshopForm
    with app.app_context():
        return [(q.id, q.kind) for q in db.session.get(WorkshopForm, form_id).questions]


CHAPTER = "/chapters/2.6"
RATINGS = {"relevance": "5", "accuracy": "4", "depth": "3", "clarity": "4", "structure": "5",
           "exercises": "2"}


def send_feedback(client, data: dict):
    return post_form(client, f"{CHAPTER}/feedback", data, page=CHAPTER)


# -- chapter feedback ----------------------------------------------------------------------------
def test_a_reader_rates_a_chapter_and_can_change_it(app, signed_in_client):
    client, user = signed_in_client()
    page = client.get(CHAPTER).get_data(as_text=True)
    assert 'id="chapter-feedback"' in page and "Relevance to your work" in page
    # Placed after the exercises, before further reading.
    assert page.index('id="exercises"') < page.index('id="chapter-feedback"') \
        < page.index('id="further-reading"')
    response = send_feedback(client, {**RATINGS, "comment": "Clear and *useful*."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#chapter-feedback")
    page = client.get(CHAPTER).get_data(as_text=True)
    assert 'name="relevance" value="5" checked' in page and "Update your feedback" in page
    assert "<em>useful</em>" in page
    standalone = client.get(f"{CHAPTER}/feedback").get_data(as_text=True)
    assert 'name="exercises" value="2" checked' in standalone and "Clear and *useful*." in standalone
    send_feedback(client, {"relevance": "2", "comment": ""})
    with app.app_context():
        rows = db.session.scalars(select(ChapterFeedback).where(ChapterFeedback.user_id == user.id)).all()
        assert len(rows) == 1  # one response per person and chapter, changed in place
        assert (rows[0].relevance, rows[0].accuracy, rows[0].comment) == (2, None, "")


@pytest.mark.parametrize("data, message", [
    ({"relevance": "7", "comment": "keep me"}, "Choose a rating from 1 to 5."),
    ({"comment": "x" * 2001}, "Keep the comment to 2000 characters"),
    ({"comment": "  "}, "Rate at least one aspect of the chapter, or write a comment."),
])
def test_bad_feedback_is_refused_and_what_was_typed_comes_back(app, signed_in_client, data, message):
    client, _user = signed_in_client()
    response = send_feedback(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if data["comment"].strip():
        assert data["comment"] in page
    with app.app_context():
        assert db.session.scalar(select(ChapterFeedback)) is None


def test_anonymous_readers_get_no_form_and_the_cached_page_never_carries_one(app, signed_in_client):
    anonymous = app.test_client()
    first = anonymous.get(CHAPTER).get_data(as_text=True)
    assert "chapter-feedback" not in first
    client, _user = signed_in_client()
    send_feedback(client, {**RATINGS, "comment": "A private remark 7731"})
    signed_in_page = client.get(CHAPTER).get_data(as_text=True)
    assert "A private remark 7731" in signed_in_page and 'id="chapter-feedback"' in signed_in_page
    app.extensions["emm_page_store"].clear()
    # The signed-in reader's visit must not fill the cache; the anonymous page stays form-free.
    client.get(CHAPTER)
    assert not any(key[1] == CHAPTER for key in app.extensions["emm_page_store"].pages)
    for _ in range(2):  # the first request renders and stores, the second is served from memory
        page = anonymous.get(CHAPTER).get_data(as_text=True)
        assert "chapter-feedback" not in page and "7731" not in page
    stored = [p.body.decode() for key, p in app.extensions["emm_page_store"].pages.items()]
    assert stored and not any("chapter-feedback" in body or "7731" in body for body in stored)


def test_chapter_feedback_comment_is_sanitised(app, signed_in_client):
    client, _user = signed_in_client()
    send_feedback(client, {"comment": "<script>window.__xss=1</script> [x](javascript:alert(1))"})
    page = client.get(CHAPTER).get_data(as_text=True)
    assert "<script>window.__xss" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page


def test_feedback_needs_an_account_and_a_real_chapter(client, signed_in_client):
    response = client.get(f"{CHAPTER}/feedback")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    signed, _user = signed_in_client()
    assert signed.get("/chapters/9.99/feedback").status_code == 404


# -- workshop forms ------------------------------------------------------------------------------
@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def test_forms_start_from_sensible_default_questions(app, world):
    session_form = create_form(world, "session", world.breakout_id)
    final_form = create_form(world, "final")
    organiser = world.clients["organiser"]
    page = organiser.get(f"/workshops/{world.workshop_id}/forms/{session_form}").get_data(as_text=True)
    for text in ("How useful was the chapter (2.6) for your work?",
                 "How well did the exercise help you apply the chapter?",
                 "How well was the session facilitated?", "What would you change about this session?"):
        assert text in page
    page = organiser.get(f"/workshops/{world.workshop_id}/forms/{final_form}").get_data(as_text=True)
    for text in ("Overall, how satisfied are you with the workshop?",
                 "How useful will the workshop be for your work?",
                 "How well was the workshop organised?", "What should we improve?"):
        assert text in page
    with app.app_context():
        forms = db.session.scalars(select(WorkshopForm)).all()
        assert all(f.is_anonymous and not f.is_open for f in forms)  # anonymous and closed at first
    # A second form for the same session, or a second evaluation, is refused with a message.
    base = f"/workshops/{world.workshop_id}/forms"
    response = post_form(organiser, base, {"kind": "session", "session_id": str(world.breakout_id)},
                         page=base)
    assert response.status_code == 400 and "This session already has a form." in response.get_data(as_text=True)
    response = post_form(organiser, base, {"kind": "final"}, page=base)
    assert response.status_code == 400


def test_the_organiser_edits_questions(app, world):
    form_id = create_form(world, "final")
    organiser, page = world.clients["organiser"], f"/workshops/{world.workshop_id}/forms/{form_id}"
    response = post_form(organiser, f"{page}/questions",
                         {"kind": "choice", "text": "Which day was best?", "choices": "Monday"}, page=page)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "A choice question needs 2 to 10 choices" in body
    assert 'value="Which day was best?"' in body  # what was typed comes back
    post_form(organiser, f"{page}/questions",
              {"kind": "choice", "text": "Which day was best?", "choices": "Monday\nTuesday"}, page=page)
    ids = question_ids(app, form_id)
    first, last = ids[0][0], ids[-1][0]
    post_form(organiser, f"{page}/questions/{last}", {"action": "up"}, page=page)
    post_form(organiser, f"{page}/questions/{first}",
              {"action": "save", "kind": "text", "text": "Your impressions?", "choices": ""}, page=page)
    post_form(organiser, f"{page}/questions/{ids[1][0]}", {"action": "remove"}, page=page)
    with app.app_context():
        questions = db.session.get(WorkshopForm, form_id).questions
        texts = [q.text for q in questions]
    assert texts[0] == "Your impressions?" and texts[-2] == "Which day was best?"
    assert len(texts) == len(ids) - 1


def test_participants_find_open_forms_and_answer_them_once_when_anonymous(app, world):
    form_id = create_form(world, "session", world.breakout_id)
    client, user, _letter = world.participants[0]
    mine = f"/workshops/{world.workshop_id}/mine"
    assert "feedback-forms-h" not in client.get(mine).get_data(as_text=True)  # closed: not listed
    answer_page = f"/workshops/{world.workshop_id}/forms/{form_id}/answer"
    assert "This form is closed" in client.get(answer_page).get_data(as_text=True)
    open_form(world, form_id)
    page = client.get(mine).get_data(as_text=True)
    assert answer_page in page and "waiting for your answers" in page
    scale, _ = question_ids(app, form_id)[0]
    response = answer(world, client, form_id, {f"q-{scale}": "9"})
    assert response.status_code == 400 and "Choose a rating from 1 to 5." in response.get_data(as_text=True)
    response = answer(world, client, form_id, {f"q-{scale}": "4"})
    assert response.status_code == 302
    assert "answered" in client.get(mine).get_data(as_text=True)
    again = answer(world, client, form_id, {f"q-{scale}": "1"})
    assert again.status_code == 400 and "cannot be changed" in again.get_data(as_text=True)
    with app.app_context():
        response_row = db.session.scalar(select(FormResponse))
        assert response_row.user_id is None and response_row.updated_at is None
        assert [a.scale for a in response_row.answers] == [4]
        assert db.session.scalar(select(FormReceipt.user_id)) == user.id


def test_a_named_response_can_be_changed_while_the_form_is_open(app, world):
    form_id = create_form(world, "final")
    set_anonymous(world, form_id, False)
    open_form(world, form_id)
    client, user, _letter = world.participants[0]
    ids = question_ids(app, form_id)
    scale, text = ids[0][0], next(i for i, kind in ids if kind == "text")
    answer(world, client, form_id, {f"q-{scale}": "2", f"q-{text}": "More time"})
    page = client.get(f"/workshops/{world.workshop_id}/forms/{form_id}/answer").get_data(as_text=True)
    assert "More time" in page and f'name="q-{scale}" value="2" checked' in page
    assert answer(world, client, form_id, {f"q-{scale}": "5"}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(FormResponse)).all()
        assert len(rows) == 1 and rows[0].user_id == user.id
        assert [(a.scale, a.text) for a in rows[0].answers] == [(5, None)]
    open_form(world, form_id, False)
    closed = answer(world, client, form_id, {f"q-{scale}": "1", f"q-{text}": "late words"})
    assert closed.status_code == 400 and "late words" in closed.get_data(as_text=True)


def test_answers_fix_questions_and_anonymity(app, world):
    form_id = create_form(world, "final")
    open_form(world, form_id)
    client = world.participants[0][0]
    scale = question_ids(app, form_id)[0][0]
    answer(world, client, form_id, {f"q-{scale}": "3"})
    page = f"/workshops/{world.workshop_id}/forms/{form_id}"
    organiser = world.clients["organiser"]
    response = post_form(organiser, f"{page}/questions", {"kind": "scale", "text": "New?"}, page=page)
    assert response.status_code == 400 and "can no longer change" in response.get_data(as_text=True)
    response = set_anonymous(world, form_id, False)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(WorkshopForm, form_id).is_anonymous


def test_a_session_response_is_attributed_to_the_groups_facilitator(app, world):
    form_id = create_form(world, "session", world.breakout_id)
    open_form(world, form_id)
    scale = question_ids(app, form_id)[0][0]
    for client, _user, _letter in world.participants[:1] + world.participants[-1:]:  # A and B
        answer(world, client, form_id, {f"q-{scale}": "4"})
    with app.app_context():
        rows = db.session.scalars(select(FormResponse)).all()
        found = {(r.group_id, r.facilitator_id) for r in rows}
    assert found == {(world.group_ids["A"], world.facilitators["Facilitator X"]),
                     (world.group_ids["B"], world.facilitators["Facilitator Y"])}


def test_only_the_organiser_and_administrators_manage_forms(app, world):
    form_id = create_form(world, "final")
    page = f"/workshops/{world.workshop_id}/forms/{form_id}"
    expected = {"anonymous": 302, "learner": 403, "other participant": 403, "other trainer": 404,
                "organiser": 200, "admin": 200}
    for role, status in expected.items():
        assert world.clients[role].get(page).status_code == status, role
    participant = world.participants[0][0]
    assert participant.get(page).status_code == 403
    # Answering is for the workshop's own participants only.
    open_form(world, form_id)
    answer_page = f"{page}/answer"
    for role in ("learner", "other participant", "other trainer", "admin"):
        assert world.clients[role].get(answer_page).status_code == 404, role
    assert participant.get(answer_page).status_code == 200


def test_the_dashboard_links_to_forms_reports_and_learning(world):
    page = world.clients["organiser"].get(f"/workshops/{world.workshop_id}").get_data(as_text=True)
    for url in ("/forms", "/reports", "/learning"):
        assert f"/workshops/{world.workshop_id}{url}" in page
