"""HTML files, URLs and feeds; every HTTP call goes through httpx.MockTransport (no network)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from narrascope.settings import Settings

Collect = Any  # the `collect` fixture from conftest.py
Handler = Callable[[httpx.Request], httpx.Response]


def mock(routes: dict[str, httpx.Response], seen: list[httpx.Request] | None = None) -> httpx.MockTransport:
    """A transport answering from a URL -> response table (404 for anything else)."""

    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return routes.get(str(request.url), httpx.Response(404))

    return httpx.MockTransport(handle)


def html_response(fixtures: Path) -> httpx.Response:
    return httpx.Response(
        200, content=(fixtures / "article.html").read_bytes(), headers={"content-type": "text/html"}
    )


def test_html_file(fixtures: Path, collect: Collect) -> None:
    articles, errors = collect([fixtures / "article.html"])
    assert errors == []
    article = articles[0]
    assert article.title == "Harbour town votes on new sea wall"
    assert article.text.startswith("Residents of the small harbour town")
    assert "Home | World" not in article.text
    assert (article.source, article.published) == ("The Coastal Ledger", "2024-03-05")


def test_html_without_article_body(fixtures: Path, collect: Collect) -> None:
    articles, errors = collect([fixtures / "no_body.html"])
    assert articles == [] and "no article body" in errors[0].reason


def test_url_article_with_redirect_and_user_agent(
    fixtures: Path, collect: Collect, settings: Settings
) -> None:
    seen: list[httpx.Request] = []
    routes = {
        "https://ledger.example/old": httpx.Response(
            301, headers={"location": "https://ledger.example/sea-wall"}
        ),
        "https://ledger.example/sea-wall": html_response(fixtures),
    }
    articles, errors = collect(["https://ledger.example/old"], transport=mock(routes, seen))
    assert errors == []
    assert articles[0].name == "https://ledger.example/old"
    assert articles[0].url == "https://ledger.example/sea-wall"
    assert articles[0].title == "Harbour town votes on new sea wall"
    assert all(r.headers["user-agent"] == settings.user_agent for r in seen)


def test_unreachable_url(collect: Collect) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    articles, errors = collect(["https://down.example/a"], transport=httpx.MockTransport(refuse))
    assert articles == []
    assert errors[0].source == "https://down.example/a" and "unreachable: ConnectError" in errors[0].reason


def test_timeout_and_http_error(collect: Collect) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/slow":
            raise httpx.ReadTimeout("too slow", request=request)
        return httpx.Response(503)

    _, errors = collect(
        ["https://x.example/slow", "https://x.example/down"], transport=httpx.MockTransport(slow)
    )
    assert [e.reason for e in errors] == ["timed out", "HTTP 503 Service Unavailable"]


def test_download_size_cap_streams_and_stops(collect: Collect) -> None:
    def big(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"<p>" + b"a" * 600] * 10))  # no content-length

    _, errors = collect(
        ["https://x.example/big"], transport=httpx.MockTransport(big), settings=Settings(max_bytes=2000)
    )
    assert "above the 0.002 MB cap" in errors[0].reason


def test_declared_length_above_cap(collect: Collect) -> None:
    routes = {
        "https://x.example/huge": httpx.Response(200, headers={"content-length": "52400000"}, content=b"")
    }
    _, errors = collect(["https://x.example/huge"], transport=mock(routes))
    assert errors[0].reason == "https://x.example/huge is 52.4 MB, above the 10 MB cap (max_bytes)"


def test_feed_url_fetches_linked_page_for_short_entries(fixtures: Path, collect: Collect) -> None:
    seen: list[httpx.Request] = []
    routes = {
        "https://ledger.example/rss": httpx.Response(
            200, content=(fixtures / "feed.rss").read_bytes(), headers={"content-type": "application/rss+xml"}
        ),
        "https://ledger.example/sea-wall": html_response(fixtures),
    }
    articles, errors = collect(["https://ledger.example/rss"], transport=mock(routes, seen))
    assert errors == []
    strike, wall = articles
    assert strike.title == "Ferry strike enters second week"
    assert strike.source == "Coastal Ledger — Latest" and strike.published == "2024-03-06"
    assert strike.text.startswith("Ferry crews on the island routes")
    assert "<p>" not in strike.text
    assert wall.text.startswith("Residents of the small harbour town")
    assert wall.meta == {"text_from": "linked page"}
    assert [str(r.url) for r in seen] == ["https://ledger.example/rss", "https://ledger.example/sea-wall"]


def test_local_feed_keeps_teaser_without_a_transport(fixtures: Path, collect: Collect) -> None:
    articles, errors = collect([fixtures / "feed.rss"])
    assert errors == []
    assert articles[1].text == "Westmere residents back a four million euro sea wall."
    assert articles[1].url == "https://ledger.example/sea-wall"


def test_linked_page_failure_keeps_the_teaser_and_says_why(fixtures: Path, collect: Collect) -> None:
    articles, _ = collect([fixtures / "feed.rss"], transport=mock({}))
    assert articles[1].text == "Westmere residents back a four million euro sea wall."
    assert articles[1].meta["link_error"] == "HTTP 404 Not Found"


def test_broken_feed_xml(fixtures: Path, collect: Collect) -> None:
    articles, errors = collect([fixtures / "broken_feed.xml"])
    assert articles == []
    assert errors and all("broken_feed.xml" in e.source for e in errors)
    assert "broken" in errors[0].reason


def test_xml_that_is_not_a_feed(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "config.xml"
    path.write_text('<?xml version="1.0"?><config><item>1</item></config>')
    articles, errors = collect([path])
    assert articles == [] and len(errors) == 1


def test_invalid_urls(collect: Collect) -> None:
    _, errors = collect(["https://", "http://[::1"], transport=mock({}))
    assert [e.source for e in errors] == ["https://", "http://[::1"]
    assert all("valid" in e.reason for e in errors)
