"""The fourth evaluation file (written blind: from the papers alone, without running the assistant): sound against
the corpus, and new questions, not those of the dev set or the second and third files again."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rag.evals.qa_check import check_qa, overlapping_questions
from rag.evals.runner import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
FOURTH = read_jsonl(ROOT / "evals" / "fourth_qa.jsonl", "QA")
EARLIER = (
    read_jsonl(ROOT / "evals" / "dev_qa.jsonl", "QA")
    + read_jsonl(ROOT / "evals" / "second_qa.jsonl", "QA")
    + read_jsonl(ROOT / "evals" / "third_qa.jsonl", "QA")
)


def test_every_quote_is_an_exact_substring_of_its_file_and_rows_are_well_formed() -> None:
    assert check_qa(FOURTH, ROOT / "corpus") == []


def test_ids_are_unique_and_new_and_no_question_repeats_an_earlier_one() -> None:
    ids = [str(i["id"]) for i in FOURTH]
    assert len(ids) == len(set(ids)) == 40
    assert ids[0] == "f001" and ids[-1] == "f040"
    assert set(ids).isdisjoint(str(i["id"]) for i in EARLIER)
    assert overlapping_questions(FOURTH, EARLIER) == []


def test_type_mix_and_unanswerable_rows_carry_no_evidence() -> None:
    assert Counter(str(i["type"]) for i in FOURTH) == {
        "multi_doc": 10, "list": 7, "factoid": 7, "numeric": 4, "methods": 3, "unanswerable": 5,
        "definition": 2, "comparison": 2,
    }  # fmt: skip
    assert all(not i["evidence"] and i["answerable"] is False for i in FOURTH if i["type"] == "unanswerable")
    assert sum(1 for i in FOURTH if i["answerable"] is True) == 35


def test_every_across_papers_question_quotes_at_least_two_papers() -> None:
    def work(doc: str) -> str:
        return doc.split("-sharing-")[0] if doc.startswith("aufegger") else doc

    for item in FOURTH:
        if item["type"] == "multi_doc":
            assert len({work(str(e["doc"])) for e in item["evidence"]}) >= 2, item["id"]
