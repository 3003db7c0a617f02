"""Whether the papers cover what a question names: a name no paper writes ("Medical Engagement Scale", "GPT-4"),
a word no paper uses that carries the question's meaning ("mortality"), a group whose views it asks for that no
paper heard from ("what did social workers say ...?"); and what is no sign of a gap (a verb, a typing slip)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence

from rag.answer_types import PROPER_NAME, singular_acronym
from rag.lexical import STOPWORDS, tokenize
from rag.lexicon import english_word, read_in_pieces
from rag.section_roles import ALL_DECLARATIONS, BACK_MATTER, LAYOUT, ROLES, asked_roles


def unknown_names(question: str, vocabulary: Collection[str], cased: Collection[str] | None = None) -> list[str]:
    """Capitalised names in the question (not its first word) that no passage of the corpus contains. Given
    `cased` (lowercased, the corpus's words written with a capital after their first letter, "nhs", "pubmed", and
    its capitalised words inside a sentence, "ensembl"), a name so written ("ReAct", "IT") must be one of them: the
    papers' "react" or "it" is another word."""
    names = []
    known = set(vocabulary)
    words = question.split()
    shouting = sum(w.isupper() for w in words) > len(words) / 2  # (a question in capitals spells no names)
    for m in PROPER_NAME.finditer(question.strip()):
        word = m.group(1)
        if m.start() == 0 or word.lower() in {"i", "nhs"}:
            continue
        if not (set(tokenize(word)) <= known or set(tokenize(singular_acronym(word))) <= known):  # "GPs": "GP"
            names.append(word)
        elif cased is not None and not shouting and any(ch.isupper() for ch in word[1:]):
            if NUMBERED_NAME.match(question, m.start()):
                continue  # ("GPT-4" is looked up whole, below)
            forms = (word.lower(), singular_acronym(word).lower(), f"{word.lower()}s")  # ("ICS", written "ICSs")
            if not any(form in cased for form in forms):
                names.append(word)
    return names


# Capitalised words in a row, joined by "of", "for" or "the" ("Department of Health"); "and", "in", "on" or a
# possessive ("ReAct's Wikipedia API") stands between two names ("ReAct on Fever", "ICSs in England").
_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|the)\s+)?[A-Z][\w'’-]*)+")
# a name with a number in it: "GPT-4", "COVID-19", "PaLM-540B", or run together, "ELI5", "Core20PLUS5"
NUMBERED_NAME = re.compile(r"\b[A-Z][A-Za-z]*-\d+(?:\.\d+)*[A-Za-z]*\b|\b[A-Z][A-Za-z]+\d+[A-Za-z\d]*\b")
_LETTERS_FROM_DIGITS = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
COMPOUND_GAP = 2  # most words between two parts of a hyphenated word for the papers to write it
PHRASE_WORDS = 4  # most words of a phrase named as not mentioned
KIN_PREFIX = 5  # letters a stem shares with another of its family, at least
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
    # A name with a version or size ("GPT-4", "PaLM-540B", "COVID-19", "Core20PLUS5") names one thing: the corpus
    # must write it whole; that it writes "GPT-3.5" and "4" elsewhere says nothing of "GPT-4".
    unknown = [
        m.group()
        for m in NUMBERED_NAME.finditer(question)
        # (run together or not: "COVID19" is the papers' "Covid-19")
        if plain_text(m.group()) not in text and plain_text(_LETTERS_FROM_DIGITS.sub(" ", m.group())) not in text
    ]
    for m in _NAME_RUN.finditer(question):
        run = m.group().split()
        if m.start() == 0 or re.search(r"[.?!]\s*$", question[: m.start()]):
            run = run[1:]  # the first word of a sentence is capitalised whatever it is
        parts: list[list[str]] = [[]]
        for word in run:
            bare = singular_acronym(word.strip("'’"))
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


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z](?:-\d+(?:\.\d+)*[A-Za-z]?\b)?")  # ... and a numbered name: "GPT-3.5"


_CONTRACTION = re.compile(r"n['’]t$|['’](?:re|ve|ll|d|m)$", re.I)  # "isn't", "they'll": function words


