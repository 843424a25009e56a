"""JSONL, CSV and Parquet dumps: named columns, one IngestError per bad record, the rest still read."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

Collect = Any  # the `collect` fixture from conftest.py


def test_jsonl_reads_good_lines_and_names_bad_ones(fixtures: Path, collect: Collect) -> None:
    path = fixtures / "records.jsonl"
    articles, errors = collect([path])
    assert [a.name for a in articles] == ["rec-1", "rec-2", "rec-5"]
    first = articles[0]
    assert (first.title, first.source, first.url, first.published) == (
        "Bridge reopens",
        "Valley Post",
        "https://valley.example/bridge",
        "2024-02-12",
    )
    assert articles[1].text.startswith("This record uses the body field")
    assert (articles[1].source, articles[1].published) == ("Valley Post", "2024-02-12")
    assert articles[2].language == "ru" and articles[2].title == ""
    assert [e.source for e in errors] == [f"{path}:3", f"{path}:5", f"{path}:6"]
    assert "malformed JSON" in errors[0].reason
    assert "expected a JSON object" in errors[1].reason
    assert "no text" in errors[2].reason


def test_jsonl_invalid_utf8_line(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_bytes(b'{"text": "ok one"}\n{"text": "\xff\xfe broken"}\n{"text": "ok two"}\n')
    articles, errors = collect([path])
    assert [a.text for a in articles] == ["ok one", "ok two"]
    assert errors[0].source == f"{path}:2" and "UTF-8" in errors[0].reason


def test_csv_rows_and_quoting(fixtures: Path, collect: Collect) -> None:
    path = fixtures / "records.csv"
    articles, errors = collect([path])
    assert [a.name for a in articles] == ["csv-1", "csv-2"]
    assert articles[0].published == "2024-04-06" and articles[0].source == "Valley Post"
    assert articles[1].text == 'He said, "we will see", and left the room.'
    assert len(errors) == 1 and errors[0].source == f"{path}:4" and "no text" in errors[0].reason


def test_csv_without_text_column_is_one_error(fixtures: Path, collect: Collect) -> None:
    articles, errors = collect([fixtures / "missing_text.csv"])
    assert articles == []
    assert len(errors) == 1
    assert "missing text column text / body / content" in errors[0].reason
    assert "id, title, outlet" in errors[0].reason


def test_text_column_override(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "custom.csv"
    path.write_text("doc,story\nd1,A story stored in a custom column.\n")
    articles, errors = collect([path], text_column="story")
    assert errors == [] and articles[0].text == "A story stored in a custom column."
    _, errors = collect([path], text_column="missing")
    assert "missing text column missing" in errors[0].reason


def test_csv_in_cp1251(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "ru.csv"
    path.write_bytes(
        "title,text\nНовости,Сегодня в городе открылась новая библиотека для детей.\n".encode("cp1251")
    )
    articles, errors = collect([path])
    assert errors == [] and articles[0].title == "Новости"


def test_long_csv_field_is_accepted(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "long.csv"
    path.write_text("text\n" + "word " * 60_000 + "\n")
    articles, errors = collect([path])
    assert errors == [] and len(articles[0].text) > 200_000


def test_parquet(tmp_path: Path, collect: Collect) -> None:
    table = pa.table(
        {
            "id": ["p1", "p2"],
            "title": ["First", None],
            "content": ["Parquet body one.", None],
            "date": pa.array([1709630000, 1709716400], pa.timestamp("s")),
        }
    )
    path = tmp_path / "data.parquet"
    pq.write_table(table, path)
    articles, errors = collect([path])
    assert [(a.name, a.title, a.published) for a in articles] == [("p1", "First", "2024-03-05")]
    assert errors[0].source == f"{path}:row2"


def test_not_a_parquet_file(tmp_path: Path, collect: Collect, fixtures: Path) -> None:
    path = tmp_path / "fake.parquet"
    shutil.copy(fixtures / "records.csv", path)
    _, errors = collect([path])
    assert len(errors) == 1 and "not a readable Parquet file" in errors[0].reason


def test_malformed_csv_rows_are_named_and_reading_goes_on(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('text,title\nok,1\n"bad"x,2\nfine,3\n"unclosed,4\nlast,5\n')
    articles, errors = collect([path])
    assert [a.text for a in articles] == ["ok", "fine"]
    assert [e.source for e in errors] == [f"{path}:3", f"{path}:5"]
    assert all("malformed CSV row" in e.reason for e in errors)


def test_csv_with_header_only(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "header.csv"
    path.write_text("text,title\n")
    articles, errors = collect([path])
    assert articles == [] and errors[0].reason == "no rows after the header"
