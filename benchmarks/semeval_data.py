"""Load the SemEval-2025 Task 10 training split for measuring, with cached sentence vectors.

Measurement only: nothing here is written into the repository (the cache lives in .cache/, git-ignored).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.nlp.embedder import get_embedder
from narrascope.nlp.sentences import split_sentences
from narrascope.records import Span
from narrascope.semeval import iter_documents, read_st2

ROOT = Path(__file__).resolve().parent.parent
SPLIT = ROOT.parent / "shared" / "data" / "semeval2025t10" / "train"
TAXONOMY = SPLIT.parent / "taxonomy"
CACHE = ROOT / ".cache" / "bench"
LANGS = ("EN", "BG", "HI", "PT", "RU")


@dataclass
class Doc:
    id: str
    text: str
    sentences: list[Span]
    vectors: np.ndarray  # n_sentences x 384
    coarse: set[str]
    fine: set[str]


def scorer_labels() -> tuple[set[str], set[str]]:
    def read(name: str) -> set[str]:
        return {x.strip() for x in (TAXONOMY / name).read_text().splitlines() if x.strip()}

    return read("subtask2_narratives.txt"), read("subtask2_subnarratives.txt")


def load_language(lang: str, max_sentences: int = 150) -> list[Doc]:
    """Every document of one language with gold labels and (cached) e5 sentence vectors."""
    folder = SPLIT / lang
    gold = read_st2(folder / "subtask-2-annotations.txt")
    docs = [(name, text) for name, text in iter_documents(folder) if name in gold]
    cache = CACHE / f"{lang}.npz"
    sentences = [split_sentences(text)[:max_sentences] for _, text in docs]
    if cache.exists():
        stored = np.load(cache, allow_pickle=False)
        vectors, counts = stored["vectors"], stored["counts"]
    else:
        t0 = time.time()
        flat = [s.text for ss in sentences for s in ss]
        vectors = get_embedder().passages(flat)
        counts = np.array([len(ss) for ss in sentences])
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(cache, vectors=vectors, counts=counts)
        print(
            f"# embedded {lang}: {len(docs)} docs, {len(flat)} sentences, {time.time() - t0:.0f}s",
            file=sys.stderr,
        )
    out, pos = [], 0
    for (name, text), ss, n in zip(docs, sentences, counts, strict=True):
        out.append(Doc(name, text, ss, vectors[pos : pos + n], *gold[name]))
        pos += n
    return out


if __name__ == "__main__":
    for lang in sys.argv[1:] or LANGS:
        print(lang, len(load_language(lang)))
