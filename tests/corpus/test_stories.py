"""Story clustering: grouping across languages, incremental joins, stable ids, undated members, scale."""

from __future__ import annotations

import numpy as np

from narrascope.corpus.stories import (
    Story,
    StoryInput,
    StoryParams,
    cluster_stories,
    story_id,
    update_stories,
)
from narrascope.records import Article, ArticleAnalysis, Entity
from narrascope.store import open_store

RNG = np.random.default_rng(7)
TOPICS = RNG.normal(size=(3, 384)).astype(np.float32)


def vec(topic: int, noise: float = 0.05) -> np.ndarray:
    v = (
        TOPICS[topic]
        + RNG.normal(scale=noise, size=384).astype(np.float32) * np.linalg.norm(TOPICS[topic]) / 20
    )
    return v / np.linalg.norm(v)


def item(
    aid: str, topic: int, date: str = "2025-03-01", lang: str = "xx", ents: list[str] | None = None
) -> StoryInput:
    return StoryInput(aid, f"title {aid}", date, vec(topic), ents or [], lang)


def groups(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


def test_groups_by_topic_across_languages() -> None:
    items = [
        item("a1", 0, lang="xx"),
        item("a2", 0, lang="yy"),
        item("b1", 1, lang="xx"),
        item("b2", 1, lang="yy"),
    ]
    stories = cluster_stories(items)
    assert groups(stories) == {frozenset({"a1", "a2"}), frozenset({"b1", "b2"})}


def test_language_component_is_removed_before_comparing() -> None:
    """e5-like vectors: a big shared per-language part plus a small story part."""
    lang_part = {lang: RNG.normal(size=384).astype(np.float32) * 3 for lang in ("xx", "yy")}

    def e5_like(aid: str, topic: int, lang: str) -> StoryInput:
        v = lang_part[lang] + vec(topic) * 1.0
        return StoryInput(aid, aid, "2025-03-01", v / np.linalg.norm(v), [], lang)

    items = [e5_like(f"{lang}{t}{k}", t, lang) for lang in ("xx", "yy") for t in (0, 1) for k in range(6)]
    found = groups(cluster_stories(items, params=StoryParams(shrink=0)))
    assert found == {frozenset(i.id for i in items if i.id[2] == str(t)) for t in (0, 1)}


def test_ids_are_stable_and_independent_of_input_order() -> None:
    items = [item("a1", 0, "2025-03-01"), item("a2", 0, "2025-03-03"), item("b1", 1, "2025-03-02")]
    first = {s.id for s in cluster_stories(items)}
    again = {s.id for s in cluster_stories(list(reversed(items)))}
    assert first == again == {story_id("a1"), story_id("b1")}


def test_incremental_join_keeps_existing_ids() -> None:
    stories = cluster_stories([item("a1", 0), item("b1", 1)])
    more = cluster_stories([item("a2", 0, "2025-03-05"), item("c1", 2, "2025-03-05")], existing=stories)
    by_id = {s.id: set(s.article_ids) for s in more}
    assert by_id[story_id("a1")] == {"a1", "a2"}
    assert by_id[story_id("c1")] == {"c1"}


def test_undated_members_have_no_timeline_position_but_are_counted() -> None:
    stories = cluster_stories([item("a1", 0, "2025-03-02"), item("a2", 0, ""), item("a3", 0, "2025-03-01")])
    assert len(stories) == 1
    data = stories[0].to_dict()
    assert [t["id"] for t in data["timeline"]] == ["a3", "a1"]
    assert data["undated"] == 1 and set(data["articles"]) == {"a1", "a2", "a3"}
    assert data["first_date"] == "2025-03-01" and data["last_date"] == "2025-03-02"


def test_far_apart_dates_need_a_higher_similarity() -> None:
    params = StoryParams(threshold=0.3, late_penalty=2.0, window_days=10)
    stories = cluster_stories([item("a1", 0, "2025-01-01"), item("a2", 0, "2025-06-01")], params=params)
    assert len(stories) == 2


def test_article_without_vector_gets_its_own_story() -> None:
    stories = cluster_stories([item("a1", 0), StoryInput("x", "no vector", "2025-03-01", None)])
    assert groups(stories) == {frozenset({"a1"}), frozenset({"x"})}


def test_shared_entities_tip_a_borderline_article_in() -> None:
    a, b = vec(0), vec(1)
    mix = a + b
    mix /= np.linalg.norm(mix)
    items = [
        StoryInput("a1", "", "2025-03-01", a, ["e:lukashenko"]),
        StoryInput("m", "", "2025-03-02", mix, ["e:lukashenko"]),
    ]
    strict = StoryParams(threshold=0.75, entity_bonus=0.0, max_bonus=0.0, shrink=10**6)
    loose = StoryParams(threshold=0.75, entity_bonus=0.1, max_bonus=0.1, shrink=10**6)
    sim = float(mix @ a)
    assert 0.65 < sim < 0.75
    assert len(cluster_stories(items, params=strict)) == 2
    assert len(cluster_stories(items, params=loose)) == 1


def test_many_vectors_stay_fast() -> None:
    items = [item(f"a{i:05d}", i % 3, f"2025-03-{1 + i % 28:02d}") for i in range(3000)]
    stories = cluster_stories(items)
    assert len(stories) == 3


def test_update_stories_reads_and_saves_the_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(str(tmp_path / "s.db"))
    pairs = []
    for aid, topic, date in [("one", 0, "2025-03-01"), ("two", 0, "2025-03-02"), ("three", 1, "")]:
        article = Article(title=f"Title {aid}", text=f"text {aid}", source="Wire", published=date)
        analysis = ArticleAnalysis(article_id=article.id, language="xx", embedding=vec(topic).tolist())
        analysis.entities = [Entity("e1", "Someone")]
        pairs.append((article, analysis))
    store.save(pairs)
    stories = update_stories(store)
    assert sorted(len(s.article_ids) for s in stories) == [1, 2]
    saved = store.stories()
    assert {s["id"] for s in saved} == {s.id for s in stories}
    again = update_stories(store)
    assert {s.id for s in again} == {s.id for s in stories}
    store.close()
