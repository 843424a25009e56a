"""Tests for the role model: estimator contract, persistence as data, version check, predictions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from narrascope.errors import ModelError
from narrascope.models.role_features import cue_features, mention_context
from narrascope.models.roles import (
    FINE_TO_MAIN,
    SHIPPED_DIR,
    RoleClassifier,
    load_semeval_examples,
)


def toy_data() -> tuple[np.ndarray, list[str], list[tuple[str, ...]]]:
    rng = np.random.default_rng(0)
    centres = {"Victim": 0, "Tyrant": 1, "Guardian": 2}
    x = np.vstack([rng.normal(size=8) + 4 * np.eye(8)[c] for c in centres.values() for _ in range(20)])
    fines = [(f,) for f in centres for _ in range(20)]
    return x.astype(np.float32), [FINE_TO_MAIN[f[0]] for f in fines], fines


def test_fit_returns_self_and_learns_state() -> None:
    x, mains, fines = toy_data()
    model = RoleClassifier()
    assert model.fit(x, mains, fines) is model
    assert set(model.main_labels_) == {"Innocent", "Antagonist", "Protagonist"}
    predicted = model.predict(x)
    assert sum(p[0] == m for p, m in zip(predicted, mains, strict=True)) >= 55
    assert all(FINE_TO_MAIN[f] == main for main, fine, _ in predicted for f in fine)


def test_save_load_roundtrip_is_data_only(tmp_path: Path) -> None:
    x, mains, fines = toy_data()
    model = RoleClassifier().fit(x, mains, fines)
    model.save(tmp_path, {"description": "toy"}, {"acc": 1.0})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", "weights.npz"]
    loaded = RoleClassifier.load(tmp_path)
    assert loaded.predict(x) == model.predict(x)


def test_model_from_another_version_is_refused(tmp_path: Path) -> None:
    x, mains, fines = toy_data()
    RoleClassifier().fit(x, mains, fines).save(tmp_path, {}, {})
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["version"] = "roles-0"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="retrain"):
        RoleClassifier.load(tmp_path)
    with pytest.raises(ModelError):
        RoleClassifier.load(tmp_path / "missing")


def test_context_marks_the_mention_and_returns_its_sentence() -> None:
    text = "First sentence here. Then Putin lied again. Last one."
    start = text.index("Putin")
    context, evidence = mention_context(text, start, start + 5)
    assert "[[Putin]]" in context
    assert evidence.text == "Then Putin lied again."
    assert mention_context(text, start, start + 5, marking="placeholder")[0].count("<ENTITY>") == 1


def test_cue_features_fire_on_role_words() -> None:
    values = cue_features("the dictator crushed the protests with an iron fist")
    assert values.max() > 0


def test_semeval_reader_makes_end_offsets_half_open_and_keeps_crlf(tmp_path: Path) -> None:
    (tmp_path / "raw-documents").mkdir()
    (tmp_path / "raw-documents" / "EN_1.txt").write_bytes(b"Title\r\n\r\nPutin spoke.")
    (tmp_path / "subtask-1-annotations.txt").write_text(
        "EN_1.txt\tPutin\t9\t13\tAntagonist\tTyrant\tDeceiver\n"
    )
    (example,) = load_semeval_examples(tmp_path)
    assert example.text[example.start : example.end] == "Putin"
    assert example.fine == ("Tyrant", "Deceiver")


@pytest.mark.skipif(not (SHIPPED_DIR / "manifest.json").exists(), reason="shipped role model not built")
def test_shipped_model_predicts_sensible_roles() -> None:
    from narrascope.models.roles import predict_roles

    text = "The dictator Lukashenko jailed every critic and rigged the elections.\r\nCivilians in Mariupol lost their homes."
    spans = [
        (text.index("Lukashenko"), text.index("Lukashenko") + 10),
        (text.index("Civilians"), text.index("Civilians") + 9),
    ]
    labels = predict_roles(text, spans, "en")
    assert [label.main for label in labels] == ["Antagonist", "Innocent"]
    assert labels[0].evidence[0].start == 0
    assert predict_roles(text, [], "en") == []


def test_entity_sharing_pulls_mentions_of_one_entity_together() -> None:
    from narrascope.models.roles import _share

    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]])
    shared = _share(p, ["a", "a", "b"], 0.5)
    assert shared[0, 0] < 0.9 and shared[1, 0] > 0.2
    assert np.allclose(shared[2], p[2])
    assert np.allclose(shared.sum(axis=1), 1.0)


def test_people_nouns_and_mention_counts_are_features() -> None:
    from narrascope.models.role_features import extra_features

    assert extra_features("civilians", 1)[0] == 1.0
    assert extra_features("мирные жители", 1)[0] == 1.0
    assert extra_features("Vladimir Putin", 3)[0] == 0.0
    assert extra_features("Vladimir Putin", 3)[2] == 0.5


def test_vector_cache_embeds_each_text_once(tmp_path: Path) -> None:
    from narrascope.models.role_features import VectorCache

    calls: list[list[str]] = []

    def fake(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.vstack([np.full(384, len(t), dtype=np.float32) for t in texts])

    cache = VectorCache(tmp_path / "v.npz", fake)
    first = cache(["ab", "abc", "ab"])
    assert first[:, 0].tolist() == [2, 3, 2]
    again = VectorCache(tmp_path / "v.npz", fake)(["abc"])
    assert again[0, 0] == 3 and len(calls) == 1


PUTIN_TEXT = "Putin spoke. The weather was fine. Later Putin lied about the war."


def _recording_embedder(value: float) -> tuple[list[str], Callable[[list[str]], np.ndarray]]:
    """A fake embedder returning constant vectors, and the list of texts it was asked to embed."""
    seen: list[str] = []

    def fake(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return np.full((len(texts), 384), value, dtype=np.float32)

    return seen, fake


def test_featurize_uses_the_entity_s_other_sentences() -> None:
    from narrascope.models.role_features import Example, featurize

    seen, fake = _recording_embedder(1.0)
    x = featurize([Example(PUTIN_TEXT, 0, 5, "en")], embed=fake)
    assert x.shape == (1, 2 * 384 + 4 * 22 + 5)
    assert "[[Putin]] spoke." in seen and "Later [[Putin]] lied about the war." in seen
    assert not any("weather" in t for t in seen)


def test_sentence_features_reuse_known_sentence_vectors() -> None:
    from narrascope.models.role_features import Example, featurize

    seen, fake = _recording_embedder(0.0)
    known = {"Putin spoke.": np.full(384, 0.5, dtype=np.float32)}
    x = featurize([Example(PUTIN_TEXT, 0, 5, "en")], "sentence", embed=fake, known=known)
    assert seen == ["Later Putin lied about the war."]  # plain sentences; the known one is not embedded again
    assert x[0, 0] == 0.5 and x[0, 384] == 0.0


def test_synthetic_snippets_mark_the_entity_with_its_roles() -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "training" / "roles" / "build_role_data.py"
    spec = importlib.util.spec_from_file_location("build_role_data", path)
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    rows = builder.expand("en", 60)
    assert len(rows) == 60
    for row in rows:
        assert row["text"][row["start"] : row["end"]].strip()
        assert 2 <= row["text"].count(". ") + 1 <= 8
        assert len({FINE_TO_MAIN[f] for f in row["fine"]}) <= 1
    mains = [FINE_TO_MAIN[r["fine"][0]] for r in rows if r["fine"]]
    assert mains.count("Antagonist") > mains.count("Innocent")


def test_principal_axes_are_saved_and_used_after_loading(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    fines = [("Victim",), ("Tyrant",), ("Guardian",)] * 20
    x = rng.normal(size=(60, 2 * 384 + 93)).astype(np.float32)
    for i, f in enumerate(fines):
        x[i, 2 * 384 + 10] = 3.0 * ["Victim", "Tyrant", "Guardian"].index(f[0])
    model = RoleClassifier(dims=8, zero_shot=0.0).fit(x, [FINE_TO_MAIN[f[0]] for f in fines], fines)
    assert model.project(x).shape == (60, 2 * 8 + 93)
    model.save(tmp_path, {}, {})
    loaded = RoleClassifier.load(tmp_path)
    assert loaded.proj_.shape == (384, 8)
    assert loaded.predict(x) == model.predict(x)
