"""Schema versions: run the packaged Alembic migrations to head, refuse schemas newer than this code."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from narrascope.errors import SchemaError
from narrascope.store.engine import WRITE

MIGRATIONS = Path(__file__).parent / "migrations"
_PG_LOCK_KEY = 0x6E61_7272  # advisory lock held while migrating, so concurrent openers queue


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise SchemaError("no migrations found in the narrascope package")
    return head


def _known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revisions(conn: Connection) -> tuple[str, ...]:
    """The revisions stamped in the database ('' tuple for a database never migrated)."""
    return tuple(MigrationContext.configure(conn).get_current_heads())


def migrate(engine: Engine, where: str, *, create: bool) -> None:
    """Bring the schema to head; SchemaError when it is newer, foreign, or missing and not `create`."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            _check_version(conn, where, create=create)
            if current_revisions(conn) != (head_revision(),):
                command.upgrade(_config(conn), "head")


def _check_version(conn: Connection, where: str, *, create: bool) -> None:
    current = current_revisions(conn)
    newer = [rev for rev in current if rev not in _known_revisions()]
    if newer:
        raise SchemaError(
            f"the database at {where} has schema version {', '.join(newer)}, newer than this narrascope "
            f"(which knows up to {head_revision()}): upgrade narrascope to open it"
        )
    if current:
        return
    if sa.inspect(conn).get_table_names():
        raise SchemaError(f"{where} is not a narrascope database (it has tables but no schema version)")
    if not create:
        raise SchemaError(f"no narrascope database at {where}")
