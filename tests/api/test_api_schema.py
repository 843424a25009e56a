"""Schemathesis against the published OpenAPI schema: a bounded, in-process run (no network).

Schemathesis' pytest plugin does not load under this pytest, so the test walks the operations itself
and runs a few generated cases through each with the default checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from narrascope.api import create_app
from narrascope.api.jobs import Job, Jobs
from narrascope.settings import Settings
from tests.api.conftest import CHEAP_STAGES
from tests.api.corpus_builder import build_db

EXAMPLES = 8


def check_operation(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        case.call_and_validate()

    run()


def test_api_conforms_to_its_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(_self: Jobs, job: Job, *_args: object) -> None:
        job.status = "done"  # generated URLs must never be fetched: jobs are recorded, not run

    monkeypatch.setattr(Jobs, "_run", no_network)
    app = create_app(Settings(db=build_db(tmp_path / "corpus.db")), stages=CHEAP_STAGES)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        check_operation(operation)
        checked.append(operation.label)
    assert "GET /api/articles" in checked and "POST /api/ingest" in checked
    app.state.jobs.wait()
