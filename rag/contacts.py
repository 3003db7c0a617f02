"""A paper's contact details as it prints them: its corresponding author, an email address, a telephone number and
the postal address printed with it ("Corresponding author: Sze May Ng, ... Email: may.ng@nhs.net"; "The King's
Fund 11–13 Cavendish Square London W1G 0AN Tel: 020 7307 2568"); and its notices on who holds its rights and how
it may be reused ("© The Author(s) 2022", a Creative Commons licence), records of kind "rights".

Cleaning leaves these lines out of the passages (they are journal furniture, not the paper's text), so they are read
from the source when the paper is indexed, each with its page and span, and answer a question asking how to get in
touch or who the corresponding author is (or whether the paper may be reused), cited where they are printed.

Input: a read SourceFile. Output: its contact records, in reading order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from rag.schema import Page, SourceFile

# A line giving a contact: "Corresponding author:", "*Correspondence to Dr ...", "Email: ...", "Tel: 020 ...",
# "E-mail addresses: ...", or one holding an email address ("l.aufegger{at}imperial.ac.uk")
_CONTACT_LINE = re.compile(
    r"^\W{0,4}(?:\d{1,2}\.?\s+)?(?:correspond(?:ence|ing\s+authors?)\b\s*(?:[:.]|to\b|$)|e-?mail(?:\s+address(?:es)?)?\s*:"
    r"|(?:tel(?:ephone)?|phone|fax)\.?\s*:?\s*\+?[\d(])"
    # ... or an account on a social network: "Twitter Justin Waring @dr_waring", "[@thekingsfund](https://twitter.com/..."
    r"|.{0,80}(?:\b(?:twitter|mastodon|bluesky|linkedin)\b[^\n]{0,60}@\w|(?:twitter|x|linkedin)\.com/\w)",
    re.I,
)
_EMAIL = re.compile(r"(?:\{[\w.,\s-]+\}|[\w.+-]+)(?:@|\{at\}|\[at\])[\w-]+(?:\.[\w-]+)+")  # ("{a,b}@cs.x.edu")
# A line on who holds a paper's rights and how it may be reused
_RIGHTS = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|\bcreative commons\b|\bCC[ -]BY\b|\b(?:re-?use|reproduc\w*) (?:any|all|"
    r"this|the|in)\b[^.]{0,60}\b(?:article|paper|report|content|work|material)|\bre-?use guidelines\b"
    r"|\bpermissions?\b(?=[^.]{0,40}\b(?:re-?use|reproduc|journals?-permissions|request))|\brequest permissions\b",
    re.I,
)
_MARKER = re.compile(r"\s*(?:\d{1,2}\.\s+|[*•†]\s*)")
_PHONE_OR_MAIL = re.compile(r"^\W{0,4}(?:e-?mail|tel(?:ephone)?|phone|fax)\b", re.I)
_LABEL_ALONE = re.compile(r"^\W{0,4}(?:correspondence|corresponding\s+authors?)\s*$", re.I)
ADDRESS_LINES = 3  # the most lines of a postal address printed just before a telephone or email line
ADDRESS_CHARS = 60  # ... each this long at most, without a full stop inside
MOST_CHARS = 600  # a record longer than this is prose that mentions an address, not a contact block
MOST_RECORDS = 3  # contact records kept for one file (a report may print its publisher's twice)
RIGHTS_WORDS = 4  # the fewest words of a rights notice without a "©"
RIGHTS_CHARS = 900  # a licence runs longer than an address


@dataclass(frozen=True)
class Contact:
    """One contact record as printed, one line, with its page (None for a file without pages) and its span in that
    page's text."""

    text: str
    page: int | None
    start: int
    end: int
    kind: str = "contact"  # contact | rights (a copyright, licence or reuse notice)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Contact:
        kind = str(data.get("kind", "contact"))
        return cls(str(data["text"]), data.get("page"), int(data["start"]), int(data["end"]), kind)


def contacts_of(source: SourceFile) -> list[Contact]:
    """The contact records a paper prints: each contact line, with the block a line ending in ":" opens
    ("Corresponding author:" | the name and address), the postal address just before a telephone or email line,
    and the contact lines right after it, as one record."""
    found = (
        Contact(" ".join(page.text[start:end].split()), page.number, start, end)
        for page in source.pages
        for start, end in _records(page.text)
    )
    return _once(found, MOST_CHARS)


def rights_of(source: SourceFile) -> list[Contact]:
    """The notices a paper prints on who holds its rights and how it may be reused ("© The Author(s) 2022", "All
    rights reserved, including the right of reproduction ...", "If you wish to reuse any or all of this article
    ...", a Creative Commons licence), each to the end of its block, as records of kind "rights"."""

    def notices(page: Page) -> Iterator[Contact]:
        lines, gaps = _printed_lines(page.text)
        i = 0
        while i < len(lines):
            if not _RIGHTS.search(lines[i][2]):
                i += 1
                continue
            last = i
            while last + 1 < len(lines) and not gaps[last]:
                last += 1  # (its block: "All rights reserved, including the" | "right of reproduction ...")
            start, end = lines[i][0] + len(lines[i][2]) - len(lines[i][2].lstrip()), lines[last][1]
            text = " ".join(page.text[start:end].split())
            if "©" in text or len(text.split()) >= RIGHTS_WORDS:  # (not a link's label: "Request Permissions")
                yield Contact(text, page.number, start, end, "rights")
            i = last + 1

    return _once((n for page in source.pages for n in notices(page)), RIGHTS_CHARS)


