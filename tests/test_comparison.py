"""The evidence table and the figures that differ (rag/comparison.py), and the question words no paper uses."""

from __future__ import annotations

import pytest

from rag.comparison import EvidenceSentence, counts, differing_counts, evidence_table
from rag.coverage import absent_terms, framing_words, kin_in, phrase_from, plain_text
from rag.lexical import tokenize

LABELS = {"a-2020": "A et al., 2020", "b-2021": "B, 2021", "c-2022": "C, 2022"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("All 25 clinical leaders took part.", [(25, "25 clinical leaders")]),
        ("We held 12 interviews in 2019.", [(12, "12 interviews")]),
        ("In 2018 the plan began.", []),  # a year counts nothing
        ("Response rates were 45% overall.", []),
        ("Between 2018-2021 and 3.5 days.", []),  # a range and a decimal are not counts
        ("There were 1,200 staff in the trust.", [(1200, "1,200 staff")]),
    ],
)
def test_counts(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(c.value, c.phrase) for c in counts(EvidenceSentence(text, "a-2020", "Methods"))] == expected


def test_a_count_given_two_ways_is_flagged_with_where_each_stands() -> None:
    sentences = [
        EvidenceSentence("We interviewed 24 clinical leaders.", "a-2020", "Abstract"),
        EvidenceSentence("In total, 25 clinical leaders were recruited.", "a-2020", "Methods"),
        EvidenceSentence("Some 25 clinical leaders joined meetings.", "a-2020", "Results"),
    ]
    assert differing_counts(sentences, LABELS) == (
        "The figures differ: 24 clinical leaders (A et al., 2020, Abstract) against "
        "25 clinical leaders (A et al., 2020, Methods).",
    )


def test_only_a_count_the_answer_states_is_flagged() -> None:
    sentences = [
        EvidenceSentence("We interviewed 24 clinical leaders.", "a-2020", "Abstract"),
        EvidenceSentence("In total, 25 clinical leaders were recruited.", "b-2021", "Methods"),
    ]
    assert differing_counts(sentences, LABELS, stated=["Leaders share power."]) == ()
    assert differing_counts(sentences, LABELS, stated=["In total, 25 clinical leaders were recruited."]) == (
        "The figures differ: 24 clinical leaders (A et al., 2020, Abstract) against "
        "25 clinical leaders (B, 2021, Methods).",
    )


def test_a_total_and_its_parts_in_one_sentence_do_not_differ() -> None:
    text = "28 meetings over 49 hours (A: 22 hours, B: 22 hours and C: 5 hours)."
    sentences = [EvidenceSentence(text, "a-2020", "x")]
    assert differing_counts(sentences, LABELS) == ()


def test_evidence_table_has_a_row_per_paper_quoted_first_and_silent_papers_not_addressed() -> None:
    chosen = [
        EvidenceSentence("Trust grows slowly.", "b-2021", "Findings", 1),
        EvidenceSentence("Trust needs time together.", "b-2021", "Findings", 2),
        EvidenceSentence("Low trust limits sharing.", "c-2022", "Results", 3),
    ]
    rows = evidence_table(["a-2020", "b-2021", "c-2022"], chosen, {"a-2020": "Paper A"}, LABELS)
    assert [(r.work, r.addressed, r.citations, r.sentences, r.label) for r in rows] == [
        ("b-2021", True, (1, 2), ("Trust grows slowly.", "Trust needs time together."), "B, 2021"),
        ("c-2022", True, (3,), ("Low trust limits sharing.",), "C, 2022"),
        ("a-2020", False, (), (), "A et al., 2020"),
    ]
    assert rows[2].to_dict() == {
        "work": "a-2020",
        "title": "Paper A",
        "label": "A et al., 2020",
        "addressed": False,
        "sentences": [],
        "citations": [],
    }


VOCABULARY = set(
    tokenize("shared leadership organisation patients care colour hospital team-working effect change ICS")
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the effect of shared leadership on patient mortality?", ["mortality"]),
        ("How does the organization care for patients?", []),  # American spelling of a word the papers use
        ("What colors are the hospitals?", []),
        ("What did dentists say about NVivo?", ["dentists", "NVivo"]),
        ("Mortality: does shared leadership change it?", ["mortality"]),  # the first word is not a name
        ("Is team-working shared?", []),
        ("Does shared leadership change with GPT-3.5?", ["GPT-3.5"]),  # a version is part of the name
        # a contraction is a function word, whether or not the papers write it
        ("What isn't shared leadership, and what won't it change?", []),
        ("Mortality: they'll say it doesn't change?", ["mortality"]),
        # a possessive is no part of the word: "the other team's job" names a team; "kotter's model" is Kotter's
        ("Does the other team's leadership change?", []),
        ("Does shared leadership change kotter's hospital?", ["kotter"]),
        # a plural acronym is mentioned where its singular is ("the ICS"); one the papers never write keeps its
        # capitals, first word or not
        ("Do ICSs change hospital care?", []),
        ("PCNs: do they change hospital care?", ["PCNs"]),
    ],
)
def test_absent_terms(question: str, expected: list[str]) -> None:
    assert absent_terms(question, VOCABULARY) == expected


