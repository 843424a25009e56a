"""The JSON API under /api: articles, search, narratives, roles, entities, quotes, stories, export, ingest."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from narrascope.api import reads
from narrascope.api.errors import ERROR_RESPONSES, NOT_FOUND, ApiError
from narrascope.exports import semeval_lines, write_csv, write_parquet
from narrascope.records import Article as ArticleRecord
from narrascope.records import ArticleAnalysis
from narrascope.store import ArticleFilter, Store

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

DATE = r"^\d{4}-\d{2}-\d{2}$"
Text = Annotated[str | None, Query(max_length=200)]
Date = Annotated[str | None, Query(pattern=DATE, description="ISO date YYYY-MM-DD (inclusive)")]
Level = Annotated[Literal["narrative", "subnarrative"], Query()]
ExportFormat = Literal["jsonl", "csv", "parquet", "semeval-st1", "semeval-st2", "semeval-st3"]
MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def cache_of(request: Request) -> reads.Cache:
    cache: reads.Cache = request.app.state.cache
    return cache


StoreDep = Annotated[Store, Depends(store_of)]
CacheDep = Annotated[reads.Cache, Depends(cache_of)]


def article_filter(
    outlet: Text = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    date_from: Date = None,
    date_to: Date = None,
    narrative: Text = None,
    entity: Text = None,
    role: Text = None,
    q: Text = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> ArticleFilter:
    """The article filters shared by the list, the export and the dashboard."""
    return ArticleFilter(
        outlet=outlet, language=language, date_from=date_from, date_to=date_to, narrative=narrative,
        entity=entity, role=role, query=q, limit=limit, offset=offset,
    )  # fmt: skip


FilterDep = Annotated[ArticleFilter, Depends(article_filter)]


@router.get("/health")
def health(store: StoreDep) -> dict[str, Any]:
    """Liveness and the number of stored articles."""
    return {"status": "ok", "articles": store.counts()["articles"]}


@router.get("/articles")
def list_articles(store: StoreDep, f: FilterDep) -> dict[str, Any]:
    """Articles matching every given filter, newest first, one page at a time."""
    return reads.page(store, f)


@router.get("/articles/{article_id}", responses=NOT_FOUND)
def get_article(store: StoreDep, article_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
    """One article with its full analysis (narratives, evidence, entities, roles, quotes, explanation)."""
    return reads.article(store, article_id)


@router.get("/search")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Full-text search; snippets wrap matches in ⟦ ⟧."""
    return reads.search(store, q, limit)


@router.get("/counts")
def counts(store: StoreDep, cache: CacheDep) -> dict[str, Any]:
    """Totals per language, outlet, day and status."""
    result: dict[str, Any] = reads.overview(store, cache)["counts"]
    return result


@router.get("/overview")
def overview(store: StoreDep, cache: CacheDep) -> dict[str, Any]:
    """Everything the dashboard overview charts."""
    return reads.overview(store, cache)


@router.get("/narratives")
def narratives(store: StoreDep, cache: CacheDep, level: Level = "narrative") -> dict[str, Any]:
    """Articles per narrative (or subnarrative) label."""
    return reads.narratives(store, cache, level)


@router.get("/narratives/trends")
def narrative_trends(
    store: StoreDep, cache: CacheDep, level: Level = "narrative", by: Literal["week", "outlet"] = "week"
) -> dict[str, Any]:
    """Articles per label, per ISO week or per outlet."""
    return reads.trends(store, cache, level, by)


@router.get("/roles")
def roles(store: StoreDep, cache: CacheDep, by: Literal["all", "outlet"] = "all") -> dict[str, Any]:
    """Mentions per main and fine role, overall or per outlet."""
    return reads.roles(store, cache, None if by == "all" else by)


