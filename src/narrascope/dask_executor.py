"""The Dask executor: the local executor's batches mapped through annotate_batch on a Dask cluster.

Schedulers: `local` (a LocalCluster on 127.0.0.1 with settings.workers processes, one thread each),
`tcp://host:8786` (an existing scheduler) or `slurm` (dask-jobqueue, extra `hpc`; options from
settings.extra: slurm_queue, slurm_account, slurm_walltime, slurm_memory, slurm_cores).
The client streams sources, sends waves of partitions (`map_partitions(annotate_batch, meta=...)`),
and saves each partition as it completes, so memory stays flat; failed partitions are retried.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from narrascope.batch import (
    annotate_batch,
    article_record,
    empty_input_frame,
    empty_result_frame,
    init_worker_elsewhere,
    input_frame,
    pairs_from_results,
    pipeline_version,
    settings_dict,
)
from narrascope.errors import ConfigError, MissingExtraError
from narrascope.executor import (
    Sink,
    count,
    fail_batch,
    open_sink,
    pending_batches,
    read_articles,
    run_report,
)
from narrascope.pipeline import RunSummary
from narrascope.records import Article
from narrascope.settings import Settings

Progress = Callable[[int], None]
RETRIES = 2  # per partition, on an exception; a dead worker's tasks are rescheduled by Dask itself
CONNECT_TIMEOUT_S = 10


def require_dask() -> Any:
    """The `distributed` module; MissingExtraError naming the extra when Dask is not installed."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed
    except ImportError as exc:
        raise MissingExtraError("dask", "dask") from exc
    return distributed


def _module(name: str) -> Any:
    import importlib

    return importlib.import_module(name)


def analyze_dask(
    paths: Sequence[str],
    settings: Settings,
    *,
    stages: Sequence[str] | None = None,
    glob: str | None = None,
    meta_csv: str | None = None,
    progress: Progress | None = None,
    out_parquet: str | None = None,
    client: Any = None,
) -> RunSummary:
    """Analyse `paths` on Dask into the store (or `out_parquet`); `client` reuses a caller's dask Client."""
    require_dask()
    started = time.perf_counter()
    sink = open_sink(settings, out_parquet)  # an unreachable database fails here, before any work
    try:
        with _connected(settings, client) as dask_client:  # and an unreachable scheduler here
            summary = RunSummary()
            version = pipeline_version(settings, stages)
            batches = pending_batches(
                read_articles(paths, settings, summary, glob, meta_csv), sink, version, settings, summary
            )
            _Run(dask_client, settings_dict(settings, stages), sink, summary, progress).run(batches)
        summary.seconds = time.perf_counter() - started
        sink.record_run(run_report(summary, version, paths, settings))
    finally:
        sink.close()
    return summary


def annotate_dataframe(ddf: Any, settings: Settings, stages: Sequence[str] | None = None) -> Any:
    """A lazy Dask DataFrame of results from one of articles (input columns: batch.input_schema())."""
    return ddf.map_partitions(annotate_batch, settings_dict(settings, stages), meta=empty_result_frame())


# -- clusters --------------------------------------------------------------------------------------


@contextmanager
def _connected(settings: Settings, client: Any) -> Iterator[Any]:
    if client is not None:
        yield client
        return
    cluster, dask_client = connect(settings)
    try:
        yield dask_client
    finally:
        dask_client.close()
        if cluster is not None:
            cluster.close()


def connect(settings: Settings) -> tuple[Any, Any]:
    """(cluster or None, Client) for settings.scheduler; ConfigError when it cannot be reached."""
    Client = require_dask().Client

    scheduler = settings.scheduler or "local"
    if scheduler == "local":
        cluster = local_cluster(settings.workers)
        return cluster, Client(cluster)
    if scheduler == "slurm":
        cluster = slurm_cluster(settings)
        cluster.scale(jobs=max(1, settings.workers))  # sbatch: one job per worker
        return cluster, Client(cluster)
    if "://" not in scheduler:
        raise ConfigError(f"unknown Dask scheduler {scheduler!r}: use local, slurm or tcp://host:8786")
    try:
        return None, Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def local_cluster(workers: int, *, processes: bool = True) -> Any:
    """A LocalCluster bound to 127.0.0.1: `workers` processes with one thread each, dashboard on a free port.

    processes=False gives in-process worker threads talking over inproc:// (no sockets at all).
    """
    LocalCluster = require_dask().LocalCluster

    where = {"host": "127.0.0.1"} if processes else {}
    return LocalCluster(
        n_workers=max(1, workers),
        threads_per_worker=1,
        processes=processes,
        dashboard_address="127.0.0.1:0",
        **where,
    )


def slurm_cluster(settings: Settings) -> Any:
    """A dask-jobqueue SLURMCluster of one-process jobs (no job submitted until it is scaled)."""
    try:
        SLURMCluster = _module("dask_jobqueue").SLURMCluster
    except ImportError as exc:
        raise MissingExtraError("dask-jobqueue", "hpc") from exc
    extra = settings.extra
    cluster = SLURMCluster(
        cores=int(extra.get("slurm_cores", "1")),
        processes=1,
        memory=extra.get("slurm_memory", "4GB"),
        walltime=extra.get("slurm_walltime", "02:00:00"),
        queue=extra.get("slurm_queue") or None,
        account=extra.get("slurm_account") or None,
        job_script_prologue=[f"export {v}=1" for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")],
    )
    return cluster


# -- one run ---------------------------------------------------------------------------------------


class _Run:
    """Waves of partitions through map_partitions; results saved as each partition completes."""

    def __init__(
        self, client: Any, job: dict[str, Any], sink: Sink, summary: RunSummary, progress: Progress | None
    ) -> None:
        self.client = client
        self.job = job
        self.sink = sink
        self.summary = summary
        self.progress = progress
        self.batches: dict[str, list[Article]] = {}  # future key -> its articles
        client.run(init_worker_elsewhere, os.getpid())
        self.wave = max(1, len(client.scheduler_info().get("workers", {})))

    def run(self, batches: Iterator[list[Article]]) -> None:
        pending = require_dask().as_completed()
        self._submit(batches, pending, 2 * self.wave)
        for future in pending:
            self._collect(future)
            if pending.count() <= self.wave:
                self._submit(batches, pending, self.wave)

    def _submit(self, batches: Iterator[list[Article]], pending: Any, n: int) -> None:
        dd = _module("dask.dataframe")
        wave = [b for _, b in zip(range(n), batches, strict=False)]
        if not wave:
            return
        records = [[article_record(a) for a in batch] for batch in wave]
        frames = dd.from_map(input_frame, records, meta=empty_input_frame(), enforce_metadata=False)
        results = frames.map_partitions(annotate_batch, self.job, meta=empty_result_frame())
        futures = self.client.compute(results.to_delayed(), retries=RETRIES)
        for future, batch in zip(futures, wave, strict=True):
            self.batches[future.key] = batch
            pending.add(future)

    def _collect(self, future: Any) -> None:
        batch = self.batches.pop(future.key)
        if future.status != "finished":
            exc = future.exception()
            fail_batch(
                self.summary, batch, f"partition failed after {RETRIES} retries: {type(exc).__name__}: {exc}"
            )
            return
        pairs = pairs_from_results(future.result())
        future.release()
        self.sink.save(pairs)
        count(self.summary, pairs)
        if self.progress:
            self.progress(len(batch))
