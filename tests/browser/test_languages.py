"""Languages in a real browser: the switcher on a chapter page, and a worksheet in French."""
from __future__ import annotations

import pytest

from emm_learn.curriculum.library import current_curriculum
from emm_learn.curriculum.rendering import html_to_text
from tests.browser.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def test_the_switcher_turns_a_chapter_into_spanish_and_keeps_it(live_server, page, app):
    with app.app_context():
        spanish = current_curriculum().chapter("2.6", "es")
    page.goto(f"{live_server}/chapters/2.6")
    assert page.locator("h1").inner_text() == "2.6 Migration and Labour"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server}/chapters/2.6"
    assert page.locator("h1").inner_text() == f"2.6 {spanish.title}"
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator(".chapter-body").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name=spanish.sections[0].title).is_visible()
    page.goto(f"{live_server}/chapters/2.5")  # the choice is remembered on the next chapter
    assert page.locator("h1").inner_text() == f"2.5 {current_title('2.5', 'es', app)}"


def current_title(number: str, language: str, app) -> str:
    with app.app_context():
        return current_curriculum().chapter(number, language).title


def test_a_worksheet_exercise_in_french_shows_the_french_prompts(live_server, page, app,
                                                                make_user):
    with app.app_context():
        french = current_curriculum().chapter("2.6", "fr")
    exercise = french.exercises[0]
    browser_sign_in(page, live_server, make_user())
    page.goto(f"{live_server}/chapters/2.6")
    page.get_by_role("navigation", name="Language").get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/chapters/2.6#{exercise.anchor}")
    assert page.get_by_role("heading", name=exercise.title).is_visible()
    for prompt in exercise.prompts:
        label = page.locator(f"label[for='answer-{exercise.anchor}-{prompt.number}']")
        assert " ".join(label.inner_text().split()) == html_to_text(prompt.html)
    # The answer is kept by exercise id and prompt number: the same box in English shows it.
    page.locator(f"#answer-{exercise.anchor}-1").fill("Notre ministère délivre les permis.")
    page.goto(f"{live_server}/chapters/2.6?lang=en")  # leaving the page saves what was typed
    for _ in range(20):  # the save was sent as the page went away; it lands within moments
        if page.locator(f"#answer-{exercise.anchor}-1").input_value():
            break
        page.reload()
    assert page.locator(f"#answer-{exercise.anchor}-1").input_value() == \
        "Notre ministère délivre les permis."
    english = current_curriculum_prompt(app, exercise.anchor)
    assert " ".join(page.locator(f"label[for='answer-{exercise.anchor}-1']").inner_text().split()) \
        == english


def current_curriculum_prompt(app, anchor: str) -> str:
    with app.app_context():
        return html_to_text(current_curriculum().chapter("2.6").exercise(anchor).prompts[0].html)
