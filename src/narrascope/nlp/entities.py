"""Entity linking within an article (aliases, surnames, inflections) and descriptor extraction."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence

from narrascope.nlp.ner import load_gazetteer, normalise_name
from narrascope.records import Entity, Mention, Span

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
        ],
        strict=True,
    )
)
MAX_DESCRIPTOR_WORDS = 6
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

# Role and title nouns that make a phrase next to a name a descriptor (prefixes: they match inflections).
_DESCRIPTOR_NOUNS = [
    "leader",
    "president",
    "dictator",
    "minister",
    "chancellor",
    "tyrant",
    "strongman",
    "autocrat",
    "despot",
    "head",
    "chief",
    "official",
    "spokes",
    "general",
    "commander",
    "activist",
    "billionaire",
    "mogul",
    "tycoon",
    "comedian",
    "actor",
    "regime",
    "government",
    "puppet",
    "warmonger",
    "criminal",
    "hero",
    "ally",
    "counterpart",
    "secretary",
    "ruler",
    "founder",
    "premier",
    "king",
    "queen",
    "envoy",
    "ambassador",
    "oligarch",
    "hawk",
    "critic",
    "agent",
    "terrorist",
    "nazi",
    "fascist",
    "murderer",
    "butcher",
    "killer",
    "mercenar",
    "warlord",
    "leader",
    "self-proclaimed",
    "so-called",
    "former",
    "ex-",
    "boss",
    "mouthpiece",
    "propagandist",
    "scientist",
    "expert",
    "professor",
    "presidente",
    "ditador",
    "ministro",
    "ministra",
    "chanceler",
    "líder",
    "chefe",
    "governo",
    "regime",
    "comediante",
    "ator",
    "bilionário",
    "magnata",
    "aliado",
    "criminoso",
    "genocida",
    "autoproclamado",
    "ex-presidente",
    "ativista",
    "cientista",
    "президент",
    "лидер",
    "диктатор",
    "глав",
    "министр",
    "канцлер",
    "премьер",
    "режим",
    "главар",
    "клоун",
    "комик",
    "актёр",
    "актер",
    "генерал",
    "командир",
    "спикер",
    "председател",
    "олигарх",
    "союзник",
    "преступник",
    "нацист",
    "фашист",
    "террорист",
    "самопровозглаш",
    "бывш",
    "экс-",
    "хунт",
    "марионет",
    "активист",
    "учен",
    "эксперт",
    "премиер",
    "министър",
    "държавн",
    "ръководител",
    "राष्ट्रपति",
    "प्रधानमंत्री",
    "नेता",
    "मंत्री",
    "तानाशाह",
    "चांसलर",
    "प्रवक्ता",
    "जनरल",
    "सरकार",
    "शासक",
    "राजदूत",
    "सचिव",
    "कार्यकर्ता",
    "वैज्ञानिक",
]
_BOUNDARY_WORDS = frozenset(
    [
        "said",
        "says",
        "told",
        "and",
        "or",
        "but",
        "of",
        "by",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "that",
        "which",
        "who",
        "is",
        "was",
        "are",
        "were",
        "has",
        "have",
        "had",
        "disse",
        "afirmou",
        "e",
        "ou",
        "mas",
        "de",
        "do",
        "da",
        "em",
        "no",
        "na",
        "para",
        "com",
        "que",
        "é",
        "foi",
        "сказал",
        "заявил",
        "и",
        "или",
        "но",
        "в",
        "на",
        "по",
        "для",
        "с",
        "что",
        "это",
        "был",
        "была",
        "сказа",
        "заяви",
        "каза",
        "и",
        "или",
        "но",
        "в",
        "на",
        "за",
        "с",
        "че",
        "е",
        "ने",
        "कहा",
        "और",
        "या",
        "लेकिन",
        "में",
        "पर",
        "के",
        "की",
        "का",
        "को",
        "से",
    ]
)
_TOKEN = re.compile(r"[\w\u0900-\u0963\u0966-\u097F'’\-]+")
_DETERMINERS = frozenset(["the", "a", "an", "o", "a", "um", "uma", "os", "as"])


def transliterate(name: str) -> str:
    """A Latin spelling of a Cyrillic name (simple scientific-ish table; other scripts unchanged)."""
    return "".join(_TRANSLIT.get(c, c) for c in normalise_name(name))


def stable_id(name: str) -> str:
    """A stable id for an entity the gazetteer does not know: slug plus crc32 of its normalised form."""
    norm = transliterate(name)
    slug = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")[:40] or "entity"
    return f"{slug}-{zlib.crc32(norm.encode()):08x}"


def link_entities(text: str, mentions: Sequence[Mention], sentences: Sequence[Span] = ()) -> list[Entity]:
    """Group mentions into canonical entities (sets Mention.entity_id); one Entity per group."""
    if not mentions:
        return []
    gazetteer = load_gazetteer()
    _join_unknown(mentions)
    entities: dict[str, Entity] = {}
    for mention in mentions:
        entity = entities.get(mention.entity_id)
        if entity is None:
            known = gazetteer.entries.get(mention.entity_id)
            name = known.name if known else mention.text
            entity = Entity(
                id=mention.entity_id, name=name, kind=mention.kind or (known.kind if known else "")
            )
            entities[mention.entity_id] = entity
        if mention.text not in entity.aliases:
            entity.aliases.append(mention.text)
    for i, mention in enumerate(mentions):
        prev_end = _chain_start(text, mentions, i)
        next_start = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        for span in find_descriptors(text, mention, sentences, prev_end, next_start):
            entity = entities[mention.entity_id]
            if all(d.text != span.text for d in entity.descriptors):
                entity.descriptors.append(span)
    return list(entities.values())


def _join_unknown(mentions: Sequence[Mention]) -> None:
    """Give unknown mentions an id: join a surname or inflected form to a fuller name seen in the article."""
    unknown = [m for m in mentions if not m.entity_id]
    by_length = sorted(unknown, key=lambda m: -len(m.text.split()))
    canon: list[tuple[list[str], str]] = []  # (normalised tokens, id) of names seen so far, longest first
    for mention in by_length:
        tokens = transliterate(mention.text).split()
        inflected = _CYRILLIC.search(mention.text) is not None
        match = next((eid for full, eid in canon if _same_name(tokens, full, inflected)), "")
        if not match:
            match = stable_id(" ".join(_stem(t) for t in tokens))
            canon.append((tokens, match))
        mention.entity_id = match
    _join_surnames_to_known(mentions)


def _join_surnames_to_known(mentions: Sequence[Mention]) -> None:
    """An unknown mention that is part of a known entity's fuller name in the article joins that entity."""
    entries = load_gazetteer().entries
    known = [(transliterate(m.text).split(), m.entity_id) for m in mentions if m.entity_id in entries]
    for mention in mentions:
        if mention.entity_id in entries:
            continue
        tokens = transliterate(mention.text).split()
        for full, eid in known:
            if len(full) > len(tokens) and _same_name(
                tokens, full, _CYRILLIC.search(mention.text) is not None
            ):
                mention.entity_id = eid
                break


