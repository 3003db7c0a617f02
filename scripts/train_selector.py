"""Train the extractive answerer's sentence scorer and calibrate its abstention threshold on a QA file.

A logistic regression over the features of `rag.answering.candidates` learns which retrieved sentences hold
gold evidence. The abstention threshold is set on the best sentence score so that at most `--max-refusal` of
answerable questions are refused. Both are checked by grouped cross-validation (by question) before the final
fit on all questions is written to rag/models/selector.json.
Usage: python scripts/train_selector.py [--qa evals/dev_qa.jsonl] [--folds 5] [--shuffles 6] [--C 0.3] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold

from rag.answering import FEATURES, candidates
from rag.evals.matching import passage_hits_quote
from rag.evals.metrics import key_point_found
from rag.evals.report import format_metric
from rag.text import normalise

MODEL_PATH = Path("rag/models/selector.json")


HELD_OUT = ("key_point_recall", "evidence_coverage", "answer_words_p50", "abstention_accuracy", "false_refusal_rate")
UNTRAINED = {"weights": [0.0] * len(FEATURES)}  # features only; scores come later


def sentence_is_evidence(sentence: str, quotes: list[str]) -> bool:
    s = normalise(sentence)
    return any(s and (s in normalise(q) or passage_hits_quote(sentence, q)) for q in quotes)


def collect(assistant, items, label_key_points: bool = False):
    chain = assistant.chain
    rows, labels, groups, best_rows = [], [], [], []
    for qi, item in enumerate(items):
        hits = assistant.retriever.search(item["question"])
        _, vector = assistant.retriever.embed_query(item["question"])
        # scored as the answer chain scores them: the question's own words, without the names that chose a paper
        text = assistant.retriever.scoring_text(item["question"])
        pool = candidates(text, vector, hits, assistant.index, chain.idf, UNTRAINED)
        quotes = [e["quote"] for e in item["evidence"]]
        feats = [c.features for c in pool]
        rows.extend(feats)
        points = item.get("key_points") or []
        labels.extend(
            sentence_is_evidence(c.text, quotes)
            or (label_key_points and any(key_point_found(k, c.text) for k in points))
            for c in pool
        )
        groups.extend([qi] * len(pool))
        best_rows.append((qi, item["answerable"], np.asarray(feats) if feats else np.zeros((0, len(FEATURES)))))
    return np.asarray(rows), np.asarray(labels), np.asarray(groups), best_rows


def fit(x, y, c: float) -> np.ndarray:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=1000, fit_intercept=False)
    model.fit(x, y)
    return model.coef_[0]


def threshold_for(ranked, max_refusal: float, questions=None) -> float:
    """The abstention threshold on a question's best sentence score, from (question, answerable, score) rows.

    It refuses at most `max_refusal` of the answerable questions, and sits half-way between the lowest
    answerable score it lets through and the highest unanswerable score below that (the widest margin on
    both sides), not right under the answerable one, so a new answerable question a little weaker than
    every training question is not refused. Only `questions` count, when given (a cross-validation fold)."""
    rows = [(a, s) for q, a, s in ranked if questions is None or q in questions]
    answerable = np.sort([s for a, s in rows if a])
    allowed = int(np.floor(max_refusal * len(answerable)))
    lowest = float(answerable[min(allowed, len(answerable) - 1)])
    below = [s for a, s in rows if not a and s < lowest]
    return (lowest + max(below)) / 2 if below else lowest - 1e-6


def not_covered_threshold(ranked, flagged, questions=None) -> float | None:
    """The best-score threshold under which a question holding a word no paper uses (see
    AnswerChain.not_covered) is refused: half-way between the strongest unanswerable and the weakest answerable
    such question (only `questions` count, when given); None when the training questions hold no such pair."""
    rows = [(a, s) for q, a, s in ranked if flagged[q] and (questions is None or q in questions)]
    answerable = [s for a, s in rows if a]
    unanswerable = [s for a, s in rows if not a and (not answerable or s < min(answerable))]
    if not answerable or not unanswerable:
        return None
    return (min(answerable) + max(unanswerable)) / 2


def best_scores(weights, best_rows):
    return [(qi, ans, float((f @ weights).max()) if len(f) else -np.inf) for qi, ans, f in best_rows]


def model_dict(
    weights: np.ndarray, threshold: float, selection: dict[str, float], trained_on: str, covered: float | None = None
) -> dict[str, object]:
    return {
        "features": list(FEATURES),
        "weights": [round(float(v), 5) for v in weights],
        "abstain_threshold": round(threshold, 5),
        **({"not_covered_threshold": round(covered, 5)} if covered is not None else {}),
        **selection,
        "trained_on": trained_on,
    }


def held_out_answers(
    assistant, items, x, y, groups, best_rows, folds, max_refusal: float, selection, c: float, flagged
):
    """Answer each question with a selector trained without its fold; return the run's metrics. `folds`: the
    (train, test) question indices of each fold."""
    from rag.evals.metrics import aggregate, score_question

    chain = assistant.chain
    scores = []
    for train_q, test_q in folds:
        train, trained_on = np.isin(groups, train_q), set(train_q)
        w = fit(x[train], y[train], c)
        ranked = best_scores(w, best_rows)
        thr = threshold_for(ranked, max_refusal, trained_on)
        covered = not_covered_threshold(ranked, flagged, trained_on)
        chain.selector = model_dict(w, thr, selection, "cross-validation fold", covered)
        for q in test_q:
            item = items[q]
            answer = chain.ask(item["question"], qid=item["id"]).to_dict()
            scores.append(score_question(answer, item, chain._similarity))
    chain.selector = None
    return aggregate(scores)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--qa", type=Path, default=Path("evals/dev_qa.jsonl"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-refusal", type=float, default=0.0, help="share of answerable questions the score "
                        "threshold may refuse (the typed checks do most abstaining; a false refusal is costly)")
    parser.add_argument("--keep-margin", type=float, default=4.0, help="sentences this far below the best may join "
                        "(measured, 5-fold: evidence coverage 0.631 at 3, 0.654 at 4 and at 6; key points 0.534 at all "
                        "three)")
    parser.add_argument("--redundancy-penalty", type=float, default=2.0,
                        help="score lost per unit of cosine to a sentence already chosen (maximal marginal relevance)")
    parser.add_argument("--new-passage-bonus", type=float, default=0.5,
                        help="score a sentence gains when its passage is not cited yet")
    parser.add_argument("--label-key-points", action="store_true",
                        help="also count a sentence holding a gold key point as a positive example (measured with "
                        "--shuffles 6: evidence coverage 0.645 -> 0.658, key points 0.575 -> 0.544, abstention "
                        "0.900 -> 0.850; so off by default)")
    parser.add_argument("-C", "--C", type=float, default=0.3, dest="C",
                        help="inverse regularisation strength of the logistic regression (measured with --shuffles 6: "
                        "mean key points 0.573 at 0.1, 0.575 at 0.3, 0.567 at 1)")
    parser.add_argument("--shuffles", type=int, default=0, help="also answer over this many shuffled splits into "
                        "--folds folds and print the mean and range (one split's figure moves by about 0.02)")
    parser.add_argument("--adapted", action="store_true", help="train on an index `rag adapt` made (set RAG_INDEX_DIR) "
                        "and write rag/models/selector_adapted.json, judging evidence by the packaged selector's gate")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    from rag.assistant import Assistant
    from rag.settings import load_settings

    items = [json.loads(line) for line in args.qa.read_text().splitlines() if line.strip()]
    assistant = Assistant(load_settings())
    adapted_id = assistant.index.manifest.adapted
    if args.adapted != bool(adapted_id):
        raise SystemExit("--adapted needs an index made by `rag adapt` (RAG_INDEX_DIR); only such an index needs it")
    selection = {
        "keep_margin": args.keep_margin,
        "redundancy_penalty": args.redundancy_penalty,
        "new_passage_bonus": args.new_passage_bonus,
    }
    x, y, groups, best_rows = collect(assistant, items, args.label_key_points)
    flagged = [bool(assistant.chain.not_covered(item["question"])) for item in items]
    print(f"{len(items)} questions, {len(y)} candidate sentences, {int(y.sum())} hold gold evidence")

    # Folds over questions, not rows, so a question without candidate sentences is answered too, exactly once.
    questions = np.arange(len(items))

    def held_out(folds):
        return held_out_answers(
            assistant, items, x, y, groups, best_rows, folds, args.max_refusal, selection, args.C, flagged
        )

    if args.shuffles:
        splits = [KFold(args.folds, shuffle=True, random_state=seed) for seed in range(args.shuffles)]
        runs = [held_out(split.split(questions)) for split in splits]
        print(f"held-out answers over {args.shuffles} shuffled {args.folds}-fold splits: mean (lowest-highest)")
        for name in HELD_OUT:
            values = [float(run[name]) for run in runs]
            low, high = format_metric(min(values), name), format_metric(max(values), name)
            print(f"  {name:22s} {format_metric(float(np.mean(values)), name)} ({low}-{high})")
    held_out = held_out(GroupKFold(n_splits=args.folds).split(questions, groups=questions))
    print(f"held-out answers ({args.folds}-fold cross-validation by question):")
    for name in HELD_OUT:
        print(f"  {name:22s} {format_metric(float(held_out[name]), name)}")
    for kind, row in sorted(held_out.get("by_type", {}).items()):
        kp = row.get("key_point_recall")
        print(f"  key points, {kind:12s} {kp:.3f}" if kp is not None else f"  key points, {kind:12s} -")

    w = fit(x, y, args.C)
    ranked = best_scores(w, best_rows)
    thr = threshold_for(ranked, args.max_refusal)
    trained_on = f"{args.qa} ({len(items)} questions), logistic regression C={args.C}, {args.folds}-fold CV by question"
    model = model_dict(w, thr, selection, trained_on, not_covered_threshold(ranked, flagged))
    out = MODEL_PATH
    if args.adapted:
        # Its own thresholds, calibrated on one adapted model, refused answerable questions on papers another adapted
        # model embedded (fourth file 2 of 35, fifth 3 of 32); the packaged selector's held (rag.answering.gate_of).
        packaged = json.loads(MODEL_PATH.read_text())
        model["gate"] = {k: packaged[k] for k in ("weights", "abstain_threshold", "not_covered_threshold")}
        model["trained_on"] += f", features of the starter corpus's index after `rag adapt` (model {adapted_id})"
        out = MODEL_PATH.with_name("selector_adapted.json")
    print(json.dumps(model, indent=2))
    if not args.dry_run:
        out.write_text(json.dumps(model, indent=2) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
