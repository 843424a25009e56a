"""Compose project-written role templates into paragraph-level training snippets (roles_<lang>.jsonl).

Each snippet is 3-6 sentences: one or two sentences framing the marked entity in its role, optionally a
neutral sentence naming it, and filler sentences about other actors (neutral or framed in other roles),
shuffled. Roles are drawn with a realistic balance for propaganda news (antagonists most common) and some
snippets carry two fine roles of the same main role. Sources: templates_<lang>.yaml (entities, groups of
people, sentences per role) and the examples of the shipped role pack (narrascope.taxonomy.load_roles).

    .venv/bin/python training/roles/build_role_data.py [paragraphs per language, default 260]
"""

from __future__ import annotations

import json
import random
import sys
import zlib
from pathlib import Path
from typing import Any

import yaml

from narrascope.taxonomy import load_roles

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "ru", "bg", "pt", "hi")
SEED = 13
NONE_SHARE = 0.06  # snippets where the entity is only named neutrally (the pipeline's `None`)
SECOND_ROLE_SHARE = 0.18
# Project judgement of how propaganda news casts named actors: about half antagonists.
MAIN_WEIGHTS = {"Antagonist": 0.52, "Protagonist": 0.28, "Innocent": 0.20}
FINE_WEIGHTS = {
    "Antagonist": {
        "Deceiver": 3.0,
        "Instigator": 2.5,
        "Foreign Adversary": 2.2,
        "Corrupt": 1.4,
        "Incompetent": 1.4,
        "Tyrant": 1.0,
        "Conspirator": 1.0,
        "Saboteur": 0.6,
        "Terrorist": 0.6,
        "Traitor": 0.5,
        "Spy": 0.25,
        "Bigot": 0.25,
    },
    "Protagonist": {
        "Guardian": 3.0,
        "Virtuous": 2.0,
        "Peacemaker": 1.2,
        "Underdog": 0.6,
        "Martyr": 0.35,
        "Rebel": 0.35,
    },
    "Innocent": {"Victim": 4.0, "Exploited": 0.8, "Scapegoat": 0.6, "Forgotten": 0.5},
}
# Natural second roles (same main role) that propaganda pairs with the first.
PAIRS = {
    "Instigator": ["Foreign Adversary", "Deceiver"],
    "Foreign Adversary": ["Instigator", "Deceiver", "Saboteur"],
    "Deceiver": ["Corrupt", "Conspirator", "Incompetent", "Instigator"],
    "Corrupt": ["Deceiver", "Incompetent"],
    "Incompetent": ["Corrupt", "Deceiver"],
    "Tyrant": ["Instigator", "Terrorist"],
    "Conspirator": ["Deceiver"],
    "Terrorist": ["Foreign Adversary"],
    "Guardian": ["Virtuous"],
    "Peacemaker": ["Virtuous"],
    "Underdog": ["Guardian"],
    "Victim": ["Exploited", "Forgotten"],
    "Exploited": ["Victim"],
}
MAIN_OF = {fine: main for main, fines in FINE_WEIGHTS.items() for fine in fines}


def sources(lang: str) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Entities, victims (groups of people, places) and sentence templates per role (incl. None)."""
    data = yaml.safe_load((HERE / f"templates_{lang}.yaml").read_text(encoding="utf-8"))
    templates: dict[str, list[str]] = {role: list(items) for role, items in data["roles"].items()}
    for role in load_roles().fine_roles:
        templates.setdefault(role.name, []).extend(role.examples.get(lang, []))
    victims = list(data.get("groups", [])) + list(data.get("places", []))
    return list(data["entities"]), victims, templates


def fill(template: str, entity: str) -> str:
    before, _ = template.split("{E}", 1)
    if not before.strip() and entity[:1].islower():
        entity = entity[:1].upper() + entity[1:]
    return template.replace("{E}", entity)


def draw_fine(rng: random.Random) -> list[str]:
    main = rng.choices(list(MAIN_WEIGHTS), weights=list(MAIN_WEIGHTS.values()))[0]
    weights = FINE_WEIGHTS[main]
    first = rng.choices(list(weights), weights=list(weights.values()))[0]
    if first in PAIRS and rng.random() < SECOND_ROLE_SHARE:
        return [first, rng.choice(PAIRS[first])]
    return [first]


def snippet(
    rng: random.Random, entities: list[str], groups: list[str], templates: dict[str, list[str]]
) -> dict[str, Any]:
    fine = [] if rng.random() < NONE_SHARE else draw_fine(rng)
    innocent = bool(fine) and MAIN_OF[fine[0]] == "Innocent"
    pool = groups if groups and (rng.random() < (0.8 if innocent else 0.1)) else entities
    entity = rng.choice(pool)
    own = [fill(rng.choice(templates[f]), entity) for f in fine]
    if fine and rng.random() < 0.4:
        own.append(fill(rng.choice(templates[fine[0]]), entity))
    neutral = [fill(rng.choice(templates["None"]), entity)] if not fine or rng.random() < 0.35 else []
    others = [e for e in entities if e != entity]
    fillers = []
    for _ in range(rng.randint(1, 3)):
        role = "None" if rng.random() < 0.45 else rng.choice([r for r in templates if r != "None"])
        # a small fixed fill per template keeps filler sentences reusable (their vectors are cached)
        template = rng.choice(templates[role])
        fillers.append(fill(template, others[zlib.crc32(template.encode()) % len(others)]))
    sentences = list(dict.fromkeys(own + neutral + fillers))
    rng.shuffle(sentences)
    marked = neutral[0] if neutral and (not fine or rng.random() < 0.5) else (own[0] if own else neutral[0])
    return _with_span(sentences, marked, entity, fine)


def _with_span(sentences: list[str], marked: str, entity: str, fine: list[str]) -> dict[str, Any]:
    text = " ".join(sentences)
    base = text.index(marked)
    local = marked.find(entity)
    if local < 0:  # capitalised at the start of the sentence
        local = marked.find(entity[:1].upper() + entity[1:])
    return {"text": text, "start": base + local, "end": base + local + len(entity), "fine": fine}


def expand(lang: str, count: int) -> list[dict[str, Any]]:
    entities, groups, templates = sources(lang)
    rng = random.Random(f"{SEED}-{lang}")
    rows = []
    for _ in range(count):
        row = snippet(rng, entities, groups, templates)
        rows.append(
            {
                "text": row["text"],
                "start": row["start"],
                "end": row["end"],
                "language": lang,
                "fine": row["fine"],
            }
        )
    return rows


def main(count: int = 260) -> None:
    for lang in LANGUAGES:
        with (HERE / f"roles_{lang}.jsonl").open("w", encoding="utf-8") as f:
            for row in expand(lang, count):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
