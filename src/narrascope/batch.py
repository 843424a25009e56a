"""The engine-neutral batch contract: annotate_batch(frame, settings_dict) -> frame with a fixed Arrow schema."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import re
import threading
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from narrascope.pipeline import Pipeline, Stage, batched, build_stage
from narrascope.records import Article, ArticleAnalysis
from narrascope.settings import Settings

ARTICLE_FIELDS = ("id", "name", "title", "text", "source", "url", "published", "language")
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
UNDATED = "undated"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

_PIPELINES: dict[str, Pipeline] = {}  # one pipeline (and so one set of loaded models) per process and job
_LOCK = threading.Lock()

Pair = tuple[Article, ArticleAnalysis]


# -- schemas ---------------------------------------------------------------------------------------


def input_schema() -> Any:
    """Columns of an input frame: the article fields, plus `meta` as a JSON object string."""
    import pyarrow as pa

    return pa.schema([(name, pa.string()) for name in (*ARTICLE_FIELDS, "meta")])


def result_schema() -> Any:
    """The fixed Arrow schema of annotated rows (Parquet output, Dask meta)."""
    import pyarrow as pa

    text, labels = pa.string(), pa.list_(pa.string())
    return pa.schema(
        [
            *[(name, text) for name in ARTICLE_FIELDS if name != "language"],
            ("article_language", text), ("meta", text), ("day", text),
            ("pipeline_version", text), ("status", text), ("reason", text), ("language", text),
            ("narratives", labels), ("subnarratives", labels),
            ("dominant_narrative", text), ("dominant_subnarrative", text),
            ("analysis", text),  # ArticleAnalysis.to_json() without the embedding
            ("embedding", pa.list_(pa.float32())),
        ]
    )  # fmt: skip


def empty_result_frame() -> Any:
    """A zero-row pandas frame with the result columns: the `meta=` for Dask's map_partitions."""
    return result_schema().empty_table().to_pandas()


def empty_input_frame() -> Any:
    return input_schema().empty_table().to_pandas()


# -- settings and the per-process pipeline ---------------------------------------------------------


def settings_dict(settings: Settings, stages: Sequence[str] | None = None) -> dict[str, Any]:
    """Settings (and the stage list) as a JSON-able dict that travels to worker processes."""
    data = dataclasses.asdict(settings)
    data["languages"] = list(settings.languages)
    data["stages"] = list(stages) if stages else None
    return data


def settings_from_dict(data: Mapping[str, Any]) -> tuple[Settings, list[str] | None]:
    known = {f.name for f in dataclasses.fields(Settings)}
    values = {k: v for k, v in data.items() if k in known}
    if "languages" in values:
        values["languages"] = tuple(values["languages"])
    stages = data.get("stages")
    return Settings(**values), list(stages) if stages else None


def build_pipeline(settings: Settings, stages: Sequence[str] | None = None) -> Pipeline:
    """Pipeline.from_config, where a stage may also be a plugin given as 'package.module:Factory'."""
    if not stages or not any(":" in s for s in stages):
        return Pipeline.from_config(settings, stages)
    return Pipeline([_plugin(s, settings) if ":" in s else build_stage(s, settings) for s in stages])


def _plugin(path: str, settings: Settings) -> Stage:
    module_name, factory_name = path.split(":", 1)
    stage: Stage = getattr(importlib.import_module(module_name), factory_name)(settings)
    return stage


def cached_pipeline(job: Mapping[str, Any]) -> Pipeline:
    """The pipeline for this job, built once per process (models load lazily and stay loaded)."""
    key = json.dumps(job, sort_keys=True)
    with _LOCK:
        pipeline = _PIPELINES.get(key)
        if pipeline is None:
            settings, stages = settings_from_dict(job)
            pipeline = _PIPELINES[key] = build_pipeline(settings, stages)
    return pipeline


def pipeline_version(settings: Settings, stages: Sequence[str] | None = None) -> str:
    return cached_pipeline(settings_dict(settings, stages)).version


def init_worker_elsewhere(parent_pid: int) -> None:
    """init_worker, except in the process `parent_pid` (an in-process Dask worker shares the caller's)."""
    if os.getpid() != parent_pid:
        init_worker()


def init_worker() -> None:
    """Worker-process initializer: one BLAS/OpenMP (e5) thread per process, set before any model loads."""
    for var in THREAD_VARS:
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    threadpool_limits(1)


