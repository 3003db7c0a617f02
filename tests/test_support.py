"""The support judge: crafted corpus cases, number/name/negation rules, attribution frames and similarity."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from rag.evals import judge_cases
from rag.evals.judge_cases import CASES, JudgeCase, judge_agreement
from rag.support import (
    MIN_SIMILARITY,
    Similarity,
    SupportVerdict,
    check_support,
    extract_names,
    extract_numbers,
    strip_markers,
    term_recall,
)
from rag.text import normalise

CORPUS_DIRS = (Path(__file__).resolve().parents[1] / "corpus", Path("/work/shared/corpus"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_crafted_case_verdict(case: JudgeCase) -> None:
    verdict = check_support(case.sentence, case.passages, allowed_names=case.allowed_names)
    assert verdict.supported is case.expected, verdict.reason


def test_agreement_without_similarity_is_total() -> None:
    agreement, rows = judge_agreement()
    assert agreement == 1.0
    assert [r["name"] for r in rows if not r["agree"]] == []
    assert len(rows) == 27


def test_every_kind_of_case_is_present() -> None:
    kinds = {c.kind for c in CASES}
    assert kinds == {"verbatim", "paraphrase", "number", "negation", "wrong_paper", "name", "other_question"}


def test_case_passages_are_real_corpus_text() -> None:
    corpus = next((d for d in CORPUS_DIRS if any(d.glob("*.txt"))), None)
    if corpus is None:
        pytest.skip("corpus files not available")
    texts = [p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")]
    names = [n for n, v in vars(judge_cases).items() if n.isupper() and isinstance(v, str)]
    missing = [n for n in names if not any(getattr(judge_cases, n) in t for t in texts)]
    assert missing == []
    assert len(names) == 19


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Leaders felt unsafe [1].", "Leaders felt unsafe."),
        ("Both [1, 3] and [1][2] go.", "Both and go."),
        ("A range [2-4], then more [5; 6].", "A range, then more."),
        ("No markers here.", "No markers here."),
    ],
)
def test_strip_markers(text: str, expected: str) -> None:
    assert strip_markers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Twenty participants", ("20",)),
        ("forty-four STPs and 44 more", ("44",)),
        ("between 500,000 and 3 million", ("500000", "3")),
        ("50 per cent, 50%", ("50",)),
        ("in 2018-2019 and winter 2022/23", ("2018", "2019", "2022", "23")),
        ("ethics code 18IC4917", ()),
        ("one of the leaders", ()),
        ("twenty-one of 3.5", ("21", "3.5")),
    ],
)
def test_extract_numbers(text: str, expected: tuple[str, ...]) -> None:
    assert extract_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clinical leaders in the NHS and ICSs.", ("NHS", "ICSs")),
        ("Porter states that value matters.", ("Porter",)),
        ("Waring et al. found it.", ("Waring",)),
        ("The King's Fund report notes it.", ("King's", "Fund")),
        ("Each STP had three levels.", ("STP",)),
        ("Sze May Ng interviewed managers.", ("Sze", "May", "Ng")),
        ("Approval was 18IC4917.", ("18IC4917",)),
        ("Clinical managers felt discomfort.", ()),
    ],
)
def test_extract_names(text: str, expected: tuple[str, ...]) -> None:
    assert extract_names(text) == expected


@pytest.mark.parametrize(
    ("phrase", "text", "expected"),
    [
        ("semistructured interviews", "They held semi-structured interviews.", 1.0),
        ("semi-structured interviews", "They held semistructured\ninterviews.", 1.0),
        ("transcribed by an external company", "recordings transcribed by a company", 2 / 3),
        ("44 STPs", "forty-four STPs were formed", 1.0),
        ("thematic analysis", "the data were coded", 0.0),
        ("Lisa Aufegger", "1. Lisa Aufegger1,2,", 1.0),
        ("ethics approval 18IC4917", "approval under 18IC4917", 2 / 3),
    ],
)
def test_term_recall(phrase: str, text: str, expected: float) -> None:
    assert term_recall(phrase, [text]) == pytest.approx(expected)


def test_verbatim_verdict_fields() -> None:
    verdict = check_support(
        "Clinical leaders were found to make four distinct contributions [1].", [judge_cases.WARING_ABSTRACT]
    )
    assert verdict == SupportVerdict(True, 1.0, True, (), (), "verbatim in passage 1")


def test_changed_number_is_reported() -> None:
    verdict = check_support(
        "The study recruited 34 clinical leaders from the three STPs and a further 47 non-clinical leaders.",
        [judge_cases.WARING_SAMPLE],
    )
    assert (verdict.supported, verdict.missing_numbers, verdict.missing_names) == (False, ("34",), ())
    assert verdict.score == 0.5
    assert verdict.reason == "missing numbers: 34"


def test_footnote_digits_glued_to_a_name_do_not_hide_it() -> None:
    verdict = check_support(
        "The authors include Lisa Aufegger and Monica Alabi.", ["1. Lisa Aufegger1,2,\n  2. Monica Alabi2,"]
    )
    assert (verdict.supported, verdict.missing_names, verdict.missing_numbers) == (True, (), ())


def test_swapped_name_is_reported() -> None:
    verdict = check_support(
        "Systematic coding was undertaken by Waring and Black through a line-by-line review of the data.",
        [judge_cases.WARING_ANALYSIS],
    )
    assert (verdict.supported, verdict.missing_names) == (False, ("Black",))


def test_negation_added_names_the_passage_sentence() -> None:
    verdict = check_support(
        "Both non-clinical and clinical managers set leadership as a career goal.",
        [judge_cases.AUFEGGER_MOTIVATION],
    )
    assert verdict.supported is False
    assert verdict.reason.startswith("negation differs from the passage sentence 'leadership training")


@pytest.mark.parametrize(
    ("allowed", "supported", "missing_names", "missing_numbers"),
    [
        ((), False, ("Aufegger",), ("2020",)),
        (("Lisa Aufegger", "Monica Alabi"), True, (), ()),
    ],
)
def test_attribution_frame_names_the_cited_paper(
    allowed: tuple[str, ...],
    supported: bool,
    missing_names: tuple[str, ...],
    missing_numbers: tuple[str, ...],
) -> None:
    verdict = check_support(
        "Aufegger et al. (2020) found that the audio recordings were transcribed by an external company.",
        [judge_cases.AUFEGGER_WEB_ANALYSIS],
        allowed_names=allowed,
    )
    assert (verdict.supported, verdict.missing_names, verdict.missing_numbers) == (
        supported,
        missing_names,
        missing_numbers,
    )


def _fixed_similarity(value: float) -> Similarity:
    def similarity(sentence: str, passages: Sequence[str]) -> list[float]:
        return [value for _ in passages]

    return similarity


@pytest.mark.parametrize(
    ("cosine", "supported", "score"),
    [(0.9, True, 0.95), (MIN_SIMILARITY - 0.05, False, 0.7)],
)
def test_similarity_is_required_when_given(cosine: float, supported: bool, score: float) -> None:
    verdict = check_support(
        "The study recruited 25 clinical leaders from the three STPs and a further 47 non-clinical leaders.",
        [judge_cases.WARING_SAMPLE],
        similarity=_fixed_similarity(cosine),
    )
    assert (verdict.supported, verdict.score) == (supported, pytest.approx(score))


@pytest.mark.parametrize(
    ("sentence", "passages", "reason"),
    [
        ("Anything at all.", [], "no passages to support the sentence"),
        ("Yes [1].", ["Yes, they did; most of them."], "no content words to check"),
    ],
)
def test_degenerate_inputs_are_unsupported(sentence: str, passages: list[str], reason: str) -> None:
    verdict = check_support(sentence, passages)
    assert (verdict.supported, verdict.reason) == (False, reason)


def test_a_short_sentence_is_verbatim_only_where_it_stands_whole() -> None:
    """"Date: March 28, 2015." on a title page is quoted as printed, though too short for the embedding to judge;
    "Yes." inside another sentence is not a quote of one."""
    title_page = "IMPROVING DETECTION OF INFLUENTIAL NODES\nDate: March 28, 2015.\nThese authors contributed equally."
    unlike = lambda claim, texts: [0.24 for _ in texts]  # noqa: E731 - a short line is far from a whole page
    assert check_support("Date: March 28, 2015. [1]", [title_page], unlike).verbatim is True
    assert check_support("Yes.", ["The board said yes. Then it went ahead."]).verbatim is False
    assert check_support("Yes.", ["Was it shared? Yes. Then it went ahead."]).verbatim is True
    # ... or anywhere, when it holds more digits than turn up by accident
    imprint = "All rights reserved, in part in any form ISBN: 978 1 915303 12 7 A catalogue record is available"
    assert check_support("ISBN: 978 1 915303 12 7", [imprint], unlike).verbatim is True


def test_normalised_match_is_what_verbatim_means() -> None:
    sentence = "Paired learning is a peer-learning tool that links together different professional groups."
    assert normalise(strip_markers(sentence)) in normalise(judge_cases.AUFEGGER_PAIRED)
    assert check_support(sentence, [judge_cases.AUFEGGER_PAIRED]).verbatim is True
