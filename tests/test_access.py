"""Who may reach what: every route of the app, with every role, with each of its methods.

A new route fails this test until it is given an entry in ACCESS."""
from __future__ import annotations

import pytest

from emm_learn.accounts import services
from emm_learn.curriculum.library import current_curriculum
from emm_learn.extensions import db
from tests.conftest import csrf_token, sign_in

PUBLIC, SIGNED_IN, ADMIN, SETUP = "public", "signed in", "admin", "setup link"
# Routes that name another user's answer by id: nobody else may reach it, administrators included.
OTHERS_ANSWER = "another user's answer"
TRAINER = "trainer"
# A workshop organised by another trainer: learners 403, other trainers 404, administrators in.
OTHERS_WORKSHOP = "another trainer's workshop"
# A participant's own view of a workshop they have not joined: 404 for everyone.
NOT_A_MEMBER = "not a member"
# A page of a workshop for its own people only (participants, facilitators, organiser): anyone
# else signed in gets 404, learners included; administrators see every workshop.
WORKSHOP_PEOPLE = "a workshop's own people"
# Changing a learning path another trainer composed: 403 for everyone but administrators.
OTHERS_PATH = "another trainer's learning path"
ACCESS = {
    "static": PUBLIC,
    "curriculum.health": PUBLIC,
    "curriculum.home": PUBLIC,
    "curriculum.volume": PUBLIC,
    "curriculum.print_volume": PUBLIC,
    "curriculum.volume_key_messages": PUBLIC,
    "curriculum.chapter": PUBLIC,
    "curriculum.glossary": PUBLIC,
    "curriculum.side_by_side": PUBLIC,
    "curriculum.choose_language": PUBLIC,
    "search.results": PUBLIC,
    "accounts.sign_in": PUBLIC,
    "accounts.sign_out": PUBLIC,
    "accounts.register": PUBLIC,
    "accounts.welcome": PUBLIC,
    "accounts.change_password": SIGNED_IN,
    "accounts.first_admin": SETUP,
    "progress.mark_section": SIGNED_IN,
    "progress.record_section": SIGNED_IN,
    "progress.overview": SIGNED_IN,
    "progress.export_csv": SIGNED_IN,
    "worksheets.save_exercise": SIGNED_IN,
    "worksheets.autosave": SIGNED_IN,
    "worksheets.history": OTHERS_ANSWER,
    "worksheets.restore": OTHERS_ANSWER,
    "worksheets.compare": OTHERS_ANSWER,
    "worksheets.resolve": OTHERS_ANSWER,
    "worksheets.overview": SIGNED_IN,
    "worksheets.export_chapter_markdown": SIGNED_IN,
    "worksheets.export_all_markdown": SIGNED_IN,
    "worksheets.export_chapter_csv": SIGNED_IN,
    "worksheets.export_all_csv": SIGNED_IN,
    "worksheets.print_chapter": SIGNED_IN,
    "worksheets.print_all": SIGNED_IN,
    "workshops.index": SIGNED_IN,
    "workshops.create": TRAINER,
    "workshops.dashboard": OTHERS_WORKSHOP,
    "workshops.add_room": OTHERS_WORKSHOP,
    "workshops.add_group": OTHERS_WORKSHOP,
    "workshops.add_session": OTHERS_WORKSHOP,
    "workshops.add_facilitator": OTHERS_WORKSHOP,
    "workshops.assign": OTHERS_WORKSHOP,
    "workshops.move": OTHERS_WORKSHOP,
    "workshops.propose_rotation": OTHERS_WORKSHOP,
    "workshops.set_cell": OTHERS_WORKSHOP,
    "workshops.join_by_code": SIGNED_IN,
    "workshops.join": SIGNED_IN,
    "workshops.mine": NOT_A_MEMBER,
    "workshops.facilitate": NOT_A_MEMBER,
    "workshops.run_sheet": WORKSHOP_PEOPLE,
    "workshops.group_answers": WORKSHOP_PEOPLE,
    "workshops.group_answers_csv": WORKSHOP_PEOPLE,
    "workshops.save_report_back": WORKSHOP_PEOPLE,
    "workshops.board_now": WORKSHOP_PEOPLE,
    "workshops.board": WORKSHOP_PEOPLE,
    "workshops.board_rooms": WORKSHOP_PEOPLE,
    "workshops.plenary": WORKSHOP_PEOPLE,
    "workshops.upload_material": WORKSHOP_PEOPLE,
    "workshops.delete_material": WORKSHOP_PEOPLE,
    "workshops.download_material": WORKSHOP_PEOPLE,
    "workshops.print_agenda": WORKSHOP_PEOPLE,
    "workshops.print_room_signs": WORKSHOP_PEOPLE,
    "workshops.print_rosters": WORKSHOP_PEOPLE,
    "workshops.print_facilitators": WORKSHOP_PEOPLE,
    "workshops.print_cards": WORKSHOP_PEOPLE,
    "workshops.import_participants": WORKSHOP_PEOPLE,
    "workshops.confirm_import": WORKSHOP_PEOPLE,
    "paths.index": SIGNED_IN,
    "paths.show": SIGNED_IN,
    "paths.start": SIGNED_IN,
    "paths.stop": SIGNED_IN,
    "paths.create": TRAINER,
    "paths.copy": TRAINER,
    "paths.edit": OTHERS_PATH,
    "paths.add_step": OTHERS_PATH,
    "paths.update_steps": OTHERS_PATH,
    "paths.delete": OTHERS_PATH,
    "paths.set_prereading": OTHERS_WORKSHOP,
    "admin.users": ADMIN,
    "admin.create_user": ADMIN,
    "admin.change_role": ADMIN,
    "admin.change_active": ADMIN,
    "admin.temporary_password": ADMIN,
    "admin.registration": ADMIN,
    "feedback.chapter_feedback": SIGNED_IN,
    "feedback.forms": OTHERS_WORKSHOP,
    "feedback.create_form": OTHERS_WORKSHOP,
    "feedback.edit_form": OTHERS_WORKSHOP,
    "feedback.form_settings": OTHERS_WORKSHOP,
    "feedback.form_state": OTHERS_WORKSHOP,
    "feedback.add_question": OTHERS_WORKSHOP,
    "feedback.change_question": OTHERS_WORKSHOP,
    "feedback.answer_form": NOT_A_MEMBER,
    "reports.workshop": OTHERS_WORKSHOP,
    "reports.form_report": OTHERS_WORKSHOP,
    "reports.form_report_csv": OTHERS_WORKSHOP,
    "reports.form_comments_csv": OTHERS_WORKSHOP,
    "reports.workshop_learning": OTHERS_WORKSHOP,
    "reports.workshop_learning_csv": OTHERS_WORKSHOP,
    "reports.chapters": ADMIN,
    "reports.chapters_csv": ADMIN,
    "reports.chapter": ADMIN,
    "reports.chapter_comments_csv": ADMIN,
    "reports.learning_overview": TRAINER,
    "reports.learning_csv": TRAINER,
}
ROLES = ("anonymous", "learner", "trainer", "admin")


