"""Render documents of answers for people: answer-contract dicts in, Markdown, Word (.docx) or plain text out.

A document is a title and parts (a heading, an optional note, one answer). Every rendering cites through one
`CitedDocument` (rag.references): the answers' passage markers become in-text citations of papers with the
passage's page or section as locator, quotes are labelled the same way, and one reference list closes the document.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rag.csl import doi_of
from rag.references import CitedDocument, Reference, Style, cite_answers, reference_line

HANGING_INDENT = 1.27  # cm: the usual half inch of a reference list
LINK_COLOUR = "0563C1"  # Word's own hyperlink blue
# Characters XML 1.0 forbids (PDF extracts carry form feeds); python-docx refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


@dataclass(frozen=True)
class Part:
    """One answer in a document, under a heading (the question unless edited), with an optional note."""

    heading: str
    answer: Mapping[str, Any]
    note: str = ""


@dataclass(frozen=True)
class Run:
    """A stretch of reference text with one formatting: italic, bold, or a link to `link`."""

    text: str
    italic: bool = False
    bold: bool = False
    link: str = ""


def one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def parts_of(answers: Sequence[Mapping[str, Any]]) -> list[Part]:
    return [Part(one_line(a.get("question")), a) for a in answers]


def _citations(answer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [] if answer.get("abstained") else list(answer.get("citations") or [])


def quote_text(cit: Mapping[str, Any]) -> str:
    return str(cit.get("quote") or cit.get("text") or "")


def quote_label(document: CitedDocument, answer: int, cit: Mapping[str, Any]) -> str:
    """Who and where a quote comes from: '(Ng, 2022, p. 4), Findings' or '[1, Findings]'."""
    label = document.citation(answer, [int(cit["n"])])
    section = one_line(cit.get("section"))
    return f"{label}, {section}" if section and section not in label else label


def reference_runs(reference: Reference) -> list[Run]:
    """The formatted reference as runs: italics from the style, the DOI (or URL) as a link."""
    runs: list[Run] = []
    italic = bold = False
    at = 0
    for tag in _TAG.finditer(reference.html):
        if tag.start() > at:
            runs.append(Run(html.unescape(reference.html[at : tag.start()]), italic, bold))
        closing, name = tag.group(1) == "/", tag.group(2)
        if name == "i":
            italic = not closing
        elif name == "b":
            bold = not closing
        at = tag.end()
    if at < len(reference.html):
        runs.append(Run(html.unescape(reference.html[at:]), italic, bold))
    return _linked(runs, reference)


def _linked(runs: list[Run], reference: Reference) -> list[Run]:
    """Split out the first run text that shows the DOI or URL as a link run."""
    doi = doi_of(reference.item)
    shown = [f"https://doi.org/{doi}", f"doi:{doi}", doi] if doi else [reference.link] if reference.link else []
    for i, run in enumerate(runs):
        for text in shown:
            at = run.text.find(text)
            if at >= 0:
                before, after = run.text[:at], run.text[at + len(text) :]
                pieces = [Run(before, run.italic, run.bold), Run(text, run.italic, run.bold, reference.link),
                          Run(after, run.italic, run.bold)]  # fmt: skip
                return [*runs[:i], *(p for p in pieces if p.text), *runs[i + 1 :]]
    return runs


def blockquote(text: str) -> str:
    """Every line prefixed with '> ' (a blank line with '>') so no character in the quote ends the block."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in (text.splitlines() or [""]))


def reference_markdown(reference: Reference) -> str:
    out = []
    for run in reference_runs(reference):
        text = _MD_SPECIAL.sub(r"\\\1", run.text)
        if run.link:
            text = f"[{text}]({run.link})"
        if run.italic and text.strip():
            text = f"*{text}*"
        out.append(f"**{text}**" if run.bold and text.strip() else text)
    return f"{reference.number}. " + "".join(out) if reference.number else "".join(out)


