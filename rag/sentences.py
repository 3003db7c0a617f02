"""Split cleaned paragraphs into sentences (pysbd), each mapped back to its span in the raw page text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

import pysbd

from rag.cleaning import Paragraph
from rag.readable import ATTRIBUTION
from rag.schema import Sentence

# pysbd keeps a closing quote or bracket with the next sentence now and then; we re-attach it.
# A straight quote before a capital opens a quotation ("'Engagement needs ...'"): it stays.
_LEADING_CLOSERS = re.compile(r"^(?:[’”)\]]|'(?![A-Z]))+\s*")


# A one-letter word ending a sentence ("... through the node i. The nodes ...") that the splitter took for an
# initial and cut before.
_LETTER_ENDS = re.compile(r"[a-z]\.\s+(?=[A-Z][a-z])")
# ... as is a numbered item that goes on in lower case ("The objectives were to assess" | "1. the organization of ...")
_CONTINUES = re.compile(r"^(?:\(?\d{1,2}\)|\([a-z]\)|[a-z]|\d{1,2}\.\s+[a-z])")
# An abbreviation that a number follows ("Grant n. 283554", "(eq. 2)", "in eq. (3)", "Vol. 35(4)", "Figs. 1 and 2"),
# which the splitter took for a sentence's end.
_BEFORE_NUMBER = re.compile(r"\b(?:eqs?|figs?|n|nos?|nr|vols?|pp?|refs?|secs?|ch|tab)\.$", re.I)
_NUMBER = re.compile(r"\(?\d")
# An interviewee's words, quoted and attributed, end there when another quotation follows: "'... change' (manager)
# 'Clinicians and managers ...'" is two quotations (a table cell of quotes is often printed as one paragraph).
_NEXT_QUOTATION = re.compile(rf"{ATTRIBUTION}\s+(?=[‘“'\"][A-Z])")
# So does a quotation ending a sentence that another quotation follows: "'... the bigger picture.' 'They see
# themselves ...'" (a table of interviewees' quotes flattened row by row; the splitter reads quotation marks as
# enclosing what lies between, and an apostrophe, "it's", as one of them, so it cut none of the quotes apart).
_QUOTATION_AFTER_QUOTATION = re.compile(r"(?<=[.!?…][’”])\s+(?=[‘“]\[?[A-Z])")
# ... and a table's caption (and its column heads) is no part of the first quotation under it: "Table 2 Quotes
# addressing the theme 'Attitudes towards interdisciplinary working' Non-clinical managers Clinical managers | 'The
# general problem ... the bigger picture.'" (a quotation is a sentence when it ends on a full stop before the next
# one opens; the theme's quoted name does not)
_CAPTION_LABEL = r"^(?:Table|TABLE|Figure|FIGURE|Fig\.|FIG\.|Box|BOX)\s+[0-9IVX]+[a-z]?"
_CAPTIONED = re.compile(rf"{_CAPTION_LABEL}\b")
_QUOTED_SENTENCE = re.compile(r"\s+(?=[‘“]\[?[A-Z](?:(?![‘“]).)*?[.!?…][’”])")
# A caption's label ("Table 2.", "Figure 1:") is one with the title it labels.
_LABEL = re.compile(rf"{_CAPTION_LABEL}[.:]$")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    """pysbd's sentence spans, within stretches cut where a quotation that ends a sentence (or is attributed: "...
    (manager)") is followed by another, and, in a table's caption, before the first quotation under it."""
    ends = [m.end() for m in _NEXT_QUOTATION.finditer(text)] + [
        m.end() for m in _QUOTATION_AFTER_QUOTATION.finditer(text)
    ]
    first = _QUOTED_SENTENCE.search(text) if _CAPTIONED.match(text) else None
    ends += [first.end()] if first else []
    cuts = [0, *sorted(set(ends)), len(text)]
    for lo, hi in itertools.pairwise(cuts):
        for piece in _segmenter().segment(text[lo:hi]):
            yield lo + piece.start, lo + piece.end


PROSE_CELL_CHARS = 100


