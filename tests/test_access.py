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
ACCESS = {
    "static": PUBLIC,
    "curriculum.health": PUBLIC,
    "curriculum.home": PUBLIC,
    "curriculum.volume": PUBLIC,
    "curriculum.print_volume": PUBLIC,
    "curriculum.volume_key_messages": PUBLIC,
    "curriculum.chapter": PUBLIC,
    "curriculum.glossary": PUBLIC,
    "accounts.sign_in": PUBLIC,
    "accounts.sign_out": PUBLIC,
    "accounts.register": PUBLIC,
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
    "admin.users": ADMIN,
    "admin.create_user": ADMIN,
    "admin.change_role": ADMIN,
    "admin.change_active": ADMIN,
    "admin.temporary_password": ADMIN,
    "admin.registration": ADMIN,
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
              "code": target.join_code}
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
    return target


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
