"""The guard in front of every request: body size limit, token auth, read-only mode, CSRF cookie, headers."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from narrascope.api.errors import respond

SESSION_COOKIE = "narrascope_session"
CSRF_COOKIE = "narrascope_csrf"
SESSION_SECONDS = 12 * 3600
MAX_BODY = 1_000_000  # bytes
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
PUBLIC_PATHS = ("/login", "/static/")  # the login form and its (package-shipped) assets
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


def session_value(token: str, now: float | None = None) -> str:
    """A login cookie: the issue time signed with the token (HMAC-SHA256)."""
    issued = str(int(now if now is not None else time.time()))
    return f"{issued}.{_sign(token, issued)}"


def valid_session(token: str, value: str, now: float | None = None) -> bool:
    issued, _, signature = value.partition(".")
    if not issued.isdigit() or not hmac.compare_digest(signature, _sign(token, issued)):
        return False
    age = (now if now is not None else time.time()) - int(issued)
    return 0 <= age <= SESSION_SECONDS


def _sign(token: str, message: str) -> str:
    return hmac.new(token.encode(), f"session:{message}".encode(), hashlib.sha256).hexdigest()


def valid_bearer(token: str, header: str) -> bool:
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def cookies_of(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is treated as no cookies
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


@dataclass(frozen=True)
class GuardConfig:
    token: str = ""
    read_only: bool = False
    max_body: int = MAX_BODY
    allowed_hosts: tuple[str, ...] = ()  # empty: any Host header


class Guard:
    """Pure ASGI middleware: every check runs before the app sees the request."""

    def __init__(self, app: ASGIApp, config: GuardConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = cookies_of(scope)
        csrf = cookies.get(CSRF_COOKIE, "")
        fresh = "" if len(csrf) == 43 else secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = fresh if fresh else csrf
        send = _with_headers(send, fresh, scope.get("scheme") == "https")
        refusal = self._refuse(scope, cookies)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if scope["method"] in WRITE_METHODS:
            body = await _read_body(receive, self.config.max_body)
            if body is None:
                await respond(Request(scope), 413, f"request body over {self.config.max_body} bytes")(
                    scope, receive, send
                )
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)

    def _refuse(self, scope: Scope, cookies: dict[str, str]) -> Response | None:
        request = Request(scope)
        config = self.config
        if config.allowed_hosts and request.url.hostname not in config.allowed_hosts:
            return respond(request, 400, "unknown Host header (DNS rebinding protection)")
        length = header(scope, b"content-length")
        if length.isdigit() and int(length) > config.max_body:
            return respond(request, 413, f"request body over {config.max_body} bytes")
        path = scope["path"]
        if config.token and not _public(path) and not self._authorised(scope, cookies):
            if scope["method"] == "GET" and not path.startswith("/api") and path != "/openapi.json":
                return RedirectResponse(f"/login?next={_safe_next(request)}", status_code=303)
            return respond(request, 401, "authentication required: send 'Authorization: Bearer TOKEN'")
        if config.read_only and scope["method"] in WRITE_METHODS and path not in ("/login", "/logout"):
            return respond(request, 403, "the server runs in read-only mode", "read_only")
        return None

    def _authorised(self, scope: Scope, cookies: dict[str, str]) -> bool:
        token = self.config.token
        bearer = header(scope, b"authorization")
        if bearer and valid_bearer(token, bearer):
            return True
        return valid_session(token, cookies.get(SESSION_COOKIE, ""))


def _public(path: str) -> bool:
    return path == "/login" or path.startswith("/static/")


def _safe_next(request: Request) -> str:
    from urllib.parse import quote

    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return quote(target, safe="")


def _with_headers(send: Send, csrf: str, secure: bool) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers: list[Any] = list(message.get("headers", []))
            headers.extend(HEADERS)
            if csrf:
                flags = "; Secure" if secure else ""
                cookie = f"{CSRF_COOKIE}={csrf}; Path=/; HttpOnly; SameSite=Strict{flags}"
                headers.append((b"set-cookie", cookie.encode()))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it grows past `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, original: Receive) -> Receive:
    """A receive that yields the buffered body once, then waits on the real channel (disconnects)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await original()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def check_csrf(request: Request, submitted: str) -> bool:
    """True when a form's csrf field matches the request's CSRF cookie (double-submit)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), submitted.encode())


def hosts_for(host: str) -> Iterable[str]:
    return LOOPBACK_HOSTS if host in LOOPBACK_HOSTS else ()
