"""The Dask executor: same store as the local executor, retries, resume, clear errors before any work."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from narrascope import dask_executor
from narrascope.dask_executor import analyze_dask, local_cluster
from narrascope.errors import ConfigError, MissingExtraError, StoreError
from narrascope.executor import analyze
from narrascope.settings import Settings
from tests.scale.conftest import CORPUS, CRASH, FAST, analysis_rows, stored

SIX = Path(__file__).resolve().parent.parent / "fixtures" / "scale" / "six.jsonl"


@pytest.fixture(scope="module")
def threads_client() -> Iterator[Any]:
    """Two in-process workers on 127.0.0.1 (fast to start)."""
    from distributed import Client

    with local_cluster(2, processes=False) as cluster, Client(cluster) as client:
        yield client


def test_dask_stores_exactly_what_the_local_executor_stores(tmp_path: Path, threads_client: Any) -> None:
    local = analyze([str(CORPUS)], Settings(db=str(tmp_path / "local.db"), batch_size=4), stages=FAST)
    settings = Settings(db=str(tmp_path / "dask.db"), batch_size=4, executor="dask", workers=2)
    seen: list[int] = []
    remote = analyze_dask([str(CORPUS)], settings, stages=FAST, client=threads_client, progress=seen.append)
    assert remote.analysed == local.analysed == 12 and sum(seen) == 12
    assert stored(tmp_path / "dask.db") == stored(tmp_path / "local.db")
    again = analyze_dask([str(CORPUS)], settings, stages=FAST, client=threads_client)
    assert (again.analysed, again.cached) == (0, 12)


def test_dask_parquet_out_by_day(tmp_path: Path, threads_client: Any) -> None:
    import pandas as pd

    settings = Settings(db=str(tmp_path / "unused.db"), batch_size=4, executor="dask")
    analyze_dask(
        [str(CORPUS)], settings, stages=FAST, out_parquet=str(tmp_path / "out"), client=threads_client
    )
    frame = pd.read_parquet(tmp_path / "out")
    assert len(frame) == 12 and frame["day"].nunique() == 6


def test_full_pipeline_on_worker_processes_matches_local(tmp_path: Path) -> None:
    """processes=True LocalCluster via --executor dask --scheduler local, the default pipeline (e5 included)."""
    local = analyze([str(SIX)], Settings(db=str(tmp_path / "local.db"), batch_size=4))
    settings = Settings(
        db=str(tmp_path / "dask.db"), batch_size=4, executor="dask", scheduler="local", workers=2
    )
    remote = analyze([str(SIX)], settings)
    assert remote.analysed == local.analysed == 6 and not remote.failed
    assert stored(tmp_path / "dask.db") == stored(tmp_path / "local.db")


def test_worker_crash_is_retried_and_rerun_resumes(tmp_path: Path) -> None:
    marker = tmp_path / "crash-once"
    marker.touch()
    extra = {"crash_marker": str(marker), "crash_on": "s07"}
    settings = Settings(db=str(tmp_path / "c.db"), batch_size=2, executor="dask", workers=2, extra=extra)
    first = analyze([str(CORPUS)], settings, stages=[*FAST, CRASH])
    assert not marker.exists()
    assert (first.analysed, first.failed) == (12, [])
    again = analyze([str(CORPUS)], settings, stages=[*FAST, CRASH])
    assert (again.analysed, again.cached) == (0, 12)
    assert analysis_rows(tmp_path / "c.db") == 12


def test_missing_dask_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    settings = Settings(db=str(tmp_path / "x.db"), executor="dask")
    with pytest.raises(MissingExtraError, match=r"narrascope\[dask\]"):
        analyze([str(CORPUS)], settings)


def test_unreachable_scheduler_fails_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT_S", 1)
    settings = Settings(db=str(tmp_path / "x.db"), executor="dask", scheduler="tcp://127.0.0.1:9")
    with pytest.raises(ConfigError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        analyze([str(CORPUS)], settings)
    assert analysis_rows(tmp_path / "x.db") == 0


def test_unreachable_database_fails_before_any_work(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    settings = Settings(db="postgresql+psycopg://u:p@127.0.0.1:9/none", executor="dask")
    with pytest.raises(StoreError, match="cannot open database"):
        analyze([str(CORPUS)], settings)


def test_unknown_scheduler_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "x.db"), executor="dask", scheduler="yarn")
    with pytest.raises(ConfigError, match="unknown Dask scheduler"):
        analyze([str(CORPUS)], settings)


def test_slurm_cluster_is_constructed_not_run() -> None:
    pytest.importorskip("dask_jobqueue")
    settings = Settings(workers=0, extra={"slurm_queue": "cpu", "slurm_memory": "2GB"})
    cluster = dask_executor.slurm_cluster(settings.replace(workers=1))
    try:
        script = cluster.job_script()
        assert "#SBATCH -p cpu" in script and "OMP_NUM_THREADS=1" in script
    finally:
        cluster.close()
