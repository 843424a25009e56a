"""Sidecar metadata CSV: outlet, date, URL and title for files matched by name or relative path."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from narrascope.errors import IngestError
from narrascope.ingest.cleaning import normalise_title
from narrascope.ingest.dates import normalise_date
from narrascope.ingest.files import decode_bytes, read_bytes
from narrascope.records import Article

KEY_COLUMNS = ("file", "name", "id", "path")
VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "source": ("outlet", "source"),
    "published": ("published", "date"),
    "url": ("url", "link"),
    "title": ("title",),
}


@dataclass
class Sidecar:
    """Metadata rows keyed by file name, relative path or record id."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)

    def lookup(self, *keys: str) -> dict[str, str]:
        """The first row matching any key (relative path, file name, record id)."""
        for key in keys:
            if key and key in self.rows:
                return self.rows[key]
        return {}

    def apply(self, article: Article, *keys: str) -> Article:
        """The article with the sidecar's non-empty fields filled in (a new id if the title changed)."""
        row = self.lookup(*keys)
        if not row:
            return article
        changes = {name: value for name, value in row.items() if value}
        title = changes.get("title", article.title)
        return Article(
            title=title,
            text=article.text,
            id="" if title != article.title else article.id,
            name=article.name,
            source=changes.get("source", article.source),
            url=changes.get("url", article.url),
            published=changes.get("published", article.published),
            language=article.language,
            meta=article.meta,
        )


def load_sidecar(path: str, max_bytes: int) -> Sidecar:
    """Read the metadata CSV; IngestError when it is unreadable or has no file/name/id column."""
    text = decode_bytes(read_bytes(Path(path), max_bytes), path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = {h.strip().lower().lstrip("\ufeff"): h for h in reader.fieldnames or []}
        key = next((header[c] for c in KEY_COLUMNS if c in header), None)
        if key is None:
            raise IngestError(path, f"metadata CSV needs a column {' / '.join(KEY_COLUMNS)}")
        return Sidecar({_key(row.get(key)): _values(row, header) for row in reader if _key(row.get(key))})
    except csv.Error as exc:
        raise IngestError(path, f"malformed metadata CSV at line {reader.line_num}: {exc}") from None


def _key(value: str | None) -> str:
    return PurePath((value or "").strip().replace("\\", "/")).as_posix() if (value or "").strip() else ""


def _values(row: dict[str, str], header: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, columns in VALUE_COLUMNS.items():
        raw = next((row.get(header[c]) for c in columns if c in header and row.get(header[c])), "")
        out[name] = (raw or "").strip()
    out["published"] = normalise_date(out["published"]) if out["published"] else ""
    out["title"] = normalise_title(out["title"])
    return out
