"""Search in Chromium: the header box with the keyboard only, a Spanish reader typing without
accents, the results page's accessibility, a narrow screen, and print."""
from __future__ import annotations

import pytest

from emm_learn.curriculum.library import current_curriculum
from emm_learn.search import services
from tests.browser.test_accessibility import audit

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def indexed(app):
    with app.app_context():
        services.index_every_language(current_curriculum())


def test_searching_from_the_header_with_the_keyboard_reaches_the_place(live_server, page):
    page.goto(live_server + "/chapters/1.1")
    page.get_by_role("searchbox", name="Search the curriculum").focus()
    page.keyboard.type('"irregular migration"')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search?q=" in page.url
    assert page.locator(".search-result .result-title a").first.locator("mark").count() >= 1
    into_a_chapter = page.locator(".search-result .result-title a[href*='#']").first
    href = into_a_chapter.get_attribute("href")
    into_a_chapter.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(href)
    assert page.locator(f"[id='{href.partition('#')[2]}']").is_visible()


def test_a_spanish_reader_types_without_accents_and_reaches_the_spanish_section(
        live_server, browser, app):
    with app.app_context():
        section = current_curriculum().chapter("3.5", "es").section("non-refoulement")
    context = browser.new_context(locale="es-ES", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/chapters/1.1")
    assert page.locator("html").get_attribute("lang") == "es"
    page.locator("#site-search-q").fill("no devolucion")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first = page.locator(".search-result .result-title a").first
    assert first.locator("mark", has_text="devolución").count() == 1
    with page.expect_navigation():
        first.click()
    assert page.url == f"{live_server}/chapters/3.5#non-refoulement"
    assert page.get_by_role("heading", name=section.title).is_visible()
    context.close()


def test_results_and_messages_pass_the_accessibility_audit(live_server, page):
    problems = [p for query in ("labour", "migra*", "?!", "quokkaphant", "",
                                "migracion&lang=es", "refugies&lang=fr")
                for p in audit(page, f"{live_server}/search?q={query}")]
    assert problems == []


def test_a_narrow_screen_has_no_horizontal_scrolling(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    narrow = context.new_page()
    for url in ("/search?q=non-refoulement", "/search?q=" + "x" * 300):
        narrow.goto(live_server + url)
        assert narrow.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
    context.close()


def test_search_forms_stay_off_paper(live_server, page):
    page.emulate_media(media="print")
    page.goto(live_server + "/chapters/2.6")
    assert not page.locator(".site-search").is_visible()
    page.goto(live_server + "/search?q=labour")
    assert not page.locator(".search-form").is_visible()
    assert page.locator(".search-result").first.is_visible()
