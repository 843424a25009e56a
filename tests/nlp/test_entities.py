"""Tests for entity linking and descriptor extraction."""

from __future__ import annotations

from narrascope.nlp.entities import find_descriptors, link_entities, stable_id
from narrascope.nlp.ner import find_mentions
from narrascope.records import Mention


def link(text: str, language: str):  # type: ignore[no-untyped-def]
    mentions = find_mentions(text, language, use_models=False)
    return mentions, link_entities(text, mentions)


def test_surname_joins_the_full_name() -> None:
    mentions, _entities = link(
        "Yesterday President Ivo Petrovski resigned. Critics said Petrovski lied.", "en"
    )
    by_text = {m.text: m.entity_id for m in mentions}
    assert by_text["Ivo Petrovski"] == by_text["Petrovski"]


def test_aliases_across_languages_share_one_entity() -> None:
    _, en = link("Zelenskyy spoke.", "en")
    _, ru = link("Зеленский выступил.", "ru")
    assert en[0].id == ru[0].id == "volodymyr-zelensky"


def test_inflected_unknown_russian_names_join() -> None:
    mentions, _ = link("Глава района Иван Сидоров уехал. Журналисты видели Сидорова в Киеве.", "ru")
    ids = {m.text: m.entity_id for m in mentions}
    assert ids["Иван Сидоров"] == ids["Сидорова"]


def test_stable_id_is_deterministic_and_transliterated() -> None:
    assert stable_id("Иван Сидоров") == stable_id("иван  сидоров")
    assert stable_id("Иван Сидоров").startswith("ivan-sidorov-")


def test_descriptors_before_and_after_a_name() -> None:
    text = "Belarusian dictator Alexander Lukashenko met John Smithers. Smithers, the Acme chief executive, left."
    _, entities = link(text, "en")
    by_id = {e.name: e for e in entities}
    assert [d.text for d in by_id["Alexander Lukashenko"].descriptors] == ["Belarusian dictator"]
    assert "the Acme chief executive" in [d.text for d in by_id["John Smithers"].descriptors]


def test_russian_title_with_genitive_country() -> None:
    _, entities = link("Президент Беларуси Александр Лукашенко заявил об этом.", "ru")
    luka = next(e for e in entities if e.id == "alexander-lukashenko")
    assert [d.text for d in luka.descriptors] == ["Президент Беларуси"]


def test_descriptor_spans_point_into_the_text() -> None:
    text = "The self-proclaimed president Putin spoke."
    mention = Mention(start=text.index("Putin"), end=text.index("Putin") + 5, text="Putin")
    spans = find_descriptors(text, mention)
    assert [text[s.start : s.end] for s in spans] == ["self-proclaimed president"]


def test_no_mentions_no_entities() -> None:
    assert link_entities("nothing here", []) == []
