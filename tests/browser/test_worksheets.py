"""Worksheets in a real browser: autosave, stale-save conflict, history restore, saving with
JavaScript off, and hostile answers that must never run."""
from __future__ import annotations

import pytest

from emm_learn.accounts.models import User
from emm_learn.curriculum.library import current_curriculum
from emm_learn.extensions import db
from emm_learn.worksheets import services
from tests.browser.conftest import browser_sign_in
from tests.hostile_inputs import HOSTILE_INPUTS

pytestmark = pytest.mark.browser


@pytest.fixture
def exercise(app):
    with app.app_context():
        return current_curriculum().chapter("2.6").exercises[0]


def answer_box(page, exercise, prompt: int = 1):
    return page.locator(f"#answer-{exercise.anchor}-{prompt}")


def status_of(page, exercise, prompt: int = 1):
    return page.locator(f"#answer-{exercise.anchor}-{prompt}-status")


def test_autosave_shows_its_status_and_keeps_the_text(live_server, page, make_user, exercise):
    browser_sign_in(page, live_server, make_user())
    page.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    box = answer_box(page, exercise)
    box.click()
    page.keyboard.type("Our labour ministry issues work permits.")
    status = status_of(page, exercise)
    assert status.get_attribute("aria-live") == "polite"
    status.get_by_text("Saved.").wait_for(timeout=10_000)
    page.reload()
    assert answer_box(page, exercise).input_value() == "Our labour ministry issues work permits."


def test_the_answer_language_is_autosaved_and_followed_by_the_box(app, live_server, page, make_user,
                                                                 exercise):
    user = make_user()
    browser_sign_in(page, live_server, user)
    page.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    page.locator(f"#answer-{exercise.anchor}-1-language").select_option("es")
    assert answer_box(page, exercise).get_attribute("lang") == "es"
    answer_box(page, exercise).fill("Nuestro ministerio expide los permisos.")
    answer_box(page, exercise).blur()
    status_of(page, exercise).get_by_text("Saved.").wait_for(timeout=10_000)
    page.locator(f"#answer-{exercise.anchor}-1-language").select_option("fr")  # the language alone
    status_of(page, exercise).get_by_text("Saved.").wait_for(timeout=10_000)
    for _ in range(20):
        with app.app_context():
            answer = services.find_answer(db.session.get(User, user.id), "2.6", exercise.anchor, 1)
            if answer.language == "fr":
                break
        page.wait_for_timeout(250)
    assert (answer.text, answer.language, answer.version) == \
        ("Nuestro ministerio expide los permisos.", "fr", 2)


def test_leaving_the_page_saves_what_was_just_typed(live_server, page, make_user, exercise):
    browser_sign_in(page, live_server, make_user())
    page.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    answer_box(page, exercise, 2).fill("typed just before leaving")
    page.goto(f"{live_server}/progress")  # at once, before the autosave delay has passed
    for _ in range(20):  # the save was sent as the page went away; it lands within moments
        page.goto(f"{live_server}/chapters/2.6")
        if answer_box(page, exercise, 2).input_value() == "typed just before leaving":
            break
        page.wait_for_timeout(250)
    assert answer_box(page, exercise, 2).input_value() == "typed just before leaving"


def test_a_stale_tab_is_told_and_can_compare_and_merge(live_server, browser, make_user, exercise):
    user = make_user()
    context = browser.new_context()
    first, second = context.new_page(), context.new_page()
    browser_sign_in(first, live_server, user)
    for tab in (first, second):
        tab.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    answer_box(first, exercise).fill("from the first tab")
    answer_box(first, exercise).blur()
    status_of(first, exercise).get_by_text("Saved.").wait_for(timeout=10_000)
    answer_box(second, exercise).fill("from the second tab")
    answer_box(second, exercise).blur()
    compare = status_of(second, exercise).get_by_role("link", name="Compare the two versions")
    compare.wait_for(timeout=10_000)
    compare.click()
    assert second.get_by_text("from the first tab").first.is_visible()
    assert second.get_by_text("from the second tab").first.is_visible()
    second.get_by_label("The answer to keep").fill("first and second tab, merged")
    second.get_by_role("button", name="Save this answer").click()
    second.wait_for_url(f"**/chapters/2.6#{exercise.anchor}")
    assert answer_box(second, exercise).input_value() == "first and second tab, merged"
    context.close()


