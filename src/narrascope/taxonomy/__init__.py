"""Load narrative and entity-role taxonomies from YAML packs (the shipped SemEval-2025 ones by default)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from narrascope.taxonomy.labels import OTHER, Label, Taxonomy
from narrascope.taxonomy.narratives import parse_narrative_pack
from narrascope.taxonomy.roles import Role, RoleTaxonomy, parse_role_pack

__all__ = [
    "OTHER",
    "Label",
    "Role",
    "RoleTaxonomy",
    "Taxonomy",
    "load_roles",
    "load_taxonomy",
    "shipped_pack",
]

SHIPPED_NARRATIVES = "semeval2025.yaml"
SHIPPED_ROLES = "roles.yaml"


def shipped_pack(filename: str) -> Path:
    """The path of a pack shipped in narrascope/taxonomy/packs."""
    return Path(str(resources.files("narrascope.taxonomy").joinpath("packs", filename)))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load a narrative pack; None (or "") loads the shipped SemEval-2025 pack (cached)."""
    if not path:
        return _shipped_taxonomy()
    return parse_narrative_pack(Path(path))


def load_roles(path: str | Path | None = None) -> RoleTaxonomy:
    """Load an entity-role pack; None (or "") loads the shipped SemEval-2025 role pack (cached)."""
    if not path:
        return _shipped_roles()
    return parse_role_pack(Path(path))


@functools.lru_cache(maxsize=1)
def _shipped_taxonomy() -> Taxonomy:
    return parse_narrative_pack(shipped_pack(SHIPPED_NARRATIVES))


@functools.lru_cache(maxsize=1)
def _shipped_roles() -> RoleTaxonomy:
    return parse_role_pack(shipped_pack(SHIPPED_ROLES))
