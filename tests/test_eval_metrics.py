"""Per-question eval metrics on crafted answers, and their aggregation, with exact expected values."""

from __future__ import annotations

from typing import Any

import pytest

from rag.evals.judge_cases import AUFEGGER_WEB_ANALYSIS, WARING_SAMPLE
from rag.evals.metrics import (
    QuestionScore,
    aggregate,
    group_evidence,
    key_point_found,
    parse_markers,
    percentile,
    score_question,
)

PDF = "aufegger-2020-sharing-leadership.pdf.txt"
WEB = "aufegger-2020-sharing-leadership.web.txt"
PDF_INTERVIEW = (
    "Interview\nAudio-recorded, semistructured interviews were conducted that \naddressed "
    "(non-)clinical managers’ (A) experience in leadership \npositions, (B) their attitude towards SL "
    "in ICS, (C) barriers and \nenablers of working with (non-)clinical managers, and (D) the \nskills "
    "and behaviours they believe valuable for achieving SL in \nthe ICS (cf Questionnaire in online "
    "supplementary material)."
)
ITEM: dict[str, Any] = {
    "id": "q004",
    "question": "How did the Aufegger team collect and analyse their interview data?",
    "type": "methods",
    "difficulty": "easy",
    "answerable": True,
    "key_points": ["semistructured interviews", "transcribed by an external company", "thematic analysis"],
    "evidence": [
        {
            "doc": PDF,
            "quote": "Audio-recorded, semistructured interviews were conducted that \naddressed "
            "(non-)clinical managers’ (A) experience in leadership \npositions, (B) their attitude towards "
            "SL in ICS",
        },
        {
            "doc": WEB,
            "quote": "Audio-recorded, semistructured interviews were conducted that addressed (non-)clinical "
            "managers’ (A) experience in leadership positions, (B) their attitude towards SL in ICS",
        },
        {
            "doc": PDF,
            "quote": "The audio recordings were transcribed by an external company \nfor an agreed fee. A "
            "qualitative approach using thematic analysis \nwas used to interpret the results.",
        },
        {
            "doc": WEB,
            "quote": "The audio recordings were transcribed by an external company for an agreed fee. A "
            "qualitative approach using thematic analysis was used to interpret the results.",
        },
    ],
}
UNANSWERABLE: dict[str, Any] = {
    "id": "q080",
    "question": "Which ICS did Aufegger and colleagues recruit from?",
    "type": "unanswerable",
    "answerable": False,
    "key_points": ["documents do not say"],
    "evidence": [],
}
CHUNKS = {
    "c-other": (WARING_SAMPLE, "waring-2023-clinical-leaders-ics-governance.txt"),
    "c-web": (AUFEGGER_WEB_ANALYSIS, WEB),
    "c-pdf": (PDF_INTERVIEW, PDF),
}
INTERVIEWS = "Audio-recorded, semi-structured interviews were conducted"
TRANSCRIBED = "The recordings were transcribed by an external company for an agreed fee"


def _citation(n: int, chunk_id: str) -> dict[str, Any]:
    text, doc = CHUNKS.get(chunk_id, ("", PDF))
    return {
        "n": n,
        "chunk_id": chunk_id,
        "doc": doc,
        "work": doc.split(".")[0],
        "page": 3,
        "text": text,
        "quote": text[:40],
        "authors": ["Lisa Aufegger"],
        "year": 2020,
    }


def _answer(
    sentences: list[tuple[str, list[int]]],
    cites: dict[int, str],
    abstained: bool = False,
    total_ms: float = 100.0,
) -> dict[str, Any]:
    return {
        "id": "q004",
        "question": ITEM["question"],
        "answer": " ".join(f"{t} {''.join(f'[{n}]' for n in ns)}".strip() + "." for t, ns in sentences),
        "abstained": abstained,
        "citations": [_citation(n, c) for n, c in cites.items()],
        "retrieved": [
            {"rank": i, "chunk_id": cid, "doc": doc, "text": text, "score": 1.0 / i}
            for i, (cid, (text, doc)) in enumerate(CHUNKS.items(), start=1)
        ],
        "sentences": [
            {"text": f"{t} {''.join(f'[{n}]' for n in ns)}.", "citations": ns} for t, ns in sentences
        ],
        "backend": "extractive",
        "timings_ms": {"retrieve": total_ms / 10, "answer": total_ms * 0.9, "total": total_ms},
    }


