"""Render article text as escaped HTML with overlapping highlighted spans (evidence, entities, quotes)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from html import escape

from narrascope.records import Article, ArticleAnalysis

ROLE_CLASS = {"Protagonist": "pro", "Antagonist": "ant", "Innocent": "inn"}


@dataclass(frozen=True)
class Layer:
    start: int
    end: int
    css: str  # class names
    title: str  # tooltip


def layers_for(article: Article, analysis: ArticleAnalysis, palette: dict[str, int]) -> list[Layer]:
    """Evidence per label (coloured by label index), mentions by role, quotes."""
    out = []
    for label in analysis.subnarratives + analysis.narratives:
        if label.label == "Other":
            continue
        n = palette.setdefault(label.label, len(palette) % 8)
        out += [Layer(s.start, s.end, f"ev ev{n}", label.label) for s in label.evidence]
    for m in analysis.mentions:
        role = m.role.main if m.role else ""
        fine = ", ".join(m.role.fine) if m.role else ""
        out.append(
            Layer(m.start, m.end, f"ent {ROLE_CLASS.get(role, 'none')}", f"{m.text}: {role} {fine}".strip())
        )
    for q in analysis.quotes:
        who = q.speaker.name if q.speaker else "speaker unknown"
        out.append(Layer(q.start, q.end, "quote", f"quote: {who}"))
    return out


def render(text: str, layers: list[Layer]) -> str:
    """Escaped HTML of `text` where every character range carries the classes of the layers covering it."""
    cuts = {0, len(text)}
    for layer in layers:
        if 0 <= layer.start < layer.end <= len(text):
            cuts.update((layer.start, layer.end))
    points = sorted(cuts)
    parts = []
    for a, b in itertools.pairwise(points):
        active = [x for x in layers if x.start <= a and b <= x.end and x.start < x.end <= len(text)]
        chunk = escape(text[a:b])
        if not active:
            parts.append(chunk)
            continue
        css = " ".join(dict.fromkeys(c for x in active for c in x.css.split()))
        title = " | ".join(dict.fromkeys(x.title for x in active))
        parts.append(f'<span class="{escape(css)}" title="{escape(title)}">{chunk}</span>')
    return "".join(parts)
