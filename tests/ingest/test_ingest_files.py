"""Bad files never crash ingestion: each becomes one IngestError naming the file, and reading goes on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from narrascope.errors import IngestError
from narrascope.ingest.files import decode_bytes
from narrascope.ingest.text import read_text_file, split_title
from narrascope.settings import Settings

Collect = Any  # the `collect` fixture from conftest.py: read_sources split into (articles, errors)

RUSSIAN = (
    "Городской совет утвердил бюджет\n\n"
    "Депутаты городского совета во вторник утвердили бюджет на следующий год. "
    "Больше всего денег получат школы, больницы и ремонт дорог в пригородах.\n"
)


def test_good_file_after_bad_ones_is_still_read(tmp_path: Path, collect: Collect) -> None:
    (tmp_path / "a_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_good.txt").write_text("Title line\n\nBody of the article.", encoding="utf-8")
    articles, errors = collect([tmp_path])
    assert [a.title for a in articles] == ["Title line"]
    assert len(errors) == 2
    assert "a_binary.txt" in str(errors[0]) and "binary" in errors[0].reason
    assert "b_empty.txt" in str(errors[1]) and "empty" in errors[1].reason


def test_whitespace_only_file_is_empty(tmp_path: Path, collect: Collect) -> None:
    (tmp_path / "blank.txt").write_text(" \n\t\n\r\n")
    _, errors = collect([tmp_path / "blank.txt"])
    assert len(errors) == 1 and "empty" in errors[0].reason


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-8-sig", "utf-16"])
def test_russian_in_legacy_encodings_is_decoded(tmp_path: Path, collect: Collect, encoding: str) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    articles, errors = collect([path])
    assert errors == []
    assert articles[0].title == "Городской совет утвердил бюджет"
    assert articles[0].text.startswith("Депутаты городского совета")


def test_mixed_utf8_and_cp1251_lines_are_decoded_line_by_line() -> None:
    data = "Первая строка записана в UTF-8 и рассказывает о погоде.\n".encode() + (
        "Вторая строка записана в cp1251 и рассказывает о выборах в парламент.\n".encode("cp1251")
    )
    text = decode_bytes(data, "mixed.txt")
    assert "Первая строка" in text and "Вторая строка" in text


def test_invalid_utf8_noise_is_a_clear_error_or_best_effort(tmp_path: Path, collect: Collect) -> None:
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 8)
    articles, errors = collect([tmp_path / "noise.txt"])
    assert len(articles) + len(errors) == 1
    if errors:
        assert "noise.txt" in str(errors[0])


def test_crlf_and_nul_are_normalised_before_hashing(tmp_path: Path, collect: Collect) -> None:
    (tmp_path / "crlf.txt").write_bytes(b"Head\r\n\r\nBody one.  \r\nBody\x07 two.\r\n")
    (tmp_path / "lf.txt").write_bytes(b"Head\n\nBody one.\nBody two.\n")
    articles, _ = collect([tmp_path / "crlf.txt", tmp_path / "lf.txt"])
    assert articles[0].text == "Body one.\nBody two."
    assert articles[0].id == articles[1].id


def test_file_above_the_cap_is_refused_without_reading(tmp_path: Path, collect: Collect) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 52.4 MB on paper, nothing written
        handle.seek(52_400_000 - 1)
        handle.write(b"a")
    _, errors = collect([big])
    assert len(errors) == 1
    assert errors[0].reason == f"{big} is 52.4 MB, above the 10 MB cap (max_bytes)"


def test_cap_comes_from_settings(tmp_path: Path, collect: Collect) -> None:
    (tmp_path / "a.txt").write_text("x" * 2000)
    _, errors = collect([tmp_path / "a.txt"], settings=Settings(max_bytes=1000))
    assert "above the 0.001 MB cap" in errors[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions, so the file stays readable")
def test_unreadable_file(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("hidden")
    path.chmod(0)
    _, errors = collect([path])
    assert "permission denied" in errors[0].reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path: Path, collect: Collect) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _, errors = collect([tmp_path])
    assert len(errors) == 1 and "FIFO" in errors[0].reason


def test_directory_given_to_a_file_reader(tmp_path: Path) -> None:
    folder = tmp_path / "looks_like.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match="is a directory"):
        read_text_file(folder, 1000)


def test_missing_path_and_broken_link(tmp_path: Path, collect: Collect) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    _, errors = collect([tmp_path / "nope.txt", tmp_path / "dangling.txt"])
    assert [e.source for e in errors] == [str(tmp_path / "nope.txt"), str(tmp_path / "dangling.txt")]
    assert "no such file" in errors[0].reason and "no such file" in errors[1].reason


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("Title\n\nBody text.", "Title", "Body text."),
        ("Title\n\n\nBody text.", "Title", "Body text."),
        ("First line\nsecond line\n\nmore", "", "First line\nsecond line\n\nmore"),
        ("Only one line", "", "Only one line"),
        ("Title\n\n", "", "Title\n\n"),
        ("x" * 400 + "\n\nbody", "", "x" * 400 + "\n\nbody"),
    ],
)
def test_title_is_the_first_line_when_a_blank_line_follows(text: str, title: str, body: str) -> None:
    assert split_title(text) == (title, body)
