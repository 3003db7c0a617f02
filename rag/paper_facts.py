"""Citation facts a paper states about itself: a read SourceFile in, field -> (value, where it was found) out.

Sources, best first per field: the first page's layout (the title in the largest type, the author line under
it, the venue and year printed around them), a DOI anywhere in the text, the PDF's XMP packet and Info
dictionary (often wrong: a numeric or empty title, one author only, so used only where the page says nothing).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from rag.cleaning import MARKDOWN_HEADING_RE
from rag.lexicon import english_word
from rag.schema import SourceFile

log = logging.getLogger(__name__)

Facts = dict[str, tuple[str, str]]

DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_ARXIV = re.compile(r"arXiv:\s?((\d{2})\d{2}\.\d{4,5}(?:v\d+)?)", re.I)
_VENUE_PATTERNS = (
    re.compile(r"(Proceedings of the [^,\n]{5,120}?)(?:,|\n|$)"),
    re.compile(r"(Published as a conference paper at [A-Z]{3,8} \d{4})"),
    # "BMC Health Services Research 2014, 14:1", "Journal of NeuroEngineering and Rehabilitation (2016) 13:22",
    # "Future Internet 2014, 6, 61-75"
    re.compile(
        r"((?:[A-Z][A-Za-z]+\.? (?:(?:of|and|for|in|on|&) )?){0,6}(?:[A-Z][A-Za-z]+\.?)) \(?(?:19|20)\d\d\)?"
        r"(?:[,;]\s*|\s+)\d{1,4}\s*(?:[:(]|,\s*\d)"
    ),
    # (the abbreviation's full stop is no word boundary: "PeerJ Comput. Sci." had been read as "PeerJ")
    re.compile(r"\b(PeerJ(?: Comput\. Sci\.| Computer Science\b)?|PLOS [A-Z][a-z]+\b|BMJ Open\b|eLife\b)"),
)
# a journal's abbreviated name as its pages print it, and the name a reference gives it
_JOURNAL_NAMES = {"PeerJ Comput. Sci.": "PeerJ Computer Science"}
_NOT_A_TITLE = re.compile(r"^\d+(\s+\d+\.\.\d+)?$|^untitled|\.(docx?|pdf|tex|dvi)$|^microsoft word|^slide", re.I)
SPELLING_USES = 3  # uses of a word, most of them in one spelling, before a title in capitals takes that spelling
_NAME_NOISE = re.compile(r"[\d*†‡§¶∗,]+$")
AUTHOR_BLOCKS = 4  # blocks under the title searched for its author line


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
            # (a paragraph of its own: "doi:10.1186/1472-6963-14-1" after the references, not one entry's DOI,
            # "... Phys. Lett. B 716 (2012) 1,\ndoi:10.1016/j.physletb.2012.08.020,")
            alone = re.search(r"(?:^|\n[ \t]*\n)[ \t]*doi:?\s*$", text[max(0, m.start() - 12) : m.start()], re.I)
            if alone and not re.match(r"\S*,", text[m.end() - 1 : m.end() + 1]):
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
            facts["title"] = (_title_case_if_shouting(title, _spellings(source)), "first page")
            # the author line, which may wrap over several blocks ("Tianyu Gao Howard Yen" / "Jiatong Yu Danqi Chen")
            # (set in one type: an affiliation in smaller type under it is not a name)
            names: list[str] = []
            style = None
            for block in blocks[i + 1 : i + 1 + AUTHOR_BLOCKS]:
                found = _author_names(page.text[block.start : block.end])
                if names and (not found or (block.size, block.kind) != style):
                    break
                if found:
                    names += found
                    style = (block.size, block.kind)
            if names:
                facts["authors"] = ("; ".join(dict.fromkeys(names)), "first page")
    cut = page.text.find("\n", 3000)  # (at a line's end: "PeerJ Comput. Sci." had been cut to "PeerJ Co")
    head = page.text[: cut if cut >= 0 else len(page.text)] + "\n" + page.text[-1500:]
    for pattern in _VENUE_PATTERNS:
        m = pattern.search(head)
        if m:
            venue = " ".join(m.group(1).split())
            facts["venue"] = (_JOURNAL_NAMES.get(venue, venue), "first page")
            break
    arxiv = _ARXIV.search(head)
    if arxiv and "venue" not in facts:  # a preprint is cited by its identifier ("arXiv preprint arXiv:2210.03629v2")
        facts["venue"] = (f"arXiv preprint arXiv:{arxiv.group(1)}", "arXiv identifier")
    year = _page_year(head)
    if year:
        facts["year"] = (year, "first page")
    elif arxiv:
        facts["year"] = ("20" + arxiv.group(2), "arXiv identifier")
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


def _title_case_if_shouting(text: str, spellings: Mapping[str, str] | None = None) -> str:
    """A title set in capitals, in title case; a word the paper's text spells its own way keeps that spelling
    ('REACT: SYNERGIZING ...' -> 'ReAct: Synergizing ...', given `spellings` from `_spellings`)."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.9 * len(letters):
        small = {"a", "an", "and", "by", "for", "in", "of", "on", "the", "to", "with"}
        words = text.lower().split()
        cased = [w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words)]
        if spellings:
            cased = [re.sub(r"[A-Za-z][\w-]*", lambda m: spellings.get(m.group().lower(), m.group()), w) for w in cased]
        return " ".join(cased)
    return text


