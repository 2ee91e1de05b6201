"""Searching the curriculum: ranking, phrases, prefixes, safe highlighting, odd queries, links to
places that exist, an index that is rebuilt only when the content changes, and search in
English, Spanish and French (accents ignored, results in the reader's language)."""
from __future__ import annotations

import dataclasses
import logging
import re
import threading
import uuid
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from emm_learn import create_app
from emm_learn.curriculum.library import current_curriculum
from emm_learn.database import upgrade_database
from emm_learn.extensions import db
from emm_learn.search import services
from emm_learn.search.backends import LANGUAGES, PostgresSearch
from emm_learn.search.indexer import curriculum_entries, entries_digest
from emm_learn.search.models import (ENTRIES_TABLE, FTS5_SEARCHED_COLUMNS, FTS5_STORED_COLUMNS,
                                     FTS5_TOKENIZER, index_state, is_search_table,
                                     search_metadata)
from tests.conftest import app_with_content, create_database, postgres_server_url
from tests.test_translations import small_content  # noqa: F401 - a fixture, used below

RESULT = re.compile(r'<li class="search-result">(.*?)</li>', re.S)
LINK = re.compile(r'<h2 class="result-title"><a href="([^"]+)"')
# Each curriculum's digests, per language, computed once: they take a tenth of a second each.
DIGESTS: dict[int, tuple] = {}


@pytest.fixture(autouse=True)
def indexed(app):
    """The test database was created after the app started, so build the index here, and again
    after a test (or another module's app on the same database) changed it."""
    with app.app_context():
        curriculum = current_curriculum()
        if stored_digests() != expected_digests(curriculum):
            services.index_every_language(curriculum)


def stored_digests() -> dict[str, str]:
    with db.engine.connect() as connection:
        return dict(connection.execute(
            select(index_state.c.language, index_state.c.content_digest)).all())


def expected_digests(curriculum) -> dict[str, str]:
    if id(curriculum) not in DIGESTS:  # the curriculum is kept with them, so its id stays its own
        DIGESTS[id(curriculum)] = (curriculum, {
            language: entries_digest(curriculum_entries(curriculum, language))
            for language in services.INDEXED_LANGUAGES})
    return DIGESTS[id(curriculum)][1]


def search_page(client, query: str, **params) -> tuple[int, str]:
    response = client.get("/search", query_string={"q": query, **params})
    return response.status_code, response.get_data(as_text=True)


def results(html: str) -> list[str]:
    return RESULT.findall(html)


def links(html: str) -> list[str]:
    return LINK.findall(html)


def chapter_of(link: str) -> str | None:
    match = re.match(r"/chapters/([\d.]+)", link)
    return match[1] if match else None


def total(html: str) -> int:
    """The number of results the page announces, in any language ("12 résultats pour...")."""
    match = re.search(r'<p class="search-summary" role="status">(\d+)', html)
    return int(match[1]) if match else 0


def plain(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)


# -- ranking ----------------------------------------------------------------------------------
@pytest.mark.parametrize("query, chapter", [("demography", "2.2"), ("remittances", "2.3"),
                                            ("refoulement", "3.5"), ("labour", "2.6"),
                                            ("statelessness", "3.7")])
def test_a_chapters_distinctive_term_finds_that_chapter_first(client, query, chapter):
    status, html = search_page(client, query)
    assert status == 200
    assert chapter_of(links(html)[0]) == chapter


def test_results_show_chapter_part_and_a_highlighted_passage(client):
    _, html = search_page(client, "remittances")
    first = results(html)[0]
    assert "Migration and Development" in first
    assert '<span class="chapter-number">2.3</span>' in first
    assert re.search(r"<mark>remittances</mark>", first, re.I)


# -- phrases and prefixes ---------------------------------------------------------------------
def test_a_phrase_finds_the_words_together_and_only_there(client, app):
    _, phrase_html = search_page(client, '"irregular migration"')
    _, words_html = search_page(client, "irregular migration")
    assert 0 < total(phrase_html) < total(words_html)
    texts = entry_texts(app)
    for link in links(phrase_html) + links(search_page(client, '"irregular migration"', page=2)[1]):
        assert re.search(r"irregular migra", texts[link], re.I), link


