"""A paper's reference list: a read SourceFile in; its entries as structured references out.

The list is the text under a 'References' (or 'Bibliography', 'Literature cited') heading, up to the next heading
of its level. It is cut into entries by their numbers ('[12]', '12.') where the list is numbered, else where a
line that opens with an author name follows one that ends an entry (or a new laid-out block starts). Each entry
gives its authors, year, title and venue in the common layouts (author-year 'Name. 2010. Title. Venue', Vancouver
'Name A: Title. Venue 2006, 19:516', Elsevier 'A. Name, Title, Venue 20 (1) (2010)', natbib 'Name. Title. Venue,
2015.'), with its DOI and URL where printed, and where the entry is printed (its page and span). The cleaned text
never holds the list: an entry is evidence only for a question about the works a paper cites (rag.cited_works).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from rag.cleaning import join_hyphen, section_of_line, word_counts
from rag.paper_facts import DOI_RE
from rag.schema import SourceFile

HEADING = re.compile(r"^\s*(?:\d{1,2}\.?\s+)?(references|bibliography|literature cited|works cited)\s*$", re.I)
_BULLET = re.compile(r"^[-•*]\s+")
_LINE = re.compile(r"[^\n]*\S[^\n]*")  # a printed line that is not blank
PLACE_WORDS = 8  # the most first words of an entry it is looked up by, and the fewest characters
PLACE_CHARS = 8
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})\.(?=\s))\s*")
_YEAR = re.compile(r"(?<![\d:/–-])((?:19|20)\d\d)[a-z]?(?![\d–])")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_ARXIV_ID = re.compile(r"arXiv:\s?\d{4}\.\d{4,5}(?:v\d)?", re.I)
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŪŮŰŲŴŶŸŹŻŽ"
_NAME_WORD = rf"[{_UPPER}][\w'’´`-]*"
_PARTICLE = r"(?:van|von|de|der|den|da|di|del|le|la|du|dos)"
# An author as printed: 'Marco Baroni', 'Nelson F Liu', 'Afgan E', 'Kosakovsky Pond SL', 'D.-H. Park', 'van den Beek M'
_INITIALS = re.compile(rf"^(?:[{_UPPER}]\.\s?-?)+\s*(?=[{_UPPER}])")
_AUTHOR = re.compile(
    rf"^(?:(?:[{_UPPER}]\.\s?-?)+\s*)?(?:{_PARTICLE}\s+)*{_NAME_WORD}(?:\s+(?:{_PARTICLE}|{_NAME_WORD}|[A-Z]\.))*\.?$"
)
_ENTRY_START = re.compile(
    rf"^(?:{_PARTICLE}\s+)*{_NAME_WORD}(?:\s+(?:{_PARTICLE}|{_NAME_WORD}|[A-Z]\.?)){{0,4}}(?:,|\.\s|\s+and\s|:)"
    rf"|^(?:[A-Z]\.\s?)+{_NAME_WORD},"
)
_ENDS_ENTRY = re.compile(r"(?:[.)]|\d|\b[A-Z]{2,})\s*$")
_SPLIT_AUTHORS = re.compile(r",\s+(?:and|&)\s+|,\s+|\s+and\s+|;\s+|\s+&\s+")
_COMBINING = {
    "´": "\u0301", "¨": "\u0308", "`": "\u0300", "ˆ": "\u0302", "˜": "\u0303", "ˇ": "\u030c", "˘": "\u0306",
    "˚": "\u030a", "¸": "\u0327",
}  # fmt: skip
_ABBREVIATION = re.compile(r"\b(?:vs|e\.g|i\.e|etc|al|St|Dr|No|no|Vol|vol|pp|Proc|Int|J|Jr)$")
_VENUE_END = re.compile(
    r",\s*(?:pages|pp\.|vol(?:ume)?\.?|no\.)\s|\s*,?\s*\d+\s*\(|\s+\d+:\s?\S|,\s*\d|\.\s|\s+DOI\b|\s+doi:|\s+URL\b"
    r"|\s+(?:19|20)\d\d[a-z]?(?=[,.;:)]|\s*$)|\.$"
)


@dataclass(frozen=True)
class Reference:
    """One entry of a paper's reference list: its number (if the list is numbered), the entry as printed on one
    line, and the fields found in it ('' or None where the entry does not give one)."""

    text: str
    number: int | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str = ""
    venue: str = ""
    doi: str = ""
    url: str = ""
    # where the entry is printed: its page (None for a file without pages) and its span in that page's text, as a
    # passage's; start -1 where it was not found (and in an index built before entries were placed)
    page: int | None = field(default=None, compare=False)
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reference:
        return cls(**{**data, "authors": tuple(data.get("authors", ()))})


def bibliography_of(source: SourceFile) -> list[Reference]:
    """The entries of the paper's reference list, in the order printed; empty when it has none that can be found."""
    blocks = list(_list_blocks(source))
    if not blocks:
        return []
    vocabulary = word_counts("\n".join(text for page in source.pages for text in [page.text]))
    cursor = _list_start(source)  # (page index, offset) the next entry is looked for from
    return [
        replace(_parse(lines, number, vocabulary), **_placed(lines, source, cursor))
        for number, lines in _entries(blocks)
    ]