def _spellings(source: SourceFile) -> dict[str, str]:
    """Words the paper's text spells with a capital inside ('ReAct', 'LLMs') or all in capitals ('NHS'), most of
    the times it uses them: lower case -> that spelling."""
    counts = Counter(re.findall(r"\b[A-Za-z][\w-]*\b", "\n".join(p.text for p in source.pages)))
    forms: dict[str, Counter[str]] = {}
    for word, n in counts.items():
        forms.setdefault(word.lower(), Counter())[word] += n
    out = {}
    for lower, spelt in forms.items():
        (best, n), total = spelt.most_common(1)[0], sum(spelt.values())
        if n >= SPELLING_USES and 2 * n > total and any(c.isupper() for c in best[1:]):
            out[lower] = best
    return out


def _author_names(text: str) -> list[str]:
    """Names from an author line: 'A. Smith1, B. Jones2 and C. Brown*' -> ['A. Smith', 'B. Jones', 'C. Brown']."""
    lines = text.split("\n")
    if re.fullmatch(r"\s*(?:The\s+)?[A-Z][\w&\s-]{0,80}\b(?:Collaborations?|Consortium|Group)\s*", lines[0]):
        return [" ".join(lines[0].split())]  # a group that signs as one: "The ATLAS and CMS Collaborations"
    if len(lines) > 1 and (re.match(r"\s*(?:and|&)\s", lines[1]) or re.search(r"(?:,|\band)\s*$", lines[0])):
        # the line wraps: "..., Silvia Conforto" | "and Alireza Gharabaghi"
        return _author_names("\n".join([f"{lines[0].rstrip()} {lines[1].strip()}", *lines[2:]]))
    first = _author_names(lines[0]) if len(lines) > 1 else []
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


_TITLE_NAME = re.compile(r"([A-Za-z][\w-]{2,})\s*:\s")
NAME_USES = 3  # passages of its paper using a title's name, and how many for each in the other papers
NAME_RATIO = 6


def title_name(title: str) -> str:
    """The name a title gives the paper's subject before its colon, when it is a coined word: 'VESPA' of 'VESPA:
    Very large-scale ...', 'ReAct' of 'ReAct: Synergizing ...' (a capital inside it, or no English word); '' for
    an English word ('Trust: ...', 'Leadership: ...') or a phrase ('Sharing leadership: ...')."""
    m = _TITLE_NAME.match(title.strip())
    if m is None:
        return ""
    name = m.group(1)
    return name if any(c.isupper() for c in name[1:]) or not english_word(name) else ""


def names_paper(word: str, name: str) -> bool:
    """Does a question's word name the paper whose title name (see `title_name`) is `name`? Spelt as the title
    spells it ('ReAct'), or in any case when the name is no English word ('Vespa', 'vespa'): 'react' in 'how did
    staff react' is the English verb, not the paper."""
    return bool(name) and (word == name or (word.lower() == name.lower() and not english_word(name)))


def own_name(word: str, passages: Iterable[tuple[str, str]]) -> str | None:
    """The paper whose own name the word is ("the ALCE paper": the benchmark one paper builds): used in NAME_USES
    or more of its passages (`passages`: (paper, text) pairs), and NAME_RATIO times as often as in all the
    other papers' passages; None when no paper owns it."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    return sole_user(Counter(paper for paper, text in passages if pattern.search(text)))


def sole_user(uses: Counter[str]) -> str | None:
    """The paper using something in NAME_USES or more of its passages and NAME_RATIO times as many as all the other
    papers together (`uses`: passages using it, by paper); None when no paper does."""
    if not uses:
        return None
    paper, most = uses.most_common(1)[0]
    return paper if most >= NAME_USES and most >= NAME_RATIO * (uses.total() - most) else None


def paper_names(titles: Mapping[str, str], passages: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each paper's title name (see `title_name`) that is its own: used in NAME_USES or more of its passages
    (`passages`: (paper, text) pairs), and NAME_RATIO times as often as in all the other papers' passages."""
    names = {work: name for work, title in titles.items() if (name := title_name(title))}
    if not names:
        return {}
    patterns = {work: re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I) for work, name in names.items()}
    own: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for paper, text in passages:
        for work, pattern in patterns.items():
            if pattern.search(text):
                (own if paper == work else other)[work] += 1
    return {w: n for w, n in names.items() if own[w] >= NAME_USES and own[w] >= NAME_RATIO * other[w]}