def entry_texts(app, language: str = "en") -> dict[str, str]:
    """Each indexed place's words, by the link a result gives it."""
    with app.app_context():
        entries = curriculum_entries(current_curriculum(), language)
    texts = {}
    for entry in entries:
        if entry.kind == "glossary":
            link = f"/glossary#{entry.anchor}"
        else:
            anchor = f"#{entry.anchor}" if entry.anchor else ""
            link = f"/chapters/{entry.chapter_number}{anchor}"
        texts[link] = f"{entry.title} {entry.chapter_title} {entry.body}"
    return texts


def test_hyphenated_words_are_found_as_written(client):
    _, html = search_page(client, "non-refoulement")
    assert "/chapters/3.5#non-refoulement" in links(html)


def test_a_star_matches_the_beginning_of_words(client):
    _, without_star = search_page(client, "migra")
    _, with_star = search_page(client, "migra*")
    assert total(without_star) == 0 and "No results for" in without_star
    assert total(with_star) > 100
    assert re.search(r"<mark>migrants?</mark>", with_star, re.I)
    _, prefix_in_phrase = search_page(client, '"irregular migra*"')
    assert total(prefix_in_phrase) > 0


# -- highlighting and hostile input -----------------------------------------------------------
def test_a_hostile_query_is_shown_escaped(client):
    status, html = search_page(client, '<script>alert("x")</script>')
    assert status == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html


def test_highlighting_escapes_the_text_before_marking_it():
    fragment = 'a <b onclick="x">&amp; \ue000migration\ue001 \ue000 stray'
    assert str(services.marked(fragment)) == (
        'a &lt;b onclick=&#34;x&#34;&gt;&amp;amp; <mark>migration</mark>  stray')


@pytest.mark.parametrize("query", [
    '"', '""', "*", "**migra**", "col:migration", "title:labour", "^migration", "-migration",
    "migration AND", "NOT labour", "OR", "NEAR(labour migration)", "migration & | ! (",
    "\\", "\x00migration", "%", "_", "'; DROP TABLE users; --", "labour)", "{migration}",
    "a*", "migration:*", "'labour'", "migration <-> labour", "réfugié", "ﬁnance",
])
def test_query_syntax_characters_never_cause_an_error(client, query):
    status, html = search_page(client, query)
    assert status == 200
    assert "<h1>" in html


def test_words_that_are_operators_elsewhere_are_plain_words(client, app):
    _, html = search_page(client, "NOT labour")
    texts = entry_texts(app)
    assert total(html) > 0
    assert all(re.search(r"labour", texts[link], re.I) for link in links(html))


# -- queries without anything to search for ---------------------------------------------------
def test_an_empty_query_shows_the_form_and_no_message(client):
    status, html = search_page(client, "")
    assert status == 200
    assert 'role="search"' in html and "search-message" not in html and not results(html)


def test_punctuation_only_gets_a_clear_message(client):
    status, html = search_page(client, "?!… *** --- ;")
    assert status == 200
    assert "has no letters or digits to search for" in html
    assert not results(html)


def test_a_2000_character_query_gets_a_clear_message_and_keeps_the_text(client):
    query = ("irregular migration " * 100)[:1999] + "."
    status, html = search_page(client, query)
    assert status == 200
    assert "Your search is 2,000 characters long" in html
    assert f'value="{query}"' in html
    assert not results(html)


def test_too_many_words_gets_a_clear_message(client):
    status, html = search_page(client, " ".join(["labour"] * 17))
    assert status == 200 and "more than 16 words" in html


