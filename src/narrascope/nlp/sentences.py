"""Sentence segmentation with character offsets, for EN BG HI PT RU (rule-based, no model)."""

from __future__ import annotations

import re

from narrascope.records import Span

# A sentence ends at . ! ? … or the Devanagari danda, optionally followed by closing quotes/brackets,
# then whitespace; a line break (paragraph) always ends one.
_END = re.compile(r"""[.!?…।॥]+["'»”’)\]]*(?=\s)|\n\s*""")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|vs|etc|No|Inc|Ltd|Co|Corp|"
    r"U\.S|U\.K|e\.g|i\.e|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"г|гг|т\.е|т\.к|им|ул|млн|млрд|тыс|руб|проф|акад|др|Sr|Sra|Dra|pág|nº)"
    r"|\b[A-ZА-Я])\.$"
)
MAX_SENTENCE = 1000


def split_sentences(text: str) -> list[Span]:
    """Sentences as Spans into `text` (whitespace trimmed, empty ones dropped)."""
    spans: list[Span] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group().strip() and _ABBREV.search(text[max(start, end - 12) : end]):
            continue
        _add(text, start, end, spans)
        start = end
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    for s in range(start, end, MAX_SENTENCE):  # very long runs (tables, lists) are cut
        e = min(end, s + MAX_SENTENCE)
        spans.append(Span(s, e, text[s:e]))
