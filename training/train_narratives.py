"""Train the shipped narrative model from the project-written corpus in training/narratives/*.jsonl.

Usage: .venv/bin/python training/train_narratives.py [--out src/narrascope/models/artefacts/narratives]
       [--per-language hedge | all | none | SETTING...]
Reproducible: the same JSONL files give the same model (fixed seeds; embeddings are deterministic).
No SemEval data is read here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from narrascope.models.training import GRID, Example, read_jsonl_examples, train_narratives
from narrascope.taxonomy import load_taxonomy

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "src" / "narrascope" / "models" / "artefacts" / "narratives"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--cache", type=Path, default=HERE.parent / ".cache" / "train_narratives.npz")
    ap.add_argument(
        "--per-language",
        nargs="+",
        default=["hedge"],
        metavar="SETTING",
        help="decoding settings each language may set for itself: names from the grid, 'all' or 'none' "
        "(default: hedge, as the shipped model; see its model card for what was measured)",
    )
    args = ap.parse_args(argv)
    files = sorted((HERE / "narratives").glob("*.jsonl"))
    examples = read_jsonl_examples(files)
    sentences = taxonomy_examples()
    description = (
        f"{len(examples)} articles written by the narrascope project ({', '.join(f.name for f in files)}) and "
        f"{len(sentences)} example sentences from the project's taxonomy pack; licence Apache-2.0; "
        "no SemEval or other third-party text"
    )
    examples += sentences
    manifest = train_narratives(
        examples,
        args.out,
        C=args.C,
        cache=args.cache,
        description=description,
        language_keys=language_keys(args.per_language, ap),
        log=lambda m: print(m, file=sys.stderr),
    )
    print(manifest)
    return 0


def language_keys(names: list[str], ap: argparse.ArgumentParser) -> list[str] | None:
    """--per-language values: None (off) for 'none', every grid setting for 'all', else grid setting names."""
    if names in (["none"], ["all"]):
        return None if names == ["none"] else list(GRID)
    unknown = sorted(set(names) - set(GRID))
    if unknown:
        ap.error(f"--per-language: unknown setting(s) {', '.join(unknown)}; known: {', '.join(GRID)}")
    return names


def taxonomy_examples() -> list[Example]:
    """The pack's own example sentences, one short training example each (labelled with their subnarrative)."""
    out = []
    for label in load_taxonomy().subnarratives:
        if label.parent is None:
            continue
        for lang, sentences in label.examples.items():
            for i, text in enumerate(sentences):
                out.append(
                    Example(
                        f"pack-{lang}-{i}-{label.label}",
                        text,
                        {label.parent},
                        {label.label},
                        lang,
                        article=False,
                    )
                )
    return out


if __name__ == "__main__":
    sys.exit(main())
