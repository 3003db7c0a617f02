"""References through CSL (citeproc-py): each style's entries and in-text citations, any style by name, BibTeX, RIS."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy

from rag.csl import available_styles, csl_item, is_group, load_style, split_name
from rag.errors import RagError
from rag.reference_records import to_bibtex, to_ris
from rag.references import cite_answers, in_text, reference_line, with_references

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
    "url": "https://www.kingsfund.org.uk/publications/practice-collaborative-leadership",
}
AUF_TITLE = AUFEGGER["title"]
WALSH_TITLE = WALSH["title"]
CATALOG = Path(__file__).resolve().parents[1] / "corpus" / "catalog.toml"
FACTS = ("work", "title", "authors", "year", "venue", "volume", "issue", "pages", "doi", "url")


@pytest.mark.parametrize("paper", [AUFEGGER, WARING, NG, WALSH], ids=lambda paper: paper["work"])
def test_fixture_papers_match_the_catalog(paper: dict[str, Any]) -> None:
    entries = tomllib.loads(CATALOG.read_text(encoding="utf-8"))["files"].values()
    entry = next(entry for entry in entries if entry["work"] == paper["work"])
    assert {fact: entry.get(fact, "") for fact in FACTS} == {fact: paper.get(fact, "") for fact in FACTS}


def references(citations: list[dict[str, Any]], style: str) -> list[str]:
    answer = {"answer": " ".join(f"[{c['n']}]" for c in citations), "citations": citations}
    return [reference_line(r) for r in cite_answers([answer], style).references]


@pytest.mark.parametrize(
    ("cit", "style", "expected"),
    [
        (AUFEGGER, "apa", "Aufegger, L., Alabi, M., Darzi, A., & Bicknell, C. (2020). " + AUF_TITLE
         + ". BMJ Leader, 4(3), 128–134. https://doi.org/10.1136/leader-2020-000228"),
        (AUFEGGER, "vancouver", "1. Aufegger L, Alabi M, Darzi A, Bicknell C. " + AUF_TITLE
         + ". BMJ Leader. 2020;4(3):128–34. doi:10.1136/leader-2020-000228"),
        (AUFEGGER, "harvard", "Aufegger, L. et al. (2020) “" + AUF_TITLE
         + "”, BMJ Leader, 4(3), pp. 128–134. Available at: https://doi.org/10.1136/leader-2020-000228."),
        (WARING, "apa", "Waring, J., Bishop, S., Black, G., Clarke, J., & Roe, B. (2023). " + WARING["title"]
         + " BMJ Leader, 7(4), 279–284. https://doi.org/10.1136/leader-2022-000709"),
        (WALSH, "apa", "Walsh, N., & de Sarandy, S. (2023). " + WALSH_TITLE + ". The King's Fund. " + WALSH["url"]),
        (WALSH, "vancouver", "1. Walsh N, de Sarandy S. " + WALSH_TITLE
         + " [Internet]. The King's Fund; 2023. Available from: " + WALSH["url"]),
        ({**NG, "year": None, "url": ""}, "apa", "Ng, S. M. (n.d.). " + NG["title"]
         + ". Health Services Management Research, 35(4), 251–258. https://doi.org/10.1177/09514848211068624"),
    ],
)  # fmt: skip
def test_reference_entries(cit: dict[str, Any], style: str, expected: str) -> None:
    assert references([cit], style) == [expected]


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "(Waring et al., 2023, p. 3; Walsh & de Sarandy, 2023, Findings section)"),
        ("harvard", "(Waring et al., 2023, p. 3; Walsh and de Sarandy, 2023, Findings section)"),
        ("vancouver", "[1, p. 3; 2, Findings]"),
        ("chicago-author-date", "(Waring et al. 2023, 3; Walsh and de Sarandy 2023, Findings section)"),
        ("ieee", "[1, p. 3; 2, Findings]"),
    ],
)
def test_in_text_citation_carries_the_locator(style: str, expected: str) -> None:
    cits = [{**WARING, "n": 1, "page": 3, "section": "Results"}, {**WALSH, "n": 2, "page": None, "section": "Findings"}]
    document = cite_answers([{"answer": "Both [1][2].", "citations": cits}], style)
    assert document.rewrite(0, "Both [1][2].") == f"Both {expected}."
    assert document.rewrite(0, "Both. [1] [2] Then? [9]") == f"Both {expected}. Then? [9]"  # before the stop


@pytest.mark.parametrize(
    ("cit", "style", "expected"),
    [
        (AUFEGGER, "apa", "(Aufegger et al., 2020)"),
        (AUFEGGER, "harvard", "(Aufegger et al., 2020)"),
        (WALSH, "apa", "(Walsh & de Sarandy, 2023)"),
        (WALSH, "harvard", "(Walsh and de Sarandy, 2023)"),
        (NG, "vancouver", "[3]"),
        ({**NG, "year": None}, "apa", "(Ng, n.d.)"),
    ],
)
def test_in_text(cit: dict[str, Any], style: str, expected: str) -> None:
    assert in_text(cit, style) == expected


def test_author_date_list_is_alphabetical_and_numeric_list_in_first_cited_order() -> None:
    cits = [WARING, {**AUFEGGER, "n": 1}, {**NG, "n": 5}, {**AUFEGGER, "n": 6}]  # cited in this order: [2] [1] ...
    assert [r[:6] for r in references(cits, "apa")] == ["Aufegg", "Ng, S.", "Waring"]
    assert [r[:6] for r in references(cits, "vancouver")] == ["1. War", "2. Auf", "3. Ng "]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sze May Ng", ("Ng", "Sze May")),
        ("Stephanie de Sarandy", ("de Sarandy", "Stephanie")),
        ("Ludwig van der Berg", ("van der Berg", "Ludwig")),
        ("de Sarandy, Stephanie", ("de Sarandy", "Stephanie")),
        ("Monitor", ("Monitor", "")),
    ],
)
def test_split_name(name: str, expected: tuple[str, str]) -> None:
    assert split_name(name) == expected


def test_csl_item_of_a_report_and_an_article() -> None:
    assert csl_item(WALSH) == {
        "id": "walsh-2023",
        "type": "report",
        "title": WALSH_TITLE,
        "author": [{"family": "Walsh", "given": "Nicola"}, {"family": "de Sarandy", "given": "Stephanie"}],
        "issued": {"date-parts": [[2023]]},
        "publisher": "The King's Fund",
        "URL": WALSH["url"],
    }
    item = csl_item({**NG, "doi": "https://doi.org/10.1177/X", "authors": ["Monitor"]})
    assert (item["type"], item["DOI"], item["author"], item["page"]) == (
        "article-journal",
        "10.1177/X",
        [{"literal": "Monitor"}],
        "251-258",
    )


def test_any_csl_style_by_name_and_a_clear_error_for_an_unknown_one() -> None:
    assert {"apa", "harvard-cite-them-right", "nlm-citation-sequence-brackets", "vancouver-nlm"} <= set(
        available_styles()
    )
    assert (load_style("apa").title, load_style("apa").numeric) == ("APA Style 7th edition", False)
    assert load_style("vancouver").numeric is True
    assert load_style("harvard").title == "Cite Them Right 12th edition (author-date/Harvard)"
    with pytest.raises(RagError, match=r"unknown reference style 'no-such-style': use apa, vancouver, harvard"):
        load_style("no-such-style")


def test_bibtex_reads_back_with_one_entry_per_paper() -> None:
    odd = {"work": "x", "title": "Costs & 50% of care for #1_x in the UK", "authors": ["Monitor"], "year": None}
    text = to_bibtex([AUFEGGER, {**AUFEGGER, "n": 2}, WALSH, odd, {**NG, "work": "ng-b", "authors": ["Amy Ng"]}, NG])
    library = bibtexparser.parse_string(text)
    assert [(e.entry_type, e.key) for e in library.entries] == [
        ("article", "aufegger2020"), ("techreport", "walsh2023"), ("misc", "monitornd"), ("article", "ng2022"),
        ("article", "ng2022b"),
    ]  # fmt: skip
    fields = library.entries[0].fields_dict
    assert fields["author"].value == "Aufegger, Lisa and Alabi, Monica and Darzi, Ara and Bicknell, Colin"
    assert fields["title"].value.endswith("managers in {UK}'s integrated care system")
    assert (fields["pages"].value, fields["doi"].value) == ("128--134", "10.1136/leader-2020-000228")
    assert library.entries[2].fields_dict["title"].value == r"Costs \& 50\% of care for \#1\_x in the {UK}"
    assert library.entries[1].fields_dict["url"].value == WALSH["url"]


def test_ris_reads_back_with_one_record_per_paper() -> None:
    records = rispy.loads(to_ris([AUFEGGER, WALSH, {**WALSH, "n": 5}]))
    assert [(r["type_of_reference"], r["authors"][0], r["year"]) for r in records] == [
        ("JOUR", "Aufegger, Lisa", "2020"), ("RPRT", "Walsh, Nicola", "2023"),
    ]  # fmt: skip
    assert (records[0]["journal_name"], records[0]["start_page"], records[0]["end_page"]) == (
        "BMJ Leader",
        "128",
        "134",
    )
    assert (records[0]["doi"], records[1]["publisher"], records[1]["urls"]) == (
        "10.1136/leader-2020-000228", "The King's Fund", [WALSH["url"]],
    )  # fmt: skip


def test_json_answer_carries_the_same_numbering() -> None:
    cits = [{**WARING, "n": 1, "page": 3}, {**AUFEGGER, "n": 2, "page": None, "section": "Results"}, {**WARING, "n": 3}]
    answer = {"answer": "They broker [1]. Trust matters [2][3].", "citations": cits}
    out = with_references(answer, "vancouver")
    assert out["cited_answer"] == "They broker [1, p. 3]. Trust matters [1; 2, Results]."
    assert [(c["n"], c["reference"], c["cite"]) for c in out["citations"]] == [
        (1, 1, "[1, p. 3]"), (2, 2, "[2, Results]"), (3, 1, "[1]"),
    ]  # fmt: skip
    assert [(r["reference"], r["number"], r["work"]) for r in out["references"]] == [
        (1, 1, "waring-2023"), (2, 2, "aufegger-2020"),
    ]  # fmt: skip
    apa = with_references(answer, "apa")
    assert [r["work"] for r in apa["references"]] == ["aufegger-2020", "waring-2023"]  # alphabetical
    assert [c["reference"] for c in apa["citations"]] == [2, 1, 2]


PREPRINT: dict[str, Any] = {
    "n": 1,
    "work": "atlascms-2015",
    "title": "Combined Measurement of the Higgs Boson Mass in pp Collisions at √s = 7 and 8 TeV with the ATLAS and CMS "
    "Experiments",
    "authors": ["The ATLAS and CMS Collaborations"],
    "year": 2015,
    "venue": "arXiv preprint arXiv:1503.07589v1",  # (as rag.paper_facts reads it off the margin's stamp)
}


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "The ATLAS and CMS Collaborations. (2015). " + PREPRINT["title"]
         + " (arXiv:1503.07589v1). arXiv. https://arxiv.org/abs/1503.07589v1"),
        ("vancouver", "1. The ATLAS and CMS Collaborations. " + PREPRINT["title"]
         + " [Internet]. arXiv; 2015. Available from: https://arxiv.org/abs/1503.07589v1"),
    ],
)  # fmt: skip
def test_a_body_as_author_and_a_preprint_by_its_arxiv_identifier(style: str, expected: str) -> None:
    """A collaboration signs as one body, not "Collaborations, T. A. and C."; a preprint is cited by its arXiv
    identifier and linked to its page there, not as a journal called "arXiv Preprint arXiv:1503.07589v1"."""
    assert references([PREPRINT], style) == [expected]
    assert in_text(PREPRINT, "apa") == "(The ATLAS and CMS Collaborations, 2015)"


def test_a_body_as_author_and_a_preprint_in_bibtex_and_ris() -> None:
    entry = bibtexparser.parse_string(to_bibtex([PREPRINT])).entries[0]
    assert (entry.key, entry["author"], entry["url"]) == (
        "atlas2015",
        "{The ATLAS and CMS Collaborations}",  # braced: its "and" joins no two people
        "https://arxiv.org/abs/1503.07589v1",
    )
    record = rispy.loads(to_ris([PREPRINT]))[0]
    assert (record["authors"], record["urls"]) == (
        ["The ATLAS and CMS Collaborations"],
        ["https://arxiv.org/abs/1503.07589v1"],
    )


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("The ATLAS and CMS Collaborations", True),
        ("NHS England Research Group", True),
        ("The King's Fund", True),
        ("Theodore Smith", False),
        ("Stephanie de Sarandy", False),
    ],
)
def test_a_body_is_told_from_a_person(name: str, group: bool) -> None:
    assert is_group(name) is group
