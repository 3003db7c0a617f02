"""Citation facts a paper states about itself: a read SourceFile in, field -> (value, where it was found) out.

Sources, best first per field: the first page's layout (the title in the largest type, the author line under
it, the venue and year printed around them), a DOI anywhere in the text, the PDF's XMP packet and Info
dictionary (often wrong: a numeric or empty title, one author only, so used only where the page says nothing).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rag.cleaning import MARKDOWN_HEADING_RE
from rag.schema import SourceFile

log = logging.getLogger(__name__)

Facts = dict[str, tuple[str, str]]

DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_ARXIV = re.compile(r"arXiv:\s?(\d{2})(\d{2})\.\d{4,5}", re.I)
_VENUE_PATTERNS = (
    re.compile(r"(Proceedings of the [^,\n]{5,120}?)(?:,|\n|$)"),
    re.compile(r"(Published as a conference paper at [A-Z]{3,8} \d{4})"),
    re.compile(r"((?:[A-Z][A-Za-z]+\.? ){0,5}(?:[A-Z][A-Za-z]+\.?)) \(?(?:19|20)\d\d\)?[,;]\s*\d{1,4}\s*[:(]"),
    re.compile(r"\b(PeerJ(?: Comput\. Sci\.| Computer Science)?|PLOS [A-Z][a-z]+|BMJ Open|eLife)\b"),
)
_NOT_A_TITLE = re.compile(r"^\d+(\s+\d+\.\.\d+)?$|^untitled|\.(docx?|pdf|tex|dvi)$|^microsoft word|^slide", re.I)
_NAME_NOISE = re.compile(r"[\d*†‡§¶∗,]+$")


def pdf_metadata(reader: Any) -> Facts:
    """Title, authors, DOI, venue and year from a pypdf reader's XMP packet and Info dictionary, where plausible."""
    facts: Facts = {}
    try:
        info = reader.metadata or {}
    except Exception as exc:
        log.debug("unreadable PDF Info dictionary: %s", exc)
        info = {}
    try:
        xmp = reader.xmp_metadata
    except Exception as exc:
        log.debug("unreadable XMP packet: %s", exc)
        xmp = None
    if xmp is not None:
        title = (xmp.dc_title or {}).get("x-default", "") if isinstance(xmp.dc_title, dict) else ""
        _put(facts, "title", title, "xmp")
        creators = [c for c in (xmp.dc_creator or []) if isinstance(c, str)]
        _put(facts, "authors", "; ".join(creators), "xmp")
        for value in (xmp.dc_identifier or []) if isinstance(xmp.dc_identifier, list) else []:
            m = DOI_RE.search(str(value))
            if m:
                _put(facts, "doi", _clean_doi(m.group(1)), "xmp")
        dates = xmp.dc_date or []
        if dates:
            _put(facts, "year", str(getattr(dates[0], "year", "")), "xmp")
    for key, name in (("/Title", "title"), ("/Author", "authors"), ("/Subject", "subject"), ("/doi", "doi")):
        value = str(info.get(key) or "").strip()
        if name == "authors":
            value = "; ".join(a.strip() for a in re.split(r";|\band\b|,(?=\s*[A-Z][a-z]+\s)", value) if a.strip())
        if name == "subject":
            m = DOI_RE.search(value)
            if m:
                _put(facts, "doi", _clean_doi(m.group(1)), "pdf metadata")
            continue
        _put(facts, name, value, "pdf metadata")
    created = str(info.get("/CreationDate") or "")
    m = re.match(r"D:((?:19|20)\d\d)", created)
    if m:
        facts.setdefault("date_year", (m.group(1), "pdf metadata (file date)"))
    return facts


def _put(facts: Facts, name: str, value: str, source: str) -> None:
    value = " ".join(str(value).split())
    if not value or name in facts:
        return
    if name == "title" and (_NOT_A_TITLE.search(value) or len(value.split()) < 3):
        return
    facts[name] = (value, source)


def _clean_doi(doi: str) -> str:
    return doi.rstrip(".,;)]}").removesuffix(".pdf")


def find_doi(source: SourceFile) -> tuple[str, str] | None:
    """The paper's own DOI: the first one near its start, else one labelled 'doi' later on (some journals print
    it on the last page); DOIs in the reference list belong to other papers and are passed over."""
    later: tuple[str, str] | None = None
    for page in source.pages:
        first = page.number in (None, 1)
        text = page.text[:4000] if first else page.text
        text = re.sub(r"(10\.\d{4,9}/\S*)-\n(\S)", r"\1-\2", text)
        for m in DOI_RE.finditer(text):
            if first:
                return _clean_doi(m.group(1)), "text"
            if re.search(r"(?:^|\n)doi:?\s*$", text[max(0, m.start() - 8) : m.start()], re.I):
                later = (_clean_doi(m.group(1)), f"text, page {page.number}")  # the last one: after the references
    return later


