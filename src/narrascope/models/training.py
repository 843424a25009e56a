"""Training helpers shared by the shipped-model script and `narrascope train --subtask 2`."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.errors import FormatError
from narrascope.evaluate import f1
from narrascope.models.narratives import OTHER, NarrativeModel, Thresholds
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
                    Example(d["id"], text, set(d["narratives"]), set(d["subnarratives"]), d.get("lang", ""))
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


def score_fine(model: NarrativeModel, docs: Sequence[np.ndarray], gold: Sequence[set[str]]) -> float:
    scores = []
    for vectors, g in zip(docs, gold, strict=True):
        d = model.decide(vectors)
        pred = {x.label for x in d.subnarratives} or {OTHER}
        scores.append(f1(g or {OTHER}, pred))
    return float(np.mean(scores)) if scores else 0.0


def choose_thresholds(
    docs: Sequence[np.ndarray], examples: Sequence[Example], C: float, folds: int = 5, seed: int = 0
) -> tuple[Thresholds, float]:
    """Grid-search decoding thresholds by k-fold cross-validation on the training data itself."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(docs))
    grid = list(itertools.product((0.3, 0.4, 0.5, 0.6), (0.3, 0.4, 0.5, 0.6), (0.2, 0.3, 0.4, 0.5)))
    totals = np.zeros(len(grid))
    for k in range(folds):
        test = set(order[k::folds].tolist())
        train_idx = [i for i in range(len(docs)) if i not in test]
        model = fit_model([docs[i] for i in train_idx], [examples[i] for i in train_idx], C)
        test_docs = [docs[i] for i in sorted(test)]
        gold = [examples[i].subnarratives - {OTHER} or {OTHER} for i in sorted(test)]
        for g, (ta, tn, ts) in enumerate(grid):
            model.thresholds = Thresholds(any=ta, narrative=tn, subnarrative=ts)
            totals[g] += score_fine(model, test_docs, gold)
    best = int(np.argmax(totals))
    ta, tn, ts = grid[best]
    return Thresholds(any=ta, narrative=tn, subnarrative=ts), float(totals[best] / folds)


def fit_model(
    docs: Sequence[np.ndarray], examples: Sequence[Example], C: float, balanced: bool = True
) -> NarrativeModel:
    labels = [e.narratives | e.subnarratives for e in examples]
    return NarrativeModel(C=C, balanced=balanced).fit(docs, labels, parents_of(labels))


def train_narratives(
    examples: Sequence[Example],
    out_dir: Path,
    *,
    C: float = 1.0,
    cache: Path | None = None,
    description: str = "",
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, object]:
    """Embed, choose thresholds by cross-validation, fit on everything, save; returns the manifest."""
    docs = embed_examples(examples, cache)
    log(f"embedded {len(docs)} articles")
    thresholds, cv_f1 = choose_thresholds(docs, examples, C)
    log(f"thresholds {thresholds} (cv F1-samples fine {cv_f1:.3f})")
    model = fit_model(docs, examples, C)
    model.thresholds = thresholds
    digest = hashlib.sha256("\n".join(sorted(e.text for e in examples)).encode()).hexdigest()
    manifest: dict[str, object] = {
        "training_data": description,
        "training_data_sha256": digest,
        "training_articles": len(examples),
        "languages": sorted({e.lang for e in examples if e.lang}),
        "cv_f1_samples_fine_on_training_data": round(cv_f1, 4),
    }
    model.save(out_dir, **manifest)
    return manifest
