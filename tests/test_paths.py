"""Learning paths: composing, reordering and copying through the forms, who may change a path,
progress from real reading and answers, the home page block, ready-made path files and their
check, a path as a workshop's pre-reading, and ready-made paths in Spanish and French (their
structure, the reader's language, the English with a notice, and their check)."""
from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from html import unescape

import pytest
from click.testing import CliRunner
from markupsafe import escape

from emm_learn.curriculum.library import current_curriculum, load_curriculum
from emm_learn.curriculum.translations import file_hash
from emm_learn.extensions import db
from emm_learn.learning_paths.models import LearningPath, PathStep
from emm_learn.learning_paths.readymade import parse_path_file
from emm_learn.paths import default_content_dir
from emm_learn.workshops.models import Workshop
from tests.conftest import app_with_content, post_form, sign_in


def text_of(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def compose(client, title="Induction for new desk officers", audience="New desk officers",
            intro="Read these *first*.") -> str:
    """Create a path through the form; returns its slug."""
    response = post_form(client, "/paths/new", {"title": title, "audience": audience,
                                                 "intro": intro})
    assert response.status_code == 302, response.get_data(as_text=True)
    return re.search(r"/paths/([a-z0-9]+)/edit", response.headers["Location"])[1]


def add_step(client, slug, chapter, part="", note=""):
    return post_form(client, f"/paths/{slug}/steps/new",
                     {"chapter": chapter, "part": part, "note": note})


def step_ids(app, slug) -> list[int]:
    with app.app_context():
        path = db.session.query(LearningPath).filter_by(slug=slug).one()
        return [step.id for step in path.steps]


def step_refs(app, slug) -> list[str]:
    with app.app_context():
        path = db.session.query(LearningPath).filter_by(slug=slug).one()
        return [f"{s.chapter_number}#{s.anchor}" if s.anchor else s.chapter_number
                for s in path.steps]


def steps_listed(client, slug) -> list[str]:
    """Step titles in the order the learner's page shows them."""
    html = client.get(f"/paths/{slug}").get_data(as_text=True)
    return [unescape(m) for m in re.findall(
        r'<p class="path-step-title">.*?<a href="[^"]*"[^>]*>([^<]+)</a>', html, flags=re.S)]


@pytest.fixture
def trainer(signed_in_client):
    return signed_in_client("trainer")


@pytest.fixture
def three_step_path(app, trainer):
    """A path with a whole chapter, a section and an exercise, composed through the forms."""
    client, user = trainer
    slug = compose(client)
    assert add_step(client, slug, "2.6", note="The whole chapter first.").status_code == 302
    assert add_step(client, slug, "3.12", "smuggling-trafficking",
                    "Know the *difference*.").status_code == 302
    assert add_step(client, slug, "2.6", "seasonal-scheme",
                    "Answer on your worksheet.").status_code == 302
    return client, user, slug


# -- composing --------------------------------------------------------------------------------------
def test_a_trainer_composes_a_path_whose_steps_learners_see_in_order(app, three_step_path,
                                                                     signed_in_client):
    _trainer, _user, slug = three_step_path
    learner, _ = signed_in_client("learner")
    page = learner.get(f"/paths/{slug}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Induction for new desk officers" in text and "For: New desk officers" in text
    assert steps_listed(learner, slug) == [
        "2.6 Migration and Labour",
        "3.12 Irregular Migration: Migrant smuggling and trafficking in persons",
        "2.6 Migration and Labour: Designing a seasonal worker scheme"]
    html = page.get_data(as_text=True)
    assert "Know the <em>difference</em>." in html  # notes are markdown, sanitised
    assert 'href="/chapters/3.12#smuggling-trafficking"' in html
    assert 'href="/chapters/2.6#seasonal-scheme"' in html
    assert re.fullmatch(r"[a-z0-9]{12}", slug)  # unguessable, and never a ready-made name


def test_the_add_step_form_offers_the_chapter_parts_and_keeps_typed_text(app, trainer):
    client, _ = trainer
    slug = compose(client)
    page = client.get(f"/paths/{slug}/edit?chapter=2.6").get_data(as_text=True)
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
    for part in chapter.sections + chapter.exercises:
        assert f'name="part" value="{part.anchor}"' in page
    refused = add_step(client, slug, "2.6", "no-such-part", "My careful note")
    assert refused.status_code == 400
    assert "Choose the whole chapter, or one of its sections or exercises." in text_of(refused)
    assert "My careful note" in refused.get_data(as_text=True)
    too_long = add_step(client, slug, "2.6", "recruitment-costs", "x" * 2001)
    assert too_long.status_code == 400 and "x" * 2001 in too_long.get_data(as_text=True)
    assert add_step(client, slug, "2.6", "recruitment-costs").status_code == 302
    twice = add_step(client, slug, "2.6", "recruitment-costs")
    assert twice.status_code == 400 and "already a step" in text_of(twice)
    assert step_refs(app, slug) == ["2.6#recruitment-costs"]


def test_a_path_without_title_is_refused_and_the_form_keeps_what_was_typed(trainer):
    client, _ = trainer
    response = post_form(client, "/paths/new", {"title": " ", "audience": "Consular staff",
                                                 "intro": "An introduction I wrote"})
    assert response.status_code == 400
    assert "Give the path a title" in text_of(response)
    assert 'value="Consular staff"' in response.get_data(as_text=True)
    assert "An introduction I wrote" in response.get_data(as_text=True)


# -- reordering, notes, removing ----------------------------------------------------------------
def test_steps_move_up_and_down_with_plain_form_buttons(app, three_step_path):
    client, _, slug = three_step_path
    first, second, third = step_ids(app, slug)
    response = post_form(client, f"/paths/{slug}/steps", {"action": f"down:{first}"})
    assert response.status_code == 302
    assert step_refs(app, slug) == ["3.12#smuggling-trafficking", "2.6", "2.6#seasonal-scheme"]
    post_form(client, f"/paths/{slug}/steps", {"action": f"up:{third}"})
    assert step_refs(app, slug) == ["3.12#smuggling-trafficking", "2.6#seasonal-scheme", "2.6"]
    # The top step cannot go higher: nothing changes.
    post_form(client, f"/paths/{slug}/steps", {"action": f"up:{second}"})
    assert step_refs(app, slug) == ["3.12#smuggling-trafficking", "2.6#seasonal-scheme", "2.6"]
    assert steps_listed(client, slug)[0].startswith("3.12")


def test_moving_a_step_saves_the_notes_being_typed_and_removing_closes_the_gap(app, three_step_path):
    client, _, slug = three_step_path
    first, second, third = step_ids(app, slug)
    post_form(client, f"/paths/{slug}/steps", {f"note-{first}": "Typed before moving",
                                               f"note-{second}": "Second note",
                                               f"note-{third}": "Third note",
                                               "action": f"down:{third}"})  # cannot move: saves
    post_form(client, f"/paths/{slug}/steps", {f"note-{first}": "Typed before moving",
                                               "action": f"remove:{second}"})
    with app.app_context():
        path = db.session.query(LearningPath).filter_by(slug=slug).one()
        assert [(s.position, s.note) for s in path.steps] == [(1, "Typed before moving"),
                                                             (2, "Third note")]
    refused = post_form(client, f"/paths/{slug}/steps", {f"note-{first}": "y" * 2001,
                                                         "action": "save"})
    assert refused.status_code == 400 and "y" * 2001 in refused.get_data(as_text=True)


# -- copying ---------------------------------------------------------------------------------------
def test_a_copy_is_independent_of_its_original(app, three_step_path, signed_in_client):
    _owner_client, _owner, slug = three_step_path
    other, _ = signed_in_client("trainer")
    response = post_form(other, f"/paths/{slug}/copy")
    copy_slug = re.search(r"/paths/([a-z0-9]+)/edit", response.headers["Location"])[1]
    assert copy_slug != slug
    assert step_refs(app, copy_slug) == step_refs(app, slug)
    assert "Adapted from “Induction for new desk officers”" in text_of(other.get(f"/paths/{copy_slug}"))
    first = step_ids(app, copy_slug)[0]
    post_form(other, f"/paths/{copy_slug}/steps", {f"note-{first}": "Changed in the copy",
                                                   "action": f"remove:{step_ids(app, copy_slug)[2]}"})
    post_form(other, f"/paths/{copy_slug}/edit", {"title": "My version", "audience": "Border staff",
                                                  "intro": ""})
    with app.app_context():
        original = db.session.query(LearningPath).filter_by(slug=slug).one()
        assert original.title == "Induction for new desk officers"
        assert [s.note for s in original.steps] == ["The whole chapter first.",
                                                    "Know the *difference*.",
                                                    "Answer on your worksheet."]
    assert len(step_refs(app, slug)) == 3 and len(step_refs(app, copy_slug)) == 2


def test_a_ready_made_path_can_be_read_and_copied_but_not_edited(app, trainer, signed_in_client):
    client, _ = trainer
    with app.app_context():
        ready = current_curriculum().ready_paths["border-officials"]
        refs = [f"{s.chapter_number}#{s.anchor}" if s.anchor else s.chapter_number
                for s in ready.steps]
    learner, _ = signed_in_client("learner")
    assert "Induction for border officials" in text_of(learner.get("/paths"))
    assert learner.get("/paths/border-officials").status_code == 200
    admin, _ = signed_in_client("admin")
    assert admin.get("/paths/border-officials/edit").status_code == 403
    response = post_form(client, "/paths/border-officials/copy")
    copy_slug = re.search(r"/paths/([a-z0-9]+)/edit", response.headers["Location"])[1]
    assert step_refs(app, copy_slug) == refs
    assert client.get(f"/paths/{copy_slug}/edit").status_code == 200


# -- who may change a path ------------------------------------------------------------------------
def test_only_the_owner_and_administrators_change_a_path(app, three_step_path, signed_in_client):
    owner, _, slug = three_step_path
    other_trainer, _ = signed_in_client("trainer")
    learner, _ = signed_in_client("learner")
    admin, _ = signed_in_client("admin")
    first = step_ids(app, slug)[0]
    assert learner.get("/paths/new").status_code == 403
    assert post_form(learner, f"/paths/{slug}/copy").status_code == 403
    for client in (other_trainer, learner):
        assert client.get(f"/paths/{slug}/edit").status_code == 403
        assert post_form(client, f"/paths/{slug}/steps",
                         {f"note-{first}": "vandalised", "action": "save"}).status_code == 403
        assert add_step(client, slug, "1.1").status_code == 403
        assert post_form(client, f"/paths/{slug}/delete").status_code == 403
        assert "Edit this path" not in text_of(client.get(f"/paths/{slug}"))
    assert step_refs(app, slug) == ["2.6", "3.12#smuggling-trafficking", "2.6#seasonal-scheme"]
    assert post_form(admin, f"/paths/{slug}/steps", {f"note-{first}": "Fixed by the admin",
                                                     "action": "save"}).status_code == 302
    assert "Fixed by the admin" in owner.get(f"/paths/{slug}").get_data(as_text=True)
    assert post_form(owner, f"/paths/{slug}/delete").status_code == 302
    assert learner.get(f"/paths/{slug}").status_code == 404
    with app.app_context():
        assert db.session.query(PathStep).count() == 0


def test_a_path_is_open_to_signed_in_users_with_its_link_only(app, three_step_path, client,
                                                              signed_in_client):
    _, _, slug = three_step_path
    assert client.get(f"/paths/{slug}").status_code == 302  # anonymous: to sign-in
    learner, _ = signed_in_client("learner")
    assert "Induction for new desk officers" not in text_of(learner.get("/paths"))
    assert learner.get("/paths/abcdefabcdef").status_code == 404


# -- progress ---------------------------------------------------------------------------------------
def mark_done(client, number, anchor):
    response = post_form(client, f"/progress/chapters/{number}/sections/{anchor}", {"done": "yes"})
    assert response.status_code == 302


def answer(client, number, anchor, texts: dict[int, str], versions: dict[int, int] | None = None):
    """The worksheet's no-JavaScript form: every prompt at once, with the versions it saw."""
    data = {f"answer-{n}": text for n, text in texts.items()}
    data.update({f"version-{n}": str((versions or {}).get(n, 0)) for n in texts})
    assert post_form(client, f"/worksheets/{number}/{anchor}", data).status_code == 302


def continue_href(response) -> str | None:
    match = re.search(r'<a class="button" href="([^"]+)">Continue:', response.get_data(as_text=True))
    return match[1] if match else None


def test_progress_comes_from_sections_marked_done_and_answers_saved(app, three_step_path,
                                                                    signed_in_client):
    _, _, slug = three_step_path
    learner, _ = signed_in_client("learner")
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
        sections = [s.anchor for s in chapter.sections]
        prompts = [p.number for p in chapter.exercise("seasonal-scheme").prompts]
    page = learner.get(f"/paths/{slug}")
    assert "0 of 3 steps done" in text_of(page)
    assert continue_href(page) == "/chapters/2.6"
    mark_done(learner, "3.12", "smuggling-trafficking")
    for anchor in sections[:-1]:
        mark_done(learner, "2.6", anchor)
    page = learner.get(f"/paths/{slug}")
    assert "1 of 3 steps done" in text_of(page)  # the chapter still lacks a section
    assert continue_href(page) == "/chapters/2.6"
    mark_done(learner, "2.6", sections[-1])
    page = learner.get(f"/paths/{slug}")
    assert "2 of 3 steps done" in text_of(page)
    assert continue_href(page) == "/chapters/2.6#seasonal-scheme"
    answer(learner, "2.6", "seasonal-scheme", {n: "" for n in prompts} | {prompts[0]: "Only one"})
    assert "2 of 3 steps done" in text_of(learner.get(f"/paths/{slug}"))
    answer(learner, "2.6", "seasonal-scheme", {n: f"Answer {n}" for n in prompts},
           versions={n: 1 for n in prompts})  # the first save created every answer
    page = learner.get(f"/paths/{slug}")
    assert "3 of 3 steps done" in text_of(page)
    assert "You have done every step of this path." in text_of(page)
    assert continue_href(page) is None
    # Another learner's reading counts for nobody else.
    other, _ = signed_in_client("learner")
    assert "0 of 3 steps done" in text_of(other.get(f"/paths/{slug}"))


# -- following and the home page --------------------------------------------------------------------
def test_started_paths_show_on_the_home_page_of_their_follower_only(app, three_step_path, client,
                                                                    signed_in_client):
    _, _, slug = three_step_path
    anonymous_before = client.get("/")
    assert "My learning paths" not in text_of(anonymous_before)
    alice, _ = signed_in_client("learner")
    bob, _ = signed_in_client("learner")
    assert "Induction for new desk officers" not in text_of(alice.get("/"))
    assert post_form(alice, f"/paths/{slug}/start").status_code == 302
    mark_done(alice, "3.12", "smuggling-trafficking")
    home = alice.get("/")
    assert "ETag" not in home.headers  # a signed-in page is never served from the page cache
    text = text_of(home)
    assert "My learning paths" in text and "Induction for new desk officers" in text
    assert "1 of 3 steps done" in text
    assert f'href="/paths/{slug}"' in home.get_data(as_text=True)
    bob_home = text_of(bob.get("/"))
    assert "My learning paths" in bob_home and "Induction for new desk officers" not in bob_home
    anonymous_after = client.get("/")
    assert "ETag" in anonymous_after.headers  # the shared, cached page...
    assert "Induction for new desk officers" not in text_of(anonymous_after)  # ...holds no one's
    assert "My learning paths" not in text_of(app.test_client().get("/"))
    assert post_form(alice, f"/paths/{slug}/stop", follow_redirects=True).status_code == 200
    block = re.search(r"My learning paths(.*?)All learning paths", text_of(alice.get("/")))[1]
    assert "Induction for new desk officers" not in block
    assert "1 of 3 steps done" in text_of(alice.get(f"/paths/{slug}"))  # progress is kept


# -- ready-made path files ----------------------------------------------------------------------------
def test_the_ready_made_paths_load_and_pass_the_content_check(app):
    curriculum = load_curriculum(default_content_dir())
    assert [str(p) for p in curriculum.problems if "/paths/" in str(p.path)] == []
    assert len(curriculum.ready_paths) >= 3
    for path in curriculum.ready_paths.values():
        assert path.title and path.audience and len(path.steps) >= 5
        kinds = {step.kind for step in path.steps}
        assert "exercise" in kinds
        for step in path.steps:
            assert step.note
            chapter = curriculum.chapter(step.chapter_number)
            assert chapter is not None
            if step.kind == "section":
                assert chapter.section(step.anchor)
            elif step.kind == "exercise":
                assert chapter.exercise(step.anchor)
    with app.app_context():
        assert set(current_curriculum().ready_paths) == set(curriculum.ready_paths)


BROKEN_PATH = """---
title: A broken path
audience: Testers
---

An introduction.

# Steps

## 2.6
The whole chapter.

## 2.6#nowhere
This section does not exist.

## 9.9
No such chapter.

## 3.12#screening-cases

## 2.6
Twice.
"""


def test_check_content_reports_a_broken_path_file_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    broken = content / "paths" / "broken-path.md"
    broken.write_text(BROKEN_PATH, encoding="utf-8")
    (content / "paths" / "Bad Name.md").write_text("no metadata\n", encoding="utf-8")
    from emm_learn.cli import main
    result = CliRunner().invoke(main, ["check-content", "--content", str(content)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{broken}:13: chapter 2.6 has no section or exercise 'nowhere'" in lines
    assert f"{broken}:16: chapter 9.9 is not in the curriculum" in lines
    assert (f"{broken}:19: step '3.12#screening-cases' needs a note: a sentence or two under "
            "its heading") in lines
    assert f"{broken}:21: step '2.6' appears twice" in lines
    assert any(line.startswith(f"{content / 'paths' / 'Bad Name.md'}:1: ") for line in lines)
    # The valid steps still make a usable path.
    chapters = load_curriculum(content).chapters
    path, problems = parse_path_file(broken, chapters)
    assert [s.chapter_number for s in path.steps] == ["2.6", "3.12"]


# -- workshop pre-reading ---------------------------------------------------------------------------
def make_workshop(app, organiser_id, starts_on) -> tuple[int, str]:
    with app.app_context():
        workshop = Workshop(title="Labour migration week", venue="Geneva", starts_on=starts_on,
                            ends_on=starts_on + timedelta(days=2), timezone="Europe/Zurich",
                            languages="en", join_code=f"PR{organiser_id:04d}{starts_on.day:02d}",
                            organiser_id=organiser_id)
        db.session.add(workshop)
        db.session.commit()
        return workshop.id, workshop.join_code


def join(client, code):
    response = post_form(client, f"/join/{code}", {"languages": "en"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_organiser_sets_pre_reading_and_sees_who_completed_it(app, signed_in_client):
    organiser, organiser_user = signed_in_client("trainer")
    slug = compose(organiser, title="Before the labour week")
    add_step(organiser, slug, "3.12", "smuggling-trafficking", "Read this.")
    add_step(organiser, slug, "3.12", "victim-protection", "And this.")
    workshop_id, code = make_workshop(app, organiser_user.id, date.today() + timedelta(days=10))
    dashboard = organiser.get(f"/workshops/{workshop_id}")
    assert dashboard.status_code == 200
    assert "No pre-reading yet." in text_of(dashboard)
    assert f'<option value="{slug}">' in dashboard.get_data(as_text=True)
    assert '<option value="border-officials">' in dashboard.get_data(as_text=True)
    response = post_form(organiser, f"/workshops/{workshop_id}/prereading", {"path": slug})
    assert response.status_code == 302

    finished, _ = signed_in_client("learner")
    halfway, _ = signed_in_client("learner")
    idle, _ = signed_in_client("learner")
    for participant in (finished, halfway, idle):
        join(participant, code)
    mark_done(finished, "3.12", "smuggling-trafficking")
    mark_done(finished, "3.12", "victim-protection")
    mark_done(halfway, "3.12", "victim-protection")
    outsider, _ = signed_in_client("learner")  # did the reading but is not a participant
    mark_done(outsider, "3.12", "smuggling-trafficking")
    mark_done(outsider, "3.12", "victim-protection")

    text = text_of(organiser.get(f"/workshops/{workshop_id}"))
    assert "So far, of 3 participants:" in text
    assert "1 completed it" in text
    assert "1 started but did not finish" in text
    assert "1 did not start" in text
    assert "Before the labour week" in text

    mine = halfway.get(f"/workshops/{workshop_id}/mine")
    assert mine.status_code == 200
    assert "Pre-reading" in text_of(mine) and "1 of 2 steps done" in text_of(mine)
    assert continue_href(mine) == "/chapters/3.12#smuggling-trafficking"
    assert "2 of 2 steps done" in text_of(finished.get(f"/workshops/{workshop_id}/mine"))

    post_form(organiser, f"/workshops/{workshop_id}/prereading", {"path": ""})
    assert "Pre-reading" not in text_of(halfway.get(f"/workshops/{workshop_id}/mine"))


def test_pre_reading_counts_only_what_was_done_before_the_workshop(app, signed_in_client):
    organiser, organiser_user = signed_in_client("trainer")
    workshop_id, code = make_workshop(app, organiser_user.id, date.today() - timedelta(days=1))
    post_form(organiser, f"/workshops/{workshop_id}/prereading", {"path": "policy-foundations"})
    late, _ = signed_in_client("learner")
    join(late, code)
    mark_done(late, "1.1", "contested-terms")  # today: after the workshop began
    text = text_of(organiser.get(f"/workshops/{workshop_id}"))
    assert "Foundations for new policy staff" in text
    assert "Before the workshop began on" in text
    assert "0 completed it" in text and "1 did not start" in text
    assert "1 of 9 steps done" in text_of(late.get(f"/workshops/{workshop_id}/mine"))


def test_only_the_organiser_chooses_among_their_own_paths(app, signed_in_client):
    organiser, organiser_user = signed_in_client("trainer")
    other, _ = signed_in_client("trainer")
    others_slug = compose(other, title="Someone else's path")
    workshop_id, _ = make_workshop(app, organiser_user.id, date.today() + timedelta(days=5))
    assert post_form(other, f"/workshops/{workshop_id}/prereading",
                     {"path": "border-officials"}).status_code == 404
    refused = post_form(organiser, f"/workshops/{workshop_id}/prereading", {"path": others_slug},
                        follow_redirects=True)
    assert "Choose one of your paths or a ready-made path." in text_of(refused)
    assert "No pre-reading yet." in text_of(refused)
    admin, _ = signed_in_client("admin")
    assert post_form(admin, f"/workshops/{workshop_id}/prereading",
                     {"path": "border-officials"}).status_code == 302
    assert "Induction for border officials" in text_of(organiser.get(f"/workshops/{workshop_id}"))


def test_deleting_a_path_removes_it_from_followers_and_from_the_workshop(app, signed_in_client):
    organiser, organiser_user = signed_in_client("trainer")
    slug = compose(organiser, title="Soon deleted")
    add_step(organiser, slug, "1.1", note="Read it.")
    workshop_id, code = make_workshop(app, organiser_user.id, date.today() + timedelta(days=3))
    post_form(organiser, f"/workshops/{workshop_id}/prereading", {"path": slug})
    participant, _ = signed_in_client("learner")
    join(participant, code)
    post_form(participant, f"/paths/{slug}/start", follow_redirects=True)  # (shows the flash)
    assert "Soon deleted" in re.search(r"My learning paths(.*?)All learning paths",
                                       text_of(participant.get("/")))[1]
    assert post_form(organiser, f"/paths/{slug}/delete").status_code == 302
    assert "Soon deleted" not in text_of(participant.get("/"))
    assert "Pre-reading" not in text_of(participant.get(f"/workshops/{workshop_id}/mine"))
    assert "No pre-reading yet." in text_of(organiser.get(f"/workshops/{workshop_id}"))


# -- ready-made paths in Spanish and French --------------------------------------------------------
CONTENT = default_content_dir()
PATH_TRANSLATIONS = sorted(CONTENT.glob("[ef][sr]/paths/*.md"))


@pytest.fixture(scope="module")
def real_curriculum():
    return load_curriculum(CONTENT)


def refs(path) -> list[str]:
    return [f"{s.chapter_number}#{s.anchor}" if s.anchor else s.chapter_number for s in path.steps]


def test_every_ready_made_path_is_translated_into_spanish_and_french():
    english = sorted(file.name for file in (CONTENT / "paths").glob("*.md"))
    assert len(english) == 4
    for language in ("es", "fr"):
        assert sorted(f.name for f in (CONTENT / language / "paths").glob("*.md")) == english


@pytest.mark.parametrize("file", PATH_TRANSLATIONS, ids=lambda f: f"{f.parts[-3]}/{f.name}")
def test_a_path_translation_has_the_english_steps_and_is_up_to_date(file, real_curriculum):
    language = file.parts[-3]
    assert [str(p) for p in real_curriculum.problems + real_curriculum.outdated
            if p.path == file] == []
    english = real_curriculum.ready_paths[file.stem]
    translated = english.in_language(language)
    assert translated.status == "translated" and translated.language == language
    assert refs(translated) == refs(english)
    assert translated.slug == english.slug
    # Everything a reader sees is translated: title, audience, introduction, every note.
    for attribute in ("title", "audience", "intro"):
        assert getattr(translated, attribute) != getattr(english, attribute)
    for ours, theirs in zip(english.steps, translated.steps):
        assert theirs.note and theirs.note != ours.note


def said_in(app, locale: str, message: str, **language_codes) -> str:
    """A message as the interface says it in that locale, whatever the catalogs hold yet; each
    placeholder is a language code, given as the language's name."""
    from flask_babel import gettext

    from emm_learn.i18n import language_name
    with app.test_request_context(f"/?lang={locale}"):
        names = {key: language_name(code) for key, code in language_codes.items()}
        return gettext(message, **names)


MISSING_NOTICE = ("This learning path is not yet available in %(language)s; here is the English "
                  "original.")
OUTDATED_NOTICE = ("The %(language)s translation of this learning path is older than the English "
                   "original and is being brought up to date; here is the English original.")


@pytest.fixture
def reader(app, make_user):
    """reader(language, role) -> a client signed in with an account in that language."""
    def factory(language: str, role: str = "learner"):
        user = make_user(role, locale=language)
        client = app.test_client()
        assert sign_in(client, user).status_code == 302
        return client, user
    return factory


def test_a_spanish_reader_sees_the_path_its_steps_and_links_in_spanish(app, reader):
    client, _ = reader("es")
    page = client.get("/paths/border-officials")
    html, text = page.get_data(as_text=True), text_of(page)
    assert '<html lang="es"' in html
    assert re.search(r"<h1>\s*Formación inicial del personal de fronteras\s*</h1>", html)
    assert "Personal de fronteras y de inmigración en sus primeros meses de servicio" in text
    assert "Empiece aquí." in text and "Start here." not in text
    # Steps are named with the Spanish chapter and section titles and lead to the section.
    assert steps_listed(client, "border-officials")[:2] == [
        "1.1 Terminología: Por qué importa compartir las palabras",
        "1.1 Terminología: Las categorías de migrantes y sus solapamientos"]
    assert 'href="/chapters/1.1#why-shared-words"' in html
    assert "translation-notice" not in html
    listed = text_of(client.get("/paths"))
    assert "Lucha contra la trata y protección" in listed
    assert said_in(app, "es", "in English") not in listed
    # Following in Spanish is following the same path: the English page knows it.
    post_form(client, "/paths/border-officials/start")
    home = text_of(client.get("/"))
    assert "Formación inicial del personal de fronteras" in home
    english = client.get("/paths/border-officials?lang=en").get_data(as_text=True)
    assert "Induction for border officials" in english and "Remove from my home page" in english


def test_pre_reading_shows_in_each_readers_language(app, reader, signed_in_client):
    organiser, organiser_user = reader("es", "trainer")
    workshop_id, code = make_workshop(app, organiser_user.id, date.today() + timedelta(days=7))
    chosen = post_form(organiser, f"/workshops/{workshop_id}/prereading",
                       {"path": "labour-migration-desk"}, follow_redirects=True)
    assert "Personal de las oficinas de migración laboral" in text_of(chosen)
    assert ('<option value="policy-foundations">Fundamentos para el nuevo personal de '
            'políticas</option>') in chosen.get_data(as_text=True)
    participant, _ = reader("fr")
    join(participant, code)
    mine = text_of(participant.get(f"/workshops/{workshop_id}/mine"))
    assert "Agents des services de migration de main-d'œuvre" in mine
    assert "Labour migration desk officers" not in mine


SHORT_PATH = """---
title: {title}
audience: {audience}
{translated_from}---

{intro}

# Steps

## 2.6
{note_1}

## 2.3#remittances
{note_2}
"""


def write_path(file, translated_from="", **text) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    line = f"translated_from: {translated_from}\n" if translated_from else ""
    file.write_text(SHORT_PATH.format(translated_from=line, **text), encoding="utf-8")


@pytest.fixture(scope="module")
def short_paths_content(tmp_path_factory):
    """Volume 2 in three languages and two short paths: 'labour-brief' translated into Spanish
    and (from an older English) into French, 'remittances-brief' into neither."""
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(CONTENT / "volume2", content / "volume2")
    for language in ("es", "fr"):
        shutil.copytree(CONTENT / language / "volume2", content / language / "volume2")
    for number in (1, 3):
        (content / f"volume{number}").mkdir(exist_ok=True)
        shutil.copy(CONTENT / f"volume{number}" / "volume.md", content / f"volume{number}")
    shutil.copy(CONTENT / "volume1" / "glossary.yaml", content / "volume1")
    english = content / "paths" / "labour-brief.md"
    write_path(english, title="Labour desk in brief", audience="Desk officers",
               intro="Two steps.", note_1="The whole chapter.", note_2="What workers send.")
    write_path(content / "paths" / "remittances-brief.md", title="Remittances in brief",
               audience="Finance officials", intro="One topic.", note_1="Read it.",
               note_2="Then this.")
    write_path(content / "es" / "paths" / "labour-brief.md", file_hash(english),
               title="La oficina laboral en breve", audience="Personal de oficina",
               intro="Dos pasos.", note_1="El capítulo completo.", note_2="Lo que envían.")
    write_path(content / "fr" / "paths" / "labour-brief.md", "0123456789ab",
               title="Le guichet du travail en bref", audience="Agents", intro="Deux étapes.",
               note_1="Le chapitre entier.", note_2="Ce qu'ils envoient.")
    return content


@pytest.fixture(scope="module")
def short_paths_app(short_paths_content, database_url, tmp_path_factory, app):
    application = app_with_content(short_paths_content, database_url,
                                   tmp_path_factory.mktemp("instance"), "test-short-paths")
    yield application
    with application.app_context():
        db.engine.dispose()


def test_a_missing_or_outdated_path_translation_shows_the_english_with_a_notice(
        short_paths_app, make_user):
    def signed_in(language):
        client = short_paths_app.test_client()
        assert sign_in(client, make_user("learner", locale=language)).status_code == 302
        return client

    spanish, french = signed_in("es"), signed_in("fr")
    missing = spanish.get("/paths/remittances-brief").get_data(as_text=True)
    assert re.search(r'<p class="notice translation-notice" role="note">([^<]+)</p>',
                     missing)[1] == escape(said_in(short_paths_app, "es", MISSING_NOTICE,
                                                   language="es"))
    assert '<h1 lang="en">Remittances in brief</h1>' in missing
    assert '<div class="path-note" lang="en"><p>Read it.</p>' in missing
    # The steps are still named in Spanish where their chapter is translated.
    assert steps_listed(spanish, "remittances-brief") == [
        "2.6 Migración y trabajo", "2.3 Migración y desarrollo: Remesas"]
    translated = spanish.get("/paths/labour-brief").get_data(as_text=True)
    assert "<h1>La oficina laboral en breve</h1>" in translated
    assert "translation-notice" not in translated

    outdated = french.get("/paths/labour-brief").get_data(as_text=True)
    assert re.search(r'<p class="notice translation-notice" role="note">([^<]+)</p>',
                     outdated)[1] == escape(said_in(short_paths_app, "fr", OUTDATED_NOTICE,
                                                    language="fr"))
    assert '<h1 lang="en">Labour desk in brief</h1>' in outdated
    assert "Le guichet du travail en bref" not in outdated
    listed = french.get("/paths").get_data(as_text=True)
    assert (f'<a href="/paths/labour-brief" lang="en">Labour desk in brief</a> <span class="badge '
            f'muted">{escape(said_in(short_paths_app, "fr", "in English"))}</span>') in listed


def test_check_content_flags_a_path_translation_that_left_the_english_steps(tmp_path):
    from emm_learn.cli import main
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    spanish = content / "es" / "paths" / "border-officials.md"
    lines = spanish.read_text(encoding="utf-8").splitlines()
    third, fourth = lines.index("## 1.4#sovereignty"), lines.index("## 1.4#limits")
    lines[third], lines[fourth] = lines[fourth], lines[third]  # two steps swapped
    spanish.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stray = content / "fr" / "paths" / "no-such-path.md"
    shutil.copy(content / "fr" / "paths" / "border-officials.md", stray)

    result = CliRunner().invoke(main, ["check-content", "--content", str(content)])
    assert result.exit_code == 1
    output = result.output.splitlines()
    assert (f"{spanish}:{third + 1}: step 3: the English has '1.4#sovereignty', the translation "
            "'1.4#limits' (same steps, in the same order)") in output
    assert f"{stray}:1: no English path with this file name in {content / 'paths'}" in output
    assert load_curriculum(content).ready_paths["border-officials"].in_language("es").status \
        == "missing"  # a broken translation is never shown

    # The English changes its steps: both translations are out of date, which is no failure.
    shutil.copy(CONTENT / "es" / "paths" / "border-officials.md", spanish)
    stray.unlink()
    english = content / "paths" / "border-officials.md"
    before = file_hash(english)
    text = english.read_text(encoding="utf-8")
    english.write_text(text[:text.index("## 3.3#own-country-border-map")].rstrip() + "\n",
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["check-content", "--content", str(content)])
    assert result.exit_code == 0, result.output
    for language in ("es", "fr"):
        translation = content / language / "paths" / "border-officials.md"
        line = translation.read_text(encoding="utf-8").splitlines().index(
            f"translated_from: {before}") + 1
        assert (f"{translation}:{line}: out of date: translated from {before}, the English "
                f"original is now {file_hash(english)}") in result.output
        assert (f"{language}: 32 of 32 chapters translated, 0 out of date, 3 of 4 learning paths "
                "translated, 1 out of date") in result.output
