"""Clean one page of raw extracted text into labelled paragraphs whose characters map back to the raw text.

Cleaning keeps meaning: hyphenated line breaks are joined (real hyphens kept), reference markers and markup
remnants dropped, hard line wrapping undone, ligatures unfolded, and every paragraph carries the section it
sits in and whether it is body, front or back matter. Reference lists and boilerplate are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from rag.lexicon import english_word

# --- text that remembers where each character came from -----------------------------------------------------


@dataclass(frozen=True)
class MappedText:
    """A string plus, for each character, its offset in the raw page text."""

    text: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, raw: str, offset: int = 0) -> MappedText:
        return cls(raw, tuple(range(offset, offset + len(raw))))

    def __add__(self, other: MappedText) -> MappedText:
        return MappedText(self.text + other.text, self.origin + other.origin)

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> MappedText:
        """Like `pattern.sub`, keeping each replacement's characters mapped inside the span it replaced."""
        chars: list[str] = []
        origin: list[int] = []
        pos = 0
        for m in pattern.finditer(self.text):
            chars.append(self.text[pos : m.start()])
            origin.extend(self.origin[pos : m.start()])
            new = repl(m) if callable(repl) else m.expand(repl)
            width = max(1, m.end() - m.start())
            base = m.start() if m.start() < len(self.origin) else len(self.origin) - 1
            chars.append(new)
            origin.extend(self.origin[min(base + min(i, width - 1), len(self.origin) - 1)] for i in range(len(new)))
            pos = m.end()
        chars.append(self.text[pos:])
        origin.extend(self.origin[pos:])
        return MappedText("".join(chars), tuple(origin))

    def unfold(self) -> MappedText:
        """NFKC per character (ligatures such as 'ﬁ' become 'fi'), superscript digits dropped first."""
        chars: list[str] = []
        origin: list[int] = []
        for ch, at in zip(self.text, self.origin, strict=True):
            if ch in _SUPERSCRIPTS:
                continue
            folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
            folded = _QUOTES.get(folded, folded)
            chars.append(folded)
            origin.extend([at] * len(folded))
        return MappedText("".join(chars), tuple(origin))

    def strip(self) -> MappedText:
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        return MappedText(self.text[left:right], self.origin[left:right])


_SUPERSCRIPTS = set("⁰¹²³⁴⁵⁶⁷⁸⁹")
_QUOTES = {"\u00a0": " ", "\u2009": " ", "\u200b": ""}

# --- line classification -------------------------------------------------------------------------------------

_SECTION_WORDS = (
    r"abstract|background|introduction|methods?|methodology|materials and methods|results|findings|discussion"
    r"|conclusions?|limitations|strengths and limitations|key messages|summary|recommendations|appendix(?::.*)?"
    r"|references|bibliography|acknowledge?ments?|funding|competing interests|conflicts? of interest"
    r"|declaration of conflicting interests|ethics(?: approval| statement| and consent)?|ethical approval"
    r"|data availability(?: statement)?|contributors|author contributions|provenance and peer review"
    r"|patient consent for publication|patient and public involvement|orcid id|footnotes|notes|about the authors"
    r"|what is already known on this topic|what this study adds"
    r"|how this study might affect research,? practice or policy"
)
_SECTION_RE = re.compile(rf"^\s*(?:\d{{1,2}}(?:\.\d)?\.?\s+)?({_SECTION_WORDS})\s*:?\s*$", re.I)
_INLINE_SECTION_RE = re.compile(r"^\s*(Background|Aims?|Methods?|Results|Conclusions?|Objectives?)\s{1,3}(?=[A-Z])")
# A caption opens with a capitalised label; "table 1), together", "Figure 1, which" and "Figure 1 illustrates"
# are the text referring to one, wrapped onto a new line.
_CAPTION_RE = re.compile(
    r"^\s*((?:Table|TABLE|Figure|FIGURE|Fig\.|FIG\.|Box|BOX)\s+[0-9IVX]+[a-z]?)\b(?!\s*[),;a-z])[.:]?\s*(.*)$"
)
MARKDOWN_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED_HEADING_RE = re.compile(r"^\s*(\d{1,2})\s+([A-Z][^.!]{3,80}\??)\s*$")
_BULLET_RE = re.compile(r"^\s*(?:[-•▪◦●►⇒]+|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")

