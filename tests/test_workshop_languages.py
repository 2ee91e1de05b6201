"""Worksheets and workshops in three languages (issue 11): answers keep the language they are
written in, everywhere they are shown or exported; run sheets follow the facilitator's language;
room signs, the agenda and participant cards print in every language of their readers."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pytest
from flask_babel import force_locale, gettext
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from emm_learn import create_app
from emm_learn.curriculum.library import current_curriculum
from emm_learn.i18n import format_day
from emm_learn.database import MIGRATIONS_DIR
from emm_learn.extensions import db
from emm_learn.accounts.models import User
from emm_learn.workshops.models import ReportBack, Workshop
from emm_learn.worksheets import services as worksheets
from emm_learn.worksheets.models import Answer, AnswerRevision
from tests.conftest import post_form
from tests.test_migrations import empty_database_url  # noqa: F401 (a fixture)
from tests.test_workshop_running import client_for, demo, run_sheet_url  # noqa: F401 (fixture)

SPANISH_ANSWER = ("Nuestro ministerio **coordina** con tres agencias.\n\n"
                  "- Ley de 2019\n- Sin datos fiables")


@pytest.fixture
def exercise(app):
    with app.app_context():
        return current_curriculum().chapter("2.6").exercises[0]


def save_form(client, exercise, answers: dict[int, str], languages: dict[int, str],
              versions: dict[int, int] | None = None):
    data = {f"answer-{n}": value for n, value in answers.items()}
    data.update({f"version-{n}": str((versions or {}).get(n, 0)) for n in answers})
    data.update({f"language-{n}": code for n, code in languages.items()})
    return post_form(client, f"/worksheets/2.6/{exercise.anchor}", data, page="/chapters/2.6")


def autosave(client, exercise, prompt: int, value: str, version: int, language: str | None = None):
    data = {"text": value, "version": str(version)}
    if language is not None:
        data["language"] = language
    return post_form(client, f"/worksheets/2.6/{exercise.anchor}/{prompt}", data,
                     page="/chapters/2.6", headers={"Accept": "application/json"})


def stored_answer(app, user_id: int, prompt: int = 1) -> Answer:
    with app.app_context():
        return db.session.scalar(select(Answer).where(Answer.user_id == user_id,
                                                      Answer.prompt_number == prompt))


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def words(app, reader: str, message: str, **variables) -> str:
    """An interface string as a reader of that language sees it."""
    with app.test_request_context(), force_locale(reader):
        return gettext(message, **variables)


# -- answers keep their language -----------------------------------------------------------------
def test_the_language_chosen_for_an_answer_is_saved_and_shown_with_it(app, signed_in_client, exercise):
    client, user = signed_in_client()
    assert save_form(client, exercise, {1: SPANISH_ANSWER, 2: "In English."},
                     {1: "es", 2: "en"}).status_code == 302
    answer = stored_answer(app, user.id)
    assert (answer.text, answer.language) == (SPANISH_ANSWER, "es")
    with app.app_context():
        revision = db.session.scalar(select(AnswerRevision).where(AnswerRevision.answer_id == answer.id))
        assert revision.language == "es"
    html = client.get("/chapters/2.6").get_data(as_text=True)
    box = f"answer-{exercise.anchor}-1"
    assert re.search(rf'<textarea id="{box}"[^>]* lang="es"', html)
    assert re.search(rf'<select id="{box}-language" name="language-1"[^>]*>.*?'
                     r'<option value="es" lang="es" selected>Español</option>', html, re.S)
    assert '<div class="answer-rendered" lang="es"><p>Nuestro ministerio <strong>coordina' in html


def test_a_new_answer_defaults_to_the_page_language(app, signed_in_client, exercise):
    client, user = signed_in_client()
    html = client.get("/chapters/2.6?lang=fr").get_data(as_text=True)
    assert re.search(r'name="language-1"[^>]*>.*?<option value="fr" lang="fr" selected>',
                     html, re.S)
    assert re.search(rf'<textarea id="answer-{exercise.anchor}-1"[^>]* lang="fr"', html)


def test_autosave_keeps_the_language_and_a_new_language_is_a_new_version(app, signed_in_client,
                                                                          exercise):
    client, user = signed_in_client()
    assert autosave(client, exercise, 1, "Premier jet.", 0, "fr").json["version"] == 1
    assert autosave(client, exercise, 1, "Premier jet, revu.", 1).json["version"] == 2
    assert stored_answer(app, user.id).language == "fr"  # unsaid: kept
    assert autosave(client, exercise, 1, "Premier jet, revu.", 2, "es").json["version"] == 3
    answer = stored_answer(app, user.id)
    assert (answer.text, answer.language) == ("Premier jet, revu.", "es")
    history = client.get(f"/worksheets/answers/{answer.id}/history").get_data(as_text=True)
    assert history.count('<div class="answer-rendered" lang="fr">') == 2
    assert history.count('<div class="answer-rendered" lang="es">') == 1


def test_a_language_the_platform_does_not_offer_is_not_recorded(app, signed_in_client, exercise):
    client, user = signed_in_client()
    save_form(client, exercise, {1: "Texto."}, {1: "xx\" onmouseover=\"alert(1)"})
    assert stored_answer(app, user.id).language is None


def test_an_answer_saved_before_languages_were_recorded_stays_unknown(app, signed_in_client,
                                                                     exercise):
    client, user = signed_in_client()
    save_form(client, exercise, {1: "An old answer."}, {})
    assert stored_answer(app, user.id).language is None
    html = client.get("/chapters/2.6").get_data(as_text=True)
    assert re.search(r'name="language-1"[^>]*>\s*<option value="" selected>not stated</option>', html)
    assert '<div class="answer-rendered" lang="">' in html  # lang="": language unknown
    save_form(client, exercise, {1: "An old answer."}, {1: ""}, {1: 1})
    assert stored_answer(app, user.id).language is None  # saving again does not guess
    printable = client.get("/worksheets/2.6/print").get_data(as_text=True)
    assert "Language not recorded" in printable
    assert csv_rows(client.get("/worksheets/2.6/export.csv"))[0]["Answer language"] == ""


def test_exports_carry_each_answers_language_and_its_text_unchanged(app, signed_in_client, exercise):
    client, user = signed_in_client()
    save_form(client, exercise, {1: SPANISH_ANSWER, 2: "Une réponse en français."},
              {1: "es", 2: "fr"})
    rows = csv_rows(client.get("/worksheets/2.6/export.csv"))
    assert [(r["Prompt"], r["Answer language"], r["Answer"]) for r in rows] == [
        ("1", "es", SPANISH_ANSWER), ("2", "fr", "Une réponse en français.")]
    assert rows[0]["Chapter"] == "2.6" and rows[0]["Prompt language"] == "en"
    assert csv_rows(client.get("/worksheets/export.csv")) == rows
    markdown = client.get("/worksheets/2.6/export.md").get_data(as_text=True)
    assert f"{SPANISH_ANSWER}\n\n*Written in Spanish [es] · Saved " in markdown
    assert "Une réponse en français.\n\n*Written in French [fr] · Saved " in markdown
    printable = client.get("/worksheets/print").get_data(as_text=True)
    assert re.search(r'<div class="answer-rendered" lang="es"><p>Nuestro ministerio <strong>'
                     r'coordina</strong>.*?</div>\s*<p class="muted">Written in Spanish', printable, re.S)
    assert '<div class="answer-rendered" lang="fr"><p>Une réponse en français.</p>' in printable
    # A French reader's copy: the prompts in French, the answers still in their own languages.
    french = client.get("/worksheets/2.6/export.csv?lang=fr").get_data(as_text=True)
    first_row = list(csv.reader(io.StringIO(french.lstrip("\ufeff"))))[1]
    assert first_row[5:8] == ["fr", "es", SPANISH_ANSWER]


def test_the_conflict_page_shows_both_versions_with_their_languages(app, signed_in_client, exercise):
    client, user = signed_in_client()
    autosave(client, exercise, 1, "Version en français.", 0, "fr")
    stale = autosave(client, exercise, 1, "Versión en español.", 0, "es")
    assert stale.status_code == 409
    page = client.get(stale.json["compare_url"]).get_data(as_text=True)
    assert '<div class="answer-rendered" lang="fr"><p>Version en français.' in page
    assert '<div class="answer-rendered" lang="es"><p>Versión en español.' in page
    answer = stored_answer(app, user.id)
    post_form(client, f"/worksheets/answers/{answer.id}/resolve",
              {"text": "Versión en español.", "version": "1", "language": "es"}, page="/chapters/2.6")
    assert stored_answer(app, user.id).language == "es"


# -- the facilitator's view of the answers -------------------------------------------------------
def test_the_facilitator_sees_and_downloads_each_answer_with_its_language(app, demo):
    people, ids = demo
    with app.app_context():
        member = db.session.get(User, people["participant A"].id)
        chapter = current_curriculum().chapter("2.6")
        workshop = db.session.get(Workshop, ids["workshop"])
        session = next(s for s in workshop.sessions if s.id == ids["first"])
        anchor = session.items[0].exercise_anchor
        version = db.session.scalar(select(Answer.version).where(
            Answer.user_id == member.id, Answer.exercise_anchor == anchor,
            Answer.prompt_number == 1)) or 0
        worksheets.save_answer(member, chapter, chapter.exercise(anchor), 1,
                               "Nuestra **respuesta**", version, language="es")
        db.session.commit()
        name = member.display_name
    facilitator = client_for(app, people["facilitator A"])
    html = facilitator.get(run_sheet_url(ids)).get_data(as_text=True)
    assert re.search(rf'{name}</span> <span class="muted answer-language">\(<span lang="es">Español'
                     r'</span>\)</span><div class="answer-text" lang="es"><p>Nuestra <strong>', html)
    rows = csv_rows(facilitator.get(run_sheet_url(ids) + "/answers.csv"))
    row = next(r for r in rows if r["Participant"] == name and r["Prompt"] == "1")
    assert (row["Answer language"], row["Answer"]) == ("es", "Nuestra **respuesta**")
    participant = client_for(app, people["participant A"])
    assert participant.get(run_sheet_url(ids) + "/answers.csv").status_code == 404


def test_a_report_back_keeps_its_language_up_to_the_plenary(app, demo):
    people, ids = demo
    facilitator = client_for(app, people["facilitator A"])
    with app.app_context():
        version = db.session.scalar(select(ReportBack.version).where(
            ReportBack.session_id == ids["first"], ReportBack.group_id == ids["A"])) or 0
    response = post_form(facilitator, run_sheet_url(ids) + "/report-back",
                         {"text": "- Las tasas de contratación persisten.", "version": str(version),
                          "language": "es", "ready": "yes"}, page=run_sheet_url(ids))
    assert response.status_code == 302
    plenary = facilitator.get(f"/workshops/{ids['workshop']}/sessions/{ids['first']}/plenary")
    assert re.search(r'<div class="answer-text" lang="es"><ul>\s*<li>Las tasas de contratación',
                     plenary.get_data(as_text=True))
    sheet = facilitator.get(run_sheet_url(ids)).get_data(as_text=True)
    assert re.search(r'<select id="report-back-language" name="language"[^>]*>.*?'
                     r'<option value="es" lang="es" selected>', sheet, re.S)


# -- run sheets in the facilitator's language ----------------------------------------------------
def test_a_french_facilitator_runs_the_session_from_the_french_chapter(app, demo):
    people, ids = demo
    with app.app_context():
        db.session.get(User, people["facilitator A"].id).locale = "fr"
        db.session.commit()
        french, english = (current_curriculum().chapter("2.6", code) for code in ("fr", "en"))
        session = next(s for s in db.session.get(Workshop, ids["workshop"]).sessions
                       if s.id == ids["first"])
        exercise = french.exercise(session.items[0].exercise_anchor)
    html = client_for(app, people["facilitator A"]).get(run_sheet_url(ids)).get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert f"<h2 id=\"questions-1\" lang=\"fr\">{words(app, 'fr', 'Guiding questions')}</h2>" in html
    assert words(app, "fr", "Facilitator notes") in html and words(app, "fr", "Timed plan") in html
    assert french.guiding_questions[0].html in html and french.key_messages[0].html in html
    assert french.facilitator_notes.plan[0].activity_html in html
    assert f'<span lang="fr">{exercise.title}</span>' in html
    assert all(prompt.html in html for prompt in exercise.prompts)
    assert english.guiding_questions[0].html not in html
    assert f'lang="fr">2.6 {french.title}</a>' in html
    assert "translation-notice" not in html
    schedule = client_for(app, people["facilitator A"]).get(f"/workshops/{ids['workshop']}/facilitate")
    assert f'<span lang="fr">2.6 {french.title}' in schedule.get_data(as_text=True)


def test_a_missing_translation_gives_the_english_run_sheet_with_the_notice(app, demo, monkeypatch):
    people, ids = demo
    curriculum = app.extensions["emm_curriculum"]
    french = curriculum.editions["fr"]
    without_2_6 = replace(french, chapters={n: c for n, c in french.chapters.items() if n != "2.6"},
                          status={n: s for n, s in french.status.items() if n != "2.6"})
    monkeypatch.setitem(app.extensions, "emm_curriculum",
                        replace(curriculum, editions={**curriculum.editions, "fr": without_2_6}))
    html = client_for(app, people["facilitator A"]).get(run_sheet_url(ids) + "?lang=fr") \
        .get_data(as_text=True)
    english = curriculum.chapter("2.6")
    notice = words(app, "fr", "This chapter is not yet available in %(language)s; here is the "
                              "English original.", language=words(app, "fr", "French"))
    assert notice in html
    assert english.guiding_questions[0].html in html
    assert '<section aria-labelledby="questions-1" lang="en">' in html
    assert f"{words(app, 'fr', 'Guiding questions')}</h2>" in html  # the interface stays French


# -- printables in every language of their readers -----------------------------------------------
def test_a_room_sign_for_a_trilingual_group_is_in_its_three_languages(app, demo):
    people, ids = demo
    html = client_for(app, people["organiser"]).get(
        f"/workshops/{ids['workshop']}/print/room-signs").get_data(as_text=True)
    signs = {re.search(r'<p class="sign-group">([^<]+)</p>', sign)[1]: sign
             for sign in re.findall(r'<section class="print-page room-sign".*?</section>', html, re.S)}
    sign = signs["Group A"]
    with app.app_context():
        for code in ("en", "es", "fr"):
            title = current_curriculum().chapter("2.6", code).title
            assert f'<span lang="{code}">2.6 {title}</span>' in sign
            for label in ("Group", "Room"):
                line = f'<span class="sign-line" lang="{code}">{words(app, code, label)}</span>'
                assert line in sign
    assert set(re.findall(r'lang="(\w*)"', signs["Group D"])) == {"en"}  # an English-only room


def test_the_agenda_is_printed_in_each_workshop_language(app, demo):
    people, ids = demo
    html = client_for(app, people["participant A"]).get(
        f"/workshops/{ids['workshop']}/print/agenda").get_data(as_text=True)
    sections = re.findall(r'<section class="print-page agenda-language" lang="(\w+)"(.*?)</section>',
                          html, re.S)
    assert [code for code, _ in sections] == ["en", "es", "fr"]
    with app.app_context():
        for code, body in sections:
            assert f"{words(app, code, 'Agenda')} <span class=\"muted\">(" in body
            assert f"<th scope=\"col\">{words(app, code, 'Time')}</th>" in body
            for number in ("2.6", "3.12"):
                title = current_curriculum().chapter(number, code).title
                assert f'<span lang="{code}">{number} {title}' in body
            assert "Opening and the EMM at a glance" in body  # the organiser's own title, as typed
        workshop = db.session.get(Workshop, ids["workshop"])
        for code, body in sections:
            with app.test_request_context(), force_locale(code):
                day = format_day(workshop.starts_on)
            assert f"<h3>{day}</h3>" in body


def test_a_spanish_participants_card_is_in_spanish(app, demo):
    people, ids = demo
    with app.app_context():
        workshop = db.session.get(Workshop, ids["workshop"])
        spanish = next(m.user.display_name for m in workshop.members if m.languages == "es")
        bilingual = next(m.user.display_name for m in workshop.members if m.languages == "en,fr")
    html = client_for(app, people["organiser"]).get(
        f"/workshops/{ids['workshop']}/print/cards").get_data(as_text=True)

    def card(name: str) -> str:
        return html.split(f'aria-label="Card for {name}"', 1)[1].split("</section>")[0]

    spanish_card = card(spanish)
    assert re.findall(r'class="card-line" lang="(\w+)"', spanish_card) == ["es", "es"]
    assert words(app, "es", "Sign in, then join at:") in spanish_card
    assert words(app, "es", "Workshop code: %(code)s", code=ids["code"]) in spanish_card
    assert "Sign in, then join at:" not in spanish_card
    assert re.findall(r'class="card-line" lang="(\w+)"', card(bilingual)) == ["en", "fr", "en", "fr"]


# -- the migration -------------------------------------------------------------------------------
def test_the_migration_keeps_every_answer_and_records_no_language_for_them(empty_database_url):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x" * 32,
                      "TESTING": True})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="h8d0search")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO users (id, email, display_name, password_hash, role, is_active, "
                "must_change_password, session_token, created_at) VALUES (1, 'l@example.org', 'L', "
                "'h', 'learner', true, false, 't1', CURRENT_TIMESTAMP)",
                "INSERT INTO answers (id, user_id, chapter_number, exercise_anchor, prompt_number, "
                "text, version, created_at, updated_at) VALUES (1, 1, '2.6', 'x', 1, "
                "'Una respuesta escrita antes', 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                "INSERT INTO answer_revisions (id, answer_id, version, text, kind, saved_at) "
                "VALUES (1, 1, 2, 'Una respuesta escrita antes', 'save', CURRENT_TIMESTAMP)",
            ):
                connection.execute(text(statement))
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT text, version, language FROM answers")).all() \
                == [("Una respuesta escrita antes", 2, None)]
            assert connection.execute(text("SELECT text, language FROM answer_revisions")).all() \
                == [("Una respuesta escrita antes", None)]
        downgrade(directory=str(MIGRATIONS_DIR), revision="h8d0search")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT text FROM answers")).scalar() \
                == "Una respuesta escrita antes"
        db.engine.dispose()
