"""Learner variants for the narrative model, trained on the project's own data and measured on the SemEval split.

Usage: .venv/bin/python benchmarks/semeval_st2_variants.py [--langs EN BG ...]

Each variant changes how the narrative probabilities are computed; all are decoded with the shipped model's
settings, so `ranking` (share of the gold narratives among the |gold| most probable ones, threshold-free) is the
fairer column. Variants:
  shipped        the shipped recipe refitted here: e5 regressions averaged with character n-gram regressions
  e5 only        without the character n-gram half
  n-grams only   the character n-gram half alone on the narrative level
  + windows      0.8 x shipped + 0.2 x the highest score of the article model over windows of 8 sentences
  + sentences    0.7 x shipped + 0.3 x the mean of the 3 best sentences under sentence-level regressions trained
                 on every sentence of an article with that article's narratives
  + sub n-grams  character n-gram regressions for the subnarratives too (weight 0.3)
  + language x3  one model per language, its own articles counted three times
  + title        the first sentence's vector (the title) as extra features, at half weight
  + pairs        2,000 extra training articles, each two of ours of one language and domain joined, with the
                 union of their labels (more narratives per article, as in real coverage)
Trains on training/narratives/*.jsonl and the pack's sentences (embeddings cached by training/train_narratives.py
in .cache/; embedded here if missing). Measurement only: nothing is written into the repository. About 20 minutes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import numpy as np

from benchmarks.semeval_data import LANGS, ROOT, Doc, load_language, scorer_labels
from benchmarks.semeval_st2_ceiling import decoded, ranking
from narrascope.evaluate import score_st2
from narrascope.models.lexical import Lexical
from narrascope.models.narratives import (
    ANY,
    LEXICAL_WEIGHT,
    OTHER,
    NarrativeModel,
    features,
    load_model,
)
from narrascope.models.training import Example, embed_examples, fit_model, read_jsonl_examples

Probs = Callable[[str, list[Doc]], np.ndarray]


def own_data() -> tuple[list[Example], list[np.ndarray]]:
    sys.path.insert(0, str(ROOT / "training"))
    from train_narratives import taxonomy_examples

    examples = read_jsonl_examples(sorted((ROOT / "training" / "narratives").glob("*.jsonl")))
    examples += taxonomy_examples()
    return examples, embed_examples(examples, ROOT / ".cache" / "train_narratives.npz")


def text(d: Doc) -> str:
    return " ".join(s.text for s in d.sentences)


def standard(model: NarrativeModel, lexical_weight: float = LEXICAL_WEIGHT) -> Probs:
    def probs(lang: str, docs: list[Doc]) -> np.ndarray:
        e5 = model.regression(np.vstack([features(d.vectors) for d in docs]))
        lexical = model.lexical([text(d) for d in docs]) if lexical_weight else None
        return model.mix(e5, None, lexical, 0.0, lexical_weight)

    return probs


def windows(model: NarrativeModel, size: int = 8, stride: int = 4, weight: float = 0.2) -> Probs:
    base = standard(model)

    def probs(lang: str, docs: list[Doc]) -> np.ndarray:
        best = []
        for d in docs:
            n = len(d.vectors)
            starts = list(range(0, max(1, n - size + 1), stride))
            if n > size and starts[-1] + size < n:
                starts.append(n - size)
            feats = np.vstack([features(d.vectors[s : s + size]) for s in starts])
            best.append(model.regression(feats).max(axis=0))
        return (1 - weight) * base(lang, docs) + weight * np.vstack(best)

    return probs


def sentences(
    model: NarrativeModel, examples: list[Example], vecs: list[np.ndarray], k: int = 3, weight: float = 0.3
) -> Probs:
    from sklearn.linear_model import LogisticRegression

    base = standard(model)
    names = [n for n in model.labels_ if n not in model.parent_ and n != ANY]
    rows = np.vstack([v for v in vecs if len(v)])
    owner = np.concatenate([[i] * len(v) for i, v in enumerate(vecs) if len(v)]).astype(int)
    coef, bias = [], []
    for n in names:
        y = np.array([n in e.narratives for e in examples])[owner]
        clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(rows, y)
        coef.append(clf.coef_[0])
        bias.append(clf.intercept_[0])
    W, b = np.vstack(coef), np.array(bias)
    cols = [model.labels_.index(n) for n in names]

    def probs(lang: str, docs: list[Doc]) -> np.ndarray:
        out = base(lang, docs)
        top = []
        for d in docs:
            p = 1 / (1 + np.exp(-(d.vectors @ W.T + b)))
            top.append(np.sort(p, axis=0)[::-1][:k].mean(axis=0) if len(p) else np.zeros(len(names)))
        out[:, cols] = (1 - weight) * out[:, cols] + weight * np.vstack(top)
        return out

    return probs


def sub_ngrams(model: NarrativeModel, examples: list[Example], weight: float = 0.3) -> Probs:
    base = standard(model)
    subs = [n for n in model.labels_ if n in model.parent_]
    lex = Lexical.fit(
        [e.text for e in examples], {n: np.array([n in e.subnarratives for e in examples]) for n in subs}
    )
    cols = [model.labels_.index(n) for n in lex.labels]

    def probs(lang: str, docs: list[Doc]) -> np.ndarray:
        out = base(lang, docs)
        out[:, cols] = (1 - weight) * out[:, cols] + weight * lex.probabilities([text(d) for d in docs])
        return out

    return probs


def by_language(examples: list[Example], vecs: list[np.ndarray], langs: list[str], copies: int = 3) -> Probs:
    models = {}
    for lang in langs:
        own = [(v, e) for v, e in zip(vecs, examples, strict=True) if e.lang == lang.lower()] * (copies - 1)
        models[lang] = fit_model(vecs + [v for v, _ in own], examples + [e for _, e in own], 1.0)

    def probs(lang: str, docs: list[Doc]) -> np.ndarray:
        return standard(models[lang])(lang, docs)

    return probs


def title(examples: list[Example], vecs: list[np.ndarray], weight: float = 0.5) -> Probs:
    import narrascope.models.narratives as narratives

    def with_title(vectors: np.ndarray) -> np.ndarray:
        first = vectors[0] if len(vectors) else np.zeros(384, dtype=np.float32)
        return np.concatenate([features(vectors), weight * first]).astype(np.float32)

    narratives.features = with_title  # NarrativeModel.fit pools with it
    try:
        model = fit_model(vecs, examples, 1.0)
    finally:
        narratives.features = features

    def probs(lang: str, docs: list[Doc]) -> np.ndarray:
        e5 = model.regression(np.vstack([with_title(d.vectors) for d in docs]))
        out: np.ndarray = model.mix(e5, None, model.lexical([text(d) for d in docs]), 0.0)
        return out

    return probs


def pairs(examples: list[Example], vecs: list[np.ndarray], count: int = 2000) -> Probs:
    rng = np.random.default_rng(0)
    pools: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(examples):
        domains = {n.split(":")[0] for n in e.narratives - {OTHER}}
        if e.article and len(domains) == 1:
            pools.setdefault((e.lang, domains.pop()), []).append(i)
    keys = sorted(k for k, v in pools.items() if len(v) > 1)
    extra_vecs, extra = [], []
    for k in range(count):
        pool = pools[keys[rng.integers(len(keys))]]
        i, j = rng.choice(pool, size=2, replace=False)
        a, b = examples[i], examples[j]
        extra_vecs.append(np.vstack([vecs[i], vecs[j]]))
        subs = (a.subnarratives | b.subnarratives) - {OTHER}
        extra.append(
            Example(
                f"pair-{k}",
                f"{a.text}\n\n{b.text}",
                (a.narratives | b.narratives) - {OTHER},
                subs,
                a.lang,
                article=False,
            )
        )
    return standard(fit_model(vecs + extra_vecs, examples + extra, 1.0))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", nargs="+", default=list(LANGS))
    args = ap.parse_args()
    coarse, fine = scorer_labels()
    shipped = load_model("")
    examples, vecs = own_data()
    model = fit_model(vecs, examples, 1.0)
    model.thresholds, model.by_language = shipped.thresholds, shipped.by_language
    variants: dict[str, Probs] = {
        "shipped": standard(model),
        "e5 only": standard(model, 0.0),
        "n-grams only": standard(model, 1.0),
        "+ windows": windows(model),
        "+ sentences": sentences(model, examples, vecs),
        "+ sub n-grams": sub_ngrams(model, examples),
        "+ language x3": by_language(examples, vecs, args.langs),
        "+ title": title(examples, vecs),
        "+ pairs": pairs(examples, vecs),
    }
    docs = {lang: load_language(lang) for lang in args.langs}
    print("| variant | " + " | ".join(args.langs) + " | mean fine | mean ranking |")
    print("|---|" + "---|" * (len(args.langs) + 2))
    for name, probs in variants.items():
        cells, fines, ranks = [], [], []
        for lang in args.langs:
            rows = probs(lang, docs[lang])
            table = [dict(zip(model.labels_, r.tolist(), strict=True)) for r in rows]
            gold = {d.id: (d.coarse, d.fine) for d in docs[lang]}
            s = score_st2(gold, decoded(model, table, docs[lang], lang.lower()), coarse, fine)
            fines.append(s["f1_samples_fine"])
            ranks.append(ranking(model, table, docs[lang]))
            cells.append(f"{s['f1_samples_fine']:.3f} ({ranks[-1]:.3f})")
        print(
            f"| {name} | " + " | ".join(cells) + f" | {np.mean(fines):.3f} | {np.mean(ranks):.3f} |",
            flush=True,
        )
    print("\ncells: F1-samples fine (ranking), decoded with the shipped settings.")


if __name__ == "__main__":
    main()
