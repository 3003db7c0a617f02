"""Checks shared by the question files written blind (tests/test_blind_files.py, tests/test_eighth_qa.py): each
returns what is wrong, so a test asserts it is nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from rag.evals.matching import normalise, passage_hits_quote
from rag.evals.qa_check import overlapping_questions
from rag.evals.runner import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIELDS = {"id", "question", "answer", "key_points", "evidence", "type", "difficulty", "answerable"}
DOCS = {
    "aufegger-2020-sharing-leadership.pdf.txt",
    "aufegger-2020-sharing-leadership.web.txt",
    "ng-2022-managers-clinicians-value-based-healthcare.txt",
    "walsh-2023-practice-of-collaborative-leadership.txt",
    "waring-2023-clinical-leaders-ics-governance.txt",
}
Row = dict[str, Any]


def rows(name: str) -> list[Row]:
    return read_jsonl(ROOT / "evals" / f"{name}_qa.jsonl", "QA")


@cache
def text(doc: str) -> str:
    return (CORPUS / doc).read_text(encoding="utf-8")


def work(doc: str) -> str:
    """The paper a file renders: both Aufegger files are one paper."""
    return doc.split("-sharing")[0] if doc.startswith("aufegger") else doc


def schema_faults(items: Sequence[Row]) -> list[str]:
    """The ids of rows not in the dev set's schema."""
    faults = []
    for item in items:
        points = item.get("key_points")
        good = (
            set(item) == FIELDS
            and isinstance(item["question"], str)
            and bool(item["question"].strip())
            and isinstance(item["answer"], str)
            and bool(item["answer"].strip())
            and isinstance(points, list)
            and 1 <= len(points) <= 5
            and all(isinstance(k, str) and k.strip() for k in points)
            and item["difficulty"] in {"easy", "medium", "hard"}
            and item["answerable"] is (item["type"] != "unanswerable")
            and all(set(e) == {"doc", "quote"} and e["doc"] in DOCS for e in item["evidence"])
        )
        if not good:
            faults.append(str(item.get("id")))
    return faults


def unmatched_quotes(items: Sequence[Row]) -> list[tuple[str, str]]:
    """(id, quote) for each quote that is not an exact substring of its file or that the matcher misses."""
    missing = []
    for item in items:
        for evidence in item["evidence"]:
            doc, quote = str(evidence["doc"]), str(evidence["quote"])
            if quote not in text(doc) or not passage_hits_quote(text(doc), quote):
                missing.append((str(item["id"]), quote[:60]))
    return missing


def repeats(items: Sequence[Row], earlier: Sequence[Row]) -> list[Any]:
    """Ids shared with the earlier files, and questions repeating (or nearly) an earlier one or another here."""
    shared = sorted({str(i["id"]) for i in items} & {str(i["id"]) for i in earlier})
    again = [pair for pair in overlapping_questions(items, items) if pair[0] != pair[1]]
    return [*shared, *overlapping_questions(items, earlier), *again]


def evidence_faults(items: Sequence[Row]) -> list[str]:
    """Ids of answerable rows without evidence, unanswerable rows with some (or without the dev set's key point),
    and questions across the papers not quoting 3 to 8 passages of two papers or more."""
    faults = []
    for item in items:
        quoted = item["evidence"]
        if item["answerable"] and not quoted:
            faults.append(str(item["id"]))
        if not item["answerable"] and (quoted or item["key_points"] != ["documents do not say"]):
            faults.append(str(item["id"]))
        if item["type"] == "multi_doc" and not (
            3 <= len(quoted) <= 8 and len({work(str(e["doc"])) for e in quoted}) >= 2
        ):
            faults.append(str(item["id"]))
    return faults


def key_point_faults(items: Sequence[Row]) -> list[tuple[str, str]]:
    """(id, key point) for each key point of an answerable row longer than six words or not in its gold answer."""
    return [
        (str(item["id"]), str(point))
        for item in items
        if item["answerable"]
        for point in item["key_points"]
        if len(str(point).split()) > 6 or normalise(str(point)) not in normalise(str(item["answer"]))
    ]


def rows_per_paper(items: Sequence[Row]) -> Counter[str]:
    """How many rows quote each paper (both Aufegger renderings are one paper)."""
    return Counter(w for item in items for w in {work(str(e["doc"])) for e in item["evidence"]})