def _list_start(source: SourceFile) -> list[int]:
    """Where the reference list's heading is printed: (page index, offset), or the first page's start."""
    for at, page in enumerate(source.pages):
        for m in re.finditer(r"[^\n]+", page.text):
            if HEADING.match(m.group().strip().lstrip("#").strip()):
                return [at, m.end()]
    return [0, 0]


def _placed(lines: list[str], source: SourceFile, cursor: list[int]) -> dict[str, Any]:
    """The entry's page and span: from where its first line is printed (at or after the cursor: the list's order)
    over as many printed lines as it has (its lines are the page's lines, less blank ones, a number or bullet and a
    text file's Markdown). The cursor moves past it. Nothing where its first words are not found."""
    words = lines[0].split()
    # (its first words, as many as are printed as read: a text file's Markdown, "*Title*", was taken out)
    keys = [k for n in range(min(len(words), PLACE_WORDS), 1, -1) if len(k := " ".join(words[:n])) >= PLACE_CHARS]
    for at in range(cursor[0], len(source.pages)):
        page = source.pages[at]
        since = cursor[1] if at == cursor[0] else 0
        start = next((i for k in keys if (i := page.text.find(k, since)) >= 0), -1)
        if start < 0:
            continue
        end = start
        for _, m in zip(lines, _LINE.finditer(page.text, start), strict=False):
            end = m.end()
        cursor[:] = [at, end]
        return {"page": page.number, "start": start, "end": end}
    return {}


def _list_blocks(source: SourceFile) -> Iterator[list[str]]:
    """The lines of each laid-out block (or each paragraph of a plain text) under the reference heading."""
    level = None
    for page in source.pages:
        if not page.blocks:
            yield from _plain_blocks(page.text)
            continue
        for block in page.blocks:
            text = page.text[block.start : block.end]
            if block.kind == "heading" and HEADING.match(text):
                level = block.level or 1
                continue
            if level is None:
                continue
            if block.kind == "heading" and (block.level or 1) <= level:
                return
            lines = [ln for ln in text.split("\n") if ln.strip()]
            if block.kind in ("body", "note", "table") and lines:
                yield lines


def _plain_blocks(text: str) -> Iterator[list[str]]:
    """A text file's reference list: the paragraphs (or bullet items) after a 'References' line or Markdown heading,
    up to the next heading; Markdown emphasis and links are read as their text."""
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if HEADING.match(ln.strip().lstrip("#").strip())), None)
    if start is None:
        return
    block: list[str] = []
    for line in [*lines[start + 1 :], ""]:
        stripped = line.strip()
        if stripped.startswith("#") or (section_of_line(stripped) and len(stripped.split()) <= 4):
            break
        bullet = _BULLET.match(stripped)
        if (bullet or not stripped) and block:
            yield block
            block = []
        if stripped:
            block.append(_plain(stripped[bullet.end() :] if bullet else stripped))
    if block:
        yield block


def _plain(line: str) -> str:
    line = _MD_LINK.sub(lambda m: m.group(1) if not m.group(1).startswith("http") else m.group(2), line)
    line = re.sub(r"<(https?://[^>\s]+)>", r"\1", line)
    return re.sub(r"(?<![\w*])\*{1,2}(?=\S)|(?<=\S)\*{1,2}(?![\w*])", "", line)


def _entries(blocks: list[list[str]]) -> list[tuple[int | None, list[str]]]:
    first = blocks[0][0]
    numbered = _NUMBERED.match(first)
    if numbered and int(numbered.group(1) or numbered.group(2)) == 1:
        return _numbered_entries(blocks)
    return _author_entries(blocks)


