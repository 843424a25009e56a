"""Outlet comparison: normalised narrative shares, entity descriptors per outlet, quotes, weeks, one outlet."""

from __future__ import annotations

import json

from narrascope.corpus.compare import compare_outlets, compare_store, iso_week
from narrascope.records import Article, ArticleAnalysis, Entity, NarrativeLabel, Quote, Span, Speaker
from narrascope.store import open_store


def pair(
    outlet: str, text: str, narrative: str, descriptor: str, date: str = "2025-02-18"
) -> tuple[Article, ArticleAnalysis]:
    article = Article(title="", text=text, source=outlet, published=date)
    at = text.find(descriptor)
    entity = Entity(
        "lukashenko",
        "Alexander Lukashenko",
        "PER",
        descriptors=[Span(at, at + len(descriptor), descriptor)],
        main_role="Antagonist",
        fine_roles=["Tyrant"],
    )
    analysis = ArticleAnalysis(
        article_id=article.id,
        language="en",
        narratives=[NarrativeLabel(narrative, "narrative", 0.9)],
        entities=[entity],
    )
    analysis.quotes = [
        Quote("We are ready to host the talks", 0, 10, Speaker("lukashenko", "Alexander Lukashenko"))
    ]
    return article, analysis


def corpus() -> list[tuple[Article, ArticleAnalysis]]:
    return [
        pair(
            "Independent",
            "the Belarusian dictator Alexander Lukashenko spoke",
            "URW: Discrediting the West, Diplomacy",
            "the Belarusian dictator",
        ),
        pair(
            "Independent",
            "the Belarusian dictator Alexander Lukashenko again",
            "URW: Praise of Russia",
            "the Belarusian dictator",
            "2025-02-25",
        ),
        pair(
            "State",
            "the President of Belarus Alexander Lukashenko said",
            "URW: Praise of Russia",
            "the President of Belarus",
            "",
        ),
    ]


def test_narratives_are_normalised_by_outlet_size() -> None:
    result = compare_outlets(corpus())
    assert result["outlets"]["Independent"]["articles"] == 2
    assert result["outlets"]["Independent"]["narratives"]["URW: Praise of Russia"] == 0.5
    assert result["outlets"]["State"]["narratives"]["URW: Praise of Russia"] == 1.0
    assert result["note"] == ""


def test_descriptors_and_roles_per_entity_per_outlet() -> None:
    by_outlet = compare_outlets(corpus())["entities"]["lukashenko"]["by_outlet"]
    assert by_outlet["Independent"]["descriptors"] == ["the Belarusian dictator"]
    assert by_outlet["State"]["descriptors"] == ["the President of Belarus"]
    assert by_outlet["Independent"]["roles"] == {"Antagonist": 2, "Tyrant": 2}


def test_quotes_and_weeks() -> None:
    result = compare_outlets(corpus())
    speaker = result["quotes"]["speakers"]["lukashenko"]
    assert speaker["by_outlet"]["State"]["count"] == 1
    assert set(result["weeks"]["series"]) == {"2025-W08", "2025-W09"}
    assert result["weeks"]["undated"] == 1
    json.dumps(result)


def test_single_outlet_says_so_and_empty_corpus_does_not_divide_by_zero() -> None:
    one = compare_outlets(corpus()[:2])
    assert "one outlet" in one["note"]
    empty = compare_outlets([])
    assert empty["outlets"] == {} and "nothing" in empty["note"]


def test_iso_week() -> None:
    assert iso_week("2025-01-01") == "2025-W01"
    assert iso_week("") == "" and iso_week("not a date") == ""


def test_compare_store_by_story(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(str(tmp_path / "c.db"))
    pairs = corpus()
    store.save(pairs)
    store.save_stories(
        [{"id": "story-x", "title": "t", "first_date": "", "last_date": "", "article_ids": [pairs[0][0].id]}]
    )
    everything = compare_store(store)
    assert set(everything["outlets"]) == {"Independent", "State"}
    one = compare_store(store, "story-x")
    assert set(one["outlets"]) == {"Independent"} and one["story"] == "story-x"
    store.close()
