"""How far decoding alone could take the shipped narrative model on the SemEval-2025 training split.

Usage: .venv/bin/python benchmarks/semeval_st2_ceiling.py [--langs EN BG ...] [--model DIR]

For each language:
  shipped          F1-samples coarse / fine with the shipped decoding settings
  best decoding    the same probabilities decoded with the grid point that scores best on that language's split
                   itself: an upper bound on what any choice of thresholds could give (fitted on the test data,
                   so a measurement only; never shipped)
  ranking          share of the gold narratives among the model's |gold| most probable narratives, on the
                   articles that carry at least one (threshold-free; 1.0 = perfect ranking)
Measurement only: nothing here writes into the repository or the model.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import asdict

import numpy as np

from benchmarks.semeval_data import LANGS, Doc, load_language, scorer_labels
from narrascope.evaluate import score_st2
from narrascope.models.narratives import ANY, OTHER, NarrativeModel, Thresholds, load_model
from narrascope.models.training import article_scores

# Wider and finer than the training grid (models/training.py GRID); max_subnarratives and knn stay as shipped.
CEILING_GRID = {
    "any": (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
    "narrative": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
    "subnarrative": (0.1, 0.2, 0.3, 0.4, 0.5, 0.6),
    "hedge": (0.0, 0.5, 0.7, 1.0),
    "sure": (0.0, 0.6, 0.7, 0.8),
}
KEYS = tuple(CEILING_GRID)


def probability_rows(model: NarrativeModel, docs: list[Doc], lang: str) -> list[dict[str, float]]:
    texts = [" ".join(s.text for s in d.sentences) for d in docs]
    rows = model.probability_rows([d.vectors for d in docs], texts, lang)
    return [dict(zip(model.labels_, row.tolist(), strict=True)) for row in rows]


def ranking(model: NarrativeModel, probs: list[dict[str, float]], docs: list[Doc]) -> float:
    names = [n for n in model.labels_ if n not in model.parent_ and n != ANY]
    shares = []
    for p, d in zip(probs, docs, strict=True):
        gold = d.coarse - {OTHER}
        if gold:
            top = sorted(names, key=lambda n: -p[n])[: len(gold)]
            shares.append(len(gold & set(top)) / len(gold))
    return float(np.mean(shares))


def decoded(
    model: NarrativeModel, probs: list[dict[str, float]], docs: list[Doc], lang: str
) -> dict[str, tuple[set[str], set[str]]]:
    out = {}
    for p, d in zip(probs, docs, strict=True):
        chosen = model.choose(p, lang)
        out[d.id] = ({n for n, _ in chosen} or {OTHER}, {s for _, subs in chosen for s in subs} or {OTHER})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", nargs="+", default=list(LANGS))
    ap.add_argument("--model", default="")
    args = ap.parse_args()
    coarse, fine = scorer_labels()
    model = load_model(args.model)
    print("| lang | docs | shipped | best decoding | its settings | ranking |")
    print("|---|---|---|---|---|---|")
    for lang in args.langs:
        docs = load_language(lang)
        key = lang.lower()
        gold = {d.id: (d.coarse, d.fine) for d in docs}
        probs = probability_rows(model, docs, key)
        shipped = model.settings(key)
        best = best_settings(model, key, probs, docs)
        cells = []
        for settings in (shipped, best):
            model.by_language[key] = settings
            s = score_st2(gold, decoded(model, probs, docs, key), coarse, fine)
            cells.append(f"{s['f1_samples_coarse']:.3f} / {s['f1_samples_fine']:.3f}")
        model.by_language[key] = shipped
        chosen = " ".join(f"{k} {getattr(best, k)}" for k in KEYS)
        print(
            f"| {lang} | {len(docs)} | {cells[0]} | {cells[1]} | {chosen} | {ranking(model, probs, docs):.3f} |",
            flush=True,
        )
    print(
        "\ncells: F1-samples coarse / fine. 'best decoding' is fitted on the very articles it is scored on."
    )


def best_settings(
    model: NarrativeModel, lang: str, probs: list[dict[str, float]], docs: list[Doc]
) -> Thresholds:
    """The CEILING_GRID point with the highest mean per-article fine F1 on these very articles."""
    gold = [d.fine - {OTHER} or {OTHER} for d in docs]
    shipped = model.settings(lang)
    best, best_f1 = shipped, -1.0
    for point in itertools.product(*CEILING_GRID.values()):
        settings = Thresholds(**{**asdict(shipped), **dict(zip(KEYS, point, strict=True))})
        model.by_language[lang] = settings
        f1 = float(article_scores(model, probs, gold, lang).mean())
        if f1 > best_f1:
            best, best_f1 = settings, f1
    model.by_language[lang] = shipped
    return best


if __name__ == "__main__":
    main()