BACK_SECTIONS = re.compile(
    r"^(acknowledge?ments?|funding|competing interests|conflicts? of interest|declaration of conflicting interests"
    r"|ethics.*|ethical approval|data availability.*|contributors|author contributions|provenance and peer review"
    r"|patient consent for publication|patient and public involvement|orcid id|footnotes|notes|about the authors)$",
    re.I,
)
DROP_SECTIONS = re.compile(r"^(references|bibliography)$", re.I)

_BOILERPLATE_RE = re.compile(
    r"(correspond(?:ence|ing author)|e-?mail|\{at\}|@\w+\.\w|©|copyright|all rights reserved|creative commons"
    r"|open access|this is an open access article|permissions|rightslink|altmetric|download pdf|article text"
    r"|reuse guidelines|sagepub\.com|journals\.sagepub|downloaded from|https?://|www\.|doi:\s|received \d|accepted \d"
    r"|published online|request permissions|to cite:|check for updates|license|licence|^twitter\b|\t\d+$)",
    re.I,
)
# A whole paragraph on one line (some renderings keep paragraphs unwrapped) is prose that may mention an email
# address, a web page or a DOI; only these mark it as licence or copyright boilerplate.
_STRONG_BOILERPLATE_RE = re.compile(
    r"(©|copyright|all rights reserved|creative commons|this is an open access article|request permissions)", re.I
)
PROSE_LINE_CHARS = 300
BROKEN_CHARS = 80  # a paragraph this long that stops mid-sentence may go on after a box printed into its column


def section_of_line(line: str) -> str | None:
    """The section name a line announces (a heading or a caption), or None for ordinary text."""
    stripped = line.strip()
    if not stripped or len(stripped) > 120:
        return None
    m = _SECTION_RE.match(stripped)
    if m:
        return m.group(1).strip().title()
    m = _CAPTION_RE.match(stripped)
    if m:
        return re.sub(r"\s+", " ", m.group(1)).replace("Fig.", "Figure").replace("FIG.", "Figure").title()
    m = _NUMBERED_HEADING_RE.match(stripped)
    if m and len(stripped.split()) <= 12:
        return m.group(2).strip()
    return None


def _is_short_heading(line: str, prev: str, nxt: str) -> bool:
    """A short title-like line standing alone between paragraphs (a sub-heading such as 'Representation').

    It follows the end of a sentence or a heading ('Methods' then 'Sample'). A line ending in the space before
    its next word is running text that wraps on: PDF extraction keeps that space, a heading has none.
    """
    if line != line.rstrip(" \t"):
        return False
    s = line.strip()
    words = s.split()
    if not (1 <= len(words) <= 10) or len(s) > 80 or s.endswith((".", ",", ";", ":", "?", "!", "-", "’", "'")):
        return False
    if not s[:1].isupper() or _BULLET_RE.match(s) or re.search(r"\d{2,}", s):
        return False
    prev_ends = not prev.strip() or prev.rstrip().endswith((".", ":", "?", "!", "’", "”", "'"))
    under_heading = section_of_line(prev) is not None and not _CAPTION_RE.match(prev)
    return (prev_ends or under_heading) and bool(nxt.strip()) and nxt.strip()[:1].isupper()


# --- cleaning inside a paragraph -------------------------------------------------------------------------------

