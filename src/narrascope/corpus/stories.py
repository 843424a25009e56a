"""Time-aware, incremental clustering of articles into cross-language stories."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from narrascope.store import Store

DIM = 384


@dataclass
class StoryInput:
    """What clustering needs to know about one article."""

    id: str
    title: str = ""
    published: str = ""  # ISO date or ""
    embedding: Any = None  # L2-normalised vector (list or numpy); None/empty: cannot be placed
    entity_ids: list[str] = field(default_factory=list)
    language: str = ""


@dataclass
class StoryParams:
    """Clustering knobs: cosine threshold, entity bonus and the date window (days)."""

    threshold: float = 0.3  # cosine after per-language centering
    entity_bonus: float = 0.04  # added per shared canonical entity, up to `max_bonus`
    max_bonus: float = 0.08
    window_days: int = 21  # beyond it a story can still be joined, at `late_penalty` lower score
    late_penalty: float = 0.25
    top_k: int = 5  # candidate stories re-scored with entities
    top_entities: int = 12  # entities a story remembers
    shrink: int = 20  # a language's mean is removed in full only with many more articles than this


@dataclass
class Story:
    """A group of articles about one story; `centroid` is the normalised mean of its members."""

    id: str
    title: str
    article_ids: list[str]
    first_date: str = ""
    last_date: str = ""
    centroid: Any = None
    size: int = 0  # members with a vector (weights the running mean)
    entities: Counter[str] = field(default_factory=Counter)
    dates: dict[str, str] = field(default_factory=dict)  # article id -> date ("" undated)
    titles: dict[str, str] = field(default_factory=dict)
    title_score: float = -1.0

    @property
    def timeline(self) -> list[dict[str, str]]:
        """Dated members in date order (undated members are listed in `undated`)."""
        dated = [(d, a) for a, d in self.dates.items() if d]
        return [{"id": a, "date": d, "title": self.titles.get(a, "")} for d, a in sorted(dated)]

    @property
    def undated(self) -> list[str]:
        return sorted(a for a in self.article_ids if not self.dates.get(a))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: id, title, articles, timeline, undated count, first/last date."""
        return {
            "id": self.id,
            "title": self.title,
            "articles": list(self.article_ids),
            "article_ids": list(self.article_ids),
            "first_date": self.first_date,
            "last_date": self.last_date,
            "timeline": self.timeline,
            "undated": len(self.undated),
        }


def story_id(first_member: str) -> str:
    """A stable story id from the id of the article that opened it."""
    return f"story-{first_member[:16]}"


