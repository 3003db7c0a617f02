"""The term a definition question asks about, and whether a sentence defines it (rag/definitions.py)."""

from __future__ import annotations

import numpy as np
import pytest

from rag.answering import Candidate, answer_order, defining_sentence
from rag.definitions import asked_purpose, asked_term, defines, states_purpose
from rag.schema import Chunk, Hit


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What is 'generation confidence' in the phrase generation paper?", "generation confidence"),
        ("What do the authors mean by proper management?", "proper management"),
        ("What does value-based healthcare mean?", "value-based healthcare"),
        ("Define shared leadership.", "shared leadership"),
        ("What is meant by the term 'collaborative leadership'?", "collaborative leadership"),
        ("What is meant by the term collaborative leadership?", "collaborative leadership"),
        ("what is pseudo collaboration?", "pseudo collaboration"),
        ("What is an irrelevant citation in ALCE?", "irrelevant citation"),
        ("How is omega defined in the VESPA paper?", "omega"),
        ("How do the authors define a seed node?", "seed node"),
        # (a comparison of definitions: the term ends where the comparing begins)
        ("How does the report's definition of a collaborative leader differ from Waring's?", "collaborative leader"),
        ("How do Aufegger and Waring define clinical leadership differently?", "clinical leadership"),
        ("What do the papers mean by leading across boundaries?", "leading across boundaries"),
        ("What is the meaning of distributed leadership?", "distributed leadership"),
        ("In the phrase generation work, what is a word token?", "word token"),
        ("what are 'thought worlds' and why do they matter?", "thought worlds"),
        ("What does the word 'groupthink' refer to?", "groupthink"),
        ("how do branchi et al end up defining a smart city themselves?", "smart city"),
        ("What definition of value does Ng use?", "value"),
        # what doing something means
        ("In the Aufegger paper, what does it mean for a team to share leadership?", "share leadership"),
        ("what does it mean to lead collaboratively?", "lead collaboratively"),
        # a name, when it is all the question asks about
        ("What is the King's Fund?", "King's Fund"),
        ("What is the Health and Care Act 2022?", "Health and Care Act 2022"),
        ("Who are the King's Fund?", "King's Fund"),
        ("who is Nicola Walsh?", "Nicola Walsh"),
        ("Who are the authors?", None),
        # not definition questions
        ("What is the aim of the study?", None),
        ("What is the NHS Long Term Plan and what does it say about leadership?", None),
        ("What are the main barriers?", None),
        ("What is known about trust?", None),
        ("What are ICSs actually supposed to achieve?", None),
        ("How many people were interviewed?", None),
        ("What did the study find about trust?", None),
        # an acronym's long form answers these (rag/acronyms.py)
        ("What is ICS?", None),
        ("What does the abbreviation SIDD mean in the influential nodes paper?", None),
    ],
)
def test_asked_term(question: str, term: str | None) -> None:
    assert asked_term(question) == term


@pytest.mark.parametrize(
    ("sentence", "term", "expected"),
    [
        (
            "We call the score associated to the top neighbour the generation confidence: if this score is low, "
            "the vector has no good match in the lexicon.",
            "generation confidence",
            True,
        ),
        ("Shared leadership is a form of leadership in which team members lead.", "shared leadership", True),
        (
            "Therefore, we can advance a more comprehensive definition of a Smart City as: “A space for coexistence "
            "among people who can thrive and develop.”",
            "smart city",
            True,
        ),
        ("The concept of shared leadership is a new one.", "shared leadership", True),
        # what it involves or implies, and its acronym as the subject ("The ICB is ...")
        ("SL implies mutual influence and shared responsibility among team members.", "share leadership", True),
        ("Sharing power entails sharing responsibility.", "sharing power", True),
        ("The ICB is the NHS organisation responsible for bringing partners together.", "integrated care board", True),
        ("The process involves many stakeholders.", "shared leadership", False),
        ("Shared leadership refers to leadership spread across a team.", "shared leadership", True),
        ("Proper management here refers to care which is safe and timely.", "proper management", True),
        ("Shared leadership can be understood as a property of groups.", "shared leadership", True),
        ("We define proper management as treatment within an hour.", "proper management", True),
        ("By proper management we mean timely care.", "proper management", True),
        ("Value-based healthcare (VBHC) is a framework for improving care.", "value-based healthcare", True),
        ("In 2011, Lu et al. proposed a variant of PageRank known as LeaderRank.", "LeaderRank", True),
        ("The nodes with the highest betweenness are sometimes called bottlenecks.", "bottlenecks", True),
        ("This technique is termed viral marketing by its users.", "viral marketing", True),
        (
            "We use the term clinical leadership to describe a professional who shapes change.",
            "clinical leadership",
            True,
        ),
        ("Table 2 reports generation accuracy, i.e., the proportion of correct outputs.", "generation accuracy", True),
        ("We assume a lexicon L, that is, a look-up table of words and vectors.", "lexicon", True),
        ("We introduce ReAct, a novel prompt-based paradigm.", "ReAct", True),
        # in the plural, without an article, to a plural noun; by the term's acronym too
        ("ICSs are geographically based partnerships of varying sizes.", "integrated care system", True),
        ("Integrated care systems are partnerships of organisations.", "integrated care systems", True),
        ("ICSs are responsible for planning services.", "integrated care system", False),
        ("ICSs are designed to bring partners together.", "integrated care system", False),
        ("ICS leaders are often clinicians.", "integrated care system", False),
        ("STPs are partnerships of local organisations.", "integrated care system", False),
        # what must not count as a definition
        ("Shared leadership is important for teams.", "shared leadership", False),
        ("Shared leadership is used in many hospitals.", "shared leadership", False),
        ("The sample size is 25.", "sample size", False),
        ("Weighted LeaderRank is a slightly improved version of LeaderRank.", "LeaderRank", False),
        ("Several authors call for shared leadership.", "shared leadership", False),
        ("Collaboration improved and shared leadership is a goal for the board.", "shared leadership", False),
        ("Generation confidence is low for long phrases.", "generation confidence", False),
        ("A word token is a word-form + POS-tag string.", "lexicon", False),
    ],
)
def test_defines(sentence: str, term: str, expected: bool) -> None:
    assert defines(sentence, term) is expected