_TAGS = re.compile(r"</?(?:i|b|em|strong|span|sup|sub|u)\b[^>]{0,60}>", re.I)
# a block's tags part what they hold as a table's tab does ("... any change</p> <p>'Many clinicians ...'</p>": a
# paragraph of a cell, then a quote), so that no sentence runs from one block into the next
_BLOCK_TAGS = re.compile(r"</?(?:p|br|div|li)\b[^>]{0,60}>", re.I)
_LINK = re.compile(r"\[([^\]]{1,200})\]\((?:#|https?://[^)]*)\)")
_CARET_REF = re.compile(r"\^\{[^}]{0,40}\}")
# A numbered citation in brackets ("tertiary care [9]", "[3, 4]", "[12-15]"): quoted in an answer it would read as
# one of the answer's own source markers.
BRACKET_REF = re.compile(r"[ \t]*\[\d{1,3}(?:[ \t]*[,–-][ \t]*\d{1,3})*\]")
# A letter standing alone in bold ("**K**") is an icon glyph, not a word: it goes whole, before plain emphasis.
_EMPHASIS = re.compile(r"(?<!\w)\*\*[A-Za-z]\*\*(?!\w)|\*{1,3}(?=\S)|(?<=\S)\*{1,3}")
# Reference numbers glued after punctuation ("culture,1 2 with", "care.3–5 However", "SL,42 because") or after
# "et al". After a capital the word must end in two letters ("SL", "ICS"): "Appendix A.1" is a number, not a marker;
# so is a page ("p.3", "pp.3-5").
_GLUED_REF = re.compile(
    r"(?<![\s(]p[.,;:])(?<![\s(]pp[.,;:])(?:(?<=[a-z\)’'][.,;:])|(?<=[A-Za-z][A-Z][.,;:]))"
    r"(\d{1,3}(?:[–-]\d{1,3})?(?:,? \d{1,3}(?:[–-]\d{1,3})?)*)(?=\s|$)"
)
_ETAL_REF = re.compile(r"(?<=et al)(\d{1,3}(?:[–-]\d{1,3})?(?:,\s?\d{1,3})*)")
# Reference numbers glued straight onto a word ("Smith's10 study", "governance regimes12 in", "Jones14 15"): the
# word ends in three letters or a possessive, so "H1N1", "COVID-19", "km2", "p.3" and "Figure 2" stay whole.
_WORD_REF = re.compile(
    r"(?:(?<=[A-Za-z][a-z]{2})|(?<=[a-z][’']s))"
    r"(\d{1,3}(?:[,–-]\d{1,3})*(?: \d{1,3}(?=[\s.,;:)]|$))*)(?=[.,;:)]|\s|$)"
)
# Words that take a number as their own label ("Phase2", "Tier3"), not a reference.
_NUMBERED_WORDS = re.compile(
    r"(?:phase|tier|level|stage|wave|band|step|type|grade|covid|sars|table|figure|appendix|chapter|section|version"
    r"|item|participant|interviewee|respondent)$",
    re.I,
)


def _drop_word_ref(m: re.Match[str]) -> str:
    word = re.search(r"[A-Za-z]+(?:[’']s)?$", m.string[: m.start()])
    head = re.sub(r"[’']s$", "", word.group(0)) if word else ""
    return m.group(0) if _NUMBERED_WORDS.search(head) else ""


