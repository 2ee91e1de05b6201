"""`emm-learn serve`: creates or upgrades its database on start, generates its secret, and offers a
one-time set-up link on an empty database."""
from __future__ import annotations

import re
import stat

import pytest

from tests.conftest import PASSWORD
from tests.servers import Server, Visitor

pytestmark = pytest.mark.slow


def test_first_start_creates_everything_and_offers_a_setup_link(tmp_path):
    instance = tmp_path / "instance"
    server = Server(instance)
    try:
        key_file = instance / "secret_key"
        assert (instance / "emm_learn.sqlite3").exists() and key_file.exists()
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        link = re.search(r"http://localhost:\d+(/setup/\S+)", server.output)
        assert link, server.output
        visitor = Visitor()
        status, html, _ = visitor.get(server.url + "/chapters/2.6")
        assert status == 200 and "Migration and Labour" in html
        setup = server.url + link[1]
        status, _, headers = visitor.post_form(setup, setup, {
            "email": "chief@example.org", "display_name": "Chief Trainer", "password": PASSWORD})
        assert status == 302 and headers["Location"].endswith("/admin/users")
        status, html, _ = visitor.get(server.url + "/admin/users")
        assert status == 200 and "Chief Trainer" in html
        assert Visitor().get(setup)[0] == 404
    finally:
        server.stop()
    key = key_file.read_text()
    again = Server(instance)
    try:
        assert "/setup/" not in again.output
        assert key_file.read_text() == key
    finally:
        again.stop()
