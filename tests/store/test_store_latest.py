"""The article_latest table: kept by save(), backfilled by the migration, used by filters and aggregates."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command

from narrascope.records import ArticleAnalysis, NarrativeLabel
from narrascope.store import ArticleFilter, Store
from narrascope.store.migrate import _config, current_revisions, head_revision, migrate


def _latest(store: Store) -> dict[str, tuple[str, ...]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM article_latest ORDER BY article_id")).all()
    return {r.article_id: (r.pipeline_version, r.source, r.published, r.language, r.status) for r in rows}


def _relabel(analysis: ArticleAnalysis, version: str, label: str, language: str = "") -> ArticleAnalysis:
    return ArticleAnalysis(
        article_id=analysis.article_id,
        pipeline_version=version,
        language=language,
        narratives=[NarrativeLabel(label, "narrative", 1.0)],
        dominant_narrative=label,
    )


def test_latest_follows_every_save(store: Store, make_pair: Any) -> None:
    article, v1 = make_pair("A", "alpha text", version="v1", narrative="Old", source="Daily A")
    store.save([(article, v1)])
    assert _latest(store) == {article.id: ("v1", "Daily A", "2025-01-06", "en", "ok")}
    store.save([(article, _relabel(v1, "v2", "New"))])
    assert _latest(store)[article.id][0] == "v2"
    assert store.narrative_counts() == {"New": 1}
    assert {a.id for a, _ in store.results(ArticleFilter(narrative="Old"))} == set()
    store.save([(article, v1)])  # re-saving the old version makes it the newest again
    assert _latest(store)[article.id][0] == "v1"
    assert store.narrative_counts() == {"Old": 1}
    assert store.list_articles(ArticleFilter(narrative="Old"))[0] == 1
    assert store.list_articles(ArticleFilter(narrative="New"))[0] == 0


def test_two_versions_in_one_save_pick_the_highest(store: Store, make_pair: Any) -> None:
    article, v1 = make_pair("A", "alpha text", version="v1", narrative="Old")
    store.save([(article, _relabel(v1, "v2", "New")), (article, v1)])
    assert _latest(store)[article.id][0] == "v2"
    assert store.analysis(article.id) is not None and store.analysis(article.id).pipeline_version == "v2"  # type: ignore[union-attr]


def test_language_falls_back_to_the_article(store: Store, make_pair: Any) -> None:
    article, v1 = make_pair("A", "alpha text", language="")
    store.save([(article, v1)])
    assert store.counts()["languages"] == {"": 1}
    store.save([(article, _relabel(v1, "v2", "New", language="de"))])
    assert store.counts()["languages"] == {"de": 1}
    assert store.list_articles(ArticleFilter(language="de"))[0] == 1


def test_migration_backfills_latest(store: Store, make_pair: Any) -> None:
    first, v1 = make_pair("A", "alpha text", version="v1", narrative="Old")
    second = make_pair("B", "beta text", source="Vesti", language="ru", narrative="Other")
    store.save([(first, v1), second])
    store.save([(first, _relabel(v1, "v2", "New"))])
    before = (_latest(store), store.counts(), store.narrative_counts(by="outlet"), store.list_articles())
    with store.engine.connect() as conn, conn.begin():
        command.downgrade(_config(conn), "0001")
        assert current_revisions(conn) == ("0001",)
    migrate(store.engine, "test", create=False)
    with store.engine.connect() as conn:
        assert current_revisions(conn) == (head_revision(),)
    assert (
        _latest(store),
        store.counts(),
        store.narrative_counts(by="outlet"),
        store.list_articles(),
    ) == before


def test_newest_quotes_walk_matches_one_sorted_query(store: Store, make_pair: Any) -> None:
    pairs = [
        make_pair(
            f"T{i}",
            f"Speaker{i} said words number {i}",
            published=f"2025-0{1 + i % 3}-{10 + i % 7}",
            entity=(f"P{i}", f"Person {i}"),
            quote_speaker=i % 2 == 0,
        )
        for i in range(140)
    ]
    store.save(pairs)
    everything = store.quotes(limit=1000)
    assert len(everything) == 70
    expected = sorted(everything, key=lambda d: d["article_id"])
    expected.sort(key=lambda d: d["published"], reverse=True)  # stable: ids ascending within a date
    assert [d["article_id"] for d in everything] == [d["article_id"] for d in expected]
    assert store.quotes(limit=66) == everything[:66]
    assert store.quotes(limit=1) == everything[:1]
