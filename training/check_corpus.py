"""Check project-written narrative training files: JSON shape, labels in the taxonomy, parents present.

Usage: .venv/bin/python training/check_corpus.py training/narratives/*.jsonl
Prints one line per problem (FILE:LINE: what) and a per-file summary; exit status 1 when anything is wrong.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from narrascope.settings import LANGUAGES
from narrascope.taxonomy import load_taxonomy

LANGS = set(LANGUAGES)


def check_line(line: str, narratives: set[str], parents: dict[str, str], seen: set[str]) -> list[str]:
    try:
        d = json.loads(line)
    except ValueError as exc:
        return [f"not JSON ({exc})"]
    problems = [
        f"missing field {k!r}"
        for k in ("id", "lang", "title", "text", "narratives", "subnarratives")
        if k not in d
    ]
    if problems:
        return problems
    if d["id"] in seen:
        problems.append(f"duplicate id {d['id']!r}")
    seen.add(d["id"])
    if d["lang"] not in LANGS:
        problems.append(f"lang {d['lang']!r} not one of {sorted(LANGS)}")
    narr, subs = set(d["narratives"]), set(d["subnarratives"])
    problems += [f"unknown narrative {n!r}" for n in narr - narratives - {"Other"}]
    problems += [f"unknown subnarrative {s!r}" for s in subs - set(parents) - {"Other"}]
    problems += [
        f"subnarrative {s!r} without its narrative" for s in subs if s in parents and parents[s] not in narr
    ]
    problems += [
        f"narrative {n!r} without a subnarrative"
        for n in narr
        if n != "Other" and not any(parents.get(s) == n for s in subs)
    ]
    if ("Other" in narr) != ("Other" in subs) or ("Other" in narr and len(narr) > 1):
        problems.append("'Other' must stand alone in both lists")
    return problems


def main(argv: list[str]) -> int:
    tax = load_taxonomy()
    parents = tax.parent
    narratives = set(parents.values())
    bad = 0
    seen: set[str] = set()
    for name in argv:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
        words = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            for p in check_line(line, narratives, parents, seen):
                print(f"{name}:{number}: {p}")
                bad += 1
            with contextlib.suppress(ValueError):
                words.append(len(json.loads(line).get("text", "").split()))
        mean = sum(words) / len(words) if words else 0
        print(f"{name}: {len(words)} articles, mean {mean:.0f} words")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
