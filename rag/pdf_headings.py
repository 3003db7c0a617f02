"""Which lines of a laid-out PDF are headings: by type size, weight, numbering, or a font set apart for them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rag.cleaning import section_of_line
from rag.pdf_lines import PAGE_NUMBER, Line

# A figure or table caption's label ('Table 2', 'Fig. 3'): a line opening with it is never a heading.
CAPTION_RE = re.compile(
    r"^(?:(Figure|Fig\.|FIGURE|FIG\.|Table|TABLE|Box|BOX|Algorithm)\s+([0-9]+|[IVX]+)[a-z]?)(?=\s*[.:|]|\s*$|\s+[A-Z(])"
)
# A heading's numbering ('2.1 ', 'A.3 '): its depth is the heading's level.
NUMBERED = re.compile(r"^((?:\d{1,2}\.){0,3}\d{1,2})\.?\s+(?=[A-Z])|^([A-H](?:\.\d{1,2}){0,2})\.?\s+(?=[A-Z])")


def body_size(pages: list[list[Line]]) -> float:
    """The type size most of the document's text is set in: headings are set apart from it."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


@dataclass(frozen=True)
class Faces:
    """The body text's font and the fonts set apart for sub-headings (see `heading_faces`)."""

    body: str = ""
    headings: frozenset[str] = frozenset()


def heading_faces(pages: list[list[Line]], body: float) -> Faces:
    """Fonts set apart for sub-headings whose names do not say bold (a journal's 'AdvTT99c4c969' at body size):
    not the body text's font, near its size, and every line set wholly in one of them is short and ends without
    a full stop. Lines in them are headings when they stand apart and body text follows in another font."""
    chars: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    short: Counter[str] = Counter()
    total = 0
    for page in pages:
        for ln in page:
            total += 1
            for w in ln.words:
                chars[w.face] += len(w.text)
            face = ln.face
            if face and abs(ln.size - body) <= 1.0:
                lines[face] += 1
                short[face] += len(ln.text.split()) <= 10 and not ln.text.rstrip().endswith((".", ",", ";", ":"))
    if not chars:
        return Faces()
    body_face = chars.most_common(1)[0][0]
    return Faces(
        body_face,
        frozenset(
            f for f, n in lines.items() if f != body_face and n >= 2 and short[f] >= 0.9 * n and n <= 0.05 * total
        ),
    )


def opens_paragraph(
    line: Line, nxt: Line | None, prev: Line | None, faces: Faces, width: float, after_break: bool
) -> bool:
    """A line in a heading font that stands between the end of one paragraph (a full stop, a heading, or a wide
    space above it: `after_break`) and the first line of the next, set in the body font across the column: not
    a word of a table or figure, nor an italic word ending a paragraph."""
    if not line.face or line.face not in faces.headings or nxt is None or nxt.side != line.side:
        return False
    ended = after_break or prev is None or prev.text.rstrip().endswith((".", "?", "!", ":", ")"))
    letters = sum(ch.isalpha() for ch in nxt.text)
    in_body = sum(len(w.text) for w in nxt.words if w.face == faces.body)
    return (
        ended
        and in_body >= 0.8 * sum(len(w.text) for w in nxt.words)  # a name's letter may come from another font
        and nxt.gaps == 0
        and nxt.x1 - nxt.x0 >= 0.6 * width
        and letters >= 0.7 * len(nxt.text.replace(" ", ""))
    )


def numbering_depth(text: str) -> int:
    m = NUMBERED.match(text)
    if not m:
        return 0
    return (m.group(1) or m.group(2)).count(".") + 1


def is_heading(
    line: Line,
    nxt: Line | None,
    body: float,
    column_width: float,
    gap_before: bool,
    opens: bool = False,
) -> bool:
    text = line.text
    words = text.split()
    if not (1 <= len(words) <= 14) or len(text) > 110 or (text.endswith((".", ",", ";")) and not NUMBERED.match(text)):
        return False
    if not (text[:1].isupper() or text[:1].isdigit()) or CAPTION_RE.match(text) or line.gaps:
        return False
    if PAGE_NUMBER.match(text) or not re.search(r"[A-Za-z]{3}", text):
        return False
    if not gap_before:
        return False  # a heading stands apart from the line above it
    if nxt is not None and nxt.side == line.side and nxt.text[:1].islower() and 0 < nxt.top - line.top < 2 * line.size:
        return False  # the line runs on into the next one: a bold run-in head or a caption
    if text.endswith("-"):
        return False
    if line.head_size >= body + 0.8:
        return True
    named = section_of_line(text)
    if named and not CAPTION_RE.match(text) and len(words) <= 6:
        return True
    if gap_before and re.match(r"^\d{1,2}\.?\s+[A-Z]", text) and len(words) <= 12 and line.size >= body - 0.2:
        return not text.endswith(".")  # a numbered section standing alone: '3. Our measure and its improvements'
    if opens:
        return True  # a sub-heading in a font of its own ('Setting', then its paragraph in the body font)
    if line.bold and line.size >= body - 0.6:
        # a bold line that runs on into more bold text of full width is a bold paragraph, not a heading
        follows_bold = nxt is not None and nxt.bold and nxt.size == line.size and line.x1 - line.x0 > 0.8 * column_width
        return not follows_bold
    return False
