"""Whole sentences: what may stand as a sentence of an answer, and where a heading run into a sentence ends.

A heading, a caption, a table row, a list of abbreviations or a pointer ("See Table 1.") is no sentence a reader can
take on its own; neither is a heading glued to the sentence after it ("Ethics approval The study was ...")."""

from __future__ import annotations

import re

from rag.support import MIN_VERBATIM_CHARS
from rag.text import normalise

MAX_WORDS = 80  # a longer "sentence" is a table or a list run together, not a sentence, unless it reads as prose:
PROSE_WORDS = 130  # a sentence of prose may run to this many words (one listing its points: "(1) ..., (2) ...")
PROSE_SHARE = 0.6  # ... when this share of its words at least are words in lower case
NUMBER_SHARE = 0.1  # ... and this share at most are numbers (not a table's row run on: "66.8 (2.0) 40.4 (0.6) ...")


def fits_a_sentence(sentence: str) -> bool:
    """Is the sentence no longer than a sentence runs: MAX_WORDS, or PROSE_WORDS for one of prose, with no table cell
    in it, mostly words in lower case and few numbers ("Roughly speaking, we discuss and present: (1) DegreeDistance:
    ..., (2) FIDD (First Improvement of DegreeDistance): ..., (3) SIDD (...): ..." defines the acronyms it lists);
    not a table or a list of names run together ("Arguin, S. Argyropoulos, M. Arik, A.J. ...")?"""
    words = sentence.split()
    if len(words) <= MAX_WORDS:
        return True
    if len(words) > PROSE_WORDS or "\t" in sentence:
        return False
    lower = sum(bool(re.fullmatch(r"[(\[‘“'\"]?[a-z][a-z'’-]*[)\],.;:!?’”'\"]*", w)) for w in words)
    numbers = sum(bool(re.search(r"\d", w)) for w in words)
    return lower >= PROSE_SHARE * len(words) and numbers <= NUMBER_SHARE * len(words)


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
# (a capital "A" before "and" or "or" is a label, not an article: "See appendices A and B for ...")
_RUN_IN = re.compile(rf"^[A-Z][\w'’-]*(?: [\w'’-]+){{0,11}}? (?={_OPENERS} [a-z])(?!A (?:and|or|to|through)\b)")
# ... or a term before its definition: "Distributed leadership Leadership is ...", "The King's Fund The King's
# Fund is ..." (the lead's last word, or the whole lead, comes again, capitalised).
TERM_WORDS = 6
# ... or a back-matter label before its first capitalised word: "Author details Project Officer, ...", "Authors'
# contributions All authors were involved ..."
_BACK_LABEL = re.compile(
    r"^(?i:authors?[’']?s?[’']? (?:details|contributions|information)|acknowledge?ments?|funding|competing interests"
    r"|conflicts? of interest|abbreviations|availability of data and materials|consent for publication"
    r"|ethics approval(?: and consent to participate)?|declarations?) (?=[A-Z])"
)
# a list whose numbered items go on from its lead-in ("... were to assess 1. the organization of ... 2. the views of
# ...") ends where its last item does, often with no full stop
_RUN_ON_LIST = re.compile(r"[a-z,:]\s+1[.)]\s+[a-z].*\s2[.)]\s+[a-z][^.!?]*$", re.S)
_EXCERPT = re.compile(r"\s*[‘“'\"]?(?:\.\.\.|…)\s*(?=\w)")  # a quotation its author opens with an ellipsis
_READABLE_END = re.compile(r"[.!][’”'\")]*$")  # a question in a paper ("How can leaders ...?") answers nothing
# A quotation with its speaker ("'... far more powerful ...' (manager)") is whole without a full stop.
# A closing quotation mark, then the speaker in brackets: "... change" (manager)
ATTRIBUTION = r"[’”'\"]\s*\([^()]{1,40}\)"
_ATTRIBUTED = re.compile(rf"^[‘“'\"].*{ATTRIBUTION}\.?$", re.S)
# A sentence opening with a word that points back ("It is manifested by ...", "These include ...", "Such roles ...")
# says little without the sentence before it; "It is clear that ..." and "This study ..." point nowhere.
_LEANS_BACK = re.compile(r"(?:it|its|this|these|those|they|their|them|such|both|he|she|his|her)\b", re.I)
_POINTS_NOWHERE = re.compile(
    r"it(?:’s|'s| is| was| has been| had been| will be| would be| may be| might be| could be| seems| seemed| appears|"
    r" appeared| remains)(?: \S+){0,3}? (?:that|to|whether|if|how|why)\b|th(?:is|ese) (?:study|studies|paper|article|"
    r"report|review|research)\b",
    re.I,
)
# what points ahead: "the following quote" (not "the following year"), "as follows", "the quote below", "took a
# number of forms", a sentence ending on a colon
_POINTS_AHEAD = re.compile(
    r"(?:\bthe following\b(?!\s+(?:years?|months?|weeks?|days?|decades?|morning|day)\b)|\bas follows\b"
    r"|\b(?:quotes?|quotation|example|extract|box|list|table) below\b)(?:\s+[\w-]+){0,6}\s*[.:]?[’”'\"]?$"
    r"|\b(?:took|take|takes|taking) (?:a number of|several|many|various|different|two|three|four|five|six) forms\b"
    r"|:\s*$",
    re.I,
)
# A table row: cells kept apart by a tab, a run of spaces or a cell marker ("Executive ► STP Director (GP)."); not
# a list's lead-in and its first item ("Recommendations include but are not limited to: ►► Introducing ...").
_TABLE_ROW = re.compile(r"\t|\S {3,}\S|[^\s:►▪◦●⇒]\s*[►▪◦●⇒]")
# A label in title case: every word capitalised but the small joining words ("Medical Lead for Urgent Care.").
_TITLE_CASE = re.compile(
    r"^(?:[^\sa-z]\S*|a|an|and|as|at|by|for|from|in|into|of|on|or|the|to|with)(?: (?:[^\sa-z]\S*|a|an|and|as|at|by"
    r"|for|from|in|into|of|on|or|the|to|with))+$"
)


