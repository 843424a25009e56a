"""Filters, listings, streaming results, full-text search and aggregates on a small hand-built corpus."""

from __future__ import annotations

from typing import Any

import pytest

from narrascope.store import MARK_CLOSE, MARK_OPEN, ArticleFilter, Store

PUTIN = ("Q7747", "Vladimir Putin")
BLAME, WEST, CLIMATE = "URW: Blame", "URW: West", "CC: Hoax"


@pytest.fixture
def corpus(store: Store, make_pair: Any) -> dict[str, str]:
    """Four articles in three languages and outlets; returns {short name: article id}."""
    pairs = {
        "en": make_pair(
            "Sanctions debate",
            "Putin spoke about sanctions and the economy in Moscow",
            source="Daily A",
            published="2025-01-06",
            narrative=BLAME,
            subnarrative=f"{BLAME}: Sub",
            entity=PUTIN,
            role=("Antagonist", ["Instigator"]),
            quote_speaker=True,
        ),
        "ru": make_pair(
            "Санкции",
            "Путин заявил что санкции против России провалились",
            source="Vesti",
            published="2025-01-07",
            language="ru",
            narrative=WEST,
            entity=PUTIN,
            role=("Protagonist", ["Guardian", "Virtuous"]),
        ),
        "hi": make_pair(
            "जलवायु",
            "जलवायु परिवर्तन पर हिन्दी लेख प्रकाशित हुआ",
            source="Daily A",
            published="2025-01-14",
            language="hi",
            narrative=CLIMATE,
        ),
        "blog": make_pair("Empty", "nothing here", source="Blog", published="", status="skipped"),
    }
    store.save(list(pairs.values()))
    return {name: pair[0].id for name, pair in pairs.items()}


def ids(store: Store, **filters: Any) -> set[str]:
    return {article.id for article, _ in store.results(ArticleFilter(**filters))}


def test_filters_select_the_right_articles(store: Store, corpus: dict[str, str]) -> None:
    assert ids(store) == set(corpus.values())
    assert ids(store, outlet="Daily A") == {corpus["en"], corpus["hi"]}
    assert ids(store, language="ru") == {corpus["ru"]}
    assert ids(store, date_from="2025-01-07") == {corpus["ru"], corpus["hi"]}
    assert ids(store, date_to="2025-01-07") == {corpus["en"], corpus["ru"]}
    assert ids(store, date_from="2025-01-07", date_to="2025-01-07") == {corpus["ru"]}
    assert ids(store, narrative=BLAME) == {corpus["en"]}
    assert ids(store, narrative=f"{BLAME}: Sub") == {corpus["en"]}
    assert ids(store, entity="Q7747") == {corpus["en"], corpus["ru"]}
    assert ids(store, entity="vladimir putin") == {corpus["en"], corpus["ru"]}
    assert ids(store, role="Antagonist") == {corpus["en"]}
    assert ids(store, role="Guardian") == {corpus["ru"]}
    assert ids(store, entity="Q7747", role="Virtuous") == {corpus["ru"]}
    assert ids(store, entity="Nobody", role="Virtuous") == set()
    assert ids(store, role="%") == set()
    assert ids(store, query="sanctions") == {corpus["en"]}
    assert ids(store, query="санкции", outlet="Vesti") == {corpus["ru"]}
    assert ids(store, query='" AND OR (') == set()


def test_results_pages_and_streams_pairs(store: Store, corpus: dict[str, str]) -> None:
    everything = list(store.results())
    assert all(a.id == an.article_id for a, an in everything)
    page = list(store.results(ArticleFilter(limit=2, offset=1)))
    assert [a.id for a, _ in page] == [a.id for a, _ in everything][1:3]


def test_list_articles_counts_and_pages(store: Store, corpus: dict[str, str]) -> None:
    total, rows = store.list_articles(ArticleFilter(limit=2))
    assert total == 4
    assert [r.id for r in rows] == [corpus["hi"], corpus["ru"]]  # newest published first
    assert rows[0].language == "hi" and rows[0].dominant_narrative == CLIMATE and rows[0].status == "ok"
    total, rows = store.list_articles(ArticleFilter(outlet="Daily A", offset=1))
    assert total == 2 and [r.id for r in rows] == [corpus["en"]]
    total, rows = store.list_articles(ArticleFilter(outlet="Blog"))
    assert total == 1 and rows[0].status == "skipped" and rows[0].published == ""
    assert store.list_articles() == store.list_articles(ArticleFilter())


@pytest.mark.parametrize("word", ["Санкции", "санкции", "हिन्दी", "जलवायु", "SANCTIONS"])
def test_search_finds_words_in_any_script(store: Store, corpus: dict[str, str], word: str) -> None:
    hits = store.search(word)
    assert len(hits) == 1
    assert MARK_OPEN in hits[0].snippet and MARK_CLOSE in hits[0].snippet
    assert word.lower() in hits[0].snippet.lower()


