"""A PDF page's words (pdfplumber) in, its lines in reading order out.

Columns are found from the white gutter between them (on the whole page, or in a band of it under a full-width
abstract), each two-column band read left column first; a symbol reaching into the line above joins its own line;
superscript reference and footnote markers leave their lines; lines repeated at the top or bottom edge of several
pages are found as running headers and footers.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from rag.text import repair_mojibake

WORD_GAP_RATIO = 0.12  # a gap wider than this share of the type size separates words (tight justified text)
_MARKER = re.compile(r"^[\d,–\-*†‡§¶a-f∗]{1,9}$")
_CID = re.compile(r"\(cid:\d+\)")
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|medi|\.b$|-b$|,b$", re.I)


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    face: str = ""  # the font's name without its subset tag ('HBEMPH+Arial-Bold' -> 'Arial-Bold')


@dataclass
class Line:
    words: list[Word]
    side: str = "S"  # L, R (a column of a two-column region) or S (spans the page)
    text: str = ""
    gaps: int = 0  # gaps wider than two type sizes inside the line: table cells
    marked: bool = False  # it opened with a superscript marker, now dropped: a footnote's first line

    @property
    def top(self) -> float:
        return min(w.top for w in self._lettered)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self._lettered)

    @property
    def _lettered(self) -> list[Word]:
        """The words holding a letter or digit, which set the line's height (a radical sign reaches above it)."""
        return [w for w in self.words if not _symbol(w)] or self.words

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
    def cell_starts(self) -> list[float]:
        """Where each cell after the first begins: the x of every word after a gap wider than two type sizes."""
        return [w.x0 for v, w in itertools.pairwise(self.words) if w.x0 - v.x1 > 2 * w.size]

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


# TeX's math italic fonts (CMMI, OML encoding) print some letters with no Unicode mapping in the PDF, which pdfminer
# gives as "(cid:N)": the encoding's slots say what they are ("H → ZZ → 4ℓ", not "4(cid:96)")
_MATH_ITALIC = re.compile(r"^(?:[A-Z]{6}\+)?(?:CMMI|cmmi|LMMathItalic)")
_OML = {
    **{i: ch for i, ch in enumerate("ΓΔΘΛΞΠΣΥΦΨΩαβγδϵζηθικλμνξπρστυϕχψωεϑϖϱςφ")},
    0x40: "∂",
    0x60: "ℓ",
    0x7B: "ı",
    0x7C: "ȷ",
    0x7D: "℘",
}


def _decode_math_italic(page: Any) -> None:
    """Give TeX math-italic glyphs pdfminer could not map their letters, in place, before words are formed."""
    for c in page.chars:
        text = c.get("text", "")
        if text.startswith("(cid:") and _MATH_ITALIC.search(str(c.get("fontname", ""))):
            code = int(text[5:-1]) if text[5:-1].isdigit() else -1
            c["text"] = _OML.get(code, text)