def absent_terms(question: str, vocabulary: Collection[str], text: str | None = None) -> list[str]:
    """Words of the question (four letters or more, not function words) that no passage uses in any form: the
    stemmed word, its British spelling ("organization" -> "organisation") and each part of a hyphenated word are
    looked up in `vocabulary` (stemmed terms). Given `text` (the corpus as `plain_text`), a hyphenated word whose
    parts the papers use, but never together or run into one word, is absent too ("well-led", "data-sharing")."""
    known = set(vocabulary)
    out: list[str] = []
    for m in _WORD.finditer(question):
        word = re.sub(r"['’]s$", "", m.group()).strip("'’")  # ("kotter's model": the name is "kotter")
        if len(word) < 4 or word.lower() in (w.lower() for w in out) or _CONTRACTION.search(word):
            continue  # (a contraction is a function word, whether or not the papers write it)
        forms = [word, re.sub(r"iz(e|ing|ation|ed|es)", r"is\1", word), re.sub(r"or(s?)\b", r"our\1", word)]
        forms.append(singular_acronym(word))  # ("ICSs": a paper writing "the ICS" mentions them)
        stems = [tokenize(f) for f in forms]
        if not stems[0] or ("-" in word and set(tokenize(word.replace("-", ""))) <= known):
            continue  # (a hyphenated word the papers write as one: "coproduction" for "co-production")
        known_parts = any(s and set(s) <= known for s in stems)
        if known_parts and (text is None or "-" not in word or len(stems[0]) < 2 or _written(stems[0], text)):
            continue
        acronym = singular_acronym(word).isupper()
        out.append(word.lower() if m.start() == 0 and not acronym else word)  # a name keeps its capitals
    return out


def _written(stems: Sequence[str], text: str) -> bool:
    """Do the papers write a hyphenated word's parts together, each next to the one after it in either order and
    up to COMPOUND_GAP words apart ("decision making", "taking risks" for "risk-taking", "a clinician, finance
    manager" for "clinician-manager-finance")?"""
    gap = rf" (?:[^ |]+ ){{0,{COMPOUND_GAP}}}"
    return all(
        re.search(rf" {re.escape(a)}{gap}{re.escape(b)} | {re.escape(b)}{gap}{re.escape(a)} ", text)
        for a, b in itertools.pairwise(stems)
    )


def absent_runs(question: str, absent: Sequence[str]) -> list[str]:
    """The absent words as the phrases they stand in: words next to each other in the question (a space or a
    hyphen between them) are one thing the papers do not mention ("ethnic minority"), and taking the phrase out
    moves the question more than taking out either word."""
    spans = []
    for word in absent:
        m = re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’])", question, re.I)
        spans.append((m.start(), m.end(), word) if m else (-1, -1, word))
    runs: list[tuple[int, int, list[str]]] = []
    for start, end, word in sorted(spans):
        if runs and start >= 0 and re.fullmatch(r"[\s-]+", question[runs[-1][1] : start]):
            runs[-1] = (runs[-1][0], end, [*runs[-1][2], word])
        else:
            runs.append((start, end, [word]))
    out = []
    for start, end, words in runs:
        phrase = question[start:end] if len(words) > 1 else words[0]
        out.append(phrase[0].lower() + phrase[1:] if start == 0 and len(words) > 1 else phrase)
    return out


_WH = re.compile(r"\b(?:what|who|which)\s+(\S+)", re.I)
_COMMAND = re.compile(r"\s*(?:(?:please|now|so|ok|okay),?\s+)?(\w+)", re.I)  # the first word: "Walk me through ..."
# An -ing form after a preposition, a determiner, or a verb taking a thing as its object is a noun: "about
# mentoring", "any coaching", "recommend shadowing" (and so is one after "or"/"and" and such a noun, "mentoring or
# reverse mentoring", as each occurrence is tried).
_GERUND_SLOT = re.compile(
    r"\b(?:about|on|of|for|in|into|with|without|by|through|from|any|some|no|the|their|its|or|and|"
    r"(?:recommend|suggest|mention|discuss|use|include|describe|cover|support|propose|advocate|need|report|"
    r"evaluate|assess|study|compare|offer|provide|involve|consider|encourage)(?:s|ed|d)?)\s+(?:\w+\s+)??(\w+ing)\b",
    re.I,
)
# A word after a modal, an infinitive "to" or do-support is a verb, right after it or after its subject of a word
# or two: "can't sign", "to sign", "did they sign", "can a leader miss"
_VERB_SLOT = re.compile(
    r"\bto\s+(\S+)|\b(?:can(?:'t|not)?|could(?:n't)?|will|won't|would(?:n't)?|should(?:n't)?|must|may|might|"
    r"do(?:n't)?|does(?:n't)?|did(?:n't)?)\s+(?=(\S+))"
    r"(?:(?:(?:they|we|you|he|she|it|i)\b|(?:(?:the|a|an|their|its|our|your|my|this|that|these|those)\s+)?"
    r"(?:[\w-]+['’]s?\s+)?[\w-]+)\s+(\w+))?",  # (after a possessive, its noun: "did the King's Fund check ...")
    re.I,
)

