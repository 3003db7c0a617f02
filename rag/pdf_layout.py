"""Lay out a PDF's pages: positioned words (pdfplumber) in, per page a reading-order text with labelled blocks out.

The words become lines in reading order (rag.pdf_lines); running headers, footers, page numbers and margin text are
dropped; every remaining line lands in a block that is a heading (with a level, rag.pdf_headings), body text, a
figure or table caption, a table body, or a note at the foot of a page.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from rag.cleaning import section_of_line
from rag.pdf_headings import (
    CAPTION_RE,
    NUMBERED,
    Faces,
    body_size,
    heading_faces,
    is_heading,
    numbering_depth,
    opens_paragraph,
)
from rag.pdf_lines import PAGE_NUMBER, Line, Word, margin_key, page_lines, page_words, repeated_margins, rotated_text
from rag.schema import Block, Page

_REFERENCE_TEXT = re.compile(r"^(Figure|Fig\.|Table)\s+\S+\s+(shows|show|gives|lists|presents|summari[sz]es)\b", re.I)


@dataclass
class _RawBlock:
    lines: list[Line]
    kind: str = "body"
    label: str = ""
    level: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _assign_levels(pages: list[list[_RawBlock]]) -> None:
    """Heading levels: numbering ('2.1') where present, else 1 for the type of the named sections ('Methods') and
    deeper for each smaller heading type. Page-1 headings before the first section heading are front matter."""
    headings = [b for blocks in pages for b in blocks if b.kind == "heading"]
    first = next((i for i, b in enumerate(headings) if numbering_depth(_text(b)) or section_of_line(_text(b))), None)
    for i, block in enumerate(headings):
        if first is not None and i < first and block.extra.get("page") == 1:
            block.kind = "front"
    named = [
        b.lines[0].head_size
        for b in headings
        if b.kind == "heading" and (section_of_line(_text(b)) or numbering_depth(_text(b)) == 1)
    ]
    top = Counter(named).most_common(1)[0][0] if named else max((b.lines[0].head_size for b in headings), default=0.0)
    smaller = sorted({b.lines[0].head_size for b in headings if b.lines[0].head_size < top - 0.1}, reverse=True)
    for block in headings:
        text = _text(block)
        depth = numbering_depth(text)
        size = block.lines[0].head_size
        if depth:
            block.level = depth
        elif section_of_line(text) or size >= top - 0.1:
            block.level = 1
        else:
            block.level = 2 + smaller.index(size)


def _text(block: _RawBlock) -> str:
    return " ".join(ln.text for ln in block.lines)


def _caption_label(text: str) -> str:
    m = CAPTION_RE.match(text)
    if not m or _REFERENCE_TEXT.match(text):
        return ""
    kind = {"fig.": "Figure", "figure": "Figure", "table": "Table", "box": "Box"}.get(m.group(1).lower(), "Algorithm")
    return f"{kind} {m.group(2)}"


def _blocks(lines: list[Line], body: float, width: float, height: float, faces: Faces | None = None) -> list[_RawBlock]:
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
        run_in = _run_in_head(line) if prev is None or not (prev.bold or prev.text.endswith("-")) else 0
        if run_in:  # a paragraph under a heading run into its first line: it opens a paragraph of its own
            blocks.append(_RawBlock([line], "body", extra={"run_in": run_in}))
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
        opens = faces is not None and opens_paragraph(line, nxt, prev, faces, column_width, under or wide)
        under = opens and under
        if is_heading(line, nxt, body, column_width, spaced or under, opens):
            if (
                last is not None
                and last.kind == "heading"
                and not gap_before
                and last.lines[-1].size == line.size
                and not NUMBERED.match(line.text)
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


RUN_IN_WORDS = 12


def _run_in_head(line: Line) -> int:
    """How many words of the line are a heading run into its paragraph: bold words opening the line ('Finetuning',
    'ReAct vs. CoT'), then plain text opening a sentence with a capital ('Due to the challenge ...'). 0 for none;
    a bold name or term that the sentence goes on from ('ASQA (Stelmakh et al., 2022) is ...') is none. (The
    caller also checks that the line above is no part of a bold heading.)"""
    words = line.words
    k = 0
    while k < len(words) and words[k].bold:
        k += 1
    if not (0 < k <= RUN_IN_WORDS and len(words) - k >= 2) or any(w.bold for w in words[k:]):
        return 0
    head = " ".join(w.text for w in words[:k])
    # the heading opens with no lower-case letter (that goes on from a heading on the line above), has words and
    # does not end in a number (a reference list's bold 'Edgar RC. 2004.')
    if head[:1].islower() or not re.search(r"[A-Za-z]{2}", head) or re.search(r"\d\W*$", head):
        return 0
    return k if words[k].text[:1].isupper() else 0


def _head_end(text: str, words: list[Word]) -> int:
    """Where the given words of a line end in its text (which may join two of them: 'CoT' + '-SC'), or 0."""
    at = 0
    for w in words:
        found = text.find(w.text, at)
        if found < 0 or text[at:found].strip():
            return 0
        at = found + len(w.text)
    return at


_EQUATION_NUMBER = re.compile(r"[,.]?\s*\(\d{1,3}[a-z]?\)$")


def _classify(block: _RawBlock, body: float, height: float) -> None:
    """A body block of table cells, figure labels or page-foot notes gets its kind."""
    lines = block.lines
    text = " ".join(ln.text for ln in lines)
    cells = sum(1 for ln in lines if ln.gaps >= 1)
    short = sum(1 for ln in lines if len(ln.text) < 30)
    size = statistics.median(ln.size for ln in lines)
    if len(text) < 4:
        block.kind = "drop"  # a sub- or superscript line of a formula ('AN'), a stray glyph
    elif len(lines) == 1 and " = " in text and _EQUATION_NUMBER.search(text):
        pass  # a displayed equation, its number set apart: "mH = 125.09 ± 0.21 (stat.) ± 0.11 (scale) GeV, (8)"
    elif cells >= max(1, len(lines) / 2) or (
        short == len(lines) and not re.search(r"[.!?]\s*$", text) and len(lines) >= 2
    ):
        block.kind = "table"
    elif cells and cells + _wrapped_cells(lines) >= max(3, len(lines) / 2):
        block.kind = "table"  # rows of cells whose text wraps onto lines of their own, under their column
        block.extra["wrapped"] = True
    elif size < body - 0.8 and (re.match(r"^(\d{1,2}|[*†‡§])\s*\S", text) or lines[0].top > 0.7 * height):
        block.kind = "note"
    elif len(lines) == 1 and len(text) < 25 and not re.search(r"[.!?:]$", text):
        block.kind = "table"  # a lone fragment: an axis label or a cell outside the body


def _split_notes(blocks: list[_RawBlock]) -> list[_RawBlock]:
    """Each footnote of a block of them a block of its own: a note opens with its superscript marker
    ("³Available at https://code.google.com/p/word2vec/" and "⁴The parameters of both models ..." had run together,
    no full stop between them)."""
    out: list[_RawBlock] = []
    for block in blocks:
        if block.kind != "note":
            out.append(block)
            continue
        starts = [i for i, line in enumerate(block.lines) if i == 0 or line.marked]
        for start, end in zip(starts, [*starts[1:], len(block.lines)], strict=True):
            out.append(replace(block, lines=block.lines[start:end], extra=dict(block.extra)))
    return out


def _wrapped_cells(lines: list[Line]) -> int:
    """Lines that begin well inside the block, where a cell of another line begins: a table cell's wrapped text."""
    starts = [x for ln in lines for x in ln.cell_starts]
    left = min(ln.x0 for ln in lines)
    return sum(1 for ln in lines if ln.x0 > left + 2 * ln.size and any(abs(ln.x0 - x) <= 0.6 * ln.size for x in starts))


