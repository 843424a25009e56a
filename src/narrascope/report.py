"""One self-contained HTML report: corpus overview with charts, then every article with highlighted spans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from narrascope import charts
from narrascope.highlight import layers_for, render
from narrascope.records import Article, ArticleAnalysis
from narrascope.settings import Settings

Pair = tuple[Article, ArticleAnalysis]


@dataclass
class Overview:
    """Corpus-level counts the report draws (computed from stored results, no NLP)."""

    articles: int = 0
    outlets: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    days: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    narratives: Counter[str] = field(default_factory=Counter)
    subnarratives: Counter[str] = field(default_factory=Counter)
    main_roles: Counter[str] = field(default_factory=Counter)
    fine_roles: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    outlet_narrative: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, article: Article, an: ArticleAnalysis) -> None:
        outlet = article.source or "(unknown outlet)"
        self.articles += 1
        self.outlets[outlet] += 1
        self.languages[an.language or "unknown"] += 1
        self.days[article.published[:10] or "(no date)"] += 1
        self.statuses[an.status] += 1
        for x in an.narratives:
            self.narratives[x.label] += 1
            self.outlet_narrative[(outlet, x.label)] += 1
        self.subnarratives.update(x.label for x in an.subnarratives)
        for e in an.entities:
            self.entities[e.name] += 1
            if e.main_role:
                self.main_roles[e.main_role] += 1
            self.fine_roles.update(e.fine_roles)

    def charts(self) -> list[str]:
        dated = {k: v for k, v in self.days.items() if k != "(no date)"}
        shares = {k: v / self.outlets[k[0]] for k, v in self.outlet_narrative.items()}
        narrs = [n for n, _ in self.narratives.most_common(16) if n != "Other"]
        out = [
            charts.bars("Articles per outlet", self.outlets),
            charts.bars("Articles per language", self.languages),
            charts.columns("Articles per day", dated),
            charts.bars("Narratives (articles carrying each)", self.narratives),
            charts.bars("Subnarratives (top 15)", self.subnarratives),
            charts.heatmap(
                "Outlet × narrative (share of the outlet's articles)", sorted(self.outlets), narrs, shares
            ),
        ]
        if self.main_roles:
            out += [
                charts.bars("Entity roles (main)", self.main_roles),
                charts.bars("Entity roles (fine)", self.fine_roles),
            ]
        if self.entities:
            out.append(charts.bars("Most mentioned entities (articles)", self.entities))
        return out


def build_report(
    pairs: Iterable[Pair], *, stories: list[dict[str, Any]] | None = None, extra: str = ""
) -> str:
    """The report HTML for the given results (all text escaped by the template engine)."""
    overview = Overview()
    items: list[tuple[Article, ArticleAnalysis, str]] = []
    palette: dict[str, int] = {}
    for article, an in pairs:
        overview.add(article, an)
        items.append((article, an, render(article.full_text, layers_for(article, an, palette))))
    items.sort(key=lambda x: (x[0].published or "9999", x[0].title))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(
        resources.files("narrascope.templates").joinpath("report.html").read_text("utf-8")
    )
    return template.render(
        overview=overview, charts=[Markup(c) for c in overview.charts()],
        items=[{"a": a, "an": an, "html": Markup(html)} for a, an, html in items],
        palette=palette, stories=stories or [], extra=Markup(extra),
    )  # fmt: skip


def write_report(settings: Settings, out: str) -> int:
    """Render the report for the database named in settings into `out`; returns the article count."""
    from narrascope.store import open_store

    store = open_store(settings.db_url, create=False)
    pairs = list(store.results())
    stories = store.stories()
    html = build_report(pairs, stories=stories)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(html)
    return len(pairs)
