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
latest = schema.article_latest


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


def current(pipeline_version: str | None = None) -> sa.FromClause:
    """(article_id, pipeline_version) of the analysis to use: the given version, or the newest saved."""
    if pipeline_version:
        chosen = sa.select(analyses.c.article_id, analyses.c.pipeline_version).where(
            analyses.c.pipeline_version == pipeline_version
        )
        return chosen.subquery("cur")
    return latest


def language_of() -> ColumnElement[str]:
    """The analysis language, else the article's."""
    return sa.func.coalesce(sa.func.nullif(analyses.c.language, ""), articles.c.language)


def newest(article_ids: list[str]) -> sa.Select[Any]:
    """The `latest` rows of these articles: their newest analysis (created last, then highest version)."""
    order = (analyses.c.created_at.desc(), analyses.c.pipeline_version.desc())
    ranked = (
        sa.select(
            analyses.c.article_id,
            analyses.c.pipeline_version,
            articles.c.source,
            articles.c.published,
            language_of().label("language"),
            analyses.c.status,
            sa.func.row_number().over(partition_by=analyses.c.article_id, order_by=order).label("rn"),
        )
        .select_from(analyses.join(articles, articles.c.id == analyses.c.article_id))
        .where(analyses.c.article_id.in_(article_ids))
        .subquery("ranked")
    )
    return sa.select(*[ranked.c[c.name] for c in latest.c]).where(ranked.c.rn == 1)


def same_key(table: sa.Table, cur: sa.FromClause) -> ColumnElement[bool]:
    """`table` rows of the analysis chosen by `cur`."""
    return sa.and_(table.c.article_id == cur.c.article_id, table.c.pipeline_version == cur.c.pipeline_version)


def joined(cur: sa.FromClause, *columns: Any) -> sa.Select[Any]:
    """SELECT columns FROM articles JOIN analyses (restricted to `cur`)."""
    source = articles.join(cur, cur.c.article_id == articles.c.id).join(analyses, same_key(analyses, cur))
    return sa.select(*columns).select_from(source)


def entity_match(table: sa.Table, entity: str) -> ColumnElement[bool]:
    return sa.or_(table.c.entity_id == entity, sa.func.lower(table.c.name) == entity.lower())


def role_match(table: sa.Table, role: str) -> ColumnElement[bool]:
    return sa.or_(table.c.main_role == role, table.c.fine_roles.contains(role_token(role), autoescape=True))


def count_newest(f: ArticleFilter, dialect: str) -> sa.Select[Any]:
    """SELECT COUNT of the articles whose newest analysis matches (joins analyses only when filtered on)."""
    source = articles.join(latest, latest.c.article_id == articles.c.id)
    if f.language or f.narrative or f.entity or f.role:  # the conditions that read analyses columns
        source = source.join(analyses, same_key(analyses, latest))
    return sa.select(sa.func.count()).select_from(source).where(*conditions(f, dialect))


def conditions(f: ArticleFilter, dialect: str) -> list[ColumnElement[bool]]:
    """WHERE clauses for a filter over the `joined` select."""
    out: list[ColumnElement[bool]] = []
    if f.outlet:
        out.append(articles.c.source == f.outlet)
    if f.language:
        out.append(language_of() == f.language)
    if f.date_from:
        out.append(sa.and_(articles.c.published != "", articles.c.published >= f.date_from))
    if f.date_to:
        out.append(sa.and_(articles.c.published != "", articles.c.published < _day_after(f.date_to)))
    if f.narrative:
        labels = schema.narrative_labels
        out.append(in_analyses(sa.select(*key_of(labels)).where(labels.c.label == f.narrative)))
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


def key_of(table: sa.Table) -> tuple[sa.Column[str], sa.Column[str]]:
    """(article_id, pipeline_version) of a child table."""
    return table.c.article_id, table.c.pipeline_version


def in_analyses(keys: sa.Select[str, str] | sa.CompoundSelect[str, str]) -> ColumnElement[bool]:
    """True for the analyses whose key is among `keys` (planners drive the join from that index)."""
    return sa.tuple_(analyses.c.article_id, analyses.c.pipeline_version).in_(keys)


def _entity_role(entity: str | None, role: str | None) -> list[ColumnElement[bool]]:
    ents, mentions = schema.entities, schema.mentions
    if entity and role:
        same_entity = sa.and_(
            ents.c.article_id == mentions.c.article_id,
            ents.c.pipeline_version == mentions.c.pipeline_version,
            ents.c.entity_id == mentions.c.entity_id,
        )
        linked = (
            sa.select(*key_of(mentions))
            .select_from(mentions.join(ents, same_entity))
            .where(entity_match(ents, entity), role_match(mentions, role))
        )
        framed = sa.select(*key_of(ents)).where(entity_match(ents, entity), role_match(ents, role))
        return [in_analyses(linked.union(framed))]
    if entity:
        return [in_analyses(sa.select(*key_of(ents)).where(entity_match(ents, entity)))]
    if role:
        return [in_analyses(sa.select(*key_of(mentions)).where(role_match(mentions, role)))]
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
        # "+" keeps SQLite walking the published index (a page stops early) instead of sorting every match
        return sa.literal_column("+articles.rowid").in_(matches.columns(sa.column("rowid", sa.Integer)))
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
