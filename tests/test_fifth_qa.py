"""The fifth evaluation file (written blind, about the six real PDFs of tests/fixtures/pdfs): every row well formed,
every quote an exact substring of one page of its PDF as the reader extracts it, and no question asked before."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from rag.evals.matching import passage_hits_quote
from rag.evals.qa_check import overlapping_questions
from rag.evals.runner import read_jsonl
from rag.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
PDFS = ROOT / "tests" / "fixtures" / "pdfs"
FIFTH = read_jsonl(ROOT / "evals" / "fifth_qa.jsonl", "QA")
EARLIER = [
    item
    for name in ("dev", "second", "third", "fourth", "pdf")
    for item in read_jsonl(ROOT / "evals" / f"{name}_qa.jsonl", "QA")
]
FIELDS = {"id", "question", "answer", "key_points", "evidence", "type", "difficulty", "answerable"}
DOCS = {
    "agyemanduah-2014-quality-improvement-malawi.pdf",
    "dinu-2014-phrase-generation.pdf",
    "sheikhahmadi-2015-influential-nodes.pdf",
    "webb-2017-vespa-selective-pressure.pdf",
    "alce-gao-2023.pdf",
    "react-yao-2023.pdf",
}


@cache
def pages(doc: str) -> tuple[str, ...]:
    return tuple(page.text for page in read_source(PDFS / doc).pages)


def test_every_row_has_the_dev_schema() -> None:
    for item in FIFTH:
        assert set(item) == FIELDS, item["id"]
        assert isinstance(item["question"], str) and item["question"].strip(), item["id"]
        assert isinstance(item["answer"], str) and item["answer"].strip(), item["id"]
        assert isinstance(item["key_points"], list) and item["key_points"], item["id"]
        assert item["difficulty"] in {"easy", "medium", "hard"}, item["id"]
        assert item["answerable"] is (item["type"] != "unanswerable"), item["id"]
        for evidence in item["evidence"]:
            assert set(evidence) == {"doc", "quote"} and evidence["doc"] in DOCS, item["id"]


def test_every_quote_is_an_exact_substring_of_one_page_of_its_pdf_and_the_matcher_hits_it() -> None:
    missing = []
    for item in FIFTH:
        for evidence in item["evidence"]:
            texts = pages(str(evidence["doc"]))
            quote = str(evidence["quote"])
            if not any(quote in text for text in texts) or not any(passage_hits_quote(t, quote) for t in texts):
                missing.append((item["id"], quote[:60]))
    assert missing == []


def test_ids_are_e001_to_e040_and_no_question_repeats_an_earlier_one() -> None:
    ids = [str(i["id"]) for i in FIFTH]
    assert ids == [f"e{n:03d}" for n in range(1, 41)]
    assert set(ids).isdisjoint(str(i["id"]) for i in EARLIER)
    assert overlapping_questions(FIFTH, EARLIER) == []


def test_type_mix_unanswerable_rows_carry_no_evidence_and_every_pdf_is_asked_about() -> None:
    assert Counter(str(i["type"]) for i in FIFTH) == {
        "list": 7, "factoid": 5, "methods": 5, "definition": 4, "comparison": 4, "numeric": 5, "multi_doc": 2,
        "unanswerable": 8,
    }  # fmt: skip
    for item in FIFTH:
        if item["answerable"]:
            assert item["evidence"], item["id"]
        else:
            assert item["evidence"] == [] and item["key_points"] == ["documents do not say"], item["id"]
    assert {str(e["doc"]) for i in FIFTH for e in i["evidence"]} == DOCS


def test_every_across_papers_question_quotes_at_least_two_papers() -> None:
    for item in FIFTH:
        if item["type"] == "multi_doc":
            assert len({str(e["doc"]) for e in item["evidence"]}) >= 2, item["id"]
