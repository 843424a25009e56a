"""The app factory: open the store, wire the guard, the JSON API, the dashboard and the error shape."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from narrascope.api import errors, pages, reads, routes
from narrascope.api.jobs import Jobs
from narrascope.api.security import MAX_BODY, Guard, GuardConfig
from narrascope.settings import Settings
from narrascope.store import open_store

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
DESCRIPTION = (
    "Narratives, entity framing, quotes and stories in stored news analyses. Errors always have the shape "
    '{"error": {"code": "...", "message": "..."}}. With a server token, send "Authorization: Bearer TOKEN".'
)


def create_app(
    settings: Settings,
    *,
    stages: Sequence[str] | None = None,
    max_body: int = MAX_BODY,
    allowed_hosts: Sequence[str] = (),
) -> FastAPI:
    """The FastAPI app over `settings.db`; SchemaError at once when the database is missing or newer.

    `stages` picks the pipeline stages ingestion jobs run (tests pass cheap ones); `allowed_hosts`
    restricts the Host header (the loopback server uses it against DNS rebinding).
    """
    store = open_store(settings.db_url, create=False)
    cache = reads.Cache()
    jobs = Jobs(settings, stages, on_done=cache.clear)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()
        store.close()

    app = FastAPI(
        title="narrascope",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI loads from a CDN: not served; the schema is at /openapi.json
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.cache = cache
    app.state.jobs = jobs
    app.state.templates = pages.templates_for()
    errors.install(app)
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    config = GuardConfig(settings.token, settings.read_only, max_body, tuple(allowed_hosts))
    app.add_middleware(Guard, config=config)
    return app
