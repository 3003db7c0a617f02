"""Retrieval scores within a character budget: what `rag search` shows, up to 5,000 characters in rank order."""

from __future__ import annotations

import pytest

from rag.evals.matching import passage_hits_quote
from rag.evals.metrics import aggregate, score_question
from rag.evals.retrieval_scores import CHAR_BUDGET, IndexedPassages, retrieval_scores, within_budget

FACT_A = "All 25 clinical leaders participated in semi-structured interviews"
FACT_B = "Twenty participants were interviewed (age range: 35-50 years)"
FILLER = "Leaders met often and talked about shared goals across the system. "


@pytest.mark.parametrize(
    ("texts", "budget", "expected"),
    [
        (["abcd", "efgh"], 10, ["abcd", "efgh"]),
        (["abcd", "efgh"], 6, ["abcd", "ef"]),
        (["abcd", "efgh"], 4, ["abcd"]),
        (["abcdef", "gh"], 3, ["abc"]),
        ([], 5, []),
    ],
)
def test_within_budget_cuts_the_result_that_passes_it(texts: list[str], budget: int, expected: list[str]) -> None:
    assert within_budget(texts, budget) == expected


def _hit(rank: int, text: str) -> dict[str, object]:
    return {"rank": rank, "chunk_id": f"c{rank}", "text": text}


def test_budget_counts_what_fits_whatever_the_number_of_results() -> None:
    facts = [(FACT_A,), (FACT_B,)]
    long_filler = FILLER * (CHAR_BUDGET // len(FILLER))  # just under 5,000 characters: FACT_A only partly fits
    retrieved = [_hit(2, long_filler + FACT_A), _hit(1, FACT_B)]  # listed out of rank order on purpose
    scores = retrieval_scores(facts, retrieved)
    assert scores["recall_at"][1] == 0.5 and scores["recall_at"][5] == 1.0
    assert (scores["recall_budget"], scores["hit_budget"]) == (0.5, 1.0)
    many_small = [_hit(n, f"passage {n}. ") for n in range(1, 8)] + [_hit(8, FACT_A)]
    scores = retrieval_scores(facts, many_small)  # eight results are within 5,000 characters: all count
    assert (scores["recall_at"][5], scores["recall_budget"], scores["hit_budget"]) == (0.0, 0.5, 1.0)


def test_no_facts_no_retrieval_scores() -> None:
    assert retrieval_scores([], [_hit(1, FACT_A)]) == {}


def test_run_and_each_type_report_the_budget_measures() -> None:
    item = {
        "id": "s1", "question": "How many leaders were interviewed?", "type": "numeric", "answerable": True,
        "key_points": ["25"], "evidence": [{"doc": "w.txt", "quote": FACT_A}, {"doc": "a.txt", "quote": FACT_B}],
    }  # fmt: skip
    answer = {"answer": "The papers don't say.", "abstained": True, "retrieved": [_hit(1, FACT_A)], "citations": []}
    score = score_question(answer, item)
    assert (score.recall_budget, score.hit_budget) == (0.5, 1.0)
    assert "gold evidence in the first 5,000 characters: 1 of 2 facts" not in score.failures  # a refusal says only that
    metrics = aggregate([score])
    assert (metrics["retrieval_recall@5000c"], metrics["retrieval_hit@5000c"]) == (0.5, 1.0)
    assert metrics["by_type"]["numeric"]["retrieval_recall@5000c"] == 0.5


LONG = (
    "Potential participants were identified between October 2019 and November 2019 and were sent an initial "
    "invitation. Written consent was obtained to participate in the interview."
)


@pytest.mark.parametrize(
    ("passage", "held"),
    [
        (f"Methods. {LONG} More text follows here.", True),  # contains the quote
        (f"Intro. {LONG[: int(len(LONG) * 0.85)]} Other words.", True),  # 85% of it as one run
        (f"Intro. {LONG[: int(len(LONG) * 0.7)]} Other words.", False),  # only 70%
        (LONG[40:70], True),  # the quote holds the whole passage
        ("Something else entirely about trust and time.", False),
        ("", False),
    ],
)
def test_indexed_passages_follow_the_hit_rule(passage: str, held: bool) -> None:
    assert IndexedPassages.of([passage]).holds((LONG,)) is held
    assert passage_hits_quote(passage, LONG) is held  # the same rule, without the prefilter


def test_unindexed_facts_are_counted_and_named() -> None:
    item = {
        "id": "s2", "question": "How were participants invited?", "type": "methods", "answerable": True,
        "key_points": ["October 2019"],
        "evidence": [{"doc": "n.txt", "quote": LONG}, {"doc": "w.txt", "quote": FACT_A}],
    }  # fmt: skip
    answer = {"answer": "They were invited [1].", "abstained": False, "retrieved": [_hit(1, FACT_A)], "citations": []}
    indexed = IndexedPassages.of([FACT_A, FILLER])
    score = score_question(answer, item, indexed=indexed)
    assert score.unindexed_facts == 1
    assert "gold evidence in no indexed passage: 1 of 2 facts" in score.failures
    assert aggregate([score])["evidence_indexed"] == 0.5
    assert score_question(answer, item).unindexed_facts is None  # the index is not known: not measured
    assert aggregate([score_question(answer, item)])["evidence_indexed"] is None
