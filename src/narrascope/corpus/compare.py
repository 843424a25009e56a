"""Outlet comparison over analysed articles: narratives, entity roles/descriptors, quotes, weekly trends."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from narrascope.records import Article, ArticleAnalysis

if TYPE_CHECKING:
    from narrascope.store import Store

UNKNOWN_OUTLET = "(unknown outlet)"
MAX_DESCRIPTORS = 10
MAX_QUOTES = 20

Pair = tuple[Article, ArticleAnalysis]


def compare_outlets(pairs: Iterable[Pair]) -> dict[str, Any]:
    """Per-outlet narrative shares, entity roles/descriptors, quotes per speaker and ISO-week trends."""
    items = [(a, an) for a, an in pairs if an.status == "ok"]
    counts = Counter(_outlet(a) for a, _ in items)
    return {
        "outlets": _outlets(items, counts),
        "entities": _entities(items),
        "quotes": _quotes(items),
        "weeks": _weeks(items),
        "note": _note(counts),
    }


def _outlet(article: Article) -> str:
    return article.source.strip() or UNKNOWN_OUTLET


def _note(counts: Counter[str]) -> str:
    if not counts:
        return "no analysed articles: nothing to compare"
    if len(counts) == 1:
        outlet = next(iter(counts))
        return f"all {counts[outlet]} articles come from one outlet ({outlet}): no comparison between outlets"
    return ""


def _outlets(items: Sequence[Pair], counts: Counter[str]) -> dict[str, Any]:
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    subs: dict[str, Counter[str]] = defaultdict(Counter)
    languages: dict[str, Counter[str]] = defaultdict(Counter)
    for article, analysis in items:
        outlet = _outlet(article)
        labels[outlet].update({n.label for n in analysis.narratives})
        subs[outlet].update({n.label for n in analysis.subnarratives})
        languages[outlet][analysis.language or article.language or "unknown"] += 1
    return {
        outlet: {
            "articles": n,
            "languages": dict(languages[outlet]),
            "narratives": _shares(labels[outlet], n),
            "subnarratives": _shares(subs[outlet], n),
        }
        for outlet, n in sorted(counts.items())
    }


def _shares(counter: Counter[str], total: int) -> dict[str, float]:
    """Share of the outlet's articles carrying each label (0 articles: empty, never a division by zero)."""
    if total <= 0:
        return {}
    return {label: round(c / total, 4) for label, c in counter.most_common()}


def _entities(items: Sequence[Pair]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for article, analysis in items:
        outlet = _outlet(article)
        for entity in analysis.entities:
            if not entity.id:
                continue
            record = out.setdefault(entity.id, {"name": entity.name, "kind": entity.kind, "by_outlet": {}})
            slot = record["by_outlet"].setdefault(outlet, {"articles": 0, "roles": {}, "descriptors": []})
            slot["articles"] += 1
            _add_roles(slot["roles"], entity.main_role, entity.fine_roles)
            _add_descriptors(slot["descriptors"], article, entity.descriptors)
    return dict(sorted(out.items(), key=lambda kv: -sum(s["articles"] for s in kv[1]["by_outlet"].values())))


def _add_roles(roles: dict[str, int], main: str, fine: Sequence[str]) -> None:
    for role in [main, *fine]:
        if role:
            roles[role] = roles.get(role, 0) + 1


def _add_descriptors(found: list[str], article: Article, spans: Sequence[Any]) -> None:
    text = article.full_text
    for span in spans:
        phrase = (span.text or text[span.start : span.end]).strip()
        if phrase and phrase not in found and len(found) < MAX_DESCRIPTORS:
            found.append(phrase)


def _quotes(items: Sequence[Pair]) -> dict[str, Any]:
    """Per speaker: name and, per outlet, how many quotes and a few of them."""
    out: dict[str, Any] = {}
    unattributed: Counter[str] = Counter()
    for article, analysis in items:
        outlet = _outlet(article)
        for quote in analysis.quotes:
            if quote.speaker is None:
                unattributed[outlet] += 1
                continue
            key = quote.speaker.id or quote.speaker.name
            record = out.setdefault(key, {"name": quote.speaker.name, "by_outlet": {}})
            slot = record["by_outlet"].setdefault(outlet, {"count": 0, "quotes": []})
            slot["count"] += 1
            if len(slot["quotes"]) < MAX_QUOTES:
                slot["quotes"].append({"article_id": article.id, "text": quote.text, "kind": quote.kind})
    return {"speakers": out, "unattributed": dict(unattributed)}


def iso_week(published: str) -> str:
    """`2025-W07` for an ISO date; "" when undated or unparsable."""
    try:
        year, week, _ = dt.date.fromisoformat(published[:10]).isocalendar()
    except ValueError:
        return ""
    return f"{year}-W{week:02d}"


def _weeks(items: Sequence[Pair]) -> dict[str, Any]:
    """Per ISO week: article count, per-outlet counts and narrative counts; undated articles counted apart."""
    weeks: dict[str, dict[str, Any]] = {}
    undated = 0
    for article, analysis in items:
        week = iso_week(article.published)
        if not week:
            undated += 1
            continue
        slot = weeks.setdefault(week, {"articles": 0, "outlets": Counter(), "narratives": Counter()})
        slot["articles"] += 1
        slot["outlets"][_outlet(article)] += 1
        slot["narratives"].update({n.label for n in analysis.narratives})
    series = {
        w: {"articles": s["articles"], "outlets": dict(s["outlets"]), "narratives": dict(s["narratives"])}
        for w, s in sorted(weeks.items())
    }
    return {"series": series, "undated": undated}


def compare_store(store: Store, story_id: str | None = None) -> dict[str, Any]:
    """`compare_outlets` over the stored results, optionally only the members of one story."""
    members: set[str] | None = None
    if story_id is not None:
        story = next((s for s in store.stories() if s["id"] == story_id), None)
        members = set(story["article_ids"]) if story else set()
    pairs = (p for p in store.results() if members is None or p[0].id in members)
    result = compare_outlets(pairs)
    result["story"] = story_id
    return result


def format_table(data: dict[str, Any], top_entities: int = 8) -> str:
    """A plain-text rendering of `compare_outlets` output for the terminal."""
    lines = [f"note: {data['note']}"] if data.get("note") else []
    for outlet, info in sorted(data["outlets"].items()):
        top = sorted(info["narratives"].items(), key=lambda kv: -kv[1])[:3]
        shares = ", ".join(f"{label} {share:.0%}" for label, share in top) or "none"
        lines.append(f"{outlet} ({info['articles']} articles): {shares}")
    for entity in list(data["entities"].values())[:top_entities]:
        lines.append(f"\n{entity['name']}")
        for outlet, slot in sorted(entity["by_outlet"].items()):
            roles = ", ".join(f"{r} {n}" for r, n in slot["roles"].items()) or "no role"
            said = "; ".join(slot["descriptors"][:4])
            lines.append(f"  {outlet}: {roles}" + (f" | called: {said}" if said else ""))
    return "\n".join(lines)