# a line giving one of a paper's dates of record: "Published 5 June 2017", "Received: 13 November 2013"
_DATED_RECORD = re.compile(
    r"^(?:Submitted|Received|Accepted|Published)(?: online)?:?\s*\d{1,2}\s*[A-Z][a-z]+\s*(?:19|20)\d\d\b"
)


def _lines_apart(block: _RawBlock) -> list[_RawBlock]:
    """A sidebar of record as notes: each dated line one, the lines between them one ("Corresponding author" |
    "Mary J. O'Connell," | "m.oconnell@leeds.ac.uk" | "Academic editor" | ...)."""
    notes: list[_RawBlock] = []
    for line in block.lines:
        if _DATED_RECORD.match(line.text) or not notes or _DATED_RECORD.match(notes[-1].lines[-1].text):
            notes.append(_RawBlock([line], "note"))
        else:
            notes[-1].lines.append(line)
    return notes


def _label_tables(blocks: list[_RawBlock]) -> None:
    """A table body takes the label of the nearest table caption on its page; figure text without one is dropped."""
    captions = [(i, b) for i, b in enumerate(blocks) if b.kind == "caption"]
    for i, block in enumerate(blocks):
        if block.kind != "table":
            continue
        nearest = min(captions, key=lambda c: abs(c[0] - i))[1] if captions else None
        if nearest is not None and nearest.label.startswith("Table"):
            block.label = nearest.label
        elif any(_DATED_RECORD.match(ln.text) for ln in block.lines):
            block.kind = "record"  # a sidebar of the paper's dates of record ("Published 5 June 2017"), kept
        else:  # text set out in columns without a table's caption (a prompt's labelled turns) is kept as text
            block.kind = "body" if block.extra.get("wrapped") else "drop"


