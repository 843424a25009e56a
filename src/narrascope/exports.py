"""Exports of stored results: JSONL, CSV, Parquet and the SemEval subtask formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from narrascope.errors import ConfigError
from narrascope.records import Article, ArticleAnalysis
from narrascope.semeval import format_st2, format_st3

FORMATS = ("jsonl", "csv", "parquet", "semeval-st1", "semeval-st2", "semeval-st3")
CSV_COLUMNS = (
    "id", "name", "title", "source", "url", "published", "language", "status", "reason",
    "narratives", "subnarratives", "dominant_narrative", "dominant_subnarrative", "entities", "quotes",
)  # fmt: skip

Pair = tuple[Article, ArticleAnalysis]


def row(article: Article, analysis: ArticleAnalysis) -> dict[str, Any]:
    """One article and its analysis as a flat-topped JSON object (the JSONL/Parquet row)."""
    data = analysis.to_dict()
    data.pop("article_id")
    return {
        "id": article.id, "name": article.name, "title": article.title, "text": article.text,
        "source": article.source, "url": article.url, "published": article.published, **data,
        "language": analysis.language or article.language,
    }  # fmt: skip


def write_jsonl(pairs: Iterable[Pair], out: IO[str]) -> int:
    n = 0
    for article, analysis in pairs:
        out.write(json.dumps(row(article, analysis), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(pairs: Iterable[Pair], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for article, an in pairs:
        writer.writerow(
            {
                "id": article.id,
                "name": article.name,
                "title": article.title,
                "source": article.source,
                "url": article.url,
                "published": article.published,
                "language": an.language,
                "status": an.status,
                "reason": an.reason,
                "narratives": ";".join(x.label for x in an.narratives),
                "subnarratives": ";".join(x.label for x in an.subnarratives),
                "dominant_narrative": an.dominant_narrative,
                "dominant_subnarrative": an.dominant_subnarrative,
                "entities": ";".join(f"{e.name}:{e.main_role}" for e in an.entities),
                "quotes": len(an.quotes),
            }
        )
        n += 1
    return n


def semeval_lines(pairs: Iterable[Pair], subtask: int) -> Iterator[str]:
    """Official-format lines; the document id is the article's name (its file name) when it has one."""
    for article, an in pairs:
        doc = article.name.rsplit("/", 1)[-1] or article.id
        if subtask == 2:
            yield format_st2(doc, [x.label for x in an.narratives], [x.label for x in an.subnarratives])
        elif subtask == 3 and an.explanation:
            yield format_st3(doc, an.explanation.text)
        elif subtask == 1:
            for m in an.mentions:
                if m.role:
                    yield "\t".join([doc, m.text, str(m.start), str(m.end - 1), m.role.main, *m.role.fine])


def write_parquet(pairs: Iterable[Pair], path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [_parquet_row(a, an) for a, an in pairs]
    table = pa.Table.from_pylist(rows, schema=parquet_schema())
    pq.write_table(table, path)
    return len(rows)


def _parquet_row(article: Article, analysis: ArticleAnalysis) -> dict[str, Any]:
    return {
        "id": article.id, "name": article.name, "title": article.title, "text": article.text,
        "source": article.source, "url": article.url, "published": article.published,
        "language": analysis.language, "status": analysis.status,
        "narratives": [x.label for x in analysis.narratives],
        "subnarratives": [x.label for x in analysis.subnarratives],
        "dominant_narrative": analysis.dominant_narrative,
        "analysis": analysis.to_json(),
    }  # fmt: skip


def parquet_schema() -> Any:
    """The fixed Arrow schema of exported rows (list columns typed explicitly)."""
    import pyarrow as pa

    text = pa.string()
    fields = [
        (n, text) for n in ("id", "name", "title", "text", "source", "url", "published", "language", "status")
    ]
    return pa.schema(
        [*fields, ("narratives", pa.list_(text)), ("subnarratives", pa.list_(text)),
         ("dominant_narrative", text), ("analysis", text)]
    )  # fmt: skip


def export(pairs: Iterable[Pair], fmt: str, out: str | None) -> tuple[int, str]:
    """Write pairs in `fmt` to the file `out` (stdout text when None); returns (rows, text-if-stdout)."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not out:
            raise ConfigError("parquet needs --out FILE")
        return write_parquet(pairs, out), ""
    buffer = io.StringIO()
    if fmt == "jsonl":
        n = write_jsonl(pairs, buffer)
    elif fmt == "csv":
        n = write_csv(pairs, buffer)
    else:
        lines = list(semeval_lines(pairs, int(fmt[-1])))
        buffer.write("".join(line + "\n" for line in lines))
        n = len(lines)
    if out:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(buffer.getvalue())
        return n, ""
    return n, buffer.getvalue()
