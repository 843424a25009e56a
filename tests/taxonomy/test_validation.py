"""Broken packs raise TaxonomyError with FILE:LINE and a useful message."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from narrascope.errors import TaxonomyError
from narrascope.taxonomy import load_roles, load_taxonomy

NESTED = """\
name: tiny
languages: [en]
other:
  definition: None of the narratives below.
domains:
  - name: FOOD
    topic_cues:
      en: [food, meal]
    narratives:
      - label: "FOOD: Meat is bad"
        definition: Eating meat is harmful.
        cues:
          en: [steak, burger]
        subnarratives:
          - label: "FOOD: Meat is bad: Other"
            definition: Meat is bad for another reason.
"""

FLAT = """\
name: flat
languages: [en]
labels:
  - label: Other
    definition: None of the others.
  - label: "D: A"
    domain: D
    definition: Narrative a.
  - label: "D: A: x"
    parent: "D: A"
    definition: Sub x of a.
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert message.startswith(f"{path}:")
    return message


def _line(message: str) -> int:
    match = re.match(r".*?:(\d+): ", message)
    assert match, message
    return int(match.group(1))


def test_small_nested_pack_loads(tmp_path: Path) -> None:
    tax = load_taxonomy(_write(tmp_path, NESTED))
    assert [n.label for n in tax.narratives] == ["Other", "FOOD: Meat is bad"]
    assert tax.children("FOOD: Meat is bad") == ["FOOD: Meat is bad: Other"]
    assert tax.parent == {"FOOD: Meat is bad: Other": "FOOD: Meat is bad"}
    assert tax.domain_of["FOOD: Meat is bad: Other"] == "FOOD"
    assert tax.topic_cues == {"FOOD": {"en": ["food", "meal"]}}
    assert tax.label("FOOD: Meat is bad").cues == {"en": ["steak", "burger"]}
    with pytest.raises(KeyError):
        tax.label("nope")


def test_small_flat_pack_loads(tmp_path: Path) -> None:
    tax = load_taxonomy(_write(tmp_path, FLAT))
    assert tax.parent == {"D: A: x": "D: A"}
    assert tax.label("D: A: x").level == "subnarrative"
    assert tax.label("D: A: x").domain == "D"
    assert tax.scored_labels() == ["Other", "D: A", "D: A: x"]


def test_unknown_key_names_line_and_closest_key(tmp_path: Path) -> None:
    message = _error(tmp_path, NESTED.replace("        definition: Eating", "        defintion: Eating"))
    assert _line(message) == 11
    assert "'defintion'" in message and "did you mean 'definition'" in message


def test_duplicate_label(tmp_path: Path) -> None:
    text = NESTED + '          - label: "FOOD: Meat is bad: Other"\n            definition: Again.\n'
    message = _error(tmp_path, text)
    assert _line(message) == 17
    assert "duplicate label" in message and "line 15" in message


def test_prefix_must_match_domain(tmp_path: Path) -> None:
    message = _error(tmp_path, NESTED.replace('"FOOD: Meat is bad"', '"DRINK: Meat is bad"'))
    assert _line(message) == 10
    assert "prefix 'FOOD: '" in message


def test_prefix_must_match_parent(tmp_path: Path) -> None:
    message = _error(tmp_path, NESTED.replace('"FOOD: Meat is bad: Other"', '"FOOD: Fish: Other"'))
    assert _line(message) == 15
    assert "prefix 'FOOD: Meat is bad: '" in message


def test_flat_missing_parent(tmp_path: Path) -> None:
    message = _error(tmp_path, FLAT.replace('parent: "D: A"', 'parent: "B"'))
    assert _line(message) == 10
    assert "'B'" in message and "not a label" in message


def test_flat_cycle(tmp_path: Path) -> None:
    text = FLAT.replace("    domain: D\n", '    parent: "D: A: x"\n')
    message = _error(tmp_path, text)
    assert _line(message) == 7
    assert "parent cycle: D: A -> D: A: x -> D: A" in message


def test_flat_prefix_must_match_parent(tmp_path: Path) -> None:
    message = _error(tmp_path, FLAT.replace('- label: "D: A: x"', '- label: "D: B: x"'))
    assert _line(message) == 9
    assert "prefix 'D: A: '" in message


def test_bad_yaml_syntax(tmp_path: Path) -> None:
    message = _error(tmp_path, NESTED.replace("en: [steak, burger]", "en: [steak, burger"))
    assert _line(message) in (13, 14, 15)
    assert "YAML syntax error" in message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "{}\n"])
def test_empty_pack(tmp_path: Path, text: str) -> None:
    assert "empty taxonomy pack" in _error(tmp_path, text)


def test_pack_without_labels(tmp_path: Path) -> None:
    assert "defines no labels" in _error(tmp_path, "name: nothing\n")


def test_cue_language_not_declared(tmp_path: Path) -> None:
    message = _error(tmp_path, NESTED.replace("          en: [steak", "          eng: [steak"))
    assert _line(message) == 13
    assert "did you mean 'en'" in message


def test_missing_definition(tmp_path: Path) -> None:
    message = _error(tmp_path, NESTED.replace("        definition: Eating meat is harmful.\n", ""))
    assert _line(message) == 10
    assert "'definition'" in message


def test_role_pack_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(
        "main_roles:\n  - name: Hero\n    definition: The good side of the story.\n"
        "    fine_roles:\n      - name: Knight\n        defnition: Protects others.\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError, match=r"roles\.yaml:6: unknown key 'defnition'.*'definition'"):
        load_roles(path)


def test_role_pack_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(
        "main_roles:\n  - name: Hero\n    definition: The good side.\n"
        "  - name: Hero\n    definition: Again.\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError, match=r"roles\.yaml:4: duplicate role 'Hero'"):
        load_roles(path)


def test_flat_three_levels_rejected(tmp_path: Path) -> None:
    text = FLAT + '  - label: "D: A: x: y"\n    parent: "D: A: x"\n    definition: Too deep.\n'
    message = _error(tmp_path, text)
    assert _line(message) == 13
    assert "two levels only" in message
