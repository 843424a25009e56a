"""Scaling: docs/s and peak memory (whole process tree) for local 1/2 workers and Dask 2 workers.

    .venv/bin/python benchmarks/scaling.py --n 2000        # the issue-7 table (default)
    .venv/bin/python benchmarks/scaling.py --n 200         # a quick run

The sample is project-written text (training/narratives/*.jsonl, examples/demo), repeated with a
variation marker so every copy is a distinct article; with --shared, the SemEval raw documents under
../shared/data are used instead (read only; the sample lives in a temp folder outside the repository).
Each configuration runs in a fresh subprocess on a fresh SQLite file; memory is sampled with psutil
over the subprocess and all its children. The embedding pass alone is the reference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "semeval2025t10" / "train"
CONFIGS = {
    "local, 1 worker": ("local", 1),
    "local, 2 workers": ("local", 2),
    "dask LocalCluster, 2 workers": ("dask", 2),
    "embedding pass alone (1 thread)": ("embed", 1),
}


def project_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "training" / "narratives").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else {}
            if isinstance(record.get("text"), str) and record["text"].strip():
                yield str(record.get("title", "")), record["text"]
    for path in sorted((ROOT / "examples" / "demo").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        yield title.strip(), body.strip()


def shared_texts() -> Iterator[tuple[str, str]]:
    for path in sorted(SHARED.glob("*/raw-documents/*.txt")):
        yield "", path.read_text(encoding="utf-8", errors="replace")


def write_sample(n: int, out: Path, shared: bool) -> Path:
    """n distinct articles as JSONL: the texts cycled, each copy marked so its content hash differs."""
    texts = list(shared_texts() if shared and SHARED.is_dir() else project_texts())
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            title, text = texts[i % len(texts)]
            record = {
                "title": f"{title} [{i // len(texts)}]",
                "text": text,
                "published": f"2024-01-{1 + i % 28:02d}",
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def child(kind: str, workers: int, sample: Path, db: Path) -> dict[str, float]:
    """Runs inside the measured subprocess."""
    from narrascope.executor import analyze
    from narrascope.settings import Settings

    started = time.perf_counter()
    if kind == "embed":
        docs = embed_only(sample)
    else:
        settings = Settings(db=str(db), executor=kind, workers=workers, scheduler="local")
        summary = analyze([str(sample)], settings)
        docs = summary.analysed
        if summary.failed:
            print(f"{len(summary.failed)} failed, first: {summary.failed[0]}", file=sys.stderr)
    return {"docs": docs, "seconds": time.perf_counter() - started}


def embed_only(sample: Path) -> int:
    from narrascope.nlp.embedder import get_embedder
    from narrascope.nlp.sentences import split_sentences
    from narrascope.stages import MAX_SENTENCES

    lines = sample.read_text(encoding="utf-8").splitlines()
    embedder = get_embedder()
    for line in lines:
        record = json.loads(line)
        text = f"{record['title']}\n\n{record['text']}"
        embedder.passages([text[s.start : s.end] for s in split_sentences(text)[:MAX_SENTENCES]])
    return len(lines)


def measure(kind: str, workers: int, sample: Path, db: Path) -> dict[str, float]:
    """Run one configuration in a subprocess; peak RSS summed over its whole process tree."""
    import psutil

    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    cmd = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--workers",
        str(workers),
        "--sample",
        str(sample),
        "--db",
        str(db),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    parent, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{kind}/{workers} failed with exit code {proc.returncode}")
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="articles in the sample")
    parser.add_argument("--shared", action="store_true", help="sample ../shared raw documents when present")
    parser.add_argument(
        "--growth", action="store_true", help="also check memory at n/10 vs n (local, 2 workers)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--sample", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.workers, Path(args.sample), Path(args.db))))
        return
    with tempfile.TemporaryDirectory(prefix="narrascope-scaling-") as tmp:
        sample = write_sample(args.n, Path(tmp) / "sample.jsonl", args.shared)
        print(
            f"sample: {args.n} articles ({'shared raw documents' if args.shared else 'project-written'}), {os.cpu_count()} CPUs"
        )
        print(f"{'configuration':34} {'docs':>6} {'seconds':>8} {'docs/s':>7} {'peak MB':>8}")
        rows = {}
        for name, (kind, workers) in CONFIGS.items():
            r = rows[name] = measure(kind, workers, sample, Path(tmp) / f"{kind}{workers}.db")
            print(
                f"{name:34} {r['docs']:>6.0f} {r['seconds']:>8.1f} {r['docs'] / r['seconds']:>7.2f} {r['peak_mb']:>8.0f}"
            )
        speedup = rows["local, 1 worker"]["seconds"] / rows["local, 2 workers"]["seconds"]
        overhead = rows["dask LocalCluster, 2 workers"]["seconds"] / rows["local, 2 workers"]["seconds"] - 1
        print(
            f"2 workers vs 1: {speedup:.2f}x (goal >= 1.8x); Dask overhead vs local at 2 workers: {overhead:+.1%} (goal <= 10%)"
        )
        if args.growth:
            small = write_sample(max(1, args.n // 10), Path(tmp) / "small.jsonl", args.shared)
            low = measure("local", 2, small, Path(tmp) / "small.db")
            high = rows["local, 2 workers"]
            print(
                f"memory at n/10: {low['peak_mb']:.0f} MB, at n: {high['peak_mb']:.0f} MB (ratio {high['peak_mb'] / low['peak_mb']:.2f})"
            )


if __name__ == "__main__":
    main()
