"""The REST API and dashboard server (FastAPI): `create_app(settings)`, `serve(settings, host, port)`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from narrascope.settings import Settings

__all__ = ["create_app", "serve", "serve_command"]


def create_app(settings: Settings, **options: Any) -> FastAPI:
    """The app over settings.db (imports FastAPI only when called)."""
    from narrascope.api.app import create_app as build

    return build(settings, **options)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    from narrascope.api.server import serve as run

    run(settings, host, port)


def serve_command(
    db: str | None = None, host: str = "127.0.0.1", port: int = 8000, read_only: bool = False
) -> None:
    """What `narrascope serve` calls: settings from env and flags, then serve."""
    from narrascope.settings import load_settings

    settings = load_settings(db=db, read_only=read_only or None)
    serve(settings, host, port)
