"""The one HTTP client for URLs and feeds: timeouts, size cap, polite User-Agent, injectable transport."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from narrascope.errors import IngestError
from narrascope.ingest.files import size_error
from narrascope.settings import Settings

MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Fetched:
    """A downloaded response body with the URL it finally came from and its content type."""

    url: str
    content_type: str
    body: bytes


def make_client(settings: Settings, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The HTTP client every fetch goes through; tests pass an httpx.MockTransport."""
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings.http_timeout),
        headers={
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml,*/*",
        },
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
    )


def fetch(client: httpx.Client, url: str, max_bytes: int) -> Fetched:
    """GET `url`, streaming and stopping at `max_bytes`; IngestError when unreachable, an HTTP error or too big."""
    _check_url(url)
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise IngestError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
            _check_length(url, response, max_bytes)
            body = _read_capped(url, response, max_bytes)
            return Fetched(str(response.url), response.headers.get("content-type", ""), body)
    except httpx.TimeoutException:
        raise IngestError(url, "timed out") from None
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise IngestError(url, f"unreachable: {type(exc).__name__}: {exc}") from None


def _check_url(url: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise IngestError(url, f"not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise IngestError(url, "not a valid http(s) URL")


def _check_length(url: str, response: httpx.Response, max_bytes: int) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise size_error(url, int(declared), max_bytes)


def _read_capped(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise size_error(url, size, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)
