"""The local executor: read sources, skip what is done, run the pipeline in batches, store each batch."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence

from narrascope.ingest import read_sources
from narrascope.ingest.dedup import Deduper
from narrascope.pipeline import Pipeline, RunSummary, batched, split_errors
from narrascope.records import Article, ArticleAnalysis
from narrascope.settings import Settings
from narrascope.store import Store, open_store

Progress = Callable[[int], None]


def analyze(
    paths: Sequence[str],
    settings: Settings,
    *,
    stages: Sequence[str] | None = None,
    glob: str | None = None,
    meta_csv: str | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Analyse every article under `paths` into the store named by settings.db; returns the run summary."""
    started = time.perf_counter()
    store = open_store(settings.db_url)
    pipeline = Pipeline.from_config(settings, stages)
    summary = RunSummary()
    articles = split_errors(read_sources(paths, settings, glob=glob, meta_csv=meta_csv), summary)
    for batch in batched(deduplicate(articles, settings, summary), settings.batch_size):
        run_batch(batch, pipeline, store, summary)
        if progress:
            progress(len(batch))
    summary.seconds = time.perf_counter() - started
    store.record_run({"pipeline_version": pipeline.version, "paths": list(paths), **summary.to_dict()})
    return summary


def deduplicate(articles: Iterable[Article], settings: Settings, summary: RunSummary) -> Iterator[Article]:
    """Drop exact repeats within one run (counted), report near-duplicates (kept)."""
    deduper = Deduper(settings.near_duplicate_threshold)
    for article in articles:
        verdict, other, similarity = deduper.check(article)
        if verdict == "duplicate":
            summary.duplicates += 1
            continue
        if verdict == "near":
            summary.near_duplicates.append((article.name or article.id, other, round(similarity, 3)))
        yield article


def run_batch(batch: list[Article], pipeline: Pipeline, store: Store, summary: RunSummary) -> None:
    """Analyse the articles of one batch that are not done yet and save them in one transaction."""
    done = store.done_ids([a.id for a in batch], pipeline.version)
    todo = [a for a in batch if a.id not in done]
    summary.cached += len(batch) - len(todo)
    for article in batch:
        if article.id in done:
            stored = store.analysis(article.id, pipeline.version)
            summary.languages[stored.language if stored else "unknown"] += 1
    if not todo:
        return
    analyses = pipeline.run_batch(todo)
    store.save(list(zip(todo, analyses, strict=True)))
    summary.analysed += len(todo)
    for article, analysis in zip(todo, analyses, strict=True):
        summary.languages[analysis.language or "unknown"] += 1
        if analysis.status == "failed":
            summary.failed.append((article.name or article.id, analysis.reason))


def analyze_articles(articles: Sequence[Article], settings: Settings) -> list[ArticleAnalysis]:
    """Run the configured pipeline over in-memory articles without a store (library use)."""
    pipeline = Pipeline.from_config(settings)
    return [an for batch in batched(articles, settings.batch_size) for an in pipeline.run_batch(batch)]
