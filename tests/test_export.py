"""Exports of answers in every style: each in-text citation resolves to one reference, each reference is cited."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import docx.document
import pytest

from rag.export import (
    Part,
    answer_to_markdown,
    answer_to_plain_text,
    answers_to_docx,
    blockquote,
    conversation_to_markdown,
    document_docx,
    document_markdown,
    one_line,
)

CitationDict = dict[str, Any]
PAPERS: dict[str, CitationDict] = {
    "ng-2022": {
        "title": "A qualitative study on relationships and perceptions between managers and clinicians",
        "authors": ["Sze May Ng"],
        "year": 2022,
        "venue": "Health Services Management Research",
        "volume": "35",
        "issue": "4",
        "pages": "251-258",
        "doi": "10.1177/09514848211068624",
    },
    "walsh-2023": {
        "title": "The practice of collaborative leadership across health and care services",
        "authors": ["Nicola Walsh", "Stephanie de Sarandy"],
        "year": 2023,
        "venue": "The King's Fund (report)",
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "url": "https://www.kingsfund.org.uk/publications/practice-collaborative-leadership",
    },
    "waring-2023": {
        "title": "What can clinical leaders contribute to the governance of integrated care systems?",
        "authors": ["Justin Waring", "Simon Bishop", "Georgia Black", "Jenelle Clarke", "Bridget Roe"],
        "year": 2023,
        "venue": "BMJ Leader",
        "volume": "7",
        "issue": "4",
        "pages": "279-284",
        "doi": "10.1136/leader-2022-000709",
    },
    "aufegger-2020": {
        "title": "Sharing leadership: current attitudes, barriers and needs of clinical and non-clinical managers",
        "authors": ["Lisa Aufegger", "Monica Alabi", "Ara Darzi", "Colin Bicknell"],
        "year": 2020,
        "venue": "BMJ Leader",
        "volume": "4",
        "issue": "3",
        "pages": "128-134",
        "doi": "10.1136/leader-2020-000228",
    },
}


def citation(n: int, work: str, quote: str, section: str = "Findings", page: int | None = 4) -> CitationDict:
    """One cited passage as `Citation.to_dict()` writes it; the whole passage is the quote."""
    span = {"section": section, "page": page, "start": 0, "end": len(quote), "text": quote, "quote": quote}
    return {"n": n, "chunk_id": f"c{n}", "doc": f"{work}.txt", "work": work, **PAPERS[work], **span}


ANSWER: dict[str, Any] = {
    "id": "q1",
    "question": "How do managers\nand clinicians relate?",
    "answer": "Mistrust runs both ways [1]. Shared goals help [2][3].",
    "abstained": False,
    "citations": [
        citation(1, "ng-2022", "Managers felt *unheard*;\n# not a heading\n\n> nor a nested quote"),
        citation(2, "walsh-2023", "Leaders share goals.", section="", page=None),
        citation(3, "ng-2022", "Clinicians valued shared goals.", section="Discussion", page=6),
    ],
    "retrieved": [],
    "sentences": [],
    "backend": "extractive",
    "timings_ms": {},
}
ABSTAINED: dict[str, Any] = {
    **ANSWER,
    "question": "What does the NHS spend on leadership?",
    "answer": "The papers do not say.",
    "abstained": True,
}
SECOND: dict[str, Any] = {
    **ANSWER,
    "id": "q2",
    "question": "What can clinical leaders add?",
    "answer": "They broker connections [1]. Leaders need time to collaborate [2]. Trust matters [3, 1].",
    "citations": [
        citation(1, "waring-2023", "Clinical leaders brokered connections.", section="Results", page=3),
        citation(2, "walsh-2023", "Collaboration takes time.", section="Practice 1", page=None),
        citation(3, "aufegger-2020", "Trust was the main enabler.", section="Results", page=None),
    ],
}
THIRD: dict[str, Any] = {
    **ANSWER,
    "id": "q3",
    "question": "What barriers were reported?",
    "answer": "Silo working was a barrier [2]. Managers and clinicians mistrust each other [1].",
    "citations": [
        citation(1, "ng-2022", "Mistrust was common.", section="Findings", page=5),
        citation(2, "aufegger-2020", "Silo working was the main barrier.", section="Results", page=None),
    ],
}
CONVERSATION = [ANSWER, SECOND, THIRD]
STYLES = ["apa", "vancouver", "harvard"]
AUTHOR_DATE = re.compile(r"\(([^()]*?\d{4}[^()]*)\)")
NUMERIC = re.compile(r"\[(\d+(?:, [^\[\];]+)?(?:; \d+(?:, [^\[\];]+)?)*)\]")


def cited_items(text: str, style: str) -> list[str]:
    """Every in-text citation item in the text: '1' in a numeric style, 'Ng, 2022, p. 4' otherwise."""
    if style == "vancouver":
        return [item.split(",")[0] for group in NUMERIC.findall(text) for item in group.split("; ")]
    return [item for group in AUTHOR_DATE.findall(text) for item in group.split("; ")]


def resolve(item: str, references: list[str], style: str) -> list[str]:
    """The references an in-text item points at: by number, or by every family name and the year."""
    if style == "vancouver":
        return [r for r in references if r.startswith(f"{item}. ")]
    names, year = re.match(r"(.*?),? (\d{4}|n\.d\.)", item).groups()  # type: ignore[union-attr]
    families = [f for f in re.split(r" & | and |, | et al\.", names) if f]
    return [r for r in references if r.startswith(families[0]) and year in r and all(f in r for f in families)]


def check_agreement(body: str, references: list[str], style: str, works: int) -> None:
    """Each citation resolves to exactly one reference, every reference is cited, none is listed twice."""
    items = cited_items(body, style)
    assert items, body
    for item in items:
        assert len(resolve(item, references, style)) == 1, (item, references)
    cited = {r for item in items for r in resolve(item, references, style)}
    assert cited == set(references)
    assert len(references) == len(set(references)) == works
    if style == "vancouver":
        assert [r.split(".")[0] for r in references] == [str(k) for k in range(1, works + 1)]
    else:  # author-date: alphabetical
        assert references == sorted(references, key=str.lower)


def markdown_parts(text: str) -> tuple[str, list[str]]:
    body, _, refs = text.partition("## References\n")
    lines = [line.removeprefix("- ") for line in refs.strip().splitlines() if line.strip()]
    return body, [re.sub(r"[*\\]|\]\(http[^)]*\)|(?<=\s)\[", "", line) for line in lines]


def docx_parts(data: bytes) -> tuple[docx.document.Document, str, list[Any]]:
    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == "References" and p.style.name == "Heading 1")
    return document, "\n".join(p.text for p in paragraphs[:at]), paragraphs[at + 1 :]


@pytest.mark.parametrize("style", STYLES)
def test_every_export_cites_what_its_reference_list_holds(style: str) -> None:
    markdown = conversation_to_markdown(CONVERSATION, style, title="Session")
    body, references = markdown_parts(markdown)
    check_agreement(body, references, style, works=4)
    assert markdown.count("## References") == 1  # one merged list for the conversation
    for answer, works in zip(CONVERSATION, (2, 3, 2), strict=True):
        check_agreement(*markdown_parts(answer_to_markdown(answer, style)), style, works=works)
        text, _, refs = answer_to_plain_text(answer, style).partition("\nReferences\n")
        check_agreement(text, refs.strip().splitlines(), style, works=works)
    _document, body, entries = docx_parts(answers_to_docx(CONVERSATION, style, title="Session"))
    check_agreement(body, [p.text for p in entries], style, works=4)
    links = {link.url for p in entries for link in p.hyperlinks}
    assert links == {
        "https://doi.org/10.1177/09514848211068624",
        "https://doi.org/10.1136/leader-2022-000709",
        "https://doi.org/10.1136/leader-2020-000228",
        "https://www.kingsfund.org.uk/publications/practice-collaborative-leadership",
    }


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "Mistrust runs both ways (Ng, 2022, p. 4). Shared goals help (Walsh & de Sarandy, 2023; "
         "Ng, 2022, p. 6)."),
        ("harvard", "Mistrust runs both ways (Ng, 2022, p. 4). Shared goals help (Walsh and de Sarandy, 2023; "
         "Ng, 2022, p. 6)."),
        ("vancouver", "Mistrust runs both ways [1, p. 4]. Shared goals help [1, p. 6; 2]."),
    ],
)  # fmt: skip
def test_markers_become_in_text_citations_of_papers(style: str, expected: str) -> None:
    assert answer_to_plain_text(ANSWER, style).splitlines()[0] == expected


def test_conversation_numbers_papers_by_first_citation() -> None:
    body, references = markdown_parts(conversation_to_markdown(CONVERSATION, "vancouver"))
    assert "They broker connections [3, p. 3]. Leaders need time to collaborate [2, Practice 1]." in body
    assert "Trust matters [3, p. 3; 4, Results]." in body
    assert [r[:8] for r in references] == ["1. Ng SM", "2. Walsh", "3. Warin", "4. Aufeg"]


ANSWER_MARKDOWN = """# How do managers and clinicians relate?

