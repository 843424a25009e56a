"""Safe file reading: size cap, permissions, non-regular files, binary content and encoding detection."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from charset_normalizer import from_bytes

from narrascope.errors import IngestError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAX_CONTROL_SHARE = 0.05  # decoded text with more control characters than this is binary


def describe_size(size: int) -> str:
    """A size in megabytes as people read it: "52.4 MB"."""
    return f"{size / 1_000_000:.1f} MB"


def size_error(source: str, size: int, max_bytes: int) -> IngestError:
    """The one error for anything above the size cap."""
    return IngestError(
        source, f"{source} is {describe_size(size)}, above the {max_bytes / 1_000_000:g} MB cap (max_bytes)"
    )


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular, readable, non-empty file no larger than `max_bytes`; IngestError otherwise."""
    source = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError(source, "no such file (or a broken link)") from None
    except OSError as exc:
        raise IngestError(source, f"cannot stat: {exc.strerror or exc}") from None
    _check_kind(source, info.st_mode)
    if info.st_size > max_bytes:
        raise size_error(source, info.st_size, max_bytes)
    if not os.access(path, os.R_OK):
        raise IngestError(source, "permission denied (not readable)")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(source, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise size_error(source, len(data), max_bytes)
    if not data.strip():
        raise IngestError(source, "file is empty")
    return data


def _check_kind(source: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IngestError(source, "is a directory, not a file")
    if stat.S_ISFIFO(mode):
        raise IngestError(source, "is a FIFO (named pipe), not a regular file")
    if not stat.S_ISREG(mode):
        raise IngestError(source, "is not a regular file (device or socket)")


def decode_bytes(data: bytes, source: str) -> str:
    """Decode text bytes: BOM, then UTF-8, then per-line repair of mixed files, then charset detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode(data, encoding, source), source)
    if b"\x00" in data:
        raise IngestError(source, "binary content (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    text = _decode_mixed(data) or _decode_detected(data, source)
    return _checked(text, source)


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"invalid {encoding} text at byte {exc.start}") from None


def _decode_detected(data: bytes, source: str) -> str:
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(source, "not valid UTF-8 and no plausible text encoding found (binary?)")
    return str(best)


def _decode_mixed(data: bytes) -> str | None:
    """A file whose lines mix UTF-8 with one legacy encoding: decode each line on its own."""
    lines = data.split(b"\n")
    bad = [line for line in lines if not _is_utf8(line)]
    good_non_ascii = any(not line.isascii() and _is_utf8(line) for line in lines)
    if not good_non_ascii or not bad:
        return None
    best = from_bytes(b"\n".join(bad)).best()
    if best is None or best.encoding is None:
        return None
    legacy = best.encoding
    return "\n".join(
        line.decode("utf-8") if _is_utf8(line) else line.decode(legacy, errors="replace") for line in lines
    )


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _checked(text: str, source: str) -> str:
    """Refuse decoded text that is mostly control characters (a binary file that happened to decode)."""
    if not text.strip():
        raise IngestError(source, "file is empty (only whitespace)")
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f\v")
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise IngestError(source, "binary content (control characters), not text")
    return text
