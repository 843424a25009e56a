"""Corpus aggregates (JSON-ready dicts and lists) over the newest analysis of every article."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from narrascope.store import schema
from narrascope.store.queries import entity_match, same_key
from narrascope.store.rows import decode_roles

articles = schema.articles
analyses = schema.analyses
latest = schema.article_latest
COUNT = sa.func.count().label("n")


def _children(table: sa.Table, *columns: Any) -> sa.Select[Any]:
    """SELECT columns FROM a child table, only rows of the newest analyses, joined to `latest`."""
    return sa.select(*columns).select_from(table.join(latest, same_key(table, latest)))


def _tally(conn: Connection, query: sa.Select[Any]) -> dict[str, int]:
    """{key: n} from a (key, n) query, largest first."""
    rows = conn.execute(query).all()
    return dict(sorted(((str(k), int(n)) for k, n in rows), key=lambda kv: (-kv[1], kv[0])))


def _ordered(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def counts(conn: Connection) -> dict[str, Any]:
    """Totals: articles, analyses, and articles per language, outlet, day and status."""
    day = sa.func.substr(articles.c.published, 1, 10)
    days = _tally(conn, sa.select(day, COUNT).where(articles.c.published != "").group_by(day))
    return {
        "articles": conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one(),
        "analyses": conn.execute(sa.select(sa.func.count()).select_from(analyses)).scalar_one(),
        "languages": _tally(conn, sa.select(latest.c.language, COUNT).group_by(latest.c.language)),
        "outlets": _tally(conn, sa.select(articles.c.source, COUNT).group_by(articles.c.source)),
        "days": dict(sorted(days.items())),
        "statuses": _tally(conn, sa.select(latest.c.status, COUNT).group_by(latest.c.status)),
    }


def week_of(published: str) -> str:
    """ISO week ("2025-W07") of an ISO date, or "" when the date does not parse."""
    try:
        year, week, _ = dt.date.fromisoformat(published[:10]).isocalendar()
    except ValueError:
        return ""
    return f"{year}-W{week:02d}"


def _grouped(query: sa.Select[Any], keys: list[Any], group: Any) -> sa.Select[Any]:
    """Add `group` (labelled "g") to the select and the GROUP BY; a constant "" group when None."""
    if group is None:
        return query.add_columns(sa.literal_column("''").label("g")).group_by(*keys)
    return query.add_columns(group.label("g")).group_by(*keys, group)


def narrative_counts(conn: Connection, level: str = "narrative", by: str | None = None) -> dict[str, Any]:
    """{label: n} articles per label, or {group: {label: n}} grouped by "outlet" or "week"."""
    if by not in (None, "outlet", "week"):
        raise ValueError(f"narrative_counts: by must be None, 'outlet' or 'week', not {by!r}")
    labels = schema.narrative_labels
    group = {"outlet": latest.c.source, "week": latest.c.published}.get(by or "")
    query = _children(labels, labels.c.label, COUNT).where(labels.c.level == level)
    rows = conn.execute(_grouped(query, [labels.c.label], group)).all()
    grouped: dict[str, Counter[str]] = defaultdict(Counter)
    for label, n, key in rows:
        key = week_of(key) if by == "week" else key
        if by != "week" or key:
            grouped[key][label] += n
    if by is None:
        return _ordered(grouped[""])
    return {key: _ordered(grouped[key]) for key in sorted(grouped)}


def _role_tallies(rows: Sequence[Any]) -> dict[str, dict[str, Counter[str]]]:
    """{group: {"main": Counter, "fine": Counter}} from (main, fine_roles, n, group) rows."""
    out: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: {"main": Counter(), "fine": Counter()})
    for main, fine, n, key in rows:
        out[key]["main"][main] += n
        for role in decode_roles(fine):
            out[key]["fine"][role] += n
    return out


def role_counts(conn: Connection, by: str | None = None) -> dict[str, Any]:
    """Mentions per main and fine role: {"main": {...}, "fine": {...}}, or {outlet: that} by "outlet"."""
    if by not in (None, "outlet"):
        raise ValueError(f"role_counts: by must be None or 'outlet', not {by!r}")
    m = schema.mentions
    group = latest.c.source if by == "outlet" else None
    query = _children(m, m.c.main_role, m.c.fine_roles, COUNT).where(m.c.main_role != "")
    tallies = _role_tallies(conn.execute(_grouped(query, [m.c.main_role, m.c.fine_roles], group)).all())
    shaped = {key: {kind: _ordered(c) for kind, c in t.items()} for key, t in sorted(tallies.items())}
    if by is None:
        return shaped.get("", {"main": {}, "fine": {}})
    return shaped


def entity_summary(conn: Connection, entity: str) -> dict[str, Any] | None:
    """How outlets mention and frame one entity (by id or name); None when it is unknown."""
    e = schema.entities
    columns = (e.c.entity_id, e.c.name, e.c.kind, e.c.article_id, e.c.descriptors, latest.c.source)
    rows = conn.execute(_children(e, *columns).where(entity_match(e, entity))).all()
    if not rows:
        return None
    ids = sorted({r.entity_id for r in rows if r.entity_id})
    descriptors: dict[str, Counter[str]] = defaultdict(Counter)
    per_outlet: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        per_outlet[r.source].add(r.article_id)
        descriptors[r.source].update(d.get("text", "") for d in r.descriptors or [] if d.get("text"))
    names = Counter(r.name for r in rows)
    summary: dict[str, Any] = {
        "entity_id": Counter(r.entity_id for r in rows).most_common(1)[0][0],
        "ids": ids,
        "name": names.most_common(1)[0][0],
        "kind": Counter(r.kind for r in rows).most_common(1)[0][0],
        "articles": len({r.article_id for r in rows}),
        "articles_per_outlet": {k: len(v) for k, v in sorted(per_outlet.items())},
        "descriptors_per_outlet": {
            k: [{"text": t, "count": n} for t, n in c.most_common()] for k, c in sorted(descriptors.items())
        },
    }
    summary.update(_mention_summary(conn, ids))
    return summary


def _mention_summary(conn: Connection, ids: list[str]) -> dict[str, Any]:
    m = schema.mentions
    query = _children(m, m.c.main_role, m.c.fine_roles, COUNT).where(m.c.entity_id.in_(ids))
    rows = conn.execute(_grouped(query, [m.c.main_role, m.c.fine_roles], latest.c.source)).all()
    mentions: Counter[str] = Counter()
    for _main, _fine, n, source in rows:
        mentions[source] += n
    tallies = _role_tallies([r for r in rows if r[0]])
    return {
        "mentions": sum(mentions.values()),
        "mentions_per_outlet": dict(sorted(mentions.items())),
        "main_roles_per_outlet": {k: _ordered(t["main"]) for k, t in sorted(tallies.items())},
        "fine_roles_per_outlet": {k: _ordered(t["fine"]) for k, t in sorted(tallies.items())},
    }


def top_entities(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The most mentioned entities: id, name, kind, articles, mentions."""
    e, m = schema.entities, schema.mentions
    rows = conn.execute(
        _children(e, e.c.entity_id, e.c.name, e.c.kind, COUNT)
        .where(e.c.entity_id != "")
        .group_by(e.c.entity_id, e.c.name, e.c.kind)
    ).all()
    mentions = _tally(conn, _children(m, m.c.entity_id, COUNT).group_by(m.c.entity_id))
    names: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for entity_id, name, kind, n in rows:
        names[entity_id][(name, kind)] += n
    out: list[dict[str, Any]] = [
        {
            "entity_id": entity_id,
            "name": c.most_common(1)[0][0][0],
            "kind": c.most_common(1)[0][0][1],
            "articles": sum(c.values()),
            "mentions": mentions.get(entity_id, 0),
        }
        for entity_id, c in names.items()
    ]
    out.sort(key=lambda d: (-d["mentions"], -d["articles"], d["entity_id"]))
    return out[:limit]


