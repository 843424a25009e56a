"""Token auth (bearer and login form), CSRF, read-only mode, security headers, exposure rules."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from narrascope.api.security import session_value, valid_session
from narrascope.api.server import check_exposure, is_loopback
from narrascope.errors import ConfigError
from narrascope.settings import Settings
from tests.api.conftest import TOKEN


def csrf_of(client: TestClient, path: str = "/login") -> str:
    html = client.get(path).text
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def test_token_required_for_api_and_pages(make_client: object) -> None:
    client = make_client(token=TOKEN)  # type: ignore[operator]
    response = client.get("/api/articles")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    assert client.get("/openapi.json").status_code == 401
    page = client.get("/articles?outlet=x", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    wrong = client.get("/api/articles", headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401
    ok = client.get("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    assert client.get("/static/dashboard.css").status_code == 200


def test_login_form_sets_a_session_cookie(make_client: object) -> None:
    client = make_client(token=TOKEN)  # type: ignore[operator]
    csrf = csrf_of(client)
    bad = client.post("/login", data={"token": "nope", "csrf": csrf, "next": "/"})
    assert bad.status_code == 401
    response = client.post(
        "/login", data={"token": TOKEN, "csrf": csrf, "next": "//evil.example/"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert client.get("/api/articles").status_code == 200
    assert client.get("/").status_code == 200
    logout = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert logout.status_code == 303


def test_login_without_csrf_is_refused(make_client: object) -> None:
    client = make_client(token=TOKEN)  # type: ignore[operator]
    response = client.post("/login", data={"token": TOKEN, "csrf": "forged"})
    assert response.status_code == 403
    assert client.get("/api/articles").status_code == 401


def test_session_cookie_is_signed_and_expires() -> None:
    value = session_value(TOKEN, now=1000.0)
    assert valid_session(TOKEN, value, now=1001.0)
    assert not valid_session("another-token-0123456789", value, now=1001.0)
    assert not valid_session(TOKEN, value, now=1000.0 + 13 * 3600)
    assert not valid_session(TOKEN, "1000.forged", now=1001.0)


def test_ingest_form_needs_csrf(client: TestClient) -> None:
    csrf = csrf_of(client, "/ingest")
    assert client.post("/ingest", data={"text": "Some article.", "csrf": "bad"}).status_code == 403
    ok = client.post("/ingest", data={"text": "Some article.", "csrf": csrf}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"].startswith("/jobs/")
    client.app.state.jobs.wait()  # type: ignore[attr-defined]
    assert "done" in client.get(ok.headers["location"]).text


def test_read_only_disables_posts(make_client: object) -> None:
    client = make_client(read_only=True)  # type: ignore[operator]
    response = client.post("/api/ingest", json={"urls": ["https://example.org/a"]})
    assert response.status_code == 403 and response.json()["error"]["code"] == "read_only"
    assert client.post("/ingest", data={"text": "x"}).status_code == 403
    assert client.get("/api/articles").status_code == 200
    assert "Add articles" not in client.get("/").text


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/articles", "/api/nothing"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def test_no_stack_traces_on_crash(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object, **_kw: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(client.app.state.store, "list_articles", boom)  # type: ignore[attr-defined]
    response = client.get("/api/articles")
    assert response.status_code == 500 and response.json()["error"]["code"] == "internal"
    assert "secret internals" not in response.text and "Traceback" not in response.text
    page = client.get("/articles")
    assert page.status_code == 500 and "secret internals" not in page.text


def test_host_header_check(make_client: object) -> None:
    client = make_client(allowed_hosts=("127.0.0.1", "localhost"))  # type: ignore[operator]
    assert client.get("/api/health").status_code == 400  # TestClient sends Host: testserver
    assert client.get("/api/health", headers={"host": "127.0.0.1:8000"}).status_code == 200


def test_exposure_rules() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    check_exposure(Settings(), "127.0.0.1")
    with pytest.raises(ConfigError, match="NARRASCOPE_TOKEN"):
        check_exposure(Settings(), "0.0.0.0")
    with pytest.raises(ConfigError, match="too short"):
        check_exposure(Settings(token="short"), "0.0.0.0")
    check_exposure(Settings(token=TOKEN), "0.0.0.0")