def test_every_route_has_an_access_rule(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(ACCESS)


def sample_url(app, rule, target) -> str:
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
    anchor = chapter.exercises[0].anchor if rule.endpoint.startswith("worksheets.") \
        else chapter.sections[0].anchor
    values = {"number": "2.6", "anchor": anchor, "user_id": target.id, "token": "not-a-token",
              "filename": "css/app.css", "prompt": 1, "answer_id": target.answer_id,
              "revision_id": target.revision_id, "workshop_id": target.workshop_id,
              "code": target.join_code, "form_id": target.form_id,
              "session_id": target.session_id, "group_id": target.group_id,
              "material_id": target.material_id,
              "question_id": target.question_id, "slug": target.path_slug, "language": "es"}
    if rule.endpoint == "workshops.delete_material":  # deleting must not take the file others fetch
        values["material_id"] = target.spare_material_id
    if rule.endpoint in ("curriculum.volume", "curriculum.print_volume",
                         "curriculum.volume_key_messages"):
        values["number"] = 2
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


@pytest.fixture
def clients(app, make_user):
    with app.app_context():
        services.set_registration_open(True)
        db.session.commit()
    users = {role: make_user(role) for role in ROLES[1:]}
    return users


def request_as(app, users, role, method, url):
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, users[role])
    with app.app_context():
        data = {"section": current_curriculum().chapter("2.6").sections[0].anchor,
                "text": "an answer", "version": "0", "answer-1": "an answer"}
    if method == "POST":
        data["csrf_token"] = csrf_token(client, "/progress" if role != "anonymous" else "/account/sign-in")
    return client.open(url, method=method, data=data)


