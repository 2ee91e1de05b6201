"""Running the seed workshop: run sheets, answers as they arrive, report-backs, the live board, the
plenary, materials, printables, the CSV import and `emm-learn demo`."""
from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select

from emm_learn.accounts.models import User
from emm_learn.curriculum.library import current_curriculum
from emm_learn.extensions import db
from emm_learn.workshops import facilitation
from emm_learn.workshops.demo import build_demo
from emm_learn.workshops.materials import MAX_MATERIAL_BYTES
from emm_learn.workshops.models import Member, Material, ReportBack, Workshop
from emm_learn.worksheets import services as worksheets
from tests.conftest import csrf_token, post_form, sign_in

DAY = date.today() + timedelta(days=14)  # a workshop still to come: its join link works


class Person:
    """Enough of a user for sign_in(): e-mail and the demo's shared password."""

    def __init__(self, user: User, password: str):
        self.id, self.email, self.password = user.id, user.email, password
        self.display_name = user.display_name


@pytest.fixture
def demo(app):
    """The seed workshop as `emm-learn demo` builds it, and who is who in it."""
    with app.app_context():
        built = build_demo(current_curriculum(), DAY)
        db.session.commit()
        workshop = built.workshop
        first, second = [s for s in workshop.sessions if s.kind == "breakout"]
        group_a, group_b = workshop.groups[0], workshop.groups[1]
        facilitator_a = facilitation.cell_facilitator(first, group_a).user
        facilitator_b = facilitation.cell_facilitator(first, group_b).user
        facilitator_d = facilitation.cell_facilitator(first, workshop.groups[3]).user
        members = {g.name: [m.user for m in facilitation.group_members(workshop, g)]
                   for g in workshop.groups}
        people = {
            "organiser": Person(built.organiser, built.password),
            "facilitator A": Person(facilitator_a, built.password),
            "facilitator B": Person(facilitator_b, built.password),
            "facilitator D": Person(facilitator_d, built.password),
            "participant A": Person(members["Group A"][0], built.password),
            "participant B": Person(members["Group B"][0], built.password),
            "participant D": Person(members["Group D"][0], built.password),
            "admin": Person(db.session.scalar(select(User).where(User.role == "admin")), built.password),
        }
        ids = {"workshop": workshop.id, "first": first.id, "second": second.id,
               "A": group_a.id, "B": group_b.id, "D": workshop.groups[3].id,
               "code": workshop.join_code}
    return people, ids


