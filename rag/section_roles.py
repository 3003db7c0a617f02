"""The parts of a paper a question can ask for by their role: its limitations, the future work it proposes, its
conclusions. Papers head these parts in a few standard ways ("Limitations", "Strengths and
limitations", "Conclusions and future directions"), while questions name them in everyday words ("what weaknesses
do the authors admit?", "where could the work go next?"). A question naming a role is searched with a preference
for passages under a heading of that role. (Recommendations are not among them: "what do the papers recommend"
asks about a topic, whose advice is spread over every section; a preference for "Recommendations" sections lost
evidence for such questions.)"""

from __future__ import annotations

import re

# role: (how a question names it, how a paper heads it)
ROLES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "limitations": (
        re.compile(
            r"\b(limitations?|weakness(?:es)?|shortcomings?|drawbacks?|caveats?|flaws?|threats to validity)\b", re.I
        ),
        re.compile(r"\blimitations?\b|\bthreats to validity\b|\bweakness", re.I),
    ),
    "future work": (
        re.compile(
            r"\b(future (?:work|research|directions?|studies)|next steps?|go next|further (?:work|research|study|"
            r"studies)|open (?:questions|problems)|research agenda)\b",
            re.I,
        ),
        re.compile(r"\bfuture (?:work|research|directions?)\b|\bopen (?:questions|problems)\b|\bnext steps\b", re.I),
    ),
    "conclusions": (
        re.compile(r"\bconclu(?:de|des|ded|sion|sions)\b|\btake-?aways?\b", re.I),
        re.compile(r"\bconclu(?:sion|sions|ding)\b", re.I),
    ),
}


def asked_roles(question: str) -> list[str]:
    """The roles of a paper's parts the question names ("what weaknesses ..." names its limitations)."""
    return [role for role, (asked, _) in ROLES.items() if asked.search(question)]


def heading_has_role(heading: str, roles: list[str]) -> bool:
    """Is the heading ("5. Conclusions and future directions") one of a part with one of these roles?"""
    return any(ROLES[role][1].search(heading) for role in roles)
