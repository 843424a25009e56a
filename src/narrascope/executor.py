"""The local executor: stream sources, skip what is done, annotate in batches (in-process or N processes), save.

Sources are read lazily and results are written batch by batch, so memory stays flat as the corpus grows.
A path `db://` re-reads the articles already in the store (`db://URL` reads another database's).
Results go to the store, or to a Parquet dataset partitioned by day when `out_parquet` is given.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol

from narrascope.batch import (
    Pair,
    annotate_batch,
    articles_table,
    batch_key,
    build_pipeline,
    init_worker,
    pairs_from_results,
    pipeline_version,
    results_table,
    settings_dict,
)
from narrascope.errors import ConfigError, IngestError
from narrascope.ingest import read_sources
from narrascope.ingest.dedup import Deduper
from narrascope.pipeline import RunSummary, batched, split_errors
from narrascope.records import Article, ArticleAnalysis
from narrascope.settings import Settings
from narrascope.store import Store, open_store

Progress = Callable[[int], None]
DB_PREFIX = "db://"
RUN_REPORT = "_narrascope_runs.jsonl"
POOL_RETRIES = 2  # a batch whose worker process died is resubmitted this many times


def analyze(
    paths: Sequence[str],
    settings: Settings,
    *,
    stages: Sequence[str] | None = None,
    glob: str | None = None,
    meta_csv: str | None = None,
    progress: Progress | None = None,
    out_parquet: str | None = None,
) -> RunSummary:
    """Analyse every article under `paths` into the store (or `out_parquet`); returns the run summary.

    settings.executor picks the engine ("local" or "dask"); settings.workers the number of processes.
    """
    if settings.executor == "dask":
        from narrascope.dask_executor import analyze_dask

        return analyze_dask(
            paths, settings, stages=stages, glob=glob, meta_csv=meta_csv, progress=progress,
            out_parquet=out_parquet,
        )  # fmt: skip
    if settings.executor != "local":
        raise ConfigError(f"unknown executor {settings.executor!r}; choose local or dask")
    if settings.workers < 1:
        raise ConfigError(f"workers must be at least 1, got {settings.workers}")
    started = time.perf_counter()
    sink = open_sink(settings, out_parquet)
    try:
        version = pipeline_version(settings, stages)
        summary = RunSummary()
        todo = pending_batches(
            read_articles(paths, settings, summary, glob, meta_csv), sink, version, settings, summary
        )
        if settings.workers == 1:
            run_serial(todo, settings, stages, sink, summary, progress)
        else:
            run_pool(todo, settings, stages, sink, summary, progress)
        refresh_stories(sink, summary)
        summary.seconds = time.perf_counter() - started
        sink.record_run(run_report(summary, version, paths, settings))
    finally:
        sink.close()
    return summary


def refresh_stories(sink: Sink, summary: RunSummary) -> None:
    """Place newly analysed articles into stories (incremental; a corpus view, no NLP)."""
    if isinstance(sink, StoreSink) and summary.analysed:
        from narrascope.corpus.stories import update_stories

        update_stories(sink.store)


def run_report(summary: RunSummary, version: str, paths: Sequence[str], settings: Settings) -> dict[str, Any]:
    """The stored run report: the summary plus how it ran."""
    engine = {"executor": settings.executor, "workers": settings.workers}
    if settings.executor == "dask":
        engine["scheduler"] = settings.scheduler
    return {"pipeline_version": version, "paths": list(paths), **engine, **summary.to_dict()}


# -- reading ---------------------------------------------------------------------------------------


def read_articles(
    paths: Sequence[str], settings: Settings, summary: RunSummary, glob: str | None, meta_csv: str | None
) -> Iterator[Article]:
    """Articles from every path in order (files/URLs via read_sources, `db://` from a store), deduplicated."""
    items: Iterator[Article | IngestError] = _read_all(list(paths), settings, glob, meta_csv)
    return deduplicate(split_errors(items, summary), settings, summary)


def _read_all(
    paths: list[str], settings: Settings, glob: str | None, meta_csv: str | None
) -> Iterator[Article | IngestError]:
    files = [p for p in paths if not str(p).startswith(DB_PREFIX)]
    for path in paths:
        if str(path).startswith(DB_PREFIX):
            yield from stored_articles(str(path)[len(DB_PREFIX) :] or settings.db_url)
    if files:
        yield from read_sources(files, settings, glob=glob, meta_csv=meta_csv)


def stored_articles(url: str) -> Iterator[Article]:
    """Every article already in a database (streamed), e.g. to re-analyse after a pipeline upgrade."""
    store = open_store(url, create=False)
    try:
        for article, _ in store.results():
            yield article
    finally:
        store.close()


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


def pending_batches(
    articles: Iterable[Article], sink: Sink, version: str, settings: Settings, summary: RunSummary
) -> Iterator[list[Article]]:
    """Batches of settings.batch_size articles with those already done (this version) removed and counted."""
    for batch in batched(articles, settings.batch_size):
        done = sink.done_ids([a.id for a in batch], version)
        if done:
            summary.cached += len(done)
            summary.languages.update(sink.languages([a.id for a in batch if a.id in done], version))
        todo = [a for a in batch if a.id not in done]
        if todo:
            yield todo


def count(summary: RunSummary, pairs: Sequence[Pair]) -> None:
    """Add analysed pairs to the summary (languages, failures with their reasons)."""
    summary.analysed += len(pairs)
    for article, analysis in pairs:
        summary.languages[analysis.language or "unknown"] += 1
        if analysis.status == "failed":
            summary.failed.append((article.name or article.id, analysis.reason))


def fail_batch(summary: RunSummary, batch: Sequence[Article], reason: str) -> None:
    """A batch that could not run at all: every article failed (nothing saved, so a rerun retries it)."""
    summary.failed.extend((a.name or a.id, reason) for a in batch)


# -- engines ---------------------------------------------------------------------------------------


def run_serial(
    batches: Iterable[list[Article]],
    settings: Settings,
    stages: Sequence[str] | None,
    sink: Sink,
    summary: RunSummary,
    progress: Progress | None,
) -> None:
    """In this process: one batch at a time."""
    pipeline = build_pipeline(settings, stages)
    for batch in batches:
        pairs = list(zip(batch, pipeline.run_batch(batch), strict=True))
        sink.save(pairs)
        count(summary, pairs)
        if progress:
            progress(len(batch))


def run_pool(
    batches: Iterable[list[Article]],
    settings: Settings,
    stages: Sequence[str] | None,
    sink: Sink,
    summary: RunSummary,
    progress: Progress | None,
) -> None:
    """settings.workers processes (one thread each) annotate batches; this process streams and saves.

    At most 2 batches per worker are in flight, and results are saved in input order. A worker that
    dies takes the pool with it: the pool is rebuilt and the unfinished batches resubmitted.
    """
    pool = _Pool(settings.workers, settings_dict(settings, stages))
    window: deque[_Task] = deque()
    try:
        for batch in batches:
            window.append(pool.submit(batch))
            while len(window) >= 2 * settings.workers:
                _finish(window, pool, sink, summary, progress)
        while window:
            _finish(window, pool, sink, summary, progress)
    finally:
        pool.close()


class _Task:
    def __init__(self, batch: list[Article], future: Future[Any]) -> None:
        self.batch = batch
        self.future = future
        self.tries = 1


class _Pool:
    """A spawn-based process pool that can be rebuilt after a worker crash."""

    def __init__(self, workers: int, job: dict[str, Any]) -> None:
        self.workers = workers
        self.job = job
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # never fork a process that may hold model threads
        return ProcessPoolExecutor(self.workers, mp_context=context, initializer=init_worker)

    def submit(self, batch: list[Article]) -> _Task:
        return _Task(batch, self.executor.submit(annotate_batch, articles_table(batch), self.job))

    def resubmit(self, tasks: Iterable[_Task]) -> None:
        """Rebuild the pool and send the unfinished tasks again."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()
        for task in tasks:
            task.future = self.executor.submit(annotate_batch, articles_table(task.batch), self.job)
            task.tries += 1

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _finish(
    window: deque[_Task], pool: _Pool, sink: Sink, summary: RunSummary, progress: Progress | None
) -> None:
    task = window[0]
    try:
        result = task.future.result()
    except BrokenProcessPool:
        if task.tries > POOL_RETRIES:
            window.popleft()
            fail_batch(summary, task.batch, f"worker process died {task.tries} times on this batch")
        pool.resubmit(window)
        return
    except Exception as exc:  # the batch function itself failed (stages catch per-article errors)
        window.popleft()
        fail_batch(summary, task.batch, f"batch failed: {type(exc).__name__}: {exc}")
        return
    window.popleft()
    pairs = pairs_from_results(result)
    sink.save(pairs)
    count(summary, pairs)
    if progress:
        progress(len(task.batch))


