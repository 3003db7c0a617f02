"""Reference formatting in each style, in-text citations, BibTeX and RIS, for the starter catalog's papers."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from rag.references import (
    format_reference,
    in_text,
    reference_list,
    reference_numbers,
    split_name,
    to_bibtex,
    to_ris,
)

# The facts of corpus/catalog.toml as `Citation.to_dict()` carries them (checked against the file below).
AUFEGGER: dict[str, Any] = {
    "n": 1,
    "work": "aufegger-2020",
    "title": "Sharing leadership: current attitudes, barriers and needs of clinical and non-clinical managers"
    " in UK's integrated care system",
    "authors": ["Lisa Aufegger", "Monica Alabi", "Ara Darzi", "Colin Bicknell"],
    "year": 2020,
    "venue": "BMJ Leader",
    "volume": "4",
    "issue": "3",
    "pages": "128-134",
    "doi": "10.1136/leader-2020-000228",
}
WARING: dict[str, Any] = {
    "n": 2,
    "work": "waring-2023",
    "title": "What can clinical leaders contribute to the governance of integrated care systems?",
    "authors": ["Justin Waring", "Simon Bishop", "Georgia Black", "Jenelle Clarke", "Bridget Roe"],
    "year": 2023,
    "venue": "BMJ Leader",
    "volume": "7",
    "issue": "4",
    "pages": "279-284",
    "doi": "10.1136/leader-2022-000709",
}
NG: dict[str, Any] = {
    "n": 3,
    "work": "ng-2022",
    "title": "A qualitative study on relationships and perceptions between managers and clinicians and its"
    " effect on value-based healthcare within the national health service in the UK",
    "authors": ["Sze May Ng"],
    "year": 2022,
    "venue": "Health Services Management Research",
    "volume": "35",
    "issue": "4",
    "pages": "251-258",
    "doi": "10.1177/09514848211068624",
}
WALSH: dict[str, Any] = {
    "n": 4,
    "work": "walsh-2023",
    "title": "The practice of collaborative leadership across health and care services",
    "authors": ["Nicola Walsh", "Stephanie de Sarandy"],
    "year": 2023,
    "venue": "The King's Fund (report)",
    "volume": "",
    "issue": "",
    "pages": "",
    "doi": "",
}
AUF_TITLE = AUFEGGER["title"]
NG_TITLE = NG["title"]
WALSH_TITLE = WALSH["title"]
WARING_TITLE = WARING["title"]
MANY = [f"Given{i} Family{i}" for i in range(1, 23)]  # 22 authors


CATALOG = Path(__file__).resolve().parents[1] / "corpus" / "catalog.toml"
FACTS = ("work", "title", "authors", "year", "venue", "volume", "issue", "pages", "doi")


@pytest.mark.parametrize("paper", [AUFEGGER, WARING, NG, WALSH], ids=lambda paper: paper["work"])
def test_fixture_papers_match_the_catalog(paper: dict[str, Any]) -> None:
    entries = tomllib.loads(CATALOG.read_text(encoding="utf-8"))["files"].values()
    entry = next(entry for entry in entries if entry["work"] == paper["work"])
    assert {fact: entry.get(fact, "") for fact in FACTS} == {fact: paper[fact] for fact in FACTS}


@pytest.mark.parametrize(
    ("cit", "style", "expected"),
    [
        (AUFEGGER, "apa", "Aufegger, L., Alabi, M., Darzi, A., & Bicknell, C. (2020). " + AUF_TITLE
         + ". BMJ Leader, 4(3), 128–134. https://doi.org/10.1136/leader-2020-000228"),
        (AUFEGGER, "vancouver", "Aufegger L, Alabi M, Darzi A, Bicknell C. " + AUF_TITLE
         + ". BMJ Leader. 2020;4(3):128-34. doi:10.1136/leader-2020-000228"),
        (AUFEGGER, "harvard", "Aufegger, L. et al. (2020) '" + AUF_TITLE
         + "', BMJ Leader, 4(3), pp. 128–134. Available at: https://doi.org/10.1136/leader-2020-000228"),
        (WARING, "apa", "Waring, J., Bishop, S., Black, G., Clarke, J., & Roe, B. (2023). " + WARING_TITLE
         + " BMJ Leader, 7(4), 279–284. https://doi.org/10.1136/leader-2022-000709"),
        (WARING, "vancouver", "Waring J, Bishop S, Black G, Clarke J, Roe B. " + WARING_TITLE
         + " BMJ Leader. 2023;7(4):279-84. doi:10.1136/leader-2022-000709"),
        (WARING, "harvard", "Waring, J. et al. (2023) '" + WARING_TITLE
         + "', BMJ Leader, 7(4), pp. 279–284. Available at: https://doi.org/10.1136/leader-2022-000709"),
        (NG, "apa", "Ng, S. M. (2022). " + NG_TITLE
         + ". Health Services Management Research, 35(4), 251–258. https://doi.org/10.1177/09514848211068624"),
        (NG, "vancouver", "Ng SM. " + NG_TITLE
         + ". Health Services Management Research. 2022;35(4):251-8. doi:10.1177/09514848211068624"),
        (NG, "harvard", "Ng, S.M. (2022) '" + NG_TITLE + "', Health Services Management Research, 35(4),"
         " pp. 251–258. Available at: https://doi.org/10.1177/09514848211068624"),
        (WALSH, "apa", "Walsh, N., & de Sarandy, S. (2023). " + WALSH_TITLE + ". The King's Fund."),
        (WALSH, "vancouver", "Walsh N, de Sarandy S. " + WALSH_TITLE + ". The King's Fund; 2023."),
        (WALSH, "harvard", "Walsh, N. and de Sarandy, S. (2023) " + WALSH_TITLE + ". The King's Fund."),
        ({**NG, "year": None}, "apa", "Ng, S. M. (n.d.). " + NG_TITLE
         + ". Health Services Management Research, 35(4), 251–258. https://doi.org/10.1177/09514848211068624"),
        ({**WALSH, "year": None}, "vancouver", "Walsh N, de Sarandy S. " + WALSH_TITLE
         + ". The King's Fund; [date unknown]."),
        ({**WALSH, "year": None}, "harvard", "Walsh, N. and de Sarandy, S. (n.d.) " + WALSH_TITLE
         + ". The King's Fund."),
        ({**WARING, "authors": []}, "apa", WARING_TITLE
         + " (2023). BMJ Leader, 7(4), 279–284. https://doi.org/10.1136/leader-2022-000709"),
        ({**WALSH, "authors": []}, "vancouver", WALSH_TITLE + ". The King's Fund; 2023."),
        ({**WALSH, "authors": []}, "harvard", WALSH_TITLE + " (2023). The King's Fund."),
        ({**NG, "doi": "", "pages": ""}, "apa", "Ng, S. M. (2022). " + NG_TITLE
         + ". Health Services Management Research, 35(4)."),
        ({**NG, "doi": "https://doi.org/10.1177/09514848211068624", "volume": "", "issue": ""}, "vancouver",
         "Ng SM. " + NG_TITLE
         + ". Health Services Management Research. 2022:251-8. doi:10.1177/09514848211068624"),
        ({**NG, "pages": "e12"}, "harvard", "Ng, S.M. (2022) '" + NG_TITLE + "', Health Services Management"
         " Research, 35(4), p. e12. Available at: https://doi.org/10.1177/09514848211068624"),
        ({"title": "T", "authors": ["Jean-Paul van der Berg", "Monitor"], "year": 2021}, "apa",
         "van der Berg, J.-P., & Monitor. (2021). T."),
        ({"title": "T", "authors": ["Jean-Paul van der Berg"], "year": 2021}, "vancouver",
         "van der Berg JP. T. 2021."),
        ({"title": "T", "authors": MANY[:7], "year": 2021, "venue": "J"}, "vancouver",
         "Family1 G, Family2 G, Family3 G, Family4 G, Family5 G, Family6 G, et al. T. J. 2021."),
        ({"title": "T", "authors": MANY, "year": 2021, "venue": "J"}, "apa",
         ", ".join(f"Family{i}, G." for i in range(1, 20)) + ", . . . Family22, G. (2021). T. J."),
        ({"title": "T", "authors": MANY[:20], "year": 2021, "venue": "J"}, "apa",
         ", ".join(f"Family{i}, G." for i in range(1, 20)) + ", & Family20, G. (2021). T. J."),
    ],
)  # fmt: skip
def test_format_reference(cit: dict[str, Any], style: str, expected: str) -> None:
    assert format_reference(cit, style) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cit", "style", "number", "expected"),
    [
        (AUFEGGER, "apa", None, "(Aufegger et al., 2020)"),
        (AUFEGGER, "harvard", None, "(Aufegger et al., 2020)"),
        (WALSH, "apa", None, "(Walsh & de Sarandy, 2023)"),
        (WALSH, "harvard", None, "(Walsh and de Sarandy, 2023)"),
        (NG, "apa", None, "(Ng, 2022)"),
        (NG, "harvard", None, "(Ng, 2022)"),
        (NG, "vancouver", None, "[3]"),
        (NG, "vancouver", 2, "[2]"),
        ({**WARING, "authors": WARING["authors"][:3]}, "apa", None, "(Waring et al., 2023)"),
        ({**WARING, "authors": WARING["authors"][:3]}, "harvard", None, "(Waring, Bishop and Black, 2023)"),
        ({**NG, "year": None}, "apa", None, "(Ng, n.d.)"),
        ({**AUFEGGER, "authors": []}, "apa", None, '("Sharing leadership," 2020)'),
        ({**AUFEGGER, "authors": []}, "harvard", None, "('Sharing leadership', 2020)"),
    ],
)
def test_in_text(cit: dict[str, Any], style: str, number: int | None, expected: str) -> None:
    assert in_text(cit, style, number) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sze May Ng", ("Ng", "Sze May")),
        ("Stephanie de Sarandy", ("de Sarandy", "Stephanie")),
        ("Ludwig van der Berg", ("van der Berg", "Ludwig")),
        ("de Sarandy, Stephanie", ("de Sarandy", "Stephanie")),
        ("Le Grand", ("Grand", "Le")),
        ("Monitor", ("Monitor", "")),
    ],
)
def test_split_name(name: str, expected: tuple[str, str]) -> None:
    assert split_name(name) == expected


def test_unknown_style_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"style 'mla': use one of apa, vancouver, harvard"):
        format_reference(NG, "mla")  # type: ignore[arg-type]


def test_reference_list_holds_each_paper_once_in_first_cited_order() -> None:
    second_passage = {**AUFEGGER, "n": 3}
    citations = [AUFEGGER, {**NG, "n": 2}, second_passage]
    assert reference_list(citations, "vancouver") == [
        (1, format_reference(AUFEGGER, "vancouver")),
        (2, format_reference(NG, "vancouver")),
    ]
    assert reference_numbers(citations) == {1: 1, 2: 2, 3: 1}


AUFEGGER_BIBTEX = """@article{aufegger2020,
  author = {Aufegger, Lisa and Alabi, Monica and Darzi, Ara and Bicknell, Colin},
  title = {Sharing leadership: current attitudes, barriers and needs of clinical and non-clinical managers in {UK}'s integrated care system},
  journal = {BMJ Leader},
  year = {2020},
  volume = {4},
  number = {3},
  pages = {128--134},
  doi = {10.1136/leader-2020-000228}
}
"""  # noqa: E501 (exact expected output)

WALSH_BIBTEX = """@techreport{walsh2023,
  author = {Walsh, Nicola and de Sarandy, Stephanie},
  title = {The practice of collaborative leadership across health and care services},
  institution = {The King's Fund},
  type = {Report},
  year = {2023}
}
"""


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        ([AUFEGGER, {**AUFEGGER, "n": 2, "doc": "web"}], AUFEGGER_BIBTEX),
        ([WALSH], WALSH_BIBTEX),
        (
            [{"title": "Costs & 50% of {care} for #1_x ~ y^2 \\ z", "authors": ["Monitor"], "year": None}],
            "@misc{monitornd,\n  author = {{Monitor}},\n"
            "  title = {Costs \\& 50\\% of \\{care\\} for \\#1\\_x \\textasciitilde{} y\\textasciicircum{}2"
            " \\textbackslash{} z}\n}\n",
        ),
        (
            [{"work": "a", "title": "A", "authors": ["Sze May Ng"], "year": 2022},
             {"work": "b", "title": "B", "authors": ["Amy Ng"], "year": 2022}],
            "@misc{ng2022,\n  author = {Ng, Sze May},\n  title = {A},\n  year = {2022}\n}\n\n"
            "@misc{ng2022b,\n  author = {Ng, Amy},\n  title = {B},\n  year = {2022}\n}\n",
        ),
    ],
)  # fmt: skip
def test_to_bibtex(citations: list[dict[str, Any]], expected: str) -> None:
    assert to_bibtex(citations) == expected


AUFEGGER_RIS = """TY  - JOUR
AU  - Aufegger, Lisa
AU  - Alabi, Monica
AU  - Darzi, Ara
AU  - Bicknell, Colin
PY  - 2020
TI  - Sharing leadership: current attitudes, barriers and needs of clinical and non-clinical managers in UK's integrated care system
T2  - BMJ Leader
JO  - BMJ Leader
VL  - 4
IS  - 3
SP  - 128
EP  - 134
DO  - 10.1136/leader-2020-000228
ER  - 
"""  # noqa: E501, W291 (exact expected output; RIS ends a record with "ER  - ")

WALSH_RIS = """TY  - RPRT
AU  - Walsh, Nicola
AU  - de Sarandy, Stephanie
PY  - 2023
TI  - The practice of collaborative leadership across health and care services
PB  - The King's Fund
ER  - 
"""  # noqa: W291 (RIS ends a record with "ER  - ")


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        ([AUFEGGER, {**AUFEGGER, "n": 2}], AUFEGGER_RIS),
        ([WALSH], WALSH_RIS),
        ([AUFEGGER, WALSH, {**WALSH, "n": 5}], AUFEGGER_RIS + "\n" + WALSH_RIS),
    ],
)
def test_to_ris(citations: list[dict[str, Any]], expected: str) -> None:
    assert to_ris(citations) == expected