def client_for(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def run_sheet_url(ids, session="first", group="A") -> str:
    return f"/workshops/{ids['workshop']}/sessions/{ids[session]}/groups/{ids[group]}"


def test_demo_builds_the_seed_workshop(app, demo):
    _people, ids = demo
    with app.app_context():
        workshop = db.session.get(Workshop, ids["workshop"])
        assert len(workshop.members) == 40 and len(workshop.facilitators) == 10
        assert [g.name for g in workshop.groups] == [f"Group {x}" for x in "ABCDE"]
        for member in workshop.members:
            assert member.group and member.language_set & member.group.room.language_set
        assert [s.kind for s in workshop.sessions] == ["plenary", "breakout", "breakout", "plenary"]
        assert [s.chapter_numbers for s in workshop.sessions[1:3]] == [["2.6"], ["3.12"]]
        assert services_grid_is_clean(workshop)
        statuses = sorted(r.status for r in db.session.scalars(select(ReportBack)))
        assert statuses == ["draft", "ready", "ready"]


def services_grid_is_clean(workshop) -> bool:
    from emm_learn.workshops import services
    grid = services.rotation_grid(workshop)
    return not grid.issues and len(grid.cells) == 10


def test_demo_refuses_a_database_with_accounts(app, make_user):
    from emm_learn.workshops.demo import NotEmpty
    make_user()
    with app.app_context(), pytest.raises(NotEmpty):
        build_demo(current_curriculum(), DAY)


def test_facilitator_run_sheet_has_everything_for_the_session(app, demo):
    people, ids = demo
    client = client_for(app, people["facilitator A"])
    html = client.get(run_sheet_url(ids)).get_data(as_text=True)
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
        workshop = db.session.get(Workshop, ids["workshop"])
        session = next(s for s in workshop.sessions if s.id == ids["first"])
        exercise = chapter.exercise(session.items[0].exercise_anchor)
        roster = [m.user.display_name for m in workshop.members if m.group_id == ids["A"]]
        exercise_title, prompts = exercise.title, [p.html for p in exercise.prompts]
    assert chapter.guiding_questions[0].html in html and chapter.key_messages[0].html in html
    assert exercise_title in html and all(p in html for p in prompts)
    assert "11:00–" in html and "–13:00" in html  # the plan on the session's clock
    assert "data-block-start" in html and "Facilitator notes" in html
    assert all(name in html for name in roster)
    assert "of %d have answered" % len(roster) in html
    assert 'name="text"' in html and "Mark ready for plenary" in html


def test_answers_arrive_on_the_run_sheet_without_a_reload(app, demo):
    people, ids = demo
    participant = people["participant A"]
    with app.app_context():
        user = db.session.get(User, participant.id)
        workshop = db.session.get(Workshop, ids["workshop"])
        session = next(s for s in workshop.sessions if s.id == ids["first"])
        chapter, exercise = facilitation.session_exercises(session, current_curriculum())[0]
        existing = worksheets.find_answer(user, chapter.number, exercise.anchor, 1)
        worksheets.save_answer(user, chapter, exercise, 1, "Our **brand-new** answer <script>",
                               existing.version if existing else 0)
        db.session.commit()
    client = client_for(app, people["facilitator A"])
    fragment = client.get(run_sheet_url(ids) + "/answers").get_data(as_text=True)
    assert "<strong>brand-new</strong>" in fragment and "<script>" not in fragment
    assert "<html" not in fragment  # only the part the page swaps in


def test_report_back_goes_from_draft_to_the_plenary(app, demo):
    people, ids = demo
    client = client_for(app, people["facilitator D"])
    url = run_sheet_url(ids, group="D")
    plenary = f"/workshops/{ids['workshop']}/sessions/{ids['first']}/plenary"
    post_form(client, url + "/report-back", {"text": "- Fees *must* go\n- Data gaps", "ready": "no",
                                             "version": "0"}, page=url)
    assert "Fees" not in client.get(plenary).get_data(as_text=True)
    response = post_form(client, url + "/report-back", {"text": "- Fees *must* go\n- Data gaps",
                                                        "ready": "yes", "version": "1"}, page=url)
    assert response.status_code == 302
    participant = client_for(app, people["participant D"])
    html = participant.get(plenary).get_data(as_text=True)
    assert "<em>must</em>" in html and "Data gaps" in html


def test_a_report_back_saved_meanwhile_is_not_overwritten(app, demo):
    people, ids = demo
    url = run_sheet_url(ids, group="D")
    organiser = client_for(app, people["organiser"])
    facilitator = client_for(app, people["facilitator D"])
    post_form(organiser, url + "/report-back", {"text": "Points from the organiser", "ready": "no",
                                                "version": "0"}, page=url)
    response = post_form(facilitator, url + "/report-back", {"text": "Points from the facilitator",
                                                             "ready": "no", "version": "0"}, page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Points from the facilitator" in html and "Points from the organiser" in html
    with app.app_context():
        back = db.session.scalar(select(ReportBack).where(ReportBack.group_id == ids["D"],
                                                          ReportBack.session_id == ids["first"]))
        assert back.text == "Points from the organiser"


def test_marking_an_empty_report_back_ready_is_explained(app, demo):
    people, ids = demo
    client = client_for(app, people["facilitator D"])
    url = run_sheet_url(ids, group="D")
    response = post_form(client, url + "/report-back", {"text": "  ", "ready": "yes", "version": "0"},
                         page=url)
    assert response.status_code == 400 and "before marking them ready" in response.get_data(as_text=True)


def test_participants_see_their_own_group_only_and_no_one_elses_answers(app, demo):
    people, ids = demo
    client = client_for(app, people["participant A"])
    own = client.get(run_sheet_url(ids))
    html = own.get_data(as_text=True)
    assert own.status_code == 200 and "Answer on your worksheet" in html
    assert "Facilitator notes" not in html and "have answered" not in html
    assert client.get(run_sheet_url(ids, group="B")).status_code == 404
    assert client.get(run_sheet_url(ids) + "/answers").status_code == 404
    other_facilitator = client_for(app, people["facilitator B"])
    assert other_facilitator.get(run_sheet_url(ids)).status_code == 404


def test_live_board_shows_every_room(app, demo):
    people, ids = demo
    client = client_for(app, people["organiser"])
    html = client.get(f"/workshops/{ids['workshop']}/sessions/{ids['first']}/board").get_data(as_text=True)
    with app.app_context():
        workshop = db.session.get(Workshop, ids["workshop"])
        session = next(s for s in workshop.sessions if s.id == ids["first"])
        board = [(r.group.name, r.facilitator.user.display_name, r.answered, r.members)
                 for r in facilitation.live_board(workshop, session, current_curriculum())]
    for group, facilitator, answered, members in board:
        assert group in html and facilitator in html and f"{answered} of {members}" in html
    assert sum(answered for _g, _f, answered, _m in board) > 0
    assert html.count("badge-ready") == 2 and "draft" in html
    now = client.get(f"/workshops/{ids['workshop']}/board")
    assert now.status_code == 302 and "/board" in now.headers["Location"]


def test_participant_home_shows_group_sessions_and_next_facilitator(app, demo):
    people, ids = demo
    client = client_for(app, people["participant A"])
    html = client.get(f"/workshops/{ids['workshop']}/mine").get_data(as_text=True)
    assert "Group A, in Room A" in html and "Europe/Zurich" in html
    assert "Migration and Labour" in html and "11:00–13:00" in html
    with app.app_context():
        facilitator = db.session.get(User, people["facilitator A"].id).display_name
    assert facilitator in html
    assert re.search(r'href="/chapters/2\.6#[a-z0-9-]+"', html)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, ids, filename, data, title="", page=None):
    page = page or f"/workshops/{ids['workshop']}"
    response = client.post(f"/workshops/{ids['workshop']}/materials", data={
        "csrf_token": csrf_token(client, page), "title": title, "session_id": str(ids["first"]),
        "file": (BytesIO(data), filename)}, content_type="multipart/form-data")
    # The test client spools a large request body to a temporary file and leaves it open.
    response.request.environ["wsgi.input"].close()
    return response


def test_materials_are_for_the_workshops_people_only(app, demo, make_user, tmp_path):
    people, ids = demo
    organiser = client_for(app, people["organiser"])
    response = upload(organiser, ids, "Labour slides.pdf", PDF, "Slides on labour")
    assert response.status_code == 302
    with app.app_context():
        material = db.session.scalar(select(Material))
        stored = material.stored_name
        assert material.content_type == "application/pdf" and material.size == len(PDF)
    participant = client_for(app, people["participant B"])
    html = participant.get(f"/workshops/{ids['workshop']}/mine").get_data(as_text=True)
    assert "Slides on labour" in html
    download = participant.get(f"/workshops/{ids['workshop']}/materials/{material.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    download.close()
    assert (Path(app.instance_path) / "materials" / stored).read_bytes() == PDF
    outsider = app.test_client()
    sign_in(outsider, make_user())
    assert outsider.get(f"/workshops/{ids['workshop']}/materials/{material.id}").status_code == 404


@pytest.mark.parametrize("filename,data,message", [
    ("page.html", b"<html><script>alert(1)</script>", "content must match its extension"),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", "content must match its extension"),
    ("empty.pdf", b"", "The file is empty"),
])
def test_unsafe_or_broken_files_are_refused_with_a_reason(app, demo, filename, data, message):
    people, ids = demo
    organiser = client_for(app, people["organiser"])
    response = upload(organiser, ids, filename, data, "Kept title")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'value="Kept title"' in html
    with app.app_context():
        assert db.session.scalar(select(Material)) is None


def test_a_file_over_the_limit_is_refused(app, demo):
    people, ids = demo
    organiser = client_for(app, people["organiser"])
    folder = Path(app.instance_path) / "materials"
    files_before = set(folder.glob("*")) if folder.exists() else set()
    just_over = upload(organiser, ids, "big.pdf", PDF + b"0" * MAX_MATERIAL_BYTES)
    assert just_over.status_code == 400 and "larger than 20 MB" in just_over.get_data(as_text=True)
    far_over = upload(organiser, ids, "huge.pdf", PDF + b"0" * (30 * 1024 * 1024))
    assert far_over.status_code == 413
    with app.app_context():
        assert db.session.scalar(select(Material)) is None
    assert set(folder.glob("*")) == files_before  # no partial file left behind


def test_printables(app, demo):
    people, ids = demo
    organiser = client_for(app, people["organiser"])
    base = f"/workshops/{ids['workshop']}/print"
    agenda = organiser.get(f"{base}/agenda").get_data(as_text=True)
    assert "Opening and the EMM at a glance" in agenda and "15:00–17:00" in agenda
    signs = organiser.get(f"{base}/room-signs").get_data(as_text=True)
    assert signs.count('class="print-page room-sign"') == 5
    sign_a = signs[signs.index('<p class="sign-group">Group A</p>'):].split("</section>")[0]
    assert '<p class="sign-room">Room A</p>' in sign_a
    assert re.search(r'<p class="sign-languages"><span lang="en">English</span>, '
                     r'<span lang="es">Español</span>, <span lang="fr">Français</span></p>', sign_a)
    rosters = organiser.get(f"{base}/rosters").get_data(as_text=True)
    assert rosters.count("<tr><td>") == 40
    schedules = organiser.get(f"{base}/facilitators").get_data(as_text=True)
    assert schedules.count('class="print-page"') == 10
    cards = organiser.get(f"{base}/cards").get_data(as_text=True)
    assert cards.count('class="participant-card"') == 40 and f"/join/{ids['code']}" in cards
    participant = client_for(app, people["participant A"])
    assert participant.get(f"{base}/agenda").status_code == 200
    assert participant.get(f"{base}/cards").status_code == 404


CSV_TEXT = ("name;email;organisation;country;languages\n"
            "Ana Pérez;ana@example.org;Ministerio del Interior;Peru;es, en\n"
            "Broken Row;not-an-email;;;en\n"
            "Jean Dupont;jean@example.org;Police aux frontières;France;français\n"
            "Ana Again;ANA@example.org;;;klingon\n")


def test_csv_import_previews_row_errors_before_saving(app, demo):
    people, ids = demo
    organiser = client_for(app, people["organiser"])
    url = f"/workshops/{ids['workshop']}/participants/import"
    response = post_form(organiser, url, {"text": CSV_TEXT}, page=url)
    html = response.get_data(as_text=True)
    assert "nothing has been saved yet" in html and "2 of 4 rows can be imported" in html
    assert "is not an e-mail address" in html and "same e-mail address is on line 2" in html
    assert "unknown language" in html
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "ana@example.org")) is None
    response = post_form(organiser, url + "/confirm", {"text": CSV_TEXT}, page=url)
    assert response.status_code == 302
    with app.app_context():
        ana = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        member = db.session.scalar(select(Member).where(Member.user_id == ana.id))
        assert member.languages == "en,es" and member.country == "Peru"
        jean = db.session.scalar(select(User).where(User.email == "jean@example.org"))
        assert db.session.scalar(select(Member).where(Member.user_id == jean.id)).languages == "fr"


