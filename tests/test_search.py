"""Searching the curriculum: ranking, phrases, prefixes, safe highlighting, odd queries, links to
places that exist, and an index that is rebuilt only when the content changes."""
from __future__ import annotations

import dataclasses
import re
import threading
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, func, inspect, select, text

from emm_learn import create_app
from emm_learn.curriculum.library import current_curriculum
from emm_learn.database import upgrade_database
from emm_learn.extensions import db
from emm_learn.search import services
from emm_learn.search.indexer import curriculum_entries
from emm_learn.search.models import (ENTRIES_TABLE, FTS5_SEARCHED_COLUMNS, FTS5_STORED_COLUMNS,
                                     FTS5_TOKENIZER, index_state, is_search_table,
                                     search_metadata)
from tests.conftest import create_database, postgres_server_url

RESULT = re.compile(r'<li class="search-result">(.*?)</li>', re.S)
LINK = re.compile(r'<h2 class="result-title"><a href="([^"]+)">')


@pytest.fixture(autouse=True)
def indexed(app):
    """The test database was created after the app started, so build the index once here (the
    later calls find it up to date and return at once)."""
    with app.app_context():
        services.index_every_language(current_curriculum())


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
    match = re.search(r"(\d+) results? for", html)
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


def entry_texts(app) -> dict[str, str]:
    """Each indexed place's words, by the link a result gives it."""
    with app.app_context():
        entries = curriculum_entries(current_curriculum())
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


@pytest.fixture
def new_database_url(tmp_path):
    server = postgres_server_url()
    if server is None:
        yield f"sqlite:///{tmp_path / 'search.sqlite3'}"
        return
    with create_database(server, f"emm_search_{uuid.uuid4().hex[:10]}") as url:
        yield url


def test_the_app_indexes_the_curriculum_when_it_starts(new_database_url):
    """A new database has no search tables when the app starts: no index, and no error. Once
    upgraded, the next start builds the index, and the one after finds it up to date."""
    settings = {"SQLALCHEMY_DATABASE_URI": new_database_url, "SECRET_KEY": "x" * 32,
                "TESTING": True}
    first = create_app(settings)
    upgrade_database(first)
    assert stored_state(first) is None
    second = create_app(settings)
    built = stored_state(second)
    assert built.entry_count == len(curriculum_entries(second.extensions["emm_curriculum"]))
    third = create_app(settings)
    assert stored_state(third).built_at == built.built_at
    html = third.test_client().get("/search?q=labour").get_data(as_text=True)
    assert html.count('<li class="search-result">') == services.RESULTS_PER_PAGE
    for application in (first, second, third):
        with application.app_context():
            db.engine.dispose()


def stored_state(application):
    with application.app_context():
        return db.session.execute(select(index_state)).one_or_none()


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


def test_the_command_builds_the_index(app):
    from emm_learn.cli import main
    result = app.test_cli_runner().invoke(main, ["search-index", "--force"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Search index \(en\): \d+ entries, rebuilt\.", result.output)
    result = app.test_cli_runner().invoke(main, ["search-index"])
    assert "already up to date" in result.output


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


def test_index_row_count_matches_the_curriculum(app):
    with app.app_context(), db.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(text(ENTRIES_TABLE))).scalar()
        entries = curriculum_entries(current_curriculum())
    assert count == len(entries)
    assert {e.kind for e in entries} == {"chapter", "guiding-questions", "section", "key-messages",
                                         "exercise", "glossary"}
