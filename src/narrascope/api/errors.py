"""One error shape for every failure: {"error": {"code", "message"}} (HTML pages render the same fields)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from narrascope.errors import ConfigError, IngestError, NarrascopeError, StoreError

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "internal",
    503: "unavailable",
}


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    """The JSON body of every error response."""

    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": CODES[status]} for status in (401, 403, 413, 422)
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse, "description": "not_found"}}


class ApiError(Exception):
    """An error raised on purpose by a route: an HTTP status, a code and a message for the client."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code or CODES.get(status, "error"), "message": message}}


def validation_message(exc: RequestValidationError) -> str:
    """One readable line from pydantic's errors: 'query.limit: Input should be less than or equal to 500'."""
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body" or len(err.get("loc", ())) == 1)
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def respond(request: Request, status: int, message: str, code: str | None = None) -> Response:
    """The error as JSON for the API, or as an HTML page for the dashboard."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse(error_body(status, message, code), status_code=status, headers=headers)
    from narrascope.api.pages import error_page

    return error_page(request, status, code or CODES.get(status, "error"), message)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the one error shape (no stack traces)."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> Response:
        return respond(request, exc.status, exc.message, exc.code)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 422, validation_message(exc))

    @app.exception_handler(NarrascopeError)
    async def _narrascope(request: Request, exc: NarrascopeError) -> Response:
        if isinstance(exc, ConfigError | IngestError | ValueError):
            return respond(request, 422, str(exc))
        log.warning("narrascope error on %s: %s", request.url.path, exc)
        status = 503 if isinstance(exc, StoreError) else 500
        return respond(
            request, status, "the database is not available" if status == 503 else "internal error"
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return respond(request, 500, "internal error")
