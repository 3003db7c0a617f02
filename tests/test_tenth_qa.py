"""The tenth evaluation file (written blind, about the four starter papers): every row well formed, every quote an
exact substring of its corpus file that the matcher hits, and no question asked before."""

from __future__ import annotations

from collections import Counter

from tests.blind_qa import (
    DOCS,
    evidence_faults,
    key_point_faults,
    repeats,
    rows,
    rows_per_paper,
    schema_faults,
    unmatched_quotes,
)

TENTH = rows("tenth")
# The eighth and PDF files are about other papers, but `repeats` compares only ids and questions, so they are checked
# as well.
EARLIER = [
    item
    for name in ("dev", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "pdf")
    for item in rows(name)
]


def test_every_row_has_the_dev_schema() -> None:
    assert schema_faults(TENTH) == []


def test_key_points_are_short_and_found_in_the_gold_answer() -> None:
    assert [i["id"] for i in TENTH if not 14 <= len(str(i["answer"]).split()) <= 110] == []
    assert key_point_faults(TENTH) == []


def test_every_quote_is_an_exact_substring_of_its_corpus_file_and_the_matcher_hits_it() -> None:
    assert unmatched_quotes(TENTH) == []


def test_ids_are_k001_to_k036_and_no_question_repeats_an_earlier_one() -> None:
    assert [str(i["id"]) for i in TENTH] == [f"k{n:03d}" for n in range(1, 37)]
    assert repeats(TENTH, EARLIER) == []


def test_type_mix_evidence_and_every_paper_asked_about() -> None:
    assert Counter(str(i["type"]) for i in TENTH) == {
        "multi_doc": 7, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 2,
        "unanswerable": 4,
    }  # fmt: skip
    assert evidence_faults(TENTH) == []  # (and each question across the papers quotes two papers or more)
    assert {str(e["doc"]) for i in TENTH for e in i["evidence"]} == DOCS
    per_paper = rows_per_paper(TENTH)
    assert len(per_paper) == 4 and min(per_paper.values()) >= 11, per_paper
