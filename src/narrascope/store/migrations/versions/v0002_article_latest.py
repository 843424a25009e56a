"""Fast reads: an article_latest table (the newest analysis per article) and indexes for every filter.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BACKFILL = (
    "INSERT INTO article_latest (article_id, pipeline_version, source, published, language, status) "
    "SELECT article_id, pipeline_version, source, published, language, status FROM ("
    "SELECT an.article_id, an.pipeline_version, ar.source, ar.published, "
    "coalesce(nullif(an.language, ''), ar.language) AS language, an.status, row_number() OVER ("
    "PARTITION BY an.article_id ORDER BY an.created_at DESC, an.pipeline_version DESC) AS rn "
    "FROM analyses an JOIN articles ar ON ar.id = an.article_id"
    ") AS ranked WHERE rn = 1"
)

_INDEXES = (  # the wide ones cover the columns listings and aggregates read, so no table row is visited
    "CREATE INDEX ix_articles_published_id ON articles (published DESC, id)",
    "CREATE INDEX ix_article_latest_published ON article_latest (published DESC, article_id)",
    "CREATE INDEX ix_analyses_facets ON analyses "
    "(article_id, pipeline_version, status, language, dominant_narrative)",
    "CREATE INDEX ix_narrative_labels_label_analysis ON narrative_labels (label, article_id, pipeline_version)",
    "CREATE INDEX ix_narrative_labels_level_label ON narrative_labels "
    "(level, label, article_id, pipeline_version)",
    "CREATE INDEX ix_entities_entity_name ON entities (entity_id, name, kind, article_id, pipeline_version)",
    "CREATE INDEX ix_entities_name_lower ON entities (lower(name))",
    "CREATE INDEX ix_mentions_entity_analysis ON mentions (entity_id, article_id, pipeline_version)",
    "CREATE INDEX ix_mentions_roles ON mentions (main_role, fine_roles, article_id, pipeline_version)",
    "CREATE INDEX ix_quotes_speaker_name_lower ON quotes (lower(speaker_name))",
)

_DROPPED = (  # each is the prefix of a wider index above
    ("ix_narrative_labels_label", "narrative_labels", ["label"]),
    ("ix_entities_entity", "entities", ["entity_id"]),
    ("ix_mentions_entity", "mentions", ["entity_id"]),
    ("ix_mentions_main_role", "mentions", ["main_role"]),
)


def upgrade() -> None:
    op.create_table(
        "article_latest",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("pipeline_version", sa.String(128), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("published", sa.String(32), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sqlite_with_rowid=False,  # a key lookup reads the whole row from the key's b-tree
    )
    op.execute(_BACKFILL)
    for name, table, _columns in _DROPPED:
        op.drop_index(name, table_name=table)
    for statement in _INDEXES:
        op.execute(statement)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE")


def downgrade() -> None:
    for statement in _INDEXES:
        name, table = statement.split()[2], statement.split()[4]
        op.drop_index(name, table_name=table)
    for name, table, columns in _DROPPED:
        op.create_index(name, table, columns)
    op.drop_table("article_latest")