@router.get("/entities")
def entities(
    store: StoreDep, cache: CacheDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    """The most mentioned entities."""
    return reads.entities(store, cache, limit)


@router.get("/entities/{entity}", responses=NOT_FOUND)
def entity(store: StoreDep, entity: str) -> dict[str, Any]:
    """One entity (id or name): roles and descriptors per outlet, mentions, quotes."""
    return reads.entity(store, entity)


@router.get("/quotes")
def quotes(
    store: StoreDep, entity: Text = None, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    """Quotes, newest first, optionally by one speaker (entity id or name)."""
    return reads.quotes(store, entity, limit)


@router.get("/stories")
def stories(store: StoreDep, cache: CacheDep) -> dict[str, Any]:
    """Stories (clusters of articles on one event), latest first."""
    return reads.stories(store, cache)


@router.get("/stories/{story_id}", responses=NOT_FOUND)
def story(store: StoreDep, story_id: str) -> dict[str, Any]:
    """One story: articles, timeline per outlet, per-outlet narratives and comparison."""
    return reads.story(store, story_id)


@router.get("/compare")
def compare(store: StoreDep, story_id: Text = None) -> dict[str, Any]:
    """Outlet comparison over the corpus or one story (empty when corpus views are unavailable)."""
    return {"story_id": story_id, "comparison": reads.compare(store, story_id)}


EXPORT_CONTENT = {
    "content": {
        "application/x-ndjson": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
        "text/plain": {"schema": {"type": "string"}},
    },
    "description": "the export file",
}


@router.get("/export", response_class=Response, responses={200: EXPORT_CONTENT})
def export(store: StoreDep, f: FilterDep, format: ExportFormat = "jsonl") -> Response:
    """Stored results in an export format (jsonl, csv, parquet or the SemEval subtask files)."""
    pairs = store.results(f)
    if format == "jsonl":
        return StreamingResponse(_jsonl(pairs), media_type=MEDIA["jsonl"])
    if format == "parquet":
        return Response(_parquet(pairs), media_type=MEDIA["parquet"])
    if format == "csv":
        buffer = io.StringIO()
        write_csv(pairs, buffer)
        return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8")
    text = "".join(line + "\n" for line in semeval_lines(pairs, int(format[-1])))
    return Response(text, media_type="text/plain; charset=utf-8")


def _jsonl(pairs: Iterator[tuple[ArticleRecord, ArticleAnalysis]]) -> Iterator[str]:
    from narrascope.exports import row

    for article, analysis in pairs:
        yield json.dumps(row(article, analysis), ensure_ascii=False) + "\n"


def _parquet(pairs: Iterator[tuple[ArticleRecord, ArticleAnalysis]]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.parquet"
        write_parquet(pairs, str(path))
        return path.read_bytes()


class PostedArticle(BaseModel):
    """An article sent for analysis."""

    title: str = Field("", max_length=2_000)
    text: str = Field(min_length=1, max_length=500_000)
    source: str = Field("", max_length=200)
    url: str = Field("", max_length=2_000)
    published: str = Field("", max_length=40)
    language: str = Field("", max_length=16)


class IngestRequest(BaseModel):
    """Articles as JSON and/or http(s) URLs to fetch (at least one); analysed in a background job."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["articles"], "properties": {"articles": {"minItems": 1}}},
                {"required": ["urls"], "properties": {"urls": {"minItems": 1}}},
            ]
        }
    )
    articles: list[PostedArticle] = Field(default_factory=list, max_length=500)
    urls: list[Annotated[str, Field(pattern=r"^https?://", max_length=2_000)]] = Field(
        default_factory=list, max_length=100
    )

    @model_validator(mode="after")
    def _not_empty(self) -> IngestRequest:
        if not self.articles and not self.urls:
            raise ValueError("send at least one article or URL")
        return self


class JobStatus(BaseModel):
    id: str
    status: str
    submitted: str
    finished: str
    articles: int
    urls: int
    summary: dict[str, Any]
    error: str


@router.post("/ingest", status_code=202, response_model=JobStatus)
def ingest(request: Request, body: IngestRequest) -> dict[str, Any]:
    """Queue articles and URLs for analysis; poll /api/jobs/{id} for the outcome."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ApiError(422, "the body must be sent as application/json")
    job = request.app.state.jobs.submit([a.model_dump() for a in body.articles], body.urls)
    return dict(job.to_dict())


@router.get("/jobs/{job_id}", responses=NOT_FOUND, response_model=JobStatus)
def job(request: Request, job_id: str) -> dict[str, Any]:
    """The status of an ingestion job: queued, running, done (with the run summary) or failed."""
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise ApiError(404, f"no job with id {job_id!r}")
    return dict(found.to_dict())
