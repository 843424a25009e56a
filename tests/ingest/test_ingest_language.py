"""detect_language on short samples we wrote in each supported language, and the "unknown" cases."""

from __future__ import annotations

import pytest

from narrascope.ingest.language import detect_language

SAMPLES = {
    "en": "The city council approved the new budget for schools and roads on Tuesday evening.",
    "bg": "Общинският съвет одобри новия бюджет за училищата и пътищата във вторник вечерта.",
    "hi": "नगर परिषद ने मंगलवार शाम को स्कूलों और सड़कों के लिए नया बजट मंज़ूर किया।",
    "pt": "A câmara municipal aprovou na terça-feira o novo orçamento para as escolas e as estradas.",
    "ru": "Городской совет во вторник вечером утвердил новый бюджет для школ и дорог.",
}


@pytest.mark.parametrize(("code", "text"), sorted(SAMPLES.items()))
def test_each_language(code: str, text: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "text", ["", "ok", "12345 67890 !!! ???", "这是一个用中文写的句子，不在支持的语言里。"]
)
def test_unknown(text: str) -> None:
    assert detect_language(text) == "unknown"


def test_restricted_language_set() -> None:
    assert (
        detect_language(SAMPLES["ru"], languages=("en", "pt")) == "unknown"
    )  # Cyrillic, but no Cyrillic allowed
    assert detect_language(SAMPLES["bg"], languages=("ru",)) == "ru"
    assert detect_language(SAMPLES["en"], languages=("xx",)) == "unknown"


def test_long_text_uses_a_prefix() -> None:
    assert detect_language(SAMPLES["pt"] * 2000) == "pt"
