"""SemEval-2025 Task 10 metrics: F1-samples (subtask 2) and EMR / micro F1 / main-role accuracy (subtask 1)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from statistics import mean, pstdev
from typing import Any

St2Rows = Mapping[str, tuple[set[str], set[str]]]
St1Key = tuple[str, str, str, str]
St1Rows = Mapping[St1Key, tuple[str, set[str]]]


def f1(gold: set[str], pred: set[str]) -> float:
    """Per-document F1 between label sets (zero when nothing matches)."""
    tp = len(gold & pred)
    if tp == 0:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


def score_st2(gold: St2Rows, pred: St2Rows, coarse: Collection[str], fine: Collection[str]) -> dict[str, Any]:
    """Mean per-document F1 over the scored coarse and fine labels; a missing prediction counts as empty."""
    coarse_set, fine_set = set(coarse), set(fine)
    cs, fs = [], []
    for doc, (gc, gf) in gold.items():
        pc, pf = pred.get(doc, (set(), set()))
        cs.append(f1(gc & coarse_set, pc & coarse_set))
        fs.append(f1(gf & fine_set, pf & fine_set))
    return {
        "docs": len(gold),
        "missing_predictions": sum(1 for d in gold if d not in pred),
        "f1_samples_coarse": round(mean(cs), 4) if cs else 0.0,
        "f1_samples_fine": round(mean(fs), 4) if fs else 0.0,
        "f1_samples_coarse_sd": round(pstdev(cs), 4) if cs else 0.0,
        "f1_samples_fine_sd": round(pstdev(fs), 4) if fs else 0.0,
    }


def score_st1(gold: St1Rows, pred: St1Rows) -> dict[str, Any]:
    """Exact match of fine-role sets, micro P/R/F1 over fine roles, main-role accuracy."""
    exact = main_ok = tp = fp = fn = 0
    for key, (gm, gf) in gold.items():
        pm, pf = pred.get(key, ("", set()))
        exact += gf == pf
        main_ok += gm == pm
        tp += len(gf & pf)
        fp += len(pf - gf)
        fn += len(gf - pf)
    n = len(gold)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "mentions": n,
        "missing_predictions": sum(1 for k in gold if k not in pred),
        "emr": round(exact / n, 4) if n else 0.0,
        "micro_precision": round(p, 4),
        "micro_recall": round(r, 4),
        "micro_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "main_role_accuracy": round(main_ok / n, 4) if n else 0.0,
    }