def _day(published: str) -> int | None:
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def _vector(embedding: Any) -> np.ndarray | None:
    if embedding is None or len(embedding) == 0:
        return None
    vec = np.asarray(embedding, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else None


class _Index:
    """Story centroids as one growing matrix plus the last day each story was seen."""

    def __init__(self, dim: int) -> None:
        self.matrix = np.zeros((64, dim), dtype=np.float32)
        self.last_day = np.full(64, -(10**9), dtype=np.int64)
        self.stories: list[Story] = []

    def add(self, story: Story, day: int | None) -> int:
        row = len(self.stories)
        if row == len(self.matrix):
            self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
            self.last_day = np.concatenate([self.last_day, np.full(row, -(10**9), dtype=np.int64)])
        self.stories.append(story)
        if story.centroid is not None:
            self.matrix[row] = story.centroid
        self.last_day[row] = day if day is not None else self.last_day[row]
        return row


def cluster_stories(
    items: Sequence[StoryInput],
    existing: Sequence[Story] | None = None,
    params: StoryParams | None = None,
) -> list[Story]:
    """Place each item in the best existing story (cosine + shared entities, within the date window) or open one.

    Items are processed in date order (undated last), so ids and results do not depend on input order.
    Existing stories keep their ids; items already in a story are left where they are.
    """
    p = params or StoryParams()
    stories = [s for s in existing or []]
    placed = {a for s in stories for a in s.article_ids}
    todo = center_by_language(sorted((i for i in items if i.id not in placed), key=_order_key), p.shrink)
    dim = _dimension(todo, stories)
    index = _Index(dim)
    for story in stories:
        index.add(story, _day(story.last_date))
    for item in todo:
        _place(item, index, p)
    for story in index.stories:
        _finish(story)
    return index.stories


def center_by_language(items: Sequence[StoryInput], shrink: int = 20) -> list[StoryInput]:
    """Subtract each language's mean vector: e5 means carry language and genre more than story.

    The mean blends the items' own mean (weight n) with a shipped background mean (weight `shrink`),
    so a small one-story corpus is not centred onto itself.
    """
    groups: dict[str, list[tuple[int, np.ndarray]]] = {}
    for k, item in enumerate(items):
        vec = _vector(item.embedding)
        if vec is not None:
            groups.setdefault(item.language, []).append((k, vec))
    background = language_means()
    out = list(items)
    for lang, rows in groups.items():
        own = np.sum([vec for _, vec in rows], axis=0)
        prior = background.get(lang)
        weight = len(rows) + shrink
        mean = (own + shrink * prior) / weight if prior is not None else own / weight
        for k, vec in rows:
            out[k] = dataclasses.replace(items[k], embedding=vec - mean)
    return out


@functools.lru_cache(maxsize=1)
def language_means() -> dict[str, np.ndarray]:
    """Background mean article vector per language (scripts/story_language_means.py rebuilds it)."""
    path = Path(__file__).parent / "data" / "language_means.npz"
    if not path.exists():
        return {}
    with np.load(path) as data:
        return {lang: data[lang].astype(np.float32) for lang in data.files}


def _order_key(item: StoryInput) -> tuple[int, str, str]:
    day = _day(item.published)
    return (0 if day is not None else 1, item.published[:10], item.id)


def _dimension(items: Sequence[StoryInput], stories: Sequence[Story]) -> int:
    for story in stories:
        if story.centroid is not None:
            return len(story.centroid)
    for item in items:
        if item.embedding is not None and len(item.embedding):
            return len(item.embedding)
    return DIM


def _place(item: StoryInput, index: _Index, p: StoryParams) -> None:
    vec = _vector(item.embedding)
    day = _day(item.published)
    row = _best(vec, day, item.entity_ids, index, p) if vec is not None else None
    if row is None:
        story = Story(id=story_id(item.id), title=item.title, article_ids=[])
        row = index.add(story, day)
    _join(index, row, item, vec, day, p)


def _best(
    vec: np.ndarray, day: int | None, entity_ids: list[str], index: _Index, p: StoryParams
) -> int | None:
    n = len(index.stories)
    if n == 0:
        return None
    sims = index.matrix[:n] @ vec
    if day is not None:
        sims = np.where(index.last_day[:n] >= day - p.window_days, sims, sims - p.late_penalty)
    k = min(p.top_k, n)
    top = np.argpartition(-sims, k - 1)[:k]
    best, best_score = None, p.threshold
    for row in top:
        if sims[row] < p.threshold - p.max_bonus:
            continue
        score = float(sims[row]) + _bonus(index.stories[row], entity_ids, p)
        if score >= best_score:
            best, best_score = int(row), score
    return best


def _bonus(story: Story, entity_ids: Iterable[str], p: StoryParams) -> float:
    shared = sum(1 for e in set(entity_ids) if e in story.entities)
    return min(p.max_bonus, p.entity_bonus * shared)


def _join(
    index: _Index, row: int, item: StoryInput, vec: np.ndarray | None, day: int | None, p: StoryParams
) -> None:
    story = index.stories[row]
    story.article_ids.append(item.id)
    story.dates[item.id] = item.published[:10] if day is not None else ""
    story.titles[item.id] = item.title
    story.entities.update(set(item.entity_ids))
    if len(story.entities) > p.top_entities * 4:
        story.entities = Counter(dict(story.entities.most_common(p.top_entities * 2)))
    if vec is not None:
        mean = vec if story.centroid is None else (story.centroid * story.size + vec) / (story.size + 1)
        story.centroid = mean / max(float(np.linalg.norm(mean)), 1e-12)
        story.size += 1
        index.matrix[row] = story.centroid
        score = float(vec @ story.centroid)
        if score > story.title_score or not story.title:
            story.title, story.title_score = item.title or story.title, score
    if day is not None:
        index.last_day[row] = max(int(index.last_day[row]), day)


def _finish(story: Story) -> None:
    dates = sorted(d for d in story.dates.values() if d)
    if dates:
        story.first_date = min(dates + ([story.first_date] if story.first_date else []))
        story.last_date = max(dates + ([story.last_date] if story.last_date else []))


def retitle(story: Story, vectors: dict[str, np.ndarray]) -> None:
    """Title the story with its most central member (highest cosine to the centroid)."""
    if story.centroid is None:
        return
    scored = [(float(vectors[a] @ story.centroid), a) for a in story.article_ids if a in vectors]
    if scored:
        score, best = max(scored)
        story.title, story.title_score = story.titles.get(best, story.title), score


# ---------------------------------------------------------------- store wiring


def update_stories(store: Store, params: StoryParams | None = None) -> list[Story]:
    """Cluster the stored analyses incrementally against the stored stories and save the result."""
    items = {i.id: i for i in _stored_items(store)}
    existing = _stored_stories(store, items)
    stories = cluster_stories(list(items.values()), existing, params)
    vectors = {i.id: v for i in items.values() if (v := _vector(i.embedding)) is not None}
    for story in stories:
        retitle(story, vectors)
    store.save_stories([s.to_dict() for s in stories if s.article_ids])
    return sorted((s for s in stories if s.article_ids), key=lambda s: (s.last_date, s.id), reverse=True)


def _stored_items(store: Store) -> Iterable[StoryInput]:
    for article, analysis in store.results():
        if analysis.status != "ok":
            continue
        yield StoryInput(
            id=article.id,
            title=article.title or article.text[:80],
            published=article.published,
            embedding=analysis.embedding,
            entity_ids=sorted({e.id for e in analysis.entities if e.id}),
            language=analysis.language or article.language,
        )


def _stored_stories(store: Store, items: dict[str, StoryInput]) -> list[Story]:
    """Stored stories rebuilt with centroids and entities from their members' analyses."""
    out: list[Story] = []
    for row in store.stories():
        members = [a for a in row["article_ids"] if a in items]
        if not members:
            continue
        story = Story(id=row["id"], title=row["title"], article_ids=[], first_date="", last_date="")
        index = _Index(_dimension([items[a] for a in members], []))
        index.add(story, None)
        for article_id in members:
            item = items[article_id]
            _join(index, 0, item, _vector(item.embedding), _day(item.published), StoryParams())
        story.title = row["title"] or story.title
        _finish(story)
        out.append(story)
    return out