def first_page_facts(source: SourceFile) -> Facts:
    """Title (largest type on page 1), author line (the block under it), venue and year printed on page 1."""
    facts: Facts = {}
    if not source.pages:
        return facts
    page = source.pages[0]
    if not page.blocks:  # a text file: a Markdown or HTML level-1 heading at its top is its title
        first = next((line for line in page.text.splitlines() if line.strip()), "")
        m = MARKDOWN_HEADING_RE.match(first)
        if m and len(m.group(1)) == 1:
            facts["title"] = (m.group(2).strip("*_ "), "first heading")
        return facts
    blocks = [b for b in page.blocks if b.end > b.start]
    if blocks:
        texts = [page.text[b.start : b.end] for b in blocks]
        candidates = [
            (b.size, i)
            for i, (b, t) in enumerate(zip(blocks, texts, strict=True))
            if len(t.split()) >= 3
            and b.kind in ("front", "heading", "body")
            and not DOI_RE.search(t)
            and not re.search(r"(?i)research article|open access|journal|proceedings|arxiv", t)
        ]
        if candidates:
            _, i = max(candidates, key=lambda c: (c[0], -c[1]))
            title = " ".join(texts[i].split())
            facts["title"] = (_title_case_if_shouting(title), "first page")
            for text in texts[i + 1 : i + 3]:
                names = _author_names(text)
                if names:
                    facts["authors"] = ("; ".join(names), "first page")
                    break
    head = page.text[:3000] + "\n" + page.text[-1500:]
    for pattern in _VENUE_PATTERNS:
        m = pattern.search(head)
        if m:
            facts["venue"] = (" ".join(m.group(1).split()), "first page")
            break
    arxiv = _ARXIV.search(head)
    year = _page_year(head)
    if year:
        facts["year"] = (year, "first page")
    elif arxiv:
        facts["year"] = ("20" + arxiv.group(1), "arXiv identifier")
    return facts


def _page_year(text: str) -> str:
    for pattern in (
        r"©\s*((?:19|20)\d\d)",
        r"(?:Published|Accepted)[: ]+(?:\d{1,2} )?[A-Z][a-z]+ (?:\d{1,2}, )?((?:19|20)\d\d)",
        r"\b((?:19|20)\d\d),\s*\d{1,4}\s*:\s*\d",  # '2014, 14:1'
        r"(?:Proceedings|Conference|Meeting)[^\n]{0,160}?\b((?:19|20)\d\d)\b",
        r"conference paper at [A-Z]{3,8} ((?:19|20)\d\d)",
        r"\b(?:19|20)\d\d\b.{0,3}\n?.{0,40}?c\s*((?:19|20)\d\d) Association",
    ):
        m = re.search(pattern, text)
        if m:
            return m.group(1)
    return ""


def _title_case_if_shouting(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.9 * len(letters):
        small = {"a", "an", "and", "by", "for", "in", "of", "on", "the", "to", "with"}
        words = text.lower().split()
        return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))
    return text


def _author_names(text: str) -> list[str]:
    """Names from an author line: 'A. Smith1, B. Jones2 and C. Brown*' -> ['A. Smith', 'B. Jones', 'C. Brown']."""
    first = _author_names(text.split("\n")[0]) if "\n" in text else []
    if first:
        return first
    line = " ".join(text.split("\n")[:3])
    if re.search(r"(?i)abstract|university|department|institute|@|\bschool\b|introduction", line):
        line = re.split(r"(?i)abstract|university|department|institute|\S+@|\bschool\b|introduction", line)[0]
    parts = [p.strip() for p in re.split(r"(?i),|;|\band\b|&|\s{2,}", line) if p.strip()]
    names = []
    for part in parts:
        part = _NAME_NOISE.sub("", part).strip(" *")
        words = part.split()
        if len(parts) == 1 and len(words) == 4 and not any(w.endswith(".") for w in words):
            names += [" ".join(words[:2]), " ".join(words[2:])]  # two names with no comma between them
            continue
        if not 2 <= len(words) <= 5 or not all(w[:1].isupper() for w in words if w.lower() not in ("de", "van", "von")):
            continue
        if any(len(w) > 2 and w.isupper() for w in words):
            part = _title_case_if_shouting(part)
        names.append(part)
    return names if names and len(names) >= max(1, len(parts) // 2) else []


def text_facts(source: SourceFile) -> Facts:
    """All the facts the file states, each with its source: page 1 first, then a DOI anywhere, then metadata."""
    facts = first_page_facts(source)
    doi = find_doi(source)
    if doi:
        facts["doi"] = doi
    for name, (value, where) in source.metadata.items():
        if name == "date_year":
            facts.setdefault("year", (value, where))
        elif name in ("title", "authors", "doi", "venue", "year"):
            facts.setdefault(name, (value, where))
    return facts
