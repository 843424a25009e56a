"""Store fixtures: every store test runs on SQLite (tmp_path) and on a throw-away PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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
from narrascope.store import Store, open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for tests.pg
from tests.pg import create_database, postgres_url

__all__ = ["postgres_url"]

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
Pair = tuple[Article, ArticleAnalysis]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL (or SQLite path) of a database that does not exist yet / is empty."""
    if request.param == "sqlite":
        return str(tmp_path / "narrascope.db")
    return create_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


def build_pair(
    title: str,
    text: str,
    *,
    source: str = "Daily Example",
    published: str = "2025-01-06",
    language: str = "en",
    version: str = "v1",
    status: str = "ok",
    narrative: str = "",
    subnarrative: str = "",
    entity: tuple[str, str] | None = None,  # (id, name)
    role: tuple[str, list[str]] | None = None,  # (main, fine)
    quote_speaker: bool = False,
) -> Pair:
    """A hand-built article and analysis; the entity is mentioned at the first word of the text."""
    article = Article(title=title, text=text, source=source, published=published, name=f"{title}.txt")
    offset = len(title) + 2
    first = text.split()[0]
    analysis = ArticleAnalysis(
        article_id=article.id, pipeline_version=version, status=status, language=language
    )  # type: ignore[arg-type]
    if narrative:
        analysis.narratives = [NarrativeLabel(narrative, "narrative", 0.8)]
        analysis.dominant_narrative = narrative
    if subnarrative:
        analysis.subnarratives = [NarrativeLabel(subnarrative, "subnarrative", 0.6)]
        analysis.dominant_subnarrative = subnarrative
    if entity:
        main, fine = role or ("", [])
        label = RoleLabel(main, fine, 0.7) if role else None
        analysis.mentions = [Mention(offset, offset + len(first), first, "PER", entity[0], label)]
        descriptor = Span(offset, offset + len(first), first)
        analysis.entities = [Entity(entity[0], entity[1], "PER", [], [descriptor], main, list(fine))]
        if quote_speaker:
            analysis.quotes = [Quote(text, offset, offset + len(text), Speaker(*entity), "statement")]
    return article, analysis


@pytest.fixture
def make_pair() -> Callable[..., Pair]:
    return build_pair


@pytest.fixture
def full_pair() -> Pair:
    """An analysis holding every record type, with values that survive float32 and JSON exactly."""
    title, text = "Ministers meet", "The minister said: “We will act.” Analysts disagreed."
    article = Article(
        title=title,
        text=text,
        name="a1.txt",
        source="Example Times",
        url="https://example.org/a1",
        published="2025-02-03",
        language="en",
        meta={"feed": "world", "author": "Ann Writer"},
    )
    full = article.full_text
    start = full.index("minister")
    evidence = [Span(0, len(title), title)]
    role = RoleLabel("Protagonist", ["Guardian", "Peacemaker"], 0.75, evidence)
    quote_start = full.index("“")
    analysis = ArticleAnalysis(
        article_id=article.id,
        pipeline_version="full-1",
        status="ok",
        reason="",
        language="en",
        boilerplate=[Span(len(full) - 3, len(full), "ed.")],
        sentences=[Span(0, len(title), title), Span(len(title) + 2, len(full), text)],
        embedding=[0.5, -0.25, 0.125, 1.0],
        narratives=[NarrativeLabel("Test: Narrative A", "narrative", 0.9, evidence, "because")],
        subnarratives=[NarrativeLabel("Test: Narrative A: Sub 1", "subnarrative", 0.625, evidence)],
        dominant_narrative="Test: Narrative A",
        dominant_subnarrative="Test: Narrative A: Sub 1",
        mentions=[
            Mention(start, start + 8, "minister", "PER", "E1", role),
            Mention(0, 9, "Ministers", "PER", "E1", None),
        ],
        entities=[Entity("E1", "The Minister", "PER", ["minister"], evidence, "Protagonist", ["Guardian"])],
        quotes=[
            Quote(
                "We will act.",
                quote_start + 1,
                quote_start + 13,
                Speaker("E1", "The Minister"),
                "said",
                "direct",
            ),
            Quote("Analysts disagreed", 0, 5, None, "", "reported"),
        ],
        explanation=Explanation("It frames the minister as acting.", "Test: Narrative A", "Sub 1", evidence),
        stages={"language": "1", "narratives": "2"},
    )
    return article, analysis
