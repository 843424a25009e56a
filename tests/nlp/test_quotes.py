"""Quotes: every quotation convention, speaker attribution, sources, and bad input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from narrascope.nlp.quotes import QuoteStage, find_quotes
from narrascope.records import Article, ArticleAnalysis, Entity, Mention, Quote
from narrascope.settings import Settings


def mentions_for(text: str, names: dict[str, tuple[str, str]]) -> tuple[list[Entity], list[Mention]]:
    """Hand-built mentions: every occurrence of each surface form -> (entity id, kind)."""
    mentions: list[Mention] = []
    entities: dict[str, Entity] = {}
    for surface, (entity_id, kind) in names.items():
        start = text.find(surface)
        while start >= 0:
            mentions.append(Mention(start, start + len(surface), surface, kind, entity_id))
            entities.setdefault(entity_id, Entity(entity_id, surface, kind))
            start = text.find(surface, start + 1)
    return list(entities.values()), sorted(mentions, key=lambda m: m.start)


def quotes(text: str, lang: str, names: dict[str, tuple[str, str]]) -> list[Quote]:
    entities, mentions = mentions_for(text, names)
    return find_quotes(text, lang, entities, mentions)


def direct(found: list[Quote]) -> list[Quote]:
    return [q for q in found if q.kind == "direct"]


def speaker_of(found: list[Quote], fragment: str) -> str | None:
    quote = next(q for q in found if fragment in q.text)
    return quote.speaker.name if quote.speaker else None


KELLER = {"Martina Keller": ("keller", "PER"), "Keller": ("keller", "PER")}


def test_english_double_quotes_speaker_after_and_offsets() -> None:
    text = '"We are asking them to stop the killing for thirty days," Keller told reporters.'
    found = direct(quotes(text, "en", KELLER))
    assert len(found) == 1
    q = found[0]
    assert text[q.start : q.end] == q.text
    assert q.text == "We are asking them to stop the killing for thirty days"
    assert q.speaker is not None and q.speaker.id == "keller"


def test_curly_and_single_quotes_with_speaker_before() -> None:
    text = "Oleh Marchenko said: “A ceasefire without guarantees is an invitation.” Speaking to the Clarion, he said: 'We will not trade our land for a photo.'"
    names = {"Oleh Marchenko": ("marchenko", "PER")}
    found = direct(quotes(text, "en", names))
    assert [q.speaker.id if q.speaker else None for q in found] == ["marchenko", "marchenko"]
    assert found[1].source == "Clarion"


def test_russian_guillemets_with_source_in_interview() -> None:
    text = "«Киев получает оружие ровно столько, чтобы война продолжалась», — сказал Павел Сидорин в интервью «Известиям»."
    found = direct(quotes(text, "ru", {"Павел Сидорин": ("sidorin", "PER")}))
    assert len(found) == 1
    assert found[0].speaker is not None and found[0].speaker.id == "sidorin"
    assert found[0].source == "Известиям"


def test_bulgarian_low_high_quotes() -> None:
    text = "Министърът Мартина Келер заяви, че текстът е „отправна точка, а не готово споразумение“."
    found = direct(quotes(text, "bg", {"Мартина Келер": ("keller", "PER")}))
    assert found and found[0].text == "отправна точка, а не готово споразумение"
    assert found[0].speaker is not None and found[0].speaker.id == "keller"


def test_dash_dialogue_with_continuation() -> None:
    text = "— Мы не отказываемся от переговоров, — подчеркнул Сидорин. — Но мы не позволим обмана."
    found = direct(quotes(text, "ru", {"Сидорин": ("sidorin", "PER")}))
    assert [q.text for q in found] == ["Мы не отказываемся от переговоров", "Но мы не позволим обмана."]
    assert all(q.speaker is not None and q.speaker.id == "sidorin" for q in found)


def test_portuguese_pro_drop_verb_resolves_to_last_person() -> None:
    text = 'Ricardo Lemos falou com a imprensa. "Nosso aço é mais limpo que o europeu", afirmou.'
    found = direct(quotes(text, "pt", {"Ricardo Lemos": ("lemos", "PER")}))
    assert speaker_of(found, "Nosso aço") == "Ricardo Lemos"


def test_hindi_speaker_before_quote() -> None:
    text = 'डॉ. कविता शर्मा ने कहा, "गर्मी का मौसम हर साल पहले शुरू हो रहा है।"'
    found = direct(quotes(text, "hi", {"कविता शर्मा": ("sharma", "PER")}))
    assert found and found[0].speaker is not None and found[0].speaker.id == "sharma"


def test_role_noun_anaphor_resolves_to_last_named_person() -> None:
    text = (
        "Alexander Lukashenko offered Minsk as a venue. "
        '"We have always been for peace and we are ready to host the talks," the Belarusian leader said.'
    )
    found = direct(quotes(text, "en", {"Alexander Lukashenko": ("lukashenko", "PER")}))
    assert speaker_of(found, "always been for peace") == "Alexander Lukashenko"


def test_quote_without_speaker_is_not_guessed() -> None:
    text = 'Keller arrived late. A banner read "Stop the war now, stop it today." Nobody commented.'
    found = direct(quotes(text, "en", KELLER))
    assert found and found[0].speaker is None


def test_scare_quotes_are_not_quotes() -> None:
    text = 'The so-called "neutral monitors" will watch the power stations, Keller added later.'
    assert direct(quotes(text, "en", KELLER)) == []


def test_multi_sentence_quote_is_one_quote() -> None:
    text = '"We are not asking anyone to give up. We are asking them to talk," Keller said.'
    found = direct(quotes(text, "en", KELLER))
    assert len(found) == 1 and "give up. We are" in found[0].text


def test_continuation_paragraph_inherits_speaker() -> None:
    text = '"Every time the West blinks, Moscow moves forward," said Arthur Blake. "Thirty days is exactly the time they need."'
    found = direct(quotes(text, "en", {"Arthur Blake": ("blake", "PER")}))
    assert speaker_of(found, "Thirty days") == "Arthur Blake"


def test_nested_quotes_keep_the_outer_one() -> None:
    text = "«Он назвал это „большой ошибкой всей Европы“ и ушёл», — сказал Иван Петров."
    found = direct(quotes(text, "ru", {"Иван Петров": ("petrov", "PER")}))
    assert len(found) == 1 and found[0].text.startswith("Он назвал")


def test_unbalanced_quotes_do_not_produce_absurd_spans() -> None:
    text = 'He said "hello there my friends. Then Keller said "we are ready to talk now" and left.\nNext "paragraph'
    found = quotes(text, "en", KELLER)
    assert all("\n" not in q.text for q in found)
    assert any(q.text == "we are ready to talk now" for q in found)


def test_reported_speech_with_that_clause() -> None:
    text = "Interior Minister Petar Dimov said that more than 9,000 people had been detained since June."
    found = quotes(text, "en", {"Petar Dimov": ("dimov", "PER")})
    assert len(found) == 1 and found[0].kind == "reported"
    assert found[0].text.startswith("more than 9,000")
    assert found[0].speaker is not None and found[0].speaker.id == "dimov"


def test_reported_speech_in_russian_and_hindi() -> None:
    ru = quotes(
        "Губернатор Игорь Лапин заявил, что пострадавших нет и пожар потушен.",
        "ru",
        {"Игорь Лапин": ("lapin", "PER")},
    )
    assert ru and ru[0].kind == "reported" and ru[0].text.startswith("пострадавших")
    hi = quotes("सुरेश नायर ने कहा कि सरकार हर संभव कदम उठा रही है।", "hi", {"सुरेश नायर": ("nair", "PER")})
    assert hi and hi[0].speaker is not None and hi[0].speaker.id == "nair"
    assert hi[0].text.startswith("सरकार")


def test_stage_uses_analysis_mentions() -> None:
    article = Article(title="Talks", text='"We will talk to everyone who wants peace," Keller said.')
    entities, mentions = mentions_for(article.full_text, KELLER)
    analysis = ArticleAnalysis(article_id=article.id, language="en", entities=entities, mentions=mentions)
    out = QuoteStage(Settings())(article, analysis)
    assert out.quotes and out.quotes[0].speaker is not None
    assert article.full_text[out.quotes[0].start : out.quotes[0].end] == out.quotes[0].text


@hsettings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*"ab .,\n\"'«»„“”‘’—-:", "said", " he ", "Keller"]), max_size=80))
def test_arbitrary_text_never_crashes_and_spans_match(pieces: list[str]) -> None:
    text = "".join(pieces)
    for q in find_quotes(text, "en", [], []):
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.text


def test_quote_benchmark_gold_offsets_point_at_their_text() -> None:
    """benchmarks/quotes.py scores offsets in "title\\n\\ntext"; an edited fixture must keep them in step."""
    import json
    from pathlib import Path

    gold = Path(__file__).resolve().parents[1] / "fixtures" / "quotes" / "gold.jsonl"
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 30
    for d in rows:
        full = f"{d['title']}\n\n{d['text']}" if d["title"] else d["text"]
        for q in d["quotes"]:
            assert full[q["start"] : q["end"]] == q["text"], d["id"]
