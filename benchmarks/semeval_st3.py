"""SemEval-2025 Task 10 subtask 3 (explanations) on the training split: measure only, nothing is stored.

For each annotated document, `explain_label` gets the gold (narrative, subnarrative) and writes an
explanation; we report ROUGE-L F1 and e5 cosine similarity against the gold explanation, and the share of
explanation sentences traceable verbatim to the article. A lead-2 baseline (opening sentences) is shown too.
Run: .venv/bin/python benchmarks/semeval_st3.py [--langs EN BG] [--limit 50]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from semeval_data import SPLIT, load_language

from narrascope.models.explain import compose, explain_label, lead_in
from narrascope.nlp.sentences import split_sentences
from narrascope.records import Article, ArticleAnalysis


def read_st3(path: Path) -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4:
            out[parts[0]] = (parts[1], parts[2], parts[3])
    return out


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 over lower-cased whitespace tokens."""
    a, b = candidate.lower().split(), reference.lower().split()
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    lcs = prev[-1]
    if lcs == 0:
        return 0.0
    p, r = lcs / len(a), lcs / len(b)
    return 2 * p * r / (p + r)


def traceable(explanation: str, article: str, language: str) -> float:
    """Share of the explanation's sentences (lead-in removed) found verbatim in the article."""
    body = explanation.removeprefix(lead_in(language)).strip()
    sentences = [body[s.start : s.end].replace(" …", "").strip() for s in split_sentences(body)]
    sentences = [s for s in sentences if s]
    flat = " ".join(article.split())
    return sum(1 for s in sentences if " ".join(s.split()) in flat) / len(sentences) if sentences else 0.0


def run_language(lang: str, limit: int | None) -> dict[str, float]:
    from narrascope.nlp.embedder import get_embedder

    gold = read_st3(SPLIT / lang / "subtask-3-annotations.txt")
    docs = [d for d in load_language(lang) if d.id in gold][:limit]
    ours, base, refs, trace = [], [], [], []
    for doc in docs:
        narrative, sub, reference = gold[doc.id]
        article = Article(title="", text=doc.text, language=lang.lower())
        analysis = ArticleAnalysis(article_id=article.id, language=lang.lower(), sentences=doc.sentences)
        analysis.sentence_vectors = doc.vectors
        exp = explain_label(article, analysis, narrative, sub)
        ours.append(exp.text)
        base.append(compose(article, doc.sentences[:2], lang.lower())[0])
        refs.append(reference)
        trace.append(traceable(exp.text, doc.text, lang.lower()))
    embedder = get_embedder()
    ref_vecs = embedder.passages(refs)

    def cos(texts: list[str]) -> float:
        return float(np.mean(np.sum(embedder.passages(texts) * ref_vecs, axis=1)))

    return {
        "docs": len(docs),
        "rouge_l": float(np.mean([rouge_l(o, r) for o, r in zip(ours, refs, strict=True)])),
        "cosine": cos(ours),
        "traceable": float(np.mean(trace)),
        "lead2_rouge_l": float(np.mean([rouge_l(o, r) for o, r in zip(base, refs, strict=True)])),
        "lead2_cosine": cos(base),
        "max_words": max(len(t.split()) for t in ours),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--langs", nargs="*", default=["EN", "BG", "HI", "PT", "RU"])
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    print("| lang | docs | ROUGE-L F | e5 cosine | traceable | lead-2 ROUGE-L | lead-2 cosine | max words |")
    print("|---|---|---|---|---|---|---|---|")
    for lang in args.langs:
        r = run_language(lang, args.limit)
        print(
            f"| {lang} | {r['docs']} | {r['rouge_l']:.3f} | {r['cosine']:.3f} | {r['traceable']:.2f} | "
            f"{r['lead2_rouge_l']:.3f} | {r['lead2_cosine']:.3f} | {r['max_words']} |"
        )


if __name__ == "__main__":
    main()
