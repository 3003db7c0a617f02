"""A report's example answers: evidence tables from `by_paper` rows and the 'not covered' answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag.evals.examples import disagreements, evidence_rows, not_covered
from rag.evals.metrics import aggregate, score_question
from rag.evals.report import write_report

BY_PAPER = [
    {"work": "ng-2022", "sentences": [{"text": "Mistrust was described <b>among</b> the clinicians."}],
     "citations": [1], "addressed": True},
    {"work": "walsh-2023", "sentences": ["Trust cannot be commanded or willed."], "citations": [{"n": 2}]},
    {"work": "waring-2023", "sentences": [], "citations": [], "addressed": False},
]  # fmt: skip
MULTI = {
    "id": "s001", "question": "What do the papers say about trust?", "type": "multi_doc", "answerable": True,
    "key_points": ["mistrust"], "evidence": [{"doc": "ng.txt", "quote": "Mistrust was described among the clinicians"}],
}  # fmt: skip
UNANSWERABLE = {"id": "s062", "question": "Did readmissions fall?", "type": "unanswerable", "answerable": False}


def _answer(text: str, **extra: Any) -> dict[str, Any]:
    return {"answer": text, "abstained": False, "citations": [], "retrieved": [], "sentences": [], **extra}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The papers do not report on mortality. The nearest evidence is ...",
            "The papers do not report on mortality.",
        ),
        ("The papers don't mention dentists.", "The papers don't mention dentists."),
        ("None of the papers discuss Scotland.", "None of the papers discuss Scotland."),
        ("The papers never measure readmissions", "The papers never measure readmissions"),
        ("The papers don't say.", ""),  # a plain refusal names nothing
        (
            "The papers don't say. None of the indexed passages answers this question (the papers never mention "
            "Northern, Ireland); the closest passages are listed as related.",
            "the papers never mention Northern, Ireland",
        ),
        ("Leaders said the papers mention trust. The papers don't cover pay.", "The papers don't cover pay."),
        ("The papers report that trust matters.", ""),
        ("", ""),
    ],
)
def test_not_covered_reads_the_answers_statement(text: str, expected: str) -> None:
    assert not_covered({"answer": text}) == expected


def test_not_covered_prefers_the_answers_own_field() -> None:
    assert not_covered({"answer": "Anything.", "not_covered": ["mortality", "dentists"]}) == "mortality; dentists"
    assert not_covered({"answer": "Anything.", "not_covered": "mortality"}) == "mortality"


def test_evidence_rows_take_strings_or_dicts_and_default_addressed() -> None:
    assert evidence_rows({"by_paper": BY_PAPER}) == (
        {"work": "ng-2022", "sentences": ["Mistrust was described <b>among</b> the clinicians."],
         "citations": ["1"], "addressed": True},
        {"work": "walsh-2023", "sentences": ["Trust cannot be commanded or willed."], "citations": ["2"],
         "addressed": True},
        {"work": "waring-2023", "sentences": [], "citations": [], "addressed": False},
    )  # fmt: skip
    assert evidence_rows({}) == () == evidence_rows({"by_paper": None})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ()),
        ("Waring gives 24 leaders in the abstract, 25 in the methods.", ("Waring gives 24 leaders in the abstract, "
                                                                          "25 in the methods.",)),
        (["a", {"text": "b"}, " "], ("a", "b")),
    ],
)  # fmt: skip
def test_disagreements_as_lines(value: Any, expected: tuple[str, ...]) -> None:
    assert disagreements({"disagreements": value}) == expected


def test_report_shows_the_evidence_table_and_not_covered_answers(tmp_path: Path) -> None:
    table_answer = _answer("Ng found mistrust [1].", by_paper=BY_PAPER, disagreements=["24 or 25 <leaders>"])
    scores = [
        score_question(table_answer, MULTI),
        score_question(_answer("The papers do not report on readmissions.", abstained=True), UNANSWERABLE),
        score_question(_answer("The papers do not mention trust at all."), MULTI | {"id": "s002"}),
    ]
    metrics = aggregate(scores)
    keys = ("evidence_tables", "not_covered_answerable", "not_covered_unanswerable")
    assert [metrics["counts"][k] for k in keys] == [1, 1, 1]
    write_report(tmp_path, metrics, scores, {"run": "t"})
    md = (tmp_path / "report.md").read_text().splitlines()
    assert "## Evidence tables" in md and "## Not covered" in md
    assert "| walsh-2023 | yes | Trust cannot be commanded or willed. | [2] |" in md
    assert "| waring-2023 | no | not addressed |  |" in md
    assert "- disagreement: 24 or 25 <leaders>" in md
    covered = [line for line in md if line.startswith("- s0")]
    assert covered == [
        "- s002 (multi_doc; wrong: the papers answer it (1 gold fact(s))): Q: What do the papers say about trust? "
        "A: The papers do not mention trust at all.",
        "- s062 (unanswerable; right: the papers do not answer it): Q: Did readmissions fall? "
        "A: The papers do not report on readmissions.",
    ]
    page = (tmp_path / "report.html").read_text()
    assert "<td>Mistrust was described &lt;b&gt;among&lt;/b&gt; the clinicians.</td>" in page
    assert "disagreement: 24 or 25 &lt;leaders&gt;" in page


def test_report_without_tables_or_not_covered_answers_has_neither_section(tmp_path: Path) -> None:
    scores = [score_question(_answer("Mistrust was described among the clinicians [1]."), MULTI)]
    write_report(tmp_path, aggregate(scores), scores, {"run": "t"})
    md = (tmp_path / "report.md").read_text()
    assert "## Evidence tables" not in md and "## Not covered" not in md
    assert "<h2>Evidence tables</h2>" not in (tmp_path / "report.html").read_text()
