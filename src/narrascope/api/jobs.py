"""Background ingestion jobs: posted articles and URLs analysed in a worker thread, with a status record."""

from __future__ import annotations

import json
import logging
import secrets
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.settings import Settings

log = logging.getLogger(__name__)
MAX_JOBS_KEPT = 200


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    """One ingestion request and what became of it."""

    id: str
    status: str = "queued"  # queued | running | done | failed
    submitted: str = field(default_factory=_now)
    finished: str = ""
    articles: int = 0
    urls: int = 0
    summary: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Jobs:
    """Runs ingestion jobs one at a time in a worker thread; `on_done` runs after each (cache refresh)."""

    def __init__(
        self, settings: Settings, stages: Sequence[str] | None, on_done: Callable[[], None] | None = None
    ) -> None:
        self.settings = settings
        self.stages = list(stages) if stages is not None else None
        self.on_done = on_done
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="narrascope-ingest")

    def submit(self, articles: list[dict[str, Any]], urls: list[str]) -> Job:
        job = Job(id=secrets.token_hex(8), articles=len(articles), urls=len(urls))
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-MAX_JOBS_KEPT]:
                del self._jobs[old]
        self._pool.submit(self._run, job, articles, urls)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, timeout: float = 60.0) -> None:
        """Block until the jobs submitted so far have finished (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: Job, articles: list[dict[str, Any]], urls: list[str]) -> None:
        from narrascope.executor import analyze

        job.status = "running"
        try:
            with tempfile.TemporaryDirectory(prefix="narrascope-ingest-") as tmp:
                paths = [*([_write_jsonl(Path(tmp), articles)] if articles else []), *urls]
                summary = analyze(paths, self.settings, stages=self.stages)
            job.summary = summary.to_dict()
            job.status = "done"
        except NarrascopeError as exc:
            job.status, job.error = "failed", str(exc)
        except Exception as exc:  # a worker must record every failure, never die silently
            log.exception("ingestion job %s failed", job.id)
            job.status, job.error = "failed", f"{type(exc).__name__}: internal error"
        finally:
            job.finished = _now()
            if self.on_done:
                self.on_done()


def _write_jsonl(folder: Path, articles: list[dict[str, Any]]) -> str:
    path = folder / "posted.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for item in articles:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return str(path)
