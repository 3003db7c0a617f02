"""The ninth evaluation file (written blind, about the four starter papers): every row well formed, every quote an
exact substring of its corpus file that the matcher hits, and no question asked before."""

from __future__ import annotations

from collections import Counter

from rag.evals.matching import normalise
from tests.blind_qa import DOCS, evidence_faults, repeats, rows, schema_faults, unmatched_quotes, work

NINTH = rows("ninth")
# The eighth file is about other papers, but `repeats` compares only ids and questions, so it is checked as well.
EARLIER = [
    item
    for name in ("dev", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "pdf")
    for item in rows(name)
]


def test_every_row_has_the_dev_schema() -> None:
    assert schema_faults(NINTH) == []


def test_key_points_are_short_and_found_in_the_gold_answer() -> None:
    for item in NINTH:
        assert 14 <= len(str(item["answer"]).split()) <= 110, item["id"]
        if not item["answerable"]:
            continue
        for point in item["key_points"]:
            assert len(str(point).split()) <= 6, (item["id"], point)
            assert normalise(str(point)) in normalise(str(item["answer"])), (item["id"], point)


def test_every_quote_is_an_exact_substring_of_its_corpus_file_and_the_matcher_hits_it() -> None:
    assert unmatched_quotes(NINTH) == []


def test_ids_are_n001_to_n036_and_no_question_repeats_an_earlier_one() -> None:
    assert [str(i["id"]) for i in NINTH] == [f"n{n:03d}" for n in range(1, 37)]
    assert repeats(NINTH, EARLIER) == []


def test_type_mix_evidence_and_every_paper_asked_about() -> None:
    assert Counter(str(i["type"]) for i in NINTH) == {
        "multi_doc": 7, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 2,
        "unanswerable": 4,
    }  # fmt: skip
    assert evidence_faults(NINTH) == []  # (and each question across the papers quotes two papers or more)
    assert {str(e["doc"]) for i in NINTH for e in i["evidence"]} == DOCS
    rows_per_paper = Counter(w for i in NINTH for w in {work(str(e["doc"])) for e in i["evidence"]})
    assert len(rows_per_paper) == 4 and min(rows_per_paper.values()) >= 12, rows_per_paper
