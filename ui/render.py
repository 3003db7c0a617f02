"""Render helpers shared by the pages: answers with linked in-text citations, source cards, reference lists,
download buttons. Passage text is untrusted: everything taken from a paper is HTML-escaped before it is drawn."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from rag.export import answer_to_markdown, answers_to_docx, conversation_to_markdown, reference_runs
from rag.reference_records import to_bibtex, to_ris
from rag.references import CitedDocument, replace_markers, short_reference
from rag.schema import PaperMeta

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RELATED_CHARS = 420
_SPACE = re.compile(r"\s+")
# Colours meet WCAG 2.2 AA contrast (4.5:1 for text) on the theme's backgrounds; focus is always visible.
CSS = """<style>
.answer p {font-size: 1.02rem; line-height: 1.65; margin: 0 0 .85rem 0;}
a.cite {text-decoration: none; font-weight: 600; font-size: .85em; color: #1f5457; background: #e2eeec;
        border-radius: .3rem; padding: .05rem .25rem; margin: 0 .05rem;}
a.cite:hover {background: #1f5457; color: #fff;}
a.cite:focus-visible, .src-card:focus-visible {outline: 3px solid #b3541e; outline-offset: 2px;}
.src-card {border: 1px solid #d9e3e1; border-left: 4px solid #2f6f73; border-radius: .5rem; background: #fff;
           padding: .65rem .85rem; margin: 0 0 .75rem 0; scroll-margin-top: 5rem;}
.src-card:target {box-shadow: 0 0 0 3px #f0d36b;}
.src-card.related {border-left-color: #6b7a80;}
.src-head {font-weight: 600; line-height: 1.35; font-size: .95rem;}
.src-n {display: inline-block; min-width: 1.45rem; text-align: center; background: #1f5457; color: #fff;
        border-radius: .3rem; margin-right: .4rem; padding: 0 .25rem; font-size: .8rem;}
.related .src-n {background: #4f5d63;}
.src-meta {color: #46545c; font-size: .8rem; margin-top: .2rem;}
.src-text {font-size: .87rem; line-height: 1.55; margin-top: .5rem; color: #2b3a42;}
.src-text mark {background: #fde98b; color: #1f2a30; padding: .05rem .1rem; border-radius: .15rem;}
.panel-title {font-size: .8rem; letter-spacing: .06em; text-transform: uppercase; color: #46545c;
              font-weight: 600; margin-bottom: .45rem;}
.refs li {margin-bottom: .4rem; line-height: 1.5;}
table.evidence {border-collapse: collapse; font-size: .9rem; margin: 0 0 .8rem 0; width: 100%;}
table.evidence caption {text-align: left; font-weight: 600; color: #46545c; padding-bottom: .3rem;}
table.evidence th, table.evidence td {border-top: 1px solid #d9e3e1; padding: .35rem .5rem; vertical-align: top;
                                      text-align: left;}
table.evidence th[scope=row] {width: 32%; font-weight: 600;}
.refs a {color: #1f5457;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {color: #46545c !important;
                                                                          opacity: 1 !important;}
</style>"""


def esc(text: Any) -> str:
    """Text from a paper, escaped and with its whitespace collapsed, ready to go into HTML."""
    return html.escape(_SPACE.sub(" ", str(text)))


def short_ref(item: Mapping[str, Any]) -> str:
    """'Aufegger et al., 2020' for a citation or paper dict; its title when it names no authors."""
    return short_reference(item)


def citation_links(document: CitedDocument, a: int, numbers: list[int], anchor: str) -> str:
    """One in-text citation whose items link to their source cards ('' when none of the passages is cited)."""
    items = document.citation_items(a, numbers)
    if not items:
        return ""
    links = []
    for n, text in items:
        reference = document.reference_for(document.items[(a, n)][0])
        links.append(f'<a class="cite" href="#{anchor}-{n}" title="{html.escape(reference.text)}">{esc(text)}</a>')
    style = document.style
    return f"{esc(style.prefix)}{esc(style.delimiter).join(links)}{esc(style.suffix)}"


def answer_html(document: CitedDocument, a: int, answer: Mapping[str, Any], anchor: str) -> str:
    """The answer's paragraphs with each run of markers an in-text citation whose items link to their cards."""
    paragraphs = [p for p in str(answer["answer"]).split("\n\n") if p.strip()]
    return (
        '<div class="answer">'
        + "".join(
            f"<p>{replace_markers(esc(p), lambda ns: citation_links(document, a, ns, anchor))}</p>" for p in paragraphs
        )
        + "</div>"
    )


def evidence_html(document: CitedDocument, a: int, answer: Mapping[str, Any], anchor: str) -> str:
    """An answer across the papers as a table: each paper, what it says (cited), or 'Not addressed'."""
    rows = []
    for row in answer.get("by_paper") or []:
        says = "Not addressed"
        if row.get("addressed") and row.get("sentences"):
            cited = citation_links(document, a, [int(n) for n in row.get("citations") or []], anchor)
            says = esc(" ".join(str(t) for t in row["sentences"])) + (f" {cited}" if cited else "")
        rows.append(f"<tr><th scope='row'>{esc(row.get('title') or row.get('work'))}</th><td>{says}</td></tr>")
    if not rows:
        return ""
    differ = "".join(f"<p class='differ'>Where they differ: {esc(d)}</p>" for d in answer.get("disagreements") or [])
    head = "<caption>Evidence by paper</caption><tr><th scope='col'>Paper</th><th scope='col'>What it says</th></tr>"
    return f'<table class="evidence">{head}{"".join(rows)}</table>{differ}'


def marked(text: str, phrases: Sequence[str]) -> str:
    """The passage, escaped, with every cited phrase found in it wrapped in <mark>."""
    spans = sorted((at, at + len(p)) for p in filter(None, phrases) if (at := text.find(p)) >= 0)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, done = [], 0
    for start, end in merged:
        out += [esc(text[done:start]), f"<mark>{esc(text[start:end])}</mark>"]
        done = end
    return "".join([*out, esc(text[done:])])


def cited_spans(answer: Mapping[str, Any], cit: Mapping[str, Any]) -> list[str]:
    """What a citation stands for: its quote and the answer sentences citing it (verbatim when extractive)."""
    sentences = answer.get("sentences") or []
    return [str(cit.get("quote") or ""), *(str(s["text"]) for s in sentences if cit["n"] in s["citations"])]


def related_item(hit: Mapping[str, Any], papers: Mapping[str, PaperMeta]) -> dict[str, Any]:
    """A retrieved passage with its paper's citation facts, cut short: offered for reading on, not quoted."""
    meta = papers[hit["work"]].to_dict() if hit.get("work") in papers else {}
    text = str(hit.get("text") or "")
    if len(text) > RELATED_CHARS:
        text = text[:RELATED_CHARS].rsplit(" ", 1)[0] + " …"
    return {**meta, **hit, "text": text}


def source_card(anchor: str, label: str, item: Mapping[str, Any], phrases: Sequence[str] = ()) -> str:
    """A numbered card: title; authors, year, venue; section, page, file; the passage, cited spans marked.
    It takes keyboard focus, so a citation followed from the keyboard lands on it."""
    authors = list(item.get("authors") or [])
    who = ", ".join(authors[:4]) + (" et al." if len(authors) > 4 else "")
    page = f"p. {item['page']}" if item.get("page") else ""
    lines = ([who, item.get("year"), item.get("venue")], [item.get("section"), page, item.get("doc")])
    meta = "".join(
        f'<div class="src-meta">{esc(" · ".join(str(p) for p in line if p))}</div>' for line in lines if any(line)
    )
    kind = "src-card" if phrases else "src-card related"
    title = esc(item.get("title") or item.get("doc") or "")
    return (
        f'<div class="{kind}" id="{anchor}" tabindex="0" role="region" aria-label="Source {esc(label)}">'
        f'<div class="src-head"><span class="src-n">{esc(label)}</span>{title}</div>{meta}'
        f'<div class="src-text">{marked(str(item.get("text") or ""), phrases)}</div></div>'
    )


def references_html(document: CitedDocument) -> str:
    """The reference list (numbered in a numeric style, alphabetical otherwise) with italics and linked DOIs."""
    items = []
    for reference in document.references:
        runs = []
        for run in reference_runs(reference):
            text = html.escape(run.text)
            text = f"<i>{text}</i>" if run.italic else text
            runs.append(f'<a href="{html.escape(run.link)}">{text}</a>' if run.link else text)
        items.append(f"<li>{''.join(runs)}</li>")
    tag = "ol" if document.style.numeric else "ul"
    return f'<{tag} class="refs">{"".join(items)}</{tag}>'


def export_row(answers: Sequence[Mapping[str, Any]], style: str, stem: str, title: str) -> None:
    """Download buttons (Markdown, Word, and BibTeX and RIS of the cited papers); files are built on click."""
    citations = [c for a in answers if not a["abstained"] for c in a["citations"]]
    one = len(answers) == 1
    formats: list[tuple[str, str, str, Callable[[], str | bytes]]] = [
        ("Markdown", "md", "text/markdown",
         lambda: answer_to_markdown(answers[0], style) if one else conversation_to_markdown(answers, style, title)),
        ("Word", "docx", DOCX, lambda: answers_to_docx(answers, style, title=title)),
    ]  # fmt: skip
    if citations:
        formats += [
            ("BibTeX", "bib", "application/x-bibtex", lambda: to_bibtex(citations)),
            ("RIS", "ris", "application/x-research-info-systems", lambda: to_ris(citations)),
        ]
    download_row(formats, stem)


def download_row(formats: Sequence[tuple[str, str, str, Callable[[], str | bytes]]], stem: str) -> None:
    with st.container(horizontal=True, gap="small"):
        for label, ext, mime, build in formats:
            st.download_button(
                label, build, f"{stem}.{ext}", mime, key=f"{stem}-{ext}", on_click="ignore",
                icon=":material/download:", help=f"Download as {label}",
            )  # fmt: skip
