"""Exact and near-duplicate detection: content-hash ids plus MinHash LSH over word 5-shingles."""

from __future__ import annotations

import re
from typing import Literal

from datasketch import MinHash, MinHashLSH

from narrascope.records import Article

Verdict = Literal["new", "duplicate", "near"]
SHINGLE = 5
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of lower-cased word `size`-grams of a text (the whole text when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


class Deduper:
    """Remembers the articles it has seen and says whether each new one repeats an earlier one."""

    def __init__(self, threshold: float = 0.9, num_perm: int = 128) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._hashes: dict[str, MinHash] = {}
        self._seen: set[str] = set()

    def check(self, article: Article) -> tuple[Verdict, str, float]:
        """("new" | "duplicate" | "near", the earlier article id, similarity); remembers the article."""
        if article.id in self._seen:
            return "duplicate", article.id, 1.0
        self._seen.add(article.id)
        grams = shingles(article.full_text)
        if not grams:
            return "new", "", 0.0
        minhash = self._minhash(grams)
        verdict = self._nearest(minhash)
        self._lsh.insert(article.id, minhash)
        self._hashes[article.id] = minhash
        return verdict

    def _minhash(self, grams: set[str]) -> MinHash:
        minhash = MinHash(num_perm=self.num_perm)
        minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
        return minhash

    def _nearest(self, minhash: MinHash) -> tuple[Verdict, str, float]:
        best_id, best = "", 0.0
        for other in self._lsh.query(minhash):
            similarity = float(minhash.jaccard(self._hashes[other]))
            if similarity > best or (similarity == best and str(other) < best_id):
                best_id, best = str(other), similarity
        if best_id and best >= self.threshold:
            return "near", best_id, best
        return "new", "", 0.0
