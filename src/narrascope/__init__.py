"""narrascope: propaganda narratives, entity framing, quotes and stories in multilingual news.

Public API (imported lazily so `import narrascope` stays instant):
analyze(), analyze_articles(), Pipeline, Article, ArticleAnalysis, Settings, load_settings(), load_taxonomy().
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "analyze": "narrascope.executor",
    "analyze_articles": "narrascope.executor",
    "Pipeline": "narrascope.pipeline",
    "Article": "narrascope.records",
    "ArticleAnalysis": "narrascope.records",
    "Settings": "narrascope.settings",
    "load_settings": "narrascope.settings",
    "load_taxonomy": "narrascope.taxonomy",
    "open_store": "narrascope.store",
}
__all__ = [
    "Article",
    "ArticleAnalysis",
    "Pipeline",
    "Settings",
    "analyze",
    "analyze_articles",
    "load_settings",
    "load_taxonomy",
    "open_store",
]

if TYPE_CHECKING:
    from narrascope.executor import analyze, analyze_articles
    from narrascope.pipeline import Pipeline
    from narrascope.records import Article, ArticleAnalysis
    from narrascope.settings import Settings, load_settings
    from narrascope.store import open_store
    from narrascope.taxonomy import load_taxonomy


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'narrascope' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)