def lay_out(pdf: Any) -> tuple[Page, ...]:
    """One Page per PDF page: text in reading order, blocks separated by blank lines, each block labelled."""
    raw_pages: list[list[Line]] = []
    heights: list[float] = []
    widths: list[float] = []
    for page in pdf.pages:
        words = page_words(page)
        raw_pages.append(page_lines(words, float(page.width)))
        heights.append(float(page.height))
        widths.append(float(page.width))
    margins = repeated_margins(raw_pages, heights)
    body = body_size(raw_pages)
    faces = heading_faces(raw_pages, body)
    laid: list[list[_RawBlock]] = []
    for number, (lines, height, width) in enumerate(zip(raw_pages, heights, widths, strict=True), start=1):
        in_margin = [
            (ln.top < 0.1 * height or ln.bottom > 0.9 * height)
            and (margin_key(ln.text) in margins or bool(PAGE_NUMBER.match(ln.text)))
            for ln in lines
        ]
        kept = [ln for ln, out in zip(lines, in_margin, strict=True) if not out]
        blocks = _split_notes(_blocks(kept, body, width, height, faces)) if kept else []
        if number == 1:  # page 1's running header names the venue and year: kept for the citation facts only
            margin = [ln for ln, out in zip(lines, in_margin, strict=True) if out and not PAGE_NUMBER.match(ln.text)]
            stamp = rotated_text(pdf.pages[0])
            if stamp:
                margin.append(Line([Word(stamp, 0, 1, 0, 1, 1.0, False)], "S", stamp))
            blocks += [_RawBlock([ln], "margin") for ln in margin]
        _label_tables(blocks)
        # (each line of a sidebar of record is a note of its own: "Submitted 25 March 2016" | "Accepted ...")
        blocks = [part for b in blocks for part in (_lines_apart(b) if b.kind == "record" else [b])]
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
        head = _head_end(text, block.lines[0].words[: block.extra.get("run_in", 0)])
        if head and text[head : head + 1] == " ":
            text = f"{text[:head]}\t{text[head + 1 :]}"  # a tab parts the run-in heading from its sentence
        if block.kind == "table":
            text = text.replace("  ", "\t")  # the wide gap between two cells
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
