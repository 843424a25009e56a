"""Language identification with lingua, restricted to the languages narrascope handles."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from typing import Any

UNKNOWN = "unknown"
MAX_CHARS = 3000  # enough for a confident guess; keeps detection fast on long articles
MIN_LETTERS = 12  # below this a guess is noise
MIN_CONFIDENCE = 0.5
_SCRIPTS = ("LATIN", "CYRILLIC", "DEVANAGARI")  # the scripts of en, bg, hi, pt, ru


def detect_language(text: str, languages: Sequence[str] = ("en", "bg", "hi", "pt", "ru")) -> str:
    """The ISO 639-1 code of the text's language among `languages`, or "unknown"."""
    sample = text[:MAX_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < MIN_LETTERS or not _mostly_known_script(letters):
        return UNKNOWN
    detector = _detector(tuple(sorted({code.lower() for code in languages})))
    if detector is None or isinstance(detector, str):
        return detector or UNKNOWN
    values = detector.compute_language_confidence_values(sample)
    if not values or values[0].value < MIN_CONFIDENCE:
        return UNKNOWN
    return str(values[0].language.iso_code_639_1.name.lower())


def _mostly_known_script(letters: list[str]) -> bool:
    known = sum(1 for ch in letters if unicodedata.name(ch, "").split(" ")[0] in _SCRIPTS)
    return known >= 0.6 * len(letters)


@functools.lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> Any:
    """Build the lingua detector once per process and language set (models load lazily)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, code.upper()) for code in codes if hasattr(IsoCode639_1, code.upper())]
    if not isos:
        return None
    if len(isos) == 1:
        return isos[0].name.lower()
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()