# ... and so is a participle after a form of "be" and before a preposition, as a passive has it: "How many STPs
# were studied by Waring and colleagues?"
_PASSIVE_SLOT = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(\w+(?:ed|en))\s+(?:by|in|at|for|from|with|during|across"
    r"|between|over|as|to|within|through)\b",
    re.I,
)


def acts_as_verb(word: str, question: str) -> bool:
    """Is the word a verb in the question: a form English uses only as a verb ("exercised", "engaging"), or
    one that is also a noun standing right after a question word ("what stops ...", "who leads ...") or opening
    the question as a command ("Walk me through ...", "List the ...")? A verb says
    what happens, not what the question is about, so its absence from the papers is no sign of a missing topic.
    Word classes come from lemminflect's English lexicon."""
    from lemminflect import getAllLemmas  # its lexicon loads on first use

    readings = getAllLemmas(word) or getAllLemmas(word.lower())
    if "VERB" not in readings:
        return False
    if any(m.group(1).lower() == word.lower() for m in _GERUND_SLOT.finditer(question)):
        return False  # "do the papers recommend mentoring?": an -ing form as the object names a thing
    if not {"NOUN", "PROPN", "ADJ"} & set(readings):
        return True
    slots = [
        *_WH.finditer(question),
        *_VERB_SLOT.finditer(question.replace("’", "'")),
        *_PASSIVE_SLOT.finditer(question),
        _COMMAND.match(question),
    ]
    return any(g.strip("?,.").lower() == word.lower() for m in slots if m for g in m.groups() if g)


# "What did social workers in the ICSs say about ...?": whose words the question asks for
_SPEAKERS = re.compile(
    r"\b(?:what|how)\s+(?:did|do|does|have|has|had)\s+(?P<who>[\w'’ -]{3,80}?)\s+"
    r"(?:say|said|think|thought|feel|felt|report|reported|describe|described|tell|told|want|wanted|believe|believed|"
    r"make of|contribute|contributed|bring|brought|offer|offered|add|added|achieve|achieved|propose|proposed|"
    r"suggest|suggested|recommend|recommended|experience|experienced|perceive|perceived|view|viewed|value|valued|"
    r"expect|expected|prefer|preferred|learn|learned|learnt|gain|gained)\b",
    re.I,
)
_NOT_SPEAKERS = {"the papers", "the paper", "the authors", "the author", "they", "it", "these", "this", "those"}
# words that make the span a clause ("How does the programme feed into ..."), not a group of people
_CLAUSE_WORDS = {
    *("into", "why", "how", "what", "when", "where", "which", "that", "who", "do", "does", "did", "is", "are"),
    *("was", "were", "to", "for", "with", "about", "on", "by"),
    # ... or a subject and a modal: "what does the wrap-up claim they will achieve?"
    *("they", "we", "it", "he", "she", "you", "will", "would", "can", "could", "should", "shall", "may", "might"),
    "must",
}
# words after which a group is narrowed by place or post, not named: the group of "clinicians in management posts"
# is "clinicians", whom the papers heard from in "managerial roles"
_NARROWING = {"in", "at", "from", "among", "amongst", "within", "across", "on", "with", "inside", "outside", "under"}
_PHRASE_WORDS = {
    *("the", "a", "an", "and", "or", "in", "of", "at", "from", "these", "those", "their", "its", "among", "amongst"),
    *("within", "across", "on", "for", "with", "by", "to", "who", "that", "working", "based"),
}


def speakers(question: str) -> list[str]:
    """The words naming whose views or doings the question asks for ("What did junior doctors and trainees say
    ...?": junior, doctors, and, trainees; "what did the physiotherapists contribute?"), up to what narrows them by
    place or post ("clinicians in management posts": clinicians), or none. The papers can only
    report what people they studied said or did: a word here that no paper uses is a group the papers never heard
    from, however little it moves the question."""
    m = _SPEAKERS.search(question)
    if not m:
        return []
    who = m.group("who").strip()
    words = who.split()
    if any(re.match(rf"{re.escape(s)}\b", who.lower()) for s in _NOT_SPEAKERS) or any(
        w.lower() in _CLAUSE_WORDS for w in words
    ):
        return []
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _NARROWING), len(words))
    return words[:cut]


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


def superlative(word: str) -> bool:
    """Is the word an adjective's superlative ("largest", "earliest", "best")? "Which paper has the largest sample?"
    asks the answer to set the papers' figures side by side; no paper need write the word."""
    from lemminflect import getAllLemmas  # its lexicon loads on first use

    w = word.lower()
    lemmas = getAllLemmas(w).get("ADJ", ())
    return (w.endswith("est") or w in {"best", "worst", "most", "least"}) and any(lemma != w for lemma in lemmas)


