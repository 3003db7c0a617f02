"""Render answer-contract dicts for people: as Markdown, as Word document bytes, or as plain text."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.shared import Cm

from rag.references import Style, in_text, reference_list, reference_numbers

HANGING_INDENT = 1.27  # cm: the usual half inch of a reference list
_MARKER_GROUP = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_REPEATED_MARKER = re.compile(r"(\[\d+(?:, \d+)*\])(?:\s*\1)+")
# Characters XML 1.0 forbids (PDF extracts carry form feeds); python-docx refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _citations(answer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The citations worth rendering: none for an abstained answer."""
    return [] if answer.get("abstained") else list(answer.get("citations") or [])


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def quote_label(cit: Mapping[str, Any], style: Style, reference: int) -> str:
    """Who and where a quote comes from: '(Ng, 2022), Results, source p. 4' or 'Reference 2, Results'."""
    who = f"Reference {reference}" if style == "vancouver" else in_text(cit, style)
    # `page` counts pages of the source file, not the journal's pagination, so it is labelled as such.
    where = [_one_line(cit.get("section") or ""), f"source p. {cit['page']}" if cit.get("page") else ""]
    return ", ".join(part for part in (who, *where) if part)


def _quote_text(cit: Mapping[str, Any]) -> str:
    return str(cit.get("quote") or cit.get("text") or "")


def blockquote(text: str) -> str:
    """Every line prefixed with '> ' (a blank line with '>') so no character in the quote ends the block."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in (text.splitlines() or [""]))


def answer_to_markdown(answer: Mapping[str, Any], style: Style = "apa") -> str:
    """Question as a heading, the answer with its [n] markers, each cited quote, then the references."""
    lines = [f"## {_one_line(answer.get('question') or '')}", "", str(answer.get("answer") or "").strip(), ""]
    citations = _citations(answer)
    if citations:
        numbers = reference_numbers(citations)
        lines += ["### Quotes", ""]
        for cit in citations:
            label = quote_label(cit, style, numbers[int(cit["n"])])
            lines += [f"**[{cit['n']}]** {label}", "", blockquote(_quote_text(cit)), ""]
        lines += ["### References", ""]
        lines += [f"{k}. {reference}" for k, reference in reference_list(citations, style)]
        lines.append("")
    return "\n".join(lines)


def conversation_to_markdown(
    answers: Sequence[Mapping[str, Any]], style: Style = "apa", title: str = "Conversation"
) -> str:
    """A titled document of answers in order, separated by rules; each keeps its own numbering."""
    return f"# {_one_line(title)}\n\n" + "\n---\n\n".join(answer_to_markdown(a, style) for a in answers)


def renumber_markers(text: str, numbers: Mapping[int, int]) -> str:
    """Citation markers [n] -> reference numbers [k]; repeats that then name one paper collapse to one."""

    def to_references(match: re.Match[str]) -> str:
        cited = [int(n) for n in re.split(r"\s*,\s*", match.group(1))]
        refs = dict.fromkeys(numbers.get(n, n) for n in cited)
        return "[" + ", ".join(str(k) for k in refs) + "]"

    return _REPEATED_MARKER.sub(r"\1", _MARKER_GROUP.sub(to_references, text))


def answer_to_plain_text(answer: Mapping[str, Any], style: Style = "apa") -> str:
    """For the clipboard: the answer, its markers pointing at a numbered reference list."""
    text = str(answer.get("answer") or "").strip()
    citations = _citations(answer)
    if not citations:
        return text + "\n"
    text = renumber_markers(text, reference_numbers(citations))
    references = [f"{k}. {reference}" for k, reference in reference_list(citations, style)]
    return "\n".join([text, "", "References", *references, ""])


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def answers_to_docx(
    answers: Sequence[Mapping[str, Any]], style: Style = "apa", title: str = "Cited answers"
) -> bytes:
    """A Word document: per question a heading, the answer, quotes in the 'Quote' style, references."""
    document = Document()
    document.core_properties.title = _one_line(title)
    document.add_heading(_xml_safe(_one_line(title)), level=0)
    for answer in answers:
        document.add_heading(_xml_safe(_one_line(answer.get("question") or "")), level=1)
        document.add_paragraph(_xml_safe(str(answer.get("answer") or "").strip()))
        citations = _citations(answer)
        if not citations:
            continue
        numbers = reference_numbers(citations)
        document.add_heading("Quotes", level=2)
        for cit in citations:
            label = document.add_paragraph()
            label.add_run(f"[{cit['n']}]").bold = True
            label.add_run(" " + _xml_safe(quote_label(cit, style, numbers[int(cit["n"])])))
            document.add_paragraph(_xml_safe(_quote_text(cit)), style="Quote")
        document.add_heading("References", level=2)
        for k, reference in reference_list(citations, style):
            entry = document.add_paragraph(_xml_safe(f"{k}. {reference}"))
            entry.paragraph_format.left_indent = Cm(HANGING_INDENT)
            entry.paragraph_format.first_line_indent = Cm(-HANGING_INDENT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