def _stretches(text: str) -> list[tuple[int, int]]:
    """The paragraph cut at each tab (rag.cleaning: a tab parts a table's cells) after a cell of prose: no sentence
    runs from a cell of running text into the next row ("... in the long term' (manager)" | "Trust and Compliance").
    Short cells (a table's labels, values and wrapped lines) stay together with the cell after them: a span holding a
    tab is quoted only from its last tab, after the labels of a cell of prose (rag.readable.run_in_heading), while
    the search reads a cell with its label ("System leadership" | "Leadership is not vested solely ...")."""
    cells: list[tuple[int, int]] = []
    lo = 0
    for cell in text.split("\t"):
        cells.append((lo, lo + len(cell)))
        lo += len(cell) + 1
    out = [cells[0]]
    for (a, b), (pa, pb) in zip(cells[1:], cells, strict=False):
        if pb - pa >= PROSE_CELL_CHARS:
            out.append((a, b))
        else:
            out[-1] = (out[-1][0], b)
    return out


# A line of record telling how to cite the paper: one reference, whatever full stops its title and its journal's
# abbreviated name hold ("How to cite this article Webb et al. (2017), VESPA: ... Analyses. PeerJ Comput. Sci.
# 3:e118; DOI 10.7717/peerj-cs.118"), up to its DOI when one closes it.
_CITE_RECORD = re.compile(
    r"^\s*(?:how to cite (?:this|the) (?:article|paper)|(?:please )?cite this (?:article|paper)"
    r"(?: as)?|to cite this (?:article|paper))\b",
    re.I,
)
_RECORD_DOI = re.compile(r"\b(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)10\.\d{4,9}/\S+", re.I)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one cleaned paragraph, white space trimmed; none runs from a table's cell
    of prose into the next cell."""
    if _CITE_RECORD.match(text):
        doi = _RECORD_DOI.search(text)
        end = doi.end() if doi is not None else len(text.rstrip())
        start = len(text) - len(text.lstrip())
        return [(start, end), *[(end + a, end + b) for a, b in split_sentences(text[end:])]]
    spans: list[tuple[int, int]] = []
    for lo, hi in _stretches(text):
        spans += [(lo + a, lo + b) for a, b in _cell_sentences(text[lo:hi])]
    return spans


def _cell_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in _pieces(text):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        closer = _LEADING_CLOSERS.match(text[start:end])
        if closer and spans:
            prev_start, _ = spans[-1]
            spans[-1] = (prev_start, start + len(closer.group(0).rstrip()))
            start += len(closer.group(0))
            if start >= end:
                continue
        initial = _LETTER_ENDS.match(text, start, end)
        if spans and initial:  # "... passing through the node" | "i. The nodes ...": the letter ends the sentence
            spans[-1] = (spans[-1][0], start + 2)
            start = initial.end()
        if spans and _CONTINUES.match(text[start:end]) and not text[: spans[-1][1]].endswith((".", "?", "!")):
            spans[-1] = (spans[-1][0], end)  # "...through (1) this; (2) that" stays one sentence
            continue
        if spans and _NUMBER.match(text, start) and _BEFORE_NUMBER.search(text, spans[-1][0], spans[-1][1]):
            spans[-1] = (spans[-1][0], end)  # "... Research Grant n." | "283554 (COMPOSES).": one sentence
            continue
        if spans and _LABEL.match(text[spans[-1][0] : spans[-1][1]]):
            spans[-1] = (spans[-1][0], end)
            continue
        spans.append((start, end))
    return _whole_quotations(text, _numbers_to_their_items(text, spans))


# An interviewee's words of a few sentences are one quotation: "'I think it takes practice and patience. It does take
# a while to get the trust of non-clinicians. ...'" quoted from its first sentence alone left the quotation open and
# its point ("the trust of non-clinicians") out. A quotation longer than this stays cut into its sentences.
QUOTATION_WORDS = 60
QUOTATION_SENTENCES = 4
_OPENS = {"‘": "’", "“": "”", "'": "'", '"': '"'}
_CLOSES_AT_END = {c: re.compile(rf"{re.escape(c)}(?:\s*\([^()]{{1,40}}\))?\.?$") for c in set(_OPENS.values())}


def _closes(sentence: str, closer: str) -> bool:
    """Does a closing mark stand in the sentence (not an apostrophe, which a letter follows: "it's")?"""
    return re.search(rf"{re.escape(closer)}(?![A-Za-z])", sentence) is not None


def _whole_quotations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of one quotation joined into one, when it opens a sentence, closes at the end of a later one (or its
    speaker after it: "... with managers' (clinician)") and holds at most QUOTATION_SENTENCES sentences and
    QUOTATION_WORDS words."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        first = text[start:end]
        closer = _OPENS.get(first[0])
        joined = None
        if closer is not None and first[1:2].strip() and not _closes(first[1:], closer):
            words = len(first.split())
            for j in range(i + 1, min(i + QUOTATION_SENTENCES, len(spans))):
                sentence = text[spans[j][0] : spans[j][1]]
                words += len(sentence.split())
                if words > QUOTATION_WORDS or sentence[:1] in _OPENS:
                    break
                if _CLOSES_AT_END[closer].search(sentence):
                    joined = j
                    break
                if _closes(sentence, closer):
                    break
        if joined is None:
            out.append((start, end))
            i += 1
        else:
            out.append((start, spans[joined][1]))
            i = joined + 1
    return out


# "... several unique features: 1." | "Intuitive and easy to design.": the number belongs to the item it numbers;
# so does one after an article, which never ends a sentence ("... attended to in the 3." | "No defined ...").
_DANGLING_NUMBER = re.compile(r"(?:[:;.!?]|\b(?:the|a|an))\s+(\d{1,2}[.)])$")
# A section's number that the splitter left standing alone before its heading ("3.1." | "Common seeds of ...").
_LONE_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?$")


# "... are shown in Table" | "4. Examples are given in Table" | "5. For ...": the splitter took the number of a
# table, figure or section for a list's, and the number goes back to what it numbers.
_NUMBERED_THING = re.compile(
    r"\b(?:Table|Figure|Fig\.|Section|Chapter|Appendix|Eq\.|Equation|Algorithm|Lemma|Theorem|Proposition|Corollary|"
    r"Definition|Phase|Step|Stage|Box|Panel|Example|Experiment|table|figure|fig\.|section|chapter|appendix|equation|"
    r"eq\.)$"
)
_ITEM_NUMBER = re.compile(r"\d{1,2}[.)](?=\s)")


def _numbers_to_their_items(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A list's number that the splitter left at the end of the sentence before its item goes to the item; the number
    of a table or figure ("Table" | "4. Examples ...") goes back to the sentence naming it."""
    out = list(spans)
    for i in range(len(out) - 1):
        start, end = out[i]
        number = _ITEM_NUMBER.match(text, out[i + 1][0])
        if number and _NUMBERED_THING.search(text, start, end):
            rest = number.end()
            while rest < out[i + 1][1] and text[rest].isspace():
                rest += 1
            out[i] = (start, number.end())
            out[i + 1] = (rest, out[i + 1][1])
    out = [(a, b) for a, b in out if a < b]
    for i in range(len(out) - 1):
        start, end = out[i]
        m = _DANGLING_NUMBER.search(text, start, end)
        if m and not text[end : out[i + 1][0]].strip() and text[out[i + 1][0]].isupper():
            punctuated = m.group()[0] in ":;.!?"
            out[i] = (start, m.start() + 1 if punctuated else len(text[: m.start(1)].rstrip()))
            out[i + 1] = (m.start(1), out[i + 1][1])
    joined: list[tuple[int, int]] = []
    for start, end in out:
        if joined and _LONE_NUMBER.match(text[joined[-1][0] : joined[-1][1]]):
            joined[-1] = (joined[-1][0], end)  # one heading with its number: "3.1. Common seeds of ..."
        else:
            joined.append((start, end))
    return joined


def paragraph_sentences(paragraph: Paragraph, page: int | None) -> Iterator[Sentence]:
    """The sentences of a paragraph with their raw-text spans and the paragraph's section."""
    mapped = paragraph.text
    before = 0
    for start, end in split_sentences(mapped.text):
        yield Sentence(
            text=mapped.text[start:end],
            page=page,
            start=mapped.origin[start],
            end=mapped.origin[end - 1] + 1,
            section=paragraph.section,
            cell="\t" in mapped.text[before:start],
        )
        before = end
