"""Parse and validate a narrative pack (nested domains form or flat `labels:` form) into a Taxonomy."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from yaml.nodes import MappingNode, Node

from narrascope.taxonomy.labels import OTHER, Label, Taxonomy
from narrascope.taxonomy.nodes import PackSource

DEFAULT_LANGUAGES = ["en", "ru", "bg", "pt", "hi"]
_TOP_KEYS = ["name", "version", "description", "languages", "other", "domains", "labels", "topic_cues"]
_TEXT_KEYS = ["definition", "cues", "examples", "scored"]
_DOMAIN_KEYS = ["name", "title", "topic_cues", "narratives"]
_NARRATIVE_KEYS = ["label", *_TEXT_KEYS, "subnarratives"]
_SUB_KEYS = ["label", *_TEXT_KEYS]
_FLAT_KEYS = ["label", "parent", "domain", *_TEXT_KEYS]


@dataclass(frozen=True)
class _Entry:
    """A label read from the file, with the node it came from (for error lines)."""

    label: Label
    node: Node


def parse_narrative_pack(path: Path) -> Taxonomy:
    """Read, validate and build the Taxonomy in the pack file at `path`."""
    src = PackSource(path)
    top = src.mapping(src.compose(), _TOP_KEYS, what="taxonomy pack")
    languages = _languages(src, top)
    reader = _Reader(src, languages)
    if "domains" in top and "labels" in top:
        src.fail(top["labels"], "use either `domains:` (nested form) or `labels:` (flat form), not both")
    if "domains" in top:
        entries, topic_cues, domains = reader.nested(top["domains"])
        if "topic_cues" in top:
            src.fail(top["topic_cues"], "in the nested form put `topic_cues:` under each domain")
    elif "labels" in top:
        entries = reader.flat(top["labels"])
        topic_cues = reader.topic_cues(top["topic_cues"]) if "topic_cues" in top else {}
        domains = list(dict.fromkeys(e.label.domain for e in entries if e.label.domain))
    else:
        src.fail(next(iter(top.values())), "pack defines no labels: add `domains:` or `labels:`")
    if "other" in top:
        entries.insert(0, _Entry(reader.other(top["other"]), top["other"]))
    _check_unique(src, entries)
    name = src.string(top["name"], "name") if "name" in top else path.stem
    return _build(name, languages, entries, topic_cues, domains, str(path))


def _languages(src: PackSource, top: dict[str, Node]) -> list[str]:
    if "languages" not in top:
        return list(DEFAULT_LANGUAGES)
    languages = src.strings(top["languages"], "languages")
    if not languages:
        src.fail(top["languages"], "languages must list at least one language code")
    return languages


class _Reader:
    """Turns entry nodes into Labels, checking keys, prefixes and parents as it goes."""

    def __init__(self, src: PackSource, languages: list[str]) -> None:
        self.src = src
        self.languages = languages

    def label(
        self,
        fields: dict[str, Node],
        name: str,
        level: Literal["narrative", "subnarrative"],
        domain: str | None,
        parent: str | None,
    ) -> Label:
        src, langs = self.src, self.languages
        return Label(
            label=name,
            level=level,
            domain=domain,
            parent=parent,
            definition=src.string(fields["definition"], f"definition of {name!r}"),
            cues=src.per_language(fields["cues"], langs, "cues") if "cues" in fields else {},
            examples=src.per_language(fields["examples"], langs, "examples") if "examples" in fields else {},
            scored=src.boolean(fields["scored"], "scored") if "scored" in fields else True,
        )

    def other(self, node: Node) -> Label:
        fields = self.src.mapping(node, ["label", *_TEXT_KEYS], ["definition"], what="other")
        if "label" in fields and self.src.string(fields["label"], "label") != OTHER:
            self.src.fail(fields["label"], f"the top-level catch-all label must be {OTHER!r}")
        return self.label(fields, OTHER, "narrative", None, None)

    def nested(self, node: Node) -> tuple[list[_Entry], dict[str, dict[str, list[str]]], list[str]]:
        entries: list[_Entry] = []
        topic_cues: dict[str, dict[str, list[str]]] = {}
        domains: list[str] = []
        for domain_node in self.src.sequence(node, "domains"):
            fields = self.src.mapping(domain_node, _DOMAIN_KEYS, ["name", "narratives"], what="domain")
            domain = self.src.string(fields["name"], "domain name")
            domains.append(domain)
            if "topic_cues" in fields:
                topic_cues[domain] = self.src.per_language(fields["topic_cues"], self.languages, "topic_cues")
            for narrative_node in self.src.sequence(fields["narratives"], "narratives"):
                entries.extend(self.narrative(narrative_node, domain))
        return entries, topic_cues, domains

    def narrative(self, node: Node, domain: str) -> list[_Entry]:
        fields = self.src.mapping(node, _NARRATIVE_KEYS, ["label", "definition"], what="narrative")
        name = self.src.string(fields["label"], "label")
        self.check_prefix(fields["label"], name, domain, "domain")
        entries = [_Entry(self.label(fields, name, "narrative", domain, None), node)]
        sub_nodes = (
            self.src.sequence(fields["subnarratives"], "subnarratives") if "subnarratives" in fields else []
        )
        for sub_node in sub_nodes:
            sub = self.src.mapping(sub_node, _SUB_KEYS, ["label", "definition"], what="subnarrative")
            sub_name = self.src.string(sub["label"], "label")
            self.check_prefix(sub["label"], sub_name, name, "parent narrative")
            entries.append(_Entry(self.label(sub, sub_name, "subnarrative", domain, name), sub_node))
        return entries

    def flat(self, node: Node) -> list[_Entry]:
        raw = [self.flat_fields(item) for item in self.src.sequence(node, "labels")]
        if not raw:
            self.src.fail(node, "empty taxonomy pack: `labels:` has no entries")
        parents = {name: parent for name, parent, _, _ in raw}
        for name, parent, fields, _ in raw:
            if parent is not None:
                self.check_parent(fields["parent"], name, parents)
        return [self.flat_entry(name, parent, fields, item) for name, parent, fields, item in raw]

    def flat_fields(self, item: Node) -> tuple[str, str | None, dict[str, Node], Node]:
        fields = self.src.mapping(item, _FLAT_KEYS, ["label", "definition"], what="label entry")
        name = self.src.string(fields["label"], "label")
        parent = self.src.string(fields["parent"], "parent") if "parent" in fields else None
        return name, parent, fields, item

    def check_parent(self, node: Node, name: str, parents: dict[str, str | None]) -> None:
        parent = parents[name]
        if parent not in parents:
            self.src.fail(node, f"label {name!r} has parent {parent!r}, which is not a label in this pack")
        chain = [name]
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = parents.get(parent)
        if parent is not None:
            cycle = " -> ".join([*chain[chain.index(parent) :], parent])
            self.src.fail(node, f"parent cycle: {cycle}")
        if len(chain) > 2:
            self.src.fail(node, f"parent {chain[1]!r} of {name!r} is itself a subnarrative (two levels only)")

    def flat_entry(self, name: str, parent: str | None, fields: dict[str, Node], item: Node) -> _Entry:
        domain = self.src.string(fields["domain"], "domain") if "domain" in fields else None
        if parent is None:
            if domain is not None:
                self.check_prefix(fields["label"], name, domain, "domain")
            return _Entry(self.label(fields, name, "narrative", domain, None), item)
        self.check_prefix(fields["label"], name, parent, "parent")
        return _Entry(self.label(fields, name, "subnarrative", domain, parent), item)

    def topic_cues(self, node: Node) -> dict[str, dict[str, list[str]]]:
        if not isinstance(node, MappingNode):
            self.src.fail(node, "topic_cues must map domain -> language -> list of words")
        cues: dict[str, dict[str, list[str]]] = {}
        for key_node, value_node in node.value:
            domain = self.src.string(key_node, "domain")
            cues[domain] = self.src.per_language(value_node, self.languages, "topic_cues")
        return cues

    def check_prefix(self, node: Node, name: str, owner: str, what: str) -> None:
        if not name.startswith(f"{owner}: ") or len(name) <= len(owner) + 2:
            self.src.fail(node, f"label {name!r} must start with its {what} prefix {owner + ': '!r}")


def _check_unique(src: PackSource, entries: list[_Entry]) -> None:
    seen: dict[str, Node] = {}
    for entry in entries:
        name = entry.label.label
        if name in seen:
            first = seen[name].start_mark.line + 1
            src.fail(entry.node, f"duplicate label {name!r} (first defined on line {first})")
        seen[name] = entry.node


def _build(
    name: str,
    languages: list[str],
    entries: list[_Entry],
    topic_cues: dict[str, dict[str, list[str]]],
    domains: list[str],
    source: str,
) -> Taxonomy:
    labels = [entry.label for entry in entries]
    by_name = {item.label: item for item in labels}
    labels = [_inherit_domain(item, by_name) for item in labels]
    return Taxonomy(
        name=name,
        languages=languages,
        narratives=[item for item in labels if item.level == "narrative"],
        subnarratives=[item for item in labels if item.level == "subnarrative"],
        parent={item.label: item.parent for item in labels if item.parent is not None},
        domain_of={item.label: item.domain for item in labels if item.domain is not None},
        topic_cues=topic_cues,
        domains=domains,
        source=source,
    )


def _inherit_domain(item: Label, by_name: dict[str, Label]) -> Label:
    """A flat-form subnarrative without `domain:` takes its parent's domain."""
    if item.domain is not None or item.parent is None:
        return item
    return replace(item, domain=by_name[item.parent].domain)
