"""SemEval-2025 Task 10 subtask 1 per language: shipped role model vs majority vs cross-validated training, and NER recall.

    .venv/bin/python benchmarks/semeval_st1.py [--data ../shared/data/semeval2025t10/train] [--limit 300] [--langs EN,RU]

Reads the data in place (never copies it); sentence vectors are cached in .cache/roles/. Scores with ../shared/tools/semeval_score.py (imported).
`--limit` caps the mentions per language (first N in file order) to keep the run cheap; 0 = all.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
from sklearn.model_selection import GroupKFold

from narrascope.models.role_features import Example, VectorCache, featurize
from narrascope.models.roles import RoleClassifier, entity_key, load_role_model, load_semeval_examples
from narrascope.nlp.ner import find_mentions

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "semeval2025t10" / "train"
SCORER = ROOT.parent / "shared" / "tools" / "semeval_score.py"
CACHE = ROOT / ".cache" / "roles" / "semeval_vectors.npz"  # sentence vectors (never committed)
Prediction = tuple[str, list[str]]


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("semeval_score", SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(
    scorer: ModuleType, examples: list[Example], docs: list[str], preds: list[Prediction]
) -> dict[str, float]:
    """Write gold and predicted lines to temp files and score them with the reference scorer."""
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp) / "gold.txt", Path(tmp) / "pred.txt"
        gold.write_text(
            "".join(_line(d, e, e.main, list(e.fine)) for d, e in zip(docs, examples, strict=True))
        )
        pred.write_text(
            "".join(_line(d, e, m, f) for d, e, (m, f) in zip(docs, examples, preds, strict=True))
        )
        result: dict[str, float] = scorer.score_st1(gold, pred)
    return result


def _line(doc: str, e: Example, main: str, fine: list[str]) -> str:
    mention = e.text[e.start : e.end].replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return "\t".join([doc, mention, str(e.start), str(e.end - 1), main, *fine]) + "\n"


def majority(examples: list[Example]) -> list[Prediction]:
    main = Counter(e.main for e in examples).most_common(1)[0][0]
    fine = Counter(f for e in examples if e.main == main for f in e.fine).most_common(1)[0][0]
    return [(main, [fine])] * len(examples)


def cross_validated(x: np.ndarray, examples: list[Example], docs: list[str]) -> list[Prediction]:
    """5-fold CV of the trainer on this language's split, folds grouped by document."""
    preds: list[Prediction] = [("", [])] * len(examples)
    for train, test in GroupKFold(n_splits=5).split(x, groups=docs):
        model = RoleClassifier().fit(
            x[train], [examples[i].main for i in train], [examples[i].fine for i in train]
        )
        for i, (main, fine, _) in zip(test, model.predict(x[test]), strict=True):
            preds[i] = (main, fine)
    return preds


def ner_recall(examples: list[Example], language: str) -> float:
    """Share of gold mentions overlapped by a mention our find_mentions returns for that document."""
    found: dict[int, list[tuple[int, int]]] = {}
    hits = 0
    for e in examples:
        key = id(e.text)
        if key not in found:
            found[key] = [(m.start, m.end) for m in find_mentions(e.text, language)]
        hits += any(s < e.end and e.start < t for s, t in found[key])
    return hits / max(1, len(examples))


def run_language(data: Path, lang: str, limit: int, scorer: ModuleType) -> dict[str, float]:
    folder = data / lang
    examples = load_semeval_examples(folder)
    docs = _doc_ids(folder)
    if limit:
        examples, docs = examples[:limit], docs[:limit]
    model = load_role_model(None)
    x = featurize(examples, model.marking, embed=VectorCache(CACHE))
    keys = [f"{d}:{entity_key(e.text[e.start : e.end])}" for d, e in zip(docs, examples, strict=True)]
    shipped = [(m, f) for m, f, _ in model.predict(x, groups=keys)]
    row: dict[str, float] = {"mentions": len(examples)}
    for name, preds in (
        ("shipped", shipped),
        ("majority", majority(examples)),
        ("cv5", cross_validated(x, examples, docs)),
    ):
        result = score(scorer, examples, docs, preds)
        row.update({f"{name}_{k}": result[k] for k in ("emr", "micro_f1", "main_role_accuracy")})
    row["ner_recall"] = ner_recall(examples, lang.lower())
    return row


def _doc_ids(folder: Path) -> list[str]:
    lines = (folder / "subtask-1-annotations.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip()]


def print_table(rows: dict[str, dict[str, float]]) -> None:
    cols = (
        ["mentions"]
        + [
            f"{m}_{k}"
            for m in ("shipped", "majority", "cv5")
            for k in ("emr", "micro_f1", "main_role_accuracy")
        ]
        + ["ner_recall"]
    )
    short = {c: c.replace("main_role_accuracy", "main").replace("micro_f1", "f1") for c in cols}
    print("| lang | " + " | ".join(short[c] for c in cols) + " |")
    print("|" + "---|" * (len(cols) + 1))
    for lang, row in rows.items():
        print(
            f"| {lang} | "
            + " | ".join(f"{row[c]:.3f}" if c != "mentions" else str(int(row[c])) for c in cols)
            + " |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=300, help="mentions per language (0 = all)")
    parser.add_argument("--langs", default="EN,BG,HI,PT,RU")
    args = parser.parse_args(argv)
    scorer = load_scorer()
    rows = {}
    t0 = time.time()
    for lang in args.langs.split(","):
        rows[lang] = run_language(args.data, lang, args.limit, scorer)
        print(f"{lang} done ({time.time() - t0:.0f}s)", file=sys.stderr)
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
