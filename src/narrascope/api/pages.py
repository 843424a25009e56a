"""The dashboard: server-rendered pages (Jinja2, autoescaped) over the same reads as the JSON API."""

from __future__ import annotations

import secrets
from html import escape
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from narrascope.api import charts, reads
from narrascope.api.errors import ApiError
from narrascope.api.routes import CacheDep, FilterDep, StoreDep
from narrascope.api.security import SESSION_COOKIE, SESSION_SECONDS, check_csrf, session_value
from narrascope.highlight import layers_for, render
from narrascope.records import ArticleAnalysis, article_from_dict
from narrascope.store import MARK_CLOSE, MARK_OPEN, ArticleFilter

WEB = Path(__file__).resolve().parent.parent / "web"
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
FILTER_KEYS = ("outlet", "language", "date_from", "date_to", "narrative", "entity", "role", "q")


def templates_for() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(WEB / "templates"))
    templates.env.autoescape = True
    templates.env.filters["marked"] = marked
    return templates


def marked(snippet: str) -> Markup:
    """A search snippet as HTML: everything escaped, then the ⟦ ⟧ match markers turned into <mark>."""
    html = escape(snippet).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    return Markup(html)


def show(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    base = {
        "csrf": request.scope.get("state", {}).get("csrf", ""),
        "read_only": request.app.state.settings.read_only,
        "auth": bool(request.app.state.settings.token),
        "path": request.url.path,
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def error_page(request: Request, status: int, code: str, message: str) -> Response:
    return show(request, "error.html", status, status_code=status, code=code, message=message)


@router.get("/")
def overview(request: Request, store: StoreDep, cache: CacheDep) -> Response:
    data = reads.overview(store, cache)
    return show(request, "overview.html", data=data, charts=charts.overview_charts(data))


@router.get("/articles")
def articles(request: Request, store: StoreDep, f: FilterDep) -> Response:
    result = reads.page(store, f)
    active = {k: v for k, v in request.query_params.items() if k in FILTER_KEYS and v}
    hits = reads.search(store, f.query, 10)["hits"] if f.query and not f.offset else []
    return show(
        request, "articles.html", result=result, active=active, hits=hits, f=f,
        prev_url=_page_url(active, f, -1), next_url=_page_url(active, f, 1, result["total"]),
    )  # fmt: skip


def _page_url(active: dict[str, str], f: ArticleFilter, step: int, total: int = 0) -> str:
    limit = f.limit or 50
    offset = f.offset + step * limit
    if offset < 0 or (step > 0 and offset >= total):
        return ""
    return "/articles?" + urlencode({**active, "limit": limit, "offset": offset})


@router.get("/articles/{article_id}")
def article(request: Request, store: StoreDep, article_id: str) -> Response:
    data = reads.article(store, article_id)
    record = article_from_dict(data["article"])
    palette: dict[str, int] = {}
    analysis = None
    if data["analysis"] is not None:
        analysis = ArticleAnalysis.from_dict(data["analysis"])
        body = Markup(render(record.full_text, layers_for(record, analysis, palette)))
    else:
        body = Markup(escape(record.full_text))
    return show(request, "article.html", article=record, analysis=analysis, body=body, palette=palette)


@router.get("/entities")
def entities(request: Request, store: StoreDep, cache: CacheDep) -> Response:
    return show(request, "entities.html", items=reads.entities(store, cache, 100)["items"])


@router.get("/entities/{key}")
def entity(request: Request, store: StoreDep, key: str) -> Response:
    found = reads.entity(store, key)
    return show(request, "entity.html", entity=found, charts=charts.entity_charts(found))


@router.get("/stories")
def stories(request: Request, store: StoreDep, cache: CacheDep) -> Response:
    return show(request, "stories.html", items=reads.stories(store, cache)["items"])


@router.get("/stories/{story_id}")
def story(request: Request, store: StoreDep, story_id: str) -> Response:
    data = reads.story(store, story_id)
    return show(request, "story.html", data=data, charts=charts.story_charts(data))


@router.get("/ingest")
def ingest_form(request: Request) -> Response:
    return show(request, "ingest.html")


@router.post("/ingest")
def ingest_submit(
    request: Request,
    csrf: Annotated[str, Form(max_length=100)] = "",
    urls: Annotated[str, Form(max_length=50_000)] = "",
    title: Annotated[str, Form(max_length=2_000)] = "",
    text: Annotated[str, Form(max_length=500_000)] = "",
    source: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The dashboard's ingestion form (CSRF-protected): one pasted article and/or URLs, one per line."""
    if not check_csrf(request, csrf):
        raise ApiError(403, "the form expired or came from another site (CSRF check failed)", "csrf")
    links = [u.strip() for u in urls.splitlines() if u.strip()]
    bad = [u for u in links if not u.startswith(("http://", "https://"))]
    if bad or (not links and not text.strip()):
        raise ApiError(422, "give http(s) URLs, one per line, or paste an article text")
    posted = [{"title": title, "text": text, "source": source}] if text.strip() else []
    job = request.app.state.jobs.submit(posted, links)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: str) -> Response:
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise ApiError(404, f"no job with id {job_id!r}")
    return show(request, "job.html", job=found)


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    return show(request, "login.html", next=_local(next))


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the token; on success set a signed, HttpOnly, SameSite=Strict session cookie."""
    expected = request.app.state.settings.token
    if not check_csrf(request, csrf):
        raise ApiError(403, "the form expired or came from another site (CSRF check failed)", "csrf")
    if not expected or not secrets.compare_digest(token.encode(), expected.encode()):
        return show(request, "login.html", 401, next=_local(next), failed=True)
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_value(expected), max_age=SESSION_SECONDS, httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not check_csrf(request, csrf):
        raise ApiError(403, "the form expired or came from another site (CSRF check failed)", "csrf")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _local(target: str) -> str:
    """Only same-site paths as redirect targets (no open redirect)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"
