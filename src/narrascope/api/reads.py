"""The reads behind every route, shared by the JSON API and the HTML pages (two renderings, one query)."""

from __future__ import annotations

import dataclasses
import importlib
import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from narrascope.api.errors import ApiError
from narrascope.records import article_to_dict
from narrascope.store import ArticleFilter, Store
from narrascope.store.views import article_rows

log = logging.getLogger(__name__)
T = TypeVar("T")
CACHE_SECONDS = 5.0  # corpus aggregates are recomputed at most this often
TOP_TREND_LABELS = 8


class Cache:
    """A thread-safe time-limited memo for corpus aggregates; cleared when a job writes.

    One thread computes a key at a time: the others wait for that value, or, once it has expired,
    get the expired value while it is refreshed (so a slow aggregate never stalls every reader).
    """

    def __init__(self, seconds: float = CACHE_SECONDS) -> None:
        self.seconds = seconds
        self._items: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._computing: dict[tuple[Any, ...], threading.Lock] = {}
        self._generation = 0  # bumped by clear(): a value computed across a clear is not kept
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        with self._lock:
            hit = self._items.get(key)
            computing = self._computing.setdefault(key, threading.Lock())
        if hit is not None and hit[0] > time.monotonic():
            value: T = hit[1]
            return value
        if hit is not None and not computing.acquire(blocking=False):
            stale: T = hit[1]  # another thread is refreshing it
            return stale
        if hit is None:
            computing.acquire()
        try:
            return self._compute(key, compute)
        finally:
            computing.release()

    def _compute(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The fresh value (computed by a thread that held the key's lock meanwhile, or now)."""
        with self._lock:
            hit = self._items.get(key)
            generation = self._generation
        if hit is not None and hit[0] > time.monotonic():
            fresh: T = hit[1]
            return fresh
        value = compute()
        with self._lock:
            if generation == self._generation:
                self._items[key] = (time.monotonic() + self.seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._generation += 1


def page(store: Store, f: ArticleFilter) -> dict[str, Any]:
    """One page of the filtered article list with the total."""
    total, rows = store.list_articles(f)
    return {
        "total": total,
        "limit": f.limit,
        "offset": f.offset,
        "items": [dataclasses.asdict(r) for r in rows],
    }


def article(store: Store, article_id: str) -> dict[str, Any]:
    """The article with its newest analysis; 404 when unknown."""
    found = store.article(article_id)
    if found is None:
        raise ApiError(404, f"no article with id {article_id!r}")
    analysis = store.analysis(article_id)
    return {"article": article_to_dict(found), "analysis": analysis.to_dict() if analysis else None}


def search(store: Store, query: str, limit: int) -> dict[str, Any]:
    hits = store.search(query, limit)
    return {"query": query, "hits": [dataclasses.asdict(h) for h in hits]}


def overview(store: Store, cache: Cache) -> dict[str, Any]:
    """Everything the overview page charts: totals, labels, weekly trends, outlet heatmap, roles."""
    return cache.get(("overview",), lambda: _overview(store))


def _overview(store: Store) -> dict[str, Any]:
    narratives = store.narrative_counts("narrative")
    weekly = store.narrative_counts("narrative", by="week")
    top = list(narratives)[:TOP_TREND_LABELS]
    return {
        "counts": store.counts(),
        "narratives": narratives,
        "subnarratives": store.narrative_counts("subnarrative"),
        "weekly": {week: {k: v for k, v in row.items() if k in top} for week, row in weekly.items()},
        "by_outlet": store.narrative_counts("narrative", by="outlet"),
        "roles": store.role_counts(),
        "entities": store.top_entities(15),
    }


def narratives(store: Store, cache: Cache, level: str) -> dict[str, Any]:
    counts = cache.get(("narratives", level), lambda: store.narrative_counts(level))
    return {"level": level, "counts": counts}


def trends(store: Store, cache: Cache, level: str, by: str) -> dict[str, Any]:
    groups = cache.get(("trends", level, by), lambda: store.narrative_counts(level, by=by))
    return {"level": level, "by": by, "groups": groups}


def roles(store: Store, cache: Cache, by: str | None) -> dict[str, Any]:
    return {"by": by, "counts": cache.get(("roles", by), lambda: store.role_counts(by))}


def entities(store: Store, cache: Cache, limit: int) -> dict[str, Any]:
    return {"items": cache.get(("entities", limit), lambda: store.top_entities(limit))}


def entity(store: Store, key: str, quote_limit: int = 20) -> dict[str, Any]:
    """How outlets frame one entity (id or name), with its quotes; 404 when unknown."""
    summary = store.entity_summary(key)
    if summary is None:
        raise ApiError(404, f"no entity {key!r}")
    summary["quotes"] = store.quotes(summary["entity_id"], quote_limit)
    return summary


def quotes(store: Store, entity_key: str | None, limit: int) -> dict[str, Any]:
    return {"items": store.quotes(entity_key or None, limit)}


def stories(store: Store, cache: Cache) -> dict[str, Any]:
    items = cache.get(("stories",), store.stories)
    return {"items": [{**s, "articles": len(s["article_ids"])} for s in items]}


def story(store: Store, story_id: str) -> dict[str, Any]:
    """One story: its articles, a per-day timeline by outlet, and the per-outlet comparison."""
    found = next((s for s in store.stories() if s["id"] == story_id), None)
    if found is None:
        raise ApiError(404, f"no story with id {story_id!r}")
    rows = article_rows(store, found["article_ids"])
    timeline: dict[str, Counter[str]] = defaultdict(Counter)
    narratives: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        timeline[row.published[:10] or "undated"][row.source or "unknown"] += 1
        narratives[row.source or "unknown"][row.dominant_narrative or "none"] += 1
    return {
        "story": found,
        "articles": [dataclasses.asdict(r) for r in rows],
        "timeline": {day: dict(c) for day, c in sorted(timeline.items())},
        "narratives_per_outlet": {k: dict(c.most_common()) for k, c in sorted(narratives.items())},
        "comparison": compare(store, story_id),
    }


def compare(store: Store, story_id: str | None = None) -> dict[str, Any] | None:
    """The corpus outlet comparison (narrascope.corpus.compare), or None when that module is absent."""
    try:
        module = importlib.import_module("narrascope.corpus.compare")
    except ImportError:
        return None
    try:
        result: dict[str, Any] = module.compare_store(store, story_id=story_id)
    except Exception:  # a corpus view failing must not take the page down
        log.exception("outlet comparison failed for story %s", story_id)
        return None
    return result