# Cells before a tab that end no sentence: a row's labels before its cell of prose (rag.sentences), or a heading run
# into its paragraph, printed in bold (rag.pdf_layout).
_CELL_LABELS = re.compile(r"^(?:[^\t]*[^\t.!?’”'\")]\s*\t)+(?=[A-Z‘“'\"(])")
# A structured abstract's label before its sentence: "Methods: A mix of quantitative and qualitative methods ..."
_LABEL_COLON = re.compile(r"^[A-Z][a-z]+(?: [a-z]+){0,2}: (?=[A-Z])")
# A numbered heading that pysbd keeps apart from its number, or with it: "3.1. Common seeds of different seed sets."
SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+[A-Z]")
# Terms parted by semicolons, none a clause: a paper's keywords ("Centrality measure; IC model; Complex networks.")
_TERMS = re.compile(r"^[^;.]{1,40}(?:;\s*[^;.]{1,40}){2,}\.?$")
TERM_LIST_WORDS = 4
# A caption, or one run on from the heading or the column labels printed above it ("ALFWORLD Table 6: An Act prompt
# on the ALFWorld clean task."), or a line on how to cite the paper; not a sentence of the text about a figure
# ("Figure 3 shows the scaling effect of ...", "Table 8 shows that GTR outperforms DPR ...").
_CAPTION = re.compile(
    r"^(?:(?:Table|TABLE|Figure|FIGURE|Fig\.|FIG\.|Box|BOX)\s+[0-9IVX]+[a-z]?\b(?!\s+[a-z])"
    r"|(?i:(?:\S+\s+){1,6}(?:Table|Figure|Fig\.)\s+\d+[a-z]?:\s|(?:How )?to cite\b))",
)
# A web address in a sentence ("Our code and data are available at https://..."): the statement is quotable; the
# journal furniture around addresses (download stamps, licences, how to cite) is not.
_URL = re.compile(r"(?:https?://|www\.)\S*[^\s.,;:)\]]")
_FURNITURE = re.compile(
    r"downloaded from|licen[cs]|creative commons|copyright|©|all rights reserved|permission|to cite|published online",
    re.I,
)


# An item of a list: printed after a bullet or an item's number ("- tackle ...", "2. General and flexible.",
# "(2) For the ELI5 ...", "►► Adapting ..."), or written out in sentences ("First, clinical leaders ...",
# "Secondly, ...", "Finally, ..."; not "First-line treatment ...", "Third-party data ...")
_MARK = r"[-•▪►⇒]+|\(?\d{1,2}[.)]"
_LATER_NUMBER = r"\(?(?:[2-9]|1\d)[.)]"  # ... the number of an item after the list's first
_LATER_ORDINAL = r"(?:second|third|fourth|fifth|sixth)(?:ly)?(?![-\w])|(?:finally|lastly),"
_ITEM_MARK = re.compile(rf"\s*(?:{_MARK})\s+")
_ORDINAL = re.compile(rf"first(?:ly)?(?![-\w])|{_LATER_ORDINAL}", re.I)
_LATER_ITEM = re.compile(rf"\s*{_LATER_NUMBER}\s|{_LATER_ORDINAL}", re.I)
# A mark printed before the sentence follows the end of another, or a lead-in's colon ("... Table 1. Different ..."
# is no item).
_AFTER_SENTENCE = r"(?:^|[.:;!?]\s+|\n\s*)"
_MARK_BEFORE = re.compile(rf"{_AFTER_SENTENCE}(?:{_MARK})\s*$")
_LATER_BEFORE = re.compile(rf"{_AFTER_SENTENCE}{_LATER_NUMBER}\s*$")


def list_item(text: str, start: int, end: int) -> bool:
    """Is the sentence at text[start:end] an item of a list?"""
    return bool(
        _ITEM_MARK.match(text, start, end)
        or _MARK_BEFORE.search(text[max(0, start - 8) : start])
        or _ORDINAL.match(text, start, end)
    )


