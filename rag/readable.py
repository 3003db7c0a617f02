"""Whole sentences: what may stand as a sentence of an answer, and where a heading run into a sentence ends.

A heading, a caption, a table row, a list of abbreviations or a pointer ("See Table 1.") is no sentence a reader can
take on its own; neither is a heading glued to the sentence after it ("Ethics approval The study was ...")."""

from __future__ import annotations

import re

from rag.support import MIN_VERBATIM_CHARS
from rag.text import normalise

MAX_WORDS = 80  # a longer "sentence" is a table or a list run together, not a sentence

_POINTER = re.compile(r"^\(?\s*see\b|^\(.*\)[.!]?$", re.I | re.S)
# A short sentence that says where something else is: "Full methodological details are set out in the Appendix."
_POINTS_ELSEWHERE = re.compile(
    r"\b(?:are|is|were|was|be)\s+(?:set out|shown|given|listed|described|presented|summari[sz]ed|detailed|outlined|"
    r"provided|available)\s+(?:below|above|(?:in|at)\s+(?:the\s+|an?\s+)?(?:online\s+|supplementary\s+)?"
    r"(?:appendix|appendices|table|figure|fig\.|box|supplement\w*|section|chapter|file)\b[^.]*)\s*[.:]?$",
    re.I,
)
POINTER_WORDS = 15
# A table's list of abbreviations: "GP, General Practitioner; STP, Sustainability and Transformation Plan."
_GLOSSARY = re.compile(r"^[A-Z][A-Za-z&]*[A-Z]s?,\s[^;]+(?:;\s*[A-Z][A-Za-z&]*[A-Z]s?,\s[^;]+)+$")
# A heading run into its text: "Ethics approval The study was ...", "Themes Summary findings ... Both clinicians
# ...": a short lead without punctuation, then a word that only opens a sentence, capitalised, before a lower-case
# word (so "at The King's Fund" is no heading) ...
_OPENERS = r"(?:The|This|These|Those|Both|Not|None|No|It|We|Our|They|There|All|Most|Each|A|An)"
_RUN_IN = re.compile(rf"^[A-Z][\w'’-]*(?: [\w'’-]+){{0,11}}? (?={_OPENERS} [a-z])")
# ... or a term before its definition: "Distributed leadership Leadership is ...", "The King's Fund The King's
# Fund is ..." (the lead's last word, or the whole lead, comes again, capitalised).
TERM_WORDS = 6
_READABLE_END = re.compile(r"[.!][’”'\")]*$")  # a question in a paper ("How can leaders ...?") answers nothing
# A quotation with its speaker ("'... far more powerful ...' (manager)") is whole without a full stop.
# A closing quotation mark, then the speaker in brackets: "... change" (manager)
ATTRIBUTION = r"[’”'\"]\s*\([^()]{1,40}\)"
_ATTRIBUTED = re.compile(rf"^[‘“'\"].*{ATTRIBUTION}\.?$", re.S)
# A table row: cells kept apart by a tab, a run of spaces or a cell marker ("Executive ► STP Director (GP).").
_TABLE_ROW = re.compile(r"\t|\S {3,}\S|\S\s*[►▪◦●⇒]")
# A label in title case: every word capitalised but the small joining words ("Medical Lead for Urgent Care.").
_TITLE_CASE = re.compile(
    r"^(?:[^\sa-z]\S*|a|an|and|as|at|by|for|from|in|into|of|on|or|the|to|with)(?: (?:[^\sa-z]\S*|a|an|and|as|at|by"
    r"|for|from|in|into|of|on|or|the|to|with))+$"
)


def run_in_heading(sentence: str) -> int:
    """Where the sentence proper begins after a heading run into it (0 when there is none)."""
    m = _RUN_IN.match(sentence)
    if m:
        return m.end()
    words = sentence.split(" ")
    for n in range(1, min(TERM_WORDS, len(words) - 1) + 1):
        lead, rest = [w.lower() for w in words[:n]], words[n:]
        if rest[0][:1].isupper() and (rest[0].lower() == lead[-1] or [w.lower() for w in rest[:n]] == lead):
            return len(" ".join(words[:n])) + 1
    return 0


LABEL_WORDS = 6  # a back-matter label: "Competing interests", "Provenance and peer review"
VALUE_WORDS = 8  # ... and its short value: "None declared.", "Not commissioned; externally peer reviewed."


def labelled_statement(sentence: str, heading: int) -> bool:
    """Is the sentence a label and its short value ("Competing interests None declared.", "Patient consent for
    publication Not required."), as back matter prints a paper's facts? The value says nothing without its label,
    so the two are quoted together, as printed. `heading`: where `run_in_heading` found the value to begin."""
    label, value = sentence[:heading].split(), sentence[heading:].split()
    return (
        0 < len(label) <= LABEL_WORDS
        and 0 < len(value) <= VALUE_WORDS
        and bool(_READABLE_END.search(sentence.strip()))
        and not readable(sentence[heading:])
    )


def readable(sentence: str, list_item: bool = False) -> bool:
    """A whole sentence a reader can take on its own: not a heading, caption, list number or fragment.

    An item of a bulleted list ("- tackle inequalities in access to services.") may be shorter and start in
    lower case: in a list, that is a whole point."""
    words = sentence.split()
    ends = _READABLE_END.search(sentence.strip()) or _ATTRIBUTED.match(sentence.strip())
    if not (3 if list_item else 6) <= len(words) <= MAX_WORDS or not ends:
        return False
    if list_item and len(normalise(sentence)) < MIN_VERBATIM_CHARS:
        return False  # "Performant and robust.": too short to be found, and checked, as itself in its passage
    first = sentence.lstrip("‘“'\"([•-–►⇒ ")[:1]
    if not (first.isupper() or first.isdigit() or (list_item and first.isalpha())):
        return False
    if re.match(r"^(Table|Figure|Fig\.|Box)\s+[0-9IVX]", sentence) or re.search(
        r"\b(Correspond|@|https?://)", sentence
    ):
        return False
    if _POINTER.match(sentence):  # "(See narrative syntheses of results in Table 1)." points elsewhere
        return False
    if len(words) <= POINTER_WORDS and _POINTS_ELSEWHERE.search(sentence.strip()):
        return False
    if _GLOSSARY.match(sentence.strip()):  # a table's abbreviations explain the table, not the question
        return False
    if _TABLE_ROW.search(sentence.strip()) or not re.search(r"[a-z]", sentence):  # a row, or a heading in capitals
        return False
    if _TITLE_CASE.match(" ".join(words)):
        return False
    return sum(ch.isalpha() for ch in sentence) / max(1, len(sentence)) > 0.6
