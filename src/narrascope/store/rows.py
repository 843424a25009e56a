"""Conversions between records (Article, ArticleAnalysis) and table rows."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlalchemy as sa

from narrascope.records import Article, ArticleAnalysis, Mention
from narrascope.store import schema

EMBEDDING_DTYPE = np.dtype("<f4")  # float32, little-endian on every platform


def utcnow() -> datetime:
    """Naive UTC timestamp (the same on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def pack_embedding(vector: list[float]) -> bytes | None:
    return np.asarray(vector, dtype=EMBEDDING_DTYPE).tobytes() if vector else None


def unpack_embedding(blob: bytes | None) -> np.ndarray:
    if not blob:
        return np.zeros(0, dtype=np.float32)
    return np.frombuffer(blob, dtype=EMBEDDING_DTYPE).astype(np.float32)


def article_values(article: Article, now: datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "name": article.name,
        "title": article.title,
        "text": article.text,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "meta": dict(article.meta),
        "ingested_at": now,
    }


def article_from_row(row: sa.Row[Any]) -> Article:
    return Article(
        title=row.title,
        text=row.text,
        id=row.id,
        name=row.name,
        source=row.source,
        url=row.url,
        published=row.published,
        language=row.language,
        meta=dict(row.meta or {}),
    )


def analysis_values(analysis: ArticleAnalysis, now: datetime) -> dict[str, Any]:
    data = analysis.to_dict()
    data.pop("embedding", None)
    return {
        "article_id": analysis.article_id,
        "pipeline_version": analysis.pipeline_version,
        "status": analysis.status,
        "reason": analysis.reason,
        "language": analysis.language,
        "dominant_narrative": analysis.dominant_narrative,
        "dominant_subnarrative": analysis.dominant_subnarrative,
        "data": data,
        "embedding": pack_embedding(analysis.embedding),
        "created_at": now,
    }


def analysis_from_row(data: dict[str, Any], embedding: bytes | None) -> ArticleAnalysis:
    full = dict(data)
    full["embedding"] = unpack_embedding(embedding).tolist()
    return ArticleAnalysis.from_dict(full)


def child_rows(analysis: ArticleAnalysis) -> dict[sa.Table, list[dict[str, Any]]]:
    """The query-side rows of one analysis: labels, mentions, entities, quotes."""
    key = {"article_id": analysis.article_id, "pipeline_version": analysis.pipeline_version}
    return {
        schema.narrative_labels: [
            {**key, "label": n.label, "level": n.level, "confidence": n.confidence}
            for n in [*analysis.narratives, *analysis.subnarratives]
        ],
        schema.mentions: [{**key, **_mention(m)} for m in analysis.mentions],
        schema.entities: [
            {
                **key,
                "entity_id": e.id,
                "name": e.name,
                "kind": e.kind,
                "main_role": e.main_role,
                "fine_roles": encode_roles(e.fine_roles),
                "descriptors": [dataclasses.asdict(span) for span in e.descriptors],
            }
            for e in analysis.entities
        ],
        schema.quotes: [
            {
                **key,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "speaker_id": q.speaker.id if q.speaker else "",
                "speaker_name": q.speaker.name if q.speaker else "",
                "source": q.source,
                "kind": q.kind,
            }
            for q in analysis.quotes
        ],
    }


def _mention(m: Mention) -> dict[str, Any]:
    role = m.role
    return {
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "kind": m.kind,
        "entity_id": m.entity_id,
        "main_role": role.main if role else "",
        "fine_roles": encode_roles(role.fine if role else []),
        "confidence": role.confidence if role else 0.0,
    }


def encode_roles(roles: list[str]) -> str:
    """Fine roles as a JSON list in a text column; `role_token` finds one with LIKE."""
    return json.dumps(list(roles), ensure_ascii=False)


def decode_roles(text: str) -> list[str]:
    value = json.loads(text or "[]")
    return [str(v) for v in value] if isinstance(value, list) else []


def role_token(role: str) -> str:
    """The substring a fine_roles column holds when it contains `role`."""
    return json.dumps(role, ensure_ascii=False)
