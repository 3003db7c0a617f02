"""The seventh evaluation file (written blind, about the four starter papers): every row well formed, every quote an
exact substring of its corpus file that the matcher hits, and no question asked before."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from rag.evals.matching import normalise, passage_hits_quote
from rag.evals.qa_check import overlapping_questions
from rag.evals.runner import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEVENTH = read_jsonl(ROOT / "evals" / "seventh_qa.jsonl", "QA")
EARLIER = [
    item
    for name in ("dev", "second", "third", "fourth", "fifth", "sixth", "pdf")
    for item in read_jsonl(ROOT / "evals" / f"{name}_qa.jsonl", "QA")
]
FIELDS = {"id", "question", "answer", "key_points", "evidence", "type", "difficulty", "answerable"}
DOCS = {
    "aufegger-2020-sharing-leadership.pdf.txt",
    "aufegger-2020-sharing-leadership.web.txt",
    "ng-2022-managers-clinicians-value-based-healthcare.txt",
    "walsh-2023-practice-of-collaborative-leadership.txt",
    "waring-2023-clinical-leaders-ics-governance.txt",
}


@cache
def text(doc: str) -> str:
    return (CORPUS / doc).read_text(encoding="utf-8")


def work(doc: str) -> str:
    """The paper a file renders: both Aufegger files are one paper."""
    return doc.split("-sharing")[0] if doc.startswith("aufegger") else doc


def test_every_row_has_the_dev_schema() -> None:
    for item in SEVENTH:
        assert set(item) == FIELDS, item["id"]
        assert isinstance(item["question"], str) and item["question"].strip(), item["id"]
        assert isinstance(item["answer"], str) and item["answer"].strip(), item["id"]
        assert isinstance(item["key_points"], list) and 1 <= len(item["key_points"]) <= 5, item["id"]
        assert all(isinstance(k, str) and k.strip() for k in item["key_points"]), item["id"]
        assert item["difficulty"] in {"easy", "medium", "hard"}, item["id"]
        assert item["answerable"] is (item["type"] != "unanswerable"), item["id"]
        for evidence in item["evidence"]:
            assert set(evidence) == {"doc", "quote"} and evidence["doc"] in DOCS, item["id"]


def test_key_points_are_short_and_found_in_the_gold_answer() -> None:
    for item in SEVENTH:
        if not item["answerable"]:
            continue
        for point in item["key_points"]:
            assert len(str(point).split()) <= 6, (item["id"], point)
            assert normalise(str(point)) in normalise(str(item["answer"])), (item["id"], point)


def test_every_quote_is_an_exact_substring_of_its_corpus_file_and_the_matcher_hits_it() -> None:
    missing = []
    for item in SEVENTH:
        for evidence in item["evidence"]:
            doc, quote = str(evidence["doc"]), str(evidence["quote"])
            if quote not in text(doc) or not passage_hits_quote(text(doc), quote):
                missing.append((item["id"], quote[:60]))
    assert missing == []


def test_ids_are_v001_to_v040_and_no_question_repeats_an_earlier_one() -> None:
    ids = [str(i["id"]) for i in SEVENTH]
    assert ids == [f"v{n:03d}" for n in range(1, 41)]
    assert set(ids).isdisjoint(str(i["id"]) for i in EARLIER)
    assert overlapping_questions(SEVENTH, EARLIER) == []
    assert [pair for pair in overlapping_questions(SEVENTH, SEVENTH) if pair[0] != pair[1]] == []


def test_type_mix_unanswerable_rows_carry_no_evidence_and_every_paper_is_asked_about() -> None:
    assert Counter(str(i["type"]) for i in SEVENTH) == {
        "multi_doc": 9, "list": 8, "factoid": 7, "methods": 3, "definition": 3, "comparison": 2, "numeric": 3,
        "unanswerable": 5,
    }  # fmt: skip
    for item in SEVENTH:
        if item["answerable"]:
            assert item["evidence"], item["id"]
        else:
            assert item["evidence"] == [] and item["key_points"] == ["documents do not say"], item["id"]
    assert {str(e["doc"]) for i in SEVENTH for e in i["evidence"]} == DOCS
    rows_per_paper = Counter(w for i in SEVENTH for w in {work(str(e["doc"])) for e in i["evidence"]})
    assert len(rows_per_paper) == 4 and min(rows_per_paper.values()) >= 8, rows_per_paper


def test_every_across_papers_question_quotes_at_least_two_papers() -> None:
    for item in SEVENTH:
        if item["type"] == "multi_doc":
            assert 3 <= len(item["evidence"]) <= 8, item["id"]
            assert len({work(str(e["doc"])) for e in item["evidence"]}) >= 2, item["id"]