def test_history_restores_an_earlier_version(app, live_server, page, make_user, exercise):
    user = make_user()
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
        owner = db.session.get(User, user.id)
        services.save_answer(owner, chapter, exercise, 1, "the first thought", 0)
        services.save_answer(owner, chapter, exercise, 1, "a later thought", 1)
        db.session.commit()
    browser_sign_in(page, live_server, user)
    page.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    status_of(page, exercise).get_by_role("link", name="History").click()
    older = page.locator("li.revision", has_text="the first thought")
    older.get_by_role("button", name="Restore this version").click()
    assert page.get_by_text("is your answer again").is_visible()
    page.goto(f"{live_server}/chapters/2.6")
    assert answer_box(page, exercise).input_value() == "the first thought"


def test_saving_with_javascript_off(live_server, browser, make_user, exercise):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    browser_sign_in(page, live_server, make_user())
    page.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    answer_box(page, exercise).fill("saved by the plain form")
    page.get_by_role("button", name=f"Save answers to “{exercise.title}”").click()
    assert page.get_by_text("are saved.").is_visible()
    assert answer_box(page, exercise).input_value() == "saved by the plain form"
    context.close()


def test_no_hostile_answer_ever_runs(app, live_server, page, make_user):
    user = make_user()
    visited = set()
    with app.app_context():
        owner = db.session.get(User, user.id)
        slots = [(chapter, exercise, prompt.number)
                 for chapter in current_curriculum().chapters.values()
                 for exercise in chapter.exercises for prompt in exercise.prompts]
        for payload, (chapter, exercise, prompt) in zip(HOSTILE_INPUTS, slots):
            result = services.save_answer(owner, chapter, exercise, prompt, payload, 0)
            services.keep_conflict(result.answer, payload + "\n\nstale copy", 0)
            visited.add(chapter.number)
        db.session.commit()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_sign_in(page, live_server, user)
    urls = [f"/chapters/{n}" for n in sorted(visited)] + ["/worksheets", "/worksheets/print"]
    for url in urls:
        page.goto(live_server + url)
        page.locator("details.answer-preview").evaluate_all("els => els.forEach(d => d.open = true)")
        for link in page.locator("a:has-text('History')").all()[:3]:
            link.hover()
        assert page.evaluate("typeof window.__xss") == "undefined", url
    history_links = [a.get_attribute("href") for a in page.locator("a[href*='/history']").all()]
    page.goto(f"{live_server}/chapters/{sorted(visited)[0]}")
    history_links += [a.get_attribute("href") for a in page.locator("a[href*='/history']").all()]
    for href in history_links[:6]:
        page.goto(live_server + href)
        assert page.evaluate("typeof window.__xss") == "undefined", href
    assert dialogs == []


def test_autosave_after_the_session_ended_leads_back_with_the_text(live_server, browser, make_user,
                                                                    exercise):
    user = make_user()
    context = browser.new_context()
    page, other = context.new_page(), context.new_page()
    browser_sign_in(page, live_server, user)
    page.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    other.goto(f"{live_server}/chapters/2.6")
    other.get_by_role("button", name="Sign out").click()  # the session ends behind the page's back
    answer_box(page, exercise).fill("written after the session ended")
    answer_box(page, exercise).blur()
    again = status_of(page, exercise).get_by_role("button", name="Sign in again, keeping this text")
    again.wait_for(timeout=10_000)
    again.click()
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/chapters/2.6#{exercise.anchor}")
    assert page.get_by_text("Your unsaved text is back").is_visible()
    assert answer_box(page, exercise).input_value() == "written after the session ended"
    context.close()


def test_keyboard_only_answering(live_server, browser, make_user, exercise):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    browser_sign_in(page, live_server, make_user())
    page.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    answer_box(page, exercise, len(exercise.prompts)).focus()
    page.keyboard.type("typed without a mouse")
    page.keyboard.press("Tab")  # past the hint, to the save button
    focused = page.evaluate("document.activeElement.textContent")
    assert f"Save answers to “{exercise.title}”" in focused
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("are saved.").is_visible()
    assert answer_box(page, exercise, len(exercise.prompts)).input_value() == "typed without a mouse"
    context.close()
