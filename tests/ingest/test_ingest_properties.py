"""Property tests: arbitrary bytes in any supported file type never raise out of read_sources."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrascope.errors import IngestError
from narrascope.ingest import read_sources
from narrascope.ingest.cleaning import find_boilerplate, normalise_text
from narrascope.records import Article
from narrascope.settings import Settings

SUFFIXES = [".txt", ".jsonl", ".csv", ".html", ".xml"]
PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"text,title\n",
    b'{"text": "',
    b"<html><body><p>",
    b"<?xml version='1.0'?><rss>",
]


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), data=st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(suffix: str, prefix: bytes, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(prefix + data)
        items = list(read_sources([str(path)], Settings()))
    assert items, "every source yields at least one Article or IngestError"
    for item in items:
        assert isinstance(item, Article | IngestError)
        if isinstance(item, Article):
            assert item.text and "\r" not in item.full_text and "\x00" not in item.full_text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_normalise_text_is_idempotent_and_clean(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\r" not in once and "\x00" not in once


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_boilerplate_spans_are_valid_offsets(text: str) -> None:
    for span in find_boilerplate(text):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
