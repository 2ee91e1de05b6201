"""Worksheets: answering without JavaScript, never losing an answer, history, exports, privacy."""
from __future__ import annotations

import re

import pytest

from emm_learn.curriculum.library import current_curriculum
from emm_learn.worksheets.services import MAX_ANSWER_CHARS
from tests.conftest import post_form, sign_in


@pytest.fixture
def exercise(app):
    with app.app_context():
        chapter = current_curriculum().chapter("2.6")
    return chapter.exercises[0]


def save_form(client, exercise, answers: dict[int, str], versions: dict[int, int] | None = None,
              page: str = "/chapters/2.6"):
    data = {f"answer-{n}": text for n, text in answers.items()}
    data.update({f"version-{n}": str((versions or {}).get(n, 0)) for n in answers})
    return post_form(client, f"/worksheets/2.6/{exercise.anchor}", data, page=page)


def autosave(client, exercise, prompt: int, text: str, version: int, page: str = "/chapters/2.6"):
    return post_form(client, f"/worksheets/2.6/{exercise.anchor}/{prompt}",
                     {"text": text, "version": str(version)}, page=page,
                     headers={"Accept": "application/json"})


def versions_on_page(client, exercise) -> dict[int, int]:
    html = client.get("/chapters/2.6").get_data(as_text=True)
    form = html.split(f'/worksheets/2.6/{exercise.anchor}"', 1)[1].split("</form>")[0]
    return {int(n): int(v) for n, v in re.findall(r'name="version-(\d+)" value="(\d+)"', form)}


def test_anonymous_readers_see_prompts_and_an_invitation(client, exercise):
    html = client.get("/chapters/2.6").get_data(as_text=True)
    assert exercise.prompts[0].html in html
    assert "Sign in to answer these prompts" in html and "<textarea" not in html


