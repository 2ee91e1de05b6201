"""Two app processes behind one PostgreSQL database share sessions and sign-in throttling."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PASSWORD, create_database, postgres_server_url
from tests.servers import Server, Visitor

pytestmark = pytest.mark.slow


@pytest.fixture
def two_servers(tmp_path):
    server_url = postgres_server_url()
    if server_url is None:
        pytest.skip("needs PostgreSQL: set EMM_TEST_DATABASE_URL")
    with create_database(server_url, f"emm_two_{uuid.uuid4().hex[:10]}") as database_url:
        env = {"DATABASE_URL": database_url, "EMM_SECRET_KEY": uuid.uuid4().hex}
        first = Server(tmp_path / "a", env)
        second = Server(tmp_path / "b", env)
        try:
            yield first, second, database_url
        finally:
            first.stop(), second.stop()
            create_engine(database_url).dispose()


def test_sign_in_through_one_process_and_continue_through_the_other(two_servers):
    first, second, _ = two_servers
    setup_path = first.output.split("localhost:")[1].split()[0].split("/", 1)[1]
    visitor = Visitor()
    setup = f"{first.url}/{setup_path}"
    status, _, _ = visitor.post_form(setup, setup, {"email": "a@example.org", "display_name": "Alma",
                                                    "password": PASSWORD})
    assert status == 302
    status, html, _ = visitor.get(second.url + "/progress")
    assert status == 200 and "Alma" in html
    status, html, _ = visitor.get(second.url + "/chapters/2.6")
    anchor = html.split('class="section-progress" method="post" action="')[1].split('"')[0]
    status, _, _ = visitor.post_form(second.url + "/chapters/2.6", second.url + anchor, {"done": "yes"})
    assert status == 302
    status, html, _ = visitor.get(first.url + "/chapters/2.6")
    assert "You marked this section as done." in html


def test_sign_in_throttling_counts_failures_from_every_process(two_servers):
    first, second, database_url = two_servers
    engine = create_engine(database_url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 0
    for attempt in range(5):
        server = (first, second)[attempt % 2]
        status, _, _ = Visitor().post_form(server.url + "/account/sign-in", server.url + "/account/sign-in",
                                           {"email": "target@example.org", "password": f"guess {attempt}"})
        assert status == 401
    for server in (first, second):
        status, html, _ = Visitor().post_form(server.url + "/account/sign-in",
                                              server.url + "/account/sign-in",
                                              {"email": "target@example.org", "password": "another"})
        assert status == 429
    engine.dispose()
