"""Subtask 2 (narratives) on the SemEval-2025 training split: the shipped model against baselines.

Usage: .venv/bin/python benchmarks/semeval_st2.py [--langs EN BG ...] [--model DIR] [--no-cv]

For each language, F1-samples coarse / fine (the official scorer's definition) of:
  all-Other         every document labelled Other
  tfidf-lr (cv)     char 2-5-gram TF-IDF + one-vs-rest logistic regression, 5-fold CV on that language's split
  train (cv)        `narrascope train` (the same learner as the shipped model) 5-fold CV on that split
  shipped           the shipped model (trained only on project-written data; the whole split is unseen by it)
plus the narrative stage's speed next to the embedding pass. The split is read, never copied.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from benchmarks.semeval_data import LANGS, Doc, load_language, scorer_labels
from narrascope.evaluate import score_st2
from narrascope.models.narratives import OTHER, NarrativeModel, Thresholds, load_model
from narrascope.models.training import Example, fit_model

FOLDS = 5


def decide_rows(
    model: NarrativeModel, docs: list[Doc], lang: str = ""
) -> dict[str, tuple[set[str], set[str]]]:
    out = {}
    for d in docs:
        dec = model.decide(d.vectors, d.sentences, lang=lang)
        out[d.id] = (
            {x.label for x in dec.narratives} or {OTHER},
            {x.label for x in dec.subnarratives} or {OTHER},
        )
    return out


def folds(n: int) -> list[np.ndarray]:
    order = np.random.default_rng(0).permutation(n)
    return [order[k::FOLDS] for k in range(FOLDS)]


def cv_train(docs: list[Doc], thresholds: Thresholds) -> dict[str, tuple[set[str], set[str]]]:
    """The shipped learner and decoding thresholds, fitted on 4/5 of the split, scored on the rest."""
    pred: dict[str, tuple[set[str], set[str]]] = {}
    examples = [Example(d.id, d.text, d.coarse, d.fine) for d in docs]
    for test in folds(len(docs)):
        held = set(test.tolist())
        tr = [i for i in range(len(docs)) if i not in held]
        vecs, exs = [docs[i].vectors for i in tr], [examples[i] for i in tr]
        model = fit_model(vecs, exs, 1.0)
        model.thresholds = thresholds
        pred.update(decide_rows(model, [docs[i] for i in test]))  # `thresholds` are that language's
    return pred


def cv_tfidf(docs: list[Doc]) -> dict[str, tuple[set[str], set[str]]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    pred: dict[str, tuple[set[str], set[str]]] = {}
    for test in folds(len(docs)):
        held = set(test.tolist())
        tr = [docs[i] for i in range(len(docs)) if i not in held]
        vec = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, max_features=200_000, sublinear_tf=True
        )
        X = vec.fit_transform([d.text for d in tr])
        Xt = vec.transform([docs[i].text for i in test])
        out: list[list[set[str]]] = []
        for level in ("coarse", "fine"):
            mlb = MultiLabelBinarizer()
            Y = mlb.fit_transform([getattr(d, level) for d in tr])
            keep = Y.sum(axis=0) > 0
            clf = OneVsRestClassifier(LogisticRegression(C=10.0, max_iter=1000, class_weight="balanced"))
            clf.fit(X, Y[:, keep])
            P = clf.predict_proba(Xt)
            names = np.array(mlb.classes_)[keep]
            out.append([set(names[p >= 0.5]) or {names[int(np.argmax(p))]} for p in P])
        for j, i in enumerate(test):
            pred[docs[i].id] = (out[0][j], out[1][j])
    return pred


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", nargs="+", default=list(LANGS))
    ap.add_argument("--model", default="")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validated baselines")
    args = ap.parse_args()
    coarse, fine = scorer_labels()
    model = load_model(args.model)
    print(
        "| lang | docs | all-Other | tfidf-lr (cv) | train (cv) | shipped | shipped docs/s (narrative stage) |"
    )
    print("|---|---|---|---|---|---|---|")
    for lang in args.langs:
        docs = load_language(lang)
        gold = {d.id: (d.coarse, d.fine) for d in docs}

        def cell(
            pred: dict[str, tuple[set[str], set[str]]], gold: dict[str, tuple[set[str], set[str]]] = gold
        ) -> str:
            s = score_st2(gold, pred, coarse, fine)
            return f"{s['f1_samples_coarse']:.3f} / {s['f1_samples_fine']:.3f}"

        other = {d.id: ({OTHER}, {OTHER}) for d in docs}
        t0 = time.perf_counter()
        shipped = decide_rows(model, docs, lang.lower())
        rate = len(docs) / (time.perf_counter() - t0)
        tfidf = cell(cv_tfidf(docs)) if not args.no_cv else "-"
        trained = cell(cv_train(docs, model.settings(lang.lower()))) if not args.no_cv else "-"
        print(
            f"| {lang} | {len(docs)} | {cell(other)} | {tfidf} | {trained} | {cell(shipped)} | {rate:.0f} |",
            flush=True,
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\ncells: F1-samples coarse / fine. peak RSS {rss:.0f} MB. Embedding pass (e5, cached here) is measured by"
    )
    print(
        "benchmarks/throughput.py; the narrative stage itself only runs the linear decoder shown in the last column."
    )


if __name__ == "__main__":
    main()
