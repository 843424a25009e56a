"""Extractive explanations (SemEval subtask 3): why the article carries its dominant narrative, in ≤ 80 words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from narrascope.records import Article, ArticleAnalysis, Explanation, NarrativeLabel, Span
from narrascope.settings import Settings

if TYPE_CHECKING:
    from narrascope.taxonomy.labels import Taxonomy

MAX_WORDS = 80
MAX_SENTENCES = 3
OTHER = "Other"
# A short lead-in per language (our own words); the rest of the explanation is the article's own text.
LEAD_INS = {
    "en": "The article pushes this narrative when it says:",
    "ru": "Статья продвигает этот нарратив, когда пишет:",
    "bg": "Статията прокарва този наратив, когато пише:",
    "pt": "O texto sustenta esta narrativa quando diz:",
    "hi": "लेख इस नैरेटिव को तब आगे बढ़ाता है जब वह कहता है:",
}


def lead_in(language: str) -> str:
    return LEAD_INS.get(language, LEAD_INS["en"])


def compose(
    article: Article, spans: Sequence[Span], language: str, max_words: int = MAX_WORDS
) -> tuple[str, list[Span]]:
    """Lead-in + evidence sentences (document order), the last one trimmed so the whole fits `max_words`."""
    text = article.full_text
    lead = lead_in(language)
    budget = max_words - len(lead.split())
    parts: list[str] = []
    used: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start)[:MAX_SENTENCES]:
        if budget <= 0:
            break
        whole = len(text[span.start : span.end].split())
        clipped = _clip(text, span, budget if whole <= budget else budget - 1)
        if clipped is None:
            continue
        sentence = " ".join(text[clipped.start : clipped.end].split())
        cut = clipped.end < span.end
        budget -= len(sentence.split()) + (1 if cut else 0)
        parts.append(sentence + " …" if cut else sentence)
        used.append(clipped)
    if not parts:
        return "", []
    return f"{lead} {' '.join(parts)}", used


def _clip(text: str, span: Span, budget: int) -> Span | None:
    """The span cut after its first `budget` words (None when empty)."""
    chunk = text[span.start : span.end]
    words = _word_ends(chunk)
    if not words or budget <= 0:
        return None
    end = span.start + words[min(budget, len(words)) - 1]
    return Span(span.start, end, text[span.start : end])


def _word_ends(chunk: str) -> list[int]:
    ends: list[int] = []
    inside = False
    for i, ch in enumerate(chunk):
        if not ch.isspace():
            inside = True
        elif inside:
            ends.append(i)
            inside = False
    if inside:
        ends.append(len(chunk))
    return ends


def explain(
    article: Article, analysis: ArticleAnalysis, taxonomy: Taxonomy | None = None
) -> Explanation | None:
    """The explanation for the dominant (sub)narrative from its evidence spans; None for Other or no evidence."""
    narrative = analysis.dominant_narrative
    sub = analysis.dominant_subnarrative
    if not narrative or narrative == OTHER:
        return None
    spans = _evidence(analysis.subnarratives, sub) or _evidence(analysis.narratives, narrative)
    if not spans and taxonomy is not None and sub in taxonomy.parent:
        spans = _evidence(analysis.narratives, taxonomy.parent[sub])
    language = analysis.language or article.language
    text, used = compose(article, spans, language)
    if not text:
        return None
    return Explanation(text=text, narrative=narrative, subnarrative=sub, evidence=used)


def _evidence(labels: Sequence[NarrativeLabel], name: str) -> list[Span]:
    for label in labels:
        if label.label == name and label.evidence:
            return list(label.evidence)
    return []


def explain_label(
    article: Article, analysis: ArticleAnalysis, narrative: str, subnarrative: str, model_dir: str = ""
) -> Explanation:
    """An explanation for a given (narrative, subnarrative) pair (SemEval subtask 3: the label is known).

    Evidence: the narrative model's top sentences for the subnarrative, else for the narrative, else the
    sentences most similar to the label's definition, else the article's opening sentences.
    """
    sentences = list(analysis.sentences)
    vectors = _sentence_vectors(article, analysis)
    spans = _model_evidence(sentences, vectors, (subnarrative, narrative), model_dir)
    if not spans:
        spans = _definition_evidence(sentences, vectors, (subnarrative, narrative))
    if not spans:
        spans = sentences[:2]
    text, used = compose(article, spans, analysis.language or article.language)
    return Explanation(text=text, narrative=narrative, subnarrative=subnarrative, evidence=used)


def _sentence_vectors(article: Article, analysis: ArticleAnalysis) -> np.ndarray | None:
    vectors = analysis.sentence_vectors
    if vectors is not None and len(vectors):
        return np.asarray(vectors)
    if not analysis.sentences:
        return None
    from narrascope.nlp.embedder import get_embedder

    text = article.full_text
    return get_embedder().passages([text[s.start : s.end] for s in analysis.sentences])


def _model_evidence(
    sentences: Sequence[Span], vectors: np.ndarray | None, names: Sequence[str], model_dir: str
) -> list[Span]:
    if vectors is None:
        return []
    from narrascope.models.narratives import load_model

    model = load_model(model_dir)
    for name in names:
        if name and name != OTHER:
            spans = model.evidence(name, vectors, sentences[: len(vectors)], k=MAX_SENTENCES)
            if spans:
                return spans
    return []


def _definition_evidence(
    sentences: Sequence[Span], vectors: np.ndarray | None, names: Sequence[str]
) -> list[Span]:
    definition = _definition(names)
    if vectors is None or not definition:
        return []
    from narrascope.nlp.embedder import get_embedder

    query = get_embedder().queries([definition])[0]
    scores = vectors @ query
    top = sorted(np.argsort(-scores)[:2].tolist())
    return [sentences[i] for i in top if i < len(sentences)]


def _definition(names: Sequence[str]) -> str:
    from narrascope.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    for name in names:
        if name in taxonomy:
            return taxonomy.label(name).definition or name
    return ""


class ExplainStage:
    """Adds the explanation of the dominant narrative (extractive, ≤ 80 words, grounded in evidence)."""

    name, version = "explain", "1"
    requires = ("narratives",)
    provides = ("explanation",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._taxonomy: Taxonomy | None = None

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        if self._taxonomy is None:  # loaded once, on first use; a broken pack is a clear TaxonomyError
            from narrascope.taxonomy import load_taxonomy

            self._taxonomy = load_taxonomy(self.settings.taxonomy)
        analysis.explanation = explain(article, analysis, self._taxonomy)
        return analysis
