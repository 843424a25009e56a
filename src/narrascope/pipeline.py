"""Stage protocol, the Pipeline built from config, and the local executor."""

from __future__ import annotations

import hashlib
import importlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from narrascope.errors import ConfigError, IngestError
from narrascope.records import Article, ArticleAnalysis
from narrascope.settings import Settings


@runtime_checkable
class Stage(Protocol):
    """One step over one article: reads what `requires` names, adds what `provides` names."""

    name: str
    version: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def __call__(self, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis: ...


# name -> "module:factory"; a factory takes Settings and returns a Stage. Imported lazily.
REGISTRY: dict[str, str] = {
    "clean": "narrascope.stages:CleanStage",
    "language": "narrascope.stages:LanguageStage",
    "sentences": "narrascope.stages:SentenceStage",
    "embed": "narrascope.stages:EmbedStage",
    "mentions": "narrascope.nlp.ner:MentionStage",
    "roles": "narrascope.models.roles:RoleStage",
    "narratives": "narrascope.models.narratives:NarrativeStage",
    "quotes": "narrascope.nlp.quotes:QuoteStage",
    "explain": "narrascope.models.explain:ExplainStage",
}
DEFAULT_STAGES: tuple[str, ...] = (
    "clean", "language", "sentences", "embed", "mentions", "roles", "narratives", "quotes", "explain",
)  # fmt: skip


def build_stage(name: str, settings: Settings) -> Stage:
    try:
        module_name, factory_name = REGISTRY[name].split(":")
    except KeyError:
        raise ConfigError(f"unknown stage {name!r}; known: {', '.join(REGISTRY)}") from None
    factory = getattr(importlib.import_module(module_name), factory_name)
    stage: Stage = factory(settings)
    return stage


class Pipeline:
    """An ordered list of stages; its version changes when any stage's version does."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = list(stages)
        _check_order(self.stages)
        key = "|".join(f"{s.name}={s.version}" for s in self.stages)
        self.version = hashlib.sha256(key.encode()).hexdigest()[:12]

    @classmethod
    def from_config(cls, settings: Settings, names: Sequence[str] | None = None) -> Pipeline:
        return cls([build_stage(n, settings) for n in (names or DEFAULT_STAGES)])

    def run(self, article: Article) -> ArticleAnalysis:
        return self.run_batch([article])[0]

    def run_batch(self, articles: Sequence[Article]) -> list[ArticleAnalysis]:
        """Run every stage over a batch; a stage with `.batch()` gets the whole batch at once."""
        analyses = [ArticleAnalysis(article_id=a.id, pipeline_version=self.version) for a in articles]
        for stage in self.stages:
            live = [i for i, an in enumerate(analyses) if an.status == "ok"]
            if not live:
                break
            try:
                _apply(stage, [articles[i] for i in live], [analyses[i] for i in live], analyses, live)
            except Exception:
                for i in live:  # batch failed: retry one by one so one bad article fails alone
                    analyses[i] = _apply_one(stage, articles[i], analyses[i])
        return analyses


def _apply(
    stage: Stage, arts: list[Article], ans: list[ArticleAnalysis], out: list[ArticleAnalysis], idx: list[int]
) -> None:
    batch = getattr(stage, "batch", None)
    if batch is not None and len(arts) > 1:
        results = batch(arts, ans)
        for i, res in zip(idx, results, strict=True):
            res.stages[stage.name] = stage.version
            out[i] = res
        return
    for i, art, an in zip(idx, arts, ans, strict=True):
        out[i] = _apply_one(stage, art, an)


def _apply_one(stage: Stage, article: Article, analysis: ArticleAnalysis) -> ArticleAnalysis:
    try:
        result = stage(article, analysis)
    except Exception as exc:
        analysis.status = "failed"
        analysis.reason = f"{stage.name}: {type(exc).__name__}: {exc}"
        return analysis
    result.stages[stage.name] = stage.version
    return result


def _check_order(stages: Sequence[Stage]) -> None:
    have: set[str] = set()
    for stage in stages:
        missing = [r for r in stage.requires if r not in have]
        if missing:
            raise ConfigError(f"stage {stage.name!r} needs {missing} from an earlier stage")
        have.update(stage.provides)


@dataclass
class RunSummary:
    """What one run did: counts, per-language totals and every failure with its reason."""

    read: int = 0
    analysed: int = 0  # articles that went through the NLP stages in this run
    cached: int = 0  # already analysed with this pipeline version: no work done
    duplicates: int = 0  # exact duplicates of an article seen earlier in this run
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file/record/article, reason)
    languages: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "analysed": self.analysed,
            "cached": self.cached,
            "duplicates": self.duplicates,
            "near_duplicates": [list(x) for x in self.near_duplicates],
            "failed": [list(x) for x in self.failed],
            "languages": dict(self.languages),
            "seconds": round(self.seconds, 3),
        }


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def split_errors(items: Iterable[Article | IngestError], summary: RunSummary) -> Iterator[Article]:
    """Count ingest errors into the summary and pass articles on."""
    for item in items:
        if isinstance(item, IngestError):
            summary.failed.append((item.source, item.reason))
        else:
            summary.read += 1
            yield item
