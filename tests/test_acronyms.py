"""Acronym definitions in the forms papers write them, and when a question is searched with the long form."""

from __future__ import annotations

import pytest

from rag.acronyms import (
    asks_meaning,
    capitals_in,
    defined_in,
    expand_query,
    find_acronyms,
    spell_out,
    spells_out,
    spelt_acronyms,
    unspelled_acronyms,
    written_long_form,
)
from rag.lexical import STOPWORDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the long form after the acronym, in capitals, later in its sentence
        (
            "We propose ALCE, the first benchmark for Automatic LLMs’ Citation Evaluation. ALCE collects",
            {"ALCE": "automatic llms’ citation evaluation"},
        ),
        ("with SAGE: Smart Automated Grading Engine, a tool", {"SAGE": "smart automated grading engine"}),
        # in brackets after it, initials or letters inside words (Schwartz and Hearst)
        ("the NLI (natural language inference) model", {"NLI": "natural language inference"}),
        (
            "we have designed VESPA (Very large-scale Evolutionary and\nSelective Pressure Analyses). VESPA",
            {"VESPA": "very large-scale evolutionary and selective pressure analyses"},
        ),
        # hyphenated parts before the bracketed acronym
        ("trained on preposition-noun\n(PN) combinations", {"PN": "preposition-noun"}),
        # not definitions: plural letters, a run of capitals that half-spells it, one capital
        ("the inverse ranks for As and Ns, for both", {}),
        ("IBM, Intelligent Business Machines Corporation", {}),
        ("the Region (R) of", {}),
    ],
)
def test_definitions_in_their_forms(text: str, expected: dict[str, str]) -> None:
    assert find_acronyms([text]) == expected


NAMED = [
    "We propose ALCE, the first benchmark for Automatic LLMs’ Citation Evaluation.",
    *[f"ALCE measures fluency in setting {i}." for i in range(6)],
    "The NHS (National Health Service) pays.",
    *[f"ALCE and NHS, part {i}." for i in range(2)],
]


def test_a_papers_own_name_is_spelled_out_only_for_a_question_on_its_meaning() -> None:
    # ALCE: one paper, 9 passages use it, 1 spells it out; NHS is used by two papers
    papers = ["a"] * 7 + ["b", "a", "a"]
    acronyms = find_acronyms(NAMED, papers)
    assert acronyms.names == frozenset({"ALCE"})
    assert expand_query("What does ALCE stand for?", acronyms) == (
        "What does ALCE stand for? (automatic llms’ citation evaluation)"
    )
    assert expand_query("Which metric does ALCE use for fluency?", acronyms) == (
        "Which metric does ALCE use for fluency?"
    )
    assert expand_query("Who pays the NHS?", acronyms) == "Who pays the NHS? (national health service)"
    # the words a sentence is scored with: no long forms, but the one a question asks for
    assert expand_query("Who pays the NHS?", acronyms, spell_out=False) == "Who pays the NHS?"
    assert expand_query("What does ALCE stand for?", acronyms, spell_out=False) == (
        "What does ALCE stand for? (automatic llms’ citation evaluation)"
    )


def test_an_acronym_spelled_out_often_is_no_name() -> None:
    texts = [*NAMED, "Automatic LLMs’ Citation Evaluation again."]
    assert find_acronyms(texts, ["a"] * len(texts)).names == frozenset()


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What does ALCE stand for?", True),
        ("What is SIDD short for?", True),
        ("What does the abbreviation SIDD mean in the paper?", True),
        ("What does MSS mean?", True),
        ("Give the full name of VESPA", True),
        ("What is meant by PN?", True),
        ("How does VESPA handle alignments?", False),
        ("What do the authors mean by selection?", False),
    ],
)
def test_a_question_asking_what_an_acronym_stands_for(question: str, asks: bool) -> None:
    assert asks_meaning(question) is asks


