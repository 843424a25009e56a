"""The narrative model: hierarchical multi-label classifier over e5 sentence vectors, with evidence."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.errors import ModelError
from narrascope.models.lexical import Lexical
from narrascope.records import Article, ArticleAnalysis, NarrativeLabel, Span
from narrascope.settings import Settings

FORMAT = "narrascope-narratives/1"
OTHER = "Other"
ANY = "__any__"  # the "carries some narrative" detector


@dataclass
class Thresholds:
    any: float = 0.5  # below: the article carries no narrative (Other)
    narrative: float = 0.4
    subnarrative: float = 0.35
    max_narratives: int = 3
    max_subnarratives: int = 2  # per narrative
    hedge: float = 0.0  # also emit "<narrative>: Other" when the best specific subnarrative is below this
    knn: float = 0.0  # weight of the nearest-training-articles vote next to the logistic regressions
    sure: float = 0.0  # when > 0: a narrative this probable passes the `any` gate on its own


@dataclass
class Decision:
    narratives: list[NarrativeLabel] = field(default_factory=list)
    subnarratives: list[NarrativeLabel] = field(default_factory=list)
    dominant_narrative: str = OTHER
    dominant_subnarrative: str = OTHER
    p_any: float = 0.0  # probability that the article carries any narrative


def features(vectors: np.ndarray) -> np.ndarray:
    """Article features from its sentence vectors: the normalised mean and the normalised top-half mean."""
    if len(vectors) == 0:
        return np.zeros(2 * vectors.shape[-1] if vectors.ndim == 2 else 768, dtype=np.float32)
    mean = vectors.mean(axis=0)
    mean = mean / (np.linalg.norm(mean) or 1.0)
    sims = vectors @ mean
    k = max(1, len(vectors) // 2)
    core = vectors[np.argsort(-sims)[:k]].mean(axis=0)
    core = core / (np.linalg.norm(core) or 1.0)
    return np.concatenate([mean, core]).astype(np.float32)


LEXICAL_WEIGHT = 0.5  # an equal-weight average of the e5 and the character n-gram regressions
KNN_K = 15
KNN_TEMPERATURE = 0.02


class NarrativeModel:
    """One logistic regression per label (+ one for 'any narrative') over e5 features, averaged for the
    narrative-level labels with character n-gram regressions, optionally mixed with a vote of the most similar
    training articles; decoded top-down.

    `fit` takes per-article sentence-vector matrices and label sets; `parent` maps each subnarrative to its
    narrative; `memory` marks the examples the vote may return (whole articles, not single sentences).
    Learned state: `labels_`, `coef_`, `intercept_`, `parent_`, `memory_x_` (article features) and
    `memory_y_` (their labels, one column per entry of `labels_`), and `lexical_`, the character n-gram
    regressions of the narrative-level labels (models/lexical.py), averaged with the e5 ones.
    """

    def __init__(
        self,
        C: float = 2.0,
        min_positives: int = 2,
        thresholds: Thresholds | None = None,
        balanced: bool = True,
    ) -> None:
        self.C = C
        self.balanced = balanced
        self.min_positives = min_positives
        self.thresholds = thresholds or Thresholds()
        self.by_language: dict[str, Thresholds] = {}  # decoding settings for one language, when chosen
        self.lexical_: Lexical | None = None

    def settings(self, lang: str = "") -> Thresholds:
        """The decoding settings for articles in `lang` (the general ones when it has none of its own)."""
        return self.by_language.get(lang, self.thresholds)

    def fit(
        self,
        docs: Sequence[np.ndarray],
        labels: Sequence[Iterable[str]],
        parent: dict[str, str],
        memory: Sequence[bool] | None = None,
        texts: Sequence[str] | None = None,
    ) -> NarrativeModel:
        """`texts` (the articles' text) add the character n-gram half for the narrative-level labels."""
        from sklearn.linear_model import LogisticRegression

        X = np.vstack([features(d) for d in docs])
        sets = [set(ls) - {OTHER} for ls in labels]
        names = sorted({lab for s in sets for lab in s})
        targets = {ANY: np.array([bool(s) for s in sets])}
        targets.update({n: np.array([n in s for s in sets]) for n in names})
        kept, coefs, biases = [], [], []
        for name, y in targets.items():
            if y.sum() < self.min_positives or y.all():
                continue
            clf = LogisticRegression(
                C=self.C, class_weight="balanced" if self.balanced else None, max_iter=2000
            ).fit(X, y)
            kept.append(name)
            coefs.append(clf.coef_[0])
            biases.append(clf.intercept_[0])
        self.labels_ = kept
        self.coef_ = np.vstack(coefs).astype(np.float32)
        self.intercept_ = np.array(biases, dtype=np.float32)
        self.parent_ = {k: v for k, v in parent.items() if k in kept}
        keep = np.array([True] * len(docs) if memory is None else list(memory), dtype=bool)
        self.memory_x_ = X[keep].astype(np.float16)
        self.memory_y_ = np.vstack([targets[n] for n in kept]).T[keep].astype(np.uint8)
        if texts is not None:
            top = [n for n in kept if n not in self.parent_]
            self.lexical_ = Lexical.fit(texts, {n: targets[n] for n in top})
        return self

    def regression(self, feats: np.ndarray) -> np.ndarray:
        """Logistic-regression probabilities, one row per feature row, columns in `labels_` order."""
        z = feats @ self.coef_.T + self.intercept_
        out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return out

    def vote(self, feats: np.ndarray) -> np.ndarray:
        """Share of each label among the KNN_K most similar training articles (softmax-weighted by cosine)."""
        if self.memory_x_.shape[0] == 0:
            return np.zeros((feats.shape[0], len(self.labels_)), dtype=np.float32)
        sims = feats @ self.memory_x_.astype(np.float32).T
        k = min(KNN_K, sims.shape[1])
        idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(sims, idx, axis=1)
        w = np.exp((top - top.max(axis=1, keepdims=True)) / KNN_TEMPERATURE)
        out: np.ndarray = np.einsum("nk,nkl->nl", w, self.memory_y_[idx].astype(np.float32))
        out /= w.sum(axis=1, keepdims=True)
        return out

    def lexical(self, texts: Sequence[str]) -> np.ndarray | None:
        """The character n-gram probabilities of the narrative-level labels (None without that half)."""
        return self.lexical_.probabilities(texts) if self.lexical_ is not None else None

    def mix(
        self,
        regression: np.ndarray,
        vote: np.ndarray | None,
        lexical: np.ndarray | None,
        knn: float,
        lexical_weight: float = LEXICAL_WEIGHT,
    ) -> np.ndarray:
        """Regressions, vote (weight `knn`) and the lexical half (weight `lexical_weight` on its labels)."""
        out: np.ndarray = (
            (1.0 - knn) * regression + knn * vote if knn and vote is not None else regression.copy()
        )
        if lexical is not None and self.lexical_ is not None:
            cols = [self.labels_.index(n) for n in self.lexical_.labels]
            out[:, cols] = (1.0 - lexical_weight) * out[:, cols] + lexical_weight * lexical
        return out

    def probability_rows(
        self, docs: Sequence[np.ndarray], texts: Sequence[str] | None = None, lang: str = ""
    ) -> np.ndarray:
        """Label probabilities of several articles (sentence-vector matrices, and their texts for the lexical
        half), one row each, columns in `labels_` order, with the settings of `lang`."""
        feats = np.vstack([features(d) for d in docs])
        knn = self.settings(lang).knn
        vote = self.vote(feats) if knn else None
        return self.mix(self.regression(feats), vote, self.lexical(texts) if texts is not None else None, knn)

    def probabilities(self, vectors: np.ndarray, text: str = "", lang: str = "") -> dict[str, float]:
        p = self.probability_rows([vectors], [text] if text else None, lang)[0]
        return dict(zip(self.labels_, p.tolist(), strict=True))

    def decide(
        self, vectors: np.ndarray, sentences: Sequence[Span] = (), text: str = "", lang: str = ""
    ) -> Decision:
        """Labels for one article in language `lang` (its text defaults to its sentences, joined); evidence =
        the sentences that push each label's score most."""
        if len(vectors) == 0:
            return Decision()
        probs = self.probabilities(vectors, text or " ".join(s.text for s in sentences), lang)
        p_any = probs.get(ANY, 1.0)
        chosen = self.choose(probs, lang)
        if not chosen:
            return Decision(p_any=p_any)
        decision = Decision(p_any=p_any)
        for n, subs in chosen:
            decision.narratives.append(self._label(n, "narrative", probs[n], vectors, sentences))
            for s in subs:
                p = probs.get(s, probs[n])
                decision.subnarratives.append(
                    self._label(s, "subnarrative", p, vectors, sentences, fallback=n)
                )
        narr = [n for n, _ in chosen]
        decision.dominant_narrative = narr[0]
        under = [x for x in decision.subnarratives if x.label.startswith(narr[0] + ":")]
        decision.dominant_subnarrative = max(under, key=lambda x: x.confidence).label if under else OTHER
        return decision

    def choose(self, probs: dict[str, float], lang: str = "") -> list[tuple[str, list[str]]]:
        """Narratives (most probable first) with their subnarratives; [] when the article carries none."""
        t = self.settings(lang)
        candidates = [k for k in probs if k not in self.parent_ and k != ANY]
        if probs.get(ANY, 1.0) < t.any and not (
            t.sure and max((probs[k] for k in candidates), default=0.0) >= t.sure
        ):
            return []
        narr = self._pick(candidates, probs, t.narrative, t.max_narratives)
        out = []
        for n in _one_domain(narr, probs):
            subs = [k for k, v in self.parent_.items() if v == n]
            picked = self._pick(subs, probs, t.subnarrative, t.max_subnarratives)
            chosen = [s for s in picked if probs[s] >= t.subnarrative]
            other = f"{n}: Other"
            if len(chosen) > 1 and other in chosen:  # "Other" means no specific subnarrative fits
                chosen.remove(other)
            if chosen and other not in chosen and max(probs[c] for c in chosen) < t.hedge:
                chosen.append(other)
            out.append((n, chosen or [other]))
        return out

    @staticmethod
    def _pick(candidates: list[str], probs: dict[str, float], threshold: float, limit: int) -> list[str]:
        ranked = sorted(candidates, key=lambda k: -probs[k])
        chosen = [k for k in ranked if probs[k] >= threshold][:limit]
        return chosen or ranked[:1]

    def _label(
        self,
        name: str,
        level: Any,
        p: float,
        vectors: np.ndarray,
        sentences: Sequence[Span],
        fallback: str = "",
    ) -> NarrativeLabel:
        key = name if name in self.labels_ else fallback
        return NarrativeLabel(name, level, round(float(p), 4), self.evidence(key, vectors, sentences))

    def evidence(self, label: str, vectors: np.ndarray, sentences: Sequence[Span], k: int = 3) -> list[Span]:
        """The k sentences whose vectors score highest for `label` (document order)."""
        if label not in self.labels_ or not sentences:
            return []
        w = self.coef_[self.labels_.index(label)]
        dim = vectors.shape[1]
        scores = vectors @ (w[:dim] + w[dim:])
        top = sorted(np.argsort(-scores)[:k].tolist())
        return [sentences[i] for i in top if i < len(sentences)]

    def save(self, directory: str | Path, **manifest: Any) -> None:
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            "coef": self.coef_.astype(np.float16),
            "intercept": self.intercept_,
            # the vote's memory is only kept when the decoding uses it
            "memory_x": self.memory_x_.astype(np.float16)[
                : len(self.memory_x_) if self.thresholds.knn else 0
            ],
            "memory_y": self.memory_y_.astype(np.uint8)[: len(self.memory_y_) if self.thresholds.knn else 0],
            **_lexical_arrays(self.lexical_),
        }
        np.savez_compressed(out / "weights.npz", **arrays)  # type: ignore[arg-type]
        if self.lexical_ is not None:
            (out / "lexical.json").write_text(
                json.dumps(
                    {"labels": self.lexical_.labels, "vocabulary": self.lexical_.vocabulary},
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
        meta = {
            "format": FORMAT,
            "labels": self.labels_,
            "parent": self.parent_,
            "C": self.C,
            "thresholds": self.thresholds.__dict__,
            "language_thresholds": {k: v.__dict__ for k, v in sorted(self.by_language.items())},
            "weights_sha256": hashlib.sha256((out / "weights.npz").read_bytes()).hexdigest(),
            **manifest,
        }
        (out / "manifest.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> NarrativeModel:
        path = Path(directory)
        try:
            meta = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
            weights = np.load(path / "weights.npz", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: not a narrascope narrative model ({exc})") from exc
        if meta.get("format") != FORMAT:
            raise ModelError(f"{path}: model format {meta.get('format')!r}, this narrascope reads {FORMAT!r}")
        try:
            model = cls(C=meta.get("C", 2.0), thresholds=Thresholds(**meta.get("thresholds", {})))
            model.by_language = {k: Thresholds(**v) for k, v in meta.get("language_thresholds", {}).items()}
        except TypeError as exc:
            raise ModelError(f"{path}: unknown decoding setting ({exc})") from exc
        model.labels_ = list(meta["labels"])
        model.parent_ = dict(meta["parent"])
        model.coef_ = weights["coef"].astype(np.float32)
        model.intercept_ = weights["intercept"].astype(np.float32)
        width = model.coef_.shape[1]
        has_memory = "memory_x" in weights.files
        model.memory_x_ = weights["memory_x"] if has_memory else np.zeros((0, width), np.float16)
        model.memory_y_ = weights["memory_y"] if has_memory else np.zeros((0, len(model.labels_)), np.uint8)
        if model.memory_x_.shape[1:] != (width,) or model.memory_y_.shape[1:] != (len(model.labels_),):
            raise ModelError(f"{path}: memory arrays do not match the weights")
        if model.coef_.shape[0] != len(model.labels_):
            raise ModelError(f"{path}: {model.coef_.shape[0]} weight rows for {len(model.labels_)} labels")
        model.lexical_ = _load_lexical(path, weights, model.labels_)
        return model


def _lexical_arrays(lexical: Lexical | None) -> dict[str, np.ndarray]:
    if lexical is None:
        return {}
    return {
        "lexical_idf": lexical.idf,
        "lexical_coef": lexical.coef.astype(np.float16),
        "lexical_intercept": lexical.intercept,
    }


def _load_lexical(path: Path, weights: Any, labels: list[str]) -> Lexical | None:
    if "lexical_coef" not in weights.files:
        return None
    try:
        meta = json.loads((path / "lexical.json").read_text(encoding="utf-8"))
        lexical = Lexical(
            meta["vocabulary"],
            weights["lexical_idf"],
            meta["labels"],
            weights["lexical_coef"],
            weights["lexical_intercept"],
        )
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{path}: broken lexical part ({exc})") from exc
    if not set(lexical.labels) <= set(labels):
        raise ModelError(f"{path}: lexical labels are not among the model's labels")
    return lexical


def _one_domain(chosen: list[str], probs: dict[str, float]) -> list[str]:
    """Keep the labels of the domain (URW/CC) of the most probable narrative."""
    domain = chosen[0].split(":", 1)[0]
    return [c for c in chosen if c.split(":", 1)[0] == domain]


def shipped_dir() -> Path:
    return Path(str(resources.files("narrascope.models") / "artefacts" / "narratives"))


@functools.lru_cache(maxsize=4)
def load_model(model_dir: str = "") -> NarrativeModel:
    """The shipped model, or the one in `model_dir` (a `narrascope train` output holding narratives/)."""
    if not model_dir:
        return NarrativeModel.load(shipped_dir())
    path = Path(model_dir)
    return NarrativeModel.load(path / "narratives" if (path / "narratives").is_dir() else path)


class NarrativeStage:
    """Narratives and subnarratives with confidence and evidence; `Other` (with a reason) when none apply."""

    name, version = "narratives", "5"  # 5: the n-gram half has 100,000 n-grams and C 3
    requires = ("language", "sentences", "embedding")
    provides = ("narratives",)

    def __init__(self, settings: Settings) -> None:
        self.model_dir = settings.model_dir
        self.languages = settings.languages

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        words = len(analysis.clean_text(article).split())
        if analysis.language not in self.languages:
            return _other(analysis, 1.0, f"language {analysis.language!r} is not supported")
        if words < 5:
            return _other(analysis, 1.0, f"too short to judge ({words} words)")
        vectors = analysis.sentence_vectors
        if vectors is None:
            from narrascope.nlp.embedder import get_embedder

            vectors = get_embedder().passages([s.text for s in analysis.sentences])
        decision = load_model(self.model_dir).decide(
            vectors, analysis.sentences[: len(vectors)], lang=analysis.language
        )
        if not decision.narratives:
            return _other(analysis, 1.0 - decision.p_any, "no narrative scored above the threshold")
        analysis.narratives = decision.narratives
        analysis.subnarratives = decision.subnarratives
        analysis.dominant_narrative = decision.dominant_narrative
        analysis.dominant_subnarrative = decision.dominant_subnarrative
        return analysis


def _other(analysis: ArticleAnalysis, confidence: float, reason: str) -> ArticleAnalysis:
    c = round(float(confidence), 4)
    analysis.narratives = [NarrativeLabel(OTHER, "narrative", c, reason=reason)]
    analysis.subnarratives = [NarrativeLabel(OTHER, "subnarrative", c, reason=reason)]
    analysis.dominant_narrative = analysis.dominant_subnarrative = OTHER
    return analysis