def quotes(conn: Connection, entity: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Quotes, newest articles first, optionally only those whose speaker is `entity` (id or name)."""
    q = schema.quotes
    columns = (
        q.c.article_id,
        articles.c.title,
        articles.c.source.label("outlet"),
        articles.c.published,
        q.c.text,
        q.c.start,
        q.c.end,
        q.c.speaker_id,
        q.c.speaker_name,
        q.c.source,
        q.c.kind,
    )
    query = _children(q, *columns).join(articles, articles.c.id == q.c.article_id)
    query = query.order_by(articles.c.published.desc(), q.c.article_id, q.c.start)
    if entity:
        speaker = sa.or_(q.c.speaker_id == entity, sa.func.lower(q.c.speaker_name) == entity.lower())
        return [dict(row._mapping) for row in conn.execute(query.where(speaker).limit(limit))]
    if limit <= 0:
        return [dict(row._mapping) for row in conn.execute(query.limit(limit))]
    return _newest_quotes(conn, query, limit)


def _newest_quotes(conn: Connection, query: sa.Select[Any], limit: int) -> list[dict[str, Any]]:
    """The first `limit` rows of the quote query, fetched for ever larger batches of the newest articles.

    Walking `latest` by its (published, article_id) index stops early, where one query would sort
    every quote of the corpus; the batches come in the query's own order, so the result is the same.
    """
    out: list[dict[str, Any]] = []
    after: tuple[str, str] | None = None
    batch = max(limit, 64)
    while len(out) < limit:
        ids = _newest_articles(conn, after, batch)
        if not ids:
            break
        page = query.where(schema.quotes.c.article_id.in_([i for _, i in ids])).limit(limit - len(out))
        out.extend(dict(row._mapping) for row in conn.execute(page))
        after, batch = ids[-1], min(batch * 4, 2000)
    return out


def _newest_articles(conn: Connection, after: tuple[str, str] | None, n: int) -> list[tuple[str, str]]:
    """(published, article_id) of the next `n` analysed articles, newest published first."""
    page = sa.select(latest.c.published, latest.c.article_id)
    if after is not None:
        published, article_id = after
        page = page.where(
            sa.or_(
                latest.c.published < published,
                sa.and_(latest.c.published == published, latest.c.article_id > article_id),
            )
        )
    page = page.order_by(latest.c.published.desc(), latest.c.article_id).limit(n)
    return [(p, i) for p, i in conn.execute(page)]
