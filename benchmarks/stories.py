"""Story clustering: ARI on examples/stories (e5 vectors) and speed/memory on synthetic vectors.

Run: .venv/bin/python benchmarks/stories.py [--n 100000] [--skip-ari] [--skip-speed] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

from narrascope.corpus.stories import StoryInput, StoryParams, cluster_stories
from narrascope.nlp.sentences import split_sentences

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "stories" / "stories.jsonl"
CACHE = Path(__file__).resolve().parent.parent / ".cache" / "bench" / "stories_vectors.npy"


def load_corpus() -> list[dict[str, str]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def article_vectors(docs: list[dict[str, str]]) -> np.ndarray:
    """The pipeline's article vector: the normalised mean of e5 sentence vectors (cached on disk)."""
    if CACHE.exists():
        cached = np.load(CACHE)
        if len(cached) == len(docs):
            return np.asarray(cached)
    from narrascope.nlp.embedder import get_embedder

    embedder = get_embedder()
    rows = []
    for doc in docs:
        full = f"{doc['title']}\n\n{doc['text']}"
        sentences = [full[s.start : s.end] for s in split_sentences(full)]
        mean = embedder.passages(sentences).mean(axis=0)
        rows.append(mean / np.linalg.norm(mean))
    out = np.vstack(rows).astype(np.float32)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.save(CACHE, out)
    return out


def ari(docs: list[dict[str, str]], vectors: np.ndarray, params: StoryParams) -> tuple[float, int]:
    from sklearn.metrics import adjusted_rand_score

    items = [
        StoryInput(d["id"], d["title"], d["published"], vectors[i], language=d["lang"])
        for i, d in enumerate(docs)
    ]
    stories = cluster_stories(items, params=params)
    found = {a: s.id for s in stories for a in s.article_ids}
    gold = [d["story"] for d in docs]
    return float(adjusted_rand_score(gold, [found[d["id"]] for d in docs])), len(stories)


def synthetic(n: int, n_stories: int, seed: int = 0) -> list[StoryInput]:
    """`n` vectors around `n_stories` random topics, each topic alive for ~10 days over one year."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(n_stories, 384)).astype(np.float32)
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    starts = rng.integers(0, 355, size=n_stories)
    which = rng.integers(0, n_stories, size=n)
    noise = rng.normal(scale=0.02, size=(n, 384)).astype(np.float32)
    vecs = topics[which] + noise
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    base = np.datetime64("2025-01-01")
    days = starts[which] + rng.integers(0, 10, size=n)
    dates = [str(base + int(d)) for d in days]
    return [StoryInput(f"a{i:07d}", f"title {i}", dates[i], vecs[i]) for i in range(n)]


def speed(n: int) -> dict[str, float]:
    items = synthetic(n, max(10, n // 50))
    start = time.perf_counter()
    stories = cluster_stories(items)
    seconds = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "seconds": round(seconds, 2), "stories": len(stories), "peak_rss_mb": round(rss_mb)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--skip-ari", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="ARI over a range of thresholds")
    args = parser.parse_args()
    if not args.skip_ari:
        docs = load_corpus()
        vectors = article_vectors(docs)
        thresholds = np.arange(0.15, 0.55, 0.05) if args.sweep else [StoryParams().threshold]
        print("| corpus | docs | gold stories | threshold | found stories | ARI |")
        print("|---|---|---|---|---|---|")
        for t in thresholds:
            score, found = ari(docs, vectors, StoryParams(threshold=float(t)))
            gold = len({d["story"] for d in docs})
            print(f"| examples/stories | {len(docs)} | {gold} | {t:.2f} | {found} | {score:.3f} |")
    if not args.skip_speed:
        result = speed(args.n)
        print("\n| synthetic vectors | seconds | stories | peak RSS (MB) |\n|---|---|---|---|")
        print(f"| {result['n']} | {result['seconds']} | {result['stories']} | {result['peak_rss_mb']} |")


if __name__ == "__main__":
    main()