GOOD = _answer([(INTERVIEWS, [1]), (TRANSCRIBED, [2])], {1: "c-pdf", 2: "c-web"}, total_ms=100)
FABRICATED = _answer([(INTERVIEWS, [1, 3]), (TRANSCRIBED, [2])], {1: "c-pdf", 2: "c-web"}, total_ms=200)
OVERCITED = _answer(
    [(INTERVIEWS, [1, 3]), ("They interviewed 34 managers", [2])], {1: "c-pdf", 2: "c-web", 3: "c-other"}
)
SWAPPED = _answer([(INTERVIEWS, [2]), (TRANSCRIBED, [1])], {1: "c-pdf", 2: "c-web"})
UNRETRIEVED = _answer([(INTERVIEWS, [1])], {1: "c-ghost"})
REFUSAL = {**_answer([("The papers do not say", [])], {}, abstained=True, total_ms=300), "citations": []}


def _abstain(abstained: bool, total_ms: float) -> dict[str, Any]:
    text = "The papers do not say which system" if abstained else "They recruited from North West London [1]"
    return {**_answer([(text, [])], {}, abstained=abstained, total_ms=total_ms), "id": "q080"}


def test_two_renderings_of_one_fact_group_together() -> None:
    facts = group_evidence(ITEM["evidence"])
    assert [len(f) for f in facts] == [2, 2]
    assert facts[0][0].startswith("Audio-recorded") and facts[1][1].startswith("The audio recordings")


def test_retrieval_counts_a_fact_once_whichever_rendering_is_hit() -> None:
    score = score_question(GOOD, ITEM)
    assert score.n_facts == 2
    assert dict(score.recall_at) == {1: 0.0, 3: 1.0, 5: 1.0, 10: 1.0}
    assert dict(score.hit_at) == {1: 0.0, 3: 1.0, 5: 1.0, 10: 1.0}
    assert score.reciprocal_rank == 0.5


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            GOOD,
            {"citation_validity": 1.0, "citation_recall": 1.0, "citation_precision": 1.0,
             "faithfulness": 1.0, "evidence_coverage": 1.0, "key_point_recall": 2 / 3},
        ),
        (
            FABRICATED,
            {"citation_validity": 0.8, "citation_recall": 1.0, "citation_precision": 2 / 3,
             "faithfulness": 1.0, "evidence_coverage": 1.0, "key_point_recall": 2 / 3},
        ),
        (
            OVERCITED,
            {"citation_validity": 1.0, "citation_recall": 0.5, "citation_precision": 1 / 3,
             "faithfulness": 0.5, "evidence_coverage": 1.0, "key_point_recall": 1 / 3},
        ),
        (
            SWAPPED,
            {"citation_validity": 1.0, "citation_recall": 0.0, "citation_precision": 0.0,
             "faithfulness": 1.0, "evidence_coverage": 1.0, "key_point_recall": 2 / 3},
        ),
        (
            UNRETRIEVED,
            {"citation_validity": 0.5, "citation_recall": 0.0, "citation_precision": 0.0,
             "faithfulness": 0.0, "evidence_coverage": 0.0, "key_point_recall": 1 / 3},
        ),
    ],
    ids=["good", "fabricated-marker", "overcited-and-unsupported", "swapped-citations", "unretrieved-chunk"],
)  # fmt: skip
def test_answer_metrics(answer: dict[str, Any], expected: dict[str, float]) -> None:
    score = score_question(answer, ITEM)
    assert {k: getattr(score, k) for k in expected} == pytest.approx(expected)


def test_failures_name_what_went_wrong() -> None:
    fabricated = score_question(FABRICATED, ITEM)
    assert fabricated.invalid_markers == (3,)
    assert fabricated.failures == ("markers without a citation: [3]", "missed key points: thematic analysis")
    overcited = score_question(OVERCITED, ITEM)
    assert overcited.unsupported_numbers == ("34",)
    assert overcited.unsupported_sentences == (
        "They interviewed 34 managers. (missing numbers: 34; content-word recall 0.00 < 0.75)",
    )
    assert score_question(UNRETRIEVED, ITEM).unretrieved_citations == ("c-ghost",)


