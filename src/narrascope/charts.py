"""Small self-contained SVG charts (horizontal bars, columns over time, heatmap) for the HTML report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7")


def bars(title: str, counts: Mapping[str, float], *, limit: int = 15, width: int = 560) -> str:
    """Horizontal bar chart of the largest `limit` values."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    if not items:
        return f'<figure class="chart"><figcaption>{escape(title)}</figcaption><p class="empty">no data</p></figure>'
    label_w, row_h = 260, 22
    top = max(v for _, v in items) or 1
    height = row_h * len(items) + 10
    rows = []
    for i, (label, value) in enumerate(items):
        y = i * row_h + 5
        w = max(1.0, (width - label_w - 50) * value / top)
        shown = label if len(label) <= 38 else "…" + label[-36:]  # the end names the subnarrative
        rows.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end"><title>{escape(label)}</title>{escape(shown)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{COLOURS[i % 8]}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{_num(value)}</text>'
        )
    return _figure(title, width, height, "".join(rows))


def columns(title: str, counts: Mapping[str, float], *, width: int = 560, height: int = 180) -> str:
    """Column chart over ordered keys (e.g. days or weeks)."""
    items = sorted(counts.items())
    if not items:
        return f'<figure class="chart"><figcaption>{escape(title)}</figcaption><p class="empty">no data</p></figure>'
    top = max(v for _, v in items) or 1
    step = (width - 40) / len(items)
    parts = []
    for i, (key, value) in enumerate(items):
        h = (height - 40) * value / top
        x = 30 + i * step
        parts.append(
            f'<rect x="{x:.1f}" y="{height - 25 - h:.1f}" width="{max(1.0, step - 2):.1f}" height="{h:.1f}" '
            f'fill="{COLOURS[0]}"><title>{escape(key)}: {_num(value)}</title></rect>'
        )
    parts.append(f'<text x="30" y="{height - 8}">{escape(items[0][0])}</text>')
    parts.append(f'<text x="{width - 10}" y="{height - 8}" text-anchor="end">{escape(items[-1][0])}</text>')
    return _figure(title, width, height, "".join(parts))


def heatmap(
    title: str, rows: Sequence[str], cols: Sequence[str], value: Mapping[tuple[str, str], float]
) -> str:
    """Rows x columns grid shaded by value (e.g. outlet x narrative share)."""
    if not rows or not cols:
        return f'<figure class="chart"><figcaption>{escape(title)}</figcaption><p class="empty">no data</p></figure>'
    label_w, cell, head = 180, 26, 150
    width, height = label_w + cell * len(cols) + 10, head + cell * len(rows) + 10
    top = max(value.values(), default=1) or 1
    parts = []
    for j, c in enumerate(cols):
        x = label_w + j * cell + cell / 2
        short = c.split(": ", 1)[-1][:28]
        parts.append(
            f'<text transform="translate({x:.0f},{head - 4}) rotate(-60)"><title>{escape(c)}</title>{escape(short)}</text>'
        )
    for i, r in enumerate(rows):
        y = head + i * cell
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{escape(r[:26])}</text>')
        for j, c in enumerate(cols):
            v = value.get((r, c), 0.0)
            alpha = 0.08 + 0.92 * v / top if v else 0.03
            parts.append(
                f'<rect x="{label_w + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="#e15759" fill-opacity="{alpha:.2f}"><title>{escape(r)} / {escape(c)}: {_num(v)}</title></rect>'
            )
    return _figure(title, width, height, "".join(parts))


def _figure(title: str, width: int, height: int, body: str) -> str:
    return (
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">{body}</svg></figure>'
    )


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"
