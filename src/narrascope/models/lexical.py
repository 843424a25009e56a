"""Character n-gram TF-IDF + one logistic regression per label: the narrative model's lexical half.

e5 sentence vectors capture what an article is about; character 2–5-grams of its words capture how it says it
(loaded words, names, stock phrases) in any of the five languages. The narrative model averages the two for the
narrative-level labels. Saved as plain arrays (vocabulary, idf, weights), never as a pickle.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

MAX_FEATURES = 100_000  # with C 3: ranked real news better than 30,000 and C 10 (see the model card)
C = 3.0
SETTINGS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True}


class Lexical:
    """Learned state: `vocabulary` (n-grams), `idf`, `labels`, `coef` (labels × n-grams), `intercept`."""

    def __init__(
        self,
        vocabulary: list[str],
        idf: np.ndarray,
        labels: list[str],
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float32)
        self.labels = labels
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        if self.coef.shape != (len(labels), len(vocabulary)) or self.idf.shape != (len(vocabulary),):
            raise ValueError(
                f"lexical arrays {self.coef.shape} / {self.idf.shape} do not match the vocabulary"
            )

    @classmethod
    def fit(cls, texts: Sequence[str], targets: dict[str, np.ndarray]) -> Lexical:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(min_df=2, max_features=MAX_FEATURES, **SETTINGS)
        X = vectorizer.fit_transform(texts)
        labels, coefs, biases = [], [], []
        for name, y in targets.items():
            clf = LogisticRegression(C=C, class_weight="balanced", max_iter=1000).fit(X, y)
            labels.append(name)
            coefs.append(clf.coef_[0])
            biases.append(clf.intercept_[0])
        vocabulary = [""] * len(vectorizer.vocabulary_)
        for gram, column in vectorizer.vocabulary_.items():
            vocabulary[column] = gram
        return cls(vocabulary, vectorizer.idf_, labels, np.vstack(coefs), np.array(biases))

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, columns in `labels` order."""
        z = self._vectorizer().transform(list(texts)) @ self.coef.T + self.intercept
        out: np.ndarray = 1.0 / (1.0 + np.exp(-np.asarray(z)))
        return out

    @functools.cache  # noqa: B019 - one vectorizer per (long-lived) model object
    def _vectorizer(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(vocabulary={g: i for i, g in enumerate(self.vocabulary)}, **SETTINGS)
        vectorizer.idf_ = self.idf
        return vectorizer