def test_search_ranks_and_limits(store: Store, corpus: dict[str, str]) -> None:
    hits = store.search("putin sanctions")
    assert [h.id for h in hits] == [corpus["en"]]
    assert hits[0].title == "Sanctions debate"
    assert store.search("Путин", limit=0) == []
    assert store.search("Moscow economy")[0].rank >= 0


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND OR (",
        "NOT",
        "*",
        "a:b",
        "NEAR(x y)",
        "^",
        "'; DROP TABLE articles; --",
        "",
        "   ",
        "\x00",
        "((",
        "Putin\x00Moscow",
        "🙂 emoji",
        "Putin OR Moscow",
        'a"b',
        "x" * 3000,
    ],
)
def test_hostile_search_strings_never_crash(store: Store, corpus: dict[str, str], query: str) -> None:
    hits = store.search(query)
    assert isinstance(hits, list)
    expected = len(hits) if query.strip() else 4  # a blank query does not filter
    assert store.list_articles(ArticleFilter(query=query))[0] == expected
    assert store.counts()["articles"] == 4


def test_counts(store: Store, corpus: dict[str, str]) -> None:
    counts = store.counts()
    assert counts["articles"] == 4 and counts["analyses"] == 4
    assert counts["languages"] == {"en": 2, "hi": 1, "ru": 1}
    assert counts["outlets"] == {"Daily A": 2, "Blog": 1, "Vesti": 1}
    assert counts["days"] == {"2025-01-06": 1, "2025-01-07": 1, "2025-01-14": 1}
    assert counts["statuses"] == {"ok": 3, "skipped": 1}


def test_narrative_counts(store: Store, corpus: dict[str, str]) -> None:
    assert store.narrative_counts() == {CLIMATE: 1, BLAME: 1, WEST: 1}
    assert store.narrative_counts("subnarrative") == {f"{BLAME}: Sub": 1}
    assert store.narrative_counts(by="outlet") == {"Daily A": {CLIMATE: 1, BLAME: 1}, "Vesti": {WEST: 1}}
    assert store.narrative_counts(by="week") == {"2025-W02": {BLAME: 1, WEST: 1}, "2025-W03": {CLIMATE: 1}}
    with pytest.raises(ValueError):
        store.narrative_counts(by="year")


def test_role_counts(store: Store, corpus: dict[str, str]) -> None:
    assert store.role_counts() == {
        "main": {"Antagonist": 1, "Protagonist": 1},
        "fine": {"Guardian": 1, "Instigator": 1, "Virtuous": 1},
    }
    by_outlet = store.role_counts(by="outlet")
    assert by_outlet["Vesti"] == {"main": {"Protagonist": 1}, "fine": {"Guardian": 1, "Virtuous": 1}}
    assert set(by_outlet) == {"Daily A", "Vesti"}


def test_entity_summary_and_top_entities(store: Store, corpus: dict[str, str]) -> None:
    summary = store.entity_summary("Vladimir Putin")
    assert summary is not None
    assert summary == store.entity_summary("Q7747")
    assert summary["entity_id"] == "Q7747" and summary["name"] == "Vladimir Putin"
    assert summary["articles"] == 2 and summary["mentions"] == 2
    assert summary["mentions_per_outlet"] == {"Daily A": 1, "Vesti": 1}
    assert summary["main_roles_per_outlet"] == {"Daily A": {"Antagonist": 1}, "Vesti": {"Protagonist": 1}}
    assert summary["fine_roles_per_outlet"]["Vesti"] == {"Guardian": 1, "Virtuous": 1}
    assert summary["descriptors_per_outlet"] == {
        "Daily A": [{"text": "Putin", "count": 1}],
        "Vesti": [{"text": "Путин", "count": 1}],
    }
    assert store.entity_summary("nobody") is None
    assert store.top_entities() == [
        {"entity_id": "Q7747", "name": "Vladimir Putin", "kind": "PER", "articles": 2, "mentions": 2}
    ]
    assert store.top_entities(0) == []


def test_quotes(store: Store, corpus: dict[str, str]) -> None:
    (quote,) = store.quotes()
    assert quote["article_id"] == corpus["en"] and quote["speaker_name"] == "Vladimir Putin"
    assert quote["outlet"] == "Daily A" and quote["kind"] == "direct" and quote["source"] == "statement"
    assert store.quotes(entity="Q7747") == [quote]
    assert store.quotes(entity="vladimir putin") == [quote]
    assert store.quotes(entity="someone else") == []


def test_empty_store_aggregates(store: Store) -> None:
    assert store.counts() == {
        "articles": 0,
        "analyses": 0,
        "languages": {},
        "outlets": {},
        "days": {},
        "statuses": {},
    }
    assert store.narrative_counts() == {}
    assert store.role_counts() == {"main": {}, "fine": {}}
    assert store.role_counts(by="outlet") == {}
    assert store.top_entities() == [] and store.quotes() == [] and store.search("x") == []
    assert store.list_articles() == (0, [])
