"""Registering, signing in and out, passwords, throttling, and the first administrator."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from emm_learn.accounts import services
from emm_learn.accounts.models import User
from emm_learn.cli import main
from emm_learn.extensions import db
from tests.conftest import PASSWORD, csrf_token, post_form, sign_in


def open_registration(app):
    with app.app_context():
        services.set_registration_open(True)
        db.session.commit()


def test_registration_is_closed_until_an_administrator_opens_it(app, client):
    response = client.get("/account/register")
    assert response.status_code == 403 and "Registration is closed" in response.get_data(as_text=True)
    open_registration(app)
    response = post_form(client, "/account/register",
                         {"email": "Ana@Example.org", "display_name": "Ana", "password": PASSWORD})
    assert response.status_code == 302
    assert "Sign out" in client.get("/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        assert user.role == "learner"
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_registration_errors_keep_what_was_typed(app, client):
    open_registration(app)
    response = post_form(client, "/account/register",
                         {"email": "not-an-address", "display_name": "Ana Lima", "password": "password123"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Ana Lima"' in html and 'value="not-an-address"' in html
    assert "Enter a valid e-mail address." in html and "too common" in html


@pytest.mark.parametrize("password, accepted", [
    ("short", False), ("password123", False), ("qwertyuiop", False),
    ("a quite long passphrase about migration " * 10, True), ("Zx9!vLq#2pTe", True),
])
def test_password_rules(app, password, accepted):
    with app.test_request_context():
        assert (services.password_problem(password) is None) == accepted


def test_wrong_password_and_unknown_account_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = sign_in(client, user, password="not the password at all")
    unknown = post_form(client, "/account/sign-in", {"email": "nobody@example.org", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 401
    message = "The e-mail address or the password is not correct."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)


def test_sign_in_is_throttled_per_account_even_with_the_right_password(client, make_user):
    user = make_user()
    for _ in range(5):
        assert sign_in(client, user, password="wrong password here").status_code == 401
    response = sign_in(client, user)
    assert response.status_code == 429 and "Too many failed attempts" in response.get_data(as_text=True)


def test_unknown_accounts_are_throttled_the_same_way(client):
    for _ in range(5):
        post_form(client, "/account/sign-in", {"email": "ghost@example.org", "password": "y" * 12})
    response = post_form(client, "/account/sign-in", {"email": "ghost@example.org", "password": "y" * 12})
    assert response.status_code == 429


def test_sign_in_is_throttled_per_address(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "EMM_SIGN_IN_ADDRESS_LIMIT", 4)
    for number in range(4):
        post_form(client, "/account/sign-in", {"email": f"guess{number}@example.org", "password": "z" * 12})
    assert sign_in(client, make_user()).status_code == 429


def test_sign_in_starts_a_new_session_and_follows_next(app, client, make_user):
    user = make_user()
    csrf_token(client)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = sign_in(client, user, next="/chapters/2.6")
    assert response.status_code == 302 and response.headers["Location"] == "/chapters/2.6"
    with client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"]


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "javascript:alert(1)",
                                    "%2F%2Fevil.example", "https://evil.example/", "\t//evil.example",
                                    "/%0d%0aSet-Cookie:x=1"])
def test_next_never_leaves_the_site(client, make_user, target):
    response = sign_in(client, make_user(), next=target)
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil" not in location.split("?")[0] or location == target.replace("\t", "")


def test_sign_out_ends_the_session_and_copies_of_its_cookie(app, client, make_user):
    user = make_user()
    sign_in(client, user, remember="yes")
    stolen = app.test_client()
    for cookie in client._cookies.values():
        stolen.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert stolen.get("/progress").status_code == 200
    post_form(client, "/account/sign-out")
    assert client.get("/progress").status_code == 302
    assert stolen.get("/progress").status_code == 302


def test_changing_password_signs_out_other_devices(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user), sign_in(phone, user)
    new_password = "a brand new passphrase for the field office"
    response = post_form(laptop, "/account/password", {"current_password": PASSWORD,
                                                        "new_password": new_password,
                                                        "confirm_password": new_password})
    assert response.status_code == 302
    assert laptop.get("/progress").status_code == 200
    assert phone.get("/progress").status_code == 302
    assert sign_in(app.test_client(), user, password=new_password).status_code == 302


def test_wrong_current_password_is_refused(signed_in_client):
    client, _ = signed_in_client()
    response = post_form(client, "/account/password", {"current_password": "nope nope nope",
                                                        "new_password": "another fine passphrase",
                                                        "confirm_password": "another fine passphrase"})
    assert response.status_code == 400 and "current password is not correct" in response.get_data(as_text=True)


def test_temporary_password_must_be_changed_at_next_sign_in(app, client, make_user, signed_in_client):
    admin, _ = signed_in_client("admin")
    user = make_user()
    temporary = "temporary passphrase 2026"
    assert post_form(admin, f"/admin/users/{user.id}/password", {"password": temporary}).status_code == 302
    response = sign_in(client, user, password=temporary)
    assert "/account/password" in response.headers["Location"]
    assert client.get("/chapters/2.6").status_code == 302  # everything leads to the password form
    new = "my own passphrase now"
    post_form(client, "/account/password", {"new_password": new, "confirm_password": new},
              page="/account/password")
    assert client.get("/progress").status_code == 200


def test_deactivated_account_is_signed_out_and_cannot_sign_in(app, make_user, signed_in_client):
    admin, _ = signed_in_client("admin")
    learner_client, learner = signed_in_client("learner")
    post_form(admin, f"/admin/users/{learner.id}/active", {"is_active": "no"})
    assert learner_client.get("/progress").status_code == 302
    assert sign_in(app.test_client(), learner).status_code == 401


def test_administrator_grants_roles(app, signed_in_client, make_user):
    admin, _ = signed_in_client("admin")
    user = make_user()
    post_form(admin, f"/admin/users/{user.id}/role", {"role": "trainer"})
    with app.app_context():
        assert db.session.get(User, user.id).role == "trainer"
    response = post_form(admin, f"/admin/users/{user.id}/role", {"role": "emperor"})
    assert response.status_code == 400


def test_administrator_cannot_lock_themselves_out(app, signed_in_client):
    admin, me = signed_in_client("admin")
    assert post_form(admin, f"/admin/users/{me.id}/role", {"role": "learner"}).status_code == 400
    assert post_form(admin, f"/admin/users/{me.id}/active", {"is_active": "no"}).status_code == 400


def test_administrator_creates_an_account_with_a_temporary_password(app, signed_in_client):
    admin, _ = signed_in_client("admin")
    response = post_form(admin, "/admin/users", {"email": "new@example.org", "display_name": "New Official",
                                                 "role": "trainer", "password": "first temporary phrase"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.org"))
        assert user.role == "trainer" and user.must_change_password


def test_one_time_setup_link_creates_the_first_administrator_once(app, client):
    with app.app_context():
        token = services.create_setup_token()
        db.session.commit()
    response = post_form(client, f"/setup/{token}", {"email": "chief@example.org",
                                                     "display_name": "Chief", "password": PASSWORD},
                         page=f"/setup/{token}")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "chief@example.org")) == "admin"
    assert app.test_client().get(f"/setup/{token}").status_code == 404


def test_create_user_command(app):
    def run(*args):
        return CliRunner().invoke(main, ["create-user", *args], obj=ScriptInfo(create_app=lambda: app))
    result = run("--email", "boss@example.org", "--name", "Boss", "--role", "admin",
                 "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "boss@example.org")) == "admin"
    result = run("--email", "weak@example.org", "--name", "Weak", "--password", "123456")
    assert result.exit_code == 2 and "at least 10 characters" in result.output
