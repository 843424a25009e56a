"""Tests for mention finding: gazetteer aliases, inflections, Devanagari, heuristics, offsets."""

from __future__ import annotations

import pytest

from narrascope.nlp.ner import find_mentions, load_gazetteer, normalise_name


def ids(text: str, language: str) -> list[str]:
    return [m.entity_id for m in find_mentions(text, language, use_models=False)]


def test_offsets_are_half_open_into_the_text() -> None:
    text = "Talks between Zelenskyy and NATO resumed."
    for m in find_mentions(text, "en", use_models=False):
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Zelensky spoke.", "en"),
        ("Then Zelenskyy spoke.", "en"),
        ("Вчера Зеленский выступил.", "ru"),
        ("Днес Зеленски говори.", "bg"),
        ("Ontem Zelenski falou.", "pt"),
        ("कल ज़ेलेंस्की ने कहा।", "hi"),
        ("कल जेलेंस्की ने कहा।", "hi"),
    ],
)
def test_zelensky_spellings_link_to_one_id(text: str, language: str) -> None:
    assert "volodymyr-zelensky" in ids(text, language)


def test_russian_case_endings_match_by_stem() -> None:
    found = ids("Встреча Путина с Эрдоганом прошла в Москве, Путину подарили вазу.", "ru")
    assert found.count("vladimir-putin") == 2
    assert "recep-tayyip-erdogan" in found


def test_longest_alias_wins() -> None:
    mentions = find_mentions("Ursula von der Leyen arrived.", "en", use_models=False)
    assert [m.text for m in mentions] == ["Ursula von der Leyen"]


def test_lowercase_word_is_not_a_case_sensitive_alias() -> None:
    assert "shell" not in ids("The shell hit a house.", "en")


def test_title_heuristic_finds_unknown_names() -> None:
    texts = {
        m.text for m in find_mentions("Yesterday President Ivo Petrovski resigned.", "en", use_models=False)
    }
    assert "Ivo Petrovski" in texts
    hi = {m.text for m in find_mentions("इस बीच राष्ट्रपति रामलाल वर्मा ने कहा।", "hi", use_models=False)}
    assert "रामलाल वर्मा" in hi


def test_danda_ends_a_devanagari_name() -> None:
    assert "united-states" in ids("यह फैसला अमेरिका।", "hi")


def test_no_entities_gives_empty_list() -> None:
    assert find_mentions("", "en") == []
    assert find_mentions("it rained all day and nobody came.", "en", use_models=False) == []


def test_gazetteer_is_large_and_normalises_names() -> None:
    gazetteer = load_gazetteer()
    assert len(gazetteer.entries) >= 150
    assert gazetteer.lookup("ZELENSKYY") == "volodymyr-zelensky"
    assert normalise_name("Orbán") == normalise_name("orban")


def test_spacy_finds_english_people() -> None:
    mentions = find_mentions("The farmer John Appleseed met Maria Gonzales in Boston.", "en")
    assert {"John Appleseed", "Maria Gonzales"} <= {m.text for m in mentions}


def test_mention_stage_fills_mentions_and_entities() -> None:
    from narrascope.nlp.ner import MentionStage
    from narrascope.nlp.sentences import split_sentences
    from narrascope.records import Article, ArticleAnalysis
    from narrascope.settings import Settings

    article = Article(title="Talks", text="Зеленский встретился с Макроном. Макрон похвалил Зеленского.")
    analysis = ArticleAnalysis(
        article_id=article.id, language="ru", sentences=split_sentences(article.full_text)
    )
    analysis = MentionStage(Settings())(article, analysis)
    assert {e.id for e in analysis.entities} >= {"volodymyr-zelensky", "emmanuel-macron"}
    assert all(article.full_text[m.start : m.end] == m.text for m in analysis.mentions)
    empty = Article(title="", text="nothing to see here.")
    result = MentionStage(Settings())(empty, ArticleAnalysis(article_id=empty.id, language="en"))
    assert result.mentions == [] and result.entities == []


def test_hindi_names_groups_and_office_holders_without_capital_letters() -> None:
    text = "पत्रकार इवान पेत्रोव को रिहा किया गया। रूसी सेनाएं आगे बढ़ीं और भारतीय प्रधानमंत्री ने शांति की अपील की। सरकार ने कहा कि बातचीत जारी है।"
    found = {text[m.start : m.end] for m in find_mentions(text, "hi")}
    assert "इवान पेत्रोव" in found
    assert "रूसी सेनाएं" in found
    assert any("प्रधानमंत्री" in f for f in found)
    assert "सरकार" in found
    assert not any(f in ("को", "और", "ने") for f in found)
