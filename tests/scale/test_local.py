"""The local executor: N processes give the same store as one, survive a worker crash, write Parquet."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
import pytest

from narrascope.errors import ConfigError
from narrascope.executor import analyze
from narrascope.exports import export
from narrascope.settings import Settings
from narrascope.store import open_store
from tests.scale.conftest import CORPUS, CRASH, FAST, analysis_rows, stored


def test_two_workers_store_exactly_what_one_worker_stores(tmp_path: Path) -> None:
    one = analyze([str(CORPUS)], Settings(db=str(tmp_path / "one.db"), batch_size=4), stages=FAST)
    two = analyze([str(CORPUS)], Settings(db=str(tmp_path / "two.db"), batch_size=4, workers=2), stages=FAST)
    assert one.analysed == two.analysed == 12
    assert one.languages == two.languages
    assert stored(tmp_path / "one.db") == stored(tmp_path / "two.db")


def test_a_worker_crash_is_retried_and_a_rerun_duplicates_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "crash-once"
    marker.touch()
    settings = Settings(
        db=str(tmp_path / "c.db"),
        batch_size=4,
        workers=2,
        extra={"crash_marker": str(marker), "crash_on": "s07"},
    )
    first = analyze([str(CORPUS)], settings, stages=[*FAST, CRASH])
    assert not marker.exists()  # the worker really died once
    assert (first.analysed, first.failed) == (12, [])
    again = analyze([str(CORPUS)], settings, stages=[*FAST, CRASH])
    assert (again.analysed, again.cached) == (0, 12)
    assert analysis_rows(tmp_path / "c.db") == 12


def test_parquet_out_is_partitioned_by_day_and_resumable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = Settings(db=str(tmp_path / "unused.db"), batch_size=5)
    summary = analyze([str(CORPUS)], settings, stages=FAST, out_parquet=str(out))
    assert summary.analysed == 12
    days = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert days == [f"day=2024-03-0{d}" for d in range(2, 7)] + ["day=undated"]
    table = ds.dataset(str(out), format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 12 and set(table.column("status").to_pylist()) == {"ok"}
    import pandas as pd

    frame = pd.read_parquet(out)
    assert len(frame) == 12 and {"narratives", "embedding", "analysis", "day"} <= set(frame.columns)
    again = analyze([str(CORPUS)], settings, stages=FAST, out_parquet=str(out))
    assert (again.analysed, again.cached) == (0, 12)
    assert ds.dataset(str(out), format="parquet", partitioning="hive").count_rows() == 12
    assert not (tmp_path / "unused.db").exists()  # Parquet runs need no database


def test_an_exported_parquet_file_analyses_to_the_same_results(tmp_path: Path) -> None:
    analyze([str(CORPUS)], Settings(db=str(tmp_path / "a.db"), batch_size=4), stages=FAST)
    with open_store(str(tmp_path / "a.db")) as store:
        rows, _ = export(store.results(), "parquet", str(tmp_path / "corpus.parquet"))
    assert rows == 12
    analyze(
        [str(tmp_path / "corpus.parquet")], Settings(db=str(tmp_path / "b.db"), batch_size=4), stages=FAST
    )
    assert stored(tmp_path / "a.db") == stored(tmp_path / "b.db")


def test_db_source_reanalyses_stored_articles(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "a.db"), batch_size=4)
    analyze([str(CORPUS)], settings, stages=["clean", "language"])
    summary = analyze(["db://"], settings, stages=FAST)
    assert (summary.read, summary.analysed) == (12, 12)
    assert analysis_rows(tmp_path / "a.db") == 24  # one per article and pipeline version


def test_bad_engine_settings_fail_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="executor"):
        analyze([str(CORPUS)], Settings(db=str(tmp_path / "x.db"), executor="spark"))
    with pytest.raises(ConfigError, match="workers"):
        analyze([str(CORPUS)], Settings(db=str(tmp_path / "x.db"), workers=0))
    assert not (tmp_path / "x.db").exists()
