"""Reports and exports: who may see each one, anonymity, the minimum slice of 3, CSV that is safe
in a spreadsheet, charts whose numbers are the data's, and the trainer's view of learning."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from emm_learn.accounts.models import User
from emm_learn.curriculum.library import current_curriculum
from emm_learn.extensions import db
from emm_learn.feedback.models import FormResponse
from emm_learn.reports.charts import BAR_AREA, Bar, bar_chart
from emm_learn.reports.stats import breakdown
from emm_learn.spreadsheets import safe_cell
from emm_learn.workshops.models import BreakoutGroup, Member
from emm_learn.worksheets import services as worksheets
from tests.conftest import post_form
from tests.test_feedback import (answer, build_world, create_form, open_form, question_ids,
                                  set_anonymous)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def rows_of(response) -> list[list[str]]:
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def svg_of(html: str, chart_id: str) -> ET.Element:
    match = re.search(rf'<svg[^>]* id="{re.escape(chart_id)}".*?</svg>', html, re.S)
    assert match, f"no chart {chart_id}"
    return ET.fromstring(match[0])


def drawn(svg: ET.Element) -> list[tuple[str, str, float | None]]:
    """(label, number written, bar width or None) of every bar of a chart."""
    bars = []
    for group in svg.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        value = next(t for t in group.iter(f"{SVG}text") if t.get("class") == "value").text
        bars.append((group.get("data-label"), value, float(rect.get("width")) if rect is not None else None))
    return bars


def everyone_answers(app, world, form_id: int, scales: list[int], comments: list[str] | None = None,
                     question: int = 0):
    ids = question_ids(app, form_id)
    scale = ids[question][0]
    text = next((i for i, kind in ids if kind == "text"), None)
    for index, (client, _user, _letter) in enumerate(world.participants[:len(scales)]):
        data = {f"q-{scale}": str(scales[index])}
        if comments and text:
            data[f"q-{text}"] = comments[index]
        page = f"/workshops/{world.workshop_id}/forms/{form_id}/answer"
        response = post_form(client, page, data, page=page)
        assert response.status_code == 302, response.get_data(as_text=True)
    return scale, text


# -- who may see what ----------------------------------------------------------------------------
def test_every_report_and_export_with_every_role(app, world):
    form_id = create_form(world, "session", world.breakout_id)
    base = f"/workshops/{world.workshop_id}"
    workshop_urls = [f"{base}/reports", f"{base}/forms/{form_id}/report",
                     f"{base}/forms/{form_id}/report.csv", f"{base}/forms/{form_id}/comments.csv",
                     f"{base}/learning", f"{base}/learning.csv", f"{base}/forms"]
    admin_urls = ["/reports/chapters", "/reports/chapters.csv", "/reports/chapters/2.6",
                  "/reports/chapters/2.6/comments.csv"]
    trainer_urls = ["/reports/learning", "/reports/learning.csv"]
    clients = dict(world.clients, participant=world.participants[0][0])
    expected = {
        "anonymous": (302, 302, 302), "learner": (403, 403, 403),
        "participant": (403, 403, 403), "other participant": (403, 403, 403),
        "other trainer": (404, 403, 200), "organiser": (200, 403, 200), "admin": (200, 200, 200)}
    failures = []
    for role, (own, admin_only, trainer) in expected.items():
        for urls, status in ((workshop_urls, own), (admin_urls, admin_only), (trainer_urls, trainer)):
            for url in urls:
                response = clients[role].get(url)
                if response.status_code != status:
                    failures.append(f"{role} {url}: {response.status_code}, expected {status}")
                elif status == 302:
                    assert "/account/sign-in" in response.headers["Location"]
                elif status != 200:
                    assert "Developing Capacity" not in response.get_data(as_text=True)
                elif not url.endswith(".csv"):
                    assert response.get_data(as_text=True).count("<h1") == 1, url
    assert failures == []


# -- anonymity -----------------------------------------------------------------------------------
def feedback_pages(world, form_id: int) -> list[str]:
    base = f"/workshops/{world.workshop_id}"
    return [f"{base}/reports", f"{base}/forms/{form_id}/report", f"{base}/forms/{form_id}/report.csv",
            f"{base}/forms/{form_id}/comments.csv", f"{base}/forms", f"{base}/forms/{form_id}"]


def test_anonymous_responses_never_reveal_who_answered(app, world):
    form_id = create_form(world, "session", world.breakout_id)
    open_form(world, form_id)
    comments = [f"Remark number {n} from the room" for n in range(7)]
    everyone_answers(app, world, form_id, [5, 4, 4, 3, 2, 5, 1], comments)
    identities = []
    for _client, user, _letter in world.participants:
        with app.app_context():
            person = db.session.get(User, user.id)
            identities += [person.display_name, person.email]
    for role in ("organiser", "admin"):
        for url in feedback_pages(world, form_id):
            body = world.clients[role].get(url).get_data(as_text=True)
            assert not [who for who in identities if who in body], url
    report = world.clients["organiser"].get(f"/workshops/{world.workshop_id}/forms/{form_id}/report")
    body = report.get_data(as_text=True)
    assert all(comment in body for comment in comments)  # the comments are there, unsigned
    header = rows_of(world.clients["organiser"].get(
        f"/workshops/{world.workshop_id}/forms/{form_id}/comments.csv"))[0]
    assert header == ["Question", "Comment"]
    with app.app_context():
        assert {r.user_id for r in db.session.query(FormResponse)} == {None}
    # Comments are listed in the order of their text, not in the order they came in.
    positions = [body.index(comment) for comment in comments]
    assert positions == sorted(positions)


def test_named_forms_show_who_answered(app, world):
    form_id = create_form(world, "final")
    set_anonymous(world, form_id, False, title="Named evaluation")
    open_form(world, form_id)
    everyone_answers(app, world, form_id, [4, 4, 5], ["Good", "Fine", "Great"])
    rows = rows_of(world.clients["organiser"].get(
        f"/workshops/{world.workshop_id}/forms/{form_id}/comments.csv"))
    assert rows[0] == ["Question", "Comment", "Participant"]
    assert {row[2] for row in rows[1:]} == {"Participant A0", "Participant A1", "Participant A2"}


# -- the minimum slice ---------------------------------------------------------------------------
def test_fewer_than_three_responses_show_nothing(app, world):
    form_id = create_form(world, "session", world.breakout_id)
    open_form(world, form_id)
    everyone_answers(app, world, form_id, [5, 1], ["secret one", "secret two"])
    base = f"/workshops/{world.workshop_id}/forms/{form_id}"
    body = world.clients["organiser"].get(f"{base}/report").get_data(as_text=True)
    assert "fewer than 3 responses" in body and "<svg" not in body and "secret one" not in body
    overview = world.clients["organiser"].get(f"/workshops/{world.workshop_id}/reports")
    assert "fewer than 3" in overview.get_data(as_text=True)
    figures = rows_of(world.clients["organiser"].get(f"{base}/report.csv"))
    assert all(row[5] == "not shown: fewer than 3 responses" for row in figures[1:])
    assert rows_of(world.clients["organiser"].get(f"{base}/comments.csv")) == [["Question", "Comment"]]


def test_small_slices_are_hidden_and_cannot_be_worked_out(app, world):
    form_id = create_form(world, "session", world.breakout_id)
    open_form(world, form_id)
    # Group A (4 people) answers fully, group B only twice: B is too small, and A is hidden too,
    # or B's ratings would follow from the total minus A's.
    scales = [5, 4, 4, 3, 1, 2]
    with app.app_context():  # the languages a participant works in make the language slices
        for index, (_client, user, _letter) in enumerate(world.participants[:6]):
            member = db.session.scalar(select(Member).where(Member.user_id == user.id))
            member.languages = "fr" if index < 3 else "en,fr"
        db.session.commit()
    everyone_answers(app, world, form_id, scales)
    csv_rows = rows_of(world.clients["organiser"].get(
        f"/workshops/{world.workshop_id}/forms/{form_id}/report.csv"))
    first_question = [row for row in csv_rows[1:] if row[2] in ("All responses", "By group",
                                                                 "By language", "By facilitator")][:8]
    table = {(row[2], row[3]): row[4:6] for row in first_question}
    assert table[("All responses", "")] == ["6", "3.17"]
    assert table[("By group", "Group A")] == ["", "not shown"]
    assert table[("By group", "Group B")] == ["", "not shown"]
    assert table[("By facilitator", "Facilitator X")] == ["", "not shown"]
    assert table[("By language", "French")] == ["3", "4.33"]
    assert table[("By language", "English, French")] == ["3", "2.00"]


def test_the_suppression_rule_itself():
    rows = [("a", "A", 5)] * 4 + [("b", "B", 1)] * 3 + [("c", "C", 2)] * 2
    result = {s.label: s.summary for s in breakdown("By group", rows).slices}
    assert result["C"] is None and result["B"] is None and result["A"].count == 4
    rows = [("a", "A", 5)] * 3 + [("b", "B", 1)] * 1 + [("c", "C", 2)] * 1
    result = {s.label: s.summary for s in breakdown("By group", rows).slices}
    assert result["A"].mean == 5 and result["B"] is None and result["C"] is None


# -- CSV injection -------------------------------------------------------------------------------
@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_neutralises_every_formula_start(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("plain =1") == "plain =1"


def test_exports_neutralise_formulas_typed_by_anyone(app, world):
    with app.app_context():
        db.session.get(BreakoutGroup, world.group_ids["A"]).name = "=cmd|' /C calc'!A0"
        db.session.commit()
    form_id = create_form(world, "final")
    set_anonymous(world, form_id, False, title="@Evaluation")
    page = f"/workshops/{world.workshop_id}/forms/{form_id}"
    post_form(world.clients["organiser"], f"{page}/questions",
              {"kind": "choice", "text": "-Pick one", "choices": "+yes\n@no"}, page=page)
    open_form(world, form_id)
    ids = question_ids(app, form_id)
    choice = ids[-1][0]
    text = next(i for i, kind in ids if kind == "text")
    for client, _user, _letter in world.participants[:3]:
        answer(world, client, form_id, {f"q-{ids[0][0]}": "4", f"q-{text}": '=HYPERLINK("http://evil")',
                                        f"q-{choice}": "+yes"})
    base = f"/workshops/{world.workshop_id}/forms/{form_id}"
    cells = [cell for url in (f"{base}/report.csv", f"{base}/comments.csv")
             for row in rows_of(world.clients["organiser"].get(url)) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'@Evaluation" in cells and "'-Pick one" in cells
    assert "'+yes" in cells and "'@no" in cells and "'=HYPERLINK(\"http://evil\")" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


# -- charts --------------------------------------------------------------------------------------
def test_the_charts_draw_the_numbers_of_the_data(app, world):
    form_id = create_form(world, "session", world.breakout_id)
    open_form(world, form_id)
    scales = [5, 4, 4, 3, 2, 5, 1]
    scale, _text = everyone_answers(app, world, form_id, scales)
    html = world.clients["organiser"].get(
        f"/workshops/{world.workshop_id}/forms/{form_id}/report").get_data(as_text=True)
    svg = svg_of(html, f"q{scale}-all")
    assert svg.find(f"{SVG}title").text and "7 ratings, mean 3.43" in svg.find(f"{SVG}desc").text
    counts = [scales.count(point) for point in range(1, 6)]
    bars = drawn(svg)
    assert [(label, int(value)) for label, value, _w in bars] == list(zip("12345", counts))
    assert [width for _l, _v, width in bars] == [round(BAR_AREA * c / max(counts), 2) for c in counts]
    by_group = drawn(svg_of(html, f"q{scale}-by-1"))  # groups A (5,4,4,3) and B (2,5,1)
    assert [(label, value) for label, value, _w in by_group] == [("Group A", "4.00 (4)"),
                                                                  ("Group B", "2.67 (3)")]
    assert [width for _l, _v, width in by_group] == [round(BAR_AREA * 4 / 5, 2),
                                                      round(BAR_AREA * 2.67 / 5, 2)]
    by_facilitator = drawn(svg_of(html, f"q{scale}-by-3"))
    assert [label for label, _v, _w in by_facilitator] == ["Facilitator X", "Facilitator Y"]
    # The same numbers are in the accessible table beside the chart.
    assert re.search(r"How many gave it</th><td>1</td><td>1</td><td>1</td><td>2</td><td>2</td>"
                     r"<td>7</td><td>3.43</td>", html)


def test_a_chart_escapes_its_labels_and_draws_no_bar_for_hidden_slices():
    svg = ET.fromstring(bar_chart("c1", "T <b>", "D & more", [
        Bar("<script>x</script>", 4.0, "4.00"), Bar("Hidden", None, "not shown")], 5))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "T <b>" and svg.find(f"{SVG}script") is None
    bars = drawn(svg)
    assert bars == [("<script>x</script>", "4.00", round(BAR_AREA * 4 / 5, 2)),
                    ("Hidden", "not shown", None)]


def test_session_by_session_comparison(app, world):
    first = create_form(world, "session", world.breakout_id)
    second = create_form(world, "session", world.plenary_id)
    for form_id, scales in ((first, [5, 5, 4]), (second, [2, 3, 1])):
        open_form(world, form_id)
        everyone_answers(app, world, form_id, scales, question=2)  # the facilitation question
    html = world.clients["organiser"].get(f"/workshops/{world.workshop_id}/reports").get_data(as_text=True)
    # The facilitation question is shared by both session forms.
    charts = re.findall(r'<svg[^>]* id="(session-\d+)"', html)
    values = {label: value for chart in charts for label, value, _w in drawn(svg_of(html, chart))}
    assert values["Migration and Labour"] == "4.67 (3)" and values["Opening"] == "2.00 (3)"


# -- chapter feedback reports --------------------------------------------------------------------
def test_administrators_see_chapter_feedback_without_names(app, world, signed_in_client):
    readers = [signed_in_client() for _ in range(3)]
    for (client, _user), relevance in zip(readers, (5, 4, 3)):
        post_form(client, "/chapters/2.6/feedback", {"relevance": str(relevance),
                                                     "comment": f"=note {relevance}"}, page="/chapters/2.6")
    for client, _user in readers[:2]:
        post_form(client, "/chapters/3.12/feedback", {"relevance": "1", "comment": "tiny"},
                  page="/chapters/3.12")
    admin = world.clients["admin"]
    rows = {row[0]: row for row in rows_of(admin.get("/reports/chapters.csv"))}
    assert rows["2.6"][2:5] == ["3", "4.00", "3"]
    assert rows["3.12"][2:5] == ["fewer than 3", "", ""]
    html = admin.get("/reports/chapters/2.6").get_data(as_text=True)
    values = {label: value for label, value, _w in drawn(svg_of(html, "criteria"))}
    assert values["Relevance to your work"] == "4.00 (3)" and values["Accuracy"] == "not shown"
    with app.app_context():
        names = [db.session.get(User, user.id).display_name for _c, user in readers]
    assert not [name for name in names if name in html]
    assert "=note 5" in html
    comments = rows_of(admin.get("/reports/chapters/2.6/comments.csv"))
    assert sorted(row[1] for row in comments[1:]) == ["'=note 3", "'=note 4", "'=note 5"]
    small = admin.get("/reports/chapters/3.12").get_data(as_text=True)
    assert "Fewer than 3 responses." in small and "tiny" not in small and "<svg" not in small


# -- the trainer's view of learning --------------------------------------------------------------
def test_the_organiser_sees_each_participants_progress_and_worksheets(app, world):
    client, user, _letter = world.participants[0]
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
        anchors = [s.anchor for s in chapter.sections]
        exercise = chapter.exercises[0]
        person = db.session.get(User, user.id)
        for prompt in exercise.prompts:
            worksheets.save_answer(person, chapter, exercise, prompt.number, "my answer", 0)
        db.session.commit()
    for anchor in anchors[:2]:
        post_form(client, f"/progress/chapters/2.6/sections/{anchor}", {"done": "yes"})
    organiser = world.clients["organiser"]
    html = organiser.get(f"/workshops/{world.workshop_id}/learning").get_data(as_text=True)
    assert f"2 of {len(anchors)} sections" in html and f"1 of {len(chapter.exercises)} exercises" in html
    assert "my answer" not in html  # answers themselves stay private
    rows = rows_of(organiser.get(f"/workshops/{world.workshop_id}/learning.csv"))
    assert rows[0] == ["Participant", "Group", "2.6 sections done", "2.6 sections",
                       "2.6 exercises complete", "2.6 exercises"]
    mine = next(row for row in rows if row[0] == "Participant A0")
    assert mine == ["Participant A0", "Group A", "2", str(len(anchors)), "1", str(len(chapter.exercises))]
    assert len(rows) == 1 + len(world.participants)


def test_chapters_started_and_completed_across_the_platform(app, world):
    (first, _u1, _l1), (second, _u2, _l2) = world.participants[:2]
    with app.app_context():
        anchors = [s.anchor for s in current_curriculum().chapter("2.6").sections]
    for anchor in anchors:
        post_form(first, f"/progress/chapters/2.6/sections/{anchor}", {"done": "yes"})
    post_form(second, f"/progress/chapters/2.6/sections/{anchors[0]}", {"done": "yes"})
    rows = {row[0]: row for row in rows_of(world.clients["other trainer"].get("/reports/learning.csv"))}
    assert rows["2.6"][2:] == ["2", "1"] and rows["3.12"][2:] == ["0", "0"]
    html = world.clients["admin"].get("/reports/learning").get_data(as_text=True)
    assert re.search(r"2\.6 [^<]*</th><td>2</td><td>1</td>", html)