# -- links ------------------------------------------------------------------------------------
def test_every_result_links_to_an_anchor_that_exists_on_its_page(client):
    pages: dict[str, str] = {}
    seen = 0
    for query in ("trafficking victims", "key messages labour", "mapping", "border", "asylum*",
                  '"advance passenger information"'):
        _, html = search_page(client, query)
        for link in links(html):
            path, _, anchor = link.partition("#")
            if path not in pages:
                pages[path] = client.get(path).get_data(as_text=True)
            if anchor:
                assert f'id="{anchor}"' in pages[path], link
                seen += 1
    assert seen >= 20
    assert "/glossary" in pages and "/chapters/2.6" in pages


# -- pages ------------------------------------------------------------------------------------
def test_results_come_in_pages(client):
    _, first = search_page(client, "migra*")
    _, second = search_page(client, "migra*", page=2)
    assert len(results(first)) == services.RESULTS_PER_PAGE
    assert '<ol class="search-results" start="11">' in second
    assert set(links(first)).isdisjoint(links(second))
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert search_page(client, "migra*", page="not-a-number")[1].count('start="1"') == 1
    status, far = search_page(client, "labour", page=10_000)
    assert status == 200 and "no more results" in far


# -- the search box ---------------------------------------------------------------------------
def test_every_page_has_a_labelled_search_box(client):
    for path in ("/", "/chapters/2.6", "/glossary", "/account/sign-in"):
        html = client.get(path).get_data(as_text=True)
        assert re.search(r'<form class="site-search" role="search" method="get" '
                         r'action="/search">', html), path
        assert '<label class="visually-hidden" for="site-search-q">' in html


def test_the_results_page_has_one_search_form_and_one_heading(client):
    _, html = search_page(client, "labour")
    assert html.count('role="search"') == 1
    assert html.count("<h1") == 1


def test_signed_in_readers_search_too(signed_in_client):
    reader, _ = signed_in_client("learner")
    response = reader.get("/search?q=labour")
    assert response.status_code == 200 and "/chapters/2.6" in response.get_data(as_text=True)


# -- languages ----------------------------------------------------------------------------------
def test_every_page_language_is_indexed_and_known_to_both_engines(app):
    """Pages in a language search in it; SQLite's rowid blocks and PostgreSQL's configurations
    are per language, so a language added to the site must be added to backends.LANGUAGES."""
    assert set(app.config["EMM_LANGUAGES"]) <= set(services.INDEXED_LANGUAGES) <= set(LANGUAGES)


def test_a_spanish_query_finds_the_spanish_chapter_and_links_to_it_in_spanish(client, app):
    _, html = search_page(client, "remesas", lang="es")
    assert links(html)[0] == "/chapters/2.3?lang=es#remittances"
    assert "<mark>Remesas</mark>" in results(html)[0]
    assert "results for" not in html and total(html) > 0  # the count is said in Spanish
    page = client.get("/chapters/2.3?lang=es").get_data(as_text=True)
    with app.app_context():
        section = current_curriculum().chapter("2.3", "es").section("remittances")
    assert '<html lang="es">' in page and 'id="remittances"' in page and section.title in page


def test_a_spanish_readers_results_lead_to_pages_in_spanish(client):
    """Without ?lang=, the reader's own language (here the browser's) is the results' and the
    pages' alike, so the links need no more than the place."""
    spanish = {"Accept-Language": "es-ES,es;q=0.9"}
    html = client.get("/search?q=remesas", headers=spanish).get_data(as_text=True)
    assert links(html)[0] == "/chapters/2.3#remittances"
    page = client.get("/chapters/2.3", headers=spanish).get_data(as_text=True)
    assert '<html lang="es">' in page and "Remesas" in page


@pytest.mark.parametrize("language, typed, written, accented", [
    ("es", "migracion", "migración", "migración"),
    ("es", "no devolucion", "no devolución", "devolución"),
    ("es", "politicas migratorias", "políticas migratorias", "políticas"),
    ("fr", "refugies", "réfugiés", "réfugiés"),
    ("fr", "traite des etres humains", "traite des êtres humains", "êtres"),
    ("fr", "migration irreguliere", "migration irrégulière", "irrégulière"),
])
def test_a_query_typed_without_accents_finds_the_accented_words(client, language, typed, written,
                                                                accented):
    _, html = search_page(client, typed, lang=language)
    assert total(html) > 0
    assert re.search(f"<mark>{accented}</mark>", html, re.I), accented
    assert total(search_page(client, written, lang=language)[1]) == total(html)


