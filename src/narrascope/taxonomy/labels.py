"""The narrative taxonomy as frozen dataclasses: Label and Taxonomy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

OTHER = "Other"


@dataclass(frozen=True)
class Label:
    """One narrative or subnarrative with its definition, cue phrases and examples per language."""

    label: str
    level: Literal["narrative", "subnarrative"]
    domain: str | None
    parent: str | None
    definition: str
    cues: dict[str, list[str]] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    scored: bool = True

    @property
    def is_other(self) -> bool:
        """True for the top-level `Other` and for each `<narrative>: Other` catch-all."""
        return self.label == OTHER or self.label.endswith(f": {OTHER}")


@dataclass(frozen=True)
class Taxonomy:
    """A two-level narrative taxonomy (narratives -> subnarratives), grouped into domains."""

    name: str
    languages: list[str]
    narratives: list[Label]
    subnarratives: list[Label]
    parent: dict[str, str]
    domain_of: dict[str, str]
    topic_cues: dict[str, dict[str, list[str]]]
    domains: list[str] = field(default_factory=list)
    source: str = ""
    _index: dict[str, Label] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {item.label: item for item in self.labels()})

    def labels(self) -> list[Label]:
        """Every label: the narratives, then the subnarratives."""
        return [*self.narratives, *self.subnarratives]

    def label(self, name: str) -> Label:
        """The Label called `name`; KeyError when the taxonomy has no such label."""
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"unknown label {name!r} in taxonomy {self.name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def children(self, narrative: str) -> list[str]:
        """The subnarrative labels under `narrative`, in pack order."""
        return [sub.label for sub in self.subnarratives if sub.parent == narrative]

    def scored_labels(self) -> list[str]:
        """Labels the official scorer knows (narratives and subnarratives not marked `scored: false`)."""
        return [item.label for item in self.labels() if item.scored]

    def narratives_of(self, domain: str) -> list[str]:
        """The narrative labels of one domain."""
        return [item.label for item in self.narratives if item.domain == domain]
