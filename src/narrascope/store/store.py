"""The Store: saves articles with their analyses and answers every query the rest of narrascope asks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from narrascope.errors import StoreError
from narrascope.records import Article, ArticleAnalysis
from narrascope.store import aggregates, schema
from narrascope.store.engine import WRITE, make_engine, shown, to_url
from narrascope.store.migrate import migrate
from narrascope.store.queries import (
    ArticleFilter,
    ArticleRow,
    SearchHit,
    conditions,
    count_newest,
    current,
    joined,
    newest,
    search,
)
from narrascope.store.rows import (
    analysis_from_row,
    analysis_values,
    article_from_row,
    article_values,
    child_rows,
    unpack_embedding,
    utcnow,
)

CHUNK = 500  # ids per IN (...) list
YIELD_PER = 200

articles = schema.articles
analyses = schema.analyses


def open_store(url_or_path: str, *, create: bool = True) -> Store:
    """Open (and, when `create`, make or migrate) the database at a SQLAlchemy URL or SQLite path."""
    url = to_url(url_or_path)
    engine = make_engine(url, create=create)
    try:
        migrate(engine, shown(url), create=create)
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise StoreError(f"cannot migrate database {shown(url)}: {_first_line(exc)}") from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


def _first_line(exc: sa.exc.DBAPIError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), CHUNK):
        yield unique[i : i + CHUNK]


class Store:
    """Articles and analyses in SQLite or PostgreSQL; every method is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            raise StoreError(f"database read failed: {_first_line(exc)}") from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE: True})
                with conn.begin():
                    yield conn
        except sa.exc.DBAPIError as exc:
            raise StoreError(f"database write failed: {_first_line(exc)}") from exc

    def _insert(self, table: sa.Table) -> Any:
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    # -- writing -----------------------------------------------------------------------------------

    def save(self, pairs: Sequence[tuple[Article, ArticleAnalysis]]) -> None:
        """Upsert articles and analyses (with their child rows) in one transaction; re-saving replaces."""
        latest: dict[tuple[str, str], tuple[Article, ArticleAnalysis]] = {}
        for article, analysis in pairs:
            if analysis.article_id != article.id:
                raise StoreError(f"analysis of {analysis.article_id!r} saved with article {article.id!r}")
            latest[(article.id, analysis.pipeline_version)] = (article, analysis)
        if not latest:
            return
        ordered = [latest[key] for key in sorted(latest)]  # one lock order for every writer: no deadlocks
        now = utcnow()
        with self._write() as conn:
            self._upsert_articles(conn, [article for article, _ in ordered], now)
            self._upsert_analyses(conn, [analysis for _, analysis in ordered], now)
            self._replace_children(conn, [analysis for _, analysis in ordered])
            self._refresh_latest(conn, sorted({article.id for article, _ in ordered}))

    def _upsert_articles(self, conn: Connection, items: list[Article], now: Any) -> None:
        values = list({a.id: article_values(a, now) for a in items}.values())
        stmt = self._insert(articles)
        updated = {c: stmt.excluded[c] for c in values[0] if c not in ("id", "ingested_at")}
        conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=updated), values)

    def _upsert_analyses(self, conn: Connection, items: list[ArticleAnalysis], now: Any) -> None:
        values = [analysis_values(a, now) for a in items]
        stmt = self._insert(analyses)
        key = ("article_id", "pipeline_version")
        updated = {c: stmt.excluded[c] for c in values[0] if c not in key}
        conn.execute(stmt.on_conflict_do_update(index_elements=list(key), set_=updated), values)

    def _replace_children(self, conn: Connection, items: list[ArticleAnalysis]) -> None:
        keys = [(a.article_id, a.pipeline_version) for a in items]
        rows: dict[sa.Table, list[dict[str, Any]]] = {table: [] for table in schema.CHILD_TABLES}
        for analysis in items:
            for table, table_rows in child_rows(analysis).items():
                rows[table].extend(table_rows)
        for table in schema.CHILD_TABLES:
            for i in range(0, len(keys), CHUNK):
                chunk = keys[i : i + CHUNK]
                conn.execute(
                    table.delete().where(sa.tuple_(table.c.article_id, table.c.pipeline_version).in_(chunk))
                )
            if rows[table]:
                conn.execute(table.insert(), rows[table])

    def _refresh_latest(self, conn: Connection, ids: list[str]) -> None:
        """Point article_latest at the newest analysis of each of these articles."""
        latest = schema.article_latest
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            conn.execute(latest.delete().where(latest.c.article_id.in_(chunk)))
            conn.execute(latest.insert().from_select([c.name for c in latest.c], newest(chunk)))

    def record_run(self, summary: dict[str, Any]) -> int:
        """Store a run report (JSON) with the time; returns its id."""
        with self._write() as conn:
            insert = schema.runs.insert().values(created_at=utcnow(), summary=summary)
            return int(conn.execute(insert.returning(schema.runs.c.id)).scalar_one())

    def save_stories(self, stories: list[dict[str, Any]]) -> None:
        """Replace all stories: dicts with id, title, first_date, last_date and article_ids."""
        now = utcnow()
        members: dict[str, str] = {}
        for story in stories:
            for article_id in story.get("article_ids", []):
                members[article_id] = story["id"]
        story_rows = [
            {
                "id": s["id"],
                "title": s.get("title", ""),
                "first_date": s.get("first_date", ""),
                "last_date": s.get("last_date", ""),
                "updated": now,
            }
            for s in stories
        ]
        with self._write() as conn:
            conn.execute(schema.story_articles.delete())
            conn.execute(schema.stories.delete())
            if story_rows:
                conn.execute(schema.stories.insert(), story_rows)
            if members:
                links = [{"story_id": sid, "article_id": aid} for aid, sid in members.items()]
                conn.execute(schema.story_articles.insert(), links)

    def rebuild_search(self) -> None:
        """Rebuild the SQLite full-text index (after a VACUUM, which may renumber rowids)."""
        if self.dialect == "sqlite":
            with self._write() as conn:
                conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")

    # -- reading -----------------------------------------------------------------------------------

    def done_ids(self, ids: Sequence[str], pipeline_version: str) -> set[str]:
        """Ids with an analysis of this version whose status is ok or skipped."""
        done: set[str] = set()
        with self._read() as conn:
            for chunk in _chunks(ids):
                query = sa.select(analyses.c.article_id).where(
                    analyses.c.article_id.in_(chunk),
                    analyses.c.pipeline_version == pipeline_version,
                    analyses.c.status.in_(("ok", "skipped")),
                )
                done.update(conn.execute(query).scalars())
        return done

    def article(self, article_id: str) -> Article | None:
        with self._read() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return article_from_row(row) if row else None

    def analysis(self, article_id: str, pipeline_version: str | None = None) -> ArticleAnalysis | None:
        """The analysis of that version, or the newest saved when `pipeline_version` is None."""
        query = sa.select(analyses.c.data, analyses.c.embedding).where(analyses.c.article_id == article_id)
        if pipeline_version is not None:
            query = query.where(analyses.c.pipeline_version == pipeline_version)
        query = query.order_by(analyses.c.created_at.desc(), analyses.c.pipeline_version.desc()).limit(1)
        with self._read() as conn:
            row = conn.execute(query).first()
        return analysis_from_row(row.data, row.embedding) if row else None

    def find(self, prefix: str, limit: int = 50) -> list[str]:
        """Article ids starting with `prefix`."""
        query = sa.select(articles.c.id).where(articles.c.id.startswith(prefix, autoescape=True))
        with self._read() as conn:
            return list(conn.execute(query.order_by(articles.c.id).limit(limit)).scalars())

    def _filtered(self, f: ArticleFilter, pipeline_version: str | None, *columns: Any) -> sa.Select[Any]:
        return joined(current(pipeline_version), *columns).where(*conditions(f, self.dialect))

    def results(
        self, filters: ArticleFilter | None = None, *, pipeline_version: str | None = None
    ) -> Iterator[tuple[Article, ArticleAnalysis]]:
        """Stream (article, analysis) pairs, the newest analysis per article unless a version is given."""
        f = filters or ArticleFilter()
        query = self._filtered(f, pipeline_version, *articles.c, analyses.c.data, analyses.c.embedding)
        query = query.order_by(articles.c.id).offset(f.offset or None).limit(f.limit)
        with self._read() as conn:
            for row in conn.execute(query.execution_options(yield_per=YIELD_PER)):
                yield article_from_row(row), analysis_from_row(row.data, row.embedding)

    def list_articles(self, f: ArticleFilter | None = None) -> tuple[int, list[ArticleRow]]:
        """The number of matching articles and one page of light rows, newest published first."""
        f = f or ArticleFilter()
        columns = (
            articles.c.id,
            articles.c.title,
            articles.c.source,
            articles.c.published,
            sa.func.coalesce(sa.func.nullif(analyses.c.language, ""), articles.c.language).label("language"),
            analyses.c.status,
            analyses.c.dominant_narrative,
        )
        query = self._filtered(f, None, *columns)
        page = (
            query.order_by(articles.c.published.desc(), articles.c.id).offset(f.offset or None).limit(f.limit)
        )
        with self._read() as conn:
            total = conn.execute(count_newest(f, self.dialect)).scalar_one()
            rows = [ArticleRow(**row._mapping) for row in conn.execute(page)]
        return int(total), rows

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and texts; any user string is safe."""
        with self._read() as conn:
            return search(conn, query, limit)

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The embedding of each article's newest analysis (articles without one are left out)."""
        out: dict[str, np.ndarray] = {}
        cur = current()
        with self._read() as conn:
            for chunk in _chunks(ids):
                query = joined(cur, articles.c.id, analyses.c.embedding).where(articles.c.id.in_(chunk))
                for article_id, blob in conn.execute(query):
                    if blob:
                        out[article_id] = unpack_embedding(blob)
        return out

    def runs(self, limit: int = 100) -> list[dict[str, Any]]:
        """Stored run reports, newest first: id, created_at (ISO), summary."""
        runs = schema.runs
        query = sa.select(runs).order_by(runs.c.id.desc()).limit(limit)
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [{"id": r.id, "created_at": r.created_at.isoformat(), "summary": r.summary} for r in rows]

    def stories(self) -> list[dict[str, Any]]:
        """Stories, latest first, each with its article ids in publication order."""
        st, links = schema.stories, schema.story_articles
        members = (
            sa.select(links.c.story_id, links.c.article_id)
            .select_from(links.outerjoin(articles, articles.c.id == links.c.article_id))
            .order_by(articles.c.published, links.c.article_id)
        )
        with self._read() as conn:
            rows = conn.execute(sa.select(st).order_by(st.c.last_date.desc(), st.c.id)).all()
            by_story: dict[str, list[str]] = {}
            for story_id, article_id in conn.execute(members):
                by_story.setdefault(story_id, []).append(article_id)
        return [
            {
                "id": r.id,
                "title": r.title,
                "first_date": r.first_date,
                "last_date": r.last_date,
                "updated": r.updated.isoformat(),
                "article_ids": by_story.get(r.id, []),
            }
            for r in rows
        ]

    # -- aggregates --------------------------------------------------------------------------------

    def counts(self) -> dict[str, Any]:
        with self._read() as conn:
            return aggregates.counts(conn)

    def narrative_counts(self, level: str = "narrative", by: str | None = None) -> dict[str, Any]:
        with self._read() as conn:
            return aggregates.narrative_counts(conn, level, by)

    def role_counts(self, by: str | None = None) -> dict[str, Any]:
        with self._read() as conn:
            return aggregates.role_counts(conn, by)

    def entity_summary(self, entity: str) -> dict[str, Any] | None:
        with self._read() as conn:
            return aggregates.entity_summary(conn, entity)

    def top_entities(self, limit: int = 20) -> list[dict[str, Any]]:
        with self._read() as conn:
            return aggregates.top_entities(conn, limit)

    def quotes(self, entity: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        with self._read() as conn:
            return aggregates.quotes(conn, entity, limit)
