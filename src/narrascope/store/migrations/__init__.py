"""Alembic migrations of the store (run programmatically by narrascope.store.migrate)."""