def later_item(text: str, start: int, end: int) -> bool:
    """Is the sentence at text[start:end] an item that follows a list's first ("Second, ...", "3. ...")?"""
    return bool(_LATER_ITEM.match(text, start, end) or _LATER_BEFORE.search(text[max(0, start - 8) : start]))


def run_in_heading(sentence: str) -> int:
    """Where the sentence proper begins after a heading run into it (0 when there is none)."""
    labels = _CELL_LABELS.match(sentence)
    if labels and "\t" not in sentence[labels.end() :]:
        return labels.end()  # a table's label cells, or a heading run into its paragraph: "Finetuning\tDue to ..."
    m = _RUN_IN.match(sentence) or _LABEL_COLON.match(sentence) or _BACK_LABEL.match(sentence)
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
        sentence[:heading].count("\t") <= 1  # a row of a table's cells ("Human\tALCE\tRec.") is no label
        and 0 < len(label) <= LABEL_WORDS
        and 0 < len(value) <= VALUE_WORDS
        and bool(_READABLE_END.search(sentence.strip()))
        and not readable(sentence[heading:])
    )


def readable(sentence: str, list_item: bool = False, long: bool = False) -> bool:
    """A whole sentence a reader can take on its own: not a heading, caption, list number or fragment.

    An item of a bulleted list ("- tackle inequalities in access to services.") may be shorter and start in
    lower case: in a list, that is a whole point. With `long`, a sentence of prose may be longer than MAX_WORDS (see
    fits_a_sentence)."""
    words = sentence.split()
    stripped = sentence.strip()
    ends = _READABLE_END.search(stripped) or _ATTRIBUTED.match(stripped) or _RUN_ON_LIST.search(stripped)
    fits = len(words) <= MAX_WORDS or (long and fits_a_sentence(sentence))
    if not (3 if list_item else 6) <= len(words) or not fits or not ends:
        return False
    if list_item and len(normalise(sentence)) < MIN_VERBATIM_CHARS:
        return False  # "Performant and robust.": too short to be found, and checked, as itself in its passage
    # (an excerpt of what someone said, cut by its author: "...if you are not around the table even for 10% ...")
    excerpt = _EXCERPT.match(sentence)
    first = sentence[excerpt.end() if excerpt else 0 :].lstrip("‘“'\"([•-–►⇒ ")[:1]
    if not (first.isupper() or first.isdigit() or ((list_item or excerpt) and first.isalpha())):
        return False
    if _CAPTION.match(sentence) or re.search(r"\b(Correspond|@)", sentence):
        return False
    if _URL.search(sentence):
        if _FURNITURE.search(sentence):
            return False
        sentence = _URL.sub("address", sentence)  # judged as the statement it makes
    if SECTION_NUMBER.match(sentence):  # a numbered heading, not a list's item ("1. Emergency cases ...")
        return False
    if _TERMS.match(sentence.strip()) and all(
        len(term.split()) <= TERM_LIST_WORDS for term in sentence.strip().rstrip(".").split(";")
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
    if _names_list(sentence):
        return False
    return sum(ch.isalpha() for ch in sentence) / max(1, len(sentence)) > 0.6


# A person's name with initials: "G. Aad", "O.S. AbouZeid", "Aad, B."
_INITIALLED = re.compile(r"\b(?:[A-Z][a-z]?\.\s?-?){1,3}\s?[A-Z][\w'’-]+|\b[A-Z][\w'’-]+,\s(?:[A-Z][a-z]?\.\s?){1,3}")
NAMES_IN_LIST = 4  # names with initials in a list of people (a collaboration's members, "G. Aad, B. Abbott, ...")


def _names_list(sentence: str) -> bool:
    """Is it a run of people's names rather than a sentence (more names than lower-case words)?"""
    names = len(_INITIALLED.findall(sentence))
    return names >= NAMES_IN_LIST and len(re.findall(r"\b[a-z]{3,}\b", sentence)) < names


def points_ahead(sentence: str) -> bool:
    """Does the sentence point ahead to what follows it ("..., as the following quote illustrates.", "Relational
    work took a number of forms.", "The themes were:")? Alone, it says nothing."""
    return bool(_POINTS_AHEAD.search(sentence.strip()))


# a conjunction joining a sentence to the one before it, ahead of what it points back to: "But this is insufficient
# on its own.", "And they ...", "So it ..." (an adverb, "Moreover, this approach is novel ...", still says its piece)
_JOINED = re.compile(r"(?:but|and|yet|so|or|nor)\b,?\s+", re.I)


def leans_back(sentence: str) -> bool:
    """Does the sentence point back to the one before it ("These include ...", "It is manifested by ...", "But this
    is insufficient on its own.")?"""
    joined = _JOINED.match(sentence)
    rest = sentence[joined.end() :] if joined else sentence
    return bool(_LEANS_BACK.match(rest)) and not _POINTS_NOWHERE.match(rest)
