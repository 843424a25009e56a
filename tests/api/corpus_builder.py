"""Hand-built test corpora for the API and dashboard: a small normal corpus and a hostile-HTML one."""

from __future__ import annotations

from pathlib import Path

from narrascope.records import (
    Article,
    ArticleAnalysis,
    Entity,
    Explanation,
    Mention,
    NarrativeLabel,
    Quote,
    RoleLabel,
    Span,
    Speaker,
)
from narrascope.store import open_store

Pair = tuple[Article, ArticleAnalysis]
OUTLETS = ("Daily Example", "Evening Sample", "Morning Probe")
NARRATIVES = (
    "URW: Blaming the war on others rather than the invader",
    "CC: Criticism of climate policies",
    "URW: Discrediting Ukraine",
)
SUBNARRATIVES = {
    NARRATIVES[0]: NARRATIVES[0] + ": The West are the aggressors",
    NARRATIVES[1]: NARRATIVES[1] + ": Climate policies are only for profit",
    NARRATIVES[2]: NARRATIVES[2] + ": Discrediting Ukrainian government and officials and policies",
}
PEOPLE = (
    ("Q1", "Maria Keller", "Protagonist", ["Guardian"]),
    ("Q2", "Viktor Orlan", "Antagonist", ["Instigator"]),
)
HOSTILE = [
    '<script>alert("title")</script>',
    '<img src=x onerror="alert(1)">',
    "</textarea><svg onload=alert(2)>",
    '"><iframe src="javascript:alert(3)"></iframe>',
    "{{ 7*7 }} ${alert(4)} </script><b id=injected>bold</b>",
]


def analysed(article: Article, i: int, *, hostile: bool = False) -> ArticleAnalysis:
    """A full analysis of `article`: narratives with evidence, mentions with roles, a quote, an explanation."""
    full = article.full_text
    title_span = Span(0, len(article.title), article.title)
    narrative = NARRATIVES[i % len(NARRATIVES)]
    label = HOSTILE[i % len(HOSTILE)] if hostile else narrative
    sub = SUBNARRATIVES[narrative] if not hostile else label + ": sub"
    ev = Span(len(article.title) + 2, min(len(full), len(article.title) + 40), "")
    pid, name, main, fine = PEOPLE[i % 2]
    start = full.find(name)
    mentions, entities, quotes = [], [], []
    if start >= 0:
        role = RoleLabel(main, list(fine), 0.8, [ev])
        mentions.append(Mention(start, start + len(name), name, "PER", pid, role))
        entities.append(
            Entity(pid, name, "PER", [], [Span(start, start + len(name), name)], main, list(fine))
        )
        q = full.find("“")
        if q >= 0:
            end = full.index("”", q)
            quotes.append(Quote(full[q + 1 : end], q + 1, end, Speaker(pid, name), "said", "direct"))
    return ArticleAnalysis(
        article_id=article.id,
        pipeline_version="test-1",
        language="en",
        sentences=[title_span, Span(len(article.title) + 2, len(full), article.text)],
        narratives=[NarrativeLabel(label, "narrative", 0.9, [ev, title_span], "because")],
        subnarratives=[NarrativeLabel(sub, "subnarrative", 0.7, [ev])],
        dominant_narrative=label,
        dominant_subnarrative=sub,
        mentions=mentions,
        entities=entities,
        quotes=quotes,
        explanation=Explanation(f"The text blames others ({label}).", label, sub, [ev]),
    )


def normal_pairs(n: int = 24) -> list[Pair]:
    pairs = []
    for i in range(n):
        _pid, name, _main, _fine = PEOPLE[i % 2]
        text = (
            f"{name} spoke in the capital on day {i}. She said: “We will not accept this, number {i}.” "
            f"Officials replied that grain exports and energy prices remain the topic of week {i % 4}."
        )
        article = Article(
            title=f"Report {i}: talks on energy and grain",
            text=text,
            name=f"doc{i}.txt",
            source=OUTLETS[i % len(OUTLETS)],
            url=f"https://example.org/{i}",
            published=f"2025-01-{1 + (i * 3) % 28:02d}",
            language="en",
        )
        pairs.append((article, analysed(article, i)))
    return pairs


def hostile_pairs() -> list[Pair]:
    pairs = []
    for i, payload in enumerate(HOSTILE):
        text = f"Maria Keller wrote {payload} here. She said: “{payload} now.” End {payload}."
        article = Article(
            title=f"Hostile {i} {payload}",
            text=text,
            name=f"hostile{i}.txt",
            source=f"Outlet {payload}",
            url="javascript:alert(5)",
            published=f"2025-02-{1 + i:02d}",
            language="en",
        )
        pairs.append((article, analysed(article, 0 if i % 2 == 0 else 1, hostile=True)))
    return pairs


def stories_for(pairs: list[Pair]) -> list[dict[str, object]]:
    ids = [a.id for a, _ in pairs]
    dates = sorted(a.published for a, _ in pairs)
    return [
        {
            "id": "s1",
            "title": "Grain talks",
            "first_date": dates[0],
            "last_date": dates[-1],
            "article_ids": ids[:12],
        },
        {
            "id": "s2",
            "title": "Energy prices",
            "first_date": dates[0],
            "last_date": dates[-1],
            "article_ids": ids[12:],
        },
    ]


def build_db(path: Path, *, hostile: bool = False) -> str:
    """Write a corpus database at `path`; returns the path as a string."""
    pairs = hostile_pairs() if hostile else normal_pairs()
    store = open_store(str(path))
    try:
        store.save(pairs)
        story_list = stories_for(pairs)
        if hostile:
            story_list = [{**story_list[0], "title": HOSTILE[0], "article_ids": [a.id for a, _ in pairs]}]
        store.save_stories(story_list)
    finally:
        store.close()
    return str(path)


# Every dashboard page, addressed on the corpus build_db() writes (entity Q1, story s1).
PAGES = [
    "/",
    "/articles",
    "/articles?q=grain",
    "/entities",
    "/entities/Q1",
    "/stories",
    "/stories/s1",
    "/ingest",
]
