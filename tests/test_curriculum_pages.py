"""Reading the curriculum: home, volumes, chapter pages, printing and the glossary."""
from __future__ import annotations

import re

import pytest

from emm_learn.curriculum import parser as chapter_parser
from emm_learn.curriculum.library import current_curriculum
from emm_learn.curriculum.manifest import CHAPTER_TITLES, VOLUMES


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_home_lists_every_chapter_and_marks_missing_ones_in_preparation(app, client):
    html = page(client, "/")
    with app.app_context():
        present = set(current_curriculum().chapters)
    for number, title in CHAPTER_TITLES.items():
        assert title.replace("'", "&#39;") in html
        link = f'href="/chapters/{number}"'
        assert (link in html) == (number in present), number
    missing = len(CHAPTER_TITLES) - len(present)
    assert html.count("in preparation") == missing


def test_no_chapter_is_in_preparation_any_more(client):
    for url in ("/", "/volumes/1", "/volumes/2", "/volumes/3"):
        assert "in preparation" not in page(client, url)


def test_chapter_page_shows_its_parts_in_reading_order(client):
    html = page(client, "/chapters/2.6")
    order = ['id="guiding-questions"', 'id="contents"', 'id="key-messages"', 'id="exercises"',
             'id="further-reading"', 'id="related-chapters"']
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "<h1>" in html and "Migration and Labour" in html


def test_every_section_and_exercise_has_a_linkable_id(app, client):
    html = page(client, "/chapters/2.6")
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
    for anchor in [s.anchor for s in chapter.sections] + [e.anchor for e in chapter.exercises]:
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html or anchor in [e.anchor for e in chapter.exercises]
    for prompt in chapter.exercises[0].prompts:
        assert prompt.html in html


def test_unknown_chapter_is_a_clear_404(client):
    html = page(client, "/chapters/9.99", status=404)
    assert "Page not found" in html and "Traceback" not in html


def test_facilitator_notes_are_for_trainers_and_administrators_only(client, signed_in_client):
    assert 'id="facilitator-notes"' not in page(client, "/chapters/2.6")
    learner, _ = signed_in_client("learner")
    assert 'id="facilitator-notes"' not in page(learner, "/chapters/2.6")
    for role in ("trainer", "admin"):
        reader, _ = signed_in_client(role)
        html = page(reader, "/chapters/2.6")
        assert 'id="facilitator-notes"' in html and "Break-out plan (120 minutes)" in html


def test_previous_and_next_follow_the_manifest(app, client):
    with app.app_context():
        present = list(current_curriculum().chapters)
    middle = present[1]
    html = page(client, f"/chapters/{middle}")
    assert f'rel="prev" href="/chapters/{present[0]}"' in html
    assert f'rel="next" href="/chapters/{present[2]}"' in html


def test_volume_page_and_printable_volume(app, client):
    html = page(client, "/volumes/2")
    assert "Developing Migration Policy" in html and 'href="/volumes/2/print"' in html
    printable = page(client, "/volumes/2/print")
    with app.app_context():
        chapters = [n for n in VOLUMES[1].chapters if n[0] in current_curriculum().chapters]
    for number, title in chapters:
        assert f'id="c{number.replace(".", "-")}"' in printable
    assert printable.count("<h1>") == 1
    page(client, "/volumes/4", status=404)


def test_glossary_is_alphabetical_with_anchors(app, client):
    with app.app_context():
        terms = current_curriculum().glossary
    if not terms:
        pytest.skip("the glossary has not been written yet")
    html = page(client, "/glossary")
    shown = re.findall(r'<dt id="([a-z0-9-]+)"', html)
    assert shown == [t.anchor for t in terms]
    assert [t.term.lower() for t in terms] == sorted(t.term.lower() for t in terms)


def test_pages_are_served_without_parsing_files_again(client, monkeypatch):
    """The curriculum is parsed at start-up; requests only read the parsed copy."""
    calls = []
    monkeypatch.setattr(chapter_parser, "parse_chapter", lambda *a: calls.append(a))
    for url in ("/", "/chapters/2.6", "/volumes/1", "/volumes/2/print", "/glossary"):
        page(client, url)
    assert calls == []


def test_anonymous_chapter_page_can_be_revalidated_cheaply(client):
    first = client.get("/chapters/2.6")
    again = client.get("/chapters/2.6", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_signed_in_reader_gets_a_personal_page_not_the_shared_copy(signed_in_client, client):
    reader, _ = signed_in_client("learner")
    html = page(reader, "/chapters/2.6")
    assert "Mark “" in html and "Sign out" in html
    assert "Sign out" not in page(client, "/chapters/2.6")


def test_volume_revision_sheet_lists_every_key_message(app, client):
    html = page(client, "/volumes/2/key-messages")
    with app.app_context():
        chapters = [current_curriculum().chapter(n) for n, _ in VOLUMES[1].chapters]
    for chapter in filter(None, chapters):
        assert f'href="/chapters/{chapter.number}#key-messages"' in html
        for message in chapter.key_messages:
            assert message.html in html
    assert 'href="/volumes/2/key-messages"' in page(client, "/volumes/2")


def test_references_to_other_chapters_become_links(client):
    html = page(client, "/chapters/2.6")
    assert 'class="chapter-ref" href="/chapters/' in html
