"""Upgrading the schema never loses a learner's data."""
from __future__ import annotations

import uuid

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from emm_learn import create_app
from emm_learn.database import MIGRATIONS_DIR
from emm_learn.extensions import db
from tests.conftest import create_database, postgres_server_url


@pytest.fixture
def empty_database_url(tmp_path):
    server = postgres_server_url()
    if server is None:
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    with create_database(server, f"emm_upgrade_{uuid.uuid4().hex[:10]}") as url:
        yield url


def revisions_oldest_first() -> list[str]:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_migrations_form_one_line_from_the_first_to_the_head():
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    assert len(script.get_heads()) == 1
    assert len(revisions_oldest_first()) >= 2


def test_upgrade_from_the_first_migration_keeps_every_row(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x" * 32,
                      "TESTING": True})
    first = revisions_oldest_first()[0]
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision=first)
        with db.engine.begin() as connection:
            for number in range(25):
                connection.execute(text(
                    "INSERT INTO users (email, display_name, password_hash, role, is_active, "
                    "must_change_password, session_token, created_at) VALUES (:email, :name, 'h', "
                    "'learner', true, false, :token, CURRENT_TIMESTAMP)"),
                    {"email": f"u{number}@example.org", "name": f"Learner {number}",
                     "token": uuid.uuid4().hex})
            connection.execute(text("INSERT INTO site_settings (key, value) VALUES "
                                    "('registration_open', 'yes')"))
        before = snapshot()
        upgrade(directory=str(MIGRATIONS_DIR))
        assert snapshot() == before
        assert {"sections_done", "reading_positions"} <= set(inspect(db.engine).get_table_names())
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO sections_done (user_id, chapter_number, "
                                    "section_anchor, done_at) SELECT id, '2.6', 'intro', "
                                    "CURRENT_TIMESTAMP FROM users"))
        # Down and up again: the accounts survive a rollback of the newer tables.
        downgrade(directory=str(MIGRATIONS_DIR), revision=first)
        upgrade(directory=str(MIGRATIONS_DIR))
        assert snapshot() == before
        db.engine.dispose()


def snapshot() -> list[tuple]:
    with db.engine.connect() as connection:
        users = connection.execute(text("SELECT id, email, display_name, session_token FROM users "
                                        "ORDER BY id")).all()
        settings = connection.execute(text("SELECT key, value FROM site_settings")).all()
    return [tuple(row) for row in users] + [tuple(row) for row in settings]
