"""The narrative model on synthetic sentence vectors: decoding, the nearest-article vote, saving, folds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from narrascope.errors import ModelError
from narrascope.models.narratives import OTHER, NarrativeModel, Thresholds
from narrascope.models.training import (
    Example,
    article_scores,
    assign_folds,
    choose_thresholds,
    fit_model,
)

DIM = 384
LABELS = {
    "URW: A": ["URW: A: one", "URW: A: two"],
    "URW: B": ["URW: B: one"],
    "CC: C": ["CC: C: one"],
}


def _direction(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=DIM)
    return v / np.linalg.norm(v)


SUB_DIRECTIONS = {s: _direction(i) for i, s in enumerate(s for subs in LABELS.values() for s in subs)}
NEUTRAL = _direction(99)


def _doc(subs: list[str], rng: np.random.Generator, n: int = 6) -> np.ndarray:
    centre = sum((SUB_DIRECTIONS[s] for s in subs), NEUTRAL * 0.5) if subs else NEUTRAL
    rows = centre + rng.normal(scale=0.05, size=(n, DIM))
    out: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out


def _corpus(per_label: int = 12, seed: int = 0) -> tuple[list[np.ndarray], list[Example]]:
    rng = np.random.default_rng(seed)
    docs, examples = [], []
    for sub in SUB_DIRECTIONS:
        parent = sub.rsplit(":", 1)[0]
        for i in range(per_label):
            docs.append(_doc([sub], rng))
            examples.append(Example(f"{sub}-{i}", "text", {parent}, {sub}))
    for i in range(per_label * 2):
        docs.append(_doc([], rng))
        examples.append(Example(f"neutral-{i}", "text", {OTHER}, {OTHER}))
    return docs, examples


@pytest.fixture(scope="module")
def model() -> NarrativeModel:
    docs, examples = _corpus()
    m = fit_model(docs, examples, C=1.0)
    m.thresholds = Thresholds(any=0.5, narrative=0.5, subnarrative=0.4)
    return m


def test_decides_the_narrative_and_subnarrative_of_a_clear_article(model: NarrativeModel) -> None:
    d = model.decide(_doc(["URW: A: two"], np.random.default_rng(5)))
    assert [x.label for x in d.narratives] == ["URW: A"]
    assert [x.label for x in d.subnarratives] == ["URW: A: two"]
    assert d.dominant_narrative == "URW: A" and d.dominant_subnarrative == "URW: A: two"


def test_a_neutral_article_carries_no_narrative(model: NarrativeModel) -> None:
    d = model.decide(_doc([], np.random.default_rng(6)))
    assert d.narratives == [] and d.p_any < 0.5


def test_labels_stay_in_one_domain(model: NarrativeModel) -> None:
    model.thresholds.narrative = 0.01  # would take every narrative
    try:
        chosen = model.choose(model.probabilities(_doc(["CC: C: one"], np.random.default_rng(7))))
    finally:
        model.thresholds.narrative = 0.5
    assert chosen and all(n.startswith("CC:") for n, _ in chosen)


def test_hedge_adds_the_narratives_other(model: NarrativeModel) -> None:
    model.thresholds.hedge = 1.01  # no specific subnarrative is ever sure enough
    try:
        chosen = model.choose(model.probabilities(_doc(["URW: B: one"], np.random.default_rng(8))))
    finally:
        model.thresholds.hedge = 0.0
    assert ("URW: B", ["URW: B: one", "URW: B: Other"]) in chosen


def test_a_sure_narrative_passes_the_any_gate_on_its_own(model: NarrativeModel) -> None:
    clear, neutral = _doc(["URW: A: two"], np.random.default_rng(5)), _doc([], np.random.default_rng(6))
    model.thresholds.any = 1.01  # the "any" detector alone lets no article through
    try:
        assert model.choose(model.probabilities(clear)) == []
        model.thresholds.sure = 0.5
        assert [n for n, _ in model.choose(model.probabilities(clear))] == ["URW: A"]
        assert model.choose(model.probabilities(neutral)) == []  # no narrative of it is that probable
    finally:
        model.thresholds.any, model.thresholds.sure = 0.5, 0.0


def test_vote_returns_the_labels_of_the_nearest_articles(model: NarrativeModel) -> None:
    from narrascope.models.narratives import features

    f = features(_doc(["CC: C: one"], np.random.default_rng(9)))[None, :]
    vote = dict(zip(model.labels_, model.vote(f)[0].tolist(), strict=True))
    assert vote["CC: C: one"] > 0.99 and vote["URW: A"] < 0.01


def test_sentences_are_not_in_the_vote_memory() -> None:
    docs, examples = _corpus(per_label=4)
    examples[0].article = False
    m = fit_model(docs, examples, C=1.0)
    assert m.memory_x_.shape[0] == len(docs) - 1 == m.memory_y_.shape[0]


def test_save_and_load_keep_the_memory_and_thresholds(model: NarrativeModel, tmp_path: Path) -> None:
    model.thresholds.knn = 0.3
    try:
        model.save(tmp_path / "m", training_data="synthetic test vectors")
    finally:
        model.thresholds.knn = 0.0
    loaded = NarrativeModel.load(tmp_path / "m")
    assert loaded.thresholds.knn == 0.3
    assert loaded.memory_x_.shape == model.memory_x_.shape
    doc = _doc(["URW: A: one"], np.random.default_rng(10))
    assert [x.label for x in loaded.decide(doc).subnarratives] == ["URW: A: one"]


def test_an_unused_vote_memory_is_not_saved(model: NarrativeModel, tmp_path: Path) -> None:
    model.save(tmp_path / "m")
    assert NarrativeModel.load(tmp_path / "m").memory_x_.shape == (0, model.coef_.shape[1])


def test_a_model_of_another_format_is_a_clear_error(model: NarrativeModel, tmp_path: Path) -> None:
    model.save(tmp_path / "m")
    manifest = tmp_path / "m" / "manifest.json"
    meta = json.loads(manifest.read_text())
    meta["format"] = "narrascope-narratives/0"
    manifest.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="model format"):
        NarrativeModel.load(tmp_path / "m")


def test_memory_that_does_not_match_the_weights_is_a_clear_error(
    model: NarrativeModel, tmp_path: Path
) -> None:
    model.save(tmp_path / "m")
    weights = dict(np.load(tmp_path / "m" / "weights.npz"))
    weights["memory_y"] = weights["memory_y"][:, :2]
    np.savez_compressed(tmp_path / "m" / "weights.npz", **weights)
    with pytest.raises(ModelError, match="memory"):
        NarrativeModel.load(tmp_path / "m")


def test_folds_cover_every_article_and_keep_sentences_in_training() -> None:
    _, examples = _corpus(per_label=6)
    examples.append(Example("pack-1", "one sentence", {"URW: A"}, {"URW: A: one"}, article=False))
    folds = assign_folds(examples, 5)
    assert folds[-1] == -1
    counts = np.bincount([k for k in folds if k >= 0])
    assert counts.sum() == len(examples) - 1 and counts.max() - counts.min() <= 1


def test_choose_thresholds_picks_a_point_of_the_grid() -> None:
    docs, examples = _corpus(per_label=8)
    grid = {
        "any": (0.3, 0.6),
        "narrative": (0.4,),
        "subnarrative": (0.3,),
        "hedge": (0.0,),
        "knn": (0.0, 0.5),
        "sure": (0.0, 0.8),
    }
    decoding = choose_thresholds(docs, examples, C=1.0, grid=grid)
    t = decoding.thresholds
    assert t.any in (0.3, 0.6) and t.knn in (0.0, 0.5) and t.sure in (0.0, 0.8) and t.narrative == 0.4
    assert 0.8 < decoding.cv_f1 <= 1.0  # the synthetic labels are easy to separate
    assert decoding.by_language == {}  # no article says its language


LANGUAGE_GRID = {
    "any": (0.3, 0.6),
    "narrative": (0.4,),
    "subnarrative": (0.3,),
    "hedge": (0.0, 1.01),  # 1.01: always add "<narrative>: Other"
    "knn": (0.0,),
}


def _two_languages(pt_hedges: bool = False) -> tuple[list[np.ndarray], list[Example]]:
    """Every other article "pt", the rest "en"; with `pt_hedges`, "pt" annotators add "<narrative>: Other"
    next to every subnarrative."""
    docs, examples = _corpus(per_label=8)
    for i, e in enumerate(examples):
        e.lang = "pt" if i % 2 else "en"
        if pt_hedges and e.lang == "pt" and e.narratives != {OTHER}:
            e.subnarratives |= {f"{n}: Other" for n in e.narratives}
    return docs, examples


def test_a_language_with_enough_articles_gets_its_own_settings() -> None:
    docs, examples = _two_languages()
    grid = LANGUAGE_GRID
    decoding = choose_thresholds(docs, examples, C=1.0, grid=grid, min_language=20)
    assert set(decoding.by_language) == {"en", "pt"}
    for lang, t in decoding.by_language.items():
        assert t.any in (0.3, 0.6) and 0.0 <= decoding.cv_f1_by_language[lang] <= 1.0
    fewer = choose_thresholds(docs, examples, C=1.0, grid=grid, min_language=len(examples))
    assert fewer.by_language == {}


def test_a_language_may_change_only_the_named_settings() -> None:
    docs, examples = _two_languages(pt_hedges=True)
    grid = LANGUAGE_GRID
    free = choose_thresholds(docs, examples, C=1.0, grid=grid, min_language=20, language_keys=["hedge"])
    assert free.by_language["pt"].hedge == 1.01 and free.by_language["en"].hedge == 0.0
    assert all(t.any == free.thresholds.any for t in free.by_language.values())
    fixed = choose_thresholds(docs, examples, C=1.0, grid=grid, min_language=20, language_keys=["any"])
    assert all(t.hedge == fixed.thresholds.hedge for t in fixed.by_language.values())


def test_language_settings_decide_and_survive_saving(model: NarrativeModel, tmp_path: Path) -> None:
    doc = _doc(["URW: A: one"], np.random.default_rng(8))
    model.by_language = {"pt": Thresholds(any=0.5, narrative=0.5, subnarrative=0.4, hedge=1.01)}
    try:
        assert [x.label for x in model.decide(doc, lang="en").subnarratives] == ["URW: A: one"]
        assert [x.label for x in model.decide(doc, lang="pt").subnarratives] == [
            "URW: A: one",
            "URW: A: Other",
        ]
        model.save(tmp_path / "m")
    finally:
        model.by_language = {}
    loaded = NarrativeModel.load(tmp_path / "m")
    assert loaded.by_language["pt"].hedge == 1.01 and loaded.settings("bg") == loaded.thresholds


def test_article_scores_decode_with_the_language_settings(model: NarrativeModel) -> None:
    probs = [model.probabilities(_doc(["URW: A: one"], np.random.default_rng(8)))]
    model.by_language = {"pt": Thresholds(any=0.5, narrative=0.5, subnarrative=0.4, hedge=1.01)}
    try:
        en = article_scores(model, probs, [{"URW: A: one"}], "en")
        pt = article_scores(model, probs, [{"URW: A: one"}], "pt")  # also "URW: A: Other": half precision
    finally:
        model.by_language = {}
    assert en.tolist() == [1.0] and pt[0] == pytest.approx(2 / 3)


def test_unknown_decoding_setting_is_a_clear_error(model: NarrativeModel, tmp_path: Path) -> None:
    model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "manifest.json").read_text())
    meta["language_thresholds"] = {"pt": {"anny": 0.5}}
    (tmp_path / "m" / "manifest.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="unknown decoding setting"):
        NarrativeModel.load(tmp_path / "m")


def _lexical_corpus() -> tuple[list[np.ndarray], list[Example]]:
    """Vectors that say nothing (all neutral-looking); the words carry the labels."""
    rng = np.random.default_rng(3)
    words = {"URW: A": "tanks shelling frontline", "CC: C": "glaciers melting drought"}
    docs, examples = [], []
    for i in range(20):
        for parent, phrase in words.items():
            docs.append(_doc([], rng))
            text = f"report {i}: {phrase} again, {phrase} every day"
            examples.append(Example(f"{parent}-{i}", text, {parent}, {f"{parent}: Other"}))
        docs.append(_doc([], rng))
        examples.append(Example(f"n-{i}", f"weather report {i}: sunny markets calm", {OTHER}, {OTHER}))
    return docs, examples


def test_the_lexical_half_reads_the_words_and_survives_saving(tmp_path: Path) -> None:
    docs, examples = _lexical_corpus()
    m = fit_model(docs, examples, C=1.0)
    assert m.lexical_ is not None and set(m.lexical_.labels) == {"__any__", "URW: A", "CC: C"}
    vectors = _doc([], np.random.default_rng(4))
    with_words = m.probabilities(vectors, "glaciers melting drought in the alps")
    without = m.probabilities(vectors)
    assert with_words["CC: C"] > without["CC: C"] + 0.2
    m.save(tmp_path / "m")
    assert (tmp_path / "m" / "lexical.json").exists()
    again = NarrativeModel.load(tmp_path / "m").probabilities(vectors, "glaciers melting drought in the alps")
    assert again["CC: C"] == pytest.approx(with_words["CC: C"], abs=1e-3)


def test_a_broken_lexical_part_is_a_clear_error(tmp_path: Path) -> None:
    docs, examples = _lexical_corpus()
    fit_model(docs, examples, C=1.0).save(tmp_path / "m")
    (tmp_path / "m" / "lexical.json").write_text("{}")
    with pytest.raises(ModelError, match="lexical"):
        NarrativeModel.load(tmp_path / "m")
