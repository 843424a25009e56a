"""Ingestion: folders, files, dumps, HTML, URLs and feeds to Articles; junk becomes IngestErrors."""

from __future__ import annotations

from narrascope.ingest.sources import read_sources

__all__ = ["read_sources"]
