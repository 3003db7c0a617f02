"""Which entries of the papers' reference lists a question asks for (rag.cited_works)."""

from __future__ import annotations

import pytest

from rag.bibliography import Reference
from rag.cited_works import CitedWorks, listed_line, surname

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
