"""Initial schema: articles, analyses and their child rows, runs, stories, full-text search.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
    "content_rowid='rowid', tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
)

_PG_FTS = (
    "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', coalesce(title, '') || ' ' || left(coalesce(text, ''), 200000))) STORED",
    "CREATE INDEX ix_articles_search ON articles USING gin (search)",
)


def _key() -> list[sa.Column[str]]:
    return [
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("pipeline_version", sa.String(128), nullable=False),
    ]


def _create_articles() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("published", sa.String(32), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_articles_source", "articles", ["source"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_language", "articles", ["language"])


def _create_analyses() -> None:
    op.create_table(
        "analyses",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("pipeline_version", sa.String(128), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("dominant_narrative", sa.Text, nullable=False),
        sa.Column("dominant_subnarrative", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("embedding", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_analyses_status", "analyses", ["status"])
    op.create_index("ix_analyses_dominant_narrative", "analyses", ["dominant_narrative"])
    op.create_index("ix_analyses_article_created", "analyses", ["article_id", "created_at"])


def _create_children() -> None:
    op.create_table(
        "narrative_labels",
        *_key(),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
    )
    op.create_table(
        "mentions",
        *_key(),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("main_role", sa.Text, nullable=False),
        sa.Column("fine_roles", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
    )
    op.create_table(
        "entities",
        *_key(),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("main_role", sa.Text, nullable=False),
        sa.Column("fine_roles", sa.Text, nullable=False),
        sa.Column("descriptors", sa.JSON, nullable=False),
    )
    op.create_table(
        "quotes",
        *_key(),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("speaker_id", sa.Text, nullable=False),
        sa.Column("speaker_name", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    for table in ("narrative_labels", "mentions", "entities", "quotes"):
        op.create_index(f"ix_{table}_analysis", table, ["article_id", "pipeline_version"])
    op.create_index("ix_narrative_labels_label", "narrative_labels", ["label"])
    op.create_index("ix_mentions_entity", "mentions", ["entity_id"])
    op.create_index("ix_mentions_main_role", "mentions", ["main_role"])
    op.create_index("ix_entities_entity", "entities", ["entity_id"])
    op.create_index("ix_entities_name", "entities", ["name"])
    op.create_index("ix_quotes_speaker", "quotes", ["speaker_id"])


def _create_runs_and_stories() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_date", sa.String(32), nullable=False),
        sa.Column("last_date", sa.String(32), nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
    )
    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.Text, nullable=False),
        sa.Column("article_id", sa.String(64), primary_key=True),
    )
    op.create_index("ix_story_articles_story_id", "story_articles", ["story_id"])


def _create_search() -> None:
    dialect = op.get_bind().dialect.name
    statements = _SQLITE_FTS if dialect == "sqlite" else _PG_FTS if dialect == "postgresql" else ()
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _create_articles()
    _create_analyses()
    _create_children()
    _create_runs_and_stories()
    _create_search()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in ("story_articles", "stories", "runs", "quotes", "entities", "mentions"):
        op.drop_table(table)
    for table in ("narrative_labels", "analyses", "articles"):
        op.drop_table(table)