def misspelt(word: str, words: Collection[str]) -> bool:
    """Is the word one letter away (one added, dropped, changed or two swapped) from a word the corpus uses
    ("databses": "databases")? Then it is a typing slip, not a topic the papers leave out."""
    from lemminflect import getAllLemmas  # its lexicon loads on first use
    from rapidfuzz.distance import OSA  # optimal string alignment: Levenshtein plus a swap of two neighbours

    w = word.lower()
    if len(w) < 6 or w in words:  # a word the corpus uses as it is spelt is no slip (one paper may lack it)
        return False
    if getAllLemmas(w):  # an English word ("ethnic", one letter from "ethic") is no slip either
        return False
    return any(abs(len(known) - len(w)) <= 1 and OSA.distance(w, known, score_cutoff=1) == 1 for known in words)


_AUTHORS = re.compile(r"\b(?:colleagues|co-?authors|co-?workers|collaborators|authors?|researchers|team)\b", re.I)
# The words asking for a kind of value, which a paper gives as the value itself ("what percentage of the
# interviewees were clinicians?": "a third of the interviewees held senior clinical leadership roles")
_VALUE_ASKED = re.compile(
    r"\b(?:what|which|the|a|its|their)\s+((?:(?:sample|group|team|overall|total|average|typical)\s+)?"
    r"(?:percentage|per\s?cent|proportion|share|fraction|ratio|number|size|count|total|amount|figure)s?)\b"
    r"|\b((?:sample|group|team)\s+sizes?)\b",
    re.I,
)
# The noun asking for a kind of thing: "which leadership style does Ng recommend?" is answered by "transformational
# leadership", in a paper that never says "style"
_KIND_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:[\w-]+\s+){0,2}?(style|type|kind|sort|form|model|approach|variety)s?\s+of\b"
    r"|\b(?:what|which)\s+(?:[\w-]+\s+){0,2}?(style|type|kind|sort|variety)s?\b",
    re.I,
)
# The noun asking for the members of a class, which a paper names without naming the class: "what evaluation metrics
# did Dinu use?" is answered by "generation accuracy" and "median rank", "which baselines ...?" by the measures
# compared against, in papers that never say "metrics" or "baselines"
_CLASS_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:[\w-]+\s+){0,2}?(metrics?|measures?|baselines?|benchmarks?|datasets?|data\s+sets?"
    r"|techniques?|tools?|instruments?|indicators?|criteria|criterion|variables?|categories|dimensions?"
    r"|components?|elements?)\b",
    re.I,
)

# The parts of a document a question points into ("in their final paragraph", "a diagram I can reuse", "on page
# 4", "the supplementary files"): where to look, not what is asked about, so a paper that never says "diagram" or
# "paragraph" is no sign of a gap
_DOCUMENT_PART = re.compile(
    r"\b(?:supplementary|supplemental|additional|online)\s+(?:files?|materials?|data|information)\b"
    r"|\b(?:paragraph|page|diagram|figure|illustration|chart|graph|graphic|infographic|image|picture|table|box"
    r"|appendix|appendices|annex|footnote|endnote|caption|chapter|section|subsection|sub-section|heading"
    r"|passage|sentence|excerpt|quotation|slide|supplement|supplementary|supplemental|attachment)(?:e?s)?\b",
    re.I,
)


def class_words(question: str) -> list[str]:
    """The nouns asking for the members of a kind or class ("which leadership style ...?", "what evaluation metrics
    ...?"), as the question writes them."""
    spans = [m.group(1) or m.group(2) for m in _KIND_ASKED.finditer(question)]
    return spans + [m.group(1) for m in _CLASS_ASKED.finditer(question)]


