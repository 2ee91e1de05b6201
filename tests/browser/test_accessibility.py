"""Every page type, checked in Chromium: one h1, landmarks, labelled inputs, lang, text contrast of
at least 4.5:1 (3:1 for large text), and a visible keyboard focus."""
from __future__ import annotations

import pytest

from emm_learn.accounts import services
from emm_learn.extensions import db
from tests.browser.conftest import browser_sign_in

pytestmark = pytest.mark.browser

AUDIT = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push('html has no lang');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(`${h1} h1 elements`);
  for (const landmark of ['header', 'nav', 'main', 'footer'])
    if (!document.querySelector(landmark)) problems.push(`no <${landmark}> landmark`);
  for (const field of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const named = field.labels.length || field.getAttribute('aria-label') || field.getAttribute('aria-labelledby');
    if (!named) problems.push(`unlabelled ${field.tagName} ${field.name}`);
  }
  const parse = c => c.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let node = el; node; node = node.parentElement) {
      const rgba = parse(getComputedStyle(node).backgroundColor);
      if (rgba.length < 4 || rgba[3] > 0.5) return rgba.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width === 0 || box.height === 0) continue;
    if (el.closest('.skip-link')) continue;
    const fg = luminance(parse(style.color).slice(0, 3)), bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < needed) problems.push(`contrast ${ratio.toFixed(2)} on "${el.textContent.trim().slice(0, 30)}"`);
  }
  return problems;
}"""

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return el !== document.body && (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                                  || style.boxShadow !== 'none');
}"""

ANONYMOUS_PAGES = ["/", "/volumes/1", "/chapters/2.6", "/chapters/3.12", "/volumes/2/print",
                   "/glossary", "/account/sign-in", "/account/register", "/no-such-page"]
SIGNED_IN_PAGES = ["/", "/chapters/2.6", "/progress", "/account/password", "/admin/users",
                   "/worksheets", "/worksheets/print", "/volumes/1/key-messages", "/paths",
                   "/paths/border-officials", "/paths/new"]


def audit(page, url: str) -> list[str]:
    page.goto(url)
    problems = page.evaluate(AUDIT)
    page.keyboard.press("Tab")
    if not page.evaluate(FOCUS):
        problems.append("the first focusable element shows no visible focus")
    return [f"{url}: {p}" for p in problems]


def test_anonymous_pages(app, live_server, page):
    with app.app_context():
        services.set_registration_open(True)
        db.session.commit()
    problems = [p for url in ANONYMOUS_PAGES for p in audit(page, live_server + url)]
    assert problems == []


def test_signed_in_pages_including_facilitator_notes_and_administration(app, live_server, page,
                                                                      make_user):
    admin = make_user("admin")
    workshop_pages = set_up_workshop(app, admin)
    browser_sign_in(page, live_server, admin)
    problems = [p for url in SIGNED_IN_PAGES + workshop_pages for p in audit(page, live_server + url)]
    assert problems == []


def set_up_workshop(app, user) -> list[str]:
    """A small workshop with one of everything, organised and joined by user; its page URLs."""
    from emm_learn.accounts.models import User
    from emm_learn.workshops import services as workshops
    with app.app_context():
        owner = db.session.get(User, user.id)
        workshop = workshops.create_workshop(owner, {
            "title": "Audit workshop", "venue": "Geneva", "starts_on": "2026-09-27",
            "ends_on": "2026-09-27", "timezone": "Europe/Zurich", "languages": ["en", "fr"]})
        room = workshops.add_room(workshop, {"name": "Room A", "capacity": "10", "languages": ["en", "fr"]})
        workshops.add_group(workshop, {"name": "Group A", "room_id": str(room.id)})
        workshops.add_session(workshop, {"title": "Labour", "day": "2026-09-27", "start": "11:00",
                                         "end": "13:00", "kind": "breakout", "items": ["2.6"]},
                              app.extensions["emm_curriculum"])
        workshops.add_facilitator(workshop, {"email": owner.email, "languages": ["en"]})
        workshops.join_workshop(workshop, owner, {"languages": ["fr"], "organisation": "IOM"})
        workshops.assign_groups(workshop)
        workshops.propose_rotation(workshop)
        db.session.commit()
        base = f"/workshops/{workshop.id}"
        session, group = workshop.sessions[0], workshop.groups[0]
        running = f"{base}/sessions/{session.id}"
        return ["/workshops", "/workshops/new", base, f"/join/{workshop.join_code}", f"{base}/mine",
                f"{base}/facilitate", f"{running}/groups/{group.id}", f"{running}/board",
                f"{running}/plenary", f"{base}/participants/import"] + [
                f"{base}/print/{name}" for name in ("agenda", "room-signs", "rosters",
                                                    "facilitators", "cards")]


def test_narrow_screen_has_no_horizontal_scrolling(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for url in ("/", "/chapters/2.6", "/glossary"):
        page.goto(live_server + url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
    context.close()


def test_the_audit_itself_catches_a_bad_page(page):
    page.set_content('<html><body><header></header><main><p style="color:#aaa">faint</p>'
                     '<input name="q"></main></body></html>')
    problems = page.evaluate(AUDIT)
    assert "html has no lang" in problems and "0 h1 elements" in problems
    assert "no <nav> landmark" in problems and "unlabelled INPUT q" in problems
    assert any(p.startswith("contrast 2.") for p in problems)