def _numbered_entries(blocks: list[list[str]]) -> list[tuple[int | None, list[str]]]:
    """Entries cut at '[n]' or 'n.' opening a line, n counting up from 1; the list ends at a block that opens with
    no number after an entry that has ended (a journal's closing notice)."""
    entries: list[tuple[int | None, list[str]]] = []
    for block in blocks:
        for i, line in enumerate(block):
            m = _NUMBERED.match(line)
            expected = len(entries) + 1
            if m and int(m.group(1) or m.group(2)) == expected:
                entries.append((expected, [line[m.end() :]]))
            elif not entries:
                continue
            elif i == 0 and _ENDS_ENTRY.search(entries[-1][1][-1]) and _YEAR.search(entries[-1][1][-1] + " "):
                return entries
            else:
                entries[-1][1].append(line)
    return entries


def _author_entries(blocks: list[list[str]]) -> list[tuple[int | None, list[str]]]:
    """Entries of an unnumbered list: a new one where a line that opens with an author name (or a new block)
    follows a line that ends an entry; a piece with no year is part of the entry before it."""
    entries: list[list[str]] = []
    for block in blocks:
        for i, line in enumerate(block):
            ended = bool(entries) and bool(_ENDS_ENTRY.search(entries[-1][-1]))
            starts = bool(_ENTRY_START.match(line))
            # a new block that opens with a name starts an entry after one with its year (whose end the layout lost)
            dated = i == 0 and starts and bool(entries) and bool(_YEAR.search(" ".join(entries[-1])))
            if not entries or (ended and (starts or i == 0)) or dated:
                entries.append([line])
            else:
                entries[-1].append(line)
    merged: list[list[str]] = []
    for entry in entries:
        if merged and not _YEAR.search(" ".join(entry)):
            merged[-1] += entry
        else:
            merged.append(entry)
    return [(None, entry) for entry in merged]


def _join(lines: list[str], vocabulary: Any) -> str:
    """One line: a word broken at a line end joined (hyphen kept where the text spells it so), a URL or DOI
    broken at a line end joined without a space."""
    text = ""
    for line in lines:
        line = line.strip()
        if not text:
            text = line
            continue
        last = text.split()[-1] if text.split() else ""
        if re.search(r"[A-Za-z]-$", text) and line[:1].islower():
            left = re.search(r"(\w+)-$", text)
            right = re.match(r"(\w+)", line)
            if left and right:
                joined = join_hyphen(left.group(1), right.group(1), vocabulary)
                text = text[: left.start()] + joined + line[right.end() :]
                continue
        broken = last.endswith("/") or not line[:1].isupper()
        if (_URL.match(last) or DOI_RE.match(last)) and re.search(r"[/.\-_]$", last) and broken:
            text += line
        elif re.search(r"\w-$", text) and line[:1].isupper():
            text += line  # 'Callison-' + 'Burch'

        else:
            text += " " + line
    # a spacing accent after its letter ('Germa´n', 'Jo¨rg') as the accented letter
    text = unicodedata.normalize("NFC", re.sub(r"(?<=[A-Za-z])[´¨`ˆ˜ˇ˘˚¸]", lambda m: _COMBINING[m.group(0)], text))
    return " ".join(text.split())


def _bare_title(title: str) -> str:
    """A title without the link run into it ('Title?, https://...') or the quotes around it ('\'Title\'')."""
    title = re.split(r",?\s+(?:https?://|www\.)", title)[0].strip()
    quoted = re.fullmatch(r"['‘\"“](.+)['’\"”]", title)
    return quoted.group(1).strip() if quoted else title


def _parse(lines: list[str], number: int | None, vocabulary: Any) -> Reference:
    text = _join(lines, vocabulary)
    doi_match = DOI_RE.search(text)
    doi = doi_match.group(1).rstrip(".,;)") if doi_match else ""
    url_match = _URL.search(text)
    url = url_match.group(0).rstrip(".,;)") if url_match else ""
    masked = text
    for pattern in (DOI_RE, _URL, _ARXIV_ID):
        masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
    year_match = _YEAR.search(masked)
    year = int(year_match.group(1)) if year_match else None
    authors, rest = _split_authors(masked, year_match)
    title, venue = _title_and_venue(rest, text[len(masked) - len(rest) :] if rest else "")
    return Reference(text, number, authors, year, _bare_title(title), venue, doi, url)