def test_saving_without_javascript_returns_to_the_exercise(signed_in_client, exercise):
    client, _ = signed_in_client()
    response = save_form(client, exercise, {1: "We use **bilateral** agreements.", 2: ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/chapters/2.6#{exercise.anchor}")
    html = client.get("/chapters/2.6").get_data(as_text=True)
    assert "are saved." in html
    assert "We use **bilateral** agreements.</textarea>" in html
    assert "<strong>bilateral</strong>" in html  # shown rendered too


def test_every_save_keeps_a_revision_and_an_old_one_can_be_restored(app, signed_in_client, exercise):
    client, _ = signed_in_client()
    assert autosave(client, exercise, 1, "first draft", 0).json == {"status": "saved", "version": 1}
    assert autosave(client, exercise, 1, "second draft", 1).json["version"] == 2
    html = client.get("/chapters/2.6").get_data(as_text=True)
    history_url = re.search(r'href="(/worksheets/answers/\d+/history)"', html)[1]
    history = client.get(history_url).get_data(as_text=True)
    assert "first draft" in history and "second draft" in history
    restore_url = re.findall(r'action="(/worksheets/answers/\d+/revisions/\d+/restore)"', history)[0]
    assert post_form(client, restore_url, page=history_url).status_code == 302
    history = client.get(history_url).get_data(as_text=True)
    assert history.count("first draft") == 2 and "restored" in history
    assert "first draft</textarea>" in client.get("/chapters/2.6").get_data(as_text=True)


def test_a_stale_page_never_overwrites_and_both_texts_are_kept(signed_in_client, exercise):
    client, _ = signed_in_client()
    autosave(client, exercise, 1, "written on the laptop", 0)
    # The phone's page was loaded before the laptop saved: it still says version 0.
    response = save_form(client, exercise, {1: "written on the phone"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "written on the laptop" in html and "written on the phone" in html
    page = client.get("/chapters/2.6").get_data(as_text=True)
    assert "written on the laptop</textarea>" in page  # the newer text stayed
    # The learner merges both and saves.
    action = re.search(r'action="(/worksheets/answers/\d+/resolve)"', html)[1]
    version = re.search(r'name="version" value="(\d+)"', html)[1]
    assert post_form(client, action, {"text": "laptop and phone, merged", "version": version},
                     page="/chapters/2.6").status_code == 302
    assert "laptop and phone, merged</textarea>" in client.get("/chapters/2.6").get_data(as_text=True)


def test_autosave_conflict_is_reported_with_a_way_to_compare(signed_in_client, exercise):
    client, _ = signed_in_client()
    autosave(client, exercise, 2, "tab one", 0)
    response = autosave(client, exercise, 2, "tab two", 0)
    assert response.status_code == 409 and response.json["status"] == "conflict"
    compare = client.get(response.json["compare_url"]).get_data(as_text=True)
    assert "tab one" in compare and "tab two" in compare


def test_two_devices_saving_the_same_version_both_texts_survive(app, signed_in_client, exercise):
    client, _ = signed_in_client()
    first = autosave(client, exercise, 1, "device A", 0)
    second = autosave(client, exercise, 1, "device B", 0)
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    history_url = re.search(r'href="(/worksheets/answers/\d+/history)"',
                            client.get("/chapters/2.6").get_data(as_text=True))[1]
    history = client.get(history_url).get_data(as_text=True)
    assert "device A" in history and "device B" in history


def test_an_answer_over_the_limit_is_refused_and_handed_back(signed_in_client, exercise):
    client, _ = signed_in_client()
    long_text = "Field notes. " * (MAX_ANSWER_CHARS // 13 + 5)
    response = save_form(client, exercise, {1: long_text, 2: "short"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at most 20000 characters" in html.replace(",", "") and long_text.strip() in html
    assert "<textarea" in html and "short</textarea>" in html
    json_response = autosave(client, exercise, 1, long_text, 0)
    assert json_response.status_code == 400 and json_response.json["status"] == "too-long"
    assert autosave(client, exercise, 1, "x" * MAX_ANSWER_CHARS, 0).status_code == 200


def test_an_ended_session_keeps_the_text_until_the_learner_signs_in(app, make_user, exercise):
    user = make_user()
    client = app.test_client()
    sign_in(client, user)
    post_form(client, "/account/sign-out")  # the session ends (or expires) while the page stays open
    response = save_form(client, exercise, {1: "typed while signed out", 2: "second answer"},
                         page="/account/sign-in")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert autosave(client, exercise, 1, "x", 0, page="/account/sign-in").status_code == 401
    back = sign_in(client, user, next=f"/chapters/2.6#{exercise.anchor}")
    assert back.headers["Location"] == f"/chapters/2.6#{exercise.anchor}"
    html = client.get("/chapters/2.6").get_data(as_text=True)
    assert "Your unsaved text is back" in html
    assert "typed while signed out</textarea>" in html and "second answer</textarea>" in html


def test_my_worksheets_shows_completion_per_exercise(signed_in_client, exercise):
    client, _ = signed_in_client()
    assert "not answered any exercise" in client.get("/worksheets").get_data(as_text=True)
    answers = {p.number: f"answer {p.number}" for p in exercise.prompts}
    save_form(client, exercise, {**answers, 1: ""})
    html = client.get("/worksheets").get_data(as_text=True)
    assert f"{len(exercise.prompts) - 1} of {len(exercise.prompts)} prompts answered" in html
    assert "0 of" in html and "exercises complete" in html
    save_form(client, exercise, answers, versions=versions_on_page(client, exercise))
    html = client.get("/worksheets").get_data(as_text=True)
    assert f"{len(exercise.prompts)} of {len(exercise.prompts)} prompts answered" in html
    assert "1 of" in html and "complete</span>" in html


def test_exports_hold_scenario_prompts_answers_and_date(signed_in_client, exercise):
    client, user = signed_in_client()
    save_form(client, exercise, {1: "Our ministry of labour leads."})
    markdown = client.get("/worksheets/2.6/export.md")
    text = markdown.get_data(as_text=True)
    assert markdown.headers["Content-Disposition"].startswith('attachment; filename="emm-worksheet-2.6-')
    assert exercise.title in text and exercise.prompts[0].text in text
    assert "Our ministry of labour leads." in text and "(not answered yet)" in text
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}", text)  # the date, written the reader's way
    assert "Our ministry of labour leads." in client.get("/worksheets/export.md").get_data(as_text=True)
    printable = client.get("/worksheets/print").get_data(as_text=True)
    assert "Our ministry of labour leads." in printable and exercise.scenario_html[:40] in printable


def test_nobody_can_read_or_change_another_users_answers(app, signed_in_client, exercise):
    owner, _ = signed_in_client()
    intruder, _ = signed_in_client("admin")
    autosave(owner, exercise, 1, "owner's first draft", 0)
    autosave(owner, exercise, 1, "owner's confidential answer", 1)
    html = owner.get("/chapters/2.6").get_data(as_text=True)
    answer_id = re.search(r"/worksheets/answers/(\d+)/history", html)[1]
    history = owner.get(f"/worksheets/answers/{answer_id}/history").get_data(as_text=True)
    revision_id = re.search(r"/revisions/(\d+)/restore", history)[1]  # the first draft, restorable
    for url in (f"/worksheets/answers/{answer_id}/history",
                f"/worksheets/answers/{answer_id}/compare/{revision_id}"):
        response = intruder.get(url)
        assert response.status_code == 404 and "confidential" not in response.get_data(as_text=True)
    for url, data in ((f"/worksheets/answers/{answer_id}/resolve", {"text": "defaced", "version": "2"}),
                      (f"/worksheets/answers/{answer_id}/revisions/{revision_id}/restore", {})):
        assert post_form(intruder, url, data).status_code == 404
    for url in ("/worksheets", "/worksheets/export.md", "/worksheets/2.6/export.md",
                "/worksheets/print", "/chapters/2.6"):
        assert "confidential" not in intruder.get(url).get_data(as_text=True)
    assert "owner&#39;s confidential answer</textarea>" in owner.get("/chapters/2.6").get_data(as_text=True)


def test_unknown_exercise_or_prompt_is_404(signed_in_client, exercise):
    client, _ = signed_in_client()
    assert post_form(client, "/worksheets/2.6/no-such-exercise", {}).status_code == 404
    assert autosave(client, exercise, 99, "x", 0).status_code == 404


def test_a_save_without_the_csrf_token_changes_nothing(signed_in_client, exercise):
    client, _ = signed_in_client()
    response = client.post(f"/worksheets/2.6/{exercise.anchor}/1", data={"text": "forged", "version": "0"})
    assert response.status_code == 400
    assert "forged</textarea>" not in client.get("/chapters/2.6").get_data(as_text=True)


def test_history_and_conflict_pages_show_user_text_sanitised(signed_in_client, exercise):
    client, _ = signed_in_client()
    autosave(client, exercise, 1, "<script>alert(1)</script> [x](javascript:alert(1))", 0)
    conflict = autosave(client, exercise, 1, "<img src=x onerror=alert(1)>", 0)
    for url in (conflict.json["compare_url"],
                re.search(r'href="(/worksheets/answers/\d+/history)"',
                          client.get("/chapters/2.6").get_data(as_text=True))[1],
                "/worksheets/print"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert 'href="javascript' not in html.lower()


def test_text_sent_after_the_whole_session_expired_comes_back_after_sign_in(app, make_user, exercise):
    user = make_user()
    client = app.test_client()  # no session at all any more: the form's token cannot match
    data = {"csrf_token": "token-of-the-expired-session", "answer-1": "written before expiry"}
    cross_site = client.post(f"/worksheets/2.6/{exercise.anchor}", data=data,
                             headers={"Origin": "https://evil.example"})
    assert cross_site.status_code == 400  # another site's post is refused, as always
    same_site = client.post(f"/worksheets/2.6/{exercise.anchor}", data=data,
                            headers={"Origin": "http://localhost"})
    assert same_site.status_code == 302 and "/account/sign-in" in same_site.headers["Location"]
    sign_in(client, user)
    assert "written before expiry</textarea>" in client.get("/chapters/2.6").get_data(as_text=True)
