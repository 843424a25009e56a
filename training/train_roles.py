"""Reproduce the shipped role model from the project-written training/roles/roles_*.jsonl files.

.venv/bin/python training/roles/build_role_data.py   # templates -> paragraph snippets (jsonl)
.venv/bin/python training/train_roles.py             # jsonl -> src/narrascope/models/artefacts/roles/

Sentence vectors are cached in .cache/roles/train_vectors.npz (delete it to recompute).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from narrascope.models.role_features import Example, VectorCache, featurize
from narrascope.models.roles import FINE_TO_MAIN, NONE, SHIPPED_DIR, RoleClassifier

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent / ".cache" / "roles" / "train_vectors.npz"


def load_examples() -> tuple[list[Example], list[str], str]:
    """Examples, CV groups (the marked entity, so no entity sits in both train and test) and a data hash."""
    examples, groups = [], []
    sha = hashlib.sha256()
    for path in sorted((HERE / "roles").glob("roles_*.jsonl")):
        sha.update(path.read_bytes())
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            fine = tuple(row["fine"])
            main = FINE_TO_MAIN[fine[0]] if fine else NONE
            examples.append(Example(row["text"], row["start"], row["end"], row["language"], main, fine))
            groups.append(row["text"][row["start"] : row["end"]].lower())
    return examples, groups, sha.hexdigest()


def cross_validate(x: np.ndarray, examples: list[Example], groups: list[str]) -> dict[str, object]:
    """5-fold CV grouped by entity (optimistic: same templates on both sides)."""
    hits_main = hits_fine = 0
    for train, test in GroupKFold(n_splits=5).split(x, groups=groups):
        model = RoleClassifier().fit(
            x[train], [examples[i].main for i in train], [examples[i].fine for i in train]
        )
        for i, (main, fine, _) in zip(test, model.predict(x[test], allow_none=True), strict=True):
            hits_main += main == examples[i].main
            hits_fine += set(fine) == set(examples[i].fine)
    return {
        "cv5_main_accuracy_synthetic": round(hits_main / len(examples), 4),
        "cv5_exact_match_synthetic": round(hits_fine / len(examples), 4),
    }


def main(out_dir: str = str(SHIPPED_DIR)) -> None:
    examples, groups, digest = load_examples()
    x = featurize(examples, "sentence", embed=VectorCache(CACHE))
    quality = cross_validate(x, examples, groups)
    model = RoleClassifier().fit(x, [e.main for e in examples], [e.fine for e in examples])
    training = {
        "description": "project-written synthetic paragraph snippets (3-6 sentences), 22 fine roles + neutral, "
        "EN RU BG PT HI (training/roles/templates_*.yaml + role-pack examples composed by build_role_data.py)",
        "examples": len(examples),
        "sha256": digest,
    }
    quality["semeval_train_split"] = "see MODEL_CARD.md (benchmarks/semeval_st1.py)"
    model.save(out_dir, training, quality)
    print(json.dumps(quality))


if __name__ == "__main__":
    main(*sys.argv[1:])
