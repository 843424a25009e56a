"""The CLI end to end on small project-written corpora, with a real SQLite database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.store import open_store
from tests.conftest import FIXTURES, ROOT

runner = CliRunner()
LIGHT = "clean,language,sentences"
ARTICLES = {
    "a.txt": "Ceasefire talks resume in Geneva\n\nDelegates met on Monday. The envoy said talks would go on.",
    "b.txt": "Переговоры о перемирии\n\nДелегации встретились в понедельник. Посланник заявил, что работа продолжится.",
    "c.txt": "Хиляди протестираха в София\n\nПротестиращите поискаха оставка на правителството.",
}


def corpus(tmp_path: Path, n: int = 0) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    for i in range(n):
        (folder / f"extra{i:03d}.txt").write_text(
            f"Report {i}\n\nLocal council number {i} met today.", "utf-8"
        )
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe")
    return folder


def test_analyze_summary_and_rerun(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    first = runner.invoke(app, ["analyze", str(corpus(tmp_path)), "--db", db, "--stages", LIGHT])
    assert first.exit_code == 0, first.output
    assert "read 3 articles: analysed 3" in " ".join(first.output.split())
    assert "broken.txt" in first.output  # one line naming the bad file
    again = runner.invoke(app, ["analyze", str(tmp_path / "corpus"), "--db", db, "--stages", LIGHT])
    assert "analysed 0, already done 3 (no NLP work)" in " ".join(again.output.split())


def test_show_search_export(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    runner.invoke(app, ["analyze", str(corpus(tmp_path)), "--db", db, "--stages", LIGHT])
    hits = runner.invoke(app, ["search", "Geneva", "--db", db])
    assert hits.exit_code == 0 and "Ceasefire" in hits.output
    article_id = hits.output.split()[0]
    shown = runner.invoke(app, ["show", article_id[:6], "--db", db])
    assert json.loads(shown.stdout)["title"] == "Ceasefire talks resume in Geneva"
    out = tmp_path / "x.jsonl"
    exported = runner.invoke(app, ["export", "--format", "jsonl", "--db", db, "--out", str(out)])
    assert exported.exit_code == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert {r["language"] for r in rows} == {"en", "ru", "bg"}
    assert all("quotes" in r for r in rows)


def test_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["show", "abc", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "error:" in missing.output and "Traceback" not in missing.output
    fmt = runner.invoke(app, ["export", "--format", "xml", "--db", str(tmp_path / "none.db")])
    assert fmt.exit_code == 2


def test_semeval_score_cli() -> None:
    gold, pred = FIXTURES / "semeval" / "st2_gold.txt", FIXTURES / "semeval" / "st2_pred.txt"
    result = runner.invoke(
        app, ["semeval", "score", "--subtask", "2", "--gold", str(gold), "--pred", str(pred)]
    )
    assert result.exit_code == 0
    assert set(json.loads(result.stdout)) >= {"f1_samples_coarse", "f1_samples_fine"}


def _dump(db: str) -> dict[str, str]:
    store = open_store(db, create=False)
    return {a.id: an.to_json() for a, an in store.results()}


def test_killed_run_resumes_to_same_database(tmp_path: Path) -> None:
    folder = corpus(tmp_path, n=120)
    whole, killed = str(tmp_path / "whole.db"), str(tmp_path / "killed.db")
    cmd = [sys.executable, "-m", "narrascope.cli", "analyze", str(folder), "--stages", LIGHT, "--db"]
    env = {**os.environ, "NARRASCOPE_BATCH_SIZE": "4"}
    subprocess.run([*cmd, whole], check=True, capture_output=True, env=env, cwd=ROOT)
    proc = subprocess.Popen(
        [*cmd, killed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    deadline = time.time() + 60
    while time.time() < deadline and not _has_rows(killed):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    subprocess.run([*cmd, killed], check=True, capture_output=True, env=env, cwd=ROOT)
    assert _dump(killed) == _dump(whole)
    assert len(_dump(whole)) == 123


def _has_rows(db: str) -> bool:
    if not Path(db).exists():
        return False
    try:
        return any(True for _ in open_store(db, create=False).results())
    except Exception:
        return False


@pytest.mark.slow
def test_train_subtask_2_then_predict_with_the_model(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "raw-documents").mkdir(parents=True)
    gold = []
    source = ROOT / "training" / "narratives"
    rows = [
        json.loads(line) for f in ("subtle_pt_a.jsonl", "subtle_bg_a.jsonl") for line in (source / f).open()
    ]
    for row in rows[:24]:  # project-written articles in the SemEval layout
        (data / "raw-documents" / f"{row['id']}.txt").write_text(f"{row['title']}\n\n{row['text']}", "utf-8")
        gold.append(f"{row['id']}.txt\t{';'.join(row['narratives'])}\t{';'.join(row['subnarratives'])}")
    (data / "subtask-2-annotations.txt").write_text("\n".join(gold) + "\n", "utf-8")
    model = tmp_path / "model"
    result = runner.invoke(app, ["train", "--subtask", "2", "--data", str(data), "--out", str(model)])
    assert result.exit_code == 0, result.output
    assert (model / "narratives" / "lexical.json").exists()
    out = tmp_path / "pred.txt"
    args = ["semeval", "predict", "--subtask", "2", "--docs", str(data / "raw-documents"), "--out", str(out)]
    result = runner.invoke(app, [*args, "--model", str(model)])
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 24 and all(len(line.split("\t")) == 3 for line in lines)
    assert (
        sum(line.split("\t")[1] != "Other" for line in lines) >= 12
    )  # it learnt the narratives it was shown


@pytest.mark.slow
def test_semeval_predict_st2_one_line_per_document(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in ARTICLES.items():
        (docs / name).write_bytes(text.replace("\n", "\r\n").encode())
    (docs / "empty.txt").write_text("", "utf-8")
    out = tmp_path / "pred.txt"
    result = runner.invoke(
        app, ["semeval", "predict", "--subtask", "2", "--docs", str(docs), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert sorted(line.split("\t")[0] for line in lines) == ["a.txt", "b.txt", "c.txt", "empty.txt"]
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert "empty.txt\tOther\tOther" in lines


@pytest.mark.slow
def test_semeval_predict_st1_and_bad_offsets(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "d1.txt").write_bytes(
        b"Putin and Zelensky.\r\n\r\nNATO was blamed by Lukashenko for the war.\r\n"
    )
    mentions = tmp_path / "m.txt"
    mentions.write_text("d1.txt\tPutin\t0\t4\nd1.txt\tNATO\t23\t26\nd1.txt\tLukashenko\t42\t51\n", "utf-8")
    out = tmp_path / "p.txt"
    args = ["semeval", "predict", "--subtask", "1", "--docs", str(docs), "--out", str(out), "--mentions"]
    assert runner.invoke(app, [*args, str(mentions)]).exit_code == 0
    lines = [line.split("\t") for line in out.read_text("utf-8").splitlines()]
    assert [x[1:4] for x in lines] == [["Putin", "0", "4"], ["NATO", "23", "26"], ["Lukashenko", "42", "51"]]
    assert all(x[4] in {"Protagonist", "Antagonist", "Innocent"} and len(x) >= 6 for x in lines)
    mentions.write_text("d1.txt\tPutin\t0\t9\n", "utf-8")
    bad = runner.invoke(app, [*args, str(mentions)])
    assert bad.exit_code == 2 and "m.txt:1" in bad.output


def test_readme_commands_exist() -> None:
    """Every `narrascope <command>` the README shows is a real command."""
    import re

    readme = (ROOT / "README.md").read_text("utf-8")
    commands = set(re.findall(r"^narrascope ([a-z]+)", readme, flags=re.M))
    assert {"analyze", "report", "export", "serve", "stories", "compare", "semeval", "train"} <= commands
    for command in commands:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
