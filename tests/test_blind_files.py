"""The question files written blind about the four starter papers (evals/SIXTH_QA.md, SEVENTH_QA.md, NINTH_QA.md,
TENTH_QA.md, ELEVENTH_QA.md, TWELFTH_QA.md, THIRTEENTH_QA.md, FOURTEENTH_QA.md, FIFTEENTH_QA.md, SIXTEENTH_QA.md,
SEVENTEENTH_QA.md, EIGHTEENTH_QA.md, NINETEENTH_QA.md, TWENTIETH_QA.md, TWENTYFIRST_QA.md, TWENTYSECOND_QA.md,
TWENTYTHIRD_QA.md): every row well formed, every quote an exact substring of its corpus file that the matcher hits, no
question asked before, and the mix of question types and papers each file's note describes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

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


@dataclass(frozen=True)
class Blind:
    prefix: str  # of its ids, numbered from 001
    mix: dict[str, int]  # rows by type
    earlier: tuple[str, ...]  # files written before it (the eighth and PDF files are about other papers, but
    # `repeats` compares only ids and questions, so they are checked as well)
    rows_per_paper: int = 0  # at least this many rows quote each paper
    key_points: bool = True  # key points of at most six words, found in the gold answer
    answer_words: tuple[int, int] | None = None  # the gold answers' lengths


BEFORE_SIXTH = ("dev", "second", "third", "fourth", "fifth", "pdf")
FILES = {
    "sixth": Blind(
        "x",
        {"multi_doc": 9, "list": 8, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 3,
         "unanswerable": 4},
        BEFORE_SIXTH,
        key_points=False,  # (its key points paraphrase the answer: "STP C: 5 hours")
    ),
    "seventh": Blind(
        "v",
        {"multi_doc": 9, "list": 8, "factoid": 7, "methods": 3, "definition": 3, "comparison": 2, "numeric": 3,
         "unanswerable": 5},
        (*BEFORE_SIXTH, "sixth"),
        rows_per_paper=8,
    ),
    "ninth": Blind(
        "n",
        {"multi_doc": 7, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 2,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth"),
        rows_per_paper=12,
        answer_words=(14, 110),
    ),
    "tenth": Blind(
        "k",
        {"multi_doc": 7, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 2,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth"),
        rows_per_paper=11,
        answer_words=(14, 110),
    ),
    "eleventh": Blind(
        "m",
        {"multi_doc": 7, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 2,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth"),
        rows_per_paper=11,
        answer_words=(14, 110),
    ),
    "twelfth": Blind(
        "w",
        {"multi_doc": 7, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 2,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh"),
        rows_per_paper=11,
        answer_words=(14, 110),
    ),
    "thirteenth": Blind(
        "h",
        {"multi_doc": 9, "list": 7, "factoid": 5, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "fourteenth": Blind(
        "j",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "fifteenth": Blind(
        "u",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "sixteenth": Blind(
        "c",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth", "fifteenth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "seventeenth": Blind(
        "r",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth", "fifteenth", "sixteenth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "eighteenth": Blind(
        "y",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth", "fifteenth", "sixteenth", "seventeenth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "nineteenth": Blind(
        "z",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "twentieth": Blind(
        "b",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "twentyfirst": Blind(
        "a",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "twentysecond": Blind(
        "i",
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
         "twentyfirst"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
    "twentythird": Blind(
        "l",  # (not "d": the dev file already numbers d005 ... d110)
        {"multi_doc": 8, "list": 7, "factoid": 6, "methods": 4, "definition": 3, "comparison": 3, "numeric": 1,
         "unanswerable": 4},
        (*BEFORE_SIXTH, "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
         "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
         "twentyfirst", "twentysecond"),
        rows_per_paper=11,
        answer_words=(40, 110),
    ),
}  # fmt: skip
NAMES = sorted(FILES)


@pytest.mark.parametrize("name", NAMES)
def test_every_row_has_the_dev_schema(name: str) -> None:
    assert schema_faults(rows(name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_key_points_are_short_and_found_in_the_gold_answer(name: str) -> None:
    spec, items = FILES[name], rows(name)
    if spec.key_points:
        assert key_point_faults(items) == []
    if spec.answer_words:
        least, most = spec.answer_words
        assert [i["id"] for i in items if not least <= len(str(i["answer"]).split()) <= most] == []


@pytest.mark.parametrize("name", NAMES)
def test_every_quote_is_an_exact_substring_of_its_corpus_file_and_the_matcher_hits_it(name: str) -> None:
    assert unmatched_quotes(rows(name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_ids_are_numbered_and_no_question_repeats_an_earlier_one(name: str) -> None:
    spec, items = FILES[name], rows(name)
    assert [str(i["id"]) for i in items] == [f"{spec.prefix}{n:03d}" for n in range(1, len(items) + 1)]
    assert repeats(items, [item for earlier in spec.earlier for item in rows(earlier)]) == []


@pytest.mark.parametrize("name", NAMES)
def test_type_mix_evidence_and_every_paper_asked_about(name: str) -> None:
    spec, items = FILES[name], rows(name)
    assert Counter(str(i["type"]) for i in items) == spec.mix
    assert evidence_faults(items) == []  # (and each question across the papers quotes two papers or more)
    assert {str(e["doc"]) for i in items for e in i["evidence"]} == DOCS
    per_paper = rows_per_paper(items)
    assert len(per_paper) == 4 and min(per_paper.values()) >= spec.rows_per_paper, per_paper