def page_words(page: Any) -> list[Word]:
    _decode_math_italic(page)
    raw = page.extract_words(
        x_tolerance_ratio=WORD_GAP_RATIO, keep_blank_chars=False, extra_attrs=["fontname", "size", "upright"]
    )
    width, height = float(page.width), float(page.height)
    out = []
    for w in raw:
        if not w["upright"] or w["x0"] < -1 or w["x1"] > width + 1 or w["top"] < -1 or w["bottom"] > height + 1:
            continue  # rotated margin text (an arXiv stamp, a journal's side banner) and text off the page
        out.append(
            Word(
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


def rotated_text(page: Any) -> str:
    """Text set sideways in the margin (an arXiv stamp), read bottom to top."""
    chars = sorted((c for c in page.chars if not c.get("upright", True)), key=lambda c: -c["top"])
    return " ".join("".join(c["text"] for c in chars).split())[:200]


def _gutter(words: list[Word], width: float) -> tuple[float, float] | None:
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
    # The widest run of x at the minimum is the gutter; give or take one word where hardly any line crosses it (a
    # caption and a running header crossing it in places: "(2016) 13:22" over its left half, "corresponding" over
    # its right).
    a, b = _widest_run(crossing, best)
    if b - a < 4 and best + 1 <= 0.1 * lines:
        wide = _widest_run(crossing, best + 1)
        a, b = wide if wide[1] - wide[0] >= 8 else (a, b)  # (a column's ragged edge is no gutter)
    if b - a < 4:
        return None
    x = lo + (a + b) / 2.0
    left = sum(1 for w in words if w.x1 <= x)
    right = sum(1 for w in words if w.x0 >= x)
    if min(left, right) < 40:
        return None
    return x, float(b - a)


def _widest_run(crossing: list[int], limit: int) -> tuple[int, int]:
    """(start, end) of the widest run of columns crossed by at most `limit` words."""
    runs: list[tuple[int, int]] = [(0, 0)]
    start = None
    for i, c in enumerate([*crossing, 10**9]):
        if c <= limit and start is None:
            start = i
        elif c > limit and start is not None:
            runs.append((start, i))
            start = None
    return max(runs, key=lambda r: r[1] - r[0])


def _cluster(words: list[Word]) -> list[list[Word]]:
    """Words of one column grouped into lines: a word joins the line its height overlaps most. A symbol set over
    the words of a line it does not belong to (the radical of "√s" reaching up into the title line above) joins
    the line it overlaps without covering a word, if there is one."""
    lines: list[list[Word]] = []
    strays: list[Word] = []
    for w in sorted(words, key=lambda w: (w.bottom, w.x0)):
        placed = False
        for line in reversed(lines[-4:]):
            top, bottom = _band(line)
            if min(bottom, w.bottom) - max(top, w.top) >= 0.5 * min(bottom - top, w.bottom - w.top):
                if _symbol(w) and _covers(w, line):
                    strays.append(w)
                else:
                    line.append(w)
                placed = True
                break
        if not placed:
            lines.append([w])
    for w in strays:
        overlaps = [(min(b, w.bottom) - max(t, w.top), line) for line in lines for t, b in [_band(line)]]
        free = [(o, line) for o, line in overlaps if o > 0 and not _covers(w, line)]
        max(free or overlaps, key=lambda ol: ol[0])[1].append(w)
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _band(line: list[Word]) -> tuple[float, float]:
    """The line's top and bottom, as most of its words have them."""
    return statistics.median(x.top for x in line), statistics.median(x.bottom for x in line)


def _symbol(w: Word) -> bool:
    """A word of no letter or digit ("√", "·"; a glyph without a Unicode mapping, "(cid:16)", counts as none)."""
    text = _CID.sub("", w.text) if "(cid:" in w.text else w.text
    return not any(ch.isalnum() for ch in text)


def _covers(w: Word, line: list[Word]) -> bool:
    """Does the word lie over one of the line's words (over more than half the narrower one's width)?"""
    return any(min(w.x1, x.x1) - max(w.x0, x.x0) > 0.5 * min(w.x1 - w.x0, x.x1 - x.x0) for x in line if not _symbol(x))


def _drop_markers(words: list[Word]) -> list[Word]:
    """Superscript reference and footnote markers ('Fulop's10', 'care.3–5', 'Smith*') leave the line."""
    if len(words) < 2:
        return words
    main = max(Counter(round(w.size, 1) for w in words).items(), key=lambda kv: kv[1])[0]
    baseline = statistics.median(w.bottom for w in words if round(w.size, 1) == main)
    return [
        w for w in words if not (w.size < 0.85 * main and w.bottom < baseline - 0.2 * main and _MARKER.match(w.text))
    ]


def _make_line(words: list[Word], side: str) -> Line:
    kept = _drop_markers(words)
    marked = bool(kept) and kept[0] is not words[0]
    words = [w for w in kept if not _CID.fullmatch(w.text)]
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
    return Line(words, side, " ".join(parts), gaps, marked)


def page_lines(words: list[Word], width: float) -> list[Line]:
    """The page's lines in reading order: spanning lines in place, each two-column band left column first. A page
    whose columns start below a full-width block (an abstract, a title) and end above another (a licence) is read in
    three parts: the block above, the columns, the block below."""
    gutter = _gutter(words, width)
    if gutter is not None:
        return _columns(words, *gutter)
    lines = _cluster(words)
    band = _column_band(lines, width)
    if band is None:
        return [_make_line(ws, "S") for ws in lines if ws]
    above, columns, below, (x, gap) = band
    return page_lines(above, width) + _columns(columns, x, gap) + page_lines(below, width)


MIN_BAND_LINES = 6  # a two-column band under or over a full-width block is at least this many lines deep
PROSE_WORDS = 6  # and each of its columns holds lines of running text, not table cells or figure labels


def _column_band(
    lines: list[list[Word]], width: float
) -> tuple[list[Word], list[Word], list[Word], tuple[float, float]] | None:
    """(words above, words of the band, words below, gutter) for the deepest run of the page's full-width `lines`
    that no word crosses at one x, when that run is two columns of running text; None when there is none."""
    lo, hi = int(width * 0.2), int(width * 0.8)
    if len(lines) < MIN_BAND_LINES or hi <= lo:
        return None
    run = np.zeros(hi - lo, dtype=int)
    best, end, at = 0, 0, 0
    for i, line in enumerate(lines):
        crossed = np.zeros(hi - lo, dtype=bool)
        for w in line:
            crossed[max(0, int(w.x0) - 1 - lo) : max(0, min(hi, int(w.x1) + 3) - lo)] = True
        run = np.where(crossed, 0, run + 1)
        if run.max() > best:
            best, end, at = int(run.max()), i + 1, int(run.argmax())
    if best < MIN_BAND_LINES:
        return None
    start = end - best
    band = [w for line in lines[start:end] for w in line]
    gutter = _gutter(band, width)
    if gutter is None or not lo + at - gutter[1] <= gutter[0] <= lo + at + gutter[1]:
        return None
    x = gutter[0]
    left = _cluster([w for w in band if (w.x0 + w.x1) / 2 < x])
    right = _cluster([w for w in band if (w.x0 + w.x1) / 2 >= x])
    if min(statistics.median(len(ln) for ln in side) for side in (left, right)) < PROSE_WORDS:
        return None
    if statistics.median(ln[0].x0 for ln in right) > x + 0.05 * width:  # (a right column starts at the gutter)
        return None
    above = [w for line in lines[:start] for w in line]
    below = [w for line in lines[end:] for w in line]
    return above, band, below, gutter


def _columns(words: list[Word], x: float, gap: float) -> list[Line]:
    """Lines of a page with a gutter at x: each two-column band left column first, spanning lines in place."""
    left = _cluster([w for w in words if (w.x0 + w.x1) / 2 < x])
    right = _cluster([w for w in words if (w.x0 + w.x1) / 2 >= x])
    lines: list[Line] = []
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
    ordered: list[Line] = []
    band: list[Line] = []
    for item in [*lines, None]:
        if item is None or item.side == "S":
            ordered += [ln for ln in band if ln.side == "L"] + [ln for ln in band if ln.side == "R"]
            band = []
            if item is not None:
                ordered.append(item)
        else:
            band.append(item)
    return ordered


def repeated_margins(pages: list[list[Line]], heights: list[float]) -> set[str]:
    """Keys of lines near the top or bottom edge that repeat on several pages: running headers and footers."""
    seen: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        keys = {margin_key(ln.text) for ln in lines if ln.top < 0.1 * height or ln.bottom > 0.9 * height}
        seen.update(keys)
    return {k for k, n in seen.items() if n >= 2 and len(pages) >= 3}


def margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()
