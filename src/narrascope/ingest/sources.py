"""read_sources: dispatch folders, files and URLs to their readers; every failure becomes an IngestError."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from narrascope.errors import IngestError
from narrascope.ingest.feeds import looks_like_feed, read_feed
from narrascope.ingest.files import read_bytes
from narrascope.ingest.html import article_from_html, read_html_file
from narrascope.ingest.sidecar import Sidecar, load_sidecar
from narrascope.ingest.tables import read_csv, read_jsonl, read_parquet
from narrascope.ingest.text import read_text_file
from narrascope.records import Article
from narrascope.settings import Settings

if TYPE_CHECKING:
    import httpx

Item = Article | IngestError
KINDS = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
SINGLE_ARTICLE = ("text", "html")  # kinds whose file name identifies one article (for the sidecar)


def is_url(path: str) -> bool:
    """Whether a source is an http(s) URL rather than a path."""
    return path.lower().startswith(("http://", "https://"))


def read_sources(
    paths: Sequence[str],
    settings: Settings,
    *,
    glob: str | None = None,
    meta_csv: str | None = None,
    text_column: str = "text",
    transport: httpx.BaseTransport | None = None,
) -> Iterator[Article | IngestError]:
    """Articles from folders, files and URLs, with one IngestError for each source or record that fails.

    `transport` replaces the network (tests pass httpx.MockTransport); when given, short feed entries
    in local feed files also have their linked pages fetched through it.
    """
    sources = [paths] if isinstance(paths, str) else list(paths)
    sidecar = Sidecar()
    if meta_csv:
        try:
            sidecar = load_sidecar(meta_csv, settings.max_bytes)
        except IngestError as exc:
            yield exc
    readers = _Readers(settings, text_column, transport)
    skip = {Path(meta_csv).resolve()} if meta_csv else set()
    try:
        for source in sources:
            yield from _read_source(str(source), readers, sidecar, glob, skip)
    finally:
        readers.close()


def _read_source(
    source: str, readers: _Readers, sidecar: Sidecar, glob: str | None, skip: set[Path]
) -> Iterator[Item]:
    if is_url(source):
        for item in _guarded(lambda: readers.read_url(source), source):
            yield sidecar.apply(item, item.name, item.url) if isinstance(item, Article) else item
        return
    path = Path(source)
    if not path.exists() and not path.is_symlink():
        yield IngestError(source, "no such file or directory")
    elif path.is_dir():
        for file in _walk(path, glob, skip):
            yield from _read_file(file, path, readers, sidecar, explicit=glob is not None)
    else:
        yield from _read_file(path, path.parent, readers, sidecar, explicit=True)


def _read_file(
    path: Path, root: Path, readers: _Readers, sidecar: Sidecar, *, explicit: bool
) -> Iterator[Item]:
    kind = KINDS.get(path.suffix.lower()) or ("text" if explicit else None)
    if kind is None:
        yield IngestError(str(path), f"unsupported file type {path.suffix or '(no extension)'!r}, skipped")
        return
    for item in _guarded(lambda: readers.read_file(path, kind), str(path)):
        if isinstance(item, IngestError):
            yield item
        elif kind in SINGLE_ARTICLE:
            yield sidecar.apply(item, _relative(path, root), path.name, path.stem)
        else:
            yield sidecar.apply(item, item.name, item.url)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _walk(root: Path, glob: str | None, skip: set[Path]) -> Iterator[Path]:
    """Files under `root` (recursive), filtered by `glob`; hidden files and folders are left out."""
    if glob is None:
        candidates = root.rglob("*")
    else:
        candidates = root.glob(glob) if "/" in glob or "**" in glob else root.rglob(glob)
    for path in sorted(candidates):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or path.is_dir():
            continue
        if path.resolve() not in skip:
            yield path


def _guarded(produce: Callable[[], Iterator[Item]], source: str) -> Iterator[Item]:
    """Run one reader; an IngestError or an unexpected exception ends that source, never the run."""
    try:
        yield from produce()
    except IngestError as exc:
        yield exc
    except Exception as exc:  # a reader bug must not stop the run: it becomes a reported outcome
        yield IngestError(source, f"unexpected {type(exc).__name__}: {exc}")


class _Readers:
    """The readers for one read_sources call, sharing one lazily created HTTP client."""

    def __init__(self, settings: Settings, text_column: str, transport: httpx.BaseTransport | None) -> None:
        self.settings = settings
        self.text_column = text_column
        self.transport = transport
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            from narrascope.ingest.http import make_client

            self._client = make_client(self.settings, self.transport)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def read_file(self, path: Path, kind: str) -> Iterator[Item]:
        cap = self.settings.max_bytes
        if kind == "text":
            yield read_text_file(path, cap)
        elif kind == "html":
            yield read_html_file(path, cap)
        elif kind == "feed":
            follow = self.fetch_page if self.transport is not None else None
            yield from read_feed(read_bytes(path, cap), str(path), follow)
        elif kind == "jsonl":
            yield from read_jsonl(path, cap, self.text_column)
        elif kind == "csv":
            yield from read_csv(path, cap, self.text_column)
        else:
            yield from read_parquet(path, cap, self.text_column)

    def read_url(self, url: str) -> Iterator[Item]:
        from narrascope.ingest.http import fetch

        fetched = fetch(self.client, url, self.settings.max_bytes)
        if looks_like_feed(fetched.body, fetched.content_type):
            yield from read_feed(fetched.body, url, self.fetch_page)
        else:
            yield article_from_html(fetched.body, url, fetched.url)

    def fetch_page(self, url: str) -> Article:
        """The article on a linked page (feed entries that are only teasers)."""
        from narrascope.ingest.http import fetch

        fetched = fetch(self.client, url, self.settings.max_bytes)
        return article_from_html(fetched.body, url, fetched.url)
