"""Chart specs for the dashboard script: aggregates shaped as bars, stacks, lines and heatmaps with links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

Spec = dict[str, Any]
MAX_BARS = 25


def link(**params: str) -> str:
    """The filtered article list a chart element opens."""
    return "/articles?" + urlencode({k: v for k, v in params.items() if v})


def bars(title: str, counts: dict[str, int], param: str, horizontal: bool = True) -> Spec:
    """One bar per key (largest first, at most MAX_BARS), each linking to articles filtered by it."""
    items = list(counts.items())[:MAX_BARS]
    return {
        "kind": "bar",
        "title": title,
        "horizontal": horizontal,
        "labels": [k for k, _ in items],
        "values": [v for _, v in items],
        "links": [link(**{param: k}) for k, _ in items],
    }


def days(counts: dict[str, int]) -> Spec:
    """Articles per publication day."""
    spec = bars("Articles per day", counts, "date_from", horizontal=False)
    spec["links"] = [link(date_from=d, date_to=d) for d in spec["labels"]]
    spec["kind"] = "bar"
    return spec


def stacked(
    title: str,
    groups: dict[str, dict[str, int]],
    group_param: str,
    key_param: str,
    kind: str = "stack",
    **fixed: str,
) -> Spec:
    """Series per key over the groups (x axis), each point linking to both filters."""
    categories = list(groups)
    keys = list(dict.fromkeys(k for row in groups.values() for k in row))[:MAX_BARS]
    series = [
        {
            "name": key,
            "values": [groups[g].get(key, 0) for g in categories],
            "links": [link(**{group_param: g, key_param: key, **fixed}) for g in categories],
        }
        for key in keys
    ]
    return {"kind": kind, "title": title, "categories": categories, "series": series}


def weekly(groups: dict[str, dict[str, int]]) -> Spec:
    """Narrative prevalence per ISO week; a point opens the narrative's articles."""
    spec = stacked("Narratives per week", groups, "week", "narrative", kind="line")
    for s in spec["series"]:
        s["links"] = [link(narrative=s["name"]) for _ in spec["categories"]]
    return spec


def heatmap(by_outlet: dict[str, dict[str, int]], top: list[str]) -> Spec:
    """Outlet × narrative article counts; a cell opens the articles of that outlet with that narrative."""
    outlets = list(by_outlet)
    labels = [n for n in top if any(n in row for row in by_outlet.values())][:MAX_BARS]
    cells = [
        [x, y, by_outlet[o].get(n, 0), link(outlet=o, narrative=n)]
        for x, o in enumerate(outlets)
        for y, n in enumerate(labels)
    ]
    return {"kind": "heatmap", "title": "Outlet × narrative", "x": outlets, "y": labels, "cells": cells}


def overview_charts(data: dict[str, Any]) -> dict[str, Spec]:
    return {
        "days": days(data["counts"]["days"]),
        "narratives": bars("Articles per narrative", data["narratives"], "narrative"),
        "weekly": weekly(data["weekly"]),
        "heatmap": heatmap(data["by_outlet"], list(data["narratives"])),
        "roles": bars("Mentions per main role", data["roles"].get("main", {}), "role", horizontal=False),
        "fine_roles": bars("Mentions per fine role", data["roles"].get("fine", {}), "role"),
    }


def entity_charts(entity: dict[str, Any]) -> dict[str, Spec]:
    key = entity["entity_id"] or entity["name"]
    return {
        "roles": stacked(
            "Main roles per outlet", entity["main_roles_per_outlet"], "outlet", "role", entity=key
        ),
    }


def story_charts(story: dict[str, Any]) -> dict[str, Spec]:
    timeline = stacked("Articles per day and outlet", story["timeline"], "date_from", "outlet")
    for s in timeline["series"]:
        s["links"] = [
            link(outlet=s["name"], date_from=d, date_to=d) if d != "undated" else link(outlet=s["name"])
            for d in timeline["categories"]
        ]
    narratives = stacked(
        "Dominant narrative per outlet", story["narratives_per_outlet"], "outlet", "narrative"
    )
    return {"timeline": timeline, "narratives": narratives}