def test_an_acronym_the_papers_spell_out_as_something_else_defines_nothing_else() -> None:
    # Aufegger's "SL" is shared leadership: her definition of it is none of system leadership
    sentence = "SL implies mutual influence and shared responsibility among team members."
    spelt = {"SL": "shared leadership", "ICS": "integrated care systems"}
    assert defines(sentence, "system leadership")  # (with no word of what the papers mean by it)
    assert not defines(sentence, "system leadership", spelt)
    assert defines(sentence, "shared leadership", spelt)
    assert defines("ICSs are geographically based partnerships of varying sizes.", "integrated care system", spelt)


def _candidate(hit: int, text: str, score: float, start: int) -> Candidate:
    return Candidate(hit, text, start, start + len(text), (0.0,) * 15, score, np.ones(2, dtype=np.float32))


def _hit(work: str, text: str) -> Hit:
    chunk = Chunk(
        chunk_id=work,
        doc=f"{work}.txt",
        work=work,
        title=work,
        section="Results",
        page=1,
        start=0,
        end=len(text),
        text=text,
    )
    return Hit(chunk=chunk, score=1.0, rank=1)


def test_the_defining_sentence_leads_the_answer_and_its_paper() -> None:
    question = "What is 'generation confidence'?"
    other = _candidate(0, "Generation confidence correlates with accuracy.", 0.9, 0)
    later = _candidate(0, "Confidence was high for short phrases.", 0.8, 200)
    defining = _candidate(
        1, "We call the best score the generation confidence: a low score means a poor match.", 0.4, 50
    )
    hits = [_hit("a", "x" * 300), _hit("b", "y" * 300)]
    assert defining_sentence(question, [other, later, defining]) is defining
    assert _texts(answer_order(question, [other, later, defining], hits)) == _texts([[defining], [other, later]])
    # a question that does not ask for a definition keeps the papers' order by score
    assert _texts(answer_order("How does confidence relate to accuracy?", [other, later, defining], hits)) == _texts(
        [[other, later], [defining]]
    )


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("What are ICSs actually supposed to achieve?", "ICSs"),
        ("What are integrated care systems meant to achieve, according to the papers?", "integrated care systems"),
        ("what is the ICP for?", "ICP"),
        ("what's the point of an ICB?", "ICB"),
        ("What is the purpose of integrated care boards?", "integrated care boards"),
        ("What were ReAct's exemplars designed to do?", "ReAct's exemplars"),
        ("what were the aims of Ng's study?", None),  # a paper's own aims are a part of it (rag.section_roles)
        ("what is the purpose of the study?", None),
        ("and what are they for?", None),  # (nothing named to look for)
        ("What do clinical leaders do?", None),
        ("What are ICSs?", None),  # what they are: a definition
    ],
)
def test_asked_purpose(question: str, thing: str | None) -> None:
    assert asked_purpose(question) == thing


@pytest.mark.parametrize(
    ("sentence", "thing", "expected"),
    [
        ("They have four core purposes, to: improve outcomes in population health.", "ICSs", True),
        ("If ICSs are to deliver on these core purposes, they will need resources.", "integrated care systems", True),
        ("The ICB is the NHS organisation responsible for bringing partners together.", "integrated care boards", True),
        ("ICSs are designed to bring together local government and the NHS.", "ICSs", True),
        ("ICSs are geographically based partnerships of varying sizes.", "ICSs", False),  # what they are
        ("The trust aims to cut waiting times.", "ICSs", False),  # another thing's aim
        # (an acronym leaves out the small words of its long form)
        ("STPs were set up to plan services across an area.", "sustainability and transformation partnerships", True),
    ],
)
def test_states_purpose(sentence: str, thing: str, expected: bool) -> None:
    assert states_purpose(sentence, thing) is expected


def test_the_sentence_stating_a_things_purpose_leads_the_answer() -> None:
    question = "What are ICSs supposed to achieve?"
    about = _candidate(0, "ICSs are described as an advanced version of STPs.", 0.9, 0)
    purpose = _candidate(1, "ICSs are designed to bring together local government and the NHS.", 0.2, 40)
    hits = [_hit("a", "x" * 300), _hit("b", "y" * 300)]
    assert defining_sentence(question, [about, purpose]) is purpose
    assert _texts(answer_order(question, [about, purpose], hits)) == _texts([[purpose], [about]])


def _texts(groups: list[list[Candidate]]) -> list[list[str]]:
    return [[c.text for c in group] for group in groups]
