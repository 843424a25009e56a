"""Deduper: exact duplicates by content id, near duplicates by MinHash over word 5-shingles."""

from __future__ import annotations

from narrascope.ingest.dedup import Deduper, shingles
from narrascope.records import Article

BODY = (
    "The regional government announced on Monday that the coastal railway line will close for repairs "
    "from the first of June until the end of August, affecting thousands of commuters who travel to the "
    "capital every day. Replacement buses will run every twenty minutes during the morning and evening "
    "peaks, and ticket prices will be cut by half for the whole period. Local shop owners said they feared "
    "losing summer visitors, while the rail operator promised that the new tracks would make journeys "
    "faster and more reliable once the work is finished later this year."
)


def test_new_duplicate_near() -> None:
    dedup = Deduper(threshold=0.8)
    first = Article(title="Railway to close", text=BODY)
    assert dedup.check(first) == ("new", "", 0.0)
    assert dedup.check(Article(title="Railway to close", text=BODY, name="copy.txt")) == (
        "duplicate",
        first.id,
        1.0,
    )
    near = Article(title="Railway to close", text=BODY.replace("twenty minutes", "twenty-five minutes"))
    verdict, other, similarity = dedup.check(near)
    assert (verdict, other) == ("near", first.id)
    assert 0.8 <= similarity < 1.0


def test_different_articles_are_new() -> None:
    dedup = Deduper()
    dedup.check(Article(title="", text=BODY))
    other = Article(
        title="", text="A completely different story about a football match won by the home side in the rain."
    )
    assert dedup.check(other)[0] == "new"


def test_empty_text_is_new_not_a_match() -> None:
    dedup = Deduper()
    assert dedup.check(Article(title="", text="")) == ("new", "", 0.0)
    assert dedup.check(Article(title="", text="...", name="b"))[0] == "new"


def test_shingles() -> None:
    assert shingles("One two three") == {"one two three"}
    assert shingles("a b c d e f") == {"a b c d e", "b c d e f"}
    assert shingles("") == set()
