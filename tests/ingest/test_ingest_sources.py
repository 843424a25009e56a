"""read_sources over folders: recursion, glob filters, hidden files, unsupported types and the sidecar CSV."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from narrascope.settings import Settings

Collect = Any  # the `collect` fixture from conftest.py


@pytest.fixture
def corpus(tmp_path: Path, fixtures: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(fixtures / "en_story.txt", root / "en_story.txt")
    shutil.copy(fixtures / "article.html", root / "sub" / "page.html")
    (root / "sub" / "nested.txt").write_text("Body only, no title line here.\nSecond line.\n")
    (root / ".git" / "config.txt").write_text("hidden, never read")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def test_folder_is_read_recursively_in_order(corpus: Path, collect: Collect) -> None:
    articles, errors = collect([corpus])
    assert [Path(a.name).name for a in articles] == ["en_story.txt", "nested.txt", "page.html"]
    assert articles[0].title == "School roof repaired before term"
    assert articles[1].title == ""
    assert (
        len(errors) == 1 and "photo.png" in errors[0].source and "unsupported file type" in errors[0].reason
    )


@pytest.mark.parametrize(
    ("glob", "names"),
    [
        ("*.txt", ["en_story.txt", "nested.txt"]),
        ("**/*.html", ["page.html"]),
        ("sub/*", ["nested.txt", "page.html"]),
    ],
)
def test_glob_filters(corpus: Path, collect: Collect, glob: str, names: list[str]) -> None:
    articles, errors = collect([corpus], glob=glob)
    assert errors == []
    assert sorted(Path(a.name).name for a in articles) == names


def test_sidecar_fills_metadata_by_name_and_relative_path(
    corpus: Path, fixtures: Path, collect: Collect
) -> None:
    meta = corpus / "meta.csv"
    shutil.copy(fixtures / "meta.csv", meta)
    articles, errors = collect([corpus], glob="*.txt", meta_csv=str(meta))
    assert errors == []
    story, nested = articles
    assert (story.source, story.published, story.url) == (
        "Valley Post",
        "2024-05-01",
        "https://valley.example/story",
    )
    assert story.title == "School roof repaired before term"  # empty sidecar title leaves it alone
    assert (nested.source, nested.published, nested.title) == ("Hill Times", "2024-05-03", "A nested story")
    assert nested.full_text.startswith("A nested story\n\n")
    assert nested.id != collect([corpus / "sub" / "nested.txt"])[0][0].id  # the id follows the new title


def test_sidecar_itself_is_not_read_as_articles(corpus: Path, fixtures: Path, collect: Collect) -> None:
    meta = corpus / "meta.csv"
    shutil.copy(fixtures / "meta.csv", meta)
    articles, errors = collect([corpus], meta_csv=str(meta))
    assert all(not a.name.endswith("meta.csv") for a in articles)
    assert all("meta.csv" not in e.source for e in errors)


def test_bad_sidecar_is_reported_and_reading_goes_on(corpus: Path, tmp_path: Path, collect: Collect) -> None:
    meta = tmp_path / "meta.csv"
    meta.write_text("outlet,date\nX,2024-01-01\n")
    articles, errors = collect([corpus / "en_story.txt"], meta_csv=str(meta))
    assert len(articles) == 1
    assert errors[0].source == str(meta) and "file / name / id" in errors[0].reason


def test_file_without_known_extension_given_explicitly_is_text(tmp_path: Path, collect: Collect) -> None:
    path = tmp_path / "README"
    path.write_text("Plain words in a file with no extension.")
    articles, errors = collect([path])
    assert errors == [] and articles[0].text == "Plain words in a file with no extension."


def test_single_string_is_one_path(corpus: Path, settings: Settings) -> None:
    from narrascope.ingest import read_sources

    items = list(read_sources(str(corpus / "en_story.txt"), settings))  # type: ignore[arg-type]
    assert len(items) == 1


def test_readers_never_set_language_for_plain_files(corpus: Path, collect: Collect) -> None:
    articles, _ = collect([corpus])
    assert all(a.language == "" for a in articles)
