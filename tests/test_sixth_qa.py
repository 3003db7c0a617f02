"""The sixth evaluation file (written blind, about the four starter papers): every row well formed, every quote an
exact substring of its corpus file that the matcher hits, and no question asked before."""

from __future__ import annotations

from collections import Counter

from tests.blind_qa import DOCS, evidence_faults, repeats, rows, schema_faults, unmatched_quotes

SIXTH = rows("sixth")
EARLIER = [item for name in ("dev", "second", "third", "fourth", "fifth", "pdf") for item in rows(name)]


def test_every_row_has_the_dev_schema() -> None:
    assert schema_faults(SIXTH) == []


def test_every_quote_is_an_exact_substring_of_its_corpus_file_and_the_matcher_hits_it() -> None:
    assert unmatched_quotes(SIXTH) == []


def test_ids_are_x001_to_x040_and_no_question_repeats_an_earlier_one() -> None:
    assert [str(i["id"]) for i in SIXTH] == [f"x{n:03d}" for n in range(1, 41)]
    assert repeats(SIXTH, EARLIER) == []


def test_type_mix_evidence_and_every_paper_asked_about() -> None:
    assert Counter(str(i["type"]) for i in SIXTH) == {
        "multi_doc": 9, "list": 8, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 3,
        "unanswerable": 4,
    }  # fmt: skip
    assert evidence_faults(SIXTH) == []  # (and each question across the papers quotes two papers or more)
    assert {str(e["doc"]) for i in SIXTH for e in i["evidence"]} == DOCS