def learner_with_an_answer(app, make_user):
    from emm_learn.accounts.models import User
    from emm_learn.worksheets import services as worksheets
    target = make_user("learner")
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
        user = db.session.get(User, target.id)
        result = worksheets.save_answer(user, chapter, chapter.exercises[0], 1, "my private answer", 0)
        db.session.flush()
        target.answer_id = result.answer.id
        target.revision_id = worksheets.revisions(result.answer)[0].id
        db.session.commit()
    organiser = make_user("trainer")
    with app.app_context():
        from datetime import date
        from emm_learn.workshops.models import Workshop
        workshop = Workshop(title="Someone else's workshop", venue="Geneva", starts_on=date(2026, 12, 1),
                            ends_on=date(2026, 12, 1), timezone="Europe/Zurich", languages="en",
                            join_code="ACCESS23", organiser_id=organiser.id)
        db.session.add(workshop)
        db.session.commit()
        target.workshop_id, target.join_code = workshop.id, workshop.join_code
        add_a_breakout_and_a_file(app, workshop, target)
        from emm_learn.feedback.models import FormQuestion, WorkshopForm
        form = WorkshopForm(workshop_id=workshop.id, kind="final", title="Evaluation", is_open=True,
                            questions=[FormQuestion(position=0, kind="scale", text="Satisfied?")])
        db.session.add(form)
        db.session.commit()
        target.form_id, target.question_id = form.id, form.questions[0].id
        from emm_learn.learning_paths.models import LearningPath, PathStep
        path = LearningPath(slug="accesspath01", owner_id=organiser.id, title="Someone else's path",
                            audience="Officials", steps=[PathStep(position=1, kind="chapter",
                                                                  chapter_number="2.6")])
        db.session.add(path)
        db.session.commit()
        target.path_slug = path.slug
    return target


def add_a_breakout_and_a_file(app, workshop, target) -> None:
    """Enough of a workshop that every workshop page exists for the administrator."""
    from datetime import datetime
    from pathlib import Path
    from emm_learn.workshops.models import BreakoutGroup, Material, Room, WorkshopSession
    room = Room(workshop_id=workshop.id, name="Room A", capacity=10, languages="en")
    db.session.add(room)
    db.session.flush()
    group = BreakoutGroup(workshop_id=workshop.id, name="Group A", room_id=room.id)
    session = WorkshopSession(workshop_id=workshop.id, title="Break-out", kind="breakout",
                              starts_at=datetime(2026, 12, 1, 11), ends_at=datetime(2026, 12, 1, 13))
    material, spare = (Material(workshop_id=workshop.id, title="Slides", filename="slides.pdf",
                                stored_name=name, content_type="application/pdf", size=9)
                       for name in ("access0slides", "access0spare"))
    db.session.add_all([group, session, material, spare])
    db.session.commit()
    folder = Path(app.instance_path) / "materials"
    folder.mkdir(exist_ok=True)
    (folder / "access0slides").write_bytes(b"%PDF-1.4\n")
    target.session_id, target.group_id, target.material_id = session.id, group.id, material.id
    target.spare_material_id = spare.id


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, clients, make_user, role):
    target = learner_with_an_answer(app, make_user)
    failures = []
    for rule in app.url_map.iter_rules():
        rule_access = ACCESS[rule.endpoint]
        url = sample_url(app, rule, target)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = request_as(app, clients, role, method, url)
            response.close()  # static files are streamed: release the file handle
            status = response.status_code
            to_sign_in = status == 302 and "/account/sign-in" in response.headers["Location"]
            if rule_access == PUBLIC:
                ok = status != 403 and not to_sign_in  # (sign-in answers 401 to empty credentials)
            elif rule_access == SETUP:
                ok = status == 404  # accounts exist, so no set-up link works any more
            elif role == "anonymous":
                ok = to_sign_in or status == 401
            elif rule_access == OTHERS_ANSWER:
                ok = status == 404 and "my private answer" not in response.get_data(as_text=True)
            elif rule_access == NOT_A_MEMBER:
                ok = status == 404
            elif rule_access == WORKSHOP_PEOPLE:
                ok = (status not in (401, 403, 404) if role == "admin"
                      else status == 404 and "ACCESS23" not in response.get_data(as_text=True))
            elif rule_access == OTHERS_WORKSHOP:
                body = response.get_data(as_text=True)
                if role == "admin":
                    ok = status not in (401, 403, 404)
                else:
                    ok = status == (403 if role == "learner" else 404) and "ACCESS23" not in body
            elif rule_access == TRAINER:
                ok = status == 403 if role == "learner" else status not in (401, 403, 404)
            elif rule_access == SIGNED_IN or role == "admin":
                ok = status not in (401, 403, 404) and not to_sign_in
            else:
                ok = status == 403
            if not ok:
                failures.append(f"{method} {url} as {role}: {status}")
    assert failures == []
