"""Throughput: docs/s and peak RSS of the default pipeline next to the embedding pass alone.

    .venv/bin/python -m benchmarks.throughput             # examples/demo, and ../shared raw documents when present
    .venv/bin/python -m benchmarks.throughput --limit 100 # at most 100 shared documents

Each run is a fresh subprocess (local executor, 1 worker) on a fresh SQLite file; memory is the peak RSS
of that process tree. Shared documents are read in place, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks.scaling import ROOT, SHARED, measure


def corpus_to_jsonl(files: list[Path], out: Path) -> Path:
    with out.open("w", encoding="utf-8") as fh:
        for path in files:
            title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n\n")
            text, title = (body, title) if body.strip() else (title, "")
            fh.write(
                json.dumps(
                    {"id": path.stem, "title": title.strip(), "text": text.strip()}, ensure_ascii=False
                )
                + "\n"
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="at most this many shared documents (0 = all)")
    args = parser.parse_args()
    corpora = {"demo (examples/demo)": sorted((ROOT / "examples" / "demo").glob("*.txt"))}
    shared = sorted(SHARED.glob("*/raw-documents/*.txt"))
    if shared:
        corpora["semeval2025t10 train raw-documents"] = shared[: args.limit] if args.limit else shared
    print(f"{'corpus':38} {'run':10} {'docs':>6} {'seconds':>8} {'docs/s':>7} {'peak MB':>8}")
    with tempfile.TemporaryDirectory(prefix="narrascope-throughput-") as tmp:
        for i, (name, files) in enumerate(corpora.items()):
            sample = corpus_to_jsonl(files, Path(tmp) / f"c{i}.jsonl")
            for kind, label in (("local", "pipeline"), ("embed", "embed only")):
                r = measure(kind, 1, sample, Path(tmp) / f"c{i}-{kind}.db")
                print(
                    f"{name:38} {label:10} {r['docs']:>6.0f} {r['seconds']:>8.1f} {r['docs'] / r['seconds']:>7.2f} {r['peak_mb']:>8.0f}"
                )


if __name__ == "__main__":
    main()
