"""normalise_text and find_boilerplate: residue in five languages is found, article prose is left alone."""

from __future__ import annotations

import pytest

from narrascope.ingest.cleaning import find_boilerplate, normalise_text
from narrascope.records import Article, ArticleAnalysis


def test_normalise_text() -> None:
    raw = "\ufeffTitle  \r\n\r\nLine\x00 one\t \rLine\x1b two\n\n\n\n\n\nEnd   \n\n"
    assert normalise_text(raw) == "Title\n\nLine one\nLine two\n\n\nEnd"


def test_normalise_text_is_idempotent() -> None:
    text = normalise_text("a\r\n\r\n\r\n\r\n\r\nb \x07")
    assert normalise_text(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Read more: Ferry strike enters second week",
        "Subscribe to our newsletter",
        "Photo: Reuters / Jane Doe",
        "We use cookies to improve your experience. Accept all cookies",
        "Full version on the site",
        "Читайте также: Бюджет утвердили",
        "Подписывайтесь на наш канал в Telegram",
        "Фото: РИА Новости",
        "Полная версия на сайте",
        "Прочетете още: Нов закон за пътищата",
        "Снимка: БТА",
        "Този сайт използва бисквитки",
        "Leia também: Governo anuncia medidas",
        "Foto: Agência Lusa",
        "Este site utiliza cookies para melhorar a experiência",
        "यह भी पढ़ें: सरकार ने नई योजना की घोषणा की",
        "फोटो: पीटीआई",
        "विज्ञापन",
    ],
)
def test_residue_lines_are_found(line: str) -> None:
    text = f"The council met on Tuesday.\n{line}\nThe vote was close."
    spans = find_boilerplate(text)
    assert [s.text for s in spans] == [line]
    assert text[spans[0].start : spans[0].end] == line


@pytest.mark.parametrize(
    "line",
    [
        "Related to this, the minister said the plan would be ready by June.",
        "Readers shared the video thousands of times before it was removed.",
        "Подробнее об этом рассказал министр финансов на пресс-конференции в Москве.",
        "The photo: a grainy image that, officials say, shows the convoy crossing the border at night and "
        "was published by several outlets across the region before any of them checked where it came from "
        "or who had taken it, which led to a long dispute.",
        "Comments from the opposition were sharp.",
    ],
)
def test_article_prose_is_left_alone(line: str) -> None:
    assert find_boilerplate(f"{line}\nAnother sentence.") == []


def test_stray_tags_and_entities() -> None:
    text = 'Prices rose&nbsp;sharply.<br/> The <span class="x">bank</span> said a < b and AT&T agreed.'
    found = [s.text for s in find_boilerplate(text)]
    assert found == ["&nbsp;", "<br/>", '<span class="x">', "</span>"]


def test_blanking_keeps_offsets() -> None:
    article = Article(title="Title", text="Body text.\nRead more\nEnd.")
    analysis = ArticleAnalysis(article_id=article.id, boilerplate=find_boilerplate(article.full_text))
    clean = analysis.clean_text(article)
    assert len(clean) == len(article.full_text)
    assert "Read more" not in clean and clean.endswith("End.")
