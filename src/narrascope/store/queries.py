"""Query building blocks: the newest analysis per article, article filters, full-text search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from narrascope.store import schema
from narrascope.store.rows import role_token

MARK_OPEN = "⟦"  # search snippets wrap each match in these (escape the rest before rendering HTML)
MARK_CLOSE = "⟧"
SNIPPET_WORDS = 16

articles = schema.articles
analyses = schema.analyses


@dataclass(frozen=True)
class ArticleFilter:
    """What to select; an empty or None field does not filter."""

    outlet: str | None = None
    language: str | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive
    narrative: str | None = None  # a coarse or fine label
    entity: str | None = None  # an entity id or name (case-insensitive)
    role: str | None = None  # a main or fine role (of the entity, when both are given)
    query: str | None = None  # full-text terms, all required
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class ArticleRow:
    """A light row for listings."""

    id: str
    title: str
    source: str
    published: str
    language: str
    status: str
    dominant_narrative: str


@dataclass(frozen=True)
class SearchHit:
    """One full-text match; `snippet` wraps matched words in MARK_OPEN/MARK_CLOSE; higher rank is better."""

    id: str
    title: str
    snippet: str
    rank: float


def current(pipeline_version: str | None = None) -> sa.Subquery:
    """(article_id, pipeline_version) of the analysis to use: the given version, or the newest saved."""
    if pipeline_version:
        chosen = sa.select(analyses.c.article_id, analyses.c.pipeline_version).where(
            analyses.c.pipeline_version == pipeline_version
        )
        return chosen.subquery("cur")
    order = (analyses.c.created_at.desc(), analyses.c.pipeline_version.desc())
    ranked = sa.select(
        analyses.c.article_id,
        analyses.c.pipeline_version,
        sa.func.row_number().over(partition_by=analyses.c.article_id, order_by=order).label("rn"),
    ).subquery("ranked")
    return sa.select(ranked.c.article_id, ranked.c.pipeline_version).where(ranked.c.rn == 1).subquery("cur")


def joined(cur: sa.Subquery, *columns: Any) -> sa.Select[Any]:
    """SELECT columns FROM articles JOIN analyses (restricted to `cur`)."""
    on_cur = sa.and_(
        analyses.c.article_id == cur.c.article_id, analyses.c.pipeline_version == cur.c.pipeline_version
    )
    source = articles.join(analyses, analyses.c.article_id == articles.c.id).join(cur, on_cur)
    return sa.select(*columns).select_from(source)


def same_analysis(table: sa.Table) -> ColumnElement[bool]:
    return sa.and_(
        table.c.article_id == analyses.c.article_id, table.c.pipeline_version == analyses.c.pipeline_version
    )


def entity_match(table: sa.Table, entity: str) -> ColumnElement[bool]:
    return sa.or_(table.c.entity_id == entity, sa.func.lower(table.c.name) == entity.lower())


def role_match(table: sa.Table, role: str) -> ColumnElement[bool]:
    return sa.or_(table.c.main_role == role, table.c.fine_roles.contains(role_token(role), autoescape=True))


def conditions(f: ArticleFilter, dialect: str) -> list[ColumnElement[bool]]:
    """WHERE clauses for a filter over the `joined` select."""
    out: list[ColumnElement[bool]] = []
    if f.outlet:
        out.append(articles.c.source == f.outlet)
    if f.language:
        language = sa.func.coalesce(sa.func.nullif(analyses.c.language, ""), articles.c.language)
        out.append(language == f.language)
    if f.date_from:
        out.append(sa.and_(articles.c.published != "", articles.c.published >= f.date_from))
    if f.date_to:
        out.append(sa.and_(articles.c.published != "", articles.c.published < _day_after(f.date_to)))
    if f.narrative:
        labels = schema.narrative_labels
        out.append(sa.exists().where(same_analysis(labels), labels.c.label == f.narrative))
    out.extend(_entity_role(f.entity, f.role))
    if f.query and f.query.strip():
        out.append(search_condition(f.query, dialect))
    return out


def _day_after(date: str) -> str:
    """The exclusive upper bound for an inclusive `date_to` (`published` may carry a time)."""
    try:
        return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=1)).isoformat()
    except ValueError:
        return date


def _entity_role(entity: str | None, role: str | None) -> list[ColumnElement[bool]]:
    ents, mentions = schema.entities, schema.mentions
    if entity and role:
        ids = sa.select(ents.c.entity_id).where(same_analysis(ents), entity_match(ents, entity))
        linked = sa.and_(mentions.c.entity_id.in_(ids), role_match(mentions, role))
        entity_role = sa.and_(entity_match(ents, entity), role_match(ents, role))
        return [
            sa.or_(
                sa.exists().where(same_analysis(mentions), linked),
                sa.exists().where(same_analysis(ents), entity_role),
            )
        ]
    if entity:
        return [sa.exists().where(same_analysis(ents), entity_match(ents, entity))]
    if role:
        return [sa.exists().where(same_analysis(mentions), role_match(mentions, role))]
    return []


def clean_query(query: str) -> str:
    """User search text without the characters no database accepts (NUL)."""
    return query.replace("\x00", " ")


def fts5_query(query: str) -> str:
    """User text as a safe FTS5 query: every whitespace-separated term quoted, all terms required."""
    terms = [term for term in clean_query(query).split() if any(ch.isalnum() for ch in term)]
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def search_condition(query: str, dialect: str) -> ColumnElement[bool]:
    """True for articles matching the full-text query (never a syntax error)."""
    fts = fts5_query(query)
    if not fts:
        return sa.false()
    if dialect == "sqlite":
        matches = sa.text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts").bindparams(fts=fts)
        return sa.literal_column("articles.rowid").in_(matches.columns(sa.column("rowid", sa.Integer)))
    tsquery = sa.func.plainto_tsquery("simple", clean_query(query))
    return sa.literal_column("articles.search").op("@@")(tsquery)


_SQLITE_SEARCH = sa.text(
    "SELECT a.id, a.title, "
    f"snippet(articles_fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {SNIPPET_WORDS}) AS snippet, "
    "-bm25(articles_fts) AS rank "
    "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
    "WHERE articles_fts MATCH :fts ORDER BY bm25(articles_fts), a.id LIMIT :limit"
)

_PG_SEARCH = sa.text(
    "SELECT a.id, a.title, "
    "ts_headline('simple', a.title || E'\\n\\n' || left(a.text, 100000), q, "
    f"'StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords={SNIPPET_WORDS}, MinWords=5') AS snippet, "
    "ts_rank(a.search, q) AS rank "
    "FROM articles a, plainto_tsquery('simple', :query) q "
    "WHERE a.search @@ q ORDER BY rank DESC, a.id LIMIT :limit"
)


def search(conn: Connection, query: str, limit: int) -> list[SearchHit]:
    """Full-text search over titles and texts, best first."""
    fts = fts5_query(query)
    if not fts or limit <= 0:
        return []
    if conn.dialect.name == "sqlite":
        rows = conn.execute(_SQLITE_SEARCH, {"fts": fts, "limit": limit})
    else:
        rows = conn.execute(_PG_SEARCH, {"query": clean_query(query), "limit": limit})
    return [SearchHit(id=r.id, title=r.title, snippet=r.snippet, rank=float(r.rank)) for r in rows]
