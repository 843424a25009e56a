"""Quote detection and speaker attribution on tests/fixtures/quotes/gold.jsonl (project-written, 5 languages).

Offsets in the gold file point into `title + "\\n\\n" + text`. Two mention sources are measured: the
project's NER (`ner`) and an oracle that marks every occurrence of the gold speakers' names (`oracle`),
which isolates attribution from NER errors.
Run: .venv/bin/python benchmarks/quotes.py [--mentions ner|oracle|both]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from narrascope.nlp.quotes import find_quotes
from narrascope.records import Entity, Mention, Quote

GOLD = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "quotes" / "gold.jsonl"


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ner_mentions(text: str, lang: str) -> tuple[list[Entity], list[Mention]]:
    from narrascope.nlp.entities import link_entities
    from narrascope.nlp.ner import find_mentions

    mentions = find_mentions(text, lang)
    return link_entities(text, mentions), mentions


def oracle_mentions(text: str, doc: dict[str, Any]) -> tuple[list[Entity], list[Mention]]:
    names = {q["speaker"] for q in doc["quotes"] if q["speaker"]}
    mentions: list[Mention] = []
    for name in names:
        for surface in {name, name.split()[-1]}:
            start = text.find(surface)
            while start >= 0:
                if not any(m.start <= start < m.end for m in mentions):
                    mentions.append(Mention(start, start + len(surface), surface, "PER", name))
                start = text.find(surface, start + 1)
    entities = [Entity(n, n, "PER") for n in names]
    return entities, sorted(mentions, key=lambda m: m.start)


def same_speaker(gold: str | None, found: Quote) -> bool:
    name = found.speaker.name if found.speaker else None
    if gold is None or name is None:
        return gold is None and name is None
    g, p = gold.lower().split()[-1], name.lower().split()[-1]
    stem = min(len(g), len(p), 5)
    return bool(g[:stem] == p[:stem])


def overlaps(gold: dict[str, Any], found: Quote) -> bool:
    inter = min(gold["end"], found.end) - max(gold["start"], found.start)
    return bool(inter > 0.5 * (gold["end"] - gold["start"]))


def score_doc(doc: dict[str, Any], mode: str) -> dict[str, int]:
    text = f"{doc['title']}\n\n{doc['text']}" if doc["title"] else doc["text"]
    entities, mentions = ner_mentions(text, doc["lang"]) if mode == "ner" else oracle_mentions(text, doc)
    found = [q for q in find_quotes(text, doc["lang"], entities, mentions) if q.kind == "direct"]
    c: dict[str, int] = defaultdict(int)
    c["gold"] = len(doc["quotes"])
    c["found"] = len(found)
    c["gold_spk"] = sum(1 for g in doc["quotes"] if g["speaker"])
    c["found_spk"] = sum(1 for q in found if q.speaker)
    used: set[int] = set()
    for g in doc["quotes"]:
        match = next((i for i, q in enumerate(found) if i not in used and overlaps(g, q)), None)
        if match is None:
            continue
        used.add(match)
        c["tp"] += 1
        if g["speaker"] and same_speaker(g["speaker"], found[match]):
            c["spk_tp"] += 1
        if g["source"] and g["source"].lower() in found[match].source.lower():
            c["src_tp"] += 1
        c["gold_src"] += 1 if g["source"] else 0
    return c


def prf(tp: int, found: int, gold: int) -> tuple[float, float, float]:
    p = tp / found if found else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def table(docs: list[dict[str, Any]], mode: str) -> None:
    by_lang: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for doc in docs:
        for key, value in score_doc(doc, mode).items():
            by_lang[doc["lang"]][key] += value
            by_lang["all"][key] += value
    print(f"\nmentions: {mode}")
    print("| lang | gold quotes | detection P | R | F1 | speaker P | R | F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for lang in sorted(by_lang, key=lambda x: (x == "all", x)):
        c = by_lang[lang]
        dp, dr, df = prf(c["tp"], c["found"], c["gold"])
        sp, sr, sf = prf(c["spk_tp"], c["found_spk"], c["gold_spk"])
        print(f"| {lang} | {c['gold']} | {dp:.3f} | {dr:.3f} | {df:.3f} | {sp:.3f} | {sr:.3f} | {sf:.3f} |")
    c = by_lang["all"]
    print(f"named sources recovered: {c['src_tp']}/{c['gold_src']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", choices=["ner", "oracle", "both"], default="both")
    args = parser.parse_args()
    docs = load_gold()
    for mode in ("ner", "oracle") if args.mentions == "both" else (args.mentions,):
        table(docs, mode)


if __name__ == "__main__":
    main()
