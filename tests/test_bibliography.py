"""Reference lists of text papers cut into entries and parsed; the list stays out of the passages."""

from __future__ import annotations

from rag.bibliography import Reference, bibliography_of
from rag.schema import Page, SourceFile

APA = """# Ward huddles

Nurses met each morning.

## References

Smith, J., & Jones, K. (2019). Huddles on the ward: A study. Journal of Nursing, 12(3), 45-56.
https://doi.org/10.1000/jn.2019.12

Brown, A. (2020). Short meetings. Health Press.
"""

VANCOUVER = """Results

We found three things.

References

1. Ng L, Patel R: Safety huddles in practice. BMJ Qual Saf 2021, 30:12-19.
2. Okafor C: Morning meetings. Nurs Times 2018,
114(2):33.
"""


def _source(text: str) -> SourceFile:
    return SourceFile(doc="note.md", pages=(Page(number=None, text=text),), sha256="0")


def test_an_author_year_list_in_a_markdown_paper() -> None:
    assert bibliography_of(_source(APA)) == [
        Reference(
            "Smith, J., & Jones, K. (2019). Huddles on the ward: A study. Journal of Nursing, 12(3), 45-56. "
            "https://doi.org/10.1000/jn.2019.12",
            None,
            ("Smith, J.", "Jones, K."),
            2019,
            "Huddles on the ward: A study",
            "Journal of Nursing",
            "10.1000/jn.2019.12",
            "https://doi.org/10.1000/jn.2019.12",
        ),
        Reference(
            "Brown, A. (2020). Short meetings. Health Press.",
            None,
            ("Brown, A.",),
            2020,
            "Short meetings",
            "Health Press",
        ),
    ]


def test_a_numbered_list_with_an_entry_over_two_lines() -> None:
    refs = bibliography_of(_source(VANCOUVER))
    assert [(r.number, r.authors, r.year, r.title, r.venue) for r in refs] == [
        (1, ("Ng L", "Patel R"), 2021, "Safety huddles in practice", "BMJ Qual Saf"),
        (2, ("Okafor C",), 2018, "Morning meetings", "Nurs Times"),
    ]


def test_a_paper_without_a_reference_list_has_no_bibliography() -> None:
    assert bibliography_of(_source("Results\n\nWe found three things (Smith, 2019).\n")) == []


MARKDOWN_BULLETS = """## References

- Dadich A and Doloswala N. What can theory offer? A review. *BMC Health Serv Res* 2018; 18: 351. DOI: [10.1186/s1](https://doi.org/10.1186/s1).
- de Zulueta P. Developing compassionate leadership. *J Health Leadersh* 2016; 8: 1–10.

## Footnotes

- Funding: none.
"""


def test_a_bullet_list_with_markdown_marks() -> None:
    refs = bibliography_of(_source(MARKDOWN_BULLETS))
    assert [(r.authors, r.year, r.title, r.venue, r.doi) for r in refs] == [
        (("Dadich A", "Doloswala N"), 2018, "What can theory offer? A review", "BMC Health Serv Res", "10.1186/s1"),
        (("de Zulueta P",), 2016, "Developing compassionate leadership", "J Health Leadersh", ""),
    ]


def test_the_starter_papers_reference_lists() -> None:
    from pathlib import Path

    from rag.readers import read_source

    corpus = Path(__file__).parent.parent / "corpus"
    counts = {p.name: len(bibliography_of(read_source(p))) for p in sorted(corpus.glob("*.txt"))}
    assert counts == {
        "aufegger-2020-sharing-leadership.pdf.txt": 0,  # no reference list in the text
        "aufegger-2020-sharing-leadership.web.txt": 0,  # 'References' then only the footnotes
        "ng-2022-managers-clinicians-value-based-healthcare.txt": 25,
        "walsh-2023-practice-of-collaborative-leadership.txt": 39,
        "waring-2023-clinical-leaders-ics-governance.txt": 0,  # no reference list in the text
    }


HARVARD = (
    "References\n\n"
    "Baumeister R, Leary M (1995). 'The need to belong: a fundamental human motivation'. Psychological Bulletin,"
    " vol 117, no 3, pp 497–529.\n\n"
    "Veronesi G and Vallasca F. Clinicians in management: does it make a difference?, http://www.example.org/c.pdf"
    " (2012, Accessed January 13, 2014).\n"
)


def test_quotes_around_a_title_and_a_link_run_into_it_are_not_the_title() -> None:
    refs = bibliography_of(_source(HARVARD))
    assert [(r.authors, r.year, r.title, r.venue, r.url) for r in refs] == [
        (
            ("Baumeister R", "Leary M"),
            1995,
            "The need to belong: a fundamental human motivation",
            "Psychological Bulletin",
            "",
        ),
        (
            ("Veronesi G", "Vallasca F"),
            2012,
            "Clinicians in management: does it make a difference?",
            "",
            "http://www.example.org/c.pdf",
        ),
    ]


def test_each_entry_is_placed_where_it_is_printed() -> None:
    """An entry's page and span are where the paper prints it, Markdown and all ("*BMC Health Serv Res*"), so that
    an answer quoting it cites the reference list itself; an entry spread over two lines spans both."""
    refs = bibliography_of(_source(MARKDOWN_BULLETS))
    assert [(r.page, MARKDOWN_BULLETS[r.start : r.end]) for r in refs] == [
        (None, line[2:]) for line in MARKDOWN_BULLETS.splitlines()[2:4]
    ]
    refs = bibliography_of(_source(VANCOUVER))
    assert [VANCOUVER[r.start : r.end] for r in refs] == [
        "Ng L, Patel R: Safety huddles in practice. BMJ Qual Saf 2021, 30:12-19.",
        "Okafor C: Morning meetings. Nurs Times 2018,\n114(2):33.",
    ]
    # (looked for after the list's heading: "Ng L" in the text before it is not the entry)
    early = "Ng L, Patel R: we met.\n\n" + VANCOUVER
    assert bibliography_of(_source(early))[0].start == early.index("Ng L, Patel R: Safety")


def test_the_entries_of_real_papers_are_placed_on_their_pages() -> None:
    from pathlib import Path

    from rag.readers import read_source

    root = Path(__file__).parent
    for path in [root.parent / "corpus" / "ng-2022-managers-clinicians-value-based-healthcare.txt",
                 root / "fixtures" / "pdfs" / "react-yao-2023.pdf"]:  # fmt: skip
        source = read_source(path)
        pages = {p.number: p.text for p in source.pages}
        refs = bibliography_of(source)
        printed = [" ".join(pages[r.page][r.start : r.end].split()) for r in refs]
        # (each span opens with the entry's first words, as printed: "*Title*" in the text file)
        assert [p.replace("*", "")[:12] for p in printed] == [r.text[:12] for r in refs]
        assert len(refs) == {"ng": 25, "react": 35}[path.name.split("-")[0]]
    assert refs[-1].page == max(r.page for r in refs if r.page is not None) >= 10
