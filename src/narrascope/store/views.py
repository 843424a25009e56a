"""Extra read queries for the API and dashboard (light article rows for a set of ids)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from narrascope.store import schema
from narrascope.store.queries import ArticleRow, current, joined
from narrascope.store.store import CHUNK, Store

articles = schema.articles
analyses = schema.analyses


def article_rows(store: Store, ids: Sequence[str]) -> list[ArticleRow]:
    """Listing rows of these articles (newest analysis each), in publication order; unknown ids left out."""
    language = sa.func.coalesce(sa.func.nullif(analyses.c.language, ""), articles.c.language)
    columns = (
        articles.c.id,
        articles.c.title,
        articles.c.source,
        articles.c.published,
        language.label("language"),
        analyses.c.status,
        analyses.c.dominant_narrative,
    )
    unique = list(dict.fromkeys(ids))
    rows: list[ArticleRow] = []
    with store.engine.connect() as conn:
        for i in range(0, len(unique), CHUNK):
            query = joined(current(), *columns).where(articles.c.id.in_(unique[i : i + CHUNK]))
            rows.extend(ArticleRow(**row._mapping) for row in conn.execute(query))
    return sorted(rows, key=lambda r: (r.published, r.id))