@pytest.mark.parametrize(
    ("question", "unspelled"),
    [
        ("What does VCSE stand for?", ["VCSE"]),
        ("What does ICB stand for?", []),  # spelled out by a paper
        ("What does VCSE mean?", ["VCSE"]),
        ("What is the VCSE sector's role?", []),  # asks no meaning
        ("What does collaboration mean here?", []),  # a term, not an acronym
    ],
)
def test_the_acronyms_a_question_asks_to_spell_out_that_no_paper_does(question: str, unspelled: list[str]) -> None:
    assert unspelled_acronyms(question, {"ICB": "integrated care board"}) == unspelled


@pytest.mark.parametrize(
    ("question", "defined"),
    [
        ("I manage urgent and emergency care services: is UEC discussed?", {"UEC": "urgent and emergency care"}),
        ("Do primary care networks (PCNs) come up?", {"PCN": "primary care networks"}),
        ("Is the voluntary, community and social enterprise sector (VCSE) named?",
         {"VCSE": "voluntary, community and social enterprise"}),
        ("What do the papers say about PCNs?", {}),  # not spelled out
        ("What did the NHS do?", {}),
        ("Do GPs lead in general practice?", {}),  # two letters: chance runs, not looked for
    ],
)  # fmt: skip
def test_the_acronyms_a_question_spells_out_itself(question: str, defined: dict[str, str]) -> None:
    assert defined_in(question) == defined


def test_an_acronym_is_written_as_its_long_form() -> None:
    question = "I manage urgent and emergency care: are UECs discussed, or UEC leads?"
    assert spell_out(question, {"UEC": "urgent and emergency care"}) == (
        "I manage urgent and emergency care: are urgent and emergency care discussed, or urgent and emergency care "
        "leads?"
    )


def test_the_long_form_papers_write_for_an_acronym_they_never_use() -> None:
    """Two papers write "clinical commissioning groups" and neither writes "CCG": a question asking about CCGs asks
    about them. A run of words spelling the letters by chance is written once, or not across papers; one holding
    another acronym ("standard and CoT methods") abbreviates to neither; overlapping passages count once."""
    texts = [
        ("a", "Clinical commissioning groups became the purchasers of care. The clinical managers showed restraint."),
        ("b", "It brought together NHS trusts, local authorities and clinical\ncommissioning groups in each area."),
        ("b", "together NHS trusts, local authorities and clinical\ncommissioning groups in each area."),
        ("c", "We compare standard and CoT methods. Standard and CoT methods differ. So do standard and CoT methods."),
    ]
    assert written_long_form("CCG", texts, STOPWORDS) == "clinical commissioning groups"
    assert written_long_form("CMS", texts, STOPWORDS) is None  # ("clinical managers showed": one paper, once)
    assert written_long_form("SCM", texts, STOPWORDS) is None
    assert written_long_form("CCG", texts[1:3], STOPWORDS) is None  # (one paper, its passages overlapping)
    assert written_long_form("NHS", [("a", "the new health services"), ("b", "new health service")], STOPWORDS) == (
        "new health services"
    )
    assert written_long_form("TO", texts, STOPWORDS) is None  # (two letters spell chance runs)


def test_the_acronyms_a_question_uses() -> None:
    assert capitals_in("what happened to CCGs as STPs gave way to ICSs, and to the CCG budgets? I ask") == [
        "CCG",
        "STP",
        "ICS",
    ]


def test_the_sentence_writing_an_acronym_with_its_long_form_spells_it_out() -> None:
    long_forms = {"SIDD": "second improvement of degreedistance", "FIDD": "first improvement of degreedistance"}
    assert spelt_acronyms("What does SIDD stand for?", long_forms) == [("SIDD", "second improvement of degreedistance")]
    assert spelt_acronyms("What do the SIDDs do?", long_forms) == [("SIDD", "second improvement of degreedistance")]
    assert spelt_acronyms("What is DegreeDistance?", long_forms) == []
    defining = "(3) SIDD (Second Improvement of DegreeDistance): an improvement of FIDD by applying ..."
    assert spells_out(defining, "SIDD", long_forms["SIDD"])
    assert not spells_out(
        "The results assert the superiority of SIDD over the other methods.", "SIDD", long_forms["SIDD"]
    )
    assert not spells_out(defining, "FIDD", long_forms["FIDD"])  # (FIDD is used there, not spelled out)
