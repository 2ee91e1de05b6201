"""Database wiring: the engine's SQLite settings, migrations, and the session's lifetime."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
import sqlite3
import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import Pool

from .extensions import db, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("timeout", 15)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True,
                     compare_type=True)
    # Import the models so that Alembic and create_all see every table.
    from .accounts import models as _accounts  # noqa: F401
    from .progress import models as _progress  # noqa: F401
    from .worksheets import models as _worksheets  # noqa: F401
    from .workshops import models as _workshops  # noqa: F401
    from .feedback import models as _feedback  # noqa: F401
    from .learning_paths import models as _learning_paths  # noqa: F401


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers work while one writer writes; NORMAL sync survives an app crash."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def upgrade_database(app: Flask) -> None:
    """Bring the schema to the newest migration (what `serve` does on start)."""
    from flask_migrate import upgrade
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))


# SQLite lets one writer in at a time, and a waiting writer polls with sleeps of up to 100 ms.
# Within one process, writers queue on this lock instead, and are woken the moment it is free.
_sqlite_writer = threading.Lock()
WRITER_WAIT_SECONDS = 15


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """Writing requests take SQLite's write lock when their transaction starts.

    A deferred transaction that reads and later writes can fail at once with "database is
    locked" when another writer got in between, whatever the busy timeout; one that asks for the
    lock first (BEGIN IMMEDIATE) waits its turn instead. Reading requests keep plain BEGIN so
    that they never queue behind writers (WAL lets them read meanwhile)."""
    if connection.dialect.name != "sqlite":
        return
    if not is_writing_request():
        connection.exec_driver_sql("BEGIN")
        return
    if not _sqlite_writer.acquire(timeout=WRITER_WAIT_SECONDS):
        raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
    connection.info["emm_writer"] = True
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except Exception:
        _release_writer(connection)
        raise


def _release_writer(connection) -> None:
    if connection.info.pop("emm_writer", False):
        _sqlite_writer.release()


event.listen(Engine, "commit", _release_writer)
event.listen(Engine, "rollback", _release_writer)


@event.listens_for(Pool, "reset")
def _release_on_return(dbapi_connection, record, reset_state) -> None:
    """A connection handed back without commit or rollback must not keep the writers' lock."""
    if record.info.pop("emm_writer", False):
        _sqlite_writer.release()


def is_writing_request() -> bool:
    from flask import has_request_context, request
    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
