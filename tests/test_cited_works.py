"""Which entries of the papers' reference lists a question asks for (rag.cited_works)."""

from __future__ import annotations

import pytest

from rag.bibliography import Reference
from rag.cited_works import CitedWorks, listed_line, listing, surname

PORTER = [
    Reference("Porter ME. Value-based health care delivery. Ann Surg 2008.", None, ("Porter ME",), 2008,
              "Value-based health care delivery"),
    Reference("Porter ME. What is value in health care?. New Engl J Med 2010.", None, ("Porter ME",), 2010,
              "What is value in health care?"),
]  # fmt: skip
HULKS = Reference("Hulks S, Walsh N (2017). Leading across the health and care system.", None,
                  ("Hulks S", "Walsh N"), 2017, "Leading across the health and care system")  # fmt: skip
OWN = Reference("Walsh N (2019). An earlier report.", None, ("Walsh N",), 2019, "An earlier report")
WORKS = CitedWorks({"ng": [*PORTER], "walsh": [HULKS, OWN]}, lower_words={"porter", "leading"}, own_names={"walsh"})


@pytest.mark.parametrize(
    ("author", "name"),
    [("Veronesi G", "Veronesi"), ("Marco Baroni", "Baroni"), ("D.-H. Park", "Park"), ("van den Beek M", "Beek"),
     ("Kosakovsky Pond SL", "Kosakovsky"), ("F. Englert", "Englert"), ("The King's Fund", "Fund")],
)  # fmt: skip
def test_surname(author: str, name: str) -> None:
    assert surname(author) == name


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("What is the full reference for the Porter paper Ng cites?", {"ng": PORTER}),
        ("Which journal published Porter's 2010 paper?", {"ng": PORTER[1:]}),  # (the year narrows it)
        ("Give me the citation for Hulks et al.", {"walsh": [HULKS]}),
        # a name the papers also write as a word counts only when capitalised; the papers' own authors are theirs
        ("what is the full reference for porter?", {}),
        ("What is the full reference for the Walsh report?", {}),
        # asking what a cited work found, or a topic named "citation", asks for no reference
        ("What did Porter find about value?", {}),
        ("Which retrievers does Porter use in the citation benchmark?", {}),
    ],
)
def test_the_entries_a_question_asks_for(question: str, found: dict[str, list[Reference]]) -> None:
    assert WORKS.asked(question) == found


def test_only_the_reference_lists_of_the_papers_named_are_searched() -> None:
    assert WORKS.asked("Give me the citation for Hulks et al.", ["ng"]) == {}


def test_listed_line_quotes_the_entries_as_printed() -> None:
    assert listed_line("Ng, 2022", PORTER[:1]) == (
        "Ng, 2022 lists it in its references: Porter ME. Value-based health care delivery. Ann Surg 2008."
    )
    assert listed_line("Ng, 2022", PORTER).startswith("Ng, 2022 lists 2 such works in its references: Porter ME.")


NO_MORE_HEROES = "The future of leadership and management in the NHS: no more heroes"
KINGS_FUND = Reference(f"The King's Fund (2011). {NO_MORE_HEROES}.", None, ("The King's Fund",), 2011, NO_MORE_HEROES)
MONTEFIORE = "The Montefiore health system in New York"
WEBSITE = Reference(f"Collins B (2018). {MONTEFIORE} [online]. The King's Fund website.", None, ("Collins B",), 2018,
                    MONTEFIORE)  # fmt: skip
ROLE = "Improving the performance of health services: the role of clinical leadership"
CLINICAL = Reference(f"Ham C. {ROLE}. Lancet 2003.", None, ("Ham C",), 2003, ROLE)
LISTS = CitedWorks({"ng": [*PORTER, CLINICAL], "walsh": [HULKS, OWN, KINGS_FUND, WEBSITE]}, lower_words={"porter"},
                   own_names={"walsh", "king", "fund"})  # fmt: skip


@pytest.mark.parametrize(
    ("question", "names", "topic"),
    [
        ("Which King's Fund publications does Ng cite?", ("king", "fund"), ()),
        ("Which of The King's Fund's own earlier publications does the report cite?", ("king", "fund"), ()),
        ("does the report draw on any earlier work by its own lead author, nicola walsh?", ("nicola", "walsh"), ()),
        ("which works by Porter does Ng cite?", ("porter",), ()),
        ("which items in ng's references are about clinical leadership?", (), ("clinic", "leadership")),
        ("which reports on integrated care does the report cite?", (), ("integr", "care")),
    ],
)
def test_a_question_asking_which_works_a_paper_cites_names_whose_or_on_what(
    question: str, names: tuple[str, ...], topic: tuple[str, ...]
) -> None:
    asked = listing(question)
    assert asked is not None and (asked.names, asked.topic) == (names, topic)


@pytest.mark.parametrize(
    "question",
    [
        "What sources of data is the King's Fund report built on?",  # (its methods)
        "which studies does the King's Fund report draw on?",  # (no author, no topic: the whole list is not quoted)
        "Which earlier studies of clinical leaders does the Waring paper build on?",
        "What did the studies find about trust?",
        "What is the full reference for the Porter paper Ng cites?",  # (one work's reference: CitedWorks.asked)
    ],
)
def test_other_questions_ask_for_no_works_a_paper_cites(question: str) -> None:
    assert listing(question) is None


def test_the_works_asked_for_are_found_by_author_name_or_title_words_in_the_citing_papers_list() -> None:
    """The name may be a family name of any author (Walsh, second author of Hulks et al.) or an organisation printed
    in the entry (The King's Fund, as author or publisher); the paper whose list it is comes from the question without
    the name ("Which King's Fund publications does Ng cite?" is about Ng's list, though the King's Fund names a
    paper too)."""
    asked = listing("Which King's Fund publications does the Walsh report cite?")
    assert asked is not None and LISTS.listed(asked, ["walsh"]) == {"walsh": [KINGS_FUND, WEBSITE]}
    assert LISTS.listed(asked, ["ng"]) == {}
    asked = listing("does the report draw on any earlier work by its own lead author, nicola walsh?")
    assert asked is not None and LISTS.listed(asked) == {"walsh": [HULKS, OWN]}
    asked = listing("which items in ng's references are about clinical leadership?")
    assert asked is not None and LISTS.listed(asked) == {"ng": [CLINICAL]}
    asked = listing("Which King's Fund publications does Ng cite, and what does she use the King's Fund for?")
    assert asked is not None and "King's Fund" not in asked.rest and "Ng" in asked.rest


def test_one_name_is_a_family_name_not_any_word_of_an_entry() -> None:
    """ "Which works by Yao ...?" is not answered with a work whose authors include Yao Lu."""
    given = Reference(
        "Ahn M, Yao Lu, Zeng A. Do as I can, not as I say. 2022.", None, ("Ahn M", "Yao Lu", "Zeng A"), 2022
    )
    own = Reference("Shunyu Yao, Karthik Narasimhan. Keep CALM and explore. 2020.", None,
                    ("Shunyu Yao", "Karthik Narasimhan"), 2020)  # fmt: skip
    asked = listing("Which works by Yao does the ReAct paper cite?")
    assert asked is not None and CitedWorks({"react": [given, own]}).listed(asked) == {"react": [own]}
