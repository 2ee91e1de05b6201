"""The interface in Spanish and French: every string translated, shown, and formatted the reader's way.

The catalogs are compared with the strings extracted from the source at test time, so a string
added without a translation, or a translation left fuzzy, fails here before a reader sees English
in the middle of a Spanish page. The lints below catch text that never reached gettext at all.
"""
from __future__ import annotations

import ast
import re
from datetime import date, datetime
from html.parser import HTMLParser

import pytest
from babel.messages.mofile import read_mo

from emm_learn import i18n
from tests.conftest import sign_in
from emm_learn.catalogs import (PACKAGE_DIR, extract_catalog, missing_translations, po_path,
                                read_catalog)

TRANSLATED = ("es", "fr")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w+\}")


@pytest.fixture(scope="module")
def extracted():
    return extract_catalog()


def translation_of(language: str, message_id: str) -> str:
    message = read_catalog(po_path(language), language).get(message_id)
    assert message is not None and message.string, f"{language}: {message_id!r} is not translated"
    return message.string


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_interface_string_is_translated(extracted, language):
    catalog = read_catalog(po_path(language), language)
    absent = [m.id for m in extracted if m.id and m.id not in catalog]
    untranslated = [m for m in missing_translations(catalog) if m in extracted]
    assert not absent, f"{len(absent)} strings not in the {language} catalog " \
                       f"(run: emm-learn catalogs update), e.g. {absent[:5]}"
    assert not untranslated, f"{len(untranslated)} strings untranslated or fuzzy in {language}, " \
                             f"e.g. {untranslated[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder_of_the_english(language):
    wrong = []
    for message in read_catalog(po_path(language), language):
        if not message.id or not message.string or message.fuzzy:
            continue  # fuzzy strings are never shown; the completeness test reports them
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            # A singular form may say "one" instead of %(num)d; it may not invent a placeholder.
            found = set(PLACEHOLDER.findall(string))
            if not found <= expected or (len(strings) == 1 and found != expected):
                wrong.append((ids[0], string))
    assert not wrong, f"{language}: placeholders differ from the English: {wrong[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_installed_catalog_is_compiled_from_the_current_translations(language):
    po = po_path(language)
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = {frozen(m.id): frozen(m.string) for m in read_mo(handle) if m.id}
    written = {frozen(m.id): frozen(m.string) for m in read_catalog(po, language)
               if m.id and all(frozen(m.string) if m.string else [""]) and not m.fuzzy}
    stale = {key: value for key, value in written.items() if compiled.get(key) != value}
    assert not stale, f"compiled {language} catalog is older than its .po: {list(stale)[:5]}"


def frozen(value):
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


# --- pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", TRANSLATED)
def test_the_home_page_speaks_the_readers_language(client, language):
    page = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    assert translation_of(language, "Sign in") in page
    assert ">Sign in<" not in page


@pytest.mark.parametrize("language", TRANSLATED)
def test_error_pages_are_translated(client, language):
    response = client.get(f"/no-such-page?lang={language}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert translation_of(language, "Page not found") in page
    assert "There is no page at this address." not in page


def test_a_progress_spreadsheet_has_headers_in_the_readers_language(signed_in_client):
    response = signed_in_client()[0].get("/progress.csv?lang=es")
    header = response.get_data(as_text=True).splitlines()[0]
    assert translation_of("es", "Chapter title") in header
    assert "Chapter title" not in header


def test_an_account_language_is_used_on_another_device_after_signing_in(app, make_user):
    user = make_user(locale="fr")
    browser = app.test_client()
    assert '<html lang="en"' in browser.get("/", headers={"Accept-Language": "en"}).get_data(True)
    assert sign_in(browser, user).status_code == 302
    page = browser.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert translation_of("fr", "Sign out") in page


@pytest.mark.parametrize("language, day, moment, number", [
    ("en", "23 Nov 2026", "23 Nov 2026, 14:30", "1,234.5"),
    ("es", "23 nov 2026", "23 nov 2026, 14:30", "1.234,5"),
    ("fr", "23 nov. 2026", "23 nov. 2026, 14:30", "1\u202f234,5"),
])
def test_dates_and_numbers_are_written_the_readers_way(app, language, day, moment, number):
    with app.test_request_context(f"/?lang={language}"):
        assert i18n.format_day(date(2026, 11, 23)) == day
        assert i18n.format_moment(datetime(2026, 11, 23, 14, 30)) == moment
        assert i18n.format_count(1234.5) == number


# --- text that never reached gettext -------------------------------------------------------------

JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
CLASS_BLOCK = re.compile(r"\{% block body_class %\}.*?\{% endblock %\}", re.S)
WORDS = re.compile(r"[^\W\d_]{2,}")
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-roledescription", "label"}
# Symbols and units every language writes the same way.
NOT_WORDS = {"KB", "MB", "EMM", "CSV", "UTC"}


class VisibleText(HTMLParser):
    """Text and read-aloud attributes of a template whose Jinja parts are blanked out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden_depth += 1
        for name, value in attrs:
            shown = name in READ_ATTRIBUTES or (name == "value" and tag == "input"
                                                and dict(attrs).get("type") in ("submit", "button"))
            if shown and value and self.has_words(value):
                self.found.append((self.getpos()[0], f"{name}={value!r}"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and self.has_words(data):
            self.found.append((self.getpos()[0], data.strip()))

    @staticmethod
    def has_words(text: str) -> bool:
        return any(word not in NOT_WORDS for word in WORDS.findall(text))


def blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group())  # keeps line numbers


def test_templates_have_no_text_outside_gettext():
    found = []
    for template in sorted(PACKAGE_DIR.rglob("templates/**/*.html")):
        source = JINJA.sub(blank, CLASS_BLOCK.sub(blank, template.read_text(encoding="utf-8")))
        parser = VisibleText()
        parser.feed(source)
        found += [f"{template.relative_to(PACKAGE_DIR)}:{line}: {text}"
                  for line, text in parser.found]
    assert not found, "text shown to readers without _():\n" + "\n".join(found)


def is_plain_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant)
                                               and isinstance(node.value, str)
                                               and bool(WORDS.search(node.value)))


def shown_texts(call: ast.Call):
    """The arguments of a call that end up on a page: flash messages, page titles and messages,
    error descriptions, validation messages."""
    name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
    if name in ("flash", "ValidationError", "FormError") and call.args:
        yield call.args[0]
    for keyword in call.keywords:
        if keyword.arg in ("title", "message", "description", "notice", "heading", "label"):
            yield keyword.value


def test_python_code_sends_no_text_to_pages_outside_gettext():
    found = []
    for module in sorted(PACKAGE_DIR.rglob("*.py")):
        if "migrations" in module.parts:
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            found += [f"{module.relative_to(PACKAGE_DIR)}:{node.lineno}"
                      for node in shown_texts(call) if is_plain_text(node)]
    assert not found, "text shown to readers without _(): " + ", ".join(found)


def test_the_lints_see_untranslated_text(tmp_path):
    """The template lint must fail on a bare word; otherwise it proves nothing."""
    parser = VisibleText()
    parser.feed(JINJA.sub(blank, '<p>{{ _("Saved") }}</p><button title="Close">x</button><p>Draft</p>'))
    assert [text for _, text in parser.found] == ["title='Close'", "Draft"]
    call = ast.parse('flash("Saved.", "success")').body[0].value
    assert [is_plain_text(node) for node in shown_texts(call)] == [True]
