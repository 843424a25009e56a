"""Shared fixtures for the ingest tests: settings, the fixture folder and a reader that collects results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from narrascope.errors import IngestError
from narrascope.ingest import read_sources
from narrascope.records import Article
from narrascope.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"

Collect = Callable[..., tuple[list[Article], list[IngestError]]]


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def collect(settings: Settings) -> Collect:
    """read_sources, split into (articles, errors); anything else in the stream fails the test."""

    def run(paths: Sequence[str | Path], **kwargs: Any) -> tuple[list[Article], list[IngestError]]:
        chosen = kwargs.pop("settings", settings)
        articles: list[Article] = []
        errors: list[IngestError] = []
        for item in read_sources([str(p) for p in paths], chosen, **kwargs):
            if isinstance(item, Article):
                articles.append(item)
            else:
                assert isinstance(item, IngestError), f"unexpected item {item!r}"
                errors.append(item)
        return articles, errors

    return run
