"""Parts of a paper asked for by their role, and the headings papers give them."""

from __future__ import annotations

import pytest

from rag.section_roles import asked_roles, heading_has_role


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("What weaknesses do the authors admit in their evaluation?", ["limitations"]),
        ("Are there caveats to the findings?", ["limitations"]),
        ("Where could the work go next?", ["future work"]),
        ("What further research do the authors call for?", ["future work"]),
        ("What does the report conclude, and what are its limitations?", ["limitations", "conclusions"]),
        ("How many clinical leaders were interviewed?", []),
        ("What limits the time clinicians have for leadership?", []),  # a topic, not a part of the paper
        ("What do the papers recommend?", []),  # advice is spread over every section
    ],
)
def test_asked_roles(question: str, roles: list[str]) -> None:
    assert asked_roles(question) == roles


@pytest.mark.parametrize(
    ("heading", "roles", "has"),
    [
        ("Strengths And Limitations", ["limitations"], True),
        ("Limitation", ["limitations"], True),
        ("5. Conclusions and future directions", ["future work"], True),
        ("5. Conclusions and future directions", ["conclusions"], True),
        ("In conclusion", ["conclusions"], True),
        ("6 CONCLUSION", ["conclusions"], True),
        ("Data processing and analysis", ["limitations", "conclusions"], False),
        ("Recommendations to train and improve SL in the ICS", ["limitations"], False),
    ],
)
def test_heading_has_role(heading: str, roles: list[str], has: bool) -> None:
    assert heading_has_role(heading, roles) is has
