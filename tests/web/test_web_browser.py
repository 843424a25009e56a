"""The dashboard in a real browser (Playwright + Debian chromium): pages load, charts draw, clicks navigate,
and a hostile corpus stays inert. Screenshots go to the test's tmp dir."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.api.corpus_builder import PAGES
from tests.web.conftest import Server

pytestmark = pytest.mark.browser


def watch(page: Any) -> dict[str, list[str]]:
    """Record dialogs (alert/confirm), page errors and console errors; dismiss dialogs."""
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "console": []}

    def on_dialog(dialog: Any) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("console", lambda msg: seen["console"].append(msg.text) if msg.type == "error" else None)
    return seen


def charts_drawn(page: Any) -> int:
    """Wait for every chart container to be processed; return how many hold a non-empty SVG."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every(e => e.hasAttribute('data-rendered'))",
        timeout=15_000,
    )
    count: int = page.evaluate(
        "() => [...document.querySelectorAll('[data-chart] svg')]"
        ".filter(s => s.querySelectorAll('path, rect, text').length > 3).length"
    )
    return count


def sweep(page: Any) -> None:
    """Move the mouse over a grid of points in every chart, so tooltips with corpus text open."""
    for chart in page.locator("[data-chart]").all():
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        if not box:
            continue
        for fx in (0.3, 0.5, 0.7, 0.9):
            for fy in (0.1, 0.3, 0.5, 0.7):
                page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)


def test_every_page_loads_and_charts_render(corpus_server: Server, browser_page: Any, tmp_path: Path) -> None:
    page = browser_page
    seen = watch(page)
    for i, path in enumerate(PAGES):
        response = page.goto(corpus_server.url + path)
        assert response is not None and response.status == 200, path
        if page.locator("[data-chart]").count():
            assert charts_drawn(page) == page.locator("[data-chart]").count(), path
        page.screenshot(path=str(tmp_path / f"page{i}.png"), full_page=True)
    assert not seen["errors"] and not seen["dialogs"], seen
    assert not seen["console"], seen  # CSP violations and script errors show up here


def test_chart_click_opens_filtered_articles(
    corpus_server: Server, browser_page: Any, tmp_path: Path
) -> None:
    page = browser_page
    page.goto(corpus_server.url + "/")
    charts_drawn(page)
    chart = page.locator('[data-chart="narratives"]')
    box = chart.bounding_box()
    assert box is not None
    # the first (largest) bar of the horizontal narrative chart, just right of the axis labels; bars grow
    # in with an animation, so a click that lands before the bar is there is tried again
    for _ in range(10):
        page.mouse.click(box["x"] + 240, box["y"] + 10 + 20)
        try:
            page.wait_for_url("**/articles?narrative=**", timeout=2_000)
            break
        except PlaywrightTimeout:
            continue
    assert "/articles?narrative=" in page.url
    page.screenshot(path=str(tmp_path / "filtered.png"), full_page=True)
    rows = page.locator("table.articles tbody tr")
    assert rows.count() == 8
    with page.expect_navigation():
        rows.first.locator("a").click()
    assert "/articles/" in page.url
    assert page.locator(".text .ev").count() > 0 and page.locator(".text .ent").count() > 0
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)


def test_hostile_corpus_renders_inert(hostile_server: Server, browser_page: Any, tmp_path: Path) -> None:
    page = browser_page
    seen = watch(page)
    page.goto(hostile_server.url + "/api/articles")
    ids = [i["id"] for i in page.evaluate("() => JSON.parse(document.body.innerText)")["items"]]
    paths = ["/", "/articles", "/articles?q=alert", "/entities/Q1", "/stories/s1"] + [
        f"/articles/{i}" for i in ids
    ]
    for i, path in enumerate(paths):
        page.goto(hostile_server.url + path)
        if page.locator("[data-chart]").count():
            charts_drawn(page)
            sweep(page)  # tooltips must not inject markup either
        page.wait_for_timeout(200)
        injected = page.evaluate(
            "() => document.querySelectorAll('#injected, iframe, main img, main svg[onload], a[href^=\"javascript:\"]').length"
        )
        assert injected == 0, path
        page.screenshot(path=str(tmp_path / f"hostile{i}.png"), full_page=True)
    assert not seen["dialogs"], seen["dialogs"]
    assert not seen["errors"], seen["errors"]
