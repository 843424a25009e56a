"""Saving and reading back: fidelity, idempotent upserts, done ids, versions, runs, stories."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import sqlalchemy as sa

from narrascope.records import ArticleAnalysis, NarrativeLabel
from narrascope.store import Store

TABLES = ("articles", "analyses", "narrative_labels", "mentions", "entities", "quotes")


def row_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def test_full_analysis_round_trips(store: Store, full_pair: Any) -> None:
    article, analysis = full_pair
    store.save([full_pair])
    assert store.article(article.id) == article
    loaded = store.analysis(article.id)
    assert loaded == analysis
    assert loaded is not None and loaded.to_json() == analysis.to_json()
    assert store.analysis(article.id, "full-1") == analysis


def test_missing_things_are_none(store: Store, full_pair: Any) -> None:
    store.save([full_pair])
    assert store.article("nope") is None
    assert store.analysis("nope") is None
    assert store.analysis(full_pair[0].id, "other-version") is None


def test_resave_replaces_and_never_duplicates(store: Store, full_pair: Any) -> None:
    article, analysis = full_pair
    store.save([full_pair])
    first = row_counts(store)
    assert first == {
        "articles": 1,
        "analyses": 1,
        "narrative_labels": 2,
        "mentions": 2,
        "entities": 1,
        "quotes": 2,
    }
    store.save([full_pair, full_pair])
    assert row_counts(store) == first
    changed = dataclasses.replace(analysis, mentions=analysis.mentions[:1], quotes=[], dominant_narrative="X")
    store.save([(dataclasses.replace(article, source="Renamed"), changed)])
    assert row_counts(store) == {**first, "mentions": 1, "quotes": 0}
    assert store.analysis(article.id) == changed
    stored = store.article(article.id)
    assert stored is not None and stored.source == "Renamed"


def test_done_ids_counts_ok_and_skipped_of_that_version(store: Store, make_pair: Any) -> None:
    ok = make_pair("A", "alpha text")
    skipped = make_pair("B", "beta text", status="skipped")
    failed = make_pair("C", "gamma text", status="failed")
    other = make_pair("D", "delta text", version="v0")
    store.save([ok, skipped, failed, other])
    ids = [p[0].id for p in (ok, skipped, failed, other)] + ["unknown"]
    assert store.done_ids(ids, "v1") == {ok[0].id, skipped[0].id}
    assert store.done_ids(ids, "v0") == {other[0].id}
    assert store.done_ids([], "v1") == set()


def test_done_ids_handles_long_id_lists(store: Store, make_pair: Any) -> None:
    pair = make_pair("A", "alpha text")
    store.save([pair])
    ids = [f"x{i}" for i in range(1200)] + [pair[0].id]
    assert store.done_ids(ids, "v1") == {pair[0].id}


def test_newest_analysis_wins_unless_a_version_is_named(store: Store, make_pair: Any) -> None:
    article, old = make_pair("A", "alpha text", version="v1", narrative="Old")
    store.save([(article, old)])
    new = ArticleAnalysis(
        article_id=article.id, pipeline_version="v2", narratives=[NarrativeLabel("New", "narrative", 1.0)]
    )
    store.save([(article, new)])
    assert store.analysis(article.id) == new
    assert store.analysis(article.id, "v1") == old
    assert [a.pipeline_version for _, a in store.results()] == ["v2"]
    assert [a.pipeline_version for _, a in store.results(pipeline_version="v1")] == ["v1"]
    assert store.narrative_counts() == {"New": 1}
    assert row_counts(store)["analyses"] == 2


def test_find_by_prefix(store: Store, make_pair: Any) -> None:
    pairs = [make_pair(f"T{i}", f"text number {i}") for i in range(5)]
    store.save(pairs)
    target = pairs[2][0].id
    assert target in store.find(target[:6])
    assert store.find(target) == [target]
    assert store.find("%") == []
    assert store.find("zz_") == []
    assert sorted(store.find("")) == sorted(p[0].id for p in pairs)


def test_embeddings_are_float32_blobs(store: Store, full_pair: Any, make_pair: Any) -> None:
    plain = make_pair("A", "alpha text")
    store.save([full_pair, plain])
    found = store.embeddings([full_pair[0].id, plain[0].id, "unknown"])
    assert list(found) == [full_pair[0].id]
    vector = found[full_pair[0].id]
    assert vector.dtype == np.float32
    np.testing.assert_array_equal(vector, np.array([0.5, -0.25, 0.125, 1.0], dtype=np.float32))
    with store.engine.connect() as conn:
        data = conn.execute(sa.text("SELECT data FROM analyses")).scalars().all()
    assert all("embedding" not in (d if isinstance(d, dict) else {}) for d in data)


def test_embedding_of_384_floats(store: Store, make_pair: Any) -> None:
    article, analysis = make_pair("A", "alpha text")
    vector = np.random.default_rng(0).standard_normal(384).astype(np.float32)
    analysis.embedding = vector.tolist()
    store.save([(article, analysis)])
    np.testing.assert_array_equal(store.embeddings([article.id])[article.id], vector)
    loaded = store.analysis(article.id)
    assert loaded is not None and loaded.embedding == analysis.embedding


def test_runs_are_recorded_newest_first(store: Store) -> None:
    first = store.record_run({"ok": 3, "failed": 1, "reasons": {"x": "ошибка"}})
    second = store.record_run({"ok": 1})
    assert second > first
    runs = store.runs()
    assert [r["id"] for r in runs] == [second, first]
    assert runs[1]["summary"] == {"ok": 3, "failed": 1, "reasons": {"x": "ошибка"}}
    assert runs[0]["created_at"][:2] == "20"


def test_stories_replace_the_previous_set(store: Store, make_pair: Any) -> None:
    a = make_pair("A", "alpha text", published="2025-01-02")
    b = make_pair("B", "beta text", published="2025-01-01")
    store.save([a, b])
    story = {"id": "s1", "title": "Alpha", "first_date": "2025-01-01", "last_date": "2025-01-02"}
    store.save_stories([{**story, "article_ids": [a[0].id, b[0].id]}])
    (saved,) = store.stories()
    assert saved["article_ids"] == [b[0].id, a[0].id]  # publication order
    assert {k: saved[k] for k in story} == story
    store.save_stories(
        [{"id": "s2", "title": "Beta", "first_date": "", "last_date": "", "article_ids": [b[0].id]}]
    )
    assert [(s["id"], s["article_ids"]) for s in store.stories()] == [("s2", [b[0].id])]
    store.save_stories([])
    assert store.stories() == []
