"""The offline edition in headless Chromium, opened from file:// as from a USB stick."""
from __future__ import annotations

import re

import pytest
from babel.support import Translations
from click.testing import CliRunner
from playwright.sync_api import expect

from emm_learn.catalogs import CATALOG_DIR
from emm_learn.cli import main

pytestmark = pytest.mark.browser

BRAND_BLUE = "rgb(11, 61, 102)"  # --brand in app.css: the header's background


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    target = tmp_path_factory.mktemp("usb") / "emm-offline"
    result = CliRunner().invoke(main, ["export-static", str(target)], env={
        "EMM_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))})
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture
def watched_page(page):
    """The page, with a list that collects every script error and failed file load."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.problems = problems
    return page


def test_read_a_chapter_from_file_with_the_stylesheet_applied(edition, watched_page):
    page = watched_page
    page.goto((edition / "index.html").as_uri())
    assert page.get_by_role("heading", level=1).inner_text() == "Essentials of Migration Management"
    page.get_by_role("link", name="2.6 Migration and Labour").click()
    page.wait_for_url("**/chapters/2.6.html")
    assert page.url.startswith("file://")
    assert "Migration and Labour" in page.get_by_role("heading", level=1).inner_text()
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == BRAND_BLUE
    notice = page.locator(".offline-notice")
    assert notice.is_visible() and "need the online platform" in notice.inner_text()
    assert page.get_by_role("button", name="Mark").count() == 0
    page.locator(".narrative a[href^='../glossary.html#']").first.click()
    page.wait_for_url("**/glossary.html#*")
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").is_visible()
    assert page.problems == []


def test_search_from_file_and_follow_a_result_to_its_section(edition, watched_page):
    page = watched_page
    page.goto((edition / "chapters" / "2.6.html").as_uri())
    if page.get_by_role("search").count() == 0:  # no search box in the header: the menu's link
        page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_role("search").first.get_by_role("searchbox").fill("recruitment costs")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=recruitment+costs")
    status = page.locator("#offline-search-status")
    assert "places found" in status.inner_text()
    result = page.locator("#offline-search-results a", has_text="2.6 Migration and Labour")
    assert result.count() >= 1
    page.locator("#offline-search-results a[href$='#recruitment-costs']").first.click()
    page.wait_for_url("**/chapters/2.6.html#recruitment-costs")
    expect(page.get_by_role("heading", name="Recruitment and its costs")).to_be_in_viewport()
    assert page.problems == []


def test_results_follow_the_typing_on_the_search_page(edition, watched_page):
    page = watched_page
    page.goto((edition / "search.html").as_uri())
    page.get_by_label("Words to look for").fill("refugee")
    page.locator("#offline-search-results a[href^='glossary.html#']").first.wait_for()
    page.get_by_label("Words to look for").fill("zzqqxx")
    page.get_by_text("Nothing found").wait_for()
    assert page.locator("#offline-search-results li").count() == 0
    assert page.problems == []


def test_search_page_explains_itself_without_javascript(edition, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((edition / "search.html").as_uri())
    message = page.locator("noscript p")  # Playwright's text search skips <noscript>
    assert message.is_visible() and "needs JavaScript" in message.inner_text()
    message.get_by_role("link", name="Glossary").click()
    page.wait_for_url("**/glossary.html")
    context.close()


def test_read_in_spanish_switch_to_french_and_search_in_french(edition, watched_page):
    page = watched_page
    page.goto((edition / "es" / "chapters" / "2.6.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Migración y trabajo"))
    page.locator(".language-switcher").get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/chapters/2.6.html")
    assert page.url.startswith("file://")
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Migration et travail"))
    assert page.locator(".language-switcher [aria-current]").inner_text() == "Français"

    # Typed without accents, as on a keyboard without them: "coûts" is found all the same.
    page.get_by_role("search").first.get_by_role("searchbox").fill("recrutement couts")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/search.html?q=recrutement+couts")
    assert page.locator("html").get_attribute("lang") == "fr"
    result = page.locator("#offline-search-results a[href='chapters/2.6.html#recruitment-costs']")
    result.wait_for()
    count = page.locator("#offline-search-results li").count()
    french = Translations.load(str(CATALOG_DIR), ["fr"])
    message = french.gettext("1 place found for “%(q)s”." if count == 1 else
                             "%(n)s places found for “%(q)s”; the best first.")
    assert "found" not in message  # the French catalog's words, not the English
    expect(page.locator("#offline-search-status")).to_have_text(
        message.replace("%(n)s", str(count)).replace("%(q)s", "recrutement couts"))
    expect(result).to_have_text("2.6 Migration et travail: Le recrutement et ses coûts")
    result.click()
    page.wait_for_url("**/fr/chapters/2.6.html#recruitment-costs")
    expect(page.get_by_role("heading", name="Le recrutement et ses coûts")).to_be_in_viewport()
    assert page.problems == []
