"""`narrascope semeval predict|score` and `narrascope train`: the SemEval subtasks end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope.errors import ConfigError, FormatError
from narrascope.evaluate import score_st1, score_st2
from narrascope.pipeline import Pipeline
from narrascope.records import Article
from narrascope.semeval import (
    St1Line,
    align_mention,
    format_st1,
    format_st2,
    format_st3,
    iter_documents,
    read_st1,
    read_st2,
    read_st3_dominant,
    st1_rows,
)
from narrascope.settings import Settings

ST2_STAGES = ("clean", "language", "sentences", "embed", "narratives")


def score(subtask: int, gold: Path, pred: Path) -> dict[str, Any]:
    """Official metrics; ST2 uses the scored label lists of the shipped taxonomy."""
    if subtask == 2:
        from narrascope.taxonomy import load_taxonomy

        tax = load_taxonomy()
        coarse = {x.label for x in tax.narratives if x.scored} | {"Other"}
        fine = {x.label for x in tax.subnarratives if x.scored} | {"Other"}
        return score_st2(read_st2(gold), read_st2(pred), coarse, fine)
    if subtask == 1:
        return score_st1(st1_rows(read_st1(gold)), st1_rows(read_st1(pred)))
    raise ConfigError(f"semeval score supports subtasks 1 and 2, not {subtask}")


def predict(
    settings: Settings,
    subtask: int,
    docs: Path,
    out: Path,
    *,
    mentions: Path | None = None,
    dominant: Path | None = None,
) -> int:
    if subtask == 2:
        return _predict_st2(settings, docs, out)
    if subtask == 1:
        if mentions is None:
            raise ConfigError("subtask 1 needs --mentions FILE (id, mention, start, end)")
        return _predict_st1(settings, docs, mentions, out)
    if subtask == 3:
        if dominant is None:
            raise ConfigError("subtask 3 needs --dominant FILE (id, narrative, subnarrative)")
        return _predict_st3(settings, docs, dominant, out)
    raise ConfigError(f"unknown subtask {subtask}")


def _predict_st2(settings: Settings, docs: Path, out: Path) -> int:
    pipeline = Pipeline.from_config(settings, ST2_STAGES)
    lines = []
    for name, text in iter_documents(docs):
        analysis = pipeline.run(Article(title="", text=text, name=name))
        narr = [x.label for x in analysis.narratives if x.label != "Other"]
        sub = [x.label for x in analysis.subnarratives if x.label != "Other"]
        lines.append(format_st2(name, narr, sub))
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def _predict_st1(settings: Settings, docs: Path, mentions: Path, out: Path) -> int:
    from narrascope.ingest.language import detect_language
    from narrascope.models.roles import predict_roles

    texts = dict(iter_documents(docs))
    by_doc: dict[str, list[tuple[int, St1Line]]] = {}
    for number, line in enumerate(read_st1(mentions, with_roles=False), start=1):
        by_doc.setdefault(line.doc, []).append((number, line))
    lines = []
    for doc, items in by_doc.items():
        if doc not in texts:
            raise FormatError(f"{mentions}: document {doc!r} is not in {docs}")
        text = texts[doc]
        spans = [align_mention(text, line, f"{mentions}:{n}")[:2] for n, line in items]
        roles = predict_roles(text, spans, detect_language(text), settings.model_dir or None)
        for (_, line), role in zip(items, roles, strict=True):
            lines.append(
                format_st1(St1Line(doc, line.mention, line.start, line.end, role.main, tuple(role.fine)))
            )
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def _predict_st3(settings: Settings, docs: Path, dominant: Path, out: Path) -> int:
    from narrascope.models.explain import explain_label

    wanted = read_st3_dominant(dominant)
    pipeline = Pipeline.from_config(settings, ("clean", "language", "sentences", "embed"))
    lines = []
    for name, text in iter_documents(docs):
        if name not in wanted:
            continue
        article = Article(title="", text=text, name=name)
        analysis = pipeline.run(article)
        explanation = explain_label(article, analysis, *wanted[name], model_dir=settings.model_dir)
        lines.append(format_st3(name, explanation.text))
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def train_model(subtask: int, data: list[str], out_dir: str) -> dict[str, Any]:
    """Train on user data in the SemEval layout; the result is used with --model / NARRASCOPE_MODEL_DIR."""
    if subtask == 2:
        from narrascope.models.training import read_semeval_examples, train_narratives

        examples = [e for d in data for e in read_semeval_examples(Path(d))]
        if not examples:
            raise FormatError(f"no labelled documents found in {', '.join(data)}")
        manifest = train_narratives(
            examples, Path(out_dir) / "narratives", description=f"user data: {', '.join(data)}"
        )
        return {"subtask": 2, "out": out_dir, **manifest}
    if subtask == 1:
        from narrascope.models.roles import train_roles

        model = train_roles(data, str(Path(out_dir) / "roles"))
        return {"subtask": 1, "out": out_dir, "model": type(model).__name__}
    raise ConfigError(f"train supports subtasks 1 and 2, not {subtask}")
