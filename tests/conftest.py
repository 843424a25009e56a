"""Shared test fixtures: paths, a settings object on a temp database."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=str(tmp_path / "test.db"))