def framing_words(question: str) -> set[str]:
    """Words that frame what is asked rather than name it: "how long", "how much", "what percentage", "sample
    size"; the words asking for a part of a paper ("ethics approval", "what weaknesses do they admit?"), which a
    paper states in words of its own ("approved by the research committee") or under a heading of its own
    ("Limitations"); the words for a paper's authors ("Gao and colleagues", "the authors"); the words for a part of
    a document ("in their final paragraph", "which diagrams ..."); where the asker works ("in my own patch")."""
    spans = [m.group(1) for m in re.finditer(r"\bhow\s+(\w+)", question, re.I)]
    spans += [m.group() for m in _AUTHORS.finditer(question)]
    spans += [m.group(1) or m.group(2) for m in _VALUE_ASKED.finditer(question)]
    spans += class_words(question)
    spans += [m.group() for m in LAYOUT.finditer(question)]
    spans += [m.group() for m in _DOCUMENT_PART.finditer(question)]
    spans += [m.group() for m in ALL_DECLARATIONS.finditer(question)]
    spans += [m.group(1) for m in _ASKERS_OWN.finditer(question)]
    for role in asked_roles(question):
        asked = BACK_MATTER[role][0] if role in BACK_MATTER else ROLES[role][0]
        # (not a name the span takes in: "where did the ReAct paper appear?")
        spans += [_NAMES_IN.sub(" ", m.group()) for m in asked.finditer(question)]
    return {w.lower() for span in spans for w in re.findall(r"[\w-]+", span)}


# "how long", "how often": the measure asked for, which a sentence gives as a value ("lasted on average 1 hour"), not
# as the word ("a long history of calls to integrate ...", "the oldest person there"); ("how many", "how much" and
# "how large" left as they were: taking them out moved as many answers one way as the other, on the starter files)
_MEASURE_ASKED = re.compile(r"\bhow\s+(long|often|old|far|soon)\b", re.I)


# "how do the papers differ on ...?", "compare the studies", "do the papers agree that ...?": the papers are set side
# by side, each saying its own (not "how do STPs differ from ICSs?", where a sentence saying "unlike" answers)
_PAPERS = r"(?:the|these|both|all|those)\s+(?:[\w'’-]+\s+)?(?:papers|studies|reports|articles|authors|sources)"
_PAPERS_COMPARED = re.compile(
    rf"\b(compare|contrast)\s+(?:what\s+)?{_PAPERS}\b"
    rf"|\b(?:do|does|did)\s+{_PAPERS}\s+(?:\w+\s+)?(agree|disagree|differ|compare|contrast|vary)\b"
    rf"|\b(?:how|where|in what ways?)\s+(?:do|does|did)\s+{_PAPERS}\s+(differ|compare|agree|disagree|vary|contrast)\b",
    re.I,
)


def asking_words(question: str) -> set[str]:
    """The words asking for a measure ("how long did the interviews last?", "how often ..."), which a sentence
    answers with a value ("lasted on average 1 hour"), not by using the word ("a long history of calls ..."), and the
    words setting the papers side by side ("how do the papers differ on the role of clinicians?"), which each paper
    answers in its own words, not by saying "differences": no topic to match."""
    words = {m.group(1).lower() for m in _MEASURE_ASKED.finditer(question)}
    return words | {w.lower() for m in _PAPERS_COMPARED.finditer(question) for w in m.groups() if w}


# where the asker works, which is not what they ask about: "if I wanted to repeat Ng's study in my own patch"
_ASKERS_OWN = re.compile(r"\b(?:in|at|across|within|for|around) (?:my|our)(?: own)? ([\w-]+)", re.I)
_NAMES_IN = re.compile(r"(?<=\s)[A-Z][\w'’-]*")  # capitalised words after the first


def kin_in(word: str, vocabulary: Collection[str]) -> bool:
    """Does the vocabulary hold a word of the same family: a stem sharing all but the last two letters of the word's
    (at least KIN_PREFIX of them)?"""
    stems = tokenize(word)
    if not stems:
        return False
    stem = stems[0]
    k = max(KIN_PREFIX, len(stem) - 2)
    return len(stem) >= KIN_PREFIX and any(t[:k] == stem[:k] for t in vocabulary if len(t) >= k)


def phrase_from(word: str, question: str) -> str:
    """The word with the words it leads in the question when it is a modifier ("integrated" -> "integrated care
    systems"; "Fuller" -> "Fuller stocktake"), up to a function word: what a reader would say the paper does not
    mention."""
    if not (word[:1].isupper() or re.search(r"(?:ed|al|ic|ive|ous|ary|ful)$", word)):
        return word
    m = re.search(rf"\b{re.escape(word)}((?:\s+[A-Za-z][\w-]*){{0,{PHRASE_WORDS - 1}}})", question)
    if not m:
        return word
    kept = [word]
    for w in m.group(1).split():
        if w.lower() in STOPWORDS:
            break
        kept.append(w)
    return " ".join(kept)


def unread_name(phrase: str) -> bool:
    """Is the phrase one word, no English word and not hyphenated, that the embedding model reads only in pieces
    ("ockenden", "nvivo"; not "onto", "versa" or "storytelling", which it knows whole)?"""
    return " " not in phrase and "-" not in phrase and not english_word(phrase) and read_in_pieces(phrase)
