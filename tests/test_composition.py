"""The extractive answer's composition: when the paper's facts are the whole answer."""

from __future__ import annotations

import pytest

from rag.composition import Composer
from rag.schema import Chunk, Hit, PaperMeta

META = PaperMeta(
    work="walsh-2023",
    title="The practice of collaborative leadership across health and care services",
    authors=("Nicola Walsh", "Stephanie de Sarandy"),
    year=2023,
    venue="The King's Fund",
)
HIT = Hit(1, Chunk("c1", "walsh.txt", "walsh-2023", META.title, "Front matter", None, 0, 10, "text", "front"), 1.0)


@pytest.mark.parametrize(
    ("question", "only"),
    [
        ("Who wrote the King's Fund report and when was it published?", True),
        ("Where and when was the collaborative leadership report published?", True),
        ("Who wrote King's Fund report?", True),
        ("Who wrote the King's Fund report and what does it recommend?", False),  # asks more
        ("Who wrote the King’s Fund report, and who funded it?", False),  # "Fund" names it, "funded" asks more
    ],
)
def test_a_question_only_about_the_papers_facts(question: str, only: bool) -> None:
    composer = Composer({"walsh-2023": META}, 100, lambda q: ["walsh-2023"])
    assert composer._only_about_publication(question, HIT) is only
