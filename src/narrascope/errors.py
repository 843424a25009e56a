"""The one exception tree.

NarrascopeError
├── ConfigError            bad settings, taxonomy or model directory
│   ├── TaxonomyError      a taxonomy YAML that does not validate (names the line)
│   └── ModelError         a model directory that is missing or from another version
├── IngestError            one source that could not be read (names the file or record)
├── StageError             a pipeline stage failed on one article (names article and stage)
├── StoreError             the database cannot be opened or used
│   └── SchemaError        the database schema is missing or newer than this code
├── FormatError            a SemEval or export file that does not parse (names the line)
└── MissingExtraError      an optional dependency is not installed (names the extra)
"""

from __future__ import annotations


class NarrascopeError(Exception):
    """Base of every error narrascope raises on purpose."""


class ConfigError(NarrascopeError):
    pass


class TaxonomyError(ConfigError):
    pass


class ModelError(ConfigError):
    pass


class IngestError(NarrascopeError):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StageError(NarrascopeError):
    def __init__(self, article_id: str, stage: str, reason: str) -> None:
        super().__init__(f"{article_id}: stage {stage}: {reason}")
        self.article_id = article_id
        self.stage = stage
        self.reason = reason


class StoreError(NarrascopeError):
    pass


class SchemaError(StoreError):
    pass


class FormatError(NarrascopeError):
    pass


class MissingExtraError(NarrascopeError):
    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f"{package} is not installed: pip install 'narrascope[{extra}]'")
        self.package = package
        self.extra = extra
