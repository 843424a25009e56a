"""annotate_batch: the engine-neutral contract (same type out, fixed schema, lossless round trip)."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from narrascope.batch import (
    annotate_batch,
    articles_from_records,
    articles_table,
    batch_key,
    build_pipeline,
    day_of,
    pairs_from_results,
    result_schema,
    settings_dict,
    settings_from_dict,
)
from narrascope.errors import ConfigError
from narrascope.records import Article
from narrascope.settings import Settings
from tests.scale.conftest import CORPUS, FAST


def corpus() -> list[Article]:
    return articles_from_records(json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines())


def test_arrow_in_arrow_out_with_the_fixed_schema() -> None:
    job = settings_dict(Settings(batch_size=4), FAST)
    out = annotate_batch(articles_table(corpus()), job)
    assert isinstance(out, pa.Table)
    assert out.schema == result_schema()
    assert out.num_rows == 12
    assert set(out.column("status").to_pylist()) == {"ok"}
    assert out.column("day").to_pylist()[:2] == ["2024-03-02", "2024-03-02"]


def test_pandas_in_pandas_out_same_rows_as_arrow() -> None:
    job = settings_dict(Settings(batch_size=4), FAST)
    table = articles_table(corpus())
    frame = annotate_batch(table.to_pandas(), job)
    assert type(frame).__name__ == "DataFrame"
    assert list(frame.columns) == result_schema().names
    assert list(frame["analysis"]) == annotate_batch(table, job).column("analysis").to_pylist()


def test_results_round_trip_to_the_same_analyses_as_the_pipeline() -> None:
    settings = Settings(batch_size=4)
    articles = corpus()
    pairs = pairs_from_results(annotate_batch(articles_table(articles), settings_dict(settings, FAST)))
    assert [a.id for a, _ in pairs] == [a.id for a in articles]
    assert [a.published for a, _ in pairs] == [a.published for a in articles]
    direct = build_pipeline(settings, FAST).run_batch(articles)
    assert [an.to_json() for _, an in pairs] == [an.to_json() for an in direct]


def test_settings_travel_as_a_plain_dict() -> None:
    settings = Settings(db="x.db", languages=("en", "ru"), batch_size=3, extra={"k": "v"})
    data = settings_dict(settings, FAST)
    json.dumps(data)  # JSON-able: it crosses process and machine boundaries
    assert settings_from_dict(data) == (settings, FAST)


def test_unknown_stage_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown stage"):
        annotate_batch(articles_table(corpus()[:1]), settings_dict(Settings(), ["nope"]))


def test_day_and_batch_key_are_deterministic() -> None:
    assert day_of("2024-03-02T10:00") == "2024-03-02"
    assert day_of("") == day_of("March") == "undated"
    import zlib

    assert batch_key(["a", "b"]) == f"{zlib.crc32(b'a,b'):08x}"
    assert batch_key(["a", "b"]) != batch_key(["b", "a"])
