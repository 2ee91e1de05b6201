"""The curriculum in English, Spanish and French: the translations' structure, out-of-date and
missing translations, the language a reader gets and keeps, side by side, and the page cache."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from emm_learn.cli import main
from emm_learn.curriculum.library import current_curriculum, load_curriculum
from emm_learn.curriculum.translations import check_file, file_hash
from emm_learn.extensions import db
from emm_learn.i18n import LANGUAGE_COOKIE
from tests.conftest import ROOT, app_with_content, post_form, sign_in

CONTENT = ROOT / "content"
TRANSLATIONS = sorted(path for language in ("es", "fr")
                      for path in (CONTENT / language).glob("volume*/*.md"))
SPANISH_2_6 = "Migración y trabajo"
FRENCH_2_6 = "Migration et travail"


def html_of(client, url: str, status: int = 200, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def said(app, locale: str, message: str, **variables) -> str:
    """What the interface says in that language (HTML-escaped); a `language` variable is a
    language code, named in that language."""
    from flask_babel import force_locale, gettext
    from emm_learn.i18n import language_name
    with app.test_request_context(), force_locale(locale):
        if "language" in variables:
            variables["language"] = language_name(variables["language"])
        return str(escape(gettext(message, **variables)))


NOT_YET = "This chapter is not yet available in %(language)s; here is the English original."


def h1(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S)[1]).strip()


# -- the real translations ---------------------------------------------------------------------
@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_translation_has_the_structure_of_its_english_original(path):
    assert check_file(path, CONTENT) == []


def test_every_translated_summary_keeps_to_the_40_word_limit():
    from emm_learn.curriculum.checks import LIMITS
    curriculum = load_curriculum(CONTENT)
    too_long = [(language, number, len(chapter.summary.split()))
                for language, edition in curriculum.editions.items()
                for number, chapter in edition.chapters.items()
                if len(chapter.summary.split()) > LIMITS["summary_words"]]
    assert too_long == []


def test_every_volume_introduction_is_translated_from_the_current_english():
    curriculum = load_curriculum(CONTENT)
    for language in ("es", "fr"):
        edition = curriculum.editions[language]
        for volume in curriculum.volumes:
            if (CONTENT / language / f"volume{volume.number}" / "volume.md").exists():
                assert edition.volume_status[volume.number] == "translated", (language, volume)
                assert edition.volumes[volume.number].title != volume.title


# -- a content folder of our own: one translation up to date, one out of date, one missing -------
@pytest.fixture(scope="module")
def small_content(tmp_path_factory) -> Path:
    """Volume 2 in English; in Spanish 2.6 (current), 2.5 (made from an older English), no 2.7."""
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(CONTENT / "volume2", content / "volume2")
    for number in (1, 3):
        (content / f"volume{number}").mkdir()
        shutil.copy(CONTENT / f"volume{number}" / "volume.md", content / f"volume{number}")
    shutil.copy(CONTENT / "volume1" / "glossary.yaml", content / "volume1")
    for language in ("es", "fr"):
        (content / language / "volume2").mkdir(parents=True)
        shutil.copy(CONTENT / language / "volume2" / "volume.md", content / language / "volume2")
    for name in ("2.6-migration-and-labour.md", "2.5-migration-and-family.md"):
        shutil.copy(CONTENT / "es" / "volume2" / name, content / "es" / "volume2")
    shutil.copy(CONTENT / "fr" / "volume2" / "2.6-migration-and-labour.md", content / "fr" / "volume2")
    outdated = content / "es" / "volume2" / "2.5-migration-and-family.md"
    outdated.write_text(re.sub(r"translated_from: \w+", "translated_from: 0123456789ab",
                               outdated.read_text(encoding="utf-8")), encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def small_app(small_content, database_url, tmp_path_factory, app):
    application = app_with_content(small_content, database_url,
                                   tmp_path_factory.mktemp("instance"), "test-small")
    yield application
    with application.app_context():
        db.engine.dispose()  # its pooled connections must not outlive the tests that used them


def test_check_content_reports_an_outdated_translation_with_file_and_line(small_content):
    result = CliRunner().invoke(main, ["check-content", "--content",
                                                       str(small_content)])
    outdated = small_content / "es" / "volume2" / "2.5-migration-and-family.md"
    line = outdated.read_text(encoding="utf-8").splitlines().index(
        "translated_from: 0123456789ab") + 1
    english = file_hash(small_content / "volume2" / "2.5-migration-and-family.md")
    assert f"{outdated}:{line}: out of date: translated from 0123456789ab, the English original " \
           f"is now {english}" in result.output
    # Out of date is not broken: readers get the English with a notice, the check still passes.
    assert result.exit_code == 0, result.output
    assert "es: 1 of 32 chapters translated, 1 out of date" in result.output
    assert "fr: 1 of 32 chapters translated, 0 out of date" in result.output


def test_check_content_fails_on_a_translation_that_lost_a_prompt(tmp_path, small_content):
    content = tmp_path / "content"
    shutil.copytree(small_content, content)
    broken = content / "fr" / "volume2" / "2.6-migration-and-labour.md"
    lines = broken.read_text(encoding="utf-8").splitlines()
    exercises = lines.index("# Exercises")
    first_prompt = next(i for i in range(exercises, len(lines)) if lines[i].startswith("1. "))
    del lines[first_prompt]
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check-content", "--content", str(content)])
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(broken))}:{exercises + 1}: prompts of exercise [a-z-]+: "
                     r"the English has \d, the translation \d", result.output), result.output
    assert load_curriculum(content).chapter_version("2.6", "fr").status == "missing"


def test_an_outdated_volume_introduction_is_flagged_and_the_english_shown(tmp_path, small_content):
    content = tmp_path / "content"
    shutil.copytree(small_content, content)
    introduction = content / "es" / "volume2" / "volume.md"
    text = introduction.read_text(encoding="utf-8")
    introduction.write_text(re.sub(r"translated_from: \w+", "translated_from: 000000000000", text),
                            encoding="utf-8")
    line = text.splitlines().index(next(l for l in text.splitlines()
                                        if l.startswith("translated_from:"))) + 1
    assert check_file(introduction, content) == [
        f"{introduction}:{line}: out of date: translated from 000000000000, the English original "
        f"is now {file_hash(content / 'volume2' / 'volume.md')}"]
    result = CliRunner().invoke(main, ["check-content", "--content", str(content)])
    assert result.exit_code == 0 and f"{introduction}:{line}: out of date" in result.output
    curriculum = load_curriculum(content)
    assert curriculum.editions["es"].volume_status[2] == "outdated"
    assert curriculum.volume(2, "es") == curriculum.volume(2)


def test_a_missing_translation_shows_the_english_with_a_notice_in_the_readers_language(small_app):
    client = small_app.test_client()
    html = html_of(client, "/chapters/2.7?lang=es")
    assert '<html lang="es">' in html
    assert said(small_app, "es", NOT_YET, language="es") in html
    assert h1(html) == "2.7 Migration and Health"
    assert '<div class="chapter-body" lang="en"' in html
    assert html.count("<section class=\"narrative") >= 4  # the whole chapter, never an empty page


def test_an_outdated_translation_shows_the_english_with_its_own_notice(small_app):
    html = html_of(small_app.test_client(), "/chapters/2.5?lang=es")
    assert said(small_app, "es", "The %(language)s translation of this chapter is older than the "
                "English original and is being brought up to date; here is the English original.",
                language="es") in html
    assert h1(html) == "2.5 Migration and Family"
    assert '<div class="chapter-body" lang="en"' in html


def test_an_up_to_date_translation_is_shown_in_its_language(small_app):
    html = html_of(small_app.test_client(), "/chapters/2.6?lang=es")
    assert h1(html) == f"2.6 {SPANISH_2_6}"
    assert '<div class="chapter-body" lang="es"' in html
    assert "translation-notice" not in html


def test_lists_title_each_chapter_in_the_readers_language_or_say_it_is_english(small_app):
    client = small_app.test_client()
    for url in ("/?lang=es", "/volumes/2?lang=es"):
        html = html_of(client, url)
        assert f"2.6</span> {SPANISH_2_6}</a>" in html
        assert re.search(r'<li lang="en">\s*<a href="/chapters/2.7"><span class="chapter-number">2.7'
                         r'</span> Migration and Health</a>\s*<span class="badge muted" lang="es">'
                         + re.escape(said(small_app, "es", "in English")) + "</span>", html), url
    volume = html_of(client, "/volumes/2?lang=es")
    assert '<span lang="es">Elaboración de la política migratoria</span>' in volume
    assert "translation-notice" not in volume
    untranslated = html_of(client, "/volumes/1?lang=es")
    assert said(small_app, "es", "This volume’s introduction is not yet available in %(language)s; "
                "here is the English original.", language="es") in untranslated
    assert '<div class="volume-description" lang="en">' in untranslated
    revision = html_of(client, "/volumes/2/key-messages?lang=es")
    assert '<section class="revision-chapter" lang="es"' in revision
    assert said(small_app, "es", "Not yet available in %(language)s; here is the English original.",
                language="es") in revision
    printed = html_of(client, "/volumes/2/print?lang=es")
    assert '<article class="printed-chapter" lang="es" id="c2-6"' in printed
    assert '<article class="printed-chapter" lang="en" id="c2-7"' in printed


# -- the real curriculum in Spanish and French --------------------------------------------------
def test_translated_chapters_link_glossary_terms_and_chapters_in_their_language(app, client):
    with app.app_context():
        spanish = current_curriculum().chapter("2.6", "es")
        glossary = {t.anchor: t.term for t in current_curriculum().glossary_in("es")}
    html = " ".join(section.html for section in spanish.sections)
    links = re.findall(r'<a href="/glossary\?lang=es#([a-z0-9-]+)"[^>]*>([^<]+)</a>', html)
    assert len(links) >= 5
    for anchor, text in links:
        assert text.lower().startswith(glossary[anchor].lower()[:4]), (anchor, text)
    assert re.search(r'<a class="chapter-ref" href="/chapters/\d\.\d+\?lang=es">\d\.\d+ Migración',
                     html)
    page = html_of(client, "/glossary?lang=es")
    assert re.search(r'<dt id="migrant-worker"[^>]*>(<span[^>]*>T</span>)?<dfn>trabajador '
                     r"migratorio</dfn>", page)


def test_side_by_side_aligns_two_languages_section_by_section(app, client):
    html = html_of(client, "/chapters/2.6/side-by-side?left=en&right=es")
    with app.app_context():
        english = current_curriculum().chapter("2.6")
    sections = [s.anchor for s in english.sections]
    exercises = [e.anchor for e in english.exercises]
    for side, language in (("left", "en"), ("right", "es")):
        cells = re.findall(rf'<div class="sbs-cell sbs-{side}" lang="([a-z]+)"(?: data-anchor="'
                           r'([a-z0-9-]+)")?>', html)
        assert {lang for lang, _ in cells} == {language}
        anchors = [anchor for _, anchor in cells if anchor]
        assert anchors == sections + exercises, side
    assert english.sections[0].title in html and SPANISH_2_6 in html
    assert html.count('class="sbs-row sbs-prompt"') == sum(len(e.prompts) for e in english.exercises)
    chapter_page = html_of(client, "/chapters/2.6")
    assert 'href="/chapters/2.6/side-by-side"' in chapter_page


def test_side_by_side_defaults_to_english_beside_the_readers_language(client):
    html = html_of(client, "/chapters/2.6/side-by-side", headers={"Accept-Language": "fr"})
    assert 'class="sbs-cell sbs-left" lang="en"' in html
    assert 'class="sbs-cell sbs-right" lang="fr"' in html and FRENCH_2_6 in html
    wrong = client.get("/chapters/2.6/side-by-side?left=xx&right=en")
    assert wrong.status_code == 302
    assert wrong.headers["Location"].endswith("/chapters/2.6/side-by-side?left=en&right=es")
    assert client.get("/chapters/9.9/side-by-side").status_code == 404


# -- choosing the language -----------------------------------------------------------------------
def test_the_switcher_remembers_an_anonymous_readers_choice_in_a_cookie(client):
    assert h1(html_of(client, "/chapters/2.6")) == "2.6 Migration and Labour"
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html_of(client, "/chapters/2.6"),
                         re.S)[0]
    assert 'href="/language/es?next=/chapters/2.6"' in switcher
    response = client.get("/language/es?next=/chapters/2.6")
    assert response.status_code == 302 and response.headers["Location"].endswith("/chapters/2.6")
    cookie = client.get_cookie(LANGUAGE_COOKIE)
    assert cookie.value == "es" and cookie.http_only and cookie.same_site == "Lax"
    assert client.get_cookie("session") is None  # nothing personal: cached pages stay shared
    html = html_of(client, "/chapters/2.6")
    assert '<html lang="es">' in html and h1(html) == f"2.6 {SPANISH_2_6}"


def test_an_explicit_lang_shows_that_language_without_changing_the_choice(client):
    client.get("/language/es?next=/")
    assert h1(html_of(client, "/chapters/2.6?lang=fr")) == f"2.6 {FRENCH_2_6}"
    assert h1(html_of(client, "/chapters/2.6")) == f"2.6 {SPANISH_2_6}"
    assert client.get_cookie(LANGUAGE_COOKIE).value == "es"


def test_the_switcher_goes_back_only_to_a_page_of_this_site(client):
    for target in ("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:x"):
        response = client.get("/language/fr", query_string={"next": target})
        assert response.status_code == 302
        assert response.headers["Location"] in ("/", "http://localhost/"), target
    assert client.get("/language/de?next=/").status_code == 404


def test_a_choice_made_before_signing_in_is_copied_into_the_account(app, client, make_user):
    from emm_learn.accounts.models import User
    fresh, settled = make_user(), make_user(locale="es")
    client.get("/language/fr?next=/")
    assert sign_in(client, fresh).status_code == 302
    assert h1(html_of(client, "/chapters/2.6")) == f"2.6 {FRENCH_2_6}"
    other = app.test_client()
    client.get("/language/fr?next=/")
    sign_in(other, settled)
    with app.app_context():
        assert db.session.get(User, fresh.id).locale == "fr"
        assert db.session.get(User, settled.id).locale == "es"  # an account's own choice stays
    elsewhere = app.test_client()  # another device: no cookie, the account decides
    sign_in(elsewhere, fresh)
    assert h1(html_of(elsewhere, "/chapters/2.6")) == f"2.6 {FRENCH_2_6}"


def test_a_signed_in_reader_switches_with_a_form_that_sets_the_account(app, signed_in_client):
    from emm_learn.accounts.models import User
    client, user = signed_in_client()
    html = html_of(client, "/chapters/2.6")
    assert re.search(r'<form class="inline" method="post" action="/language/es\?next=/chapters/2.6">'
                     r'\s*<input type="hidden" name="csrf_token"', html)
    assert client.post("/language/es?next=/chapters/2.6").status_code == 400  # no CSRF token
    client.get("/language/es?next=/")  # a GET never changes the account
    with app.app_context():
        assert db.session.get(User, user.id).locale is None
    response = post_form(client, "/language/es?next=/chapters/2.6")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).locale == "es"
    assert h1(html_of(client, "/chapters/2.6")) == f"2.6 {SPANISH_2_6}"


def test_curriculum_pages_link_their_other_language_versions(client):
    for url in ("/chapters/2.6", "/volumes/1", "/glossary", "/"):
        html = html_of(client, url)
        path = url
        for code in ("en", "es", "fr"):
            assert f'<link rel="alternate" hreflang="{code}" href="{path}?lang={code}">' in html
        assert f'<link rel="alternate" hreflang="x-default" href="{path}">' in html
    assert 'hreflang="es" href' not in html_of(client, "/account/sign-in").split("</head>")[0]


# -- the page cache never mixes languages -------------------------------------------------------
def test_the_page_cache_serves_each_reader_their_own_language(app):
    app.extensions["emm_page_store"].clear()
    readers = {
        "en": ({}, "Migration and Labour"),
        "es": ({"Accept-Language": "es"}, SPANISH_2_6),
        "fr": ({"Cookie": f"{LANGUAGE_COOKIE}=fr"}, FRENCH_2_6),
        "fr+es": ({"Cookie": f"{LANGUAGE_COOKIE}=fr", "Accept-Language": "es"}, FRENCH_2_6),
    }
    for _ in range(2):  # the first round renders and keeps each page, the second is from memory
        for name, (headers, title) in readers.items():
            response = app.test_client(use_cookies=False).get("/chapters/2.6", headers=headers)
            assert h1(response.get_data(as_text=True)) == f"2.6 {title}", name
            assert "ETag" in response.headers
    for query, title in (("lang=es", SPANISH_2_6), ("lang=fr", FRENCH_2_6), ("", "Migration and Labour")):
        for _ in range(2):
            response = app.test_client(use_cookies=False).get(
                "/chapters/2.6" + (f"?{query}" if query else ""),
                headers={"Cookie": f"{LANGUAGE_COOKIE}=en"})
            assert h1(response.get_data(as_text=True)) == f"2.6 {title}", query
    keys = set(app.extensions["emm_page_store"].pages)
    assert {("en", "/chapters/2.6"), ("es", "/chapters/2.6"), ("fr", "/chapters/2.6"),
            ("es", "/chapters/2.6?lang=es"), ("fr", "/chapters/2.6?lang=fr")} <= keys


def test_the_side_by_side_page_is_cached_per_pair_of_languages(app):
    app.extensions["emm_page_store"].clear()
    for _ in range(2):
        for right in ("es", "fr"):
            html = app.test_client(use_cookies=False).get(
                f"/chapters/2.6/side-by-side?left=en&right={right}").get_data(as_text=True)
            assert f'class="sbs-cell sbs-right" lang="{right}"' in html


# -- worksheets in the reader's language --------------------------------------------------------
def test_worksheet_prompts_follow_the_language_and_answers_stay_attached(app, make_user):
    user = make_user(locale="fr")
    client = app.test_client()
    sign_in(client, user)
    with app.app_context():
        curriculum = current_curriculum()
        french, english = curriculum.chapter("2.6", "fr"), curriculum.chapter("2.6")
    exercise_fr, exercise_en = french.exercises[0], english.exercises[0]
    page = html_of(client, "/chapters/2.6")
    label = re.search(rf'<label for="answer-{exercise_fr.anchor}-1">(.*?)</label>', page, re.S)[1]
    assert label == exercise_fr.prompts[0].html != exercise_en.prompts[0].html
    response = post_form(client, f"/worksheets/2.6/{exercise_fr.anchor}",
                         {"answer-1": "Ma réponse, as written", "version-1": "0"})
    assert response.status_code == 302
    overview = html_of(client, "/worksheets")
    assert str(escape(exercise_fr.title)) in overview and said(app, "fr", "%(n)d of %(total)d prompts answered", n=1, total=len(exercise_fr.prompts)) in overview
    markdown = html_of(client, "/worksheets/2.6/export.md")
    assert f"*{said(app, 'fr', 'Prompts in %(language)s.', language='fr')}*" in markdown
    assert exercise_fr.prompts[0].text in markdown and "Ma réponse, as written" in markdown
    printable = html_of(client, "/worksheets/2.6/print")
    assert said(app, "fr", "Prompts in %(language)s.", language="fr") in printable and '<p class="prompt-text" lang="fr">' in printable
    post_form(client, "/language/en?next=/")
    markdown = html_of(client, "/worksheets/2.6/export.md")
    assert "*Prompts in English.*" in markdown and exercise_en.prompts[0].text in markdown
    assert "Ma réponse, as written" in markdown


# -- terminology -------------------------------------------------------------------------------
def test_the_terminology_check_finds_a_synonym_used_instead_of_the_glossary_term(tmp_path):
    from emm_learn.curriculum.terminology import check_terminology
    (tmp_path / "volume1").mkdir()
    shutil.copy(CONTENT / "volume1" / "glossary.yaml", tmp_path / "volume1")
    english = "2.6-migration-and-labour.md"
    (tmp_path / "volume2").mkdir()
    shutil.copy(CONTENT / "volume2" / english, tmp_path / "volume2")
    for language in ("es", "fr"):
        (tmp_path / language / "volume2").mkdir(parents=True)
        shutil.copy(CONTENT / language / "volume2" / english, tmp_path / language / "volume2")
    faithful = check_terminology(tmp_path)
    assert faithful.uses["es"] > 10 and faithful.misses["es"] == []
    spanish = tmp_path / "es" / "volume2" / english
    text = re.sub(r"(?i)trabajador(es)? migratorio(s)?", "obreros extranjeros",
                  spanish.read_text(encoding="utf-8"))
    spanish.write_text(text, encoding="utf-8")
    drifted = check_terminology(tmp_path)
    assert ("2.6", "migrant worker", "trabajador migratorio") in drifted.misses["es"]
    assert drifted.misses["fr"] == faithful.misses["fr"]
