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


def test_the_migrated_schema_is_the_models_schema(app):
    """Every model change came with its migration: autogenerate finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    options = app.extensions["migrate"].configure_args
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, **({"include_name": options["include_name"]}
                                     if "include_name" in options else {})})
        assert compare_metadata(context, db.metadata) == []


def test_a_sessions_chapter_becomes_its_first_item_and_the_rotation_survives(empty_database_url):
    """e5a0materials moves chapters into their own table; SQLite rebuilds the sessions table to
    drop the old columns, which must not cascade into the rotation that refers to it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x" * 32,
                      "TESTING": True})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="d4f0workshops")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO users (id, email, display_name, password_hash, role, is_active, "
                "must_change_password, session_token, created_at) VALUES (1, 'o@example.org', 'O', "
                "'h', 'trainer', true, false, 't1', CURRENT_TIMESTAMP)",
                "INSERT INTO workshops (id, title, venue, starts_on, ends_on, timezone, languages, "
                "join_code, organiser_id, created_at) VALUES (1, 'W', 'Geneva', '2026-09-27', "
                "'2026-09-27', 'Europe/Zurich', 'en', 'CODE2345', 1, CURRENT_TIMESTAMP)",
                "INSERT INTO workshop_rooms (id, workshop_id, name, capacity, languages) "
                "VALUES (1, 1, 'Room A', 9, 'en')",
                "INSERT INTO workshop_groups (id, workshop_id, name, room_id) VALUES (1, 1, 'A', 1)",
                "INSERT INTO workshop_facilitators (id, workshop_id, user_id, languages) "
                "VALUES (1, 1, 1, 'en')",
                "INSERT INTO workshop_sessions (id, workshop_id, title, starts_at, ends_at, kind, "
                "chapter_number, exercise_anchor) VALUES (1, 1, 'Labour', '2026-09-27 11:00:00', "
                "'2026-09-27 13:00:00', 'breakout', '2.6', 'seasonal-scheme'), (2, 1, 'Opening', "
                "'2026-09-27 09:00:00', '2026-09-27 10:00:00', 'plenary', NULL, NULL)",
                "INSERT INTO workshop_rotation (id, session_id, group_id, facilitator_id) "
                "VALUES (1, 1, 1, 1)",
            ):
                connection.execute(text(statement))
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            items = connection.execute(text(
                "SELECT session_id, position, chapter_number, exercise_anchor "
                "FROM workshop_session_items")).all()
            rotation = connection.execute(text("SELECT session_id, group_id, facilitator_id "
                                               "FROM workshop_rotation")).all()
        assert [tuple(r) for r in items] == [(1, 1, "2.6", "seasonal-scheme")]
        assert [tuple(r) for r in rotation] == [(1, 1, 1)]
        downgrade(directory=str(MIGRATIONS_DIR), revision="d4f0workshops")
        with db.engine.connect() as connection:
            back = connection.execute(text("SELECT chapter_number, exercise_anchor FROM "
                                           "workshop_sessions ORDER BY id")).all()
        assert [tuple(r) for r in back] == [("2.6", "seasonal-scheme"), (None, None)]
        db.engine.dispose()
