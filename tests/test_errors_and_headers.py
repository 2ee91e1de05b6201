"""Bad input gets a clear page and the right status, never a stack trace or lost text; every
response carries the security headers."""
from __future__ import annotations

from emm_learn.accounts import services
from emm_learn.extensions import db
from tests.conftest import PASSWORD, csrf_token, post_form


def test_forged_csrf_token_is_refused_and_the_text_is_handed_back(app, client):
    with app.app_context():
        services.set_registration_open(True)
        db.session.commit()
    csrf_token(client)
    response = client.post("/account/register", data={
        "csrf_token": "forged", "email": "ana@example.org", "display_name": "Ana from the field office",
        "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Form not accepted" in html and "Ana from the field office" in html
    assert PASSWORD not in html


def test_missing_csrf_token_changes_nothing(signed_in_client, app):
    client, user = signed_in_client()
    response = client.post("/account/sign-out")
    assert response.status_code == 400
    assert client.get("/progress").status_code == 200


def test_oversized_request_gets_413(client):
    response = client.post("/account/sign-in", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413 and "larger than this site accepts" in response.get_data(as_text=True)


def test_over_long_field_gets_400_and_keeps_the_text(app, client):
    with app.app_context():
        services.set_registration_open(True)
        db.session.commit()
    long_name = "Official " * 40
    response = post_form(client, "/account/register",
                         {"email": "ana@example.org", "display_name": long_name, "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at most 100 characters" in html and long_name.strip() in html


def test_malformed_form_is_a_clear_answer(client):
    response = post_form(client, "/account/sign-in", {})
    assert response.status_code == 401
    assert "not correct" in response.get_data(as_text=True)


def test_unexpected_error_shows_a_page_without_a_stack_trace(app, client, monkeypatch):
    def broken():
        raise RuntimeError("secret internals")
    monkeypatch.setitem(app.view_functions, "accounts.sign_in", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/account/sign-in")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html and "secret internals" not in html and "Traceback" not in html


def test_method_not_allowed_is_clear(client):
    assert client.get("/account/sign-out").status_code == 405


def test_every_html_page_carries_the_security_headers(client):
    for url in ("/", "/chapters/2.6", "/account/sign-in", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                          "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"):
            assert directive in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_pages_hold_no_inline_script(client):
    for url in ("/", "/chapters/2.6", "/account/sign-in"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " on" + "click=" not in html


def test_session_cookie_is_http_only_and_same_site(signed_in_client):
    client, _ = signed_in_client()
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_cached_anonymous_pages_carry_the_same_headers_and_compress(client):
    client.get("/chapters/2.6")  # the first request renders the page and keeps it
    plain = client.get("/chapters/2.6")
    zipped = client.get("/chapters/2.6", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    import gzip
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    for response in (plain, zipped):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