Mistrust runs both ways (Ng, 2022, p. 4). Shared goals help (Walsh & de Sarandy, 2023; Ng, 2022, p. 6).

## Quotes

**(Ng, 2022, p. 4), Findings**

> Managers felt *unheard*;
> # not a heading
>
> > nor a nested quote

**(Walsh & de Sarandy, 2023)**

> Leaders share goals.

**(Ng, 2022, p. 6), Discussion**

> Clinicians valued shared goals.

## References

- Ng, S. M. (2022). A qualitative study on relationships and perceptions between managers and clinicians. \
*Health Services Management Research*, *35*(4), 251–258. \
[https://doi.org/10.1177/09514848211068624](https://doi.org/10.1177/09514848211068624)
- Walsh, N., & de Sarandy, S. (2023). *The practice of collaborative leadership across health and care services*. \
The King's Fund. \
[https://www.kingsfund.org.uk/publications/practice-collaborative-leadership](https://www.kingsfund.org.uk/publications/practice-collaborative-leadership)
""".replace(" \\\n", " ")


def test_answer_markdown_golden() -> None:
    assert answer_to_markdown(ANSWER, "apa") == ANSWER_MARKDOWN
    assert (
        answer_to_markdown(ABSTAINED, "apa") == "# What does the NHS spend on leadership?\n\nThe papers do not say.\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("one line", "> one line"), ("a\n\nb", "> a\n>\n> b"), ("# h\n- item\n> q", "> # h\n> - item\n> > q"), ("", ">")],
)
def test_blockquote(text: str, expected: str) -> None:
    assert blockquote(text) == expected


def test_word_document_is_real_word() -> None:
    form_feed = {**ANSWER["citations"][2], "quote": "Clinicians valued\x0cshared goals."}
    answer = {**ANSWER, "citations": [*ANSWER["citations"][:2], form_feed]}
    document = docx.Document(io.BytesIO(answers_to_docx([answer], "apa", title=one_line(ANSWER["question"]))))
    rows = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert rows[:4] == [
        ("Title", "How do managers and clinicians relate?"),  # the lone answer's question is not repeated
        ("Normal", "Mistrust runs both ways (Ng, 2022, p. 4). Shared goals help (Walsh & de Sarandy, 2023; "
                   "Ng, 2022, p. 6)."),
        ("Heading 1", "Quotes"),
        ("Normal", "(Ng, 2022, p. 4), Findings"),
    ]  # fmt: skip
    assert [r[0] for r in rows].count("Quote") == 3
    assert ("Quote", "Clinicians valued shared goals.") in rows
    ng = document.paragraphs[[r[1] for r in rows].index("References") + 1]
    italic = [r.text for r in ng.runs if r.italic]
    assert italic == ["Health Services Management Research", "35"]
    assert [(link.url, link.text) for link in ng.hyperlinks] == [("https://doi.org/10.1177/09514848211068624",) * 2]
    assert document.core_properties.title == "How do managers and clinicians relate?"


def test_document_with_notes_and_appendix() -> None:
    parts = [Part("Mistrust", ANSWER, note="Discuss in pairs."), Part("Barriers", THIRD)]
    markdown = document_markdown("Course pack", parts, "apa", appendix=True)
    assert markdown.startswith("# Course pack\n\n## Mistrust\n\n*Discuss in pairs.*\n\n")
    assert "## Appendix: quoted passages" in markdown
    assert "**(Ng, 2022, p. 5), Findings** (answer 2)\n\n> Mistrust was common." in markdown
    document, body, entries = docx_parts(document_docx("Course pack", parts, "vancouver", appendix=True))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        "Course pack", "Mistrust", "Quotes", "Barriers", "Quotes", "Appendix: quoted passages", "References",
    ]  # fmt: skip
    check_agreement(body, [p.text for p in entries], "vancouver", works=3)


ACROSS: dict[str, Any] = {
    **SECOND,
    "by_paper": [
        {"work": "waring-2023", "title": PAPERS["waring-2023"]["title"], "label": "Waring et al., 2023",
         "addressed": True, "sentences": ["They broker connections."], "citations": [1]},
        {"work": "walsh-2023", "title": PAPERS["walsh-2023"]["title"], "label": "Walsh & de Sarandy, 2023",
         "addressed": True, "sentences": ["Leaders need time | space."], "citations": [2]},
        {"work": "ng-2022", "title": PAPERS["ng-2022"]["title"], "label": "Ng, 2022", "addressed": False,
         "sentences": [], "citations": []},
    ],
    "disagreements": ["Waring counts 24 clinical leaders, Walsh 15 senior leaders."],
}  # fmt: skip


@pytest.mark.parametrize("style", STYLES)
def test_evidence_table_of_an_answer_across_the_papers(style: str) -> None:
    markdown = answer_to_markdown(ACROSS, style)
    body, references = markdown_parts(markdown)
    check_agreement(body, references, style, works=3)
    table = [line for line in body.splitlines() if line.startswith("| ")]
    waring = "[1, p. 3]" if style == "vancouver" else "(Waring et al., 2023, p. 3)"
    assert table[:2] == ["| Paper | What it says |", "| --- | --- |"]
    assert table[2] == f"| {PAPERS['waring-2023']['title']} | They broker connections. {waring} |"
    assert table[3].startswith(f"| {PAPERS['walsh-2023']['title']} | Leaders need time \\| space. ")
    assert table[4] == f"| {PAPERS['ng-2022']['title']} | Not addressed |"
    assert "- Where they differ: Waring counts 24 clinical leaders, Walsh 15 senior leaders." in body
    document = docx.Document(io.BytesIO(answers_to_docx([ACROSS], style, title="Across")))
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0] == ["Paper", "What it says"]
    assert cells[3] == [PAPERS["ng-2022"]["title"], "Not addressed"]
    assert cells[1][1] == f"They broker connections. {waring}"
