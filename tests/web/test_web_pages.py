"""Dashboard pages rendered server-side: every page answers, hostile text is escaped, links are safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from narrascope.api import create_app
from narrascope.settings import Settings
from tests.api.conftest import TestClient
from tests.api.corpus_builder import HOSTILE, PAGES, build_db


@pytest.fixture
def web(tmp_path: Path) -> TestClient:
    return TestClient(create_app(Settings(db=build_db(tmp_path / "c.db")), stages=["clean"]))


@pytest.fixture
def hostile(tmp_path: Path) -> TestClient:
    return TestClient(create_app(Settings(db=build_db(tmp_path / "h.db", hostile=True)), stages=["clean"]))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders(web: TestClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text  # no inline scripts: the CSP forbids them


def test_article_page_highlights_evidence_entities_and_quotes(web: TestClient) -> None:
    article_id = web.get("/api/articles", params={"limit": 1}).json()["items"][0]["id"]
    html = web.get(f"/articles/{article_id}").text
    assert 'class="ev ev0' in html and re.search(r'class="[^"]*ent (pro|ant)', html) and "quote" in html
    assert web.get("/articles/missing").status_code == 404


def test_search_snippets_mark_matches(web: TestClient) -> None:
    assert "<mark>grain</mark>" in web.get("/articles?q=grain").text.lower()


def test_chart_links_point_to_filtered_lists(web: TestClient) -> None:
    html = web.get("/").text
    data = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S)
    assert data and "/articles?narrative=" in data.group(1)


def test_hostile_corpus_is_escaped(hostile: TestClient) -> None:
    ids = [i["id"] for i in hostile.get("/api/articles").json()["items"]]
    pages = ["/", "/articles", "/articles?q=alert", "/entities/Q1", "/stories", "/stories/s1"]
    pages += [f"/articles/{i}" for i in ids]
    for path in pages:
        html = hostile.get(path).text
        for payload in HOSTILE:
            assert payload not in html, (path, payload)
        for raw in ("<script>alert", "<img", "<svg", "<iframe", "<b id=injected>", 'href="javascript:'):
            assert raw not in html, (path, raw)


def test_error_pages_are_html_without_traces(web: TestClient) -> None:
    response = web.get("/stories/none")
    assert response.status_code == 404 and "not_found" in response.text and "Traceback" not in response.text
    assert web.get("/articles?limit=0").status_code == 422
