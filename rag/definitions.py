"""Definition questions and defining sentences: the term a question asks the meaning of, and whether a sentence
defines it.

Input: a question, or a sentence and a term. Output: the asked term (None when the question does not ask what
something is or means), or whether the sentence is one of the forms English papers define a term in ("X is a ...",
"X refers to ...", "we define X as ...", "we call ... the X", "known as X", "by X we mean ..."). Terms are matched
by their stems (rag.lexical.tokenize). Acronyms are left to rag/acronyms.py, which knows their long forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rag.acronyms import initials
from rag.lexical import plural_noun, tokenize

MAX_TERM_WORDS = 6  # a longer "what is ..." asks about a situation, not a term
SUBJECT_SLACK = 2  # words "we define ... as" may hold besides the term ("we define the X score as")
_ARTICLE = r"(?:(?:the|a|an)\s+)?"
_KINDS = r"(?:term|phrase|word|concept|notion|idea|expression|label|abbreviation|acronym)s?"
# "the term 'X'", "the notion of X"; "a word token" is a term of its own
_KIND = rf"(?:{_KINDS}\s+(?:of\s+|(?=[\"“‘'])))?"
_LEADING_KIND = re.compile(rf"^(?i:{_KINDS})\s+(?=\S+\s+\S|[A-Z])")
_CUT = (
    r"(?=\s*[?,.;:!]|\s+(?:in|according|within|for|from|as|when|here|and|there|used|to|by|that|which|"
    r"mean|means|refer|refers|stand|stands|denote|denotes|defined|do|does|did|themselves|itself|exactly|"
    r"differ|differs|differed|differently|compare|compares|compared|versus|vs|than)\b|\s*$)"
)
_TERM = rf"{_ARTICLE}{_KIND}[\"“‘']?(?P<term>[^?,.;:!\"“”‘’]{{1,80}}?)[\"”’']?{_CUT}"
# Strong cues: the question says it asks for a meaning or a definition.
_ASKS_DEFINITION = [
    # "what does it mean for a team to share leadership?": what sharing leadership is
    re.compile(rf"\bwhat\s+(?:does|did|would)\s+it\s+mean\s+(?:for\s+(?:[\w'’-]+\s+){{1,4}}?)?to\s+{_TERM}", re.I),
    re.compile(rf"\bwhat\s+(?:is|are|was|were)\s+(?:meant|understood)\s+by\s+{_TERM}", re.I),
    re.compile(rf"\bwhat\s+(?:do|does|did)\s+(?:[\w'’]+\s+){{0,4}}?mean\s+by\s+{_TERM}", re.I),
    re.compile(rf"\bwhat\s+(?:do|does|did)\s+{_TERM}\s+(?:mean|refer\s+to|denote|stand\s+for)\b", re.I),
    re.compile(rf"\b(?:define|definition\s+of|meaning\s+of|explain\s+the\s+(?:term|concept|notion))\s+{_TERM}", re.I),
    re.compile(rf"\bhow\s+(?:is|are|was|were)\s+{_TERM}(?:\s+(?:in|by|within)\s+[^?]*?)?\s+defined\b", re.I),
    re.compile(rf"\bhow\s+(?:do|does|did)\s+(?:[\w'’]+\s+){{1,6}}?(?:define|defining)\s+{_TERM}", re.I),
]
# Without a cue, "what is (a) X" asks for a definition; "what is the X" asks for a fact ("what is the aim ..."),
# unless X is a name and all the question asks ("What is the King's Fund?", "who is Nicola Walsh?").
_WHAT_IS = re.compile(rf"(?:^|[,;:]\s*)\s*(?:so\s+|and\s+)?what\s+(?:is|are)\s+(?!the\b){_TERM}", re.I)
_WHAT_IS_NAME = re.compile(
    r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:the\s+)?(?P<term>(?-i:[A-Z])[^?]{0,60}?)\s*\?\s*$", re.I
)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z]s?$")
_OPENS_CLAUSE = re.compile(r"^(?:the|this|these|those|it|they|there|known|meant|said|done|found|new)\b", re.I)

# A subject followed by what makes it a definition: "is a/an/the/one ...", "is defined as", "refers to", "means".
_AS = r"(?:defined|described|understood|conceptuali[sz]ed|characteri[sz]ed|known|seen|viewed|regarded|thought\s+of)"
_COPULA = re.compile(
    rf"\b(?:is|are|was|were)\s+(?:(?:often|usually|commonly|generally|broadly|typically|here|simply|thus|then)\s+)?"
    rf"(?:(?:a|an|the|one)\b|{_AS}\s+as\b|(?:what|when|where|how)\b)"
    rf"|\brefers?\s+to\b|\b(?:can|may|might|could|will|is\s+to)\s+be\s+{_AS}\s+as\b"
    r"|\b(?:means|denotes|implies|involves|entails)\b",
    re.I,
)
_THAT_IS = re.compile(r"\s*(?:,|\()\s*(?:i\.\s?e\.|that\s+is|namely)", re.I)
_DEFINE_AS = re.compile(r"\b(?:define[sd]?|defining|definition\s+of)\s+(?P<term>[^.;:!?]{1,100}?)\s+as\b", re.I)
_NAMED = re.compile(
    r"\b(?P<verb>call(?:ed|s)?|term(?:ed|s)?|known\s+as|referred\s+to\s+as|dubbed|named)\s+"
    r"(?!(?:for|on|upon|in|into|out|off|back|after|up)\b)(?P<rest>[^.;:!?]{1,160})",
    re.I,
)
_CALLER = re.compile(
    r"\b(?:we|they|i|authors|researchers|others|which|what|one)\s+(?:will\s+|shall\s+|then\s+)?$", re.I
)
_BY_WE_MEAN = re.compile(r"\bby\s+(?P<term>[^.;:!?]{1,100}?),?\s+(?:we|they|the\s+authors|i)\s+mean\b", re.I)
# "We use the term X to describe ...", "the phrase X refers to ..."
_THE_TERM = re.compile(
    r"\b(?:term|phrase|word|label|notion|concept)\s+(?P<term>[^.;:!?]{1,80}?)\s+"
    r"(?:(?:is\s+used\s+)?to\s+(?:describe|mean|refer\s+to|denote|capture)|refers?\s+to|describes?|means|denotes)\b",
    re.I,
)
_SUBJECT_OPENING = re.compile(r",\s+|\bof\s+|:\s+")
# "we introduce X, a novel ...": a thing introduced with its description in apposition
_INTRODUCED = re.compile(
    r"\b(?:introduce|propose|present|describe)[sd]?\s+(?P<term>[^.;:!?,]{1,80}?)\s*(?:\([^)]*\)\s*)?,\s+(?:a|an)\b",
    re.I,
)
_PARENTHESIS = re.compile(r"\([^()]*\)")


def asked_term(question: str) -> str | None:
    """The term a definition question asks about ("What is 'generation confidence' in ...?": "generation
    confidence"; "what do the authors mean by proper management?": "proper management"), or None. A question
    about an acronym ("What does ICS mean?") gets None: its long form answers it (rag.acronyms)."""
    found: str | None = None
    strong = next((m for p in _ASKS_DEFINITION if (m := p.search(question))), None)
    if strong is not None:
        found = strong.group("term")
    else:
        plain = _WHAT_IS.search(question) or _WHAT_IS_NAME.search(question)
        # "what are ICSs supposed to achieve?" asks what they do, not what they are
        verb = plain is not None and re.match(r"\s+to\s", question[plain.end() :])
        if plain is not None and not verb and not _OPENS_CLAUSE.match(plain.group("term")):
            found = plain.group("term")
    if found is None:
        return None
    term = re.sub(r"^(?:the|a|an)\s+", "", re.sub(r"[\"“”‘’]|'(?!\w)|(?<!\w)'", "", found).strip(), flags=re.I)
    term = _LEADING_KIND.sub("", term)  # "the term collaborative leadership"
    if not tokenize(term) or len(term.split()) > MAX_TERM_WORDS or _ACRONYM.match(term):
        return None
    return term


_PLURAL_COPULA = re.compile(
    r"\s(?:are|were)\s+(?:(?:often|usually|commonly|generally|broadly|typically|essentially|simply|now)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?P<noun>[a-z][a-z-]+s)\b"
)
_ARTICLED = re.compile(r"^(?:(?i:the|a|an|these|such)\s+)?(?P<name>[A-Z][A-Za-z]*[A-Z][a-z]?)$")


def _abbreviates(subject: str, term: str, acronyms: Mapping[str, str] | None = None) -> bool:
    """Is the subject the term's acronym, or its plural ("ICSs" for "integrated care system")? Not one the papers
    spell out as something else (`acronyms`: each acronym's long form): their "SL" for "shared leadership" is not
    "system leadership"."""
    m = _ARTICLED.match(subject.strip())
    words = [w for w in re.split(r"[\s-]+", term) if w]
    if m is None or len(words) < 2:
        return False
    initials = "".join(w[0] for w in words).upper()
    name = m.group("name")
    long = (acronyms or {}).get(initials)
    if long and tokenize(long) != tokenize(term):
        return False
    return name in (initials, f"{initials}s")


def _stems(text: str) -> list[str]:
    return tokenize(_PARENTHESIS.sub(" ", text))


def _ends_with(stems: list[str], term: list[str], slack: int) -> bool:
    return len(term) <= len(stems) <= len(term) + slack and stems[-len(term) :] == term


def _names(subject: str, term: list[str]) -> bool:
    """Is the subject the term itself: "X", "the X", "X (ABBR)", "a graph G", "the concept of X", "Here, X"?
    A modifier makes it another thing ("Weighted LeaderRank" is not "LeaderRank")."""
    tails = [subject, *(subject[m.end() :] for m in _SUBJECT_OPENING.finditer(subject))]
    for tail in tails:
        stems = _stems(tail)
        if stems and len(stems[-1]) <= 1 and re.search(r"\s[A-Za-z]\s*$", tail):  # a symbol named after it
            stems = stems[:-1]
        if stems == term:
            return True
    return False


def defines(sentence: str, term: str, acronyms: Mapping[str, str] | None = None) -> bool:
    """Does the sentence define the term, in one of the forms English papers use? "X is important", "X is used
    in ..." and "X is 25" do not: after "is", a definition goes on with an article ("is a", "is the"), "defined
    as", "what" or "when". Its subject may be the term's acronym, unless `acronyms` (each acronym's long form, as
    the papers spell it out) gives that acronym another meaning."""
    wanted = tokenize(term)
    if not wanted:
        return False
    text = " ".join(sentence.split())
    copula = _COPULA.search(text)
    if copula is not None and (
        _names(text[: copula.start()], wanted) or _abbreviates(text[: copula.start()].strip(), term, acronyms)
    ):
        return True
    # things defined in the plural go on without an article, to a plural noun ("ICSs are geographically based
    # partnerships of ..."); the subject may be the term or its acronym ("ICSs" for "integrated care systems")
    plural = _PLURAL_COPULA.search(text)
    if plural is not None and plural_noun(plural.group("noun")):
        subject = text[: plural.start()]
        if _names(subject, wanted) or _abbreviates(subject, term, acronyms):
            return True
    that_is = _THAT_IS.search(text)
    if that_is is not None:  # "... a lexicon L, that is, ...": the term closes what comes before
        before = re.sub(r"\s[A-Za-z]\s*$", "", text[: that_is.start()])
        if _stems(before)[-len(wanted) :] == wanted:
            return True
    if any(_names(m.group("term"), wanted) for m in _INTRODUCED.finditer(text)):
        return True
    for m in _DEFINE_AS.finditer(text):
        if _ends_with(_stems(m.group("term")), wanted, SUBJECT_SLACK):
            return True
    for m in [*_BY_WE_MEAN.finditer(text), *_THE_TERM.finditer(text)]:
        if _ends_with(_stems(m.group("term")), wanted, 1):
            return True
    for m in _NAMED.finditer(text):
        named = _stems(m.group("rest"))
        active = m.group("verb").lower() in ("call", "calls", "term", "terms")
        first = _stems(re.sub(r"^(?:the|a|an)\s+", "", m.group("rest").strip(" \"“‘'"), flags=re.I).split(" ")[0])
        if not active and first == wanted[:1] and named[: len(wanted)] == wanted:  # "known as X", "called X"
            return True
        # "we call [what] (the) X": the name closes the clause
        if active and _CALLER.search(text[: m.start()]) and named[-len(wanted) :] == wanted:
            return True
    return False


# What a thing is for: "What are ICSs supposed to achieve?", "what is the ICP for?", "what's the point of an ICB?"
# (not what a study set out to do: "what were the aims of Ng's study?" asks for its aims, rag.section_roles)
_THING = r"(?:the\s+|an?\s+)?(?P<thing>[^?,.;:!]{2,60}?)"
_ASKS_PURPOSE = [
    re.compile(
        rf"\bwhat\s+(?:is|are|was|were)\s+{_THING}\s+(?:(?:really|actually|ever)\s+)?"
        r"(?:meant|supposed|designed|intended|expected|there|set\s+up|created|established)\s+to\s+"
        r"(?:achieve|do|deliver|accomplish|bring|provide)\b",
        re.I,
    ),
    re.compile(rf"\bwhat(?:\s+(?:is|are|was|were)|['’]s)\s+{_THING}\s+(?:really\s+|actually\s+)?for\s*\?", re.I),
    re.compile(
        rf"\b(?:purposes?|point|aims?|goals?|objectives?|mission)\s+(?:is\s+|are\s+)?(?:of|for|behind)\s+{_THING}"
        r"\s*(?:[?,.;:!]|$)",
        re.I,
    ),
]
_OWN_WORK = re.compile(
    r"\b(?:study|studies|paper|report|research|review|article|survey|project|interviews?|analysis|work)\b", re.I
)
# a sentence stating what something is for: its purposes, aims or goals, what it is meant or designed to do
_STATES_PURPOSE = re.compile(
    r"\b(?:purposes?|aims?|goals?|objectives?|mission|ambitions?)\b"
    r"|\b(?:intended|designed|meant|expected|established|set\s+up|created|tasked|required)\s+to\b"
    r"|\bseeks?\s+to\b|\bresponsible\s+for\b",
    re.I,
)
_POINTS_BACK = re.compile(r"^\W*(?:they|it|these|this|their|its|each|such)\b", re.I)


def asked_purpose(question: str) -> str | None:
    """The thing whose purpose a question asks ("What are ICSs supposed to achieve?": "ICSs"), or None. A question
    asking what a paper itself set out to do gets None (its aims are a part of it: rag.section_roles)."""
    for pattern in _ASKS_PURPOSE:
        m = pattern.search(question)
        if m is None:
            continue
        thing = m.group("thing").strip()  # (an article before it is left out by _THING)
        if tokenize(thing) and len(thing.split()) <= MAX_TERM_WORDS and not _OWN_WORK.search(thing):
            return thing
    return None


def states_purpose(sentence: str, thing: str) -> bool:
    """Does the sentence state what the thing is for ("They have four core purposes, to: ...", "ICBs are
    responsible for ...")? It names the thing (its words, or its acronym: "ICSs" for "integrated care systems") or
    opens on a word pointing back to it."""
    if not _STATES_PURPOSE.search(sentence):
        return False
    if _POINTS_BACK.match(sentence):
        return True
    wanted = tokenize(thing)
    have = set(tokenize(sentence))
    if wanted and all(w in have for w in wanted):
        return True
    words = [w for w in re.split(r"[\s-]+", thing) if w]
    if len(words) >= 2:
        return bool(re.search(rf"\b{re.escape(initials(words))}s?\b", sentence))
    acronym = re.sub(r"s$", "", thing.strip())
    return bool(_ACRONYM.match(thing.strip())) and bool(re.search(rf"\b{re.escape(acronym)}s?\b", sentence))
