"""Sentence spans point into the text, in every supported script."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from narrascope.nlp.sentences import split_sentences


def test_splits_five_languages() -> None:
    text = (
        'Talks resumed. Mr. Smith of the U.S. delegation said "no deal yet." Then he left!\n\n'
        "Переговоры возобновились. Он ушёл. Преговорите продължиха. Ele saiu. वार्ता फिर शुरू हुई। वह चला गया।"
    )
    spans = split_sentences(text)
    assert [s.text for s in spans][:3] == [
        "Talks resumed.",
        'Mr. Smith of the U.S. delegation said "no deal yet."',
        "Then he left!",
    ]
    assert len(spans) == 9
    assert all(text[s.start : s.end] == s.text for s in spans)


@given(st.text(max_size=300))
def test_offsets_always_valid(text: str) -> None:
    for s in split_sentences(text):
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text and s.text.strip()
