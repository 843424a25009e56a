"""Read pack YAML as a node tree so every validation error can name FILE:LINE."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from narrascope.errors import TaxonomyError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


class PackSource:
    """One pack file: its name for messages and helpers that fail with FILE:LINE."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)

    def compose(self) -> Node:
        """Parse the file into a YAML node tree; syntax errors and empty files raise TaxonomyError."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise TaxonomyError(f"{self.name}: cannot read taxonomy pack: {exc.strerror or exc}") from exc
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            raise TaxonomyError(f"{self.name}:{line}: YAML syntax error: {exc.problem or exc}") from exc
        except yaml.YAMLError as exc:
            raise TaxonomyError(f"{self.name}:1: YAML error: {exc}") from exc
        if root is None or (isinstance(root, MappingNode) and not root.value):
            raise TaxonomyError(f"{self.name}:1: empty taxonomy pack")
        return root

    def fail(self, node: Node, message: str) -> NoReturn:
        """Raise a TaxonomyError pointing at the line of `node`."""
        raise TaxonomyError(f"{self.name}:{line_of(node)}: {message}")

    def mapping(
        self, node: Node, allowed: Iterable[str], required: Iterable[str] = (), what: str = "entry"
    ) -> dict[str, Node]:
        """Check a mapping's keys (no unknown, duplicate or missing ones) and return key -> value node."""
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must be a mapping (key: value lines)")
        allowed_keys = list(allowed)
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.string(key_node, "key")
            if key not in allowed_keys:
                self.fail(key_node, _unknown_key_message(key, allowed_keys, what))
            if key in found:
                self.fail(key_node, f"duplicate key {key!r} in {what}")
            found[key] = value_node
        for key in required:
            if key not in found:
                self.fail(node, f"{what} is missing the required key {key!r}")
        return found

    def string(self, node: Node, what: str) -> str:
        """A non-empty scalar string."""
        if not isinstance(node, ScalarNode) or node.tag.endswith(":null"):
            self.fail(node, f"{what} must be a text value")
        value = str(node.value).strip()
        if not value:
            self.fail(node, f"{what} must not be empty")
        return value

    def boolean(self, node: Node, what: str) -> bool:
        """A YAML boolean (true/false)."""
        value = str(node.value).lower() if isinstance(node, ScalarNode) else ""
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.fail(node, f"{what} must be true or false")

    def sequence(self, node: Node, what: str) -> list[Node]:
        """The item nodes of a YAML list."""
        if not isinstance(node, SequenceNode):
            self.fail(node, f"{what} must be a list")
        return list(node.value)

    def strings(self, node: Node, what: str) -> list[str]:
        """A list of non-empty strings."""
        return [self.string(item, f"an item of {what}") for item in self.sequence(node, what)]

    def per_language(self, node: Node, languages: list[str], what: str) -> dict[str, list[str]]:
        """A mapping language -> list of strings; languages must be ones the pack declares."""
        entries = self.mapping(node, languages, what=what)
        return {lang: self.strings(value, f"{what}.{lang}") for lang, value in entries.items()}


def line_of(node: Node) -> int:
    """The 1-based line where a node starts."""
    return int(node.start_mark.line) + 1


def _unknown_key_message(key: str, allowed: list[str], what: str) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(allowed)}"
    return f"unknown key {key!r} in {what}{hint}"