def _split_authors(text: str, year: re.Match[str] | None) -> tuple[tuple[str, ...], str]:
    """The authors and the text after them (with the year, when it follows them, taken off)."""
    if year is not None:  # 'Names. 2010. Title' / 'Names (2010). Title' / 'Names, 2010. Title'
        before = text[: year.start()].rstrip(" (")
        after = re.match(r"[a-z]?\)?[.,:]?\s*", text[year.end() :])
        names = _names(before.rstrip(","))
        if names and (before.endswith((".", ",", "(")) or text[year.start() - 1 : year.start()] == "("):
            return names, text[year.end() + (after.end() if after else 0) :]
    colon = re.match(r"^([^:.\d]{2,400}?):\s+", text)  # Vancouver: 'Ovretveit J, Serouri A: Title'
    if colon and _names(colon.group(1)):
        return _names(colon.group(1)), text[colon.end() :]
    # one name after another until a piece that is no name: the title ('A. Name, B. Name, Title, ...'); every name
    # has the shape of the first (initials first, or two words or more) so a title's first word is no name
    authors: list[str] = []
    pos = 0
    initials_first = bool(_INITIALS.match(text))
    for m in re.finditer(rf",\s+(?:and\s+)?|\s+and\s+|(?<![{_UPPER}])\.\s+", text):
        piece = text[pos : m.start()].strip()
        if piece in ("et al", "et al."):
            authors.append("et al.")
        elif _is_author(piece, initials_first):
            authors.append(piece.rstrip("."))
        else:  # 'Doloswala N. What can ...': the last name, its initials' full stop ending the names
            last = next(
                (d for d in re.finditer(r"\.\s+", piece) if _is_author(piece[: d.start()], initials_first)), None
            )
            if last is not None:
                authors.append(piece[: last.start()])
                pos += len(text[pos:]) - len(text[pos:].lstrip()) + last.end()
            break
        pos = m.end()
        if text[m.start() : m.start() + 1] == ".":
            break  # 'Rui Zhu. Imitating ...': the names end with a full stop
    return tuple(authors), text[pos:]


def _is_author(piece: str, initials_first: bool) -> bool:
    return (
        2 <= len(piece.split()) <= 5 and bool(_AUTHOR.match(piece)) and bool(_INITIALS.match(piece)) == initials_first
    )


def _names(text: str) -> tuple[str, ...]:
    """The names in an author list, or () when any piece is no name."""
    pieces = [p.strip() for p in _SPLIT_AUTHORS.split(text) if p.strip()]
    if not pieces:
        return ()
    # 'Smith, J., Jones, K.': surnames and initials alternate
    if len(pieces) % 2 == 0 and all(re.fullmatch(r"(?:[A-Z]\.\s?-?)+", p) for p in pieces[1::2]):
        pieces = [f"{s}, {i}" for s, i in zip(pieces[::2], pieces[1::2], strict=True)]
        return tuple(pieces)
    names: list[str] = []
    for piece in pieces:
        name, etal = re.subn(r"\s+et al\.?$", "", piece)  # 'Franco L, et al' / 'Chen L et al.'
        if name in ("et al", "et al."):
            names.append("et al.")
            continue
        if not (len(name.split()) <= 5 and _AUTHOR.match(name)):
            return ()
        names.append(name.rstrip("."))
        if etal:
            names.append("et al.")
    return tuple(names)


def _title_and_venue(rest: str, printed: str) -> tuple[str, str]:
    """The title (up to its full stop, or up to ', in:' / the venue in an Elsevier entry) and the venue after it."""
    text = printed.strip() or rest.strip()
    if not text:
        return "", ""
    elsevier = re.search(r",\s+in:\s+", text)
    if elsevier:
        return text[: elsevier.start()].strip(), _venue(text[elsevier.end() :])
    end = _title_end(text)
    if end is None:
        volume = re.search(r"\s\d+\s*\(\d+\)|\s\(\d{4}\)|,\s*(?:19|20)\d\d\.?$|\s\d+\.?$", text)
        cut = text.rfind(", ", 0, volume.start() if volume else len(text))
        if cut > 0:
            return text[:cut].strip(), _venue(text[cut + 2 :])
        return text.rstrip(". "), ""
    title = re.sub(r",\s*(?:19|20)\d\d[a-z]?$", "", text[:end].strip())  # natbib 'Title, 2020. URL ...'
    return title, _venue(text[end + 1 :])


def _title_end(text: str) -> int | None:
    for m in re.finditer(r"\.(?=\s+\S)", text):  # a '?' goes on: 'Is it? A comparison of ...'
        before = text[: m.start()]
        if m.group(0) == "." and (_ABBREVIATION.search(before) or re.search(r"\b[A-Z]$", before)):
            continue
        return m.start()
    return None


def _venue(text: str) -> str:
    text = re.sub(r"^(?:In:?|in:)\s+", "", text.strip())
    if re.match(r"^(?:URL|doi|DOI|Accessed|Available|Retrieved|(?:19|20)\d\d)\b", text, re.I):
        return ""
    m = _VENUE_END.search(text)
    venue = text[: m.start()] if m else text
    return venue.strip(" .,;")
