"""A break-out session end to end in a real browser: the organiser sets it up, participants join
and answer, the facilitator's run sheet shows their answers as they arrive and counts down the
plan, and the report-back reaches the plenary page."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from emm_learn.curriculum.library import current_curriculum
from tests.browser.conftest import browser_sign_in

pytestmark = pytest.mark.browser

ZONES = ("Europe/Zurich", "America/Mexico_City", "Pacific/Honolulu", "Asia/Bangkok",
         "Pacific/Auckland", "America/Sao_Paulo")


def venue_zone_in_daytime() -> tuple[str, datetime]:
    """A venue where it is now daytime, so that a two-hour session running now fits in one day."""
    for zone in ZONES:
        now = datetime.now(ZoneInfo(zone))
        if 6 <= now.hour < 20:
            return zone, now.replace(tzinfo=None)
    raise AssertionError("one of the zones is always in daytime")


def signed_in_page(browser, live_server, user):
    page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    browser_sign_in(page, live_server, user)
    return page


def test_a_breakout_session_end_to_end(app, browser, live_server, make_user):
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
        exercise = next(e for e in chapter.exercises if e.suits_breakout_group)
    zone, now = venue_zone_in_daytime()
    start, end = now - timedelta(minutes=10), now + timedelta(minutes=110)
    organiser_user, facilitator_user = make_user("trainer"), make_user("trainer")
    participants = [make_user(), make_user()]

    # The organiser sets up a workshop with one room, one group and a break-out running now.
    organiser = signed_in_page(browser, live_server, organiser_user)
    organiser.goto(f"{live_server}/workshops/new")
    organiser.get_by_label("Title").fill("Labour migration workshop")
    organiser.get_by_label("Venue").fill("Geneva")
    organiser.get_by_label("First day (YYYY-MM-DD)").fill(start.date().isoformat())
    organiser.get_by_label("Last day (YYYY-MM-DD)").fill(end.date().isoformat())
    organiser.get_by_label("Time zone").fill(zone)
    organiser.get_by_role("group", name="Working languages").get_by_label("French").check()
    organiser.get_by_role("button", name="Create workshop").click()
    dashboard = organiser.url
    organiser.get_by_label("Room name").fill("Room A")
    organiser.get_by_label("Seats").fill("10")
    organiser.get_by_role("group", name="Languages available in the room").get_by_label("English").check()
    organiser.get_by_role("group", name="Languages available in the room").get_by_label("French").check()
    organiser.get_by_role("button", name="Add room").click()
    organiser.get_by_label("Group name").fill("Group A")
    organiser.get_by_role("button", name="Add group").click()
    organiser.locator("#session_title").fill("Migration and Labour")
    organiser.get_by_label("Day (YYYY-MM-DD)").fill(start.date().isoformat())
    organiser.get_by_label("Starts (HH:MM)").fill(start.strftime("%H:%M"))
    organiser.get_by_label("Ends (HH:MM)").fill(end.strftime("%H:%M") if end.date() == start.date()
                                                  else "23:59")
    organiser.locator("#session_items").select_option(f"2.6#{exercise.anchor}")
    organiser.get_by_role("button", name="Add session").click()
    organiser.get_by_label("E-mail address of a trainer account").fill(facilitator_user.email)
    organiser.get_by_role("group", name="Languages the facilitator works in").get_by_label("French").check()
    organiser.get_by_role("button", name="Add facilitator").click()
    join_link = organiser.locator("a[href*='/join/']").first.get_attribute("href")

    # Two participants join by the link and state their languages.
    pages = []
    for user, language in zip(participants, ("French", "English")):
        page = signed_in_page(browser, live_server, user)
        page.goto(join_link)
        page.get_by_label(language).check()
        page.get_by_role("button", name="Join").click()
        pages.append(page)

    organiser.goto(dashboard)
    organiser.get_by_role("button", name="Assign groups automatically").click()
    organiser.get_by_role("button", name="Propose a rotation").click()
    assert organiser.locator(".has-issue").count() == 0

    # The facilitator opens the run sheet from their schedule; the plan counts down.
    facilitator = signed_in_page(browser, live_server, facilitator_user)
    facilitator.goto(dashboard + "/facilitate")
    facilitator.get_by_role("link", name="Migration and Labour", exact=True).click()
    countdown = facilitator.locator("[data-countdown-status]")
    countdown.wait_for(state="visible")
    assert "left" in countdown.inner_text()
    assert facilitator.get_by_text("0 of 2 have answered.").is_visible()

    # A participant answers on their worksheet from "My workshop"; the run sheet shows it.
    first = pages[0]
    first.goto(dashboard + "/mine")
    first.get_by_role("link", name="Answer the exercise on your worksheet").first.click()
    box = first.locator(f"#answer-{exercise.anchor}-1")
    box.fill("Recruitment fees are paid by workers in our country.")
    first.locator(f"#answer-{exercise.anchor}-1-status").get_by_text("Saved.").wait_for(timeout=15_000)
    facilitator.get_by_text("Recruitment fees are paid by workers in our country.").wait_for(timeout=20_000)
    assert facilitator.get_by_text("1 of 2 have answered.").is_visible()

    # The report-back goes from draft to ready, and appears on the plenary page.
    facilitator.get_by_label("The group’s main points").fill("- Fees fall on workers\n- Data are missing")
    facilitator.get_by_role("button", name="Save draft").click()
    facilitator.get_by_label("The group’s main points").fill("- Fees fall on workers\n- Data are missing")
    facilitator.get_by_role("button", name="Mark ready for plenary").click()
    assert facilitator.get_by_text("Ready for plenary").first.is_visible()
    pages[1].goto(dashboard + "/mine")
    pages[1].get_by_role("link", name="Migration and Labour", exact=True).click()
    pages[1].get_by_role("link", name="Plenary: every group’s report-back").click()
    assert pages[1].get_by_text("Fees fall on workers").is_visible()
    assert pages[1].get_by_role("heading", name="Group A").is_visible()
