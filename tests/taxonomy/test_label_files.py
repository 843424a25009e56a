"""The shipped pack matches the official label-name lists, when the shared data folder is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.taxonomy import load_taxonomy

TAXONOMY_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "semeval2025t10" / "taxonomy"
FILES = (
    "subtask2_narratives.txt",
    "subtask2_subnarratives.txt",
    "subtask2_subnarratives_missing_from_scorer_list.txt",
)


def _names(filename: str) -> set[str]:
    path = TAXONOMY_DIR / filename
    if not path.exists():
        pytest.skip(f"{path} not available")
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def test_pack_has_exactly_the_official_labels() -> None:
    official = set().union(*(_names(f) for f in FILES))
    assert {item.label for item in load_taxonomy().labels()} == official


def test_missing_from_scorer_labels_are_not_scored() -> None:
    missing = _names(FILES[2])
    scored = set(load_taxonomy().scored_labels())
    assert missing and not missing & scored
    assert _names(FILES[0]) <= scored
