"""Bounded load run of the read API on a synthetic corpus (loopback only): p50/p95/p99, errors, memory.

.venv/bin/python benchmarks/api_load.py --articles 20000 --duration 60 --concurrency 4
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from narrascope.records import (
    Article,
    ArticleAnalysis,
    Entity,
    Mention,
    NarrativeLabel,
    Quote,
    RoleLabel,
    Span,
    Speaker,
)
from narrascope.settings import Settings
from narrascope.store import open_store

OUTLETS = [f"Outlet {i}" for i in range(12)]
NARRATIVES = [f"URW: Narrative {i}" for i in range(10)] + [f"CC: Narrative {i}" for i in range(8)]
ROLES = [("Protagonist", "Guardian"), ("Antagonist", "Instigator"), ("Innocent", "Victim")]
WORDS = [
    "grain",
    "energy",
    "talks",
    "ministers",
    "border",
    "prices",
    "climate",
    "summit",
    "sanctions",
    "aid",
    "protest",
    "court",
    "vote",
]


def synthetic_pair(i: int, rng: random.Random) -> tuple[Article, ArticleAnalysis]:
    person = f"Person {i % 500}"
    body = " ".join(rng.choice(WORDS) for _ in range(60))
    text = f"{person} said: “{body[:60]}” {body}"
    article = Article(
        title=f"Article {i} on {rng.choice(WORDS)}", text=text, name=f"a{i}.txt", source=OUTLETS[i % len(OUTLETS)],
        published=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", language="en",
    )  # fmt: skip
    off = len(article.title) + 2
    narrative = NARRATIVES[i % len(NARRATIVES)]
    main, fine = ROLES[i % 3]
    ev = [Span(off, off + 40)]
    analysis = ArticleAnalysis(
        article_id=article.id, pipeline_version="bench-1", language="en",
        narratives=[NarrativeLabel(narrative, "narrative", 0.8, ev)],
        subnarratives=[NarrativeLabel(f"{narrative}: sub {i % 3}", "subnarrative", 0.6, ev)],
        dominant_narrative=narrative, dominant_subnarrative=f"{narrative}: sub {i % 3}",
        mentions=[Mention(off, off + len(person), person, "PER", f"P{i % 500}", RoleLabel(main, [fine], 0.7))],
        entities=[Entity(f"P{i % 500}", person, "PER", [], [Span(off, off + len(person))], main, [fine])],
        quotes=[Quote(body[:60], off + len(person) + 8, off + len(person) + 68, Speaker(f"P{i % 500}", person))],
    )  # fmt: skip
    return article, analysis


def build(db: Path, n: int) -> None:
    store = open_store(str(db))
    have = store.counts()["articles"]
    rng = random.Random(7)
    started = time.perf_counter()
    for start in range(have, n, 1000):
        store.save([synthetic_pair(i, rng) for i in range(start, min(n, start + 1000))])
    store.close()
    if n > have:
        print(f"built {n - have} analyses in {time.perf_counter() - started:.1f} s")


def targets(rng: random.Random) -> str:
    return rng.choice(
        [
            "/api/articles?limit=50",
            f"/api/articles?outlet={rng.choice(OUTLETS).replace(' ', '+')}&limit=20",
            f"/api/articles?narrative={rng.choice(NARRATIVES).replace(' ', '+')}&limit=20",
            f"/api/articles?q={rng.choice(WORDS)}&limit=20",
            f"/api/search?q={rng.choice(WORDS)}",
            "/api/overview",
            "/api/narratives/trends?by=week",
            f"/api/entities/P{rng.randrange(500)}",
            "/api/quotes?limit=20",
            "/api/entities?limit=20",
        ]
    )


def worker(base: str, until: float, seed: int, out: dict[str, list[float]], errors: list[str]) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < until:
            path = targets(rng)
            t0 = time.perf_counter()
            try:
                status = client.get(path).status_code
            except httpx.HTTPError as exc:
                errors.append(f"{path}: {exc}")
                continue
            elapsed = (time.perf_counter() - t0) * 1000
            out[path.split("?")[0].rsplit("/P", 1)[0]].append(elapsed)
            if status != 200:
                errors.append(f"{path}: HTTP {status}")


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/narrascope-bench.db")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    build(Path(args.db), args.articles)

    import uvicorn

    from narrascope.api import create_app

    app = create_app(Settings(db=args.db, read_only=True))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=8765, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    until = time.monotonic() + args.duration
    threads = [
        threading.Thread(target=worker, args=("http://127.0.0.1:8765", until, s, times, errors))
        for s in range(args.concurrency)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.should_exit = True
    thread.join(timeout=10)
    rss_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(times, errors, args, rss_start, rss_end)


def report(
    times: dict[str, list[float]], errors: list[str], args: argparse.Namespace, rss0: float, rss1: float
) -> None:
    everything = [t for values in times.values() for t in values]
    print(f"\n{args.articles} analyses, {args.duration:.0f} s, {args.concurrency} clients, loopback\n")
    print("| endpoint | requests | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
    for name, values in sorted(times.items()):
        print(
            f"| {name} | {len(values)} | {pct(values, 50):.1f} | {pct(values, 95):.1f} | {pct(values, 99):.1f} |"
        )
    if everything:
        print(
            f"| **all** | {len(everything)} | {pct(everything, 50):.1f} | {pct(everything, 95):.1f} | "
            f"{pct(everything, 99):.1f} |"
        )
    print(f"\nerrors: {len(errors)}{' e.g. ' + errors[0] if errors else ''}")
    print(f"max RSS: {rss0:.0f} MiB after start, {rss1:.0f} MiB at the end")


if __name__ == "__main__":
    main()
