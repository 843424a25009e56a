"""Read and write SemEval-2025 Task 10 files (subtasks 1, 2 and 3); raw documents keep their CRLF."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from narrascope.errors import FormatError
from narrascope.evaluate import St1Rows

ST3_MAX_WORDS = 80


@dataclass(frozen=True)
class St1Line:
    """One subtask-1 line; `end` is INCLUSIVE as in the official files."""

    doc: str
    mention: str
    start: int
    end: int
    main: str = ""
    fine: tuple[str, ...] = ()


def read_document(path: Path) -> str:
    """A raw document as text with \\r kept (subtask-1 offsets count it)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc


def iter_documents(docs: Path) -> Iterator[tuple[str, str]]:
    """(file name, text) for every .txt file in a folder (or `raw-documents/` below it), sorted by name."""
    if (docs / "raw-documents").is_dir():
        docs = docs / "raw-documents"
    if not docs.is_dir():
        raise FormatError(f"{docs}: not a folder of raw documents")
    for path in sorted(docs.glob("*.txt")):
        yield path.name, read_document(path)


def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"{path}: {exc}") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r")
        if line.strip():
            yield number, line.split("\t")


def _labels(cell: str) -> set[str]:
    return {x.strip() for x in cell.split(";") if x.strip()}


def read_st2(path: Path) -> dict[str, tuple[set[str], set[str]]]:
    out: dict[str, tuple[set[str], set[str]]] = {}
    for _, cols in _lines(path):
        doc = cols[0].strip()
        out[doc] = (
            _labels(cols[1]) if len(cols) > 1 else set(),
            _labels(cols[2]) if len(cols) > 2 else set(),
        )
    return out


def format_st2(doc: str, narratives: Iterable[str], subnarratives: Iterable[str]) -> str:
    coarse, fine = ";".join(narratives) or "Other", ";".join(subnarratives) or "Other"
    return f"{doc}\t{coarse}\t{fine}"


def read_st1(path: Path, *, with_roles: bool = True) -> list[St1Line]:
    """Subtask-1 lines (gold/prediction, or the 4-column mentions file when with_roles=False)."""
    out = []
    for number, cols in _lines(path):
        if len(cols) < 4:
            raise FormatError(f"{path}:{number}: expected at least 4 tab-separated columns, got {len(cols)}")
        try:
            start, end = int(cols[2]), int(cols[3])
        except ValueError:
            raise FormatError(
                f"{path}:{number}: start/end are not integers: {cols[2]!r} {cols[3]!r}"
            ) from None
        main = cols[4].strip() if with_roles and len(cols) > 4 else ""
        fine = tuple(c.strip() for c in cols[5:] if c.strip()) if with_roles else ()
        out.append(St1Line(cols[0].strip(), cols[1], start, end, main, fine))
    return out


def st1_rows(lines: Iterable[St1Line]) -> St1Rows:
    """Lines keyed as the official scorer keys them (doc, mention without quotes, start, end)."""
    return {
        (x.doc, x.mention.replace('"', "").strip(), str(x.start), str(x.end)): (x.main, set(x.fine))
        for x in lines
    }


def format_st1(line: St1Line) -> str:
    return "\t".join([line.doc, line.mention, str(line.start), str(line.end), line.main, *line.fine])


def align_mention(text: str, line: St1Line, where: str) -> tuple[int, int, bool]:
    """Half-open offsets of a mention in `text`; tolerates the known off-by-CR shift, else FormatError.

    Returns (start, end, shifted) where shifted says the CR tolerance was used.
    """
    start, end = line.start, line.end + 1
    if 0 <= start < end <= len(text) and text[start:end] == line.mention:
        return start, end, False
    for shift in (text[:start].count("\r"), -text[:start].count("\n")):
        s, e = start - shift, end - shift
        if shift and 0 <= s < e <= len(text) and text[s:e] == line.mention:
            return s, e, True
    if not 0 <= start < end <= len(text):
        raise FormatError(
            f"{where}: offsets {line.start}-{line.end} are outside the text ({len(text)} chars)"
        )
    raise FormatError(
        f"{where}: text at {line.start}-{line.end} is {text[start:end]!r}, not {line.mention!r}"
    )


def read_st3_dominant(path: Path) -> dict[str, tuple[str, str]]:
    """The subtask-3 input: doc -> (dominant narrative, dominant subnarrative)."""
    out = {}
    for number, cols in _lines(path):
        if len(cols) < 3:
            raise FormatError(f"{path}:{number}: expected id, narrative, subnarrative")
        out[cols[0].strip()] = (cols[1].strip(), cols[2].strip())
    return out


def format_st3(doc: str, explanation: str) -> str:
    words = explanation.replace("\t", " ").replace("\n", " ").split()
    return f"{doc}\t{' '.join(words[:ST3_MAX_WORDS])}"
