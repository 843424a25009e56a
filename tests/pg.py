"""A throw-away PostgreSQL server for tests (Debian's binaries, a temp data dir, a free port)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_GLOB = "/usr/lib/postgresql/*/bin/initdb"
INSTALL_HINT = "run scripts/install-postgres.sh (apt-get install postgresql)"


def find_bindir() -> Path | None:
    """The newest Debian PostgreSQL bin directory, or None when PostgreSQL is not installed."""
    found = sorted(
        glob.glob(PG_GLOB), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(argv: list[str]) -> list[str]:
    """Root may not run the server: run it as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    done = subprocess.run(_as_postgres(argv), capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:2])} failed ({done.returncode}): {done.stderr or done.stdout}")


@contextmanager
def postgres_server(bindir: Path) -> Iterator[str]:
    """Start a server on 127.0.0.1 and yield the URL of its `postgres` database; stop it afterwards."""
    root = Path(tempfile.mkdtemp(prefix="narrascope-pg-"))
    data, sockets, log = root / "data", root / "sock", root / "server.log"
    sockets.mkdir()
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {sockets} -F -c synchronous_commit=off -c full_page_writes=off"
    pg_ctl = str(bindir / "pg_ctl")
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        )
        try:
            _run([pg_ctl, "start", "-w", "-t", "60", "-D", str(data), "-l", str(log), "-o", options])
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{log.read_text(errors='replace') if log.exists() else ''}") from exc
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            _run([pg_ctl, "stop", "-w", "-m", "fast", "-D", str(data)])
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str, name: str | None = None) -> str:
    """Create a fresh database on the server behind `server_url` and return its URL."""
    import psycopg

    name = name or f"t_{uuid.uuid4().hex[:12]}"
    dsn = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a fresh database on a session-wide throw-away server; skips without PostgreSQL (fails in CI)."""
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL binaries not found ({PG_GLOB}) and CI is set: {INSTALL_HINT}")
        pytest.skip(f"PostgreSQL not installed ({PG_GLOB} missing): {INSTALL_HINT}")
    with postgres_server(bindir) as url:
        yield create_database(url, "narrascope_test")
