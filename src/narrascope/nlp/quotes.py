"""Direct and reported quotes in EN RU BG PT HI, attributed to canonical entities (rule-based)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from narrascope.nlp.sentences import split_sentences
from narrascope.records import Article, ArticleAnalysis, Entity, Mention, Quote, Span, Speaker
from narrascope.settings import Settings

MAX_QUOTE = 1500  # a "quote" longer than this (in one paragraph) is an unbalanced mark, not a quote
MIN_WORDS = 3  # shorter quoted spans count only with a speech cue ("scare quotes" are not quotes)
WINDOW = 160  # characters searched around a quote for its attribution

# paired marks: opener -> closers (RU/BG „…“ and „…” both occur; PT/RU «…»)
PAIRS: dict[str, str] = {"“": "”", "«": "»", "„": "“”", "‘": "’"}
STRAIGHT = "\"'"

_VERBS = {
    "en": r"said|says|say|told|tells|stressed|noted|added|warned|insisted|claimed|argued|explained|"
    r"stated|declared|announced|urged|admitted|replied|wrote|fumed|promised|recalled|complained|"
    r"asked|answered|according to|speaking to",
    "ru": r"сказал\w*|заявил\w*|заявля\w*|подчеркнул\w*|подчёркива\w*|подчеркива\w*|отметил\w*|"
    r"отмеча\w*|сообщил\w*|добавил\w*|пояснил\w*|напомнил\w*|рассказал\w*|предупредил\w*|признал\w*|"
    r"написал\w*|ответил\w*|уточнил\w*|считает|говорит|по (?:его|её|ее|их) (?:словам|мнению)|"
    r"по словам|по мнению",
    "bg": r"каза\w*|заяви\w*|подчерта\w*|отбеляза\w*|съобщи\w*|добави\w*|обясни\w*|посочи\w*|"
    r"предупреди\w*|призна\w*|разказа\w*|коментира\w*|сподели\w*|смята|твърди|допълни\w*|"
    r"по думите (?:му|ѝ|им)|според (?:него|нея|тях)|според",
    "pt": r"disse|diz|dizem|afirmou|afirma|declarou|destacou|ressaltou|acrescentou|explicou|alertou|"
    r"advertiu|lembrou|garantiu|admitiu|contou|informou|defendeu|criticou|segundo|de acordo com",
    "hi": r"कहा|कहना|कहते|कहती|बताया|बोले|बोली|जोड़ा|चेतावनी दी|दावा किया|स्वीकार किया|माना|"
    r"के अनुसार|के मुताबिक़|के मुताबिक",
}
_PRONOUNS = {
    "en": r"he|she|He|She",
    "ru": r"он|она|Он|Она|его|её|ее",
    "bg": r"той|тя|Той|Тя|му|ѝ|него|нея",
    "pt": r"ele|ela|Ele|Ela",
    "hi": r"उन्होंने|उनका|उनके|उनकी|वह|वे|उसने",
}
# nominal anaphors: a role noun standing for the last named person ("the Belarusian leader")
_ROLE_NOUNS = {
    "en": r"leader|minister|president|spokesman|spokeswoman|spokesperson|governor|mayor|premier|"
    r"chancellor|commissioner|official|general|envoy|ambassador|head of state|head of government|secretary",
    "ru": r"лидер\w*|министр\w*|президент\w*|представител\w*|губернатор\w*|мэр\w*|премьер\w*|глав\w+",
    "bg": r"лидер\w*|министър\w*|президент\w*|говорител\w*|губернатор\w*|кмет\w*|премиер\w*",
    "pt": r"líder|ministr[oa]|president[ea]|porta-voz|governador[a]?|prefeit[oa]|chanceler",
    "hi": r"नेता|मंत्री|राष्ट्रपति|प्रवक्ता|राज्यपाल|गवर्नर|महापौर",
}
_SOURCES = [
    r"[Ii]n an interview with (?P<s>(?:the )?[A-Z][\w.-]*(?: [A-Z][\w.-]*)*)",
    r"(?:told|[Ss]peaking to|said to) (?P<s>(?:the )?[A-Z][\w.-]*(?: [A-Z][\w.-]*)*)",
    r"в интервью (?:газете |телеканалу |агентству |изданию )?(?P<s>«[^»]{1,60}»|[A-ZА-ЯЁ][\w-]*(?: [A-ZА-ЯЁ][\w-]*)*)",
    r"(?:агентству|газете|телеканалу|изданию) (?P<s>«[^»]{1,60}»|[A-ZА-ЯЁ][\w-]*(?: [A-ZА-ЯЁ][\w-]*)*)",
    r"(?:в интервю за|пред) (?P<s>„[^“”]{1,60}[“”]|[A-ZА-Я][\w-]*(?: [A-ZА-Я][\w-]*)*)",
    r"(?:em entrevista (?:a|ao|à)|ao|à) (?P<s>[A-Z][\w-]*(?: [A-Z][\w-]*)*)",
    r"(?P<s>\S+ \S+) (?:से बातचीत में|को दिए (?:इंटरव्यू|साक्षात्कार) में|को बताया)",
]
_ORG_WORDS = {
    "collective",
    "institute",
    "institution",
    "university",
    "universidade",
    "agency",
    "ministry",
    "council",
    "party",
    "group",
    "wire",
    "energy",
    "portal",
    "news",
    "times",
    "post",
    "radio",
    "tv",
    "bank",
    "company",
    "association",
    "foundation",
    "fund",
    "union",
    "commission",
    "office",
}
_QUOTE_TRIM = " \t\n,.;:—–-"


@dataclass
class _Raw:
    """A quote span before attribution: [start, end) of its text, and the marks around it."""

    start: int
    end: int
    open_at: int
    close_at: int
    after_hint: tuple[int, int] | None = None  # dash dialogue: where its attribution is


def find_quotes(
    text: str, language: str, entities: Sequence[Entity], mentions: Sequence[Mention]
) -> list[Quote]:
    """Direct quotes (every quotation convention, dash dialogue) and reported speech in `text`."""
    lang = language if language in _VERBS else "en"
    cues = _Cues(lang)
    names = {e.id: e.name for e in entities}
    mentions = sorted(mentions, key=lambda m: m.start)
    raws = _outermost(list(_paired_quotes(text)) + list(_dash_quotes(text)), text)
    quotes = _continued(text, [_attribute(text, raw, cues, mentions, names, raws) for raw in raws])
    quoted = [(r.open_at, r.close_at) for r in raws]
    quotes += _reported(text, cues, mentions, names, quoted)
    return sorted(quotes, key=lambda q: q.start)


class _Cues:
    """Compiled speech verbs, pronouns, role nouns for one language."""

    def __init__(self, lang: str) -> None:
        b = r"(?<![\w\u0900-\u097F])"
        e = r"(?![\w\u0900-\u097F])"
        self.lang = lang
        self.verb = re.compile(f"{b}(?:{_VERBS[lang]}){e}")
        self.pronoun = re.compile(f"{b}(?:{_PRONOUNS[lang]}){e}")
        self.role = re.compile(f"{b}(?:{_ROLE_NOUNS[lang]}){e}", re.IGNORECASE)


# ---------------------------------------------------------------- direct quotes


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _paired_quotes(text: str) -> Iterator[_Raw]:
    for lo, hi in _paragraphs(text):
        yield from _curly(text, lo, hi)
        for mark in STRAIGHT:
            yield from _straight(text, lo, hi, mark)


def _curly(text: str, lo: int, hi: int) -> Iterator[_Raw]:
    i = lo
    while i < hi:
        closers = PAIRS.get(text[i])
        if closers is None:
            i += 1
            continue
        j = _matching(text, i, hi, text[i], closers)
        if j is None:
            i += 1
            continue
        yield _Raw(i + 1, j, i, j + 1)
        i = j + 1


def _matching(text: str, i: int, hi: int, opener: str, closers: str) -> int | None:
    """Index of the closer matching the opener at `i` (same-kind nesting counted), or None."""
    depth = 0
    for j in range(i + 1, min(hi, i + MAX_QUOTE)):
        ch = text[j]
        if ch in closers and not (ch == "’" and j + 1 < hi and text[j + 1].isalpha()):
            if depth == 0:
                return j
            depth -= 1
        elif ch == opener and opener not in closers:
            depth += 1
    return None


def _straight(text: str, lo: int, hi: int, mark: str) -> Iterator[_Raw]:
    """Pairs of straight quotes: an opener after space/punctuation, a closer before it; strays dropped."""
    opener: int | None = None
    for j in range(lo, hi):
        if text[j] != mark:
            continue
        before = text[j - 1] if j > lo else " "
        after = text[j + 1] if j + 1 < hi else " "
        can_open = not before.isalnum() and not after.isspace() and after != mark
        can_close = not before.isspace() and not after.isalnum()
        if opener is not None and can_close and j - opener < MAX_QUOTE:
            yield _Raw(opener + 1, j, opener, j + 1)
            opener = None
        elif can_open:
            opener = j


def _dash_quotes(text: str) -> Iterator[_Raw]:
    """Dialogue paragraphs: `— Quote, — said X. — More quote.` (RU BG PT)."""
    for lo, hi in _paragraphs(text):
        para = text[lo:hi]
        head = re.match(r"\s*[—–-]\s+", para)
        if not head:
            continue
        parts = list(re.finditer(r"[,.!?…]?\s[—–]\s", para[head.end() :]))
        start = lo + head.end()
        if not parts:
            yield _Raw(start, hi, lo, hi)
            continue
        first = parts[0]
        q_end = start + first.start() + (1 if para[head.end() + first.start()] in "!?…" else 0)
        attr_lo = start + first.end()
        attr_hi = _attribution_end(text, attr_lo, hi)
        yield _Raw(start, q_end, lo, attr_hi, after_hint=(attr_lo, attr_hi))
        rest = re.match(r"[.!?…]?\s*[—–]\s+", text[attr_hi:hi])
        if rest and attr_hi + rest.end() < hi:
            yield _Raw(attr_hi + rest.end(), hi, attr_hi, hi, after_hint=(attr_lo, attr_hi))


def _attribution_end(text: str, lo: int, hi: int) -> int:
    for j in range(lo, hi):
        if text[j] in ".!?" or (text[j] in "—–" and j > lo and text[j - 1] == " "):
            return j
    return hi


def _outermost(raws: list[_Raw], text: str) -> list[_Raw]:
    """Drop quotes nested in (or crossing) an earlier, larger one; keep those with enough words."""
    kept: list[_Raw] = []
    for raw in sorted(raws, key=lambda r: (r.open_at, -(r.close_at - r.open_at))):
        if raw.end <= raw.start or not _has_words(raw, text):
            continue
        if any(raw.open_at < k.close_at and raw.close_at > k.open_at for k in kept):
            continue
        kept.append(raw)
    return kept


def _has_words(raw: _Raw, text: str = "") -> bool:
    return raw.end - raw.start >= 2 and (not text or len(text[raw.start : raw.end].split()) >= 2)


# ---------------------------------------------------------------- attribution


def _attribute(
    text: str,
    raw: _Raw,
    cues: _Cues,
    mentions: Sequence[Mention],
    names: dict[str, str],
    raws: Sequence[_Raw],
) -> Quote | None:
    start, end = _trim(text, raw.start, raw.end)
    if end <= start:
        return None
    windows = [raw.after_hint] if raw.after_hint else _windows(text, raw, raws)
    for lo, hi in windows:
        cue = _cue_in(text, lo, hi, cues)
        if cue is None:
            continue
        if len(text[start:end].split()) < MIN_WORDS and _distance(cue, raw) > 30:
            return None  # a short quoted phrase far from the verb is a scare quote
        speaker = _speaker(text, (lo, hi), cue, cues, mentions, names, raw.open_at)
        return Quote(text[start:end], start, end, speaker, _source(text, lo, hi), "direct")
    if len(text[start:end].split()) < MIN_WORDS or not _sentence_like(text[start:end]):
        return None
    return Quote(text[start:end], start, end, None, "", "direct")


def _distance(cue: _Cue, raw: _Raw) -> int:
    return max(0, cue.start - raw.close_at, raw.open_at - cue.end)


def _continued(text: str, found: Sequence[Quote | None]) -> list[Quote]:
    """A cue-less quote opening a sentence right after an attributed one in the same paragraph continues it."""
    quotes: list[Quote] = []
    for quote in found:
        if quote is None:
            continue
        prev = quotes[-1] if quotes else None
        if quote.speaker is None and prev is not None and prev.speaker is not None:
            between = text[prev.end : quote.start]
            if "\n" not in between and len(between) < WINDOW and re.search(r"[.!?]", between):
                quote.speaker = prev.speaker
        quotes.append(quote)
    return quotes


def _sentence_like(quote: str) -> bool:
    """A quote with no speech cue still counts when it reads as an utterance, not a phrase."""
    return len(quote.split()) >= 6 or quote.rstrip()[-1:] in ".!?…"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _QUOTE_TRIM:
        start += 1
    while end > start and text[end - 1] in _QUOTE_TRIM:
        end -= 1
    if end < len(text) and text[end : end + 1] in ".!?…" and end > start:
        end += 1 if text[end - 1] not in ".!?…" else 0
    return start, end


def _windows(text: str, raw: _Raw, raws: Sequence[_Raw]) -> list[tuple[int, int]]:
    """Attribution windows: after the quote to the sentence end, then before it from the sentence start."""
    after_hi = _sentence_end(text, raw.close_at)
    before_lo = _sentence_start(text, raw.open_at)
    for other in raws:  # a window stops at the next / previous quote
        if other.open_at >= raw.close_at:
            after_hi = min(after_hi, other.open_at)
        if other.close_at <= raw.open_at:
            before_lo = max(before_lo, other.close_at)
    return [(raw.close_at, after_hi), (before_lo, raw.open_at)]


def _sentence_end(text: str, i: int) -> int:
    hi = min(len(text), i + WINDOW)
    match = re.compile(r"[.!?।](?=\s|$)|\n").search(text, i, hi)
    return match.end() if match else hi


def _sentence_start(text: str, i: int) -> int:
    lo = max(0, i - WINDOW)
    ends = list(re.compile(r"[.!?।](?=\s)|\n").finditer(text, lo, i))
    return ends[-1].end() if ends else lo


@dataclass
class _Cue:
    start: int
    end: int


def _cue_in(text: str, lo: int, hi: int, cues: _Cues) -> _Cue | None:
    match = cues.verb.search(text, lo, hi)
    if match:
        return _Cue(match.start(), match.end())
    colon = re.compile(r":\s*$").search(text, lo, hi)
    return _Cue(colon.start(), colon.end()) if colon else None


def _speaker(
    text: str,
    window: tuple[int, int],
    cue: _Cue,
    cues: _Cues,
    mentions: Sequence[Mention],
    names: dict[str, str],
    before: int,
) -> Speaker | None:
    """The named subject nearest the cue in the window; else a pronoun / role noun / bare verb resolved back."""
    lo, hi = window
    inside = [m for m in mentions if m.start >= lo and m.end <= hi]
    people = [m for m in inside if _personish(m, names)]
    people = people or [m for m in inside if m.kind == "ORG" and _subject_org(text, m, cue)]
    if people:
        best = min(people, key=lambda m: min(abs(m.start - cue.end), abs(cue.start - m.end)))
        return _as_speaker(best, names)
    if _anaphor(text, lo, hi, cues) or _bare_verb(text, lo, hi, cue, cues):
        return _last_person(mentions, min(lo, before), names)
    return None


def _subject_org(text: str, mention: Mention, cue: _Cue) -> bool:
    """An organisation speaks only right next to the verb ("the Kremlin said")."""
    return abs(mention.end - cue.start) <= 4 or abs(cue.end - mention.start) <= 5


def _anaphor(text: str, lo: int, hi: int, cues: _Cues) -> bool:
    return bool(cues.pronoun.search(text, lo, hi) or cues.role.search(text, lo, hi))


def _bare_verb(text: str, lo: int, hi: int, cue: _Cue, cues: _Cues) -> bool:
    """Pro-drop attribution: only the verb (PT `, afirmou.`, RU `— добавил.`) sits in the window."""
    rest = text[lo:hi].replace(text[cue.start : cue.end], " ", 1)
    return cue.end > cue.start and not re.search(r"[^\W\d_]{3,}", rest)


def _last_person(mentions: Sequence[Mention], before: int, names: dict[str, str]) -> Speaker | None:
    people = [m for m in mentions if m.end <= before and _personish(m, names)]
    return _as_speaker(people[-1], names) if people else None


def _personish(mention: Mention, names: dict[str, str]) -> bool:
    """A person mention, or an unclassified (MISC) one that looks like a full personal name."""
    if mention.kind in ("PER", ""):
        return True
    if mention.kind != "MISC":
        return False
    tokens = (names.get(mention.entity_id) or mention.text).split()
    if any(t.lower() in _ORG_WORDS or (len(t) > 1 and t.isupper()) for t in tokens):
        return False
    return 2 <= len(tokens) <= 4 and all(t[:1].isupper() for t in tokens)


def _as_speaker(mention: Mention, names: dict[str, str]) -> Speaker:
    name = names.get(mention.entity_id) or mention.text
    return Speaker(id=mention.entity_id, name=name)


def _source(text: str, lo: int, hi: int) -> str:
    chunk = text[lo:hi]
    for pattern in _SOURCES:
        match = re.search(pattern, chunk)
        if match and match.group("s").strip("«»„“” "):
            return _clean_source(match.group("s"))
    return ""


def _clean_source(source: str) -> str:
    source = source.strip().strip("«»„“”").strip()
    return re.sub(r"^the ", "", source)


# ---------------------------------------------------------------- reported speech

_THAT = {
    "en": r"\s*(?:that\s+)?",
    "ru": r",?\s*(?:что\s+)?",
    "bg": r",?\s*(?:че\s+)?",
    "pt": r"\s*(?:que\s+)?",
    "hi": r"\s*(?:है\s+)?(?:कि\s+)?",
}


def _reported(
    text: str,
    cues: _Cues,
    mentions: Sequence[Mention],
    names: dict[str, str],
    quoted: Sequence[tuple[int, int]],
) -> list[Quote]:
    """`X said (that) …` sentences with no direct quote: the clause after the verb, X as speaker."""
    found: list[Quote] = []
    for sent in split_sentences(text):
        if any(a < sent.end and b > sent.start for a, b in quoted):
            continue
        quote = _reported_in(text, sent, cues, mentions, names)
        if quote is not None:
            found.append(quote)
    return found


def _reported_in(
    text: str, sent: Span, cues: _Cues, mentions: Sequence[Mention], names: dict[str, str]
) -> Quote | None:
    for verb in cues.verb.finditer(text, sent.start, sent.end):
        subject = _subject(text, sent, verb.start(), verb.end(), cues, mentions, names)
        if subject is None:
            continue
        that = re.compile(_THAT[cues.lang]).match(text, verb.end())
        start = that.end() if that else verb.end()
        start, end = _trim(text, start, sent.end)
        if len(text[start:end].split()) < MIN_WORDS:
            continue
        return Quote(text[start:end], start, end, subject, _source(text, sent.start, sent.end), "reported")
    return None


def _subject(
    text: str,
    sent: Span,
    v_start: int,
    v_end: int,
    cues: _Cues,
    mentions: Sequence[Mention],
    names: dict[str, str],
) -> Speaker | None:
    """The named person just before the verb (`Dimov said`, `X ने कहा`), or a pronoun resolved back."""
    near = [m for m in mentions if sent.start <= m.start and m.end <= v_start and v_start - m.end <= 60]
    near = [m for m in near if _personish(m, names)]
    if near:
        strict = [m for m in near if m.kind == "PER"]
        return _as_speaker((strict or near)[-1], names)
    head = text[max(sent.start, v_start - 14) : v_start]
    if cues.pronoun.search(head):
        return _last_person(mentions, sent.start, names)
    return None


class QuoteStage:
    """Finds direct and reported quotes and attributes them to the article's entities."""

    name, version = "quotes", "2"
    requires = ("mentions", "sentences")
    provides = ("quotes",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        language = analysis.language or article.language or "en"
        analysis.quotes = find_quotes(article.full_text, language, analysis.entities, analysis.mentions)
        return analysis
