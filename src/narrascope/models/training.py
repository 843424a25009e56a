"""Training helpers shared by the shipped-model script and `narrascope train --subtask 2`."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.errors import FormatError
from narrascope.evaluate import f1
from narrascope.models.narratives import OTHER, NarrativeModel, Thresholds, features
from narrascope.nlp.sentences import split_sentences
from narrascope.semeval import iter_documents, read_st2

MAX_SENTENCES = 150


@dataclass
class Example:
    id: str
    text: str
    narratives: set[str]
    subnarratives: set[str]
    lang: str = ""
    article: bool = True  # False for single example sentences (never returned by the nearest-article vote)


def read_jsonl_examples(paths: Sequence[Path]) -> list[Example]:
    """Project-written training articles (training/narratives/*.jsonl)."""
    out = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                text = f"{d['title']}\n\n{d['text']}" if d.get("title") else d["text"]
                out.append(
                    Example(
                        d["id"],
                        text,
                        set(d["narratives"]),
                        set(d["subnarratives"]),
                        d.get("lang", ""),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise FormatError(f"{path}:{number}: {exc}") from exc
    return out


def read_semeval_examples(folder: Path) -> list[Example]:
    """Documents of a folder in the SemEval layout with their subtask-2 labels."""
    gold_path = folder / "subtask-2-annotations.txt"
    if not gold_path.exists():
        raise FormatError(f"{folder}: no subtask-2-annotations.txt")
    gold = read_st2(gold_path)
    return [Example(name, text, *gold[name]) for name, text in iter_documents(folder) if name in gold]


def embed_examples(examples: Sequence[Example], cache: Path | None = None) -> list[np.ndarray]:
    """Sentence vectors per example; cached by text hash when a cache file is given."""
    from narrascope.nlp.embedder import get_embedder

    keys = [hashlib.sha256(e.text.encode()).hexdigest()[:20] for e in examples]
    stored: dict[str, np.ndarray] = {}
    if cache and cache.exists():
        with np.load(cache, allow_pickle=False) as z:
            stored = {k: z[k] for k in z.files}
    missing = [(k, e) for k, e in zip(keys, examples, strict=True) if k not in stored]
    if missing:
        sentences = [[s.text for s in split_sentences(e.text)[:MAX_SENTENCES]] for _, e in missing]
        flat = get_embedder().passages([s for ss in sentences for s in ss])
        pos = 0
        for (k, _), ss in zip(missing, sentences, strict=True):
            stored[k] = flat[pos : pos + len(ss)]
            pos += len(ss)
        if cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, **stored)  # type: ignore[arg-type]
    return [stored[k] for k in keys]


def parents_of(labels: Sequence[set[str]]) -> dict[str, str]:
    """Subnarrative -> narrative, from the label strings themselves ("D: N: S" -> "D: N")."""
    out = {}
    for s in set().union(*labels) if labels else set():
        if s.count(":") >= 2:
            out[s] = s.rsplit(":", 1)[0]
    return out


def article_scores(
    model: NarrativeModel, probs: Sequence[dict[str, float]], gold: Sequence[set[str]], lang: str = ""
) -> np.ndarray:
    """F1 per article of the fine labels `model.choose` picks from each probability table (settings of `lang`)."""
    out = []
    for p, g in zip(probs, gold, strict=True):
        pred = {s for _, subs in model.choose(p, lang) for s in subs} or {OTHER}
        out.append(f1(g or {OTHER}, pred))
    return np.array(out, dtype=float)


# Decoding settings tried by cross-validation on the training data. hedge 1.0: always add "<narrative>: Other";
# sure 0.0: only the "any" detector decides whether an article carries a narrative.
GRID = {
    "any": (0.3, 0.4, 0.5, 0.6),
    "narrative": (0.3, 0.4, 0.5, 0.6),
    "subnarrative": (0.2, 0.3, 0.4, 0.5),
    "max_subnarratives": (2, 3),
    "hedge": (0.0, 0.5, 0.7, 1.0),
    "knn": (0.0, 0.3),
    "sure": (0.0, 0.6, 0.7, 0.8),
}
MIN_LANGUAGE_ARTICLES = 100  # a language gets its own decoding settings from this many held-out articles


@dataclass
class Decoding:
    thresholds: Thresholds  # for every language
    by_language: dict[str, Thresholds]  # for the languages with enough training articles
    cv_f1: float  # cross-validated F1-samples fine with the general settings
    cv_f1_by_language: dict[str, float]  # ... and per language with its own settings


def choose_thresholds(
    docs: Sequence[np.ndarray],
    examples: Sequence[Example],
    C: float,
    folds: int = 5,
    seed: int = 0,
    grid: dict[str, tuple[float, ...]] | None = None,
    min_language: int | None = MIN_LANGUAGE_ARTICLES,
    language_keys: Sequence[str] | None = None,
) -> Decoding:
    """Grid-search the decoding settings by k-fold cross-validation on the training data itself (scored on
    the held-out articles of each fold): one setting for all, and one per language with at least
    `min_language` held-out articles (none when it is None). A language may change only the settings named in
    `language_keys` (all when None) and keeps the general values of the others."""
    grid = grid or GRID
    points: list[dict[str, Any]] = [
        dict(zip(grid, point, strict=True)) for point in itertools.product(*grid.values())
    ]
    fold_of = assign_folds(examples, folds, seed)
    scores = np.zeros((len(points), len(examples)))
    for k in range(folds):
        test = [i for i, f in enumerate(fold_of) if f == k]
        train_idx = [i for i, f in enumerate(fold_of) if f != k]
        model = fit_model([docs[i] for i in train_idx], [examples[i] for i in train_idx], C)
        feats = np.vstack([features(docs[i]) for i in test])
        regression, vote = model.regression(feats), model.vote(feats)
        lexical = model.lexical([examples[i].text for i in test])
        gold = [examples[i].subnarratives - {OTHER} or {OTHER} for i in test]
        for knn in grid["knn"]:
            mixed = model.mix(regression, vote, lexical, knn)
            probs = [dict(zip(model.labels_, row.tolist(), strict=True)) for row in mixed]
            for g, settings in enumerate(points):
                if settings["knn"] == knn:
                    model.thresholds = Thresholds(**settings)
                    scores[g, test] = article_scores(model, probs, gold)
    scored = np.array([f >= 0 for f in fold_of])
    best = int(np.argmax(scores[:, scored].mean(axis=1)))
    fixed = [k for k in grid if language_keys is not None and k not in language_keys]
    allowed = [g for g, p in enumerate(points) if all(p[k] == points[best][k] for k in fixed)]
    by_language, by_language_f1 = {}, {}
    for lang in sorted({e.lang for e in examples if e.lang}):
        cols = [i for i, e in enumerate(examples) if scored[i] and e.lang == lang]
        if min_language is not None and len(cols) >= min_language:
            j = allowed[int(np.argmax(scores[np.ix_(allowed, cols)].mean(axis=1)))]
            by_language[lang] = Thresholds(**points[j])
            by_language_f1[lang] = float(scores[j, cols].mean())
    return Decoding(
        Thresholds(**points[best]), by_language, float(scores[best, scored].mean()), by_language_f1
    )


def assign_folds(examples: Sequence[Example], folds: int, seed: int = 0) -> list[int]:
    """A random fold per article; -1 (always trained on, never scored) for single example sentences."""
    articles = [i for i, e in enumerate(examples) if e.article]
    order = np.random.default_rng(seed).permutation(len(articles))
    out = [-1] * len(examples)
    for k, j in enumerate(order):
        out[articles[j]] = k % folds
    return out


def fit_model(
    docs: Sequence[np.ndarray], examples: Sequence[Example], C: float, balanced: bool = True
) -> NarrativeModel:
    labels = [e.narratives | e.subnarratives for e in examples]
    memory = [e.article for e in examples]
    texts = [e.text for e in examples]
    return NarrativeModel(C=C, balanced=balanced).fit(docs, labels, parents_of(labels), memory, texts)


def train_narratives(
    examples: Sequence[Example],
    out_dir: Path,
    *,
    C: float = 1.0,
    cache: Path | None = None,
    description: str = "",
    language_keys: Sequence[str] | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, object]:
    """Embed, choose thresholds by cross-validation, fit on everything, save; returns the manifest.
    `language_keys`: also decode each language with enough articles with its own cross-validated values of these
    settings (off when None)."""
    docs = embed_examples(examples, cache)
    log(f"embedded {len(docs)} articles")
    decoding = choose_thresholds(
        docs,
        examples,
        C,
        min_language=MIN_LANGUAGE_ARTICLES if language_keys is not None else None,
        language_keys=language_keys,
    )
    log(f"thresholds {decoding.thresholds} (cv F1-samples fine {decoding.cv_f1:.3f})")
    for lang, t in decoding.by_language.items():
        log(f"thresholds[{lang}] {t} (cv F1-samples fine {decoding.cv_f1_by_language[lang]:.3f})")
    model = fit_model(docs, examples, C)
    model.thresholds = decoding.thresholds
    model.by_language = decoding.by_language
    digest = hashlib.sha256("\n".join(sorted(e.text for e in examples)).encode()).hexdigest()
    manifest: dict[str, object] = {
        "training_data": description,
        "training_data_sha256": digest,
        "training_articles": len(examples),
        "languages": sorted({e.lang for e in examples if e.lang}),
        "cv_f1_samples_fine_on_training_data": round(decoding.cv_f1, 4),
        "cv_f1_samples_fine_by_language": {k: round(v, 4) for k, v in decoding.cv_f1_by_language.items()},
    }
    model.save(out_dir, **manifest)
    return manifest
