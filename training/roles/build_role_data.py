"""Expand the project-written role templates (templates_<lang>.yaml) into roles_<lang>.jsonl training files."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FILLS_PER_TEMPLATE = 6


def expand(lang: str) -> list[dict[str, object]]:
    data = yaml.safe_load((HERE / f"templates_{lang}.yaml").read_text(encoding="utf-8"))
    entities: list[str] = data["entities"]
    rows: list[dict[str, object]] = []
    k = 0
    for fine, templates in data["roles"].items():
        for template in templates:
            for _ in range(FILLS_PER_TEMPLATE):
                entity = entities[k % len(entities)]
                k += 7  # a stride co-prime with the pool size varies the entity per template
                before, after = template.split("{E}", 1)
                if not before:
                    entity = entity[0].upper() + entity[1:]
                text = before + entity + after
                rows.append(
                    {
                        "text": text,
                        "start": len(before),
                        "end": len(before) + len(entity),
                        "language": lang,
                        "fine": [] if fine == "None" else [fine],
                    }
                )
    return rows


def main() -> None:
    for lang in ("en", "ru", "bg", "pt", "hi"):
        rows = expand(lang)
        with (HERE / f"roles_{lang}.jsonl").open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
