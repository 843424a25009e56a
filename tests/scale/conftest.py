"""Shared helpers for the scale-out tests: the tiny corpus, fast stages, stored analyses by id."""

from __future__ import annotations

from pathlib import Path

from narrascope.store import open_store

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "scale" / "corpus.jsonl"
FAST = ["clean", "language", "sentences"]
CRASH = "tests.scale.crash_stage:CrashOnceStage"


def stored(db: Path) -> dict[str, str]:
    """Every stored analysis as JSON, by article id (what 'identical results' compares)."""
    with open_store(str(db)) as store:
        return {article.id: analysis.to_json() for article, analysis in store.results()}


def analysis_rows(db: Path) -> int:
    """The number of analysis rows (a duplicate would show here)."""
    with open_store(str(db)) as store:
        return int(store.counts().get("analyses", -1))