# -- sinks -----------------------------------------------------------------------------------------


class Sink(Protocol):
    """Where an executor puts results."""

    def done_ids(self, ids: Sequence[str], version: str) -> set[str]: ...
    def languages(self, ids: Sequence[str], version: str) -> list[str]: ...
    def save(self, pairs: Sequence[Pair]) -> None: ...
    def record_run(self, report: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class StoreSink:
    """The database: upserts keyed by (article id, pipeline version), so a rerun never duplicates."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def done_ids(self, ids: Sequence[str], version: str) -> set[str]:
        return self.store.done_ids(ids, version)

    def languages(self, ids: Sequence[str], version: str) -> list[str]:
        stored = [self.store.analysis(i, version) for i in ids]
        return [s.language if s and s.language else "unknown" for s in stored]

    def save(self, pairs: Sequence[Pair]) -> None:
        self.store.save(list(pairs))

    def record_run(self, report: dict[str, Any]) -> None:
        self.store.record_run(report)

    def close(self) -> None:
        self.store.close()


class ParquetSink:
    """A Parquet dataset under `root`, hive-partitioned by day (day=YYYY-MM-DD or day=undated).

    File names derive from the batch's ids (crc32), so rewriting a batch replaces its own file;
    ids already there (status ok/skipped, same pipeline version) are skipped when a run resumes.
    """

    def __init__(self, root: str) -> None:
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError(f"out_parquet {root}: exists and is not a folder")
        self.root.mkdir(parents=True, exist_ok=True)
        self._done: dict[str, set[str]] = {}

    def done_ids(self, ids: Sequence[str], version: str) -> set[str]:
        if version not in self._done:
            self._done[version] = parquet_ids(self.root, version)
        return {i for i in ids if i in self._done[version]}

    def languages(self, ids: Sequence[str], version: str) -> list[str]:
        return ["unknown"] * len(ids)  # not read back: counting languages of skipped rows is not worth a scan

    def save(self, pairs: Sequence[Pair]) -> None:
        import pyarrow.parquet as pq

        if not pairs:
            return
        name = f"part-{pairs[0][1].pipeline_version}-{batch_key([a.id for a, _ in pairs])}-{{i}}.parquet"
        pq.write_to_dataset(
            results_table(pairs),
            root_path=str(self.root),
            partition_cols=["day"],
            basename_template=name,
            existing_data_behavior="overwrite_or_ignore",
        )

    def record_run(self, report: dict[str, Any]) -> None:
        with (self.root / RUN_REPORT).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(report, ensure_ascii=False) + "\n")

    def close(self) -> None:
        return None


def parquet_ids(root: Path, version: str) -> set[str]:
    """Ids with a finished (ok/skipped) row of this pipeline version in a Parquet result dataset."""
    import pyarrow.dataset as ds

    if not any(root.rglob("*.parquet")):
        return set()
    dataset = ds.dataset(str(root), format="parquet", partitioning="hive")
    done = (ds.field("pipeline_version") == version) & ds.field("status").isin(["ok", "skipped"])
    return set(dataset.to_table(columns=["id"], filter=done).column("id").to_pylist())


def open_sink(settings: Settings, out_parquet: str | None) -> Sink:
    """The Parquet dataset when `out_parquet` is given, else the store (opened now: a bad URL fails here)."""
    if out_parquet:
        return ParquetSink(out_parquet)
    return StoreSink(open_store(settings.db_url))


def analyze_articles(articles: Sequence[Article], settings: Settings) -> list[ArticleAnalysis]:
    """Run the configured pipeline over in-memory articles without a store (library use)."""
    pipeline = build_pipeline(settings)
    return [an for batch in batched(articles, settings.batch_size) for an in pipeline.run_batch(batch)]