# -- the batch function ----------------------------------------------------------------------------


def annotate_batch(frame: Any, job: Mapping[str, Any]) -> Any:
    """Annotate one frame of articles (pyarrow.Table or pandas.DataFrame); returns the same type.

    Pure: reads nothing but the frame and the settings dict, writes nothing; rows keep their order.
    """
    import pyarrow as pa

    articles = articles_from_records(_records(frame))
    pipeline = cached_pipeline(job)
    settings, _ = settings_from_dict(job)
    analyses: list[ArticleAnalysis] = []
    for chunk in batched(articles, max(1, settings.batch_size)):
        analyses.extend(pipeline.run_batch(chunk))
    table = results_table(list(zip(articles, analyses, strict=True)))
    return table if isinstance(frame, pa.Table) else table.to_pandas()


def _records(frame: Any) -> list[dict[str, Any]]:
    import pyarrow as pa

    if isinstance(frame, pa.Table):
        return list(frame.to_pylist())
    records: list[dict[str, Any]] = frame.to_dict("records")
    return records


# -- conversions -----------------------------------------------------------------------------------


def articles_table(articles: Iterable[Article]) -> Any:
    """Articles as an input frame (pyarrow.Table)."""
    import pyarrow as pa

    return pa.Table.from_pylist([article_record(a) for a in articles], schema=input_schema())


def input_frame(records: Sequence[Mapping[str, Any]]) -> Any:
    """A pandas input frame from article records (dicts with the input columns)."""
    import pyarrow as pa

    return pa.Table.from_pylist([dict(r) for r in records], schema=input_schema()).to_pandas()


def article_record(article: Article) -> dict[str, str]:
    return {**{f: getattr(article, f) for f in ARTICLE_FIELDS}, "meta": json.dumps(article.meta)}


def articles_from_records(records: Iterable[Mapping[str, Any]]) -> list[Article]:
    out = []
    for record in records:
        values = {f: _text(record.get(f)) for f in ARTICLE_FIELDS}
        meta = json.loads(_text(record.get("meta")) or "{}")
        out.append(Article(**values, meta={str(k): str(v) for k, v in meta.items()}))
    return out


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN from pandas
        return ""
    return str(value)


def day_of(published: str) -> str:
    """The Parquet partition of an article: its publication day, or 'undated'."""
    return published[:10] if _DAY.match(published) else UNDATED


def result_row(article: Article, analysis: ArticleAnalysis) -> dict[str, Any]:
    data = analysis.to_dict()
    data.pop("embedding", None)
    return {
        **{f: getattr(article, f) for f in ARTICLE_FIELDS if f != "language"},
        "article_language": article.language, "meta": json.dumps(article.meta, sort_keys=True),
        "day": day_of(article.published), "pipeline_version": analysis.pipeline_version,
        "status": analysis.status, "reason": analysis.reason, "language": analysis.language,
        "narratives": [x.label for x in analysis.narratives],
        "subnarratives": [x.label for x in analysis.subnarratives],
        "dominant_narrative": analysis.dominant_narrative,
        "dominant_subnarrative": analysis.dominant_subnarrative,
        "analysis": json.dumps(data, ensure_ascii=False, sort_keys=True),
        "embedding": list(analysis.embedding),
    }  # fmt: skip


def results_table(pairs: Sequence[Pair]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist([result_row(a, an) for a, an in pairs], schema=result_schema())


def pairs_from_results(frame: Any) -> list[Pair]:
    """(Article, ArticleAnalysis) pairs back from a result frame (pyarrow.Table or pandas.DataFrame)."""
    pairs = []
    for record in _records(frame):
        article = Article(
            **{f: _text(record.get(f)) for f in ARTICLE_FIELDS if f != "language"},
            language=_text(record.get("article_language")),
            meta=json.loads(_text(record.get("meta")) or "{}"),
        )
        analysis = ArticleAnalysis.from_json(record["analysis"])
        vector = record.get("embedding")
        analysis.embedding = [float(x) for x in vector] if vector is not None else []
        pairs.append((article, analysis))
    return pairs


def batch_key(ids: Sequence[str]) -> str:
    """A deterministic key for a batch of article ids (crc32; never Python's salted hash())."""
    return f"{zlib.crc32(','.join(ids).encode()):08x}"