def _references_block(document: CitedDocument, level: str) -> list[str]:
    if not document.references:
        return []
    bullet = "" if document.style.numeric else "- "
    return [f"{level} References", "", *(bullet + reference_markdown(r) for r in document.references), ""]


def evidence_rows(document: CitedDocument, a: int, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An answer across the papers as (paper title, what it says with its in-text citation, or 'Not addressed')."""
    if answer.get("abstained"):
        return []
    rows = []
    for row in answer.get("by_paper") or []:
        title = one_line(row.get("title") or row.get("label") or row.get("work"))
        if not row.get("addressed") or not row.get("sentences"):
            rows.append((title, "Not addressed"))
            continue
        cited = document.citation(a, [int(n) for n in row.get("citations") or []])
        rows.append((title, f"{' '.join(one_line(s) for s in row['sentences'])} {cited}".strip()))
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _part_markdown(document: CitedDocument, a: int, part: Part, level: str, quotes: bool) -> list[str]:
    answer = part.answer
    lines = [f"{level} {one_line(part.heading)}", ""]
    if part.note.strip():
        lines += [f"*{one_line(part.note)}*", ""]
    lines += [document.rewrite(a, str(answer.get("answer") or "").strip()), ""]
    rows = evidence_rows(document, a, answer)
    if rows:
        lines += [f"{level}# Evidence by paper", "", "| Paper | What it says |", "| --- | --- |"]
        lines += [f"| {_cell(paper)} | {_cell(says)} |" for paper, says in rows]
        lines += ["", *(f"- Where they differ: {one_line(d)}" for d in answer.get("disagreements") or []), ""]
    if quotes and _citations(answer):
        lines += [f"{level}# Quotes", ""]
        for cit in _citations(answer):
            lines += [f"**{quote_label(document, a, cit)}**", "", blockquote(quote_text(cit)), ""]
    return lines


def document_markdown(title: str, parts: Sequence[Part], style: Style = "apa", appendix: bool = False) -> str:
    """A titled Markdown document: each part's heading, note, answer and quotes, then one reference list
    (and, with `appendix`, every quoted passage in full under its locator)."""
    document = cite_answers([p.answer for p in parts], style)
    if len(parts) == 1 and one_line(parts[0].heading) == one_line(title) and not appendix:
        return "\n".join([f"# {one_line(title)}", "", *_part_markdown(document, 0, parts[0], "#", True)[2:],
                          *_references_block(document, "##")])  # fmt: skip
    lines = [f"# {one_line(title)}", ""]
    for a, part in enumerate(parts):
        lines += _part_markdown(document, a, part, "##", True)
    if appendix:
        lines += ["## Appendix: quoted passages", ""]
        for a, _cit, label, text in _passages(document, parts):
            lines += [f"**{label}** (answer {a + 1})", "", blockquote(text), ""]
    return "\n".join([*lines, *_references_block(document, "##")])


def _passages(document: CitedDocument, parts: Sequence[Part]) -> Iterator[tuple[int, Mapping[str, Any], str, str]]:
    """Each cited passage of each part once: (part index, citation, label, the whole passage)."""
    for a, part in enumerate(parts):
        for cit in _citations(part.answer):
            yield a, cit, quote_label(document, a, cit), str(cit.get("text") or quote_text(cit))


def answer_to_markdown(answer: Mapping[str, Any], style: Style = "apa") -> str:
    """One answer: the question as title, the answer with in-text citations, its quotes, its references."""
    return document_markdown(one_line(answer.get("question")), parts_of([answer]), style)


def conversation_to_markdown(
    answers: Sequence[Mapping[str, Any]], style: Style = "apa", title: str = "Conversation"
) -> str:
    """A titled document of answers in order with one merged reference list."""
    return document_markdown(title, parts_of(answers), style)


def answer_to_plain_text(answer: Mapping[str, Any], style: Style = "apa") -> str:
    """For the clipboard: the answer with in-text citations, then its reference list."""
    document = cite_answers([answer], style)
    text = document.rewrite(0, str(answer.get("answer") or "").strip())
    if not document.references:
        return text + "\n"
    return "\n".join([text, "", "References", *(reference_line(r) for r in document.references), ""])


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def add_hyperlink(paragraph: Any, url: str, text: str, italic: bool = False) -> None:
    """A clickable external link in a Word paragraph (python-docx has no call for it: built from its XML)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = paragraph.add_run(_xml_safe(text))
    run.italic = italic or None
    run.font.underline = True
    run.font.color.rgb = RGBColor.from_string(LINK_COLOUR)
    link.append(run._r)
    paragraph._p.append(link)


def _docx_reference(document: Any, reference: Reference) -> None:
    from docx.shared import Cm

    entry = document.add_paragraph()
    if reference.number:
        entry.add_run(f"{reference.number}. ")
    for run in reference_runs(reference):
        if run.link:
            add_hyperlink(entry, run.link, run.text, run.italic)
        else:
            added = entry.add_run(_xml_safe(run.text))
            added.italic, added.bold = run.italic or None, run.bold or None
    entry.paragraph_format.left_indent = Cm(HANGING_INDENT)
    entry.paragraph_format.first_line_indent = Cm(-HANGING_INDENT)


def _docx_part(doc: Any, document: CitedDocument, a: int, part: Part, level: int, quotes: bool) -> None:
    if level:
        doc.add_heading(_xml_safe(one_line(part.heading)), level=level)
    if part.note.strip():
        doc.add_paragraph().add_run(_xml_safe(one_line(part.note))).italic = True
    doc.add_paragraph(_xml_safe(document.rewrite(a, str(part.answer.get("answer") or "").strip())))
    rows = evidence_rows(document, a, part.answer)
    if rows:
        doc.add_heading("Evidence by paper", level=level + 1)
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Paper", "What it says"
        for paper, says in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = _xml_safe(paper), _xml_safe(says)
        for difference in part.answer.get("disagreements") or []:
            doc.add_paragraph(_xml_safe(f"Where they differ: {one_line(difference)}"))
    if quotes and _citations(part.answer):
        doc.add_heading("Quotes", level=level + 1)
        for cit in _citations(part.answer):
            doc.add_paragraph().add_run(_xml_safe(quote_label(document, a, cit))).bold = True
            doc.add_paragraph(_xml_safe(quote_text(cit)), style="Quote")


def document_docx(title: str, parts: Sequence[Part], style: Style = "apa", appendix: bool = False) -> bytes:
    """A Word document: the title in the Title style, each part under Heading 1 (a lone answer whose heading is
    the title is not headed twice), quotes in the Quote style, one reference list with linked DOIs."""
    from docx import Document

    document = cite_answers([p.answer for p in parts], style)
    doc = Document()
    doc.core_properties.title = one_line(title)
    doc.add_heading(_xml_safe(one_line(title)), level=0)
    alone = len(parts) == 1 and one_line(parts[0].heading) == one_line(title) and not appendix
    for a, part in enumerate(parts):
        _docx_part(doc, document, a, part, 0 if alone else 1, True)
    if appendix and any(_citations(p.answer) for p in parts):
        doc.add_heading("Appendix: quoted passages", level=1)
        for a, _cit, label, text in _passages(document, parts):
            doc.add_paragraph().add_run(_xml_safe(f"{label} (answer {a + 1})")).bold = True
            doc.add_paragraph(_xml_safe(text), style="Quote")
    if document.references:
        doc.add_heading("References", level=1)
        for reference in document.references:
            _docx_reference(doc, reference)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def answers_to_docx(answers: Sequence[Mapping[str, Any]], style: Style = "apa", title: str = "Cited answers") -> bytes:
    """A Word document of answers in order (see document_docx)."""
    return document_docx(title, parts_of(answers), style)