PAPERS = "Shared decision making with patients. Leaders were taking risks and cutting costs. Coproduction works."


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Do the papers use the well-led framework?", ["well-led"]),  # "well" and "led" never together
        ("What about data-sharing between trusts?", ["data-sharing"]),
        ("How is decision-making shared?", []),  # written with a space
        ("Is there risk-taking, or cost-cutting?", []),  # written the other way round: "taking risks"
        ("Any co-production?", []),  # written as one word
    ],
)
def test_a_hyphenated_word_the_papers_never_write_together_is_absent(question: str, expected: list[str]) -> None:
    vocabulary = set(tokenize(PAPERS + " well led data sharing framework trusts"))
    assert absent_terms(question, vocabulary, plain_text(PAPERS)) == expected
    if expected:  # (without the papers' text, each part is enough)
        assert absent_terms(question, vocabulary) == []


@pytest.mark.parametrize(
    "sentences",
    [
        # one section's counts are a part and its total
        [
            EvidenceSentence("We annotated 3 sub-claims for each of 40 answers.", "a-2020", "Claims"),
            EvidenceSentence("In all, 120 sub-claims were checked by hand.", "a-2020", "Claims"),
        ],
        # a count for every one of something is not a total
        [
            EvidenceSentence("Annotators wrote 3 sub-claims each.", "a-2020", "Methods"),
            EvidenceSentence("In all, 120 sub-claims were checked by hand.", "a-2020", "Results"),
        ],
        # two spans of time are two periods
        [
            EvidenceSentence("Over the past 50 years, integration has been tried.", "a-2020", "Introduction"),
            EvidenceSentence("Within 10 years, most trusts had merged.", "a-2020", "Future"),
        ],
    ],
)
def test_counts_that_are_not_two_figures_for_one_thing_are_not_flagged(sentences: list[EvidenceSentence]) -> None:
    assert differing_counts(sentences, LABELS) == ()


def test_a_count_given_differently_in_two_sections_is_flagged_even_after_one_section_gives_both() -> None:
    sentences = [
        EvidenceSentence("We invited 30 managers.", "a-2020", "Methods"),
        EvidenceSentence("Of them, 24 managers agreed to take part.", "a-2020", "Methods"),
        EvidenceSentence("All 30 managers were interviewed.", "a-2020", "Results"),
    ]
    assert differing_counts(sentences, LABELS) == (
        "The figures differ: 24 managers (A et al., 2020, Methods) against 30 managers (A et al., 2020, Results).",
    )


@pytest.mark.parametrize(
    ("word", "question", "phrase"),
    [
        ("integrated", "What does the Malawi study say about integrated care systems?", "integrated care systems"),
        ("Fuller", "What does the report say about the Fuller stocktake and primary care?", "Fuller stocktake"),
        ("GPT-3", "What does ReAct reach when GPT-3 is the base model?", "GPT-3"),
        ("dentists", "What did Waring find about dentists working in teams?", "dentists"),  # a noun leads nothing
    ],
)
def test_a_word_not_mentioned_is_named_with_the_words_it_leads(word: str, question: str, phrase: str) -> None:
    assert phrase_from(word, question) == phrase


def test_a_word_of_the_same_family_counts_as_mentioned() -> None:
    vocabulary = set(tokenize("The audio recordings were transcribed; we interviewed twenty managers."))
    assert kin_in("transcripts", vocabulary)
    assert kin_in("interviewees", vocabulary)
    assert not kin_in("mortality", vocabulary)


def test_words_framing_the_question_are_not_what_it_asks_about() -> None:
    assert framing_words("How long did the codeML step take?") == {"long"}
    assert framing_words("Did the Malawi study get ethics approval?") == {"ethics"}
    # the words for a paper's authors: "Gao et al. does not mention colleagues" would be no answer
    # ... and the words asking for a part of a paper by its role, which the paper heads in its own words
    assert framing_words("Which flaws in their evaluation do Gao and colleagues list?") == {"flaws", "colleagues"}
    assert framing_words("What do the authors recommend?") == {"authors", "recommend"}
    # ... and the words asking for a kind of value, which a paper gives as the value ("a third of ...", "47 ...")
    assert framing_words("What percentage of the interviewees were clinicians?") == {"percentage"}
    assert framing_words("What sample size did Waring use?") == {"sample", "size"}
    assert framing_words("Does the report give the number of respondents?") == {"number"}
    assert framing_words("What did the papers say about patient mortality?") == set()