def test_a_phrase_without_accents_finds_the_accented_phrase(client):
    _, html = search_page(client, '"traite des etres humains"', lang="fr")
    assert 0 < total(html) < 10
    assert "/chapters/3.12?lang=fr#victim-protection" in links(html)
    assert all(re.search(r"traite\W+des\W+êtres\W+humains", plain(result), re.I)
               for result in results(html))


def test_a_french_readers_search_finds_the_french_text_not_the_english(client):
    _, english = search_page(client, "recruitment costs", lang="en")
    _, french = search_page(client, "recruitment costs", lang="fr")
    assert links(english)[0] == "/chapters/2.6?lang=en#recruitment-costs"
    # The French chapter's section exists: the English words are not in it, so it is not found.
    assert "/chapters/2.6?lang=fr#recruitment-costs" not in links(french)
    assert total(french) < total(english)
    _, html = search_page(client, "couts de recrutement", lang="fr")
    assert links(html)[0] == "/chapters/2.6?lang=fr#recruitment-costs"
    assert "<mark>coûts</mark>" in html
    # Every chapter is in French: no result is marked as English text.
    assert 'lang="en"' not in "".join(results(html))
    assert all("?lang=fr" in link for link in links(html))


@pytest.mark.parametrize("language, query, anchor, term", [
    ("es", '"trafico ilicito de migrantes"', "smuggling-of-migrants",
     "tráfico ilícito de migrantes"),
    ("es", "apatrida", "stateless-person", "apátrida"),
    ("fr", '"traite des personnes"', "trafficking-in-persons", "traite des personnes"),
    ("fr", "trafic illicite de migrants", "smuggling-of-migrants",
     "trafic illicite de migrants"),
    ("fr", '"entree illegale"', "illegal-entry", "entrée illégale"),
])
def test_the_glossarys_spanish_and_french_terms_are_found(client, language, query, anchor,
                                                          term):
    _, html = search_page(client, query, lang=language)
    link = f"/glossary?lang={language}#{anchor}"
    assert link in links(html)
    result = results(html)[links(html).index(link)]
    title = re.search(r'<h2 class="result-title"><a [^>]*>(.*?)</a>', result)[1]
    assert plain(title) == term
    glossary = client.get(link.partition("#")[0]).get_data(as_text=True)
    assert f'id="{anchor}"' in glossary and term in glossary


def test_a_page_asked_for_in_a_language_keeps_its_searches_in_that_language(client):
    hidden = '<input type="hidden" name="lang" value="fr">'
    chapter = client.get("/chapters/2.6?lang=fr").get_data(as_text=True)
    header_form = re.search(r'<form class="site-search".*?</form>', chapter, re.S)[0]
    assert hidden in header_form
    _, html = search_page(client, "migra*", lang="fr")
    assert hidden in html
    assert all("?lang=fr" in link for link in links(html))
    assert re.search(r'<a rel="next" href="/search\?[^"]*lang=fr', html)
    # A page without ?lang= adds nothing: the reader's own choice carries on by itself.
    assert 'name="lang"' not in client.get("/chapters/2.6").get_data(as_text=True)
    assert 'name="lang"' not in search_page(client, "migra*")[1]


@pytest.fixture(scope="module")
def small_search_app(small_content, tmp_path_factory, app):  # noqa: F811
    """The small curriculum (tests/test_translations.py): in Spanish, 2.6 is translated, 2.5
    out of date and 2.7 missing. On a database of its own, so the main index stays as it is."""
    with fresh_database(tmp_path_factory.mktemp("small-search")) as url:
        application = app_with_content(small_content, url, tmp_path_factory.mktemp("instance"),
                                       "test-small-search")
        upgrade_database(application)
        with application.app_context():
            services.index_every_language(current_curriculum())
        yield application
        with application.app_context():
            db.engine.dispose()


