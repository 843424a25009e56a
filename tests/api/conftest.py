"""API fixtures: a corpus database in tmp_path and a TestClient over the app (no models, no network)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():  # starlette asks for httpx2, not installed; httpx works the same here
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from narrascope.api import create_app
from narrascope.settings import Settings
from tests.api.corpus_builder import build_db

CHEAP_STAGES = ["clean"]
TOKEN = "t0ken-for-tests-0123456789"


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return build_db(tmp_path / "corpus.db")


@pytest.fixture
def app_settings(db_path: str) -> Settings:
    return Settings(db=db_path)


@pytest.fixture
def client(app_settings: Settings) -> Iterator[TestClient]:
    app = create_app(app_settings, stages=CHEAP_STAGES)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def make_client(db_path: str) -> Iterator[object]:
    """Build clients over the corpus with other settings (token, read-only, body limit)."""
    opened: list[TestClient] = []

    def make(**options: object) -> TestClient:
        app_options = {k: options.pop(k) for k in ("max_body", "allowed_hosts") if k in options}
        app = create_app(Settings(db=db_path).replace(**options), stages=CHEAP_STAGES, **app_options)
        test_client = TestClient(app, raise_server_exceptions=False)
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)
