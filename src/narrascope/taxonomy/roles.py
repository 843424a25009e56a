"""The entity-role taxonomy (main roles -> fine roles): dataclasses and the roles-pack parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from yaml.nodes import Node

from narrascope.taxonomy.narratives import DEFAULT_LANGUAGES
from narrascope.taxonomy.nodes import PackSource

_TOP_KEYS = ["name", "version", "description", "languages", "placeholder", "main_roles"]
_MAIN_KEYS = ["name", "definition", "cues", "examples", "fine_roles"]
_FINE_KEYS = ["name", "definition", "cues", "examples"]


@dataclass(frozen=True)
class Role:
    """A main role (Protagonist, Antagonist, Innocent) or a fine role under one."""

    name: str
    level: Literal["main", "fine"]
    main: str | None
    definition: str
    cues: dict[str, list[str]] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class RoleTaxonomy:
    """Main roles and their fine roles; examples mark the entity with `placeholder` (default {E})."""

    name: str
    languages: list[str]
    main_roles: list[Role]
    fine_roles: list[Role]
    main_of: dict[str, str]
    placeholder: str = "{E}"
    source: str = ""

    def role(self, name: str) -> Role:
        """The main or fine Role called `name`; KeyError when there is none."""
        for item in [*self.main_roles, *self.fine_roles]:
            if item.name == name:
                return item
        raise KeyError(f"unknown role {name!r} in role pack {self.name!r}")

    def fine_of(self, main: str) -> list[str]:
        """The fine-role names under one main role, in pack order."""
        return [item.name for item in self.fine_roles if item.main == main]


def parse_role_pack(path: Path) -> RoleTaxonomy:
    """Read, validate and build the RoleTaxonomy in the pack file at `path`."""
    src = PackSource(path)
    top = src.mapping(src.compose(), _TOP_KEYS, ["main_roles"], what="role pack")
    languages = src.strings(top["languages"], "languages") if "languages" in top else list(DEFAULT_LANGUAGES)
    main_nodes = src.sequence(top["main_roles"], "main_roles")
    if not main_nodes:
        src.fail(top["main_roles"], "empty role pack: `main_roles:` has no entries")
    mains: list[Role] = []
    fines: list[Role] = []
    seen: dict[str, int] = {}
    for node in main_nodes:
        fields = src.mapping(node, _MAIN_KEYS, ["name", "definition"], what="main role")
        mains.append(_role(src, fields, languages, "main", None, seen, node))
        for fine_node in src.sequence(fields["fine_roles"], "fine_roles") if "fine_roles" in fields else []:
            fine = src.mapping(fine_node, _FINE_KEYS, ["name", "definition"], what="fine role")
            fines.append(_role(src, fine, languages, "fine", mains[-1].name, seen, fine_node))
    name = src.string(top["name"], "name") if "name" in top else path.stem
    placeholder = src.string(top["placeholder"], "placeholder") if "placeholder" in top else "{E}"
    main_of = {item.name: item.main for item in fines if item.main is not None}
    return RoleTaxonomy(name, languages, mains, fines, main_of, placeholder, str(path))


def _role(
    src: PackSource,
    fields: dict[str, Node],
    languages: list[str],
    level: Literal["main", "fine"],
    main: str | None,
    seen: dict[str, int],
    node: Node,
) -> Role:
    name = src.string(fields["name"], "role name")
    if name in seen:
        src.fail(node, f"duplicate role {name!r} (first defined on line {seen[name]})")
    seen[name] = node.start_mark.line + 1
    return Role(
        name=name,
        level=level,
        main=main,
        definition=src.string(fields["definition"], f"definition of {name!r}"),
        cues=src.per_language(fields["cues"], languages, "cues") if "cues" in fields else {},
        examples=src.per_language(fields["examples"], languages, "examples") if "examples" in fields else {},
    )
