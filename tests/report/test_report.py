"""The HTML report: charts, stories, highlighted evidence, and every text escaped."""

from __future__ import annotations

from pathlib import Path

from narrascope.records import Article, ArticleAnalysis, Mention, NarrativeLabel, RoleLabel, Span
from narrascope.report import write_report
from narrascope.settings import Settings
from narrascope.store import open_store

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def make_pair(title: str, text: str, outlet: str, day: str) -> tuple[Article, ArticleAnalysis]:
    article = Article(title=title, text=text, source=outlet, published=day)
    start = len(title) + 2
    ev = [Span(start, start + 10, article.full_text[start : start + 10])]
    analysis = ArticleAnalysis(
        article_id=article.id, pipeline_version="t", language="en",
        narratives=[NarrativeLabel("URW: Praise of Russia", "narrative", 0.8, ev)],
        subnarratives=[NarrativeLabel("URW: Praise of Russia: Other", "subnarrative", 0.7, ev)],
        dominant_narrative="URW: Praise of Russia",
        mentions=[Mention(start, start + 5, article.full_text[start : start + 5], "PER", "x",
                          RoleLabel("Antagonist", ["Tyrant"], 0.6, ev))],
    )  # fmt: skip
    return article, analysis


def test_report_has_charts_stories_and_escapes(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    store = open_store(db)
    pairs = [
        make_pair(HOSTILE, "Somebody said something about the talks. " + HOSTILE, HOSTILE, "2025-03-01"),
        make_pair("Plain title", "Another article body with enough words in it.", "Wire", "2025-03-02"),
    ]
    store.save(pairs)
    store.save_stories([{"id": "story-1", "title": "Talks", "first_date": "2025-03-01", "last_date": "2025-03-02",
                         "article_ids": [a.id for a, _ in pairs]}])  # fmt: skip
    out = tmp_path / "report.html"
    assert write_report(Settings(db=db), str(out)) == 2
    html = out.read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<svg") >= 5
    assert '<h2 id="stories">Stories</h2>' in html and "<td>2</td>" in html
    assert 'class="ev ev0"' in html and "ent ant" in html
