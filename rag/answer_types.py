"""What kind of answer a question asks for (a count, a share, a duration, a sum of money, an identifier, a name
the papers never use) and whether evidence sentences hold that kind of thing at all.

This is the check for near misses: the topic is in the papers, but the asked-for fact is not.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rag.lexical import tokenize

_NUM = (
    r"(?:\d+(?:[.,’']\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|hundred|dozen)"
)
_SHARE_Q = re.compile(
    r"\b(what|which) (share|proportion|percentage|fraction)\b|\bwhat per ?cent\b|\b(gender|sex) "
    r"(split|balance|breakdown)\b|\bhow many of (the|them)\b|"
    r"\b(response|completion|participation|uptake) rate\b|"
    # a rate's value ("what was the vacancy rate?"), not whether one changed ("did turnover rates fall?")
    r"\bwhat (?:was|is|were|are) (?:the |their |its )?(?:[\w-]+ ){0,3}rates?\b(?! of pay\b)",
    re.I,
)
# What a rate is of: "the response rate", "vacancy rates" (the word before "rate")
_RATE_OF = re.compile(r"\b([a-z][\w-]*)\s+rates?\b", re.I)
_DURATION_Q = re.compile(r"\bhow long (did|was|were|does|do|is|are)\b(?!.*\b(guidance|history|been)\b)", re.I)
_MONEY_Q = re.compile(
    r"\bhow much (did|does|do|was|were|is|are)\b.*\b(pay|paid|cost|costs|spend|spent|fund|charge)|"
    r"\bwhat (did|does) it cost\b|\bwhat (is|was) the (cost|price|budget)\b|"
    # what people are paid: "what salary do directors earn?", "how much do managers earn?"
    r"\bwhat (?:\w+ ){0,2}(salary|salaries|wages?|pay|income|earnings)\b|\bhow much (?:\w+ ){1,4}(earn|earns|earned)\b|"
    # a sum: "how big a budget", "how much money", "how much did it save"
    r"\bhow (?:big|large|much) (?:of )?an? (?:budget|sum|grant|saving|investment)\b|"
    r"\bhow much (?:money|funding|cash)\b|\bhow much (?:\w+ ){1,8}(?:save|saved|saves)\b",
    re.I,
)
# How far something changed: "by how much did admissions fall?"
_AMOUNT_Q = re.compile(
    r"\bby how much\b|\bhow (?:big|large) (?:a|an|was the|is the) (?:change|fall|drop|rise|increase|"
    r"reduction|decrease|improvement|effect)\b",
    re.I,
)
_COUNT_Q = re.compile(r"\bhow many ((?:\w+[- ]){0,2}\w+)", re.I)
_NAME_Q = re.compile(
    r"\bwhich (nhs )?(trusts?|ics|icss|integrated care systems?|journal|software|regions?|cit(y|ies)|"
    r"hospitals?|compan(y|ies)|organi[sz]ations?|places?|areas?)\b|\b(real )?names?(?: or \w+)? of\b"
    r"|\bwhat (nhs )?(trusts?|journal|software|regions?|cit(y|ies)|hospitals?|compan(y|ies))\b",
    re.I,
)
_THE_PAPERS = re.compile(
    r"\b(?:the|these|both|all|other|several|different|those)\s+(?:\w+\s+)?(?:papers|studies|reports|sources|articles)\b"
    r"|\bacross\s+(?:the\s+)?(?:papers|studies|reports|sources|articles)\b",
    re.I,
)
# An in-text citation: "(Eastwood 2021)", "(West et al 2020; Baker 2023)", "Turnbull James (2011)"
_CITATION = re.compile(
    r"\([^()]*\b(?:19|20)\d\d[a-z]?\)|\b[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*(?: et al\.?)? \((?:19|20)\d\d[a-z]?\)"
)
# Three or more Title Case items in a row: "Leeds, Bradford and Wakefield" or "Chairpersons, Managing Directors, ..."
_TITLE_ITEM = r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}"
_TITLE_LIST = re.compile(rf"{_TITLE_ITEM}(?:(?:, | and | or ){_TITLE_ITEM}){{2,}}")
_IDENTIFIER_Q = re.compile(r"\b(reference|approval|registration|grant|protocol) (number|code|id)\b", re.I)

_SHARE = re.compile(
    r"\d+(?:\.\d+)?\s?%|\bper ?cent\b|\bhalf (?:of|the)\b|"
    r"\b(?:a|an|one|two|three|the|over|under|nearly|almost|about|around|than)\s+(?:half|thirds?|quarters?|majority|minority)\b|"
    rf"\b{_NUM} (of|out of) (the )?{_NUM}\b",
    re.I,
)
_DURATION = re.compile(rf"\b{_NUM}[- ]?(minutes?|mins?|hours?|days?|weeks?|months?|years?)\b", re.I)
_MONEY = re.compile(r"[£$€]\s?\d|\b\d+(?:[.,]\d+)?\s?(pounds|million|billion|k)\b", re.I)
# a change's size: "three times", "from 120 to 80", "by 40" (not "by 2020")
_CHANGE = re.compile(
    rf"\b{_NUM}[- ]?(?:times|fold)\b|\bfrom {_NUM}\S* to {_NUM}\b|\bby (?!(?:19|20)\d\d\b){_NUM}\b", re.I
)
NUMBER = re.compile(rf"\b{_NUM}\b", re.I)  # a number in digits or words
_IDENTIFIER = re.compile(r"\b(?=\w*\d)(?=\w*[A-Za-z])\w{5,}\b|\b\d{2,}/\d+\b")
_PROPER = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][a-z]+(?:[A-Z][a-z]+)*|[A-Z]{2,}[a-z]*)\b")


_COMPARING = re.compile(r"\bacross\b|\bcompare\b|\beach\b", re.I)


def compares(question: str) -> bool:
    """Does the question set things side by side ("compare the two surveys", "what did each trust do?", "across
    organisations")? Its answer needs room for each side."""
    return bool(_COMPARING.search(question))


def asks_across_papers(question: str) -> bool:
    """Does the question ask what the papers say together ("what do the papers say ...", "compare the studies")?
    "compare", "each" and "across" alone do not: "how does ReAct compare with chain-of-thought?", "what levels
    did each STP have?" and "a shared identity across a partnership" are about one paper's subject, and were
    answered as an evidence table listing the other papers as not addressing them."""
    return speaks_of_the_papers(question)


def speaks_of_the_papers(question: str) -> bool:
    """Does the question speak of the papers together ("what do the papers say", "in any of these studies",
    "across the reports")?"""
    return bool(_THE_PAPERS.search(question))


def expected_kind(question: str) -> str | None:
    """share | duration | money | identifier | amount | count | name, or None when no typed value is asked for."""
    for kind, pattern in (
        ("share", _SHARE_Q),
        ("money", _MONEY_Q),
        ("duration", _DURATION_Q),
        ("identifier", _IDENTIFIER_Q),
        ("amount", _AMOUNT_Q),
        ("count", _COUNT_Q),
        ("name", _NAME_Q),
    ):
        if pattern.search(question):
            return kind
    return None


# Where a question asks a second thing: after a question mark with more to come; before ", and how ...",
# "; what ...", "- anything on ..." (a question word or "anything" after a comma, a semicolon or a dash, or after
# "and").
_PART_BREAK = re.compile(
    r"\?\s+(?=\S)|(?:[,;]|\s[-–—])\s*(?:and\s+)?(?=(?:how|what|which|who|where|when|why|whether|anything)\b)"
    r"|\s+and\s+(?=(?:how|what|which|who|where|when|why|whether)\b)",
    re.I,
)


def question_parts(question: str) -> list[str]:
    """The things a question asks, one string each: "How many were interviewed, and how was the data analysed?"
    has two parts."""
    return [p.strip() for p in _PART_BREAK.split(question.strip()) if p and p.strip()]


def separate_questions(message: str) -> list[str]:
    """The questions of a message that asks more than one, each ending in its question mark ("Is it all about
    doctors? What do the papers say about nurses?" asks two); a statement between them is left out."""
    return [s.strip() for s in re.split(r"(?<=\?)\s+", message.strip()) if s.strip().endswith("?")]


_ASKS = re.compile(
    r"^(?:how|what|which|who|whom|whose|where|when|why|whether|anything|is|are|was|were|do|does|did|"
    r"can|could|should|would|has|have|had)\b|\?$",
    re.I,
)


NAME_DEPTH = 3
# A count's number stands this many words or fewer before what it counts ("25 clinical leaders participated in
# semi-structured interviews" counts interviews).
COUNT_WINDOW = 8
# "... according to the King's Fund report": where the answer should come from, not what was counted
_ATTRIBUTION = re.compile(r"\b(?:according to|as reported (?:by|in))\b.*$", re.I)
_GENERIC_COUNTED = {"peopl", "person", "individu", "particip", "respond"}


def _count_target(question: str, vocab: Vocabulary) -> tuple[set[str], bool]:
    """What the question counts ("NHS trusts"; an acronym also by its long form: "GPs" are counted as "general
    practitioners"), or for people in general what they did ("interviewed"); the flag says whether the number
    must stand right before the counted words."""
    m = _COUNT_Q.search(question)
    if not m:
        return set(), True
    # "How many people did Waring interview": what follows "did" is who counted, not what was counted.
    counted = re.split(r"\b(?:did|do|does)\b", m.group(1))[0]
    target = set(tokenize(counted)) - _GENERIC_COUNTED
    for word in counted.split():
        long_form = vocab.acronyms.get(_singular_acronym(word.strip(",.?")))
        if long_form:
            target |= set(tokenize(long_form))
    if not target:
        rest = _ATTRIBUTION.sub("", question[m.end() :])
        return set(tokenize(rest)) - set(vocab.common) - {"mani", "much"}, False
    return target, True


@dataclass(frozen=True)
class Vocabulary:
    """What the corpus says about its words: its everyday (stemmed) terms, the words it also writes in lower
    case (so a capitalised 'Formations' glued from a table is no name), and the acronyms it defines."""

    common: Collection[str] = ()
    lower_words: Collection[str] = ()
    acronyms: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def lower_stems(self) -> frozenset[str]:
        return frozenset(tokenize(" ".join(self.lower_words)))

    def everyday(self, word: str) -> bool:
        """'Facilitating' (the corpus writes 'facilitate') or 'GP' (general practitioner): no proper name."""
        long_form = self.acronyms.get(_singular_acronym(word))
        if long_form:
            return all(w in self.lower_words for w in long_form.split())
        return word.lower() in self.lower_words or set(tokenize(word)) <= self.lower_stems


def _singular_acronym(word: str) -> str:
    """'ICSs' -> 'ICS'; any other word as it is."""
    return word[:-1] if word.endswith("s") and word[:-1].isupper() else word


def _names_the_asked_category(word: str, question: str, asked: set[str], vocab: Vocabulary) -> bool:
    """'ICS' or 'ICSs' in evidence for 'which integrated care system ...' is the category, not a name."""
    bare = _singular_acronym(word)
    if bare.lower() in question.lower().split() or bare.lower() + "s" in question.lower().split():
        return True
    long_form = vocab.acronyms.get(bare)
    return long_form is not None and set(tokenize(long_form)) <= asked


def _has_name(sentence: str, question: str, vocab: Vocabulary) -> bool:
    """A proper name in the sentence that the question does not already hold, that the corpus does not use
    everywhere (so 'NHS England' or 'ICS' do not count as naming the asked-for trust or region) and that is
    not an everyday word capitalised."""
    asked = set(tokenize(question))
    sentence = _CITATION.sub(" ", sentence)  # "(Eastwood 2021)" cites a source; it names no trust or region
    for run in _TITLE_LIST.findall(sentence):  # "Chairpersons, Managing Directors, Project Managers": job titles
        if any(vocab.everyday(w) for w in re.findall(r"\b[A-Z][\w'’-]*", run)):
            sentence = sentence.replace(run, " ")
    for m in _PROPER.finditer(sentence):
        word = m.group(1)
        terms = set(tokenize(word))
        if not terms or terms & asked or terms <= set(vocab.common):
            continue
        if vocab.everyday(word) or _names_the_asked_category(word, question, asked, vocab):
            continue
        return True
    return False


def holds_kind(kind: str, question: str, sentence: str, vocab: Vocabulary = Vocabulary()) -> bool:
    """Does the sentence hold a value of the asked kind (for a count: a number next to what is counted)?"""
    if kind == "share":
        # a rate of something is a share that names it: "half of our survey respondents ..." gives no response rate
        of = {t for m in _RATE_OF.finditer(question) for t in tokenize(m.group(1))}
        return bool(_SHARE.search(sentence)) and (not of or bool(of & set(tokenize(sentence))))
    if kind == "duration":
        return bool(_DURATION.search(sentence))
    if kind == "money":
        return bool(_MONEY.search(sentence))
    if kind == "identifier":
        return bool(_IDENTIFIER.search(sentence))
    if kind == "amount":  # a change's size: a share, a sum, "three times", "from 120 to 80"
        return bool(_SHARE.search(sentence) or _MONEY.search(sentence) or _CHANGE.search(sentence))
    if kind == "count":
        target, adjacent = _count_target(question, vocab)
        # "a 10’000-iteration process": a number joined to what it counts is two words
        words = re.sub(r"(\d)-(?=[A-Za-z])", r"\1 ", sentence).split()
        for i, word in enumerate(words):
            if NUMBER.fullmatch(word.strip("(),.;:")):
                near = set(tokenize(" ".join(words[i + 1 : i + 1 + COUNT_WINDOW] if adjacent else words)))
                if not target or near & target:
                    return True
        return False
    if kind == "name":
        return _has_name(sentence, question, vocab)
    return True


def unknown_names(question: str, vocabulary: Collection[str]) -> list[str]:
    """Capitalised names in the question (not its first word) that no passage of the corpus contains."""
    names = []
    known = set(vocabulary)
    for m in _PROPER.finditer(question.strip()):
        word = m.group(1)
        if m.start() == 0 or word.lower() in {"i", "nhs"}:
            continue
        if not (set(tokenize(word)) <= known or set(tokenize(_singular_acronym(word))) <= known):  # "GPs": "GP"
            names.append(word)
    return names


# Capitalised words in a row, joined by "of", "for" or "the" ("Department of Health"); "and", "in", "on" or a
# possessive ("ReAct's Wikipedia API") stands between two names ("ReAct on Fever", "ICSs in England").
_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|the)\s+)?[A-Z][\w'’-]*)+")
_NUMBERED_NAME = re.compile(r"\b[A-Z][A-Za-z]*-\d+(?:\.\d+)*[A-Za-z]*\b")
_TITLE_SHARE = 0.6  # a question with more of its words capitalised than this is written in title case


def plain_text(text: str) -> str:
    """Text as name phrases are looked up in it: its stemmed words (so "Kings Fund" finds "King's Fund"), one
    space apart and at both ends."""
    return plain_stems(tokenize(text))


def plain_stems(stems: Sequence[str]) -> str:
    """Stemmed words (`tokenize`'s) as `plain_text` writes them."""
    return f" {' '.join(stems)} "


def _known_phrase(words: Sequence[str], text: str) -> bool:
    """Does the corpus write the name, or two names of two words or more that make it up ("Kamuzu Central
    Hospital" and "Medical Department" make "Kamuzu Central Hospital Medical Department")?"""
    if plain_text(" ".join(words)) in text:
        return True
    halves = ((words[:i], words[i:]) for i in range(2, len(words) - 1))
    return any(all(plain_text(" ".join(half)) in text for half in pair) for pair in halves)


def unknown_phrases(question: str, text: str, authors: Collection[str]) -> list[str]:
    """Names of two or more capitalised words in the question ("Medical Engagement Scale") that the corpus never
    writes as a phrase, though it may use each word on its own. `text`: the corpus as `plain_text`; `authors`:
    the papers' authors' surnames, stemmed (an author next to a name, "the Aufegger ICS", joins nothing).
    A question written in title case has no such names to tell apart."""
    words = question.split()
    if sum(w[:1].isupper() for w in words) > _TITLE_SHARE * len(words):
        return []
    # A name with a version or size ("GPT-4", "PaLM-540B", "COVID-19") names one thing: the corpus must write it
    # whole; that it writes "GPT-3.5" and "4" elsewhere says nothing of "GPT-4".
    unknown = [m.group() for m in _NUMBERED_NAME.finditer(question) if plain_text(m.group()) not in text]
    for m in _NAME_RUN.finditer(question):
        run = m.group().split()
        if m.start() == 0 or re.search(r"[.?!]\s*$", question[: m.start()]):
            run = run[1:]  # the first word of a sentence is capitalised whatever it is
        parts: list[list[str]] = [[]]
        for word in run:
            bare = _singular_acronym(word.strip("'’"))
            if (bare.isupper() and len(bare) > 1) or set(tokenize(word)) & set(authors):
                parts.append([])  # an acronym or a paper's name is looked up on its own
            elif re.search(r"['’]s?$", word):
                parts[-1].append(word)
                parts.append([])  # "ReAct's Wikipedia API": the possessive ends a name
            else:
                parts[-1].append(word)
        parts = [p for p in parts if p and p[0][:1].isupper()]
        for part in parts:
            while part and not part[-1][:1].isupper():
                part.pop()
            if sum(w[:1].isupper() for w in part) >= 2 and not _known_phrase(part, text):
                unknown.append(" ".join(part))
    return unknown


def missing_kind(question: str, sentences: Sequence[str], vocab: Vocabulary = Vocabulary()) -> str | None:
    """The kind of value the question asks for when none of the sentences holds one, else None.

    The corpus's everyday terms (in a large share of passages) neither count as what a count is about nor
    as a name."""
    kind = expected_kind(question)
    if kind == "name":  # names are everywhere: only the very best evidence counts
        sentences = sentences[:NAME_DEPTH]
    if kind is None or any(holds_kind(kind, question, s, vocab) for s in sentences):
        return None
    return kind


def asked_parts(question: str) -> list[str]:
    """The parts of the question that ask something: not "Across these studies, ..." or "I've seen both 24 and 25."."""
    return [p for p in question_parts(question) if _ASKS.search(p) and len(p.split()) >= 2 and tokenize(p)]


def rest_answerable(question: str, missing: str, sentences: Sequence[str], vocab: Vocabulary = Vocabulary()) -> bool:
    """Does the question ask something else the sentences may answer, beside the `missing` kind of value ("how
    many ..., and which STP were they in?", "how long does it take? anything on the pace of change")? A part asking
    for no typed value may be answered; a part asking for another typed value only if some sentence holds one."""
    for part in asked_parts(question):
        kind = expected_kind(part)
        if kind is None or (kind != missing and missing_kind(part, sentences, vocab) is None):
            return True
    return False


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def absent_terms(question: str, vocabulary: Collection[str]) -> list[str]:
    """Words of the question (four letters or more, not function words) that no passage uses in any form: the
    stemmed word, its British spelling ("organization" -> "organisation") and each part of a hyphenated word are
    looked up in `vocabulary` (stemmed terms)."""
    known = set(vocabulary)
    out: list[str] = []
    for m in _WORD.finditer(question):
        word = m.group().strip("'’")
        if len(word) < 4 or word.lower() in (w.lower() for w in out):
            continue
        forms = [word, re.sub(r"iz(e|ing|ation|ed|es)", r"is\1", word), re.sub(r"or(s?)\b", r"our\1", word)]
        stems = [tokenize(f) for f in forms]
        if not stems[0] or any(s and set(s) <= known for s in stems):
            continue
        out.append(word.lower() if m.start() == 0 else word)  # a name keeps its capitals
    return out


_WH = re.compile(r"\b(?:what|who|which)\s+(\S+)", re.I)
# A word after a modal, an infinitive "to" or do-support is a verb: "can't sign", "to sign", "did they sign"
_VERB_SLOT = re.compile(
    r"\b(?:can(?:'t|not)?|could(?:n't)?|will|won't|would(?:n't)?|should(?:n't)?|must|may|might|to|"
    r"do(?:n't)?|does(?:n't)?|did(?:n't)?)\s+(\S+)",
    re.I,
)


def acts_as_verb(word: str, question: str) -> bool:
    """Is the word a verb in the question: a form English uses only as a verb ("exercised", "engaging"), or
    one that is also a noun standing right after a question word ("what stops ...", "who leads ...")? A verb says
    what happens, not what the question is about, so its absence from the papers is no sign of a missing topic.
    Word classes come from lemminflect's English lexicon."""
    from lemminflect import getAllLemmas  # its lexicon loads on first use

    readings = getAllLemmas(word) or getAllLemmas(word.lower())
    if "VERB" not in readings:
        return False
    if not {"NOUN", "PROPN", "ADJ"} & set(readings):
        return True
    slots = [*_WH.finditer(question), *_VERB_SLOT.finditer(question.replace("’", "'"))]
    return any(m.group(1).strip("?,.").lower() == word.lower() for m in slots)


# "What did social workers in the ICSs say about ...?": whose words the question asks for
_SPEAKERS = re.compile(
    r"\b(?:what|how)\s+(?:did|do|does|have|has|had)\s+(?P<who>[\w'’ -]{3,80}?)\s+"
    r"(?:say|said|think|thought|feel|felt|report|reported|describe|described|tell|told|want|wanted|believe|believed|"
    r"make of)\b",
    re.I,
)
_NOT_SPEAKERS = {"the papers", "the paper", "the authors", "the author", "they", "it", "these", "this", "those"}
# words that make the span a clause ("How does the programme feed into ..."), not a group of people
_CLAUSE_WORDS = {
    *("into", "why", "how", "what", "when", "where", "which", "that", "who", "do", "does", "did", "is", "are"),
    *("was", "were", "to", "for", "with", "about", "on", "by"),
}
_PHRASE_WORDS = {"the", "a", "an", "and", "or", "in", "of", "at", "from", "these", "those", "their", "its"}


def speakers(question: str) -> list[str]:
    """The words naming whose views the question asks for ("What did junior doctors and trainees say ...?":
    junior, doctors, and, trainees), or none. The papers can only report what people they studied said: a word
    here that no paper uses is a group the papers never heard from, however little it moves the question."""
    m = _SPEAKERS.search(question)
    if not m:
        return []
    who = m.group("who").strip()
    words = who.split()
    if any(who.lower().startswith(s) for s in _NOT_SPEAKERS) or any(w.lower() in _CLAUSE_WORDS for w in words):
        return []
    return words


def speaker_phrase(word: str, who: Sequence[str]) -> str:
    """The absent word with the word it goes with in the speakers' phrase: "junior" -> "junior doctors",
    "workers" -> "social workers"; alone when its neighbours are function words."""
    at = next((i for i, w in enumerate(who) if w.lower() == word.lower()), None)
    if at is None:
        return word
    if at + 1 < len(who) and who[at + 1].lower() not in _PHRASE_WORDS:
        return f"{word} {who[at + 1]}"
    if at > 0 and who[at - 1].lower() not in _PHRASE_WORDS:
        return f"{who[at - 1]} {word}"
    return word


def misspelt(word: str, words: Collection[str]) -> bool:
    """Is the word one letter away (one added, dropped, changed or two swapped) from a word the corpus uses
    ("databses": "databases")? Then it is a typing slip, not a topic the papers leave out."""
    from rapidfuzz.distance import OSA  # optimal string alignment: Levenshtein plus a swap of two neighbours

    w = word.lower()
    if len(w) < 6:
        return False
    return any(abs(len(known) - len(w)) <= 1 and OSA.distance(w, known, score_cutoff=1) == 1 for known in words)
