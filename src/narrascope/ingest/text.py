"""Plain-text articles: encoding detection, normalisation, and the "Title\\n\\nbody" layout."""

from __future__ import annotations

from pathlib import Path

from narrascope.errors import IngestError
from narrascope.ingest.cleaning import normalise_text, normalise_title
from narrascope.ingest.files import decode_bytes, read_bytes
from narrascope.records import Article

MAX_TITLE = 300  # a longer first paragraph is body text, not a title


def split_title(text: str) -> tuple[str, str]:
    """(title, body): the first line is the title when a blank line follows it and body text comes after."""
    first, sep, rest = text.partition("\n")
    if not sep or not rest.startswith("\n") or not first.strip() or len(first) > MAX_TITLE:
        return "", text
    body = rest.lstrip("\n")
    if not body.strip():
        return "", text
    return normalise_title(first), body


def read_text_file(path: Path, max_bytes: int) -> Article:
    """An Article from a .txt file; IngestError for binary, empty, oversized or unreadable files."""
    text = normalise_text(decode_bytes(read_bytes(path, max_bytes), str(path)))
    if not text.strip():
        raise IngestError(str(path), "file is empty (no text after normalisation)")
    title, body = split_title(text)
    return Article(title=title, text=body, name=str(path))
