"""The third evaluation file (written blind: from the papers alone, without running the assistant): sound against
the corpus, and new questions, not the dev set's or the second file's again."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rag.evals.qa_check import check_qa, overlapping_questions
from rag.evals.runner import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
THIRD = read_jsonl(ROOT / "evals" / "third_qa.jsonl", "QA")
EARLIER = read_jsonl(ROOT / "evals" / "dev_qa.jsonl", "QA") + read_jsonl(ROOT / "evals" / "second_qa.jsonl", "QA")


def test_every_quote_is_an_exact_substring_of_its_file_and_rows_are_well_formed() -> None:
    assert check_qa(THIRD, ROOT / "corpus") == []


def test_ids_are_unique_and_new_and_no_question_repeats_an_earlier_one() -> None:
    ids = [str(i["id"]) for i in THIRD]
    assert len(ids) == len(set(ids)) == 36
    assert set(ids).isdisjoint(str(i["id"]) for i in EARLIER)
    assert overlapping_questions(THIRD, EARLIER) == []


def test_type_mix_weights_the_types_that_generalise_worst() -> None:
    assert Counter(str(i["type"]) for i in THIRD) == {
        "multi_doc": 10, "list": 7, "factoid": 6, "numeric": 3, "methods": 3, "unanswerable": 3,
        "definition": 2, "comparison": 2,
    }  # fmt: skip
    assert all(not i["evidence"] for i in THIRD if i["type"] == "unanswerable")
