"""Fixtures: one database per test run (SQLite, or PostgreSQL when EMM_TEST_DATABASE_URL is set),
emptied after every test; an app, a client, and helpers to make users and sign in."""
from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from emm_learn import create_app
from emm_learn.config import normalise_database_url
from emm_learn.extensions import db

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parent.parent


def postgres_server_url() -> str | None:
    url = os.environ.get("EMM_TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh, empty database for this test run; dropped at the end."""
    server = postgres_server_url()
    if server is None:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    name = f"emm_test_{uuid.uuid4().hex[:12]}"
    with create_database(server, name) as url:
        yield url


class create_database:
    """Context manager: CREATE DATABASE on the PostgreSQL server, DROP it on exit."""

    def __init__(self, server_url: str, name: str):
        self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.name = name
        self.url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def __enter__(self) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["EMM_INSTANCE_PATH"] = str(instance)
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-" + uuid.uuid4().hex,
        "EMM_PASSWORD_HASH_METHOD": "scrypt:2048:8:1",  # still scrypt, at a cost tests can afford
    })
    from emm_learn.database import upgrade_database
    upgrade_database(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts from an empty database (tables kept, rows removed)."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """make_user(role="learner", email=None, password=PASSWORD) -> the user's id and e-mail."""
    counter = iter(range(1, 10_000))

    def factory(role: str = "learner", email: str | None = None, password: str = PASSWORD,
                name: str | None = None, **fields):
        from emm_learn.accounts import services
        number = next(counter)
        with app.app_context():
            user = services.create_user(email or f"{role}{number}-{uuid.uuid4().hex[:6]}@example.org",
                                        name or f"{role.capitalize()} {number}", password, role=role)
            for key, value in fields.items():
                setattr(user, key, value)
            db.session.commit()
            return UserRef(user.id, user.email, password, role)
    return factory


class UserRef:
    def __init__(self, id: int, email: str, password: str, role: str):
        self.id, self.email, self.password, self.role = id, email, password, role


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, page: str = "/account/sign-in") -> str:
    """The CSRF token of the client's session, read from a page that has a form."""
    html = client.get(page).get_data(as_text=True)
    match = CSRF_FIELD.search(html)
    assert match, f"no CSRF token on {page}"
    return match[1]


def post_form(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST a form the way a browser would: with the token from a page of the same session."""
    fields = dict(data or {})
    fields["csrf_token"] = csrf_token(client, page or ("/progress" if signed_in(client) else
                                                       "/account/sign-in"))
    return client.post(url, data=fields, **kwargs)


def signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def sign_in(client, user, password: str | None = None, **extra):
    return post_form(client, "/account/sign-in",
                     {"email": user.email, "password": password or user.password, **extra},
                     page="/account/sign-in")


@pytest.fixture
def signed_in_client(app, make_user):
    """sign_in_as(role) -> a new client signed in with a new user of that role, and the user."""
    def factory(role: str = "learner"):
        user = make_user(role)
        test_client = app.test_client()
        response = sign_in(test_client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return test_client, user
    return factory


def app_with_content(content_dir: Path, database_url: str, instance_dir: Path, secret: str):
    """An app over a curriculum of its own (a small test content folder), with its own instance
    folder so it shares no secret or cache with the session's app. The caller disposes of its
    engine when done (pooled connections must not outlive the tests that used them)."""
    shared_instance = os.environ["EMM_INSTANCE_PATH"]
    os.environ["EMM_INSTANCE_PATH"] = str(instance_dir)
    try:
        return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                           "SECRET_KEY": secret, "EMM_CONTENT_PATH": str(content_dir)})
    finally:
        os.environ["EMM_INSTANCE_PATH"] = shared_instance