def _once(records: Iterable[Contact], longest: int) -> list[Contact]:
    """The records no longer than `longest` characters, each once (one printed again, "11-13" for "11–13", is no
    new one), the first MOST_RECORDS."""
    kept: list[Contact] = []
    seen: list[str] = []
    for record in records:
        letters = re.sub(r"\W", "", record.text).lower()
        if len(record.text) <= longest and not any(letters in other for other in seen):
            seen.append(letters)
            kept.append(record)
    return kept[:MOST_RECORDS]


def _printed_lines(text: str) -> tuple[list[tuple[int, int, str]], list[bool]]:
    """The text's lines that are not blank (start, end, line), and whether a blank line follows each but the last."""
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]*", text) if m.group().strip()]
    return lines, [text[a[1] : b[0]].count("\n") > 1 for a, b in itertools.pairwise(lines)]


def _records(text: str) -> Iterator[tuple[int, int]]:
    lines, gaps = _printed_lines(text)
    i = 0
    while i < len(lines):
        if not _is_contact(lines[i][2]):
            i += 1
            continue
        first = i
        if _PHONE_OR_MAIL.match(lines[i][2]):  # (the address printed above it, in the same block)
            while (
                first > 0 and i - first < ADDRESS_LINES and not gaps[first - 1] and _address_line(lines[first - 1][2])
            ):
                first -= 1
        last, opened = i, False
        # (a label alone on its line, "Corresponding author", introduces a name and address to the email under it)
        labelled = bool(_LABEL_ALONE.match(lines[i][2]))
        while last + 1 < len(lines):
            if labelled and last > i and _EMAIL.search(lines[last][2]):
                break
            # (what a line ending in ":" introduces, to the end of its block; a contact line right after)
            opened = opened or lines[last][2].rstrip().endswith(":")
            if (opened and not (gaps[last] and not lines[last][2].rstrip().endswith(":"))) or _is_contact(
                lines[last + 1][2]
            ):
                last += 1
                continue
            if labelled and not gaps[last] and last - i < ADDRESS_LINES:
                last += 1
                continue
            break
        marker = _MARKER.match(lines[first][2])  # (a list's number or a footnote's mark before it: "1. ", "* ")
        yield lines[first][0] + (marker.end() if marker else 0), lines[last][1]
        i = last + 1


def _is_contact(line: str) -> bool:
    return bool(_CONTACT_LINE.match(line) or (_EMAIL.search(line) and len(line) <= MOST_CHARS // 2))


def _address_line(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= ADDRESS_CHARS and not re.search(r"\.\s", stripped) and not _is_contact(stripped)


# A question asking how to get in touch: "who do i get in touch with at the King's Fund?", "how can I contact the
# authors?", "who is the corresponding author?", "is there an email?", "what's the publisher's phone number?" (not
# contact as a topic: "how do managers contact clinicians?")
_ASKS_CONTACT = re.compile(
    r"\bget in touch\b|\bcontact (?:details|information|info|address|person|email|number)\b"
    r"|\b(?:i|we|you|one)\s+(?:\w+\s+){0,2}(?:contact|reach|write to|e-?mail|phone|ring)\b"
    r"|\bcorrespond(?:ing|ence)\s+author|\bwho (?:is|was|are|were) (?:the |its |their )?correspond"
    r"|\b(?:e-?mail|phone|telephone|postal)\s+(?:address|number|details)\b|\bis there an? (?:e-?mail|phone)\b"
    # (or follow them: "is justin waring on twitter?", "does the King's Fund have a LinkedIn page?")
    r"|\bon (?:twitter|mastodon|bluesky|linkedin)\b"
    r"|\b(?:twitter|mastodon|bluesky|linkedin|social media)\s+(?:handles?|accounts?|profiles?|pages?)\b",
    re.I,
)
# the words a question asks for contact details or rights notices with, beside the paper's names: what it asks
# when they are taken out
CONTACT_WORDING = (
    "get touch contact details information info address person email e-mail mail phone telephone number reach write "
    "ring correspond corresponding correspondence author authors publisher anything someone anyone there twitter "
    "mastodon bluesky linkedin social media handle handles account accounts profile profiles page pages list lists "
    "copyright licence license licensed reuse re-use permission permissions reproduce reproduction rights reserved"
)


def asks_contact(question: str) -> bool:
    """Does the question ask how to get in touch with a paper's authors or publisher?"""
    return bool(_ASKS_CONTACT.search(question))


# A question asking who holds a paper's rights or whether it may be reused: "what does each one say about copyright
# or getting permission to reuse it?", "what licence is the ALCE paper under?", "can I reproduce its tables?"
_ASKS_RIGHTS = re.compile(
    r"\bcopyright|\blicen[cs]e[ds]?\b|\bpermission to (?:use|re-?use|reproduce|copy|print)"
    r"|\b(?:re-?us(?:e|ing)|reproduc\w*|copy|copying)\s+(?:it|them)\b"
    r"|\b(?:re-?us(?:e|ing)|reproduc\w*|copy|copying)\s+(?:(?:the|its|their|this|these|any|all|some|a|of)\s+)*"
    r"(?:[\w'’]+\s+){0,3}(?:article|paper|report|study|tables?|figures?|diagrams?|charts?|content|material|text)s?\b"
    r"|\ball rights reserved\b|\bcreative commons\b|\bopen access\b",
    re.I,
)


def asks_rights(question: str) -> bool:
    """Does the question ask who holds a paper's rights, or whether and how it may be reused?"""
    return bool(_ASKS_RIGHTS.search(question))