def _same_name(tokens: list[str], full: list[str], inflected: bool = False) -> bool:
    """True when every token matches a token of the fuller name (up to a case ending when `inflected`)."""
    if not tokens or len(tokens) > len(full):
        return False
    return all(any(_same_token(t, f, inflected) for f in full) for t in tokens)


def _same_token(a: str, b: str, inflected: bool) -> bool:
    if a == b:
        return True
    if not inflected:
        return False
    common = len(_common_prefix(a, b))
    return common >= max(4, min(len(a), len(b)) - 3) and max(len(a), len(b)) - common <= 4


def _common_prefix(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[:i]


def _stem(token: str) -> str:
    return token[:-2] if len(token) > 6 else token


# ---------------------------------------------------------------------------------------- descriptors


def find_descriptors(
    text: str, mention: Mention, sentences: Sequence[Span] = (), prev_end: int = 0, next_start: int = -1
) -> list[Span]:
    """Noun phrases the text attaches to a mention: a title/epithet before it, an apposition after it.

    `prev_end`/`next_start` are the neighbouring mentions' offsets: a descriptor never crosses them, and a
    mention directly followed by another ("президент Беларуси Лукашенко") is itself part of a descriptor.
    """
    lo, hi = _sentence_bounds(text, mention, sentences)
    next_start = len(text) if next_start < 0 else next_start
    if not text[mention.end : next_start].strip():
        return []
    found = [_premodifier(text, mention, max(lo, prev_end)), _apposition(text, mention, hi)]
    return [s for s in found if s is not None]


def _chain_start(text: str, mentions: Sequence[Mention], i: int) -> int:
    """End of the nearest earlier mention not glued to this one by whitespace ("президент Беларуси X")."""
    j = i
    while j > 0 and not text[mentions[j - 1].end : mentions[j].start].strip():
        j -= 1
    return mentions[j - 1].end if j > 0 else 0


def _sentence_bounds(text: str, mention: Mention, sentences: Sequence[Span]) -> tuple[int, int]:
    for s in sentences:
        if s.start <= mention.start and mention.end <= s.end:
            return s.start, s.end
    return max(0, mention.start - 200), min(len(text), mention.end + 200)


def _premodifier(text: str, mention: Mention, lo: int) -> Span | None:
    """Words right before the mention ("Belarusian dictator", "президент Беларуси") up to a boundary."""
    window = text[lo : mention.start]
    if not window or not window[-1].isspace():
        return None
    tokens = list(_TOKEN.finditer(window))
    kept: list[re.Match[str]] = []
    for tok in reversed(tokens[-MAX_DESCRIPTOR_WORDS:]):
        gap = window[tok.end() : kept[-1].start() if kept else len(window)]
        if gap.strip() or tok.group().lower() in _BOUNDARY_WORDS or tok.group().lower() in _DETERMINERS:
            break
        kept.append(tok)
    if not kept or not _has_descriptor_noun(" ".join(t.group() for t in kept)):
        return None
    start, end = lo + kept[-1].start(), lo + kept[0].end()
    return Span(start, end, text[start:end])


def _apposition(text: str, mention: Mention, hi: int) -> Span | None:
    """ ", the Belarusian dictator," right after the mention."""
    rest = text[mention.end : hi]
    match = re.match(r"\s*,\s*([^,;:()\n]{3,80}?)\s*(?:,|$|\.)", rest)
    if not match:
        return None
    phrase = match.group(1)
    words = phrase.split()
    if len(words) > MAX_DESCRIPTOR_WORDS + 2 or words[0].lower() in _BOUNDARY_WORDS:
        return None
    if not (_has_descriptor_noun(phrase) or words[0].lower() in _DETERMINERS - {"o", "a", "as", "os"}):
        return None
    start = mention.end + match.start(1)
    return Span(start, start + len(phrase), phrase)


def _has_descriptor_noun(phrase: str) -> bool:
    words = [w.lower() for w in _TOKEN.findall(phrase)]
    return any(w.startswith(noun) for w in words for noun in _DESCRIPTOR_NOUNS)


def most_common(items: Sequence[str]) -> str:
    """The most frequent item (first seen wins ties), or "" for none."""
    return Counter(items).most_common(1)[0][0] if items else ""
