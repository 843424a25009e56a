"""Readers for data dumps (JSONL, CSV, Parquet): one Article per record, one IngestError per bad record."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from narrascope.errors import IngestError
from narrascope.ingest.cleaning import normalise_text, normalise_title
from narrascope.ingest.dates import normalise_date
from narrascope.ingest.files import decode_bytes, read_bytes, size_error
from narrascope.records import Article

Item = Article | IngestError
TEXT_COLUMNS = ("text", "body", "content")
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "source": ("source", "outlet", "sitename"),
    "published": ("published", "date", "published_at", "pubdate"),
    "id": ("id", "doc_id", "article_id"),
    "language": ("language", "lang"),
}
_MAX_CONSECUTIVE_FAILURES = 1000
_DUMP_CAP_FACTOR = 1000  # a dump may hold many articles: the cap applies per record, files up to 1000x


def text_columns(text_column: str) -> tuple[str, ...]:
    """The column names that may hold the article text (an explicit override is the only one)."""
    return TEXT_COLUMNS if text_column == "text" else (text_column,)


def article_from_record(record: Mapping[str, Any], where: str, text_column: str, max_bytes: int) -> Item:
    """An Article from one record with named fields; IngestError naming `where` when it has no text."""
    fields = {str(k).strip().lower().lstrip("\ufeff"): v for k, v in record.items() if k is not None}
    names = text_columns(text_column.lower())
    raw = next((fields[c] for c in names if fields.get(c) not in (None, "")), None)
    if raw is None:
        return IngestError(where, f"no text (expected a non-empty field: {', '.join(names)})")
    if not isinstance(raw, str):
        return IngestError(where, f"text field is {type(raw).__name__}, not a string")
    if len(raw.encode("utf-8", errors="replace")) > max_bytes:
        return size_error(where, len(raw.encode("utf-8", errors="replace")), max_bytes)
    text = normalise_text(raw)
    if not text:
        return IngestError(where, "text is empty after normalisation")
    value = {name: _first(fields, keys) for name, keys in FIELDS.items()}
    return Article(
        title=normalise_title(value["title"]),
        text=text,
        name=value["id"] or where,
        source=value["source"],
        url=value["url"],
        published=normalise_date(_first_raw(fields, FIELDS["published"])),
        language=value["language"].lower() if len(value["language"]) <= 8 else "",
    )


def _first_raw(fields: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    return next((fields[k] for k in keys if fields.get(k) not in (None, "")), None)


def _first(fields: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    value = _first_raw(fields, keys)
    return "" if value is None else str(value).strip()


def read_jsonl(path: Path, max_bytes: int, text_column: str) -> Iterator[Item]:
    """One Article per JSON object line; a malformed line yields an IngestError naming file:line."""
    data = read_bytes(path, max_bytes * _DUMP_CAP_FACTOR)
    for number, raw in enumerate(data.split(b"\n"), start=1):
        where = f"{path}:{number}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            yield IngestError(where, f"invalid UTF-8 at byte {exc.start}")
            continue
        except (json.JSONDecodeError, RecursionError) as exc:
            yield IngestError(where, f"malformed JSON: {exc}")
            continue
        if not isinstance(record, dict):
            yield IngestError(where, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield article_from_record(record, where, text_column, max_bytes)


def read_csv(path: Path, max_bytes: int, text_column: str) -> Iterator[Item]:
    """One Article per row; no text column gives one IngestError, a malformed row one per row."""
    text = decode_bytes(read_bytes(path, max_bytes * _DUMP_CAP_FACTOR), str(path))
    csv.field_size_limit(max(csv.field_size_limit(), min(max_bytes * 2, sys.maxsize)))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in reader.fieldnames or []]
    except csv.Error as exc:
        yield IngestError(str(path), f"malformed CSV header: {exc}")
        return
    names = text_columns(text_column.lower())
    if not any(name in header for name in names):
        yield IngestError(
            str(path), f"missing text column {' / '.join(names)} (columns: {', '.join(header)})"
        )
        return
    yield from _csv_rows(reader, path, text_column, max_bytes)


def _csv_rows(reader: csv.DictReader[str], path: Path, text_column: str, max_bytes: int) -> Iterator[Item]:
    rows = failures = 0
    while failures < _MAX_CONSECUTIVE_FAILURES:
        line = reader.line_num + 1  # where the next record starts
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows, failures = rows + 1, failures + 1
            yield IngestError(f"{path}:{line}", f"malformed CSV row: {exc}")
            continue
        rows, failures = rows + 1, 0
        yield article_from_record(row, f"{path}:{line}", text_column, max_bytes)
    if failures >= _MAX_CONSECUTIVE_FAILURES:
        yield IngestError(str(path), f"stopped after {failures} malformed rows in a row")
    elif rows == 0:
        yield IngestError(str(path), "no rows after the header")


def read_parquet(path: Path, max_bytes: int, text_column: str) -> Iterator[Item]:
    """One Article per Parquet row, read batch by batch with pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    read_bytes(path, max_bytes * _DUMP_CAP_FACTOR)  # the same existence, kind and size checks as any file
    try:
        parquet = pq.ParquetFile(path)
        columns = [c.lower() for c in parquet.schema_arrow.names]
    except (pa.ArrowException, OSError) as exc:
        yield IngestError(str(path), f"not a readable Parquet file: {exc}")
        return
    names = text_columns(text_column.lower())
    if not any(name in columns for name in names):
        yield IngestError(
            str(path), f"missing text column {' / '.join(names)} (columns: {', '.join(columns)})"
        )
        return
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=256):
            for record in batch.to_pylist():
                row += 1
                yield article_from_record(record, f"{path}:row{row}", text_column, max_bytes)
    except (pa.ArrowException, OSError) as exc:
        yield IngestError(f"{path}:row{row + 1}", f"unreadable Parquet data: {exc}")
        return
    if row == 0:
        yield IngestError(str(path), "no rows")
