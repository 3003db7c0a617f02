"""Train the passage ranker (a logistic regression over fused retrieval signals) with grouped cross-validation.

Labels: a passage is relevant when it holds a gold evidence quote of the question. The script prints the
cross-validated share of gold facts in the top 5 (within the character budget) for the hand-set rank fusion and
for the learned ranker, then fits on all questions and writes rag/models/ranker.json (unless --dry-run).
Usage: python scripts/train_ranker.py [--qa evals/dev_qa.jsonl] [--folds 5] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from rag.evals.matching import passage_hits_quote
from rag.retrieval import RANK_FEATURES

MODEL_PATH = Path("rag/models/ranker.json")


def facts_found(texts: list[str], facts: list[list[str]]) -> float:
    return sum(any(passage_hits_quote(t, q) for t in texts for q in g) for g in facts) / len(facts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--qa", type=Path, default=Path("evals/dev_qa.jsonl"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--candidates", type=int, default=80, help="negatives: the top N of the hand fusion")
    parser.add_argument("--c", type=float, default=3.0, help="inverse regularisation strength")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    from rag.assistant import Assistant
    from rag.evals.metrics import group_evidence
    from rag.settings import load_settings

    items = [json.loads(line) for line in args.qa.read_text().splitlines() if line.strip()]
    items = [i for i in items if i["answerable"]]
    assistant = Assistant(load_settings(retrieval={"ranker": "rrf"}))
    retriever = assistant.retriever
    chunks = assistant.index.chunks
    per_q = []
    for item in items:
        scored = retriever.score(item["question"])
        quotes = [e["quote"] for e in item["evidence"]]
        top = np.argsort(-scored.fused)[: args.candidates]
        labels = np.array([any(passage_hits_quote(chunks[i].text, q) for q in quotes) for i in range(len(chunks))])
        keep = np.union1d(top, np.flatnonzero(labels))
        facts = [list(g) for g in group_evidence(item["evidence"])]
        per_q.append((scored, keep, labels, facts))
    print(f"{len(items)} answerable questions, {sum(int(p[2].sum()) for p in per_q)} relevant passages")

    def top5(scored, scores: np.ndarray, facts: list[list[str]]) -> float:
        hits = retriever.select(scores, 5, sentence_sims=scored.sentence_sims)
        return facts_found([h.chunk.text for h in hits], facts)

    def fit(indices: list[int]) -> np.ndarray:
        x = np.vstack([per_q[q][0].features[per_q[q][1]] for q in indices])
        y = np.concatenate([per_q[q][2][per_q[q][1]] for q in indices])
        model = LogisticRegression(C=args.c, class_weight="balanced", max_iter=2000, fit_intercept=False)
        model.fit(x, y)
        return model.coef_[0]

    hand, learned = [], []
    groups = np.arange(len(per_q))
    for train, test in GroupKFold(n_splits=args.folds).split(groups, groups, groups):
        w = fit(list(train))
        for q in test:
            scored, _, _, facts = per_q[q]
            hand.append(top5(scored, scored.fused, facts))
            learned.append(top5(scored, scored.features @ w, facts))
    print(f"cross-validated facts in top 5: hand fusion {np.mean(hand):.3f}, learned {np.mean(learned):.3f}")
    w = fit(list(range(len(per_q))))
    model = {
        "features": list(RANK_FEATURES),
        "weights": [round(float(v), 5) for v in w],
        "cv_facts_at_5": {"hand": round(float(np.mean(hand)), 4), "learned": round(float(np.mean(learned)), 4)},
        "trained_on": f"{args.qa} ({len(items)} answerable questions), {args.folds}-fold CV by question",
    }
    print(json.dumps(model, indent=2))
    if not args.dry_run:
        MODEL_PATH.write_text(json.dumps(model, indent=2) + "\n")
        print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
