"""The data model round-trips through JSON without loss."""

from __future__ import annotations

import numpy as np

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
    article_from_dict,
    article_to_dict,
    content_id,
)


def full_analysis() -> ArticleAnalysis:
    ev = [Span(0, 5, "Title")]
    return ArticleAnalysis(
        article_id="abc",
        pipeline_version="v1",
        language="en",
        boilerplate=[Span(40, 50, "Share this")],
        sentences=[Span(0, 5, "Title"), Span(7, 20, "Body sentence")],
        embedding=[0.1, 0.2],
        narratives=[NarrativeLabel("URW: Praise of Russia", "narrative", 0.8, ev, "")],
        subnarratives=[NarrativeLabel("URW: Praise of Russia: Other", "subnarrative", 0.7, ev)],
        dominant_narrative="URW: Praise of Russia",
        dominant_subnarrative="URW: Praise of Russia: Other",
        mentions=[Mention(7, 11, "Body", "PER", "body", RoleLabel("Protagonist", ["Peacemaker"], 0.6, ev))],
        entities=[Entity("body", "Body", "PER", ["Bod"], ev, "Protagonist", ["Peacemaker"])],
        quotes=[Quote("It is over", 12, 22, Speaker("body", "Body"), "Izvestia"), Quote("x", 1, 2, None)],
        explanation=Explanation("Because.", "URW: Praise of Russia", "URW: Praise of Russia: Other", ev),
        stages={"clean": "1"},
    )


def test_analysis_round_trip() -> None:
    an = full_analysis()
    again = ArticleAnalysis.from_json(an.to_json())
    assert again == an
    assert again.mentions[0].role == RoleLabel("Protagonist", ["Peacemaker"], 0.6, [Span(0, 5, "Title")])
    assert again.quotes[1].speaker is None


def test_sentence_vectors_are_not_serialised() -> None:
    an = full_analysis()
    an.sentence_vectors = np.ones((2, 3))
    assert "sentence_vectors" not in an.to_dict()
    assert an.sentence_vectors is not None


def test_article_id_is_content_hash() -> None:
    a = Article(title="T", text="Body")
    assert a.id == content_id("T", "Body") and len(a.id) == 16
    assert Article(title="T", text="Body!").id != a.id
    assert a.full_text == "T\n\nBody"
    assert article_from_dict(article_to_dict(a)) == a


def test_clean_text_keeps_offsets() -> None:
    a = Article(title="", text="Hello world. Share this!")
    an = ArticleAnalysis(article_id=a.id, boilerplate=[Span(13, 24)])
    clean = an.clean_text(a)
    assert len(clean) == len(a.full_text) and clean.strip() == "Hello world."
