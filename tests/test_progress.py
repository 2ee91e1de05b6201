"""Progress: marking sections without JavaScript, completion, resuming, and the learner's export."""
from __future__ import annotations

import csv
import io

from emm_learn.curriculum.library import current_curriculum
from tests.conftest import post_form


def chapter_26(app):
    with app.app_context():
        return current_curriculum().chapter("2.6")


def mark(client, anchor: str, done: str = "yes", number: str = "2.6"):
    return post_form(client, f"/progress/chapters/{number}/sections/{anchor}", {"done": done},
                     page=f"/chapters/{number}")


def test_marking_a_section_done_and_undoing_it_with_a_plain_form(app, signed_in_client):
    client, _ = signed_in_client()
    first = chapter_26(app).sections[0]
    response = mark(client, first.anchor)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/chapters/2.6#{first.anchor}")
    html = client.get("/chapters/2.6").get_data(as_text=True)
    assert "You marked this section as done." in html and "1 of" in html
    mark(client, first.anchor, done="no")
    assert "You marked this section as done." not in client.get("/chapters/2.6").get_data(as_text=True)


def test_a_chapter_is_complete_when_all_its_sections_are_done(app, signed_in_client):
    client, _ = signed_in_client()
    chapter = chapter_26(app)
    for section in chapter.sections[:-1]:
        mark(client, section.anchor)
    overview = client.get("/progress").get_data(as_text=True)
    done_of_total = f"{len(chapter.sections) - 1} / {len(chapter.sections)}"
    assert done_of_total in overview and "complete</span>" not in overview
    mark(client, chapter.sections[-1].anchor)
    overview = client.get("/progress").get_data(as_text=True)
    assert f'<progress max="{len(chapter.sections)}" value="{len(chapter.sections)}"' in overview
    assert "1 of" in overview and "available chapters complete" in overview
    assert "complete</span>" in client.get("/").get_data(as_text=True)


def test_home_offers_to_continue_where_the_learner_left_off(app, signed_in_client):
    client, _ = signed_in_client()
    chapter = chapter_26(app)
    assert "Continue where you left off" not in client.get("/").get_data(as_text=True)
    mark(client, chapter.sections[1].anchor)
    home = client.get("/").get_data(as_text=True)
    assert "Continue where you left off" in home
    assert f'href="/chapters/2.6#{chapter.sections[2].anchor}"' in home
    client.get("/chapters/3.12")
    assert 'href="/chapters/3.12"' in client.get("/").get_data(as_text=True).split("</section>")[0]


def test_progress_is_kept_per_learner(app, signed_in_client):
    ana, _ = signed_in_client()
    ben, _ = signed_in_client()
    mark(ana, chapter_26(app).sections[0].anchor)
    assert "You marked this section as done." not in ben.get("/chapters/2.6").get_data(as_text=True)


def test_unknown_chapter_or_section_cannot_be_marked(signed_in_client):
    client, _ = signed_in_client()
    assert mark(client, "no-such-section").status_code == 404
    assert mark(client, "anything", number="9.9").status_code == 404


def test_marking_needs_an_account(client, app):
    response = client.post(f"/progress/chapters/2.6/sections/{chapter_26(app).sections[0].anchor}",
                           data={"done": "yes"})
    assert response.status_code in (302, 400)


def test_progress_export_lists_only_the_learners_own_sections(app, signed_in_client):
    client, _ = signed_in_client()
    other, _ = signed_in_client()
    chapter = chapter_26(app)
    mark(client, chapter.sections[0].anchor)
    mark(other, chapter.sections[1].anchor)
    response = client.get("/progress.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Chapter", "Chapter title", "Section id"]
    done = [(row[0], row[2]) for row in rows[1:] if row[4] == "yes"]
    assert done == [("2.6", chapter.sections[0].anchor)]
