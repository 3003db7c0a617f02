"""Lay out a PDF's pages: positioned words (pdfplumber) in, per page a reading-order text with labelled blocks out.

Columns are found from the white gutter between them; running headers, footers, page numbers and margin text are
dropped; superscript reference and footnote markers are dropped; every remaining line lands in a block that is a
heading (with a level), body text, a figure or table caption, a table body, or a note at the foot of a page.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rag.cleaning import section_of_line
from rag.schema import Block, Page
from rag.text import repair_mojibake

WORD_GAP_RATIO = 0.12  # a gap wider than this share of the type size separates words (tight justified text)
CAPTION_RE = re.compile(
    r"^(?:(Figure|Fig\.|FIGURE|FIG\.|Table|TABLE|Box|BOX|Algorithm)\s+([0-9]+|[IVX]+)[a-z]?)(?=\s*[.:|]|\s*$|\s+[A-Z(])"
)
_REFERENCE_TEXT = re.compile(r"^(Figure|Fig\.|Table)\s+\S+\s+(shows|show|gives|lists|presents|summari[sz]es)\b", re.I)
_NUMBERED = re.compile(r"^((?:\d{1,2}\.){0,3}\d{1,2})\.?\s+(?=[A-Z])|^([A-H](?:\.\d{1,2}){0,2})\.?\s+(?=[A-Z])")
_MARKER = re.compile(r"^[\d,–\-*†‡§¶a-f∗]{1,9}$")
_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|medi|\.b$|-b$|,b$", re.I)


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    face: str = ""  # the font's name without its subset tag ('HBEMPH+Arial-Bold' -> 'Arial-Bold')


@dataclass
class _Line:
    words: list[_Word]
    side: str = "S"  # L, R (a column of a two-column region) or S (spans the page)
    text: str = ""
    gaps: int = 0  # gaps wider than two type sizes inside the line: table cells

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def size(self) -> float:
        sizes: Counter[float] = Counter()
        for w in self.words:
            sizes[round(w.size, 1)] += len(w.text)
        return sizes.most_common(1)[0][0]

    @property
    def head_size(self) -> float:
        """The largest type on the line: a small-caps heading ('A P' + 'ROMPTS') is as big as its capitals."""
        return round(max(w.size for w in self.words), 1)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)  # a run-in head ('Methods. We ...') is body text

    @property
    def face(self) -> str:
        """The one font the whole line is set in, or '' for a line of mixed fonts."""
        faces = {w.face for w in self.words}
        return faces.pop() if len(faces) == 1 else ""


@dataclass
class _RawBlock:
    lines: list[_Line]
    kind: str = "body"
    label: str = ""
    level: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _words(page: Any) -> list[_Word]:
    raw = page.extract_words(
        x_tolerance_ratio=WORD_GAP_RATIO, keep_blank_chars=False, extra_attrs=["fontname", "size", "upright"]
    )
    width, height = float(page.width), float(page.height)
    out = []
    for w in raw:
        if not w["upright"] or w["x0"] < -1 or w["x1"] > width + 1 or w["top"] < -1 or w["bottom"] > height + 1:
            continue  # rotated margin text (an arXiv stamp, a journal's side banner) and text off the page
        out.append(
            _Word(
                repair_mojibake(w["text"]),
                w["x0"],
                w["x1"],
                w["top"],
                w["bottom"],
                float(w["size"]),
                bool(_BOLD.search(w["fontname"])),
                str(w["fontname"]).split("+")[-1],
            )
        )
    return out


def _rotated_text(page: Any) -> str:
    """Text set sideways in the margin (an arXiv stamp), read bottom to top."""
    chars = sorted((c for c in page.chars if not c.get("upright", True)), key=lambda c: -c["top"])
    return " ".join("".join(c["text"] for c in chars).split())[:200]


def _gutter(words: list[_Word], width: float) -> tuple[float, float] | None:
    """(x, width) of the white gutter between two columns, or None for a page of one column."""
    if len(words) < 60:
        return None
    lo, hi = int(width * 0.2), int(width * 0.8)
    crossing = [0] * (hi - lo)
    for w in words:
        for col in range(max(lo, int(w.x0) - 1), min(hi, int(w.x1) + 2)):
            crossing[col - lo] += 1
    best = min(crossing)
    lines = len({round(w.bottom) for w in words})
    if best > max(2, 0.3 * lines):  # a title block or a wide figure may cross; most lines must not
        return None
    # The widest run of x at the minimum is the gutter.
    runs: list[tuple[int, int]] = []
    start = None
    for i, c in enumerate([*crossing, 10**9]):
        if c <= best and start is None:
            start = i
        elif c > best and start is not None:
            runs.append((start, i))
            start = None
    a, b = max(runs, key=lambda r: r[1] - r[0])
    if b - a < 4:
        return None
    x = lo + (a + b) / 2.0
    left = sum(1 for w in words if w.x1 <= x)
    right = sum(1 for w in words if w.x0 >= x)
    if min(left, right) < 40:
        return None
    return x, float(b - a)


def _cluster(words: list[_Word]) -> list[list[_Word]]:
    """Words of one column grouped into lines: a word joins the line its height overlaps most."""
    lines: list[list[_Word]] = []
    for w in sorted(words, key=lambda w: (w.bottom, w.x0)):
        placed = False
        for line in reversed(lines[-4:]):
            top = statistics.median(x.top for x in line)
            bottom = statistics.median(x.bottom for x in line)
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= 0.5 * min(bottom - top, w.bottom - w.top):
                line.append(w)
                placed = True
                break
        if not placed:
            lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _drop_markers(words: list[_Word]) -> list[_Word]:
    """Superscript reference and footnote markers ('Fulop's10', 'care.3–5', 'Smith*') leave the line."""
    if len(words) < 2:
        return words
    main = max(Counter(round(w.size, 1) for w in words).items(), key=lambda kv: kv[1])[0]
    baseline = statistics.median(w.bottom for w in words if round(w.size, 1) == main)
    return [
        w for w in words if not (w.size < 0.85 * main and w.bottom < baseline - 0.2 * main and _MARKER.match(w.text))
    ]


def _make_line(words: list[_Word], side: str) -> _Line:
    words = [w for w in _drop_markers(words) if not _CID.fullmatch(w.text)]
    for w in words:
        if "(cid:" in w.text:
            w.text = _CID.sub("", w.text)  # a glyph without a Unicode mapping: a bullet or a dingbat
    parts: list[str] = []
    gaps = 0
    for i, w in enumerate(words):
        gap = w.x0 - words[i - 1].x1 if i else 0.0
        if i and gap > 2 * w.size:
            gaps += 1
        small = min(w.size, words[i - 1].size) if i else w.size
        # letter-spaced small capitals ('REAC' + 'T' of 'ReAct') are kerned wider than plain letters
        caps_tail = len(w.text) == 1 and w.text.isupper() and parts and parts[-1].isupper() and gap < 0.2 * small
        if i and (gap < WORD_GAP_RATIO * small or caps_tail):
            parts[-1] += w.text  # one word split where its font changes ('researcher' + '’s')
        elif i and gap > 1.6 * w.size:
            parts.append(" " + w.text)  # a wide gap (between names, between cells) stays visible as two spaces
        else:
            parts.append(w.text)
    return _Line(words, side, " ".join(parts), gaps)


def _page_lines(words: list[_Word], width: float) -> list[_Line]:
    """The page's lines in reading order: spanning lines in place, each two-column band left column first."""
    gutter = _gutter(words, width)
    if gutter is None:
        return [_make_line(ws, "S") for ws in _cluster(words) if ws]
    x, gap = gutter
    left = _cluster([w for w in words if (w.x0 + w.x1) / 2 < x])
    right = _cluster([w for w in words if (w.x0 + w.x1) / 2 >= x])
    lines: list[_Line] = []
    used: set[int] = set()
    for lw in left:
        partner = None
        for j, rw in enumerate(right):
            if j in used or abs(rw[0].bottom - lw[0].bottom) > 0.3 * lw[0].size:
                continue
            crosses = any(w.x1 > x for w in lw) or any(w.x0 < x for w in rw)
            if crosses or rw[0].x0 - max(w.x1 for w in lw) < 0.5 * gap:
                partner = j
                break
        if partner is None:
            lines.append(_make_line(lw, "L"))
        else:
            used.add(partner)
            lines.append(_make_line(lw + right[partner], "S"))
    lines += [_make_line(rw, "R") for j, rw in enumerate(right) if j not in used]
    for line in lines:
        if line.side != "S" and any(w.x0 < x < w.x1 for w in line.words):
            line.side = "S"
    lines.sort(key=lambda ln: ln.top)
    ordered: list[_Line] = []
    band: list[_Line] = []
    for item in [*lines, None]:
        if item is None or item.side == "S":
            ordered += [ln for ln in band if ln.side == "L"] + [ln for ln in band if ln.side == "R"]
            band = []
            if item is not None:
                ordered.append(item)
        else:
            band.append(item)
    return ordered


def _repeated_margins(pages: list[list[_Line]], heights: list[float]) -> set[str]:
    """Keys of lines near the top or bottom edge that repeat on several pages: running headers and footers."""
    seen: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        keys = {_margin_key(ln.text) for ln in lines if ln.top < 0.1 * height or ln.bottom > 0.9 * height}
        seen.update(keys)
    return {k for k, n in seen.items() if n >= 2 and len(pages) >= 3}


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def body_size(pages: list[list[_Line]]) -> float:
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


def heading_faces(pages: list[list[_Line]], body: float) -> Faces:
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


def _opens_paragraph(
    line: _Line, nxt: _Line | None, prev: _Line | None, faces: Faces, width: float, after_break: bool
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


def _numbering_depth(text: str) -> int:
    m = _NUMBERED.match(text)
    if not m:
        return 0
    return (m.group(1) or m.group(2)).count(".") + 1


def _assign_levels(pages: list[list[_RawBlock]]) -> None:
    """Heading levels: numbering ('2.1') where present, else 1 for the type of the named sections ('Methods') and
    deeper for each smaller heading type. Page-1 headings before the first section heading are front matter."""
    headings = [b for blocks in pages for b in blocks if b.kind == "heading"]
    first = next((i for i, b in enumerate(headings) if _numbering_depth(_text(b)) or section_of_line(_text(b))), None)
    for i, block in enumerate(headings):
        if first is not None and i < first and block.extra.get("page") == 1:
            block.kind = "front"
    named = [
        b.lines[0].head_size
        for b in headings
        if b.kind == "heading" and (section_of_line(_text(b)) or _numbering_depth(_text(b)) == 1)
    ]
    top = Counter(named).most_common(1)[0][0] if named else max((b.lines[0].head_size for b in headings), default=0.0)
    smaller = sorted({b.lines[0].head_size for b in headings if b.lines[0].head_size < top - 0.1}, reverse=True)
    for block in headings:
        text = _text(block)
        depth = _numbering_depth(text)
        size = block.lines[0].head_size
        if depth:
            block.level = depth
        elif section_of_line(text) or size >= top - 0.1:
            block.level = 1
        else:
            block.level = 2 + smaller.index(size)


def _text(block: _RawBlock) -> str:
    return " ".join(ln.text for ln in block.lines)


def _is_heading(
    line: _Line,
    nxt: _Line | None,
    body: float,
    column_width: float,
    gap_before: bool,
    opens: bool = False,
) -> bool:
    text = line.text
    words = text.split()
    if not (1 <= len(words) <= 14) or len(text) > 110 or (text.endswith((".", ",", ";")) and not _NUMBERED.match(text)):
        return False
    if not (text[:1].isupper() or text[:1].isdigit()) or CAPTION_RE.match(text) or line.gaps:
        return False
    if _PAGE_NUMBER.match(text) or not re.search(r"[A-Za-z]{3}", text):
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


def _caption_label(text: str) -> str:
    m = CAPTION_RE.match(text)
    if not m or _REFERENCE_TEXT.match(text):
        return ""
    kind = {"fig.": "Figure", "figure": "Figure", "table": "Table", "box": "Box"}.get(m.group(1).lower(), "Algorithm")
    return f"{kind} {m.group(2)}"


def _blocks(
    lines: list[_Line], body: float, width: float, height: float, faces: Faces | None = None
) -> list[_RawBlock]:
    """Cut a page's ordered lines into labelled blocks."""
    leading = statistics.median(
        [b.top - a.top for a, b in itertools.pairwise(lines) if a.side == b.side and 0 < b.top - a.top < 3 * body]
        or [1.2 * body]
    )
    blocks: list[_RawBlock] = []
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        column_width = width / 2 if line.side != "S" else width
        label = _caption_label(line.text)
        step = 1.45 * max(leading, 1.2 * line.size)
        gap_before = prev is None or prev.side != line.side or not (0 < line.top - prev.top <= step)
        starts_block = gap_before or abs(line.size - prev.size) > 0.8 if prev is not None else True
        after = line.text[m.end() :].strip() if (m := CAPTION_RE.match(line.text)) else ""
        # a label inside running text ('Table 2 The ...' wrapped) is rare: the label's own punctuation, or a short
        # title after it ('Algorithm 5 SIDD'), marks a caption even without space above it
        titled = after[:1].isupper() and len(after.split()) <= 6 and not after.endswith(".")
        if label and (starts_block or after[:1] in (".", ":", "|") or titled):
            blocks.append(_RawBlock([line], "caption", label))
            continue
        last = blocks[-1] if blocks else None
        if (
            last is not None
            and last.kind == "heading"
            and not gap_before
            and line.bold == last.lines[-1].bold
            and (line.bold or line.size >= body + 0.8)
            and line.size == last.lines[-1].size
            and len(last.lines) < 6
            and line.gaps == 0
            and len(line.text) < 80
        ):
            last.lines.append(line)  # a heading wrapped onto a second line
            continue
        spaced = (
            prev is None or prev.side != line.side or not (0 < line.top - prev.top <= 1.12 * max(leading, line.size))
        )
        # a sub-heading in a heading font right under its section's heading has no more space above it
        under = last is not None and last.kind == "heading"
        wide = prev is None or prev.side != line.side or line.top - prev.top > 1.6 * leading
        opens = faces is not None and _opens_paragraph(line, nxt, prev, faces, column_width, under or wide)
        under = opens and under
        if _is_heading(line, nxt, body, column_width, spaced or under, opens):
            if (
                last is not None
                and last.kind == "heading"
                and not gap_before
                and last.lines[-1].size == line.size
                and not _NUMBERED.match(line.text)
            ):
                last.lines.append(line)  # a heading wrapped onto a second line
            else:
                blocks.append(_RawBlock([line], "heading"))
            continue
        last = blocks[-1] if blocks else None
        if last is not None and last.kind in ("body", "caption", "table") and not starts_block:
            last.lines.append(line)
            continue
        blocks.append(_RawBlock([line], "body"))
    for block in blocks:
        if block.kind == "body":
            _classify(block, body, height)
    return blocks


def _classify(block: _RawBlock, body: float, height: float) -> None:
    """A body block of table cells, figure labels or page-foot notes gets its kind."""
    lines = block.lines
    text = " ".join(ln.text for ln in lines)
    cells = sum(1 for ln in lines if ln.gaps >= 1)
    short = sum(1 for ln in lines if len(ln.text) < 30)
    size = statistics.median(ln.size for ln in lines)
    if len(text) < 4:
        block.kind = "drop"  # a sub- or superscript line of a formula ('AN'), a stray glyph
    elif cells >= max(1, len(lines) / 2) or (
        short == len(lines) and not re.search(r"[.!?]\s*$", text) and len(lines) >= 2
    ):
        block.kind = "table"
    elif size < body - 0.8 and (re.match(r"^(\d{1,2}|[*†‡§])\s*\S", text) or lines[0].top > 0.7 * height):
        block.kind = "note"
    elif len(lines) == 1 and len(text) < 25 and not re.search(r"[.!?:]$", text):
        block.kind = "table"  # a lone fragment: an axis label or a cell outside the body


def _label_tables(blocks: list[_RawBlock]) -> None:
    """A table body takes the label of the nearest table caption on its page; figure text without one is dropped."""
    captions = [(i, b) for i, b in enumerate(blocks) if b.kind == "caption"]
    for i, block in enumerate(blocks):
        if block.kind != "table":
            continue
        if not captions:
            block.kind = "drop"
            continue
        _, nearest = min(captions, key=lambda c: abs(c[0] - i))
        if nearest.label.startswith("Table"):
            block.label = nearest.label
        else:
            block.kind = "drop"


def lay_out(pdf: Any) -> tuple[Page, ...]:
    """One Page per PDF page: text in reading order, blocks separated by blank lines, each block labelled."""
    raw_pages: list[list[_Line]] = []
    heights: list[float] = []
    widths: list[float] = []
    for page in pdf.pages:
        words = _words(page)
        raw_pages.append(_page_lines(words, float(page.width)))
        heights.append(float(page.height))
        widths.append(float(page.width))
    margins = _repeated_margins(raw_pages, heights)
    body = body_size(raw_pages)
    faces = heading_faces(raw_pages, body)
    laid: list[list[_RawBlock]] = []
    for number, (lines, height, width) in enumerate(zip(raw_pages, heights, widths, strict=True), start=1):
        in_margin = [
            (ln.top < 0.1 * height or ln.bottom > 0.9 * height)
            and (_margin_key(ln.text) in margins or bool(_PAGE_NUMBER.match(ln.text)))
            for ln in lines
        ]
        kept = [ln for ln, out in zip(lines, in_margin, strict=True) if not out]
        blocks = _blocks(kept, body, width, height, faces) if kept else []
        if number == 1:  # page 1's running header names the venue and year: kept for the citation facts only
            margin = [ln for ln, out in zip(lines, in_margin, strict=True) if out and not _PAGE_NUMBER.match(ln.text)]
            stamp = _rotated_text(pdf.pages[0])
            if stamp:
                margin.append(_Line([_Word(stamp, 0, 1, 0, 1, 1.0, False)], "S", stamp))
            blocks += [_RawBlock([ln], "margin") for ln in margin]
        _label_tables(blocks)
        for block in blocks:
            block.extra["page"] = number
        laid.append([b for b in blocks if b.kind != "drop"])
    _assign_levels(laid)
    return tuple(_render(number, blocks) for number, blocks in enumerate(laid, start=1))


def _render(number: int, blocks: list[_RawBlock]) -> Page:
    parts: list[str] = []
    spans: list[Block] = []
    pos = 0
    for block in blocks:
        text = "\n".join(ln.text for ln in block.lines)
        if parts:
            pos += 2
        spans.append(
            Block(
                block.kind,
                pos,
                pos + len(text),
                block.label,
                block.level,
                round(statistics.median(ln.size for ln in block.lines), 1),
            )
        )
        parts.append(text)
        pos += len(text)
    return Page(number=number, text="\n\n".join(parts), blocks=tuple(spans))