def test_an_imported_participant_gets_in_with_the_link_on_their_card(app, demo):
    people, ids = demo
    organiser = client_for(app, people["organiser"])
    url = f"/workshops/{ids['workshop']}/participants/import"
    post_form(organiser, url + "/confirm", {"text": CSV_TEXT}, page=url)
    cards = organiser.get(f"/workshops/{ids['workshop']}/print/cards").get_data(as_text=True)
    link = re.search(r"http://localhost(/account/welcome/\d+/[0-9a-f]+\?next=[^<\s]+)", cards)[1]
    link = link.replace("&amp;", "&").replace("%2F", "/")
    newcomer = app.test_client()
    form = newcomer.get(link)
    assert "Choose a password" in form.get_data(as_text=True)
    response = post_form(newcomer, link, {"new_password": "harbour lantern meadow",
                                          "confirm_password": "harbour lantern meadow"}, page=link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/mine")
    assert newcomer.get(f"/workshops/{ids['workshop']}/mine").status_code == 200
    again = app.test_client().get(link)  # used: the link no longer works
    assert again.status_code == 404 and "no longer works" in again.get_data(as_text=True)


def test_the_join_link_lets_a_newcomer_register_while_registration_is_closed(app, demo):
    _people, ids = demo
    client = app.test_client()
    closed = client.get("/account/register")
    assert closed.status_code == 403
    page = f"/account/register?next=/join/{ids['code']}"
    assert client.get(page).status_code == 200
    response = post_form(client, page, {"email": "walk-in@example.org", "display_name": "Walk In",
                                        "password": "compass bridge summit", "next": f"/join/{ids['code']}"},
                         page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/join/{ids['code']}")
    assert client.get("/account/register?next=/join/NOSUCHCODE").status_code == 403


# -- every workshop route with every role ----------------------------------------------------------
EVERYONE = {"learner", "trainer", "participant A", "participant B", "facilitator A", "facilitator B",
            "organiser", "admin"}
TRAINERS = {"trainer", "facilitator A", "facilitator B", "organiser", "admin"}
ORGANISERS = {"organiser", "admin"}
PEOPLE = ORGANISERS | {"participant A", "participant B", "facilitator A", "facilitator B"}
WHO_MAY = {
    "index": EVERYONE, "create": TRAINERS, "join_by_code": EVERYONE, "join": EVERYONE,
    "mine": {"participant A", "participant B"}, "facilitate": {"facilitator A", "facilitator B"},
    "run_sheet": ORGANISERS | {"facilitator A", "participant A"},
    "group_answers": ORGANISERS | {"facilitator A"}, "group_answers_csv": ORGANISERS | {"facilitator A"},
    "save_report_back": ORGANISERS | {"facilitator A"},
    "plenary": PEOPLE, "download_material": PEOPLE, "print_agenda": PEOPLE,
}  # every other workshop route: the organiser and administrators only


def workshop_url(app, rule, ids, material_id) -> str:
    from flask import url_for
    values = {"workshop_id": ids["workshop"], "session_id": ids["first"], "group_id": ids["A"],
              "material_id": material_id, "code": ids["code"]}
    with app.test_request_context():
        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def new_material(app, workshop_id: int) -> int:
    with app.app_context():
        material = Material(workshop_id=workshop_id, title="Slides", filename="slides.pdf",
                            stored_name=__import__("secrets").token_hex(16),
                            content_type="application/pdf", size=len(PDF))
        db.session.add(material)
        db.session.commit()
        (Path(app.instance_path) / "materials").mkdir(exist_ok=True)
        (Path(app.instance_path) / "materials" / material.stored_name).write_bytes(PDF)
        return material.id


def test_every_workshop_route_with_every_role(app, demo, make_user):
    people, ids = demo
    people = {role: person for role, person in people.items() if not role.endswith(" D")}
    people.update(learner=make_user("learner"), trainer=make_user("trainer"))
    clients = {role: client_for(app, person) for role, person in people.items()}
    clients["anonymous"] = app.test_client()
    material_id = new_material(app, ids["workshop"])
    failures = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("workshops."):
            continue
        allowed = WHO_MAY.get(rule.endpoint.split(".", 1)[1], ORGANISERS)
        for role, client in clients.items():
            target = new_material(app, ids["workshop"]) if "delete" in rule.endpoint else material_id
            url = workshop_url(app, rule, ids, target)
            if "POST" in rule.methods:
                token = csrf_token(client, "/account/sign-in" if role == "anonymous" else "/progress")
                response = client.post(url, data={"csrf_token": token})
            else:
                response = client.get(url)
            status = response.status_code
            response.close()
            to_sign_in = status == 302 and "/account/sign-in" in response.headers.get("Location", "")
            if role == "anonymous":
                ok = to_sign_in
            elif role in allowed:
                ok = status not in (401, 403, 404) and not to_sign_in
            else:
                ok = status in (403, 404)
            if not ok:
                failures.append(f"{rule.endpoint} {url} as {role}: {status}")
    assert failures == []
