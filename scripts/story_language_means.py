"""Rebuild src/narrascope/corpus/data/language_means.npz: mean e5 article vector per language of examples/demo."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from narrascope.nlp.embedder import get_embedder
from narrascope.nlp.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "narrascope" / "corpus" / "data" / "language_means.npz"


def main() -> None:
    embedder = get_embedder()
    by_lang: dict[str, list[np.ndarray]] = {}
    for path in sorted((ROOT / "examples" / "demo").glob("*.txt")):
        text = path.read_text(encoding="utf-8").strip()
        vec = embedder.passages([text[s.start : s.end] for s in split_sentences(text)]).mean(axis=0)
        by_lang.setdefault(path.name[:2], []).append(vec / np.linalg.norm(vec))
    means = {lang: np.mean(vecs, axis=0).astype(np.float32) for lang, vecs in by_lang.items()}
    np.savez(OUT, **means)
    print({lang: len(v) for lang, v in by_lang.items()})


if __name__ == "__main__":
    main()
