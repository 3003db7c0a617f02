"""Exports of answers: exact Markdown and plain text, and a Word document read back with python-docx."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from docx.shared import Cm

from rag.export import (
    answer_to_markdown,
    answer_to_plain_text,
    answers_to_docx,
    blockquote,
    conversation_to_markdown,
    quote_label,
    renumber_markers,
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
NG_APA = (
    "Ng, S. M. (2022). A qualitative study on relationships and perceptions between managers and clinicians."
    " Health Services Management Research, 35(4), 251–258. https://doi.org/10.1177/09514848211068624"
)
WALSH_APA = (
    "Walsh, N., & de Sarandy, S. (2023). The practice of collaborative leadership across health and care"
    " services. The King's Fund."
)
ANSWER_MARKDOWN = f"""## How do managers and clinicians relate?

Mistrust runs both ways [1]. Shared goals help [2][3].

### Quotes

**[1]** (Ng, 2022), Findings, source p. 4

> Managers felt *unheard*;
> # not a heading
>
> > nor a nested quote

**[2]** (Walsh & de Sarandy, 2023)

> Leaders share goals.

**[3]** (Ng, 2022), Discussion, source p. 6

> Clinicians valued shared goals.

### References

1. {NG_APA}
2. {WALSH_APA}
"""
ABSTAINED_MARKDOWN = """## What does the NHS spend on leadership?

The papers do not say.
"""


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(ANSWER, ANSWER_MARKDOWN), (ABSTAINED, ABSTAINED_MARKDOWN)],
)
def test_answer_to_markdown(answer: dict[str, Any], expected: str) -> None:
    assert answer_to_markdown(answer, "apa") == expected


def test_conversation_to_markdown_keeps_order_under_one_title() -> None:
    expected = "# Session 1\n\n" + ANSWER_MARKDOWN + "\n---\n\n" + ABSTAINED_MARKDOWN
    assert conversation_to_markdown([ANSWER, ABSTAINED], "apa", title="Session 1") == expected


@pytest.mark.parametrize(
    ("cit", "style", "reference", "expected"),
    [
        (ANSWER["citations"][0], "apa", 1, "(Ng, 2022), Findings, source p. 4"),
        (ANSWER["citations"][0], "harvard", 1, "(Ng, 2022), Findings, source p. 4"),
        (ANSWER["citations"][2], "vancouver", 1, "Reference 1, Discussion, source p. 6"),
        (ANSWER["citations"][1], "harvard", 2, "(Walsh and de Sarandy, 2023)"),
    ],
)
def test_quote_label(cit: dict[str, Any], style: str, reference: int, expected: str) -> None:
    assert quote_label(cit, style, reference) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one line", "> one line"),
        ("a\n\nb", "> a\n>\n> b"),
        ("# h\n- item\n> q", "> # h\n> - item\n> > q"),
        ("", ">"),
    ],
)
def test_blockquote(text: str, expected: str) -> None:
    assert blockquote(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A [1]. B [2][3].", "A [1]. B [2][1]."),
        ("A [1][3].", "A [1]."),
        ("A [1] [3] and [2, 3].", "A [1] and [2, 1]."),
        ("A [9].", "A [9]."),
    ],
)
def test_renumber_markers(text: str, expected: str) -> None:
    assert renumber_markers(text, {1: 1, 2: 2, 3: 1}) == expected


@pytest.mark.parametrize(
    ("answer", "style", "expected"),
    [
        (ANSWER, "apa", f"Mistrust runs both ways [1]. Shared goals help [2][1].\n\nReferences\n1. {NG_APA}\n"
         f"2. {WALSH_APA}\n"),
        (ANSWER, "vancouver", "Mistrust runs both ways [1]. Shared goals help [2][1].\n\nReferences\n"
         "1. Ng SM. A qualitative study on relationships and perceptions between managers and clinicians."
         " Health Services Management Research. 2022;35(4):251-8. doi:10.1177/09514848211068624\n"
         "2. Walsh N, de Sarandy S. The practice of collaborative leadership across health and care services."
         " The King's Fund; 2023.\n"),
        (ABSTAINED, "apa", "The papers do not say.\n"),
    ],
)  # fmt: skip
def test_answer_to_plain_text(answer: dict[str, Any], style: str, expected: str) -> None:
    assert answer_to_plain_text(answer, style) == expected  # type: ignore[arg-type]


def test_answers_to_docx_round_trip() -> None:
    form_feed_quote = {**ANSWER["citations"][2], "quote": "Clinicians valued\x0cshared goals."}
    answer = {**ANSWER, "citations": [*ANSWER["citations"][:2], form_feed_quote]}
    document = docx.Document(io.BytesIO(answers_to_docx([answer, ABSTAINED], "apa", title="Course notes")))
    rows = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert rows == [
        ("Title", "Course notes"),
        ("Heading 1", "How do managers and clinicians relate?"),
        ("Normal", "Mistrust runs both ways [1]. Shared goals help [2][3]."),
        ("Heading 2", "Quotes"),
        ("Normal", "[1] (Ng, 2022), Findings, source p. 4"),
        ("Quote", "Managers felt *unheard*;\n# not a heading\n\n> nor a nested quote"),
        ("Normal", "[2] (Walsh & de Sarandy, 2023)"),
        ("Quote", "Leaders share goals."),
        ("Normal", "[3] (Ng, 2022), Discussion, source p. 6"),
        ("Quote", "Clinicians valued shared goals."),
        ("Heading 2", "References"),
        ("Normal", f"1. {NG_APA}"),
        ("Normal", f"2. {WALSH_APA}"),
        ("Heading 1", "What does the NHS spend on leadership?"),
        ("Normal", "The papers do not say."),
    ]
    reference = document.paragraphs[11].paragraph_format
    assert (reference.left_indent, reference.first_line_indent) == (Cm(1.27), Cm(-1.27))
    assert document.paragraphs[4].runs[0].bold is True
    assert document.core_properties.title == "Course notes"
