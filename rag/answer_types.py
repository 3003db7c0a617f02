"""What kind of answer a question asks for (a count, a share, a duration, a sum of money, an identifier, a name)
and whether evidence sentences hold that kind of thing at all; how many things it asks, and whether it asks across
the papers.

This is the check for near misses: the topic is in the papers, but the asked-for fact is not. (Whether the papers
use the question's words and names at all is rag.coverage.)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rag.lexical import plural_noun, tokenize
from rag.readable import leans_back
from rag.section_roles import CAME_OUT, PEOPLE
from rag.text import plain_words

_NUM = (
    r"(?:\d+(?:[.,’']\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|hundred|dozen)"
)
_SHARE_Q = re.compile(
    r"\b(what|which) (share|proportion|percentage|fraction)\b|\bwhat per ?cent\b|\b(gender|sex) "
    r"(split|balance|breakdown)\b|"
    r"\b(response|completion|participation|uptake) rate\b|"
    # a rate's value ("what was the vacancy rate?"), not whether one changed ("did turnover rates fall?")
    r"\bwhat (?:was|is|were|are) (?:the |their |its )?(?:[\w-]+ ){0,3}rates?\b(?! of pay\b)",
    re.I,
)
# What a rate is of: "the response rate", "vacancy rates" (the word before "rate")
_RATE_OF = re.compile(r"\b([a-z][\w-]*)\s+rates?\b", re.I)
# a person's age: "what was the average age of ...?", "how old were ...?", "what ages ...", "the age range"
_AGE_Q = re.compile(r"\b(?:how old|(?:what|which) (?:\w+ ){0,2}ages?|age (?:range|profile|distribution|of))\b", re.I)
_DURATION_Q = re.compile(r"\bhow long (did|was|were|does|do|is|are)\b(?!.*\b(guidance|history|been)\b)", re.I)
# What a duration question asks the length of: "how long did | each interview | last in ...?", "how long was | the
# programme |?" (up to the verb or preposition that ends it)
_TIMED = re.compile(
    r"\bhow long (?:did|was|were|does|do|is|are)\s+(.+?)(?=\s+(?:last(?:ed|s)?|take|took|takes|run|ran|runs|go|went|"
    r"stay|remain|continue|in|at|for|during|within|on|with|by|according|to|from|and|or)\b|[?,;.]|$)",
    re.I,
)
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
# "how many of the clinical leaders came from each STP?" counts clinical leaders (a count answers it, "10 of 25" too)
_COUNT_Q = re.compile(r"\bhow many (?:of (?:the|them|these|those)\s+)?((?:\w+[- ]){0,2}\w+)", re.I)
_NAME_Q = re.compile(
    r"\bwhich (nhs )?(trusts?|ics|icss|integrated care systems?|journal|software|regions?|cit(y|ies)|"
    r"hospitals?|compan(y|ies)|organi[sz]ations?|places?|areas?)\b|\b(real )?names?(?: or \w+)? of\b"
    r"|\bwhat (nhs )?(trusts?|journal|software|regions?|cit(y|ies)|hospitals?|compan(y|ies))\b",
    re.I,
)
# what "study" or "paper" may qualify, when it names a part of one paper ("each study site", "which study design")
_ONE_PAPERS_PART = r"sites?|areas?|participants?|groups?|periods?|designs?|teams?|types?|methods?|populations?"
_THE_PAPERS = re.compile(
    r"\b(?:the|these|both|all|other|several|different|those)\s+(?:\w+\s+)?(?:papers|studies|reports|articles)\b"
    # "what do the sources say?" (not a study's "other sources" of data, nor "the sources of data")
    r"|\b(?:the|these|both|all|those)\s+sources\b(?!\s+of\b)"
    r"|\bacross\s+(?:the\s+)?(?:papers|studies|reports|sources|articles)\b"
    # "how many people took part in each study?", "which label does each paper go with?" (not "each study site")
    r"|\b(?:each|every|any)\s+(?:one\s+of\s+(?:the|these)\s+)?(?:paper|study|report|article)\b"
    rf"(?![\s-]+(?:{_ONE_PAPERS_PART})\b)"
    # "which papers talk about buy-in?", "which study interviewed the most people?": a choice among them, its verb
    # next (not "which studies did Ng review?", works a paper cites, nor "which study design did they use?")
    r"|\bwhich\s+(?:one\s+)?(?:papers|studies|study|paper)\s+"
    rf"(?!(?:did|does|do|were|was|would|could|should|can|might|{_ONE_PAPERS_PART})\b)[a-z]",
    re.I,
)
# An in-text citation: "(Eastwood 2021)", "(West et al 2020; Baker 2023)", "Turnbull James (2011)"
CITATION = re.compile(
    r"\([^()]*\b(?:19|20)\d\d[a-z]?\)|\b[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*(?: et al\.?)? \((?:19|20)\d\d[a-z]?\)"
)
# ... or any mark of a source: that, "(personal communication)", a numbered reference ("[12]", "[3, 4]",
# "organisations.^{7,13}", "capability.12 32")
_CITED = re.compile(
    CITATION.pattern + r"|\((?:personal|pers\.?) comm(?:unication|\.)?s?\)|\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]"
    r"|\^\{?\d{1,3}(?:[,–-]\d{1,3})*\}?|(?<=[a-z][.,])\d{1,3}(?:[ ,]\d{1,3})*(?=\s|$)"
)
# Three or more Title Case items in a row: "Leeds, Bradford and Wakefield" or "Chairpersons, Managing Directors, ..."
_TITLE_ITEM = r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}"
_TITLE_LIST = re.compile(rf"{_TITLE_ITEM}(?:(?:, | and | or ){_TITLE_ITEM}){{2,}}")
_IDENTIFIER_Q = re.compile(r"\b(reference|approval|registration|grant|protocol) (number|code|id)\b", re.I)
# asking what a claim rests on: "what's the source for that?", "which reference backs this?", "who do they cite for
# ...?" (not the sources a study drew its data from: "what data sources did Ng use?")
_SOURCE_Q = re.compile(
    r"\bsources?\s+(?:for|behind|backing|backs|supporting|supports)\s"
    r"|\b(?:reference|citation)s?\s+(?:behind|backing|backs|supporting|supports)\s"
    r"|\b(?:source|reference|citation)s?\s+of\s+(?:that|this|the\s+(?:claim|statement|figure|idea|quote|quotation|"
    r"definition|point|view|finding|estimate|number|statistic))\b"
    r"|\bwho\s+(?:do|does|did)\s+(?:[\w'’]+\s+){1,4}?cite\b|\bwhat\s+(?:do|does|did)\s+(?:[\w'’]+\s+){1,4}?cite\b"
    r"|\bwhere\s+(?:does|did|do)\s+(?:that|this)\s+(?:claim|figure|statement|idea|quote|number)\s+come\s+from\b",
    re.I,
)

_SHARE = re.compile(
    r"\d+(?:\.\d+)?\s?%|\bper ?cent\b|\bhalf (?:of|the)\b|"
    r"\b(?:a|an|one|two|three|the|over|under|nearly|almost|about|around|than)\s+(?:half|thirds?|quarters?|majority|minority)\b|"
    rf"\b{_NUM} (of|out of) (the )?{_NUM}\b",
    re.I,
)
_DURATION = re.compile(rf"\b{_NUM}[- ]?(minutes?|mins?|hours?|days?|weeks?|months?|years?)\b", re.I)
# a stretch of time a sentence dates something by, which tells how long it took: "between 2018 and 2021", "from
# January to December 2010", "in June 2010", "during the winter of 2022/23"
# A date's words are capitalised but name no trust, region or organisation.
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
)  # fmt: skip
_MONTH = rf"(?:{'|'.join(MONTHS)}|spring|summer|autumn|winter)"
_DATED = rf"(?:(?:early|mid|late)[- ]?)?(?:{_MONTH}\s+)?(?:(?:1[89]|20)\d\d|{_MONTH})\b"  # "mid-2019", "June 2010"
_PERIOD = re.compile(
    rf"\b(?:between|from)\s+{_DATED}\s*(?:and|to|until|till|[-–—])\s*{_DATED}"
    rf"|\b(?:in|during|over|throughout)\s+(?:the\s+)?(?:(?:early|mid|late)[- ]?)?{_MONTH}\s+(?:of\s+)?"
    r"(?:1[89]|20)\d\d\b"
)
_MONEY = re.compile(r"[£$€]\s?\d|\b\d+(?:[.,]\d+)?\s?(pounds|million|billion|k)\b", re.I)
# a change's size: "three times", "from 120 to 80", "by 40" (not "by 2020")
_CHANGE = re.compile(
    rf"\b{_NUM}[- ]?(?:times|fold)\b|\bfrom {_NUM}\S* to {_NUM}\b|\bby (?!(?:19|20)\d\d\b){_NUM}\b", re.I
)
NUMBER = re.compile(rf"\b{_NUM}\b", re.I)  # a number in digits or words
# years that are an age: "aged 40 to 55 years", "age range: 35–50 years", "60 years old", "45 years of age"
_AGE_BEFORE = re.compile(r"\b(?:aged?|ages)\b(?:\W+\w+){0,4}\W*$", re.I)
_AGE_AFTER = re.compile(r"^\s*(?:old|of age)\b", re.I)
_AGED = re.compile(rf"\b(?:aged?|ages)\b\W+(?:\w+\W+){{0,3}}{_NUM}\b", re.I)
# a code of letters and digits ("18IC4917"), a number over a number ("12/34"), or a long run of digits ("1126980")
_IDENTIFIER = re.compile(r"\b(?=\w*\d)(?=\w*[A-Za-z])\w{5,}\b|\b\d{2,}/\d+\b|(?<![\d,.])\d{6,}(?![\d,.]\d)")
PROPER_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][a-z]+(?:[A-Z][a-z]+)*|[A-Z]{2,}[a-z]*)\b")


_COMPARING = re.compile(r"\bacross\b|\bcompare\b|\beach\b", re.I)


def compares(question: str) -> bool:
    """Does the question set things side by side ("compare the two surveys", "what did each trust do?", "across
    organisations")? Its answer needs room for each side."""
    return bool(_COMPARING.search(question))


def asks_across_papers(question: str) -> bool:
    """Does the question speak of the papers together ("what do the papers say", "in any of these studies",
    "across the reports", "compare the studies", "each study")? "compare", "each" and "across" alone do not: "how
    does ReAct compare with chain-of-thought?", "what levels did each STP have?", "each study site" and "a shared
    identity across a partnership" are about one paper's subject."""
    return bool(_THE_PAPERS.search(question))


# the verb that only frames what a question asks for, after it ("what recommendations does Aufegger make?", "what
# suggestions do they offer?", "which actions does the API provide?"): the thing asked is its object, and a
# sentence using the verb in its own sense ("I have always wanted to make things better") answers nothing
_SUPPORT_VERB = re.compile(
    r"(?:^|[.?!;:]\s+|\s-\s)\W*(?:what|which)\s+(?:[\w'’-]+\s+){1,4}?(?:do|does|did)\s+(?:[\w'’-]+\s+){0,5}?"
    r"(make|give|offer|provide|draw|reach|put forward|come up with)(?=\s*(?:\?|$))",
    re.I,
)


# a command opening a request ("list the limitations of ...", "... - name the four themes", "summarise what the
# papers say", "... compare Ng's consultants with Waring's clinical leaders"): it says how to answer, not what about
# ("Full list of author information is available ...", "... or to compare between clinical leaders in terms of ...")
_COMMAND = re.compile(
    r"(?:^|(?<=[.?!;:])\s+|\s[-–]\s+)(?:please\s+|can you\s+|could you\s+)?"
    r"(?:list|name|summari[sz]e|sum up|outline|describe|explain|tell me(?: about)?|give me|show me|go through"
    r"|compare(?: and contrast)?|contrast"
    r"|walk me through|pull (?:together|out)|spell out|set out)\b",
    re.I,
)


# "what role does trust play in ...?", "what part do networks play ...?": the words asking about a thing's part in
# another frame the question ("There is an expectation that clinical leaders can play a pivotal role ..." is no
# evidence on trust)
_ROLE_PLAYED = re.compile(
    r"\b(what|which)\s+(?:\w+\s+)?(?:roles?|parts?)\s+((?:do|does|did|can|could|should|will|would|might)\s+[^?.;]+?)"
    r"\s+play(?:ed|s)?\b",
    re.I,
)


def without_framing(question: str) -> str:
    """The question without the verb that only frames what it asks for ("what recommendations does X make?", "what
    role does X play?") and the command opening a request ("list the limitations of ...")."""
    question = _SUPPORT_VERB.sub(lambda m: m.group()[: m.start(1) - m.start()].rstrip(), question)
    question = _ROLE_PLAYED.sub(lambda m: f"{m.group(1)} {m.group(2)}", question)
    return _COMMAND.sub(" ", question).strip()


# a question asking what stands in the way ("what are the barriers to ...?", "what gets in the way when ...?", "what
# stops clinicians ...?", "what can go wrong when ...?", "why is it so hard to ...?"), and a sentence stating such a
# thing ("Lack of clarity around decision-making may lead to protectionism.", "Deputies being sent along to meetings
# without the delegated authority to make a decision is another challenge.")
_OBSTACLES_Q = re.compile(
    r"\b(?:barriers?|obstacles?|hurdles?|impediments?|downsides?|drawbacks?|pitfalls?|stumbling blocks?)\b"
    r"|\b(?:gets?|getting|got|stands?|standing|stood) in (?:the|their|its) way\b"
    r"|\bwhat (?:\w+ )?(?:stops|stopped|prevents|prevented|hinders|hindered|blocks|blocked|holds|held|keeps|kept)\b"
    r"|\b(?:go|goes|going|went|gone) wrong\b|\bwhy (?:is|was|are|were|do|does|did)\b[^?]{0,40}\b(?:hard|difficult"
    r"|tricky|struggle|fail)\b|\bmakes? (?:it )?(?:hard|harder|difficult)\b"
    # "what problems did the analysis find?", "the main challenges leaders face" (not "the challenges ICSs were set
    # up to meet": a challenge to meet is a purpose)
    r"|\b(?:what|which|main|key|biggest|major|common) (?:\w+ )?(?:problems|challenges|difficulties|shortcomings"
    r"|constraints)\b(?![^?]{0,50}\b(?:meet|address|tackle|solve)\b)",
    re.I,
)
_OBSTACLE = re.compile(
    r"\b(?:barriers?|obstacles?|challeng(?:e|es|ing)|hurdles?|difficult(?:y|ies)?|harder|downsides?|drawbacks?"
    r"|pitfalls?|dangers?|risks?|constrain(?:t|ts|ed|ing)|imped(?:e|es|ed|ing|iment)|hinder(?:s|ed|ing)?"
    r"|prevent(?:s|ed|ing)?|hold(?:s|ing)? back|held back|lack(?:s|ing|ed)?|not (?:easy|enough)|insufficient"
    r"|frustrat(?:ed|ing|ion|ions)|struggl(?:e|es|ed|ing)|undermin(?:e|es|ed|ing)|protectionism|mistrust|distrust"
    r"|reluctan(?:t|ce)|resist(?:s|ed|ing|ance)?|fear(?:s|ful)?|burnout|isolat(?:ed|ion))\b",
    re.I,
)


def asks_obstacles(question: str) -> bool:
    """Does the question ask what stands in the way of something (barriers, what stops or hinders it)?"""
    return bool(_OBSTACLES_Q.search(question))


def states_obstacle(sentence: str) -> bool:
    """Does the sentence name something standing in the way (a barrier, a lack, a risk, resistance)?"""
    return bool(_OBSTACLE.search(sentence))


_COUNTS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
# a question asking for a list by its length: "what four contributions did ...?", "which six areas of practice ...",
# "list the three capabilities ...", "what are the two different starting positions ...?" (not "how were the three
# STPs chosen?", which names what it asks about by its number)
_COUNTED_LIST_Q = re.compile(
    r"\b(?:what|which|list|name|give|identify|outline|summari[sz]e)\s+(?:(?:are|were|is|was)\s+)?"
    rf"(?:(?:the|its|their|his|her)\s+)?({'|'.join(_COUNTS)}|\d{{1,2}})\s+(?:[\w'’-]+\s+){{0,3}}?([A-Za-z][\w-]*s)\b",
    re.I,
)
# the papers themselves counted ("what do the four papers say ...?") are not a list the papers set out
_THE_PAPERS_COUNTED = frozenset({"paper", "studi", "report", "articl", "author", "document"})
_ANNOUNCED_WORDS = 4  # a count stands this many words or fewer before what it counts ("four emerging themes")


def asked_count(question: str) -> tuple[str, str] | None:
    """The length and the stemmed noun of the list a question asks for by its length: ("4", "contribut") for "What
    four contributions did Waring and colleagues find?"; None when it asks for none."""
    m = _COUNTED_LIST_Q.search(question)
    if not m:
        return None
    noun = tokenize(m.group(2))
    if not noun or noun[0] in _THE_PAPERS_COUNTED:
        return None
    number = m.group(1).lower()
    return (str(_COUNTS.index(number) + 2) if number in _COUNTS else number), noun[0]


# what points back to a list set out elsewhere ("the six leadership practices set out in this section", "performs
# worst among four methods", "the first four phases"), unless the list follows ("on the three dimensions: fluency,
# ...")
_POINTS_BACK = frozenset(
    {"the", "these", "those", "its", "their", "our", "all", "among", "of", "first", "last", "other"}
)
_LIST_FOLLOWS = re.compile(r"^\s*(?:[:—–]|-\s|namely\b)", re.I)


def announces_count(sentence: str, count: tuple[str, str]) -> bool:
    """Does the sentence announce the list asked for by its length ("Findings ... revealed four emerging themes: (1)
    ...", "VESPA has five major phases")? Its number stands a few words before the noun, and introduces the list
    rather than pointing back to it."""
    number, noun = count
    spelled = _COUNTS[int(number) - 2] if 2 <= int(number) <= len(_COUNTS) + 1 else number
    words = list(re.finditer(r"[\w'’-]+", sentence))
    for i, word in enumerate(words):
        if word.group().lower() not in (number, spelled):
            continue
        after = words[i + 1 : i + 1 + _ANNOUNCED_WORDS]
        at = next((w for w in after if noun in tokenize(w.group())), None)
        if at is None:
            continue
        before = words[i - 1].group().lower() if i else ""
        if before not in _POINTS_BACK or _LIST_FOLLOWS.match(sentence[at.end() :]):
            return True
    return False


# words the question quotes ("what does the report mean by 'transactional costs'?", "what doctors 'can do' is not
# what they 'will do'"): between quotation marks, after a space or a bracket and before punctuation or a space
_QUOTED = re.compile(r"""(?:^|(?<=[\s(]))['‘"“]([^'’"”]{2,80}?)['’"”](?=[\s,.?!;:)]|$)""")


def quoted_phrases(question: str) -> list[str]:
    """The phrases the question quotes, normalised for finding them in a sentence (see quotes_any)."""
    return [plain_words(m.group(1)) for m in _QUOTED.finditer(question) if plain_words(m.group(1))]


def quotes_any(sentence: str, phrases: Sequence[str]) -> bool:
    """Does the sentence hold one of the phrases, as words (case, quotation marks and hyphens aside)?"""
    text = f" {plain_words(sentence)} "
    return any(f" {p} " in text for p in phrases)


def asks_source(question: str) -> bool:
    """Does the question ask what a claim rests on ("what's the source for that?", "who do they cite for ...?"),
    not about a paper itself ("how do I cite it?")?"""
    return bool(_SOURCE_Q.search(question))


def expected_kind(question: str) -> str | None:
    """share | money | age | duration | identifier | source | amount | count | name, or None when no typed value is
    asked for."""
    for kind, pattern in (
        ("share", _SHARE_Q),
        ("money", _MONEY_Q),
        ("age", _AGE_Q),
        ("duration", _DURATION_Q),
        ("identifier", _IDENTIFIER_Q),
        ("source", _SOURCE_Q),
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
SOURCE_DEPTH = 3  # a claim's source is cited in one of this many best sentences, or the evidence gives none
# A count's number stands this many words or fewer before what it counts ("25 clinical leaders participated in
# semi-structured interviews" counts interviews).
COUNT_WINDOW = 8
# "... according to the King's Fund report": where the answer should come from, not what was counted
_ATTRIBUTION = re.compile(r"\b(?:according to|as reported (?:by|in))\b.*$", re.I)
# no count: a label's number ("(see Figure 4)", "Practice 4"), "one another", a year
_LABEL_BEFORE = re.compile(r"\(?[A-Z][a-z]*\.?")  # "Figure", "(Table", "Fig.", "Practice"
_REFERENCE_WORDS = {"figure", "fig.", "table", "section", "chapter", "appendix", "box", "(figure", "(table", "(fig."}
_NOT_COUNTED = {"another", "of"}
# what may stand between a number and what it counts, one per person: "a survey of more than 50 leaders"
_ABOUT = {"more", "fewer", "less", "than", "over", "under", "about", "around", "some", "nearly", "almost", "total"}
_PER_PERSON = {"with", "of", "involving", "among"}
_COUNTED_BY = re.compile(r"\bby\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s*)+(?:et al\.?|and (?:her |his )?colleagues)?")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_GENERIC_COUNTED = {"peopl", "person", "individu", "particip", "respond"}
# a study's sample is its people: "The sample consisted of four hospital consultants, four senior managers ..."
_SAMPLE = "sampl"
# a span of years counts them: "MEDLINE (1966 to November 2016)", "between 2018 and 2021", "2018-2019"
_YEAR_SPAN = re.compile(
    r"\b(?:1[89]|20)\d\d\s*(?:[-–—]|to|until|and)\s*(?:(?:early|mid|late|[A-Z][a-z]+)\s+)?(?:1[89]|20)\d\d\b"
)


def _no_count(words: Sequence[str], i: int, number: str) -> bool:
    """Is words[i] (`number`) a year, a number in a name, "one" of "one another", or a label's number?"""
    if _YEAR.fullmatch(number) or (i > 0 and number[:1].isupper()):
        return True
    if number.lower() == "one" and i + 1 < len(words) and words[i + 1].lower().strip(",.;:") in _NOT_COUNTED:
        return True
    # "(see Figure 4)", "Practice 4", "Table 2"
    return i > 0 and bool(_LABEL_BEFORE.fullmatch(words[i - 1])) and (i > 1 or words[i - 1].lower() in _REFERENCE_WORDS)


def _count_target(question: str, vocab: Vocabulary) -> tuple[set[str], bool]:
    """What the question counts ("NHS trusts"; an acronym also by its long form: "GPs" are counted as "general
    practitioners"), or for people in general what they did ("interviewed"); the flag says whether the number
    must stand right before the counted words."""
    m = _COUNT_Q.search(question)
    if not m:
        return set(), True
    # "How many people did Waring interview": what follows "did" is who counted, not what was counted.
    counted = re.split(r"\b(?:did|do|does)\b", m.group(1))[0]
    # "How many people took part ...": people in general are counted; what follows says what they did.
    words = counted.split()
    generic = next((i for i, w in enumerate(words) if set(tokenize(w)) & _GENERIC_COUNTED), None)
    counted = " ".join(words[:generic]) if generic is not None else counted
    target = set(tokenize(counted))
    for word in counted.split():
        long_form = vocab.acronyms.get(singular_acronym(word.strip(",.?")))
        if long_form:
            target |= set(tokenize(long_form))
    if not target:
        # (what they did may begin among the words read for what was counted: "How many participants | were
        # interviewed by Aufegger?"; who did the counting is not what they did: "by Aufegger")
        after = " ".join(words[generic + 1 :]) if generic is not None else ""
        rest = _COUNTED_BY.sub(" ", _ATTRIBUTION.sub("", f"{after} {question[m.end() :]}"))
        did = set(tokenize(rest)) - set(vocab.common) - {"mani", "much"}
        return (did | {_SAMPLE} if did else did), False
    return target, True


def count_predicate(question: str) -> frozenset[str]:
    """What a question asking for a count of named things says of them ("How many STPs | were studied by the
    team?" -> studi, team): the stemmed words after what it counts, without those naming it again; none for a
    question counting people in general, whose count `holds_kind` already ties to what they did."""
    m = _COUNT_Q.search(question)
    if not m:
        return frozenset()
    if not _count_target(question, Vocabulary())[1]:
        return frozenset()
    # (what it counts runs up to its verb: "STPs | were studied", "meetings | did ... observe")
    parts = _COUNT_VERB.split(_ATTRIBUTION.sub("", question[m.start(1) :]), maxsplit=1)
    counted, said = (parts[0], parts[1]) if len(parts) > 1 else (m.group(1), question[m.end() :])
    return frozenset(tokenize(said)) - frozenset(tokenize(counted)) - {"mani", "much"}


# A count given as the whole of what it counts: "All 25 clinical leaders ...", "In total, 25 ...", "a total of 1015
# patients", "72 participants in all" (not a part of them: "Five clinical leaders participated in follow-up ...").
_TOTAL = re.compile(
    rf"\b(?:all|in total|a total of|altogether|overall)\W{{1,3}}(?:of\s+(?:the|these|those)\s+)?{_NUM}\b"
    rf"|\b{_NUM}(?:\s+[\w-]+){{1,4}}\s+(?:in all|in total|altogether)\b",
    re.I,
)


def states_total(sentence: str) -> bool:
    """Does the sentence give a count as the whole of what it counts (see _TOTAL)?"""
    return bool(_TOTAL.search(sentence))


# a number of persons: "Eight young healthy subjects", "15 senior leaders" (see section_roles.PEOPLE)
_PERSONS_COUNTED = re.compile(rf"\b{_NUM}\b(?:[\s,]+[\w()±.-]+){{0,3}}?[\s,]+{PEOPLE}", re.I)


def counts_people_in_general(question: str) -> bool:
    """Does the question count people in general ("how many people took part in the experiment?", "How many
    participants were interviewed?"), by what they did rather than by a word for them (see _count_target)?"""
    return _COUNT_Q.search(question) is not None and not _count_target(question, Vocabulary())[1]


def counts_persons(sentence: str) -> bool:
    """Does the sentence count persons: a number with a person's noun a few words after it ("Eight young healthy
    subjects (27.4 ± 2.6 years old) participated ...", not "180 different FES stimulation patterns could be
    studied")?"""
    return bool(_PERSONS_COUNTED.search(sentence))


# one item of a list named by its place: "ng's first recommendation", "the third practice", "its last theme"
_ONE_ITEM = re.compile(
    r"\b(?:the|its|their|her|his|[\w’-]+['’]s)\s+"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final)\s+[a-z][\w-]*",
    re.I,
)


def asks_one_item(question: str) -> bool:
    """Does the question ask about one item of a list, named by its place ("ng's first recommendation is about
    teamwork - what ingredients does it list?")?"""
    return bool(_ONE_ITEM.search(question))


_COUNT_VERB = re.compile(r"\b(?:were|was|are|is|did|do|does|have|has|had)\b", re.I)


@dataclass(frozen=True)
class Vocabulary:
    """What the corpus says about its words: its everyday (stemmed) terms, the words it also writes in lower
    case (so a capitalised 'Formations' glued from a table is no name), and the acronyms it defines."""

    common: Collection[str] = ()
    setting: Collection[str] = ()  # terms most papers use ("England" in papers on the NHS): where, not which
    published: Collection[str] = ()  # the words of the papers' venues and publishers ("King's Fund")
    lower_words: Collection[str] = ()
    acronyms: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def lower_stems(self) -> frozenset[str]:
        return frozenset(tokenize(" ".join(self.lower_words)))

    def everyday(self, word: str) -> bool:
        """'Facilitating' (the corpus writes 'facilitate') or 'GP' (general practitioner): no proper name."""
        long_form = self.acronyms.get(singular_acronym(word))
        if long_form:
            return all(w in self.lower_words for w in long_form.split())
        return word.lower() in self.lower_words or set(tokenize(word)) <= self.lower_stems


def singular_acronym(word: str) -> str:
    """'ICSs' -> 'ICS'; any other word as it is."""
    return word[:-1] if word.endswith("s") and word[:-1].isupper() else word


# "Which organisation published the report?", "which journal did it come out in?"
_PUBLISHER_Q = re.compile(rf"\bpublish(?:ed|es|er|ing)?\b|\bjournal\b|\b{CAME_OUT}\b", re.I)
_CALENDAR = frozenset(
    [m.lower() for m in MONTHS] + ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)


def _names_the_asked_category(word: str, question: str, asked: set[str], vocab: Vocabulary) -> bool:
    """'ICS' or 'ICSs' in evidence for 'which integrated care system ...' is the category, not a name."""
    bare = singular_acronym(word)
    if bare.lower() in question.lower().split() or bare.lower() + "s" in question.lower().split():
        return True
    long_form = vocab.acronyms.get(bare)
    return long_form is not None and set(tokenize(long_form)) <= asked


# "Which NHS trust ...?", "which hospitals ...?": answered by a name that says it is one ("... NHS Foundation Trust",
# "Kamuzu Central Hospital"), not by any organisation's ("Care Quality Commission")
_TRUST_ASKED = re.compile(r"\b(?:which|what) (?:nhs )?(?:trusts?|hospitals?)\b", re.I)
_TRUST_NAMED = re.compile(r"\b(?:Trusts?|Hospitals?|Infirmary|Foundation)\b")
# "Which organisations made them up?" may be answered by the kinds they were: "These partnerships comprised NHS
# trusts, local authorities and clinical commissioning groups."
_KINDS_ASKED = re.compile(r"\bwhich (?:[\w-]+ )?(?:organi[sz]ations|bodies|agencies|sectors|services|partners)\b", re.I)
_LISTS_KINDS = re.compile(
    r"\b(?:comprised?|comprising|consist(?:s|ed|ing)? of|made up of|drawn from|includ(?:e|es|ed|ing)|such as)\b"
    r"[^.;]*?,[^.;]*?\b(?:and|or)\b",
    re.I,
)
_ORGANISATION_KIND = re.compile(
    r"\b(?:trusts?|authorit(?:y|ies)|organi[sz]ations?|providers?|councils?|commissioners?|bodies|charit(?:y|ies)|"
    r"agenc(?:y|ies)|groups?|sectors?|partnerships?|boards?|hospitals?|practices|networks?|services|universit(?:y|ies))\b",
    re.I,
)


def _lists_kinds(question: str, sentence: str) -> bool:
    """Does the sentence list the kinds of what a "which organisations ...?" question asks for ("comprised NHS
    trusts, local authorities and clinical commissioning groups": two kinds of organisation at least, listed)?"""
    listed = _LISTS_KINDS.search(sentence) if _KINDS_ASKED.search(question) else None
    return listed is not None and len(_ORGANISATION_KIND.findall(sentence[listed.start() :])) >= 2


# "which organisation did they recruit through?": one organisation, named by what it is ("via the ICS management
# office", "by the research and ethics committee"), not "various organisations"
_BODY_ASKED = re.compile(r"\bwhich (?:[\w-]+ )?(?:organi[sz]ation|body|office|committee|agency|department)\b", re.I)
_NAMED_BODY = re.compile(
    r"\b(?:via|through|by|from|with) the (?:[\w-]+ ){1,4}?(?:office|board|committee|department|council|authority|"
    r"unit|centre|center|agency|secretariat|directorate|institute|foundation|trust)\b",
    re.I,
)


def _names_body(question: str, sentence: str) -> bool:
    """Does the sentence name the one organisation a "which organisation ...?" question asks for by what it is?"""
    return bool(_BODY_ASKED.search(question)) and bool(_NAMED_BODY.search(sentence))


def _has_name(sentence: str, question: str, vocab: Vocabulary) -> bool:
    """A proper name in the sentence that the question does not already hold, that the corpus does not use
    everywhere (so 'NHS England' or 'ICS' do not count as naming the asked-for trust or region; nor does the
    country most of the papers are set in), that is not an everyday word capitalised and not a month or a day."""
    asked = set(tokenize(question))
    publisher_asked = bool(_PUBLISHER_Q.search(question))
    everywhere = set(vocab.common) | set(vocab.setting)
    sentence = CITATION.sub(" ", sentence)  # "(Eastwood 2021)" cites a source; it names no trust or region
    for run in _TITLE_LIST.findall(sentence):  # "Chairpersons, Managing Directors, Project Managers": job titles
        if any(vocab.everyday(w) for w in re.findall(r"\b[A-Z][\w'’-]*", run)):
            sentence = sentence.replace(run, " ")
    for m in PROPER_NAME.finditer(sentence):
        word = m.group(1)
        terms = set(tokenize(word))
        if not terms or terms & asked:
            continue
        if publisher_asked and terms <= set(vocab.published):
            return True  # a report's publisher is named all over it, yet names it
        if terms <= everywhere:
            continue
        if word.lower() in _CALENDAR:
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
        given = bool(_SHARE.search(sentence)) and (not of or bool(of & set(tokenize(sentence))))
        return (given and _says_what_share_did(question, sentence)) or _counts_a_share(question, sentence, vocab)
    if kind == "age":  # "age range: 35–50 years", "aged 40 to 55", "60 years old"
        return any(_is_age(sentence, m) for m in _DURATION.finditer(sentence)) or bool(_AGED.search(sentence))
    if kind == "duration":
        lengths = [m for m in _DURATION.finditer(sentence) if not _is_age(sentence, m)]
        # (or the stretch of time it took: "Data collection was carried out in June 2010.")
        return bool(lengths or _PERIOD.search(sentence)) and _about_timed(question, sentence)
    if kind == "money":
        return bool(_MONEY.search(sentence))
    if kind == "identifier":
        return bool(_IDENTIFIER.search(sentence))
    if kind == "source":  # a claim's source is the citation the sentence making it gives
        return bool(_CITED.search(sentence))
    if kind == "amount":  # a change's size: a share, a sum, "three times", "from 120 to 80"
        return bool(_SHARE.search(sentence) or _MONEY.search(sentence) or _CHANGE.search(sentence))
    if kind == "count":
        target, adjacent = _count_target(question, vocab)
        if "year" in target and _YEAR_SPAN.search(sentence):  # (and it is a span of what is asked about)
            said = set(tokenize(sentence))
            if not target - {"year"} or said & (target - {"year"}):
                return True
        # "a 10’000-iteration process": a number joined to what it counts is two words
        words = re.sub(r"(\d)-(?=[A-Za-z])", r"\1 ", sentence).split()
        for i, word in enumerate(words):
            number = word.strip("(),.;:")
            # (not a year, "In 2019, ...", nor a number in a name: "the Five Year Forward View introduced STPs", nor
            # "one another", nor a label's, where the question says what it counts: "how many are there?" takes any)
            if target and _no_count(words, i, number):
                continue
            if not adjacent and number.lower() == "one":  # (people in general: "as one interviewee noted" is
                continue  # someone, not how many)
            if NUMBER.fullmatch(number):
                near = set(tokenize(" ".join(words[i + 1 : i + 1 + COUNT_WINDOW] if adjacent else words)))
                if not target or near & target:
                    return True
                # ... or what it counts comes first, one per person counted: "interviews with 15 senior leaders",
                # "a survey of 50 leaders"
                j = i - 1
                while j > 0 and words[j].lower() in _ABOUT:  # ("a survey of more than 50 leaders")
                    j -= 1
                ahead = set(tokenize(" ".join(words[max(0, j - 3) : j])))
                if adjacent and j > 0 and words[j].lower() in _PER_PERSON and ahead & target:
                    return True
        return False
    if kind == "name":
        if _TRUST_ASKED.search(question) and not _TRUST_NAMED.search(sentence):
            return False  # a trust or a hospital is named as one: "Southport and Ormskirk Hospitals NHS Trust"
        named = _has_name(sentence, question, vocab)
        return named or _lists_kinds(question, sentence) or _names_body(question, sentence)
    return True


# "what share of | the survey respondents | worked in local government?": the part after the group, from its verb
_SHARE_OF = re.compile(r"\b(?:what|which)\s+(?:share|proportion|percentage|fraction|per\s?cent)\s+of\s+(.+)", re.I)
_LINKING = {"were", "was", "are", "is", "had", "have", "has", "did", "do", "does", "been", "be"}


@lru_cache(maxsize=256)
def _share_predicate(question: str) -> frozenset[str]:
    """What the share asked for did or was: the words from the first verb after its group ("... respondents | worked
    in local government" -> work, local, govern; "... leaders | were women" -> women), or none."""
    m = _SHARE_OF.search(question)
    if not m:
        return frozenset()
    from lemminflect import getAllLemmas  # its lexicon loads on first use

    words = re.findall(r"[A-Za-z][\w'’-]*", m.group(1))
    for i, word in enumerate(words):
        if i == 0:
            continue  # the group's first word ("the", "respondents")
        lowered = word.lower()
        readings = set(getAllLemmas(lowered))
        if lowered in _LINKING or ("VERB" in readings and not readings & {"NOUN", "ADJ", "PROPN"}):
            rest = words[i + 1 :] if lowered in _LINKING else words[i:]
            return frozenset(tokenize(" ".join(rest)))
    return frozenset()


def _says_what_share_did(question: str, sentence: str) -> bool:
    """Does a share in the sentence say what the question's share did: half of what it asks, at least ("what share
    of respondents worked in local government?" is not answered by "More than 50 per cent of our survey respondents
    felt that power was not being well shared ... in their local health and care system")?"""
    predicate = _share_predicate(question)
    if not predicate:
        return True
    have = set(tokenize(sentence))
    # (a word of the same family counts: the same first five letters, "clinicians" for "clinical")
    found = sum(1 for t in predicate if t in have or any(h[:5] == t[:5] for h in have if len(h) >= 5 and len(t) >= 5))
    return 2 * found >= len(predicate)


def _counts_a_share(question: str, sentence: str, vocab: Vocabulary) -> bool:
    """Does the sentence give the share as counts: the whole and a number right before what the share is of
    ("what proportion of the participants were GPs?": "Twenty participants were interviewed; 10 with a clinical
    background, including 9 general practitioners")?"""
    predicate = set(_share_predicate(question))
    asked = _SHARE_OF.search(question)
    if not predicate or asked is None:
        return False
    for word in re.findall(r"[A-Za-z][\w'’-]*", asked.group(1)):  # "GPs" are counted as "general practitioners"
        long_form = vocab.acronyms.get(singular_acronym(word))
        if long_form and set(tokenize(word)) & predicate:
            predicate |= set(tokenize(long_form))
    words = sentence.split()
    numbers = [i for i, w in enumerate(words) if NUMBER.fullmatch(w.strip("(),.;:"))]
    return len(numbers) >= 2 and any(set(tokenize(" ".join(words[i + 1 : i + 3]))) & predicate for i in numbers)


def _about_timed(question: str, sentence: str) -> bool:
    """Is a length the sentence states one of what the question times: does it name that ("Interviews lasted on
    average 1 hour" for "how long did each interview last?"), or point back to a sentence that may ("Each took 30
    minutes.")? "Leaders with at least 5 years in post were included" gives no interview's length."""
    m = _TIMED.search(question)
    timed = set(tokenize(m.group(1))) if m else set()
    if not timed or leans_back(sentence) or re.match(r"(?:each|all|most|both)\b", sentence.strip(), re.I):
        return True
    return bool(timed & set(tokenize(sentence)))


def _is_age(sentence: str, found: re.Match[str]) -> bool:
    """Is this "N years" an age (of a person), not how long something took?"""
    if found.group(1).lower() not in ("year", "years"):
        return False
    return bool(_AGE_BEFORE.search(sentence[: found.start()]) or _AGE_AFTER.match(sentence[found.end() :]))


def missing_kind(question: str, sentences: Sequence[str], vocab: Vocabulary = Vocabulary()) -> str | None:
    """The kind of value the question asks for when none of the sentences holds one, else None.

    The corpus's everyday terms (in a large share of passages) neither count as what a count is about nor
    as a name."""
    kind = expected_kind(question)
    if kind in ("name", "source"):  # names and citations are everywhere: only the very best evidence counts
        sentences = sentences[: NAME_DEPTH if kind == "name" else SOURCE_DEPTH]
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


# How a question asks: for a number, a date, or things of a kind
WHEN_Q = r"\bwhen(?: and (?:how|why|where|by whom))? (?:was|were|did|had)\b"
_NUMERIC_Q = re.compile(
    r"\b(how (?:many|much|long|often|old)|what (?:share|proportion|percentage|number|"
    r"fraction)|how large|what age|(?:average|mean|median) age|age range|what year|which year|what date)\b|" + WHEN_Q,
    re.I,
)
AUX = r"(?:do|does|did|is|are|was|were|has|have|had|can|could|should|would|will|might|may|must)"
# The thing a what/which question asks for, up to its verb or its end: "which | skills and behaviours | do ...",
# "what kinds of | organisations took part | ?"; none when that takes more than three words.
_ASKED_FOR = re.compile(
    rf"\b(?:what|which)\s+(?:(?:kinds?|types?|sorts?) of\s+|of the\s+)?"
    rf"((?:(?!{AUX}\b)[\w'-]+(?:\s+|(?=[?,.]|$))){{0,3}}?)(?={AUX}\b|[?,.]|$)",
    re.I,
)
# "what" or "which" and the word after it, before another word ("what themes came ...", not "what kind of ...")
_WHAT_NOUN = re.compile(r"\b(?:what|which)\s+([a-z][\w-]*)\s+(?!of\b)[a-z]", re.I)
_PLURAL = re.compile(r"\b(?:[a-z][\w-]*[^sui'\W]s|[A-Z]{2,}s)\b")  # skills, professions, STPs; not analysis, focus
_MANY_Q = re.compile(
    r"\b(?:what|which) (?:are|were) the [\w-]*[^sui'\W]s\b|\bin what ways\b|\b(?:list|name|summari[sz]e|outline)\b"
    r"|\bgive me\b|\bexamples\b",
    re.I,
)


def question_kind(question: str) -> str:
    """What the question asks for: "numeric" (how many, what share, when ...), "list" (which skills ..., list ...,
    in what ways ...) or "other"."""
    if _NUMERIC_Q.search(question):
        return "numeric"
    m = _ASKED_FOR.search(question)
    if _MANY_Q.search(question) or (m and _PLURAL.search(m.group(1))):
        return "list"
    # "what themes came out of the interviews?": a plural noun the verb follows (not one that may be a verb,
    # "what happens", "what needs")
    m = _WHAT_NOUN.search(question)
    if m and _PLURAL.fullmatch(m.group(1)) and plural_noun(m.group(1)):
        return "list"
    return "other"
