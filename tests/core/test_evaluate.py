"""Our metrics agree with the reference scorer in ../shared/tools to 4 decimals."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from narrascope.evaluate import f1
from narrascope.semeval_tasks import score
from tests.conftest import FIXTURES, SHARED

SCORER = SHARED / "tools" / "semeval_score.py"
needs_scorer = pytest.mark.skipif(not SCORER.exists(), reason="../shared/tools/semeval_score.py not present")


def reference(subtask: str, gold: str, pred: str) -> dict[str, float]:
    res = subprocess.run(
        [sys.executable, str(SCORER), subtask, "--gold", str(FIXTURES / "semeval" / gold), "--pred",
         str(FIXTURES / "semeval" / pred)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(res.stdout))


@needs_scorer
def test_st2_agrees_with_reference() -> None:
    ours = score(2, FIXTURES / "semeval" / "st2_gold.txt", FIXTURES / "semeval" / "st2_pred.txt")
    ref = reference("st2", "st2_gold.txt", "st2_pred.txt")
    for key in ("f1_samples_coarse", "f1_samples_fine", "missing_predictions", "docs"):
        assert ours[key] == pytest.approx(ref[key], abs=1e-4), key
    assert 0 < ours["f1_samples_fine"] < 1


@needs_scorer
def test_st1_agrees_with_reference() -> None:
    ours = score(1, FIXTURES / "semeval" / "st1_gold.txt", FIXTURES / "semeval" / "st1_pred.txt")
    ref = reference("st1", "st1_gold.txt", "st1_pred.txt")
    for key in ("emr", "micro_f1", "main_role_accuracy", "missing_predictions"):
        assert ours[key] == pytest.approx(ref[key], abs=1e-4), key
    assert ours["emr"] == 0.5  # Putin and Kyiv match exactly


def test_f1_by_hand() -> None:
    assert f1({"a", "b"}, {"a"}) == pytest.approx(2 / 3)
    assert f1({"a"}, {"b"}) == 0.0
    assert f1(set(), set()) == 0.0
