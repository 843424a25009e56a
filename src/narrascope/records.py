"""The data model: one Article in, one ArticleAnalysis out, spans as character offsets."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

Status = Literal["ok", "skipped", "failed"]
T = TypeVar("T")


def content_id(title: str, text: str) -> str:
    """The article id: a stable hash of its title and text (16 hex chars)."""
    digest = hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) into the article text."""

    start: int
    end: int
    text: str = ""


@dataclass
class Article:
    """One news article as read from a source; `text` is never rewritten after ingest."""

    title: str
    text: str
    id: str = ""
    name: str = ""  # where it came from: file stem, record id or URL
    source: str = ""  # outlet
    url: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) or ""
    language: str = ""  # ISO 639-1 or "unknown"; "" until detected
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.title, self.text)

    @property
    def full_text(self) -> str:
        """Title and body as one string; all offsets in an analysis point into this."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


@dataclass
class RoleLabel:
    """How a mention is framed: main role, fine roles, confidence and the sentence behind it."""

    main: str
    fine: list[str]
    confidence: float = 0.0
    evidence: list[Span] = field(default_factory=list)


@dataclass
class Mention:
    """A named-entity mention in the text, linked to a canonical entity."""

    start: int
    end: int
    text: str
    kind: str = ""  # PER, ORG, LOC (GPE included), MEDIA, MISC
    entity_id: str = ""
    role: RoleLabel | None = None


@dataclass
class Entity:
    """A canonical entity as seen in one article: its name and what the article calls it."""

    id: str
    name: str
    kind: str = ""
    aliases: list[str] = field(default_factory=list)
    descriptors: list[Span] = field(default_factory=list)
    main_role: str = ""
    fine_roles: list[str] = field(default_factory=list)


@dataclass
class NarrativeLabel:
    """A narrative or subnarrative label with its confidence and evidence sentences."""

    label: str
    level: Literal["narrative", "subnarrative"]
    confidence: float
    evidence: list[Span] = field(default_factory=list)
    reason: str = ""


@dataclass
class Speaker:
    id: str
    name: str


@dataclass
class Quote:
    """A direct or reported quote with its speaker (None when not named) and source."""

    text: str
    start: int
    end: int
    speaker: Speaker | None = None
    source: str = ""
    kind: Literal["direct", "reported"] = "direct"


@dataclass
class Explanation:
    """Why the article carries its dominant narrative, grounded in the spans it used."""

    text: str
    narrative: str
    subnarrative: str
    evidence: list[Span] = field(default_factory=list)


@dataclass
class ArticleAnalysis:
    """Everything the pipeline found in one article; serialisable to JSON losslessly."""

    article_id: str
    pipeline_version: str = ""
    status: Status = "ok"
    reason: str = ""  # why skipped or failed ("stage: message")
    language: str = ""
    boilerplate: list[Span] = field(default_factory=list)  # residue the cleaner masked out
    sentences: list[Span] = field(default_factory=list)
    embedding: list[float] = field(default_factory=list)
    narratives: list[NarrativeLabel] = field(default_factory=list)
    subnarratives: list[NarrativeLabel] = field(default_factory=list)
    dominant_narrative: str = ""
    dominant_subnarrative: str = ""
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    explanation: Explanation | None = None
    stages: dict[str, str] = field(default_factory=dict)  # stage name -> version that ran
    # per-sentence vectors (numpy, n_sentences x dim) for later stages of the same run; never serialised
    sentence_vectors: Any = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        vectors, self.sentence_vectors = self.sentence_vectors, None
        try:
            data = dataclasses.asdict(self)
        finally:
            self.sentence_vectors = vectors
        del data["sentence_vectors"]
        return data

    def clean_text(self, article: Article) -> str:
        """The article's full text with boilerplate blanked by spaces (offsets unchanged)."""
        chars = list(article.full_text)
        for span in self.boilerplate:
            chars[span.start : span.end] = " " * (span.end - span.start)
        return "".join(chars)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleAnalysis:
        return _build(cls, data)

    @classmethod
    def from_json(cls, text: str) -> ArticleAnalysis:
        return cls.from_dict(json.loads(text))


def article_to_dict(article: Article) -> dict[str, Any]:
    return dataclasses.asdict(article)


def article_from_dict(data: dict[str, Any]) -> Article:
    return _build(Article, data)


_NESTED: dict[str, Any] = {
    "sentences": Span,
    "boilerplate": Span,
    "evidence": Span,
    "descriptors": Span,
    "narratives": NarrativeLabel,
    "subnarratives": NarrativeLabel,
    "mentions": Mention,
    "entities": Entity,
    "quotes": Quote,
}
_SINGLE: dict[str, Any] = {"role": RoleLabel, "explanation": Explanation, "speaker": Speaker}


def _build(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a (nested) dataclass from `dataclasses.asdict` output."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            continue
        if key in _NESTED and isinstance(value, list):
            value = [_build(_NESTED[key], v) if isinstance(v, dict) else v for v in value]
        elif key in _SINGLE and isinstance(value, dict):
            value = _build(_SINGLE[key], value)
        kwargs[key] = value
    return cls(**kwargs)
