"""The seventh evaluation file (written blind, about the four starter papers): every row well formed, every quote an
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

SEVENTH = rows("seventh")
EARLIER = [item for name in ("dev", "second", "third", "fourth", "fifth", "sixth", "pdf") for item in rows(name)]


def test_every_row_has_the_dev_schema() -> None:
    assert schema_faults(SEVENTH) == []


def test_key_points_are_short_and_found_in_the_gold_answer() -> None:
    assert key_point_faults(SEVENTH) == []


def test_every_quote_is_an_exact_substring_of_its_corpus_file_and_the_matcher_hits_it() -> None:
    assert unmatched_quotes(SEVENTH) == []


def test_ids_are_v001_to_v040_and_no_question_repeats_an_earlier_one() -> None:
    assert [str(i["id"]) for i in SEVENTH] == [f"v{n:03d}" for n in range(1, 41)]
    assert repeats(SEVENTH, EARLIER) == []


def test_type_mix_evidence_and_every_paper_asked_about() -> None:
    assert Counter(str(i["type"]) for i in SEVENTH) == {
        "multi_doc": 9, "list": 8, "factoid": 7, "methods": 3, "definition": 3, "comparison": 2, "numeric": 3,
        "unanswerable": 5,
    }  # fmt: skip
    assert evidence_faults(SEVENTH) == []  # (and each question across the papers quotes two papers or more)
    assert {str(e["doc"]) for i in SEVENTH for e in i["evidence"]} == DOCS
    per_paper = rows_per_paper(SEVENTH)
    assert len(per_paper) == 4 and min(per_paper.values()) >= 8, per_paper
