"""Explanations: at most 80 words, in the article's language, built only from evidence spans."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.models.explain import LEAD_INS, ExplainStage, compose, explain, explain_label
from narrascope.records import Article, ArticleAnalysis, NarrativeLabel, Span
from narrascope.settings import Settings

TEXT = (
    "Ceasefire talks open in Geneva. The West wants this war to go on for ever. "
    "Sanctions hurt Europeans more than anyone else, said the analyst. " + "Weather was mild. " * 3
)


def analysed(language: str = "en") -> tuple[Article, ArticleAnalysis]:
    article = Article(title="", text=TEXT, language=language)
    s1 = TEXT.index("The West")
    s2 = TEXT.index("Sanctions")
    ev = [Span(s1, TEXT.index("ever.") + 5), Span(s2, TEXT.index("analyst.") + 8)]
    analysis = ArticleAnalysis(article_id=article.id, language=language)
    analysis.narratives = [NarrativeLabel("URW: Discrediting the West, Diplomacy", "narrative", 0.8, ev)]
    analysis.subnarratives = [
        NarrativeLabel("URW: Discrediting the West, Diplomacy: Other", "subnarrative", 0.5, [])
    ]
    analysis.dominant_narrative = "URW: Discrediting the West, Diplomacy"
    analysis.dominant_subnarrative = "URW: Discrediting the West, Diplomacy: Other"
    return article, analysis


def test_explanation_is_grounded_in_evidence_and_short() -> None:
    article, analysis = analysed()
    exp = explain(article, analysis)
    assert exp is not None
    assert exp.text.startswith(LEAD_INS["en"])
    assert len(exp.text.split()) <= 80
    for span in exp.evidence:
        assert article.full_text[span.start : span.end] in exp.text


@pytest.mark.parametrize("lang", ["ru", "bg", "pt", "hi"])
def test_lead_in_follows_the_article_language(lang: str) -> None:
    article, analysis = analysed(lang)
    exp = explain(article, analysis)
    assert exp is not None and exp.text.startswith(LEAD_INS[lang])


def test_long_evidence_is_trimmed_to_eighty_words() -> None:
    long_text = " ".join(f"word{i}" for i in range(300)) + "."
    article = Article(title="", text=long_text)
    text, used = compose(article, [Span(0, len(long_text))], "en")
    assert len(text.split()) <= 80 and text.endswith("…")
    assert used[0].end < len(long_text)
    assert long_text[used[0].start : used[0].end] in text


def test_other_or_no_evidence_gives_none() -> None:
    article, analysis = analysed()
    analysis.dominant_narrative = "Other"
    assert explain(article, analysis) is None
    article, analysis = analysed()
    analysis.narratives[0].evidence = []
    assert explain(article, analysis) is None


def test_stage_sets_explanation() -> None:
    article, analysis = analysed()
    out = ExplainStage(Settings())(article, analysis)
    assert out.explanation is not None and out.explanation.evidence


def test_explain_label_falls_back_to_opening_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    import narrascope.models.explain as mod

    article = Article(title="", text=TEXT)
    sentences = [Span(0, 31), Span(32, 75)]
    analysis = ArticleAnalysis(article_id=article.id, language="en", sentences=sentences)
    analysis.sentence_vectors = np.zeros((2, 384), dtype=np.float32)
    monkeypatch.setattr(mod, "_model_evidence", lambda *a, **k: [])
    monkeypatch.setattr(mod, "_definition_evidence", lambda *a, **k: [])
    exp = explain_label(article, analysis, "URW: Praise of Russia", "URW: Praise of Russia: Other")
    assert exp.evidence and exp.evidence[0].start == 0 and len(exp.text.split()) <= 80
