"""In a real browser: sign in, read a chapter, mark progress (mouse and keyboard), print it."""
from __future__ import annotations

import pytest

from emm_learn.curriculum.library import current_curriculum
from tests.browser.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def test_sign_in_read_and_mark_sections(app, live_server, page, make_user):
    user = make_user()
    page.goto(f"{live_server}/chapters/2.6")
    page.get_by_role("link", name="Sign in to keep track").click()
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/chapters/2.6")
    with app.app_context():
        sections = current_curriculum().chapter("2.6").sections
    page.get_by_role("button", name=f"Mark “{sections[0].title}” as done").click()
    page.wait_for_url(f"**/chapters/2.6#{sections[0].anchor}")
    assert page.get_by_text("You marked this section as done.").is_visible()
    # Keyboard only: focus the next section's button and press Enter.
    page.get_by_role("button", name=f"Mark “{sections[1].title}” as done").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/chapters/2.6#{sections[1].anchor}")
    assert page.get_by_text(f"2 of {len(sections)} sections done.").is_visible()
    page.goto(f"{live_server}/")
    assert page.get_by_role("heading", name="Continue where you left off").is_visible()


def test_printed_chapter_hides_navigation_and_leaves_room_to_write(app, live_server, page, tmp_path):
    page.goto(f"{live_server}/chapters/2.6")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".pager").is_visible()
    room = page.evaluate("""() => {
        const prompt = document.querySelector('.prompts .prompt');
        return parseFloat(getComputedStyle(prompt, '::after').height);
    }""")
    assert room >= 60  # pixels of ruled space under each prompt
    shot = tmp_path / "chapter-print.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 5


def test_print_volume_starts_each_chapter_on_a_new_page(live_server, page):
    page.goto(f"{live_server}/volumes/2/print")
    page.emulate_media(media="print")
    breaks = page.evaluate("""() => [...document.querySelectorAll('.printed-chapter')]
        .map(el => getComputedStyle(el).breakBefore)""")
    assert breaks and set(breaks) == {"page"}


def test_scrolling_to_a_section_is_remembered_for_continue(app, live_server, page, make_user):
    user = make_user()
    browser_sign_in(page, live_server, user)
    with app.app_context():
        sections = current_curriculum().chapter("3.12").sections
    target = sections[3]
    page.goto(f"{live_server}/chapters/3.12")
    with page.expect_response(lambda r: "/position" in r.url and r.status == 204):
        page.locator(f"#{target.anchor}").scroll_into_view_if_needed()
        page.mouse.wheel(0, 100)
    page.goto(f"{live_server}/")
    assert page.locator(f'a[href="/chapters/3.12#{target.anchor}"]').is_visible()


def test_glossary_definition_shows_on_hover_and_keyboard_focus(live_server, page):
    page.goto(f"{live_server}/chapters/3.12")
    term = page.locator(".term").first
    definition = term.locator(".term-def")
    assert not definition.is_visible()
    term.locator("a").focus()
    assert definition.is_visible()
    description = term.locator("a").get_attribute("aria-describedby")
    assert page.locator(f"#{description}").inner_text() == definition.inner_text()
    page.mouse.move(0, 0)
    term.locator("a").blur()
    assert not definition.is_visible()
    term.hover()
    assert definition.is_visible()
