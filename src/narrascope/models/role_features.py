"""Role-model features: the mention in context, e5 vectors of its sentences, cue and mention-type counts."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.models.role_cues import CUES, PEOPLE_CUES
from narrascope.nlp.sentences import split_sentences
from narrascope.records import Span

CUE_ROLES = tuple(CUES)

WINDOW_CHARS = 300  # a mention's sentence is clipped to this many characters each side of the mention
MAX_OCCURRENCES = 3  # other sentences of the same entity read for the entity-level features
N_EXTRA = 5  # people-noun, plural-ish, mention count, agent and patient markers


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
    for role in CUE_ROLES:
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
    own: Span  # the mention's sentence
    named: list[Span]  # the entity's other sentences


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
        own=own,
        named=named,
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
    for role in CUE_ROLES:
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
    examples: Sequence[Example],
    marking: str = "brackets",
    embed: Embed | None = None,
    known: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Features: e5 vectors of the mention's sentence and (mean) of the entity's other sentences, plus
    cue-lexicon counts in the sentence and its neighbours, in the entity's sentences, left and right of the
    mention in its sentence, and mention-type features.

    marking "sentence" embeds the plain sentences (so the pipeline's sentence vectors, passed as `known`
    text -> vector, are reused and nothing is embedded again); "brackets" / "placeholder" embed the sentence
    with the mention marked."""
    from narrascope.nlp.embedder import DIM, get_embedder

    width = 2 * DIM + 4 * len(CUE_ROLES) + N_EXTRA
    if not examples:
        return np.zeros((0, width), dtype=np.float32)
    units = [_units(e) for e in examples]
    if marking == "sentence":
        pairs = [(u.own.text, [s.text for s in u.named]) for u in units]
    else:
        pairs = [(u.mention, u.entity) for u in units]
    lookup = dict(known or {})
    texts = sorted({t for own, named in pairs for t in [own, *named]} - set(lookup))
    if texts:
        lookup.update(zip(texts, (embed or get_embedder().passages)(texts), strict=True))
    rows = []
    for e, u, (own_text, named_texts) in zip(examples, units, pairs, strict=True):
        own = lookup[own_text]
        rows.append(
            np.concatenate(
                [
                    own,
                    _mean([lookup[t] for t in named_texts], own),
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