_LINE_HYPHEN = re.compile(r"(\w+)-[ \t]*\n[ \t]*(\w+)")
_SPACED_HYPHEN = re.compile(r"(?<=[a-z])- (?=[a-z])")
_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")
# A web address broken at a line end after one of its dots or slashes goes on without a space ("https://github." |
# "com/...").
_URL_BREAK = re.compile(r"((?:https?://|www\.)[^\s]*[./_-])[ \t]*\n[ \t]*(?=[a-z0-9/_~%-])")
_SPACES = re.compile(r"[ \t\u00a0]{2,}|\t")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[,.;:)\]])|(?<=[(\[]) +")  # also "( x" left where a tag was

# Prefixes whose hyphen is usually real ("non-clinical", "co-production", "self-care").
_HYPHEN_PREFIXES = {
    "non",
    "co",
    "self",
    "cross",
    "multi",
    "inter",
    "well",
    "semi",
    "cost",
    "long",
    "short",
    "high",
    "low",
    "top",
    "post",
    "pre",
    "mid",
    "place",
    "system",
    "value",
    "role",
    "face",
    "decision",
    "evidence",
    "patient",
    "long-term",
    "peer",
    "sub",
    "anti",
    "re",
    "ex",
    "first",
}

# Particles that open closed compounds the lexicon may not hold ("overarching", "outperforming"): joined.
_CLOSED_PREFIXES = {"over", "under", "out", "up", "down", "back"}


def word_counts(text: str) -> Counter[str]:
    """Lowercased word frequencies of a whole page or document, used to decide hyphen joins.

    Words broken at a line end are left out: their halves ("inter-", "vention") are not evidence of words.
    """
    return Counter(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", _LINE_HYPHEN.sub(" ", text)))


def join_hyphen(left: str, right: str, vocabulary: Counter[str]) -> str:
    """Join a word broken at a line end: drop the hyphen unless the hyphenated form is the real word.

    With no spelling of either form in the text, a listed prefix keeps its hyphen only when what follows is a
    word of the text itself ("non-clinical"), not the tail of a broken word ("inter-vention"); so does a lower-case
    English word followed by another when together they are none ("natural-language", not "some-thing"; not after
    a particle that opens closed compounds: "overarching").
    """
    joined = (left + right).lower()
    hyphenated = f"{left}-{right}".lower()
    if vocabulary.get(hyphenated, 0) > vocabulary.get(joined, 0):
        return f"{left}-{right}"
    if vocabulary.get(joined, 0) > 0:
        return left + right
    if left.lower() in _HYPHEN_PREFIXES and vocabulary.get(right.lower(), 0) > 0:
        return f"{left}-{right}"
    # a compound of two words ("natural-language"), not one word broken in two ("some-thing")
    if left.islower() and left not in _CLOSED_PREFIXES and english_word(left) and english_word(right):
        return f"{left}-{right}" if not english_word(joined) else left + right
    if (left[:1].isupper() and right[:1].isupper()) or left.isdigit():
        return f"{left}-{right}"
    return left + right


def is_table(text: str) -> bool:
    """Raw lines holding cells parted by tabs: on two lines or more, or on a line after the first (a tab on the first
    line alone parts a heading run into its paragraph from the paragraph's first sentence)."""
    tabbed = [i for i, line in enumerate(text.split("\n")) if "\t" in line]
    return len(tabbed) >= 2 or any(i > 0 for i in tabbed)


def clean_paragraph(text: MappedText, vocabulary: Counter[str], glued_refs: bool = True) -> MappedText:
    """Clean one paragraph's raw lines into one line of readable text. `glued_refs`: drop reference numbers glued
    to words (plain text; a laid-out PDF has lost its superscript markers already, and its "k2" is a value)."""
    text = text.sub(_BLOCK_TAGS, "\t").sub(_TAGS, " ").sub(_LINK, lambda m: m.group(1))
    text = text.sub(_CARET_REF, "").sub(BRACKET_REF, "")
    text = text.unfold().sub(_EMPHASIS, "")
    text = text.sub(_LINE_HYPHEN, lambda m: join_hyphen(m.group(1), m.group(2), vocabulary))
    text = text.sub(_SPACED_HYPHEN, "-").sub(_URL_BREAK, lambda m: m.group(1))
    # A tab parts a table's cells; in a table a line ends a cell (or the part of one on that line) as well, and both
    # stay as a tab, so that no run of cells reads as one sentence.
    text = text.sub(_NEWLINE, "\t" if is_table(text.text) else " ")
    if glued_refs:
        text = text.sub(_GLUED_REF, "").sub(_ETAL_REF, "").sub(_WORD_REF, _drop_word_ref)
    text = text.sub(_SPACES, lambda m: "\t" if "\t" in m.group() else " ").sub(_SPACE_BEFORE_PUNCT, "")
    return text.strip()


# --- paragraphs ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A cleaned paragraph with the section it sits in and its kind (body, front or back matter)."""

    text: MappedText
    section: str
    kind: str
    level: int = 1  # nesting of the section's heading (Markdown '##' -> 2)


def is_boilerplate(line: str) -> bool:
    """A line of journal furniture (contact details, licences, download notes), not the paper's text."""
    pattern = _STRONG_BOILERPLATE_RE if len(line) > PROSE_LINE_CHARS else _BOILERPLATE_RE
    return bool(pattern.search(line))


def _lines(raw: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in raw.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _is_prose(text: str) -> bool:
    """Running text rather than a table row or caption: long, and not a quote or tab-separated cell."""
    return len(text) >= 250 and not text.startswith(("‘", "'", "“", '"')) and "\t" not in text


def ends_sentence(text: str) -> bool:
    # Not ")": "that (non-)" before a page break and "clinical managers" after it are one sentence.
    return text.rstrip().endswith((".", "?", "!", ":", "’", "”", "'", '"'))


# A page's notes printed into the running text where a paragraph broke off: affiliations ("¹Department of ..."),
# the corresponding author, an email address; a paragraph after one ending in ":" ("Corresponding author:") too.
_NOTE = re.compile(
    r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰†‡§]|(?:\*\s*)?(?:Corresponding author|Correspondence|E-?mail|Tel|Fax|ORCID)\b)",
    re.I,
)
# The words a sentence cannot end on ("... become more of an" | table | "obstacle as change ..."): a paragraph
# stopping on one surely goes on elsewhere; one stopping on another word may only have lost its full stop.
_OPEN_ENDS = frozenset(
    re.findall(
        r"\w+",
        "a an the of to in on at by for from with into and or but nor as than that which who whose whom is are was "
        "were be been being has have had its their our his her this these those such more most less",
    )
)


def ends_open(text: str) -> bool:
    """Does the paragraph stop on a word no sentence ends on, or on a comma or a dash?"""
    text = text.rstrip()
    words = re.findall(r"[A-Za-z]+", text[-30:])
    return text.endswith((",", "-", "–", "—")) or (bool(words) and words[-1].lower() in _OPEN_ENDS)


@dataclass(frozen=True)
class _Broken:
    """A paragraph that stopped mid-sentence: its raw lines, where it stood, and its place among the paragraphs."""

    lines: list[tuple[int, str]]
    section: str
    kind: str
    level: int
    place: int


def split_paragraphs(raw: str, vocabulary: Counter[str] | None = None, first_section: str = "") -> list[Paragraph]:
    """Cut a raw page into cleaned paragraphs, tracking the section and dropping reference lists and boilerplate."""
    vocabulary = vocabulary if vocabulary is not None else word_counts(raw)
    lines = _lines(raw)
    section = first_section or "Front matter"
    kind = "body" if first_section else "front"
    level = 1
    outer = section  # the section a figure or table caption interrupts
    paragraphs: list[Paragraph] = []
    current: list[tuple[int, str]] = []
    # A paragraph cut off mid-sentence by a box printed into the column ("What is already known ..."), until its
    # text resumes after the box.
    interrupted: _Broken | None = None
    noted = False  # the last paragraph flushed was a note ending in ":" ("Corresponding author:")
    captioned = False  # the paragraph so far is a caption's line, label and title

    def flush() -> None:
        nonlocal section, interrupted, noted, captioned
        captioned = False
        if not current:
            return
        mapped = MappedText.of(current[0][1], current[0][0])
        for at, line in current[1:]:
            mapped = mapped + MappedText("\n", (at - 1,)) + MappedText.of(line, at)
        cleaned = clean_paragraph(mapped, vocabulary)
        own_kind = kind
        if interrupted is not None and kind == "body" and (_NOTE.match(current[0][1]) or noted):
            # the page's notes printed where a paragraph broke off: front matter, and the paragraph may go on after
            own_kind = "front"
            noted = current[-1][1].rstrip().endswith(":")
        elif kind == "body" and not _CAPTION_RE.match(section):
            noted = False
            # (a list's items end where they end, full stop or not)
            listed = _BULLET_RE.match(current[0][1]) or any(_RUN_ON_ITEM.match(line) for _, line in current)
            broken = not ends_sentence(current[-1][1]) and not listed
            if broken and len(cleaned.text) >= BROKEN_CHARS and re.search("[a-z]", cleaned.text):
                # (one that stopped on "of", "an", "," keeps waiting over one that may only have lost its full stop)
                if interrupted is None or not ends_open(interrupted.lines[-1][1]) or ends_open(current[-1][1]):
                    interrupted = _Broken(list(current), section, kind, level, len(paragraphs))
            elif interrupted is not None and section == interrupted.section:
                interrupted = None  # the section went on: whatever broke off is not coming back
        if _CAPTION_RE.match(section) and _is_prose(cleaned.text) and paragraphs and paragraphs[-1].section == section:
            section = outer  # running text after a caption belongs to the section the caption interrupted
        if len(cleaned.text) >= 3 and kind != "drop":
            paragraphs.append(Paragraph(cleaned, section, own_kind, level))
        current.clear()

    for i, (at, line) in enumerate(lines):
        prev = lines[i - 1][1] if i else ""
        nxt = next((ln for _, ln in lines[i + 1 : i + 3] if ln.strip()), "")
        stripped = line.strip()
        if not stripped:
            # A blank line inside a sentence (a column or page break) does not end the paragraph; a table's row is
            # no sentence (the text after the table may go on a paragraph broken off before it).
            # (... unless a paragraph broken off before, on "of", "an", ",", is the one going on: "hierarchical
            # systems become more of an" | table, heading, paragraph "... in health care" | "obstacle as change ...")
            waiting = (
                interrupted is not None
                and interrupted.section != section
                and ends_open(interrupted.lines[-1][1])
                and not ends_open(current[-1][1] if current else "")
            )
            if (
                current
                and not ends_sentence(current[-1][1])
                and (nxt.strip()[:1].islower() or goes_on_as_item(nxt, current[-1][1]))
                and "\t" not in current[-1][1]
                and not waiting
            ):
                continue
            flush()
            continue
        markdown = MARKDOWN_HEADING_RE.match(line)
        heading = markdown.group(2).strip("*_ ") if markdown else section_of_line(stripped)
        if heading is not None:
            level = len(markdown.group(1)) if markdown else 1
        if heading is None and _is_short_heading(line, prev, nxt) and kind != "front":
            in_table = bool(_CAPTION_RE.match(section))
            if not in_table or (len(nxt.strip()) >= 45 and "  " not in stripped and "►" not in stripped):
                heading = stripped
        if heading is not None:
            flush()
            if not _CAPTION_RE.match(heading):
                outer = heading
            elif kind == "back" and not BACK_SECTIONS.match(heading):
                continue
            section = heading
            if DROP_SECTIONS.match(heading):
                kind = "drop"
            elif BACK_SECTIONS.match(heading):
                kind = "back"
            elif _SECTION_RE.match(heading) or kind not in ("drop", "back"):
                kind = "body"
            caption = _CAPTION_RE.match(stripped)
            if caption and caption.group(2):
                # with its label: "Table 2. Practical implications ..." is searched, but quoted as no sentence
                current.append((at + len(line) - len(line.lstrip()), stripped))
                captioned = True
            continue
        inline = _INLINE_SECTION_RE.match(line)
        if inline and kind != "drop":
            flush()
            section = inline.group(1).title()
            kind = "body"
            current.append((at + inline.end(), line[inline.end() :]))
            continue
        if kind == "drop" or is_boilerplate(stripped):
            # ("Corresponding author:", dropped, still says that the next paragraph is a note)
            noted = noted or (interrupted is not None and bool(_NOTE.match(stripped)) and stripped.endswith(":"))
            continue
        # (a figure's caption printed into the sentence it interrupts, "... a more diverse sample of clinical" |
        # "Figure 1 Contribution of clinical leaders to system leadership." | "leaders. There is also scope ...",
        # stands alone: the sentence goes on after it)
        fresh = not current or captioned
        resumes = interrupted is not None and (
            (section != interrupted.section and not _CAPTION_RE.match(section))
            # after a table or a figure (a line of prose, five words or more, not a tab-parted row), or after the
            # page's notes in the broken paragraph's own section
            or (fresh and "\t" not in line and len(stripped.split()) >= 5 and _CAPTION_RE.match(section))
            or (not current and section == interrupted.section and paragraphs and paragraphs[-1].kind == "front")
        )
        if (
            interrupted is not None
            and resumes
            and stripped[:1].islower()
            and (fresh or (ends_sentence(current[-1][1]) and _BULLET_RE.match(current[0][1])))
        ):
            # The box is over and the broken-off sentence goes on ("... and sectoral" | box | "silos and ..."):
            # the paragraph it began takes it back, in its own section, and the text after it follows there.
            flush()
            section, kind, level, place = interrupted.section, interrupted.kind, interrupted.level, interrupted.place
            if place < len(paragraphs) and paragraphs[place].section == section:
                del paragraphs[place]
                current.extend(interrupted.lines)
                outer = section
            interrupted = None
        if _BULLET_RE.match(line) and current and not goes_on_as_item(line, current[-1][1]):
            flush()
        elif kind == "back" and current and ended_early(current[-1][1], line, [ln for _, ln in current]):
            flush()  # back matter's lines of record: each funder, each credit, on a line of its own
        current.append((at, line))
        captioned = False
    flush()
    return continued_rows(paragraphs, raw)


# A table continued over a page break, as some renderings print it: "Table 2. (continued)" with its next row's label
# run on ("Table 2. (continued)*Shared leadership and engagement*"), the row's cell as a paragraph of its own, then
# perhaps more rows, each a short line (read as a heading) over its cell. A cell is no paragraph of the section
# around: it ends on no full stop, as the cells above the break do.
_CONTINUED_CAPTION = re.compile(r"^\s*(?:Table|TABLE)\s+[0-9IVX]+[a-z]?\.?\s*\(continued\)\s*")
# A row of a table of prose (a qualitative study's themes, a report's recommendations) opens with its label: a cell
# of a few words ending no sentence ("Leadership training and opportunities"), before a cell of prose ("Training
# and development programmes should be offered ..."). A table of numbers has no such rows.
ROW_LABEL_WORDS = 16
ROW_PROSE_WORDS = 12


def _row_label(text: str) -> bool:
    return 0 < len(text.split()) <= ROW_LABEL_WORDS and not ends_sentence(text) and not re.search(r"\d", text)


def continued_rows(paragraphs: list[Paragraph], raw: str) -> list[Paragraph]:
    """The rows of a table continued over a page break (see _CONTINUED_CAPTION) back in its table: each label and
    cell parted by a tab after the rows above the break, in the table's section, not a heading and a paragraph of
    the section the table interrupted. The break's "(continued)" and the repeated caption go: they say nothing."""
    out: list[Paragraph] = []
    i = 0
    while i < len(paragraphs):
        para = paragraphs[i]
        i += 1
        caption = _CONTINUED_CAPTION.match(para.text.text)
        table = para.section
        if caption is None or not _CAPTION_RE.match(table):
            out.append(para)
            continue
        above = [k for k, p in enumerate(out) if p.section == table and "\t" in p.text.text]
        label = para.text.text[caption.end() :].strip()
        if not above or (label and not _row_label(label)):
            out.append(para)
            continue
        at = para.text.text.find(label, caption.end()) if label else -1
        head = MappedText(label, para.text.origin[at : at + len(label)]) if label else None
        rows, taken = out[above[-1]].text, i
        while taken < len(paragraphs):
            cell = paragraphs[taken]
            if head is None:  # a later row: its label was read as the heading of the paragraph after it
                first = paragraphs[taken - 1].section != cell.section
                start = raw.rfind(cell.section, 0, cell.text.origin[0]) if cell.text.origin else -1
                if not (first and _row_label(cell.section) and start >= 0) or ends_sentence(cell.text.text):
                    break
                head = MappedText.of(cell.section, start)
            if len(cell.text.text.split()) < ROW_PROSE_WORDS or "\t" in cell.text.text:
                break
            rows = rows + MappedText("\t", (head.origin[0],)) + head + MappedText("\t", (head.origin[-1],)) + cell.text
            head = None
            taken += 1
        if taken == i:
            out.append(para)
            continue
        out[above[-1]] = replace(out[above[-1]], text=rows)
        out = out[: above[-1] + 1] + [p for p in out[above[-1] + 1 :] if p.text.text.strip() != "(continued)"]
        i = taken
    return out


# A numbered item that goes on in lower case ("1. the organization of patient flow ...") after a line that ends no
# sentence ("The specific objectives were to assess") continues that sentence: the list is one paragraph with it.
_RUN_ON_ITEM = re.compile(r"^\s*\d{1,2}[.)]\s+[a-z]")


def opens_item(line: str) -> bool:
    """Does the line open an item of a list (a bullet, "1.", "(a)")? A list's items end where they end, full stop or
    not."""
    return bool(_BULLET_RE.match(line))


def goes_on_as_item(line: str, before: str) -> bool:
    """Does the line open a numbered item that goes on from `before` in lower case (see _RUN_ON_ITEM)?"""
    return bool(_RUN_ON_ITEM.match(line)) and bool(re.search(r"[a-z]$", before.rstrip()))


FIT_SHARE = 0.9  # a line is full when the next line's first word would take it past this share of the widest


def ended_early(line: str, nxt: str, lines: Sequence[str]) -> bool:
    """Did the line stop short of the column, on no sentence's end, though the next line's first word (in capitals)
    would have fitted on it? Then the next line starts a new entry: an acknowledgement's funders printed one to a
    line without full stops ("... for the corresponding author's Master Studies and Thesis" | "ESTHER- GIZ, MAGNET
    Project for providing financial ..."), not the rest of a sentence."""
    first = nxt.split()[0] if nxt.split() else ""
    if not first[:1].isupper() or ends_sentence(line) or ends_open(line):
        return False
    widest = max(len(ln.rstrip()) for ln in [*lines, nxt])
    return len(line.rstrip()) + 1 + len(first) <= FIT_SHARE * widest


def iter_clean_text(paragraphs: Iterable[Paragraph]) -> str:
    """The cleaned text of a page, paragraphs separated by blank lines (for previews and dedup)."""
    return "\n\n".join(p.text.text for p in paragraphs)
