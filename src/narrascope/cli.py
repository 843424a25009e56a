"""The narrascope command line (thin: parses options, calls the library, prints)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from narrascope.errors import NarrascopeError
from narrascope.settings import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    help=(
        "Find propaganda narratives, entity framing, quotes and stories in news articles (EN BG HI PT RU).\n\n"
        "Start with:  narrascope analyze FOLDER   then   narrascope report --out report.html"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
semeval_app = typer.Typer(
    help="SemEval-2025 Task 10 files: predict in the official formats, score against gold."
)
app.add_typer(semeval_app, name="semeval")
out = Console()
err = Console(stderr=True)

Db = Annotated[
    str | None, typer.Option("--db", help="SQLAlchemy URL or SQLite file [default: ./narrascope.db]")
]
Config = Annotated[Path | None, typer.Option("--config", help="A TOML settings file.")]
Model = Annotated[
    str | None, typer.Option("--model", help="A trained model directory (else the shipped one).")
]


def settings_from(config: Path | None = None, **flags: Any) -> Settings:
    return load_settings(config, **flags)


def friendly(func: F) -> F:
    """Turn narrascope errors into one line on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NarrascopeError as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@friendly
def analyze(
    paths: Annotated[
        list[str], typer.Argument(help="Folders, files (.txt .html .jsonl .csv .parquet), URLs, feeds.")
    ],
    db: Db = None,
    config: Config = None,
    model: Model = None,
    glob: Annotated[
        str | None, typer.Option(help="Only files matching this glob inside folders, e.g. '*.txt'.")
    ] = None,
    meta: Annotated[str | None, typer.Option(help="Sidecar CSV: file,outlet,published,url,title.")] = None,
    executor: Annotated[str | None, typer.Option(help="local (default) or dask.")] = None,
    scheduler: Annotated[str | None, typer.Option(help="dask: local | tcp://host:8786 | slurm.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    stages: Annotated[str | None, typer.Option(help="Comma-separated stage names (default: all).")] = None,
    out_parquet: Annotated[
        str | None,
        typer.Option("--out-parquet", help="Write results to this Parquet folder (by day), not the db."),
    ] = None,
) -> None:
    """Read articles, analyse them, store the results. Re-runs skip finished work; a killed run resumes."""
    from narrascope.executor import analyze as run

    settings = settings_from(
        config, db=db, model_dir=model, executor=executor, scheduler=scheduler, workers=workers
    )
    names = [s.strip() for s in stages.split(",")] if stages else None
    with _progress() as advance:
        summary = run(
            paths, settings, stages=names, glob=glob, meta_csv=meta, progress=advance, out_parquet=out_parquet
        )
    for source, reason in summary.failed:
        err.print(f"[yellow]failed:[/yellow] {source}: {reason}", highlight=False, soft_wrap=True)
    langs = ", ".join(f"{k} {v}" for k, v in sorted(summary.languages.items())) or "none"
    out.print(
        f"read {summary.read} articles: analysed {summary.analysed}, already done {summary.cached} "
        f"(no NLP work), duplicates skipped {summary.duplicates}, near-duplicates {len(summary.near_duplicates)}, "
        f"failed {len(summary.failed)}; languages: {langs}; {summary.seconds:.1f}s -> {settings.db}",
        highlight=False,
    )


class _progress:
    """A rich progress line counting analysed articles."""

    def __enter__(self) -> Callable[[int], None]:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(), TextColumn("{task.completed} articles"), TimeElapsedColumn(), console=err
        )
        self.task = self.bar.add_task("analyse", total=None)
        self.bar.start()
        return lambda n: self.bar.advance(self.task, n)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


@app.command()
@friendly
def show(
    article_id: Annotated[str, typer.Argument(help="An article id or a unique prefix of one.")],
    db: Db = None,
    config: Config = None,
) -> None:
    """Print one article's analysis as JSON."""
    from narrascope.queries import show_article

    print(json.dumps(show_article(settings_from(config, db=db), article_id), ensure_ascii=False, indent=2))


@app.command()
@friendly
def search(
    query: Annotated[str, typer.Argument(help="Words to find in titles and texts (full-text search).")],
    db: Db = None,
    config: Config = None,
    limit: int = 20,
) -> None:
    """Full-text search over stored articles."""
    from narrascope.queries import search_articles

    for hit in search_articles(settings_from(config, db=db), query, limit):
        out.print(f"{hit['id']}  {hit['title'][:70]}  …{hit['snippet']}…", highlight=False, soft_wrap=True)


@app.command()
@friendly
def export(
    format: Annotated[
        str, typer.Option("--format", help="jsonl|csv|parquet|semeval-st1|semeval-st2|semeval-st3")
    ],
    db: Db = None,
    config: Config = None,
    out_path: Annotated[str | None, typer.Option("--out", help="Output file (stdout when omitted).")] = None,
) -> None:
    """Export stored results."""
    from narrascope.queries import export_results

    n, text = export_results(settings_from(config, db=db), format, out_path)
    if text:
        sys.stdout.write(text)
    err.print(f"exported {n} rows" + (f" to {out_path}" if out_path else ""), highlight=False)


@app.command()
@friendly
def report(
    out_path: Annotated[str, typer.Option("--out", help="The HTML file to write.")] = "report.html",
    db: Db = None,
    config: Config = None,
) -> None:
    """Write one self-contained HTML report: corpus overview with charts, then every article."""
    from narrascope.report import write_report

    n = write_report(settings_from(config, db=db), out_path)
    out.print(f"wrote {out_path} ({n} articles)", highlight=False)


@app.command()
@friendly
def serve(
    db: Db = None,
    config: Config = None,
    host: Annotated[
        str, typer.Option(help="Interface to bind; beyond loopback NARRASCOPE_TOKEN is required.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Disable ingestion (POST) endpoints.")
    ] = False,
) -> None:
    """Serve the dashboard and the JSON API (OpenAPI at /openapi.json)."""
    from narrascope.api import serve as run

    run(settings_from(config, db=db, read_only=read_only or None), host, port)


@app.command()
@friendly
def stories(
    db: Db = None,
    config: Config = None,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Group stored articles into stories across outlets and languages (incremental), with timelines."""
    from narrascope.corpus.stories import update_stories
    from narrascope.store import open_store

    found = update_stories(open_store(settings_from(config, db=db).db_url, create=False))
    data = {"stories": [s.to_dict() for s in found]}
    if format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for s in data["stories"]:
        out.print(f"{s['id']}  {len(s['articles']):3d} articles  {s['title'][:80]}", highlight=False)


@app.command()
@friendly
def compare(
    db: Db = None,
    config: Config = None,
    story: Annotated[str | None, typer.Option(help="Only this story id.")] = None,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Compare outlets: narratives per outlet, roles and descriptors per entity, who voices which quotes."""
    from narrascope.corpus.compare import compare_store, format_table
    from narrascope.store import open_store

    data = compare_store(open_store(settings_from(config, db=db).db_url, create=False), story_id=story)
    if format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        out.print(format_table(data), highlight=False)


@semeval_app.command("score")
@friendly
def semeval_score(
    subtask: Annotated[int, typer.Option(help="1 or 2.")],
    gold: Annotated[Path, typer.Option(help="Gold file.")],
    pred: Annotated[Path, typer.Option(help="Prediction file.")],
) -> None:
    """Score a prediction file; prints JSON with the official metric names."""
    from narrascope.semeval_tasks import score

    print(json.dumps(score(subtask, gold, pred)))


@semeval_app.command("predict")
@friendly
def semeval_predict(
    subtask: Annotated[int, typer.Option(help="1, 2 or 3.")],
    docs: Annotated[Path, typer.Option(help="Folder of raw <id>.txt documents.")],
    out_path: Annotated[Path, typer.Option("--out", help="Prediction file to write.")],
    mentions: Annotated[Path | None, typer.Option(help="Subtask 1: the entity-mentions file.")] = None,
    dominant: Annotated[Path | None, typer.Option(help="Subtask 3: the dominant-narratives file.")] = None,
    model: Model = None,
    config: Config = None,
) -> None:
    """Predict in the official format: one line per document (ST2, ST3) or per mention (ST1)."""
    from narrascope.semeval_tasks import predict

    n = predict(
        settings_from(config, model_dir=model), subtask, docs, out_path, mentions=mentions, dominant=dominant
    )
    err.print(f"wrote {n} lines to {out_path}", highlight=False)


@app.command()
@friendly
def train(
    subtask: Annotated[int, typer.Option(help="1 (entity roles) or 2 (narratives).")],
    data: Annotated[list[Path], typer.Option(help="A folder in the SemEval layout; repeat for more.")],
    out_path: Annotated[Path, typer.Option("--out", help="Model directory to write.")],
) -> None:
    """Train a model on your own labelled data; use it with --model DIR or NARRASCOPE_MODEL_DIR."""
    from narrascope.semeval_tasks import train_model

    report_ = train_model(subtask, [str(d) for d in data], str(out_path))
    out.print(json.dumps(report_, ensure_ascii=False), highlight=False)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
