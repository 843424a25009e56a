"""A test-only plugin stage that kills its worker process once, on one chosen article."""

from __future__ import annotations

import os

from narrascope.records import Article, ArticleAnalysis
from narrascope.settings import Settings


class CrashOnceStage:
    """Exits the process (no exception, no cleanup) the first time it meets article `crash_on`."""

    name, version = "crash_once", "1"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()

    def __init__(self, settings: Settings) -> None:
        self.marker = settings.extra.get("crash_marker", "")
        self.target = settings.extra.get("crash_on", "")

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
        if self.marker and article.name == self.target:
            try:
                os.unlink(self.marker)  # only the process that removes the marker crashes
            except FileNotFoundError:
                return analysis
            os._exit(17)
        return analysis
