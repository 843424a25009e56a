"""Dashboard fixtures: corpus databases and a uvicorn server on a free loopback port, run in a thread."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from narrascope.api import create_app
from narrascope.settings import Settings
from tests.api.corpus_builder import build_db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """uvicorn serving the app on 127.0.0.1 in a background thread."""

    def __init__(self, db: str) -> None:
        app = create_app(Settings(db=db), stages=["clean"])
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the test server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def corpus_server(tmp_path: Path) -> Iterator[Server]:
    with Server(build_db(tmp_path / "corpus.db")) as server:
        yield server


@pytest.fixture
def hostile_server(tmp_path: Path) -> Iterator[Server]:
    with Server(build_db(tmp_path / "hostile.db", hostile=True)) as server:
        yield server


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium; missing: skip locally, fail on CI (env CI set)."""
    found = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI: apt-get install -y chromium (make system-deps)")
        pytest.skip("chromium is not installed (apt-get install -y chromium); browser tests skipped")
    return found


@pytest.fixture
def browser_page(chromium_path: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
