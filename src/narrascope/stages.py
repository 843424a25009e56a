"""The basic pipeline stages: cleaning, language, sentences, embeddings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from narrascope.records import Article, ArticleAnalysis
from narrascope.settings import Settings

MAX_SENTENCES = 150  # sentences embedded per article (the rest still get offsets)


class CleanStage:
    """Marks boilerplate residue (share footers, stray tags) so later stages ignore it."""

    name, version = "clean", "1"
    requires: tuple[str, ...] = ()
    provides = ("boilerplate",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        from narrascope.ingest.cleaning import find_boilerplate

        analysis.boilerplate = find_boilerplate(article.full_text)
        return analysis


class LanguageStage:
    """Language id restricted to the supported languages (or the article's declared language)."""

    name, version = "language", "1"
    requires = ("boilerplate",)
    provides = ("language",)

    def __init__(self, settings: Settings) -> None:
        self.languages = settings.languages

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        from narrascope.ingest.language import detect_language

        declared = article.language.lower()[:2]
        if declared in self.languages:
            analysis.language = declared
        else:
            analysis.language = detect_language(analysis.clean_text(article), self.languages)
        return analysis


class SentenceStage:
    """Sentence spans with offsets into the article's full text."""

    name, version = "sentences", "1"
    requires = ("boilerplate",)
    provides = ("sentences",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        from narrascope.nlp.sentences import split_sentences

        text = analysis.clean_text(article)
        analysis.sentences = [
            s.__class__(s.start, s.end, article.full_text[s.start : s.end]) for s in split_sentences(text)
        ]
        return analysis


class EmbedStage:
    """e5 vectors per sentence (kept for this run) and their normalised mean as the article vector."""

    name, version = "embed", "1"
    requires = ("sentences",)
    provides = ("embedding", "sentence_vectors")

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        return self.batch([article], [analysis])[0]

    def batch(
        self, articles: Sequence[Article], analyses: Sequence[ArticleAnalysis]
    ) -> list[ArticleAnalysis]:
        from narrascope.nlp.embedder import get_embedder

        texts = [s.text for an in analyses for s in an.sentences[:MAX_SENTENCES]]
        vectors = get_embedder().passages(texts) if texts else np.zeros((0, 384), np.float32)
        pos = 0
        for an in analyses:
            n = min(len(an.sentences), MAX_SENTENCES)
            an.sentence_vectors = vectors[pos : pos + n]
            pos += n
            an.embedding = _mean(an.sentence_vectors)
        return list(analyses)


def _mean(vectors: np.ndarray) -> list[float]:
    if len(vectors) == 0:
        return []
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return [round(float(x), 6) for x in mean / norm]
