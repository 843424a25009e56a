"""The YAML examples in docs/taxonomy.md load, so the analyst guide cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

from narrascope.taxonomy import load_roles, load_taxonomy

DOC = Path(__file__).resolve().parents[2] / "docs" / "taxonomy.md"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_doc_examples_load(tmp_path: Path) -> None:
    nested, flat, roles = _yaml_blocks()
    for name, text in (("nested", nested), ("flat", flat)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        tax = load_taxonomy(path)
        assert tax.children("FOOD: Meat is harmful")
        assert "Other" in tax
    path = tmp_path / "roles.yaml"
    path.write_text(roles, encoding="utf-8")
    assert load_roles(path).fine_of("Protagonist") == ["Guardian"]
