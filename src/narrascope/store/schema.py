"""The tables of the store as SQLAlchemy Core objects (the migrations create them)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False, default=""),
    sa.Column("title", sa.Text, nullable=False, default=""),
    sa.Column("text", sa.Text, nullable=False, default=""),
    sa.Column("source", sa.Text, nullable=False, default=""),
    sa.Column("url", sa.Text, nullable=False, default=""),
    sa.Column("published", sa.String(32), nullable=False, default=""),
    sa.Column("language", sa.String(16), nullable=False, default=""),
    sa.Column("meta", sa.JSON, nullable=False),
    sa.Column("ingested_at", sa.DateTime, nullable=False),
)

analyses = sa.Table(
    "analyses",
    metadata,
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("pipeline_version", sa.String(128), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("language", sa.String(16), nullable=False, default=""),
    sa.Column("dominant_narrative", sa.Text, nullable=False, default=""),
    sa.Column("dominant_subnarrative", sa.Text, nullable=False, default=""),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("embedding", sa.LargeBinary, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)


article_latest = sa.Table(
    "article_latest",
    metadata,
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("pipeline_version", sa.String(128), nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # copies of the article's facets, for aggregates
    sa.Column("published", sa.String(32), nullable=False),
    sa.Column("language", sa.String(16), nullable=False),  # the analysis language, else the article's
    sa.Column("status", sa.String(16), nullable=False),
    sqlite_with_rowid=False,
)
"""The newest analysis of every analysed article (newest created_at, then highest version), kept by save()."""


def _analysis_key() -> list[sa.Column[str]]:
    return [
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("pipeline_version", sa.String(128), nullable=False),
    ]


narrative_labels = sa.Table(
    "narrative_labels",
    metadata,
    *_analysis_key(),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
)

mentions = sa.Table(
    "mentions",
    metadata,
    *_analysis_key(),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("main_role", sa.Text, nullable=False),
    sa.Column("fine_roles", sa.Text, nullable=False),  # JSON-encoded list of strings
    sa.Column("confidence", sa.Float, nullable=False),
)

entities = sa.Table(
    "entities",
    metadata,
    *_analysis_key(),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("main_role", sa.Text, nullable=False),
    sa.Column("fine_roles", sa.Text, nullable=False),  # JSON-encoded list of strings
    sa.Column("descriptors", sa.JSON, nullable=False),
)

quotes = sa.Table(
    "quotes",
    metadata,
    *_analysis_key(),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("speaker_id", sa.Text, nullable=False),
    sa.Column("speaker_name", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_date", sa.String(32), nullable=False),
    sa.Column("last_date", sa.String(32), nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
)

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column("story_id", sa.Text, nullable=False),
    sa.Column("article_id", sa.String(64), primary_key=True),
)

CHILD_TABLES = (narrative_labels, mentions, entities, quotes)