def test_an_untranslated_chapter_is_found_in_the_english_its_reader_is_shown(small_search_app):
    client = small_search_app.test_client()
    _, html = search_page(client, "health workers", lang="es")
    found = links(html)
    assert "/chapters/2.7?lang=es#health-worker-migration" in found
    result = results(html)[found.index("/chapters/2.7?lang=es#health-worker-migration")]
    # Marked as English, as the chapter page is, with a note in the reader's language.
    assert 'lang="en"' in result and "en inglés" in result
    page = client.get("/chapters/2.7?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page and 'id="health-worker-migration"' in page
    assert re.search(r"health workers", page, re.I)
    # An out-of-date translation (2.5) is shown, and found, in English too.
    _, family = search_page(client, "family reunification", lang="es")
    assert any(chapter_of(link) == "2.5" for link in links(family))
    # The translated chapter (2.6) is found in Spanish, unmarked.
    _, labour = search_page(client, "contratacion", lang="es")
    first = results(labour)[0]
    assert links(labour)[0].startswith("/chapters/2.6?lang=es") and 'lang="en"' not in first


# -- PostgreSQL's configurations ------------------------------------------------------------------
postgres_only = pytest.mark.skipif(postgres_server_url() is None,
                                   reason="PostgreSQL's text search configurations")


@postgres_only
def test_postgres_stems_each_language_without_accents_and_uses_the_gin_index(app):
    with app.app_context(), db.engine.connect() as connection:
        def lexemes(config: str, words: str) -> str:
            return connection.execute(text("SELECT strip(to_tsvector(CAST(:c AS regconfig), :w))"
                                           "::text"), {"c": config, "w": words}).scalar_one()
        assert lexemes("emm_spanish", "migraciones") == lexemes("emm_spanish", "migración")
        assert lexemes("emm_french", "réfugiés") == lexemes("emm_french", "refugies")
        assert lexemes("emm_english", "protection") == lexemes("emm_english", "protected")
        connection.execute(text("SET LOCAL enable_seqscan = off"))  # the table is small
        plan = "\n".join(connection.execute(text(
            f"EXPLAIN SELECT count(*) FROM {ENTRIES_TABLE} WHERE language = 'es' "
            "AND document @@ to_tsquery(CAST('emm_spanish' AS regconfig), 'migracion')")).scalars())
    assert "Index Scan on ix_search_entries_document" in plan


@contextmanager
def database_user_without_create(url: str):
    """A new role that may use the tables and create in the schema of the database at url, but
    not create extensions (no CREATE on the database); its address. Dropped at the end."""
    role = f"emm_plain_{uuid.uuid4().hex[:8]}"
    owner = create_engine(url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        for statement in (f"CREATE ROLE {role} LOGIN",
                          f"GRANT USAGE, CREATE ON SCHEMA public TO {role}",
                          f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                          f"TO {role}",
                          f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"):
            connection.execute(text(statement))
    try:
        yield make_url(url).set(username=role, password=None).render_as_string(
            hide_password=False)
    finally:
        with owner.connect() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
        owner.dispose()


@postgres_only
def test_without_the_right_to_create_unaccent_search_works_and_a_warning_says_so_once(
        tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(PostgresSearch, "warned_without_unaccent", False)
    settings = {"TESTING": True, "SECRET_KEY": "x" * 32}
    applications = []
    # The migrations' logging set-up takes pytest's handler off the root logger: listen here.
    backends_logger = logging.getLogger("emm_learn.search.backends")
    try:
        with fresh_database(tmp_path) as url:
            applications.append(create_app({**settings, "SQLALCHEMY_DATABASE_URI": url}))
            upgrade_database(applications[0])  # as the owner; the index is not built yet
            with database_user_without_create(url) as restricted_url:
                backends_logger.addHandler(caplog.handler)
                restricted = create_app({**settings, "SQLALCHEMY_DATABASE_URI": restricted_url})
                applications.append(restricted)
                backends_logger.removeHandler(caplog.handler)
                warnings = [r for r in caplog.records if "unaccent" in r.getMessage()]
                assert len(warnings) == 1, warnings  # once, though three languages were built
                assert "emm-learn search-index --force" in warnings[0].getMessage()
                with restricted.app_context():
                    states = {row.language for row in db.session.execute(select(index_state))}
                    db.session.remove()
                assert states == {"en", "es", "fr"}
                _, html = search_page(restricted.test_client(), "réfugiés", lang="fr")
                assert links(html)[0].startswith("/chapters/3.5?lang=fr")
    finally:
        backends_logger.removeHandler(caplog.handler)
        for application in applications:
            with application.app_context():
                db.engine.dispose()


# -- the index ----------------------------------------------------------------------------------
def test_the_index_is_rebuilt_only_when_the_content_changes(app, client):
    hostile = "A quokkaphant says 1 < 2 & <img src=x onerror=alert(2)> <script>alert(1)</script>"
    with app.app_context():
        original = current_curriculum()
        assert services.ensure_index(original).is_rebuilt is False
        changed = with_definition(original, hostile)
        try:
            assert services.ensure_index(changed).is_rebuilt is True
            assert services.ensure_index(changed).is_rebuilt is False
            _, html = search_page(client, "quokkaphant")
        finally:
            assert services.ensure_index(original).is_rebuilt is True
    assert links(html) == [f"/glossary#{original.glossary[0].anchor}"]
    # The database's passage holds markup characters: they are shown as text, never as HTML.
    # (PostgreSQL's headline leaves out tags it knows, such as <script>, and keeps the others.)
    assert "<mark>quokkaphant</mark> says 1 &lt; 2 &amp; &lt;img src=x onerror=alert" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert total(search_page(client, "quokkaphant")[1]) == 0


def with_definition(curriculum, definition: str):
    """The curriculum with its first glossary term defined anew."""
    first = dataclasses.replace(curriculum.glossary[0], definition=definition, source=None)
    return dataclasses.replace(curriculum, glossary=(first,) + curriculum.glossary[1:])


def test_two_processes_starting_together_build_the_index_once(app):
    with app.app_context():
        curriculum = current_curriculum()
        with db.engine.begin() as connection:
            connection.execute(index_state.delete())
        engine = db.engine
    outcomes, errors = [], []
    start = threading.Barrier(2)

    def start_up():
        try:
            start.wait()
            with app.app_context():
                outcomes.append(services.ensure_index(curriculum, engine=engine))
        except Exception as error:  # reported below, with the other thread's outcome
            errors.append(error)
    threads = [threading.Thread(target=start_up) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcome.is_rebuilt for outcome in outcomes) == [False, True]
    with app.app_context(), db.engine.connect() as connection:
        stored = connection.execute(text(
            f"SELECT count(*) FROM {ENTRIES_TABLE} WHERE language = 'en'")).scalar_one()
        state = connection.execute(select(index_state)).one()
    assert stored == state.entry_count == len(curriculum_entries(curriculum))
    assert state.content_digest == outcomes[0].digest


@contextmanager
def fresh_database(folder):
    """A new, empty database of the kind the tests run on."""
    server = postgres_server_url()
    if server is None:
        yield f"sqlite:///{folder / 'search.sqlite3'}"
        return
    with create_database(server, f"emm_search_{uuid.uuid4().hex[:10]}") as url:
        yield url


@pytest.fixture
def new_database_url(tmp_path):
    with fresh_database(tmp_path) as url:
        yield url


def test_the_app_indexes_the_curriculum_when_it_starts(new_database_url):
    """A new database has no search tables when the app starts: no index, and no error. Once
    upgraded, the next start builds the index, and the one after finds it up to date."""
    settings = {"SQLALCHEMY_DATABASE_URI": new_database_url, "SECRET_KEY": "x" * 32,
                "TESTING": True}
    first = create_app(settings)
    upgrade_database(first)
    assert stored_states(first) == {}
    second = create_app(settings)
    built = stored_states(second)
    curriculum = second.extensions["emm_curriculum"]
    assert {language: state.entry_count for language, state in built.items()} == {
        language: len(curriculum_entries(curriculum, language)) for language in ("en", "es", "fr")}
    third = create_app(settings)
    assert {language: state.built_at for language, state in stored_states(third).items()} == {
        language: state.built_at for language, state in built.items()}
    for language in ("en", "es", "fr"):
        html = third.test_client().get(f"/search?q=migra*&lang={language}").get_data(as_text=True)
        assert html.count('<li class="search-result">') == services.RESULTS_PER_PAGE, language
    for application in (first, second, third):
        with application.app_context():
            db.engine.dispose()


def stored_states(application) -> dict:
    with application.app_context():
        return {row.language: row for row in db.session.execute(select(index_state))}


def test_emptying_every_model_table_leaves_the_index(app, client):
    with app.app_context():
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
    assert total(search_page(client, "labour")[1]) > 0


def test_without_an_index_search_says_so(app, client):
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(index_state.delete())
            connection.execute(text(f"DELETE FROM {ENTRIES_TABLE}"))
    try:
        status, html = search_page(client, "labour")
        assert status == 200 and "Search is not available yet" in html
    finally:
        with app.app_context():
            services.index_every_language(current_curriculum())


def test_the_command_builds_the_index_of_every_language(app):
    from emm_learn.cli import main
    result = app.test_cli_runner().invoke(main, ["search-index", "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        counts = {language: len(curriculum_entries(current_curriculum(), language))
                  for language in ("en", "es", "fr")}
    for language, count in counts.items():
        assert f"Search index ({language}): {count} entries, rebuilt." in result.output
    result = app.test_cli_runner().invoke(main, ["search-index"])
    assert result.output.count("already up to date") == 3


# -- schema -------------------------------------------------------------------------------------
def test_the_migrated_index_matches_its_table_definitions(app):
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            columns = [row[1] for row in connection.exec_driver_sql(
                f"PRAGMA table_info({ENTRIES_TABLE})")]
            assert columns == list(FTS5_SEARCHED_COLUMNS + FTS5_STORED_COLUMNS)
            assert FTS5_TOKENIZER in connection.exec_driver_sql(
                f"SELECT sql FROM sqlite_master WHERE name = '{ENTRIES_TABLE}'").scalar_one()
            expected = MetaData()  # the FTS5 table was checked column by column just above
            index_state.to_metadata(expected)
        else:
            expected = search_metadata
        def include_name(name, type_, parents) -> bool:
            return type_ != "table" or name in expected.tables
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": include_name})
        assert compare_metadata(context, expected) == []


def test_autogenerate_leaves_the_index_tables_alone(app):
    """`emm-learn db migrate` must not propose dropping tables that are not ORM models."""
    options = app.extensions["migrate"].configure_args
    with app.app_context(), db.engine.connect() as connection:
        assert any(is_search_table(name) for name in inspect(connection).get_table_names())
        assert not any(is_search_table(name) for name in db.metadata.tables)
        context = MigrationContext.configure(connection, opts={
            "include_name": options["include_name"], "compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert [d for d in differences if "search_entries" in repr(d)
            or "search_index_state" in repr(d)] == []


def test_index_row_count_matches_the_curriculum_in_every_language(app):
    with app.app_context(), db.engine.connect() as connection:
        counts = dict(connection.execute(text(
            f"SELECT language, count(*) FROM {ENTRIES_TABLE} GROUP BY language")).all())
        entries = {language: curriculum_entries(current_curriculum(), language)
                   for language in ("en", "es", "fr")}
    assert counts == {language: len(found) for language, found in entries.items()}
    for found in entries.values():
        assert {e.kind for e in found} == {"chapter", "guiding-questions", "section",
                                           "key-messages", "exercise", "glossary"}