@pytest.mark.parametrize(
    ("text", "recall", "precision"),
    [
        (f"{INTERVIEWS} [1][3]. {TRANSCRIBED} [2].", 1.0, 2 / 3),
        (f"{INTERVIEWS}. [1] {TRANSCRIBED}. [2]", 1.0, 1.0),
        (f"{INTERVIEWS} [2]. {TRANSCRIBED} [1].", 0.0, 0.0),
    ],
    ids=["markers-before-stop", "markers-after-stop", "swapped"],
)
def test_sentences_are_split_from_the_text_when_missing(text: str, recall: float, precision: float) -> None:
    score = score_question({**GOOD, "answer": text, "sentences": []}, ITEM)
    assert (score.citation_recall, score.citation_precision) == (recall, pytest.approx(precision))


def test_false_refusal_has_no_answer_metrics() -> None:
    score = score_question(REFUSAL, ITEM)
    assert (score.false_refusal, score.abstention_correct, score.quality) == (True, None, 0.0)
    assert (score.citation_recall, score.faithfulness, score.key_point_recall) == (None, None, None)
    assert score.failures == ("false refusal: abstained on an answerable question",)
    assert score.recall_at[3] == 1.0


@pytest.mark.parametrize(("abstained", "correct"), [(True, True), (False, False)])
def test_abstention_on_unanswerable(abstained: bool, correct: bool) -> None:
    score = score_question(_abstain(abstained, 100), UNANSWERABLE)
    assert (score.abstention_correct, score.false_refusal, score.citation_validity) == (correct, None, None)
    assert score.quality == float(correct)


def _run() -> list[QuestionScore]:
    return [
        score_question(GOOD, ITEM),
        score_question(FABRICATED, ITEM),
        score_question(REFUSAL, ITEM),
        score_question(_abstain(True, 400), UNANSWERABLE),
        score_question(_abstain(False, 500), UNANSWERABLE),
    ]


def test_aggregate_headline_metrics() -> None:
    metrics = aggregate(_run())
    expected = {
        "retrieval_recall@1": 0.0,
        "retrieval_recall@3": 1.0,
        "retrieval_recall@5": 1.0,
        "retrieval_hit@1": 0.0,
        "mrr": 0.5,
        "citation_validity": 0.9,
        "citation_recall": 1.0,
        "citation_precision": 5 / 6,
        "faithfulness": 1.0,
        "evidence_coverage": 1.0,
        "key_point_recall": 2 / 3,
        "abstention_accuracy": 0.5,
        "false_refusal_rate": 1 / 3,
        "latency_total_p50_ms": 300.0,
        "latency_total_p95_ms": 480.0,
        "latency_retrieve_p50_ms": 30.0,
    }
    assert {k: metrics[k] for k in expected} == pytest.approx(expected)
    assert metrics["counts"] == {
        "questions": 5,
        "answerable": 3,
        "answered": 2,
        "false_refusals": 1,
        "unanswerable": 2,
        "abstained_correctly": 1,
        "unsupported_sentences": 0,
        "unindexed_facts": 0,
        "evidence_tables": 0,
        "not_covered_answerable": 0,
        "not_covered_unanswerable": 0,
    }


def test_aggregate_by_type() -> None:
    by_type = aggregate(_run())["by_type"]
    assert sorted(by_type) == ["methods", "unanswerable"]
    assert by_type["methods"]["false_refusal_rate"] == pytest.approx(1 / 3)
    assert by_type["methods"]["abstention_accuracy"] is None
    assert by_type["unanswerable"]["abstention_accuracy"] == 0.5
    assert by_type["unanswerable"]["faithfulness"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A [1]. B [2, 3][4].", [1, 2, 3, 4]), ("C [2-4] and [1; 2].", [2, 3, 4, 1]), ("none", [])],
)
def test_parse_markers(text: str, expected: list[int]) -> None:
    assert parse_markers(text) == expected


@pytest.mark.parametrize(
    ("key_point", "answer", "found"),
    [
        ("semistructured interviews", "They ran semi-structured interviews [1].", True),
        ("Semi-structured interviews", "semistructured, audio-recorded interviews", True),
        ("transcribed by an external company", "An outside company transcribed them.", True),
        ("44 STPs", "forty-four sustainability and transformation partnerships (STPs)", True),
        ("natural career progression", "it was part of their career", False),
        ("thematic analysis", "They coded the data.", False),
    ],
)
def test_key_point_matching(key_point: str, answer: str, found: bool) -> None:
    assert key_point_found(key_point, answer) is found


@pytest.mark.parametrize(
    ("values", "q", "expected"), [([100.0, 200.0, 300.0, 400.0], 50, 250.0), ([1.0], 95, 1.0), ([], 50, None)]
)
def test_percentile(values: list[float], q: float, expected: float | None) -> None:
    assert percentile(values, q) == expected
