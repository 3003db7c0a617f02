"""A paper's structure: a read SourceFile in; its labelled paragraphs and its outline (nested sections with spans) out.

Laid-out PDF pages carry blocks (headings with levels, body, captions, tables, notes); other files are cut into
paragraphs by `rag.cleaning.split_paragraphs`, whose detected section changes (and Markdown `#` levels) give
their outline.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import Any

from rag.cleaning import (
    BACK_SECTIONS,
    DROP_SECTIONS,
    MappedText,
    Paragraph,
    clean_paragraph,
    ended_early,
    goes_on_as_item,
    opens_item,
    split_paragraphs,
    word_counts,
)
from rag.schema import Block, Page, SourceFile
from rag.section_roles import ABSTRACT_HEADING, abstract_part
from rag.sentences import split_sentences

_NUMBER = re.compile(r"^(?:(?:\d{1,2}\.){0,3}\d{1,2}|[A-H](?:\.\d{1,2}){0,2})\.?\s+(?=[A-Z])")
_CAPTION_SECTION = re.compile(r"^(Figure|Table|Box|Algorithm) [0-9IVX]+[a-z]?$")
FRONT = "Front matter"
ARXIV_STAMP = re.compile(r"^arXiv:\d{4}\.\d{4,5}(?:v\d+)?\s+\[[\w.-]+\]\s+\d{1,2} [A-Z][a-z]{2} (?:19|20)\d\d$")
FULL_LINE = 40  # characters in a line of running prose, at least
_RUN_IN_ABSTRACT = re.compile(r"^(?:Abstract|ABSTRACT|Summary|SUMMARY)\s*[.:—–-]\s*\S")
# the labels of a structured abstract, run into its text at the start of each part ("Background: Knowledge regarding
# ...", "Results. We ..."): each opens the paragraph or follows a sentence's end
_ABSTRACT_LABEL = re.compile(
    r"(?:^|(?<=[.!?]\s))(Background|Introduction|Context|Objectives?|Aims?|Purpose|Design|Settings?|Participants|"
    r"Interventions?|Methods?|Methodology|(?:Main )?Outcome measures?|Measurements|Results|Findings|Conclusions?|"
    r"Interpretation|Implications|Discussion)\s*[:.]\s+(?=[A-Z0-9])"
)


@dataclass(frozen=True)
class OutlineEntry:
    """One section of a paper: its nesting level (1 outermost), heading, and where it runs.

    `start` is the heading's offset in the text of page `page` (for a file without pages, `page` is None and the
    offsets are in the file's text); the section runs to offset `end` of page `end_page`, up to the next heading
    of the same or an outer level, so a section's span contains its sub-sections'.
    """

    level: int
    title: str
    start: int
    end: int
    page: int | None
    end_page: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutlineEntry:
        return cls(**data)


@dataclass(frozen=True)
class _Heading:
    title: str
    level: int
    page: int | None
    start: int


@dataclass(frozen=True)
class Structure:
    """Paragraphs in reading order, each with its page number, and the headings found."""

    paragraphs: tuple[tuple[int | None, Paragraph], ...]
    headings: tuple[_Heading, ...]


def bare_title(title: str) -> str:
    """A heading without its number: '3.1 Data collection' -> 'Data collection'."""
    return _NUMBER.sub("", title).strip()


def _mapped(page: Page, block: Block) -> MappedText:
    return MappedText.of(page.text[block.start : block.end], block.start)


class _LaidOutReader:
    """Walks the blocks of laid-out pages, keeping the section and the kind (front/body/back/drop) they fall in."""

    def __init__(self, vocabulary: Counter[str]) -> None:
        self.vocabulary = vocabulary
        self.section = FRONT
        self.kind = "front"
        self.drop_level = 0
        self.paragraphs: list[tuple[int | None, Paragraph]] = []
        self.headings: list[_Heading] = []
        # a paragraph the page ended in mid-sentence: its sentence goes on at the top of the next page's text
        self.pending: tuple[Page, list[Block], str, str] | None = None

    def heading(self, page: Page, block: Block) -> None:
        title = clean_paragraph(_mapped(page, block), self.vocabulary, glued_refs=False).text
        bare = bare_title(title).rstrip(":")
        if self.kind == "drop" and block.level > self.drop_level:
            return  # bold author names inside a reference list
        self.headings.append(_Heading(title, max(1, block.level), page.number, block.start))
        self.section = title
        if DROP_SECTIONS.match(bare):
            self.kind, self.drop_level = "drop", max(1, block.level)
        elif BACK_SECTIONS.match(bare):
            self.kind = "back"
        else:
            self.kind = "body"

    def paragraph(self, page: Page, blocks: list[Block], section: str, kind: str, rest: str = "") -> None:
        """`rest`: the end of the paragraph's last sentence, from the top of the next page (mapped to where this
        page's text stops, so every span stays on the paragraph's own page)."""
        mapped = _mapped(page, blocks[0])
        for block in blocks[1:]:
            mapped = mapped + MappedText("\n", (block.start - 1,)) + _mapped(page, block)
        if rest:
            mapped = mapped + MappedText("\n" + rest, (blocks[-1].end - 1,) * (len(rest) + 1))
        cleaned = clean_paragraph(mapped, self.vocabulary, glued_refs=False)
        if len(cleaned.text) >= 3:
            self.paragraphs.append((page.number, Paragraph(cleaned, section, kind)))

    def page(self, page: Page) -> None:
        run: list[Block] = []  # body blocks of one paragraph broken by a column or figure
        # footnotes and a page's footer between a sentence's two halves ("... trillions. In" | "Proceedings of ..." |
        # "this paper, we introduce ..."): they stand apart, after the paragraph they interrupt
        notes: list[Block] = []

        def flush() -> None:
            if run:
                self.paragraph(page, run, self.section, self.kind)
                run.clear()
            for note in notes:
                self.paragraph(page, [note], "Notes", "back")
            notes.clear()

        for block in page.blocks:
            text = page.text[block.start : block.end]
            if block.kind == "margin":
                if ARXIV_STAMP.match(text.strip()):  # the preprint's stamp says which version and when
                    self.paragraph(page, [block], "Notes", "back")
                continue
            if self.pending is not None and block.kind not in ("caption", "table", "note", "front"):
                # (figures, tables and footnotes set at the top of the page come between a sentence's two halves)
                held, self.pending = self.pending, None
                last = held[1][-1]
                before = held[0].text[last.start : last.end]
                if block.kind == "body" and _goes_on(before, text, last.size == block.size):
                    spans = split_sentences(text.replace("\n", " "))  # (a line break is no sentence end)
                    cut = spans[0][1] if spans else len(text)
                    self.paragraph(*held, rest=text[:cut])
                    if not text[cut:].strip():
                        continue
                    block, text = replace(block, start=block.start + cut), text[cut:]
                else:
                    self.paragraph(*held)
            if block.kind == "heading":
                flush()
                self.heading(page, block)
            elif self.kind == "drop":
                continue
            elif block.kind == "front":
                flush()
                self.paragraph(page, [block], FRONT, "front")
            elif self.kind == "front" and _RUN_IN_ABSTRACT.match(text):
                flush()  # 'Abstract. Recently ...' with no heading line: the abstract is evidence, not front matter
                self.section, self.kind = "Abstract", "body"
                self.headings.append(_Heading("Abstract", 1, page.number, block.start))
                run.append(block)
            elif block.kind in ("caption", "table"):
                flush()  # a passage's span never holds a caption: the text on either side is cut there
                self.paragraph(page, [block], block.label or "Table", "body" if self.kind == "front" else self.kind)
            elif block.kind == "note":
                notes.append(block)
            else:
                # (back matter's lines of record, one funder or credit to a line, are entries of their own)
                for part in _entries(page.text, block) if self.kind == "back" else [block]:
                    above = page.text[run[-1].start : run[-1].end] if run else ""
                    text = page.text[part.start : part.end]
                    if run and (_ends_sentence(above) or not (text[:1].islower() or goes_on_as_item(text, above))):
                        flush()  # (a numbered list going on from its lead-in in lower case is one paragraph with it)
                    run.append(part)
        tail = page.text[run[-1].start : run[-1].end] if run else ""
        if run and self.kind in ("body", "back") and not _ends_sentence(tail) and not opens_item(tail):
            self.pending = (page, list(run), self.section, self.kind)
            run.clear()
        flush()

    def finish(self) -> None:
        if self.pending is not None:
            held, self.pending = self.pending, None
            self.paragraph(*held)


def _entries(text: str, block: Block) -> list[Block]:
    """The block cut after each line that stopped short of the column though the next line's first word would have
    fitted (`rag.cleaning.ended_early`)."""
    lines = text[block.start : block.end].split("\n")
    parts: list[Block] = []
    start = block.start
    at = block.start
    for line, nxt in zip(lines, [*lines[1:], None], strict=True):
        at += len(line) + 1
        if nxt is not None and ended_early(line, nxt, lines):
            parts.append(replace(block, start=start, end=at - 1))
            start = at
    return [*parts, replace(block, start=start)]


def _goes_on(before: str, after: str, same_type: bool) -> bool:
    """Does the text `after` (the top of a page) carry on the sentence `before` (the bottom of the last page) left
    unfinished? It does when it starts in lower case, or when it is set in the same type and `before` stops in a
    full line of prose, not in a broken word ("... and the University of Leeds 250" / "Great Minds Academic
    Fellowship to MJO'C."); a short line left unfinished is a heading or a label, and text in other type at the top
    of a page is a figure's or a table's."""
    if after[:1].islower():
        return True
    last = before.rstrip().rsplit("\n", 1)[-1]
    return same_type and len(last) >= FULL_LINE and bool(re.search(r"[\w,;]$", last))


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "?", "!", ":", "’", "”", '"'))


def structure(source: SourceFile) -> Structure:
    """The paragraphs and headings of a source file, in reading order; a structured abstract's parts are sections of
    their own under it ("Abstract: Results")."""
    return _abstract_parts(_structure(source))


def _abstract_parts(found: Structure) -> Structure:
    """Each part of a structured abstract ("Background: ... Methods: ... Results: ... Conclusions: ...") a
    paragraph of its own, under a heading naming the abstract and the part's label, one level below the abstract's,
    without the label in its text."""
    paragraphs: list[tuple[int | None, Paragraph]] = []
    added: list[_Heading] = []
    for page, paragraph in found.paragraphs:
        text = paragraph.text.text
        labels = list(_ABSTRACT_LABEL.finditer(text)) if ABSTRACT_HEADING.match(paragraph.section) else []
        if len(labels) < 2 or labels[0].start() != 0:
            paragraphs.append((page, paragraph))
            continue
        for label, after in zip(labels, [*labels[1:], None], strict=True):
            start, end = label.end(), after.start() if after else len(text)
            while end > start and text[end - 1].isspace():
                end -= 1
            section = abstract_part(paragraph.section, label.group(1))
            part = MappedText(text[start:end], paragraph.text.origin[start:end])
            paragraphs.append((page, replace(paragraph, text=part, section=section, level=paragraph.level + 1)))
            if not any(h.title == section for h in added):
                added.append(_Heading(section, paragraph.level + 1, page, paragraph.text.origin[label.start()]))
    if not added:
        return found
    headings: list[_Heading] = []
    for heading in found.headings:
        headings.append(heading)
        if ABSTRACT_HEADING.match(heading.title):
            headings += [h for h in added if h.title.startswith(abstract_part(heading.title, ""))]
    return Structure(tuple(paragraphs), tuple(headings))


def _structure(source: SourceFile) -> Structure:
    vocabulary = word_counts("\n".join(p.text for p in source.pages))
    if source.pages and any(p.blocks for p in source.pages):
        reader = _LaidOutReader(vocabulary)
        for page in source.pages:
            reader.page(page)
        reader.finish()
        return Structure(tuple(reader.paragraphs), tuple(reader.headings))
    paragraphs: list[tuple[int | None, Paragraph]] = []
    headings: list[_Heading] = []
    section = ""
    for page in source.pages:
        for paragraph in split_paragraphs(page.text, vocabulary, first_section=section):
            opens = paragraph.section not in (section, FRONT) and not _CAPTION_SECTION.match(paragraph.section)
            if opens and not (headings and headings[-1].title == paragraph.section):
                headings.append(_Heading(paragraph.section, paragraph.level, page.number, paragraph.text.origin[0]))
            section = paragraph.section
            paragraphs.append((page.number, paragraph))
    return Structure(tuple(paragraphs), tuple(headings))


def outline_of(source: SourceFile) -> list[OutlineEntry]:
    """The paper's sections and sub-sections, each running to the next heading of its level or an outer one."""
    headings = structure(source).headings
    last_page = source.pages[-1] if source.pages else Page(None, "")
    entries = []
    for i, h in enumerate(headings):
        nxt = next((n for n in headings[i + 1 :] if n.level <= h.level), None)
        if nxt is None:
            end, end_page = len(last_page.text), last_page.number
        else:
            end, end_page = nxt.start, nxt.page
        entries.append(OutlineEntry(h.level, h.title, h.start, end, h.page, end_page))
    return entries
