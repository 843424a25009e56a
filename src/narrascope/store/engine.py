"""Engines for the store: URL handling, SQLite pragmas and locking, a connection check at open."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from narrascope.errors import MissingExtraError, SchemaError, StoreError

WRITE = "narrascope_write"  # execution option: begin an IMMEDIATE (write-locking) transaction on SQLite
SQLITE_TIMEOUT_S = 60.0
PG_CONNECT_TIMEOUT_S = 5
WAL_RETRIES = 200  # x 50 ms: how long a new database waits for a concurrent WAL switch
SQLITE_READ_PRAGMAS = (  # per connection: 16 MiB page cache, up to 256 MiB memory-mapped, temp sorts in RAM
    "PRAGMA cache_size=-16384",
    "PRAGMA mmap_size=268435456",
    "PRAGMA temp_store=MEMORY",
)


def to_url(url_or_path: str) -> URL:
    """A SQLAlchemy URL; a bare path means a SQLite file (as `Settings.db_url` does)."""
    text = url_or_path if "://" in url_or_path else f"sqlite:///{url_or_path}"
    try:
        url = make_url(text)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"not a database URL: {url_or_path!r}") from exc
    if url.get_backend_name() == "postgresql" and url.get_driver_name() in ("", "psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def shown(url: URL) -> str:
    """The URL as it may appear in messages (password hidden)."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory databases and other backends."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database or "")


def make_engine(url: URL, *, create: bool) -> Engine:
    """Build the engine, refusing a missing SQLite file when not `create`, and connect once to check."""
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise SchemaError(f"no narrascope database at {path}")
    backend = url.get_backend_name()
    if backend == "sqlite":
        pool = {} if path is not None else {"poolclass": StaticPool}  # one shared in-memory database
        args = {"timeout": SQLITE_TIMEOUT_S, "check_same_thread": False}
        engine = sa.create_engine(url, connect_args=args, **pool)
        _tune_sqlite(engine, wal=path is not None)
    elif backend == "postgresql":
        engine = _postgres_engine(url)
    else:
        raise StoreError(f"unsupported database {shown(url)}: use a SQLite path or a postgresql:// URL")
    _check_connection(engine, url)
    return engine


def _postgres_engine(url: URL) -> Engine:
    try:
        return sa.create_engine(
            url, connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S}, pool_pre_ping=True
        )
    except ModuleNotFoundError as exc:
        raise MissingExtraError("psycopg", "postgres") from exc


def _check_connection(engine: Engine, url: URL) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open database {shown(url)}: {first}") from exc


def _tune_sqlite(engine: Engine, *, wal: bool) -> None:
    """Let SQLAlchemy drive transactions so writers take the lock up front (no upgrade deadlocks)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            _use_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        for pragma in SQLITE_READ_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _use_wal(cursor: Any) -> None:
    """Switch a new database to WAL; another connection doing the same meanwhile is waited for, not an error."""
    for _ in range(WAL_RETRIES):
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.05)
    cursor.execute("PRAGMA journal_mode=WAL")  # last try: let the error surface
