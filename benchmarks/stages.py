"""Where pipeline time goes: seconds per stage over a set of text files, warm models, one process.

    .venv/bin/python -m benchmarks.stages 'examples/demo/*.txt'
    .venv/bin/python -m benchmarks.stages '../shared/data/semeval2025t10/train/*/raw-documents/*.txt' --limit 40 --words 350-450

Files are read in place by the project's own text reader (a first line followed by a blank line is the title). Two articles are run first to load the models;
the table then times every stage over the rest, in batches of 8 as the local executor does.
"""

from __future__ import annotations

import argparse
import glob
import time
from pathlib import Path

import narrascope.pipeline as pipeline_module
from narrascope.ingest.text import read_text_file
from narrascope.pipeline import Pipeline
from narrascope.records import Article
from narrascope.settings import Settings


def read(pattern: str, limit: int, words: tuple[int, int]) -> list[Article]:
    out, max_bytes = [], Settings().max_bytes
    for name in sorted(glob.glob(pattern)):
        if not name.endswith(".txt"):
            continue
        article = read_text_file(Path(name), max_bytes)
        if not words[0] <= len(article.full_text.split()) <= words[1]:
            continue
        out.append(article)
        if limit and len(out) >= limit:
            break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", help="glob of text files")
    parser.add_argument("--limit", type=int, default=0, help="at most this many articles (0 = all)")
    parser.add_argument("--words", default="0-1000000", help="keep files with this many words, e.g. 350-450")
    args = parser.parse_args()
    low, high = (int(x) for x in args.words.split("-"))
    articles = read(args.pattern, args.limit, (low, high))
    if len(articles) < 3:
        raise SystemExit(f"only {len(articles)} articles match {args.pattern!r}")
    pipe = Pipeline.from_config(Settings())
    pipe.run_batch(articles[:2])  # load the models
    times: dict[str, float] = {}
    apply = pipeline_module._apply

    def timed(stage, *rest):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        apply(stage, *rest)
        times[stage.name] = times.get(stage.name, 0.0) + time.perf_counter() - start

    pipeline_module._apply = timed
    start = time.perf_counter()
    for i in range(0, len(articles), 8):
        pipe.run_batch(articles[i : i + 8])
    total = time.perf_counter() - start
    mean_words = sum(len(a.text.split()) for a in articles) / len(articles)
    print(
        f"{len(articles)} articles, {mean_words:.0f} words on average: {total:.1f} s, {len(articles) / total:.2f} docs/s"
    )
    print(f"{'stage':12} {'seconds':>8} {'share':>6}")
    for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"{name:12} {seconds:8.2f} {seconds / total:6.1%}")


if __name__ == "__main__":
    main()
