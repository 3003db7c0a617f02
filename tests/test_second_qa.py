"""The second evaluation file: sound against the corpus, and new questions, not the dev set's again."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rag.evals.qa_check import check_qa, content_words, overlapping_questions
from rag.evals.runner import read_jsonl
from rag.text import normalise

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SECOND = read_jsonl(ROOT / "evals" / "second_qa.jsonl", "QA")
DEV = read_jsonl(ROOT / "evals" / "dev_qa.jsonl", "QA")


def test_every_quote_is_an_exact_substring_of_its_file_and_rows_are_well_formed() -> None:
    assert check_qa(SECOND, CORPUS) == []


def test_ids_are_unique_and_distinct_from_the_dev_ids() -> None:
    ids = [str(i["id"]) for i in SECOND]
    assert len(ids) == len(set(ids)) == 72
    assert set(ids).isdisjoint(str(i["id"]) for i in DEV)


def test_no_question_repeats_or_nearly_repeats_a_dev_question() -> None:
    assert overlapping_questions(SECOND, DEV) == []


def test_type_mix_weights_the_weak_types() -> None:
    types = Counter(str(i["type"]) for i in SECOND)
    assert types == {
        "multi_doc": 13, "list": 13, "factoid": 12, "unanswerable": 11,
        "numeric": 7, "methods": 6, "definition": 5, "comparison": 5,
    }  # fmt: skip
    multi_docs = [i for i in SECOND if i["type"] == "multi_doc"]
    works = [{str(e["doc"]).split("-")[0] for e in i["evidence"]} for i in multi_docs]
    assert min(len(w) for w in works) == 2  # every across-papers question quotes at least two papers


def test_both_aufegger_renderings_are_quoted_where_both_hold_the_fact() -> None:
    web, pdf = (CORPUS / f"aufegger-2020-sharing-leadership.{r}.txt" for r in ("web", "pdf"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in (web, pdf)}
    norm = {name: normalise(text) for name, text in texts.items()}
    for item in SECOND:
        for e in item["evidence"]:
            if e["doc"] in texts:
                other = pdf.name if e["doc"] == web.name else web.name
                if normalise(e["quote"]) in norm[other]:
                    quoted = {normalise(x["quote"]) for x in item["evidence"] if x["doc"] == other}
                    assert normalise(e["quote"]) in quoted, (item["id"], e["quote"][:50])


def _row(**over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "x1", "question": "Q?", "answer": "A.", "key_points": ["a"], "type": "factoid",
        "difficulty": "easy", "answerable": True,
        "evidence": [{"doc": "ng-2022-managers-clinicians-value-based-healthcare.txt",
                      "quote": "A thematic analysis was used to analyse the data."}],
    }  # fmt: skip
    return row | over


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([_row()], []),
        ([_row(), _row()], ["x1: id used again (first on line 1)"]),
        (
            [
                _row(
                    evidence=[
                        {
                            "doc": "ng-2022-managers-clinicians-value-based-healthcare.txt",
                            "quote": "A thematic  analysis was used",
                        }
                    ]
                )
            ],
            [
                "x1: quote is not an exact substring of ng-2022-managers-clinicians-value-based-healthcare.txt: "
                "'A thematic  analysis was used'"
            ],
        ),
        ([_row(evidence=[{"doc": "nope.txt", "quote": "x"}])], [f"x1: evidence file 'nope.txt' is not in {CORPUS}"]),
        (
            [_row(type="unanswerable")],
            ["x1: answerable must be false exactly when the type is 'unanswerable'"],
        ),
        ([_row(answerable=False, type="unanswerable")], ["x1: an unanswerable question carries no evidence"]),
        ([{"id": "x2"}], ["x2: missing field(s) question, answer, key_points, evidence, type, difficulty, answerable"]),
    ],
)
def test_check_qa_names_each_problem(rows: list[dict[str, Any]], expected: list[str]) -> None:
    assert check_qa(rows, CORPUS) == expected


def test_overlap_finds_equal_and_near_questions_only() -> None:
    ref = [{"id": "d1", "question": "How were the three STPs chosen for the study?"}]
    items = [
        {"id": "a", "question": "how were the three STPs chosen for the study"},  # equal once normalised
        {"id": "b", "question": "How were the three STPs chosen?"},  # same content words
        {"id": "c", "question": "Which theories guided the analysis?"},
    ]
    assert overlapping_questions(items, ref) == [("a", "d1"), ("b", "d1")]
    assert content_words("How were the three STPs chosen?") == {"three", "stps", "chosen"}
