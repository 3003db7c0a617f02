"""Extractive answers: pick the question's best evidence sentences from retrieved passages, or abstain.

Input: a question and its retrieved hits. Output: selected verbatim sentences (each tied to its passage), or an
abstention when the evidence does not hold what was asked. No language model: sentences are scored by a small
linear model over dense, lexical and answer-type features whose weights live in `rag/models/selector.json`
(trained by `scripts/train_selector.py` with cross-validation on the dev set).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import numpy as np

from rag.acronyms import asks_meaning, spells_out, spelt_acronyms
from rag.answer_types import (
    AUX,
    CITATION,
    MONTHS,
    NUMBER,
    PROPER_NAME,
    SOURCE_DEPTH,
    WHEN_Q,
    Vocabulary,
    announces_count,
    asked_count,
    asks_across_papers,
    asks_obstacles,
    compares,
    count_predicate,
    counts_people_in_general,
    counts_persons,
    expected_kind,
    holds_kind,
    missing_kind,
    question_kind,
    quoted_phrases,
    quotes_any,
    rest_answerable,
    states_obstacle,
    states_total,
)
from rag.coverage import asking_words, framing_words, plain_stems, unknown_names, unknown_phrases
from rag.dedup import containment, shingles
from rag.definitions import asked_purpose, asked_term, defines, states_purpose
from rag.evidence import list_ids
from rag.index import LoadedIndex
from rag.lexical import all_stems, tokenize
from rag.pdf_headings import NUMBERED
from rag.readable import MAX_WORDS, labelled_statement, later_item, leans_back, points_ahead, readable, run_in_heading
from rag.schema import Chunk, Hit
from rag.section_roles import (
    ABSTRACT_PART,
    BACK_MATTER,
    FINDINGS_ASKED,
    LABELLED_RECORDS,
    RECORD_ROLES,
    ROLES,
    VENUE_ASKED,
    asked_roles,
    heading_has_role,
    names_role,
    reporting_part,
    says_where_sent,
    states_part,
    states_role,
)

NO_VALUE = "the evidence gives no"  # the asked-for kind of value ("name", "number") stands in no evidence

FEATURES = (
    "dense",
    "coverage",
    "passage_coverage",
    "passage_rank",
    "gives_asked",
    "length",
    "body",
    "framing_section",
    "self_reference",
    "previous_dense",
    "previous_coverage",
    "enumeration",
    "dense_vs_best",
    "coverage_vs_best",
    "bias",
)
_GIVES_ASKED = FEATURES.index("gives_asked")
NAMED_SECTION = "section"  # the part a question asks for by its heading ("the 'Where next?' chapter")
# a question asking when something happened asks for a date: "When were the interviews done?", "When and how were
# they invited?" (not "When does a shared identity matter most?")
_DATE = re.compile(rf"\b(?:1[89]|20)\d\d(?:/\d\d)?\b|\b(?:{'|'.join(MONTHS)})\b")
_YEAR_ASKED = re.compile(r"\b(?:what|which) (?:year|date|month)\b", re.I)
# A second question in the same message: "..., and why?", "... and did it get ethics approval?", "X? What about Y?"
_SECOND_QUESTION = re.compile(
    rf"(?:,\s*|\s)and\s+(?:(?:why|how|what|who|when|where|whether|which)\b|{AUX}\b)"
    r"|\?\s*\S.*\?|\?\s+(?:what|how|why|who|when|which|compare|give)\b",
    re.I,
)
_ENUMERATION = re.compile(r"\(\d\)|\b(?:first|second|third|firstly|secondly)\b|;|(?:,[^,]+){2,}\b(?:and|or)\b", re.I)
_BULLET = re.compile(r"[-•▪►⇒\s]+|\s*\(?\d{1,2}[.)]\s+")  # a list mark: a bullet, or an item's number ("1. ", "(2) ")
NEVER_MENTIONED = "the papers never mention"  # the reason given when the question's subject is in no paper
WEAK_EVIDENCE = "the best evidence is too weak"  # the reason given when no sentence scores above the threshold
CITING_PASSAGES = 3  # passages citing by name and year that show a paper cites so
EVIDENCE_DEPTH = 8  # how many of the best sentences must lack the asked-for kind of value before we abstain
KIND_WORDS = {
    "share": "share or percentage",
    "age": "age",
    "duration": "duration",
    "money": "sum of money",
    "identifier": "reference number",
    "source": "source for it",
    "amount": "figure for how much it changed",
    "count": "count of what was asked",
    "name": "name of what was asked",
}
SHARED_STEM = 7  # stems this long or longer that begin one another are one word (see IdfWeights.coverage)
COMMON_SHARE = 0.15  # a term in more passages than this is the corpus's everyday vocabulary
SETTING_SHARE = 0.5  # a term in more than this share of the papers (two at least) is their setting ("England")
# a word with a capital after its first letter ("NHS", "McKimm"), or capitalised after a word of the sentence
# ("from Ensembl"): how the papers write names
_CASED = re.compile(r"\b[A-Za-z][a-z]*[A-Z][A-Za-z]*\b|(?<=[a-z,;] )[A-Z][a-z]+\b")
LABEL_WORDS = 4  # a record's label standing alone ("Key words and phrases.") has at most these many words
RECORD_MIN_WORDS = 6  # a funder's line of record quoted as printed has at least these many words
LIST_DEPTH = 3  # an item of a list among this many best sentences brings its list (see select)
WHEN_DEPTH = 3  # a question asking when, none of whose this many best sentences gives a date, opens with one
BARE_POINTER_WORDS = 8  # a sentence pointing ahead this short says nothing without what follows it
PART_GOES_ON = 1.5  # (logits) for the sentence right after one of the part asked for, or after one going on from it
PART_RUN = 3  # most sentences going on from one of the part asked for
SIDE_CREDIT = 2.0  # (logits) for the best sentence of a paper the question names beside others, not yet quoted
LEAD_GAP = 6  # at most this many characters (spaces, a list mark: " (12) ") between a list's lead-in and its first item
MAX_SENTENCES = 5  # most sentences in the answer to a one-part question
PART_SHARE = 0.5  # each further part of a question (up to MAX_PARTS) adds this share of the word budget, and a sentence
MAX_PARTS = 3
EMPHASIS_LETTERS = 4  # a word in capitals this long that the papers write in lower case is emphasis, not a name
WHOLE = 0.9  # a sentence holding this share of a chosen one's word triples holds it whole
TABLE_SHARE = 1.9  # an answer across the papers, an evidence table, runs to this share of `max_words` (under twice)
TABLE_SENTENCES = 2  # and holds this many sentences more than the parts of its question give
# the parts of a paper a question names by a noun of their own ("limitations", "recommendations", "conclusions",
# "aims", "future work"), which a sentence of the part names too
NAMED_PARTS = ("limitations", "future work", "recommendations", "conclusions", "aims")
# Sections that frame a paper (background, aims) rather than report what it found.
_FRAMING_SECTION = re.compile(
    r"^(abstract|background|introduction|context|aims?|key messages|what is already known|related work|"
    r"literature review|previous work|prior work)",
    re.I,
)


def framing_section(heading: str) -> bool:
    """Is it the heading of a section that frames the work rather than reporting it ("1 Introduction", "2.
    Related work", "Background")? A heading's numbering is not part of its name."""
    if ABSTRACT_PART.match(heading.strip()):  # (a structured abstract reports in its results, frames elsewhere)
        return not reporting_part(heading.strip())
    return bool(_FRAMING_SECTION.search(NUMBERED.sub("", heading.strip(), count=1)))


# A sentence about the study itself (its aim, what was unknown) frames the answer rather than giving it.
_SELF_REFERENCE = re.compile(
    r"\b(?:th(?:is|e present) (?:study|paper|article|report|review|research)|we (?:aimed|sought|set out)|"
    r"(?:the )?aims? (?:of|was|were|is)|little (?:is|was) known|less (?:is|has been) (?:known|published))\b",
    re.I,
)
_LOWER_WORD = re.compile(r"\b[a-z][a-z'-]+\b")


@dataclass(frozen=True)
class Candidate:
    """One evidence sentence from one retrieved passage, with its features and score."""

    hit_index: int
    text: str
    start: int  # span inside the passage text
    end: int
    features: tuple[float, ...]
    score: float
    vector: np.ndarray | None = None  # the sentence's embedding, for redundancy between chosen sentences
    passage: int = -1  # the stored passage it comes from
    place: int = 0  # where it starts in its stored passage's text
    listed: int = -1  # the list it is an item of (see list_ids), or -1
    later: bool = False  # ... following the list's first item ("Second, ...", "3. ...")
    work: str = ""  # the paper it comes from
    # the parts the question asks for by their role that it is of: under such a heading ("Limitations" for "what
    # weaknesses ..."), or naming the part ("A limitation of this study ...")
    roles: frozenset[str] = frozenset()

    @property
    def part(self) -> bool:
        """Is it of a part the question asks for by its role?"""
        return bool(self.roles)

    @property
    def item(self) -> bool:
        """Is it an item of a list?"""
        return self.listed >= 0

    def introduced_by(self, other: Candidate) -> bool:
        """Is this the first item of a list that the other sentence, just before it in its passage, introduces?"""
        return self.item and not self.later and not other.item and self.follows(other)

    def follows(self, other: Candidate) -> bool:
        """Is it the sentence right after the other one, in the same stored passage?"""
        gap = self.place - (other.place + len(other.text))
        return self.passage == other.passage >= 0 and 0 <= gap <= LEAD_GAP

    @property
    def points_ahead(self) -> bool:
        """Does it point ahead to the sentence after it ("as the following quote illustrates.")? (see
        rag.readable.points_ahead)"""
        return points_ahead(self.text)

    @property
    def leans_back(self) -> bool:
        """Does it point back to the sentence before it ("These include ...")? (see rag.readable.leans_back)"""
        return leans_back(self.text)

    @property
    def gives_asked(self) -> bool:
        """Was it scored as giving what the question asks for (the kind of number, the back-matter statement)?"""
        return self.features[_GIVES_ASKED] > 0


@dataclass(frozen=True)
class Selection:
    """What the extractive step chose: sentences (in reading order) or an abstention with its reason."""

    chosen: tuple[Candidate, ...]
    abstain: bool
    confidence: float
    reason: str
    gap: str = ""  # what the answer cannot give, said first ("The evidence gives no duration.")


@lru_cache(maxsize=2)
def selector_model(adapted: bool = False) -> dict[str, object]:
    """The trained weights and the calibrated abstention threshold shipped with the package; `adapted`: the weights
    trained on the features of a model `rag adapt` tuned, which judge the evidence by their `gate` (below)."""
    models = resources.files("rag").joinpath("models")
    tuned = models.joinpath("selector_adapted.json")
    chosen = tuned if adapted and tuned.is_file() else models.joinpath("selector.json")
    return dict(json.loads(chosen.read_text(encoding="utf-8")))


def gate_of(model: Mapping[str, object]) -> Mapping[str, object]:
    """The weights and thresholds that judge whether evidence is strong enough to answer from. A selector trained
    on an adapted model's features ranks sentences with its own weights, but its thresholds, calibrated on one
    adapted model, refused answerable questions on papers another adapted model embedded; it carries the packaged
    selector's weights and thresholds as its `gate`, which held there."""
    gate = model.get("gate")
    return gate if isinstance(gate, Mapping) else model


def strength(pool: Sequence[Candidate], model: Mapping[str, object]) -> float:
    """The best sentence's score by the model's gate (-inf for no sentence)."""
    gate = gate_of(model)
    if gate is model:
        return max((c.score for c in pool), default=float("-inf"))
    weights = np.asarray(gate["weights"], dtype=np.float32)
    return max((float(np.dot(weights, np.asarray(c.features, dtype=np.float32))) for c in pool), default=float("-inf"))


def asks_a_second_question(question: str) -> bool:
    """Does the question ask a second thing after its first ("..., and did any company chip in?", "...? Who ...?")?"""
    return bool(_SECOND_QUESTION.search(question))


def part_count(question: str) -> int:
    """How many things the question asks for, 1 to MAX_PARTS: one, plus one for a list ("which skills ...",
    "in what ways ..."), one for a second question ("..., and why?"), one for an answer across the papers
    ("what do the papers say ...") or side by side ("compare ...")."""
    parts = 1 + (question_kind(question) == "list")
    parts += asks_a_second_question(question) + (asks_across_papers(question) or compares(question))
    return min(parts, MAX_PARTS)


def word_budget(question: str, max_words: int) -> tuple[int, int]:
    """Most words and sentences for the answer: `max_words` for a one-part question, more for each further part, and
    more again for an answer across the papers (TABLE_SHARE, TABLE_SENTENCES)."""
    extra = part_count(question) - 1
    words = round(max_words * (1 + PART_SHARE * extra))
    if asks_across_papers(question):  # (its table speaks for each paper: a row each needs room)
        return max(words, round(max_words * TABLE_SHARE)), MAX_SENTENCES + extra + TABLE_SENTENCES
    return words, MAX_SENTENCES + extra


class IdfWeights:
    """Inverse document frequency of stemmed terms over the passages (rare words weigh more)."""

    def __init__(self, index: LoadedIndex, acronyms: Mapping[str, str]) -> None:
        df: dict[str, int] = {}
        stems = [tokenize(chunk.text) for chunk in index.chunks]
        for terms in stems:
            for term in set(terms):
                df[term] = df.get(term, 0) + 1
        self._n = len(index.chunks)
        self._df = df
        # the words the papers use, in their text and in their headings ("Strengths And Limitations" is where
        # Aufegger et al. write of its strengths)
        headings = {section: tokenize(section) for section in {c.section for c in index.chunks}}
        self.vocabulary = set(df) | {t for terms in headings.values() for t in terms}
        self.by_work: dict[str, set[str]] = {}  # each paper's own terms
        for chunk, terms in zip(index.chunks, stems, strict=True):
            self.by_work.setdefault(chunk.work, set()).update(terms, headings[chunk.section])
        self.common = {t for t, n in df.items() if n > COMMON_SHARE * self._n}
        papers = Counter(t for own in self.by_work.values() for t in own)  # how many papers use each term
        widely = max(2, math.floor(SETTING_SHARE * len(self.by_work)) + 1)
        self.words = Vocabulary(
            common=self.common,
            setting={t for t, n in papers.items() if n >= widely},
            published={t for m in index.papers.values() for t in tokenize(re.sub(r"\(.*?\)", " ", m.venue))},
            lower_words={w for c in index.chunks for w in _LOWER_WORD.findall(c.text)},
            acronyms=acronyms,
        )
        # The corpus as one text, to look up names of several words ("Medical Engagement Scale") as phrases.
        self.text = "|".join(plain_stems(terms) for terms in stems)
        # Words that name a paper (authors, title, venue) are how users point at it, not facts to find.
        self.naming_by_work = {
            w: set(tokenize(" ".join([m.title, m.venue, *m.authors]))) for w, m in index.papers.items()
        }
        self.naming = set().union(*self.naming_by_work.values())
        self.lists = list_ids(index)  # each list item's list (see list_ids)
        # names written with a capital after their first letter ("NHS", "PubMed", "McKimm"), lowercased
        self.cased = {
            w.lower()
            for text in [
                *(c.text for c in index.chunks),
                *(f"{m.title} {m.venue} {' '.join(m.authors)}" for m in index.papers.values()),
            ]
            for w in _CASED.findall(text)
        }
        self.author_names = {
            t for m in index.papers.values() for a in m.authors if a.split() for t in tokenize(a.split()[-1])
        }
        # the papers whose body cites by name and year ("(Eastwood 2021)"): only there does a sentence without a
        # citation show that it gives none (numbered references, "capability.12", are lost in cleaning)
        cites = Counter(c.work for c in index.chunks if c.kind == "body" and CITATION.search(c.text))
        self.citing = {w for w, n in cites.items() if n >= CITING_PASSAGES}

    def strangers(self, question: str) -> list[str]:
        """The names in the question no paper writes (rag.coverage.unknown_names), but the words asking for a part or
        a fact of a paper ("What is the DOI of ...?")."""
        framing = framing_words(question)
        names = unknown_names(question, self.vocabulary | self.naming, self.cased)
        # (a word in capitals for emphasis, "what about TRUST?", is the papers' word when they write it in lower case)
        lower = self.words.lower_words
        shouted = {w for w in names if w.isupper() and len(w) >= EMPHASIS_LETTERS and w.lower() in lower}
        return [w for w in names if w.lower() not in framing and w not in shouted]

    def __call__(self, term: str) -> float:
        return math.log(1 + self._n / (1 + self._df.get(term, 0)))

    def coverage(self, query_terms: Sequence[str], text: str, unheld: Collection[str] = ()) -> float:
        """IDF-weighted share of the question's terms that the text holds. A stem that begins another of at least
        SHARED_STEM letters is the same word ("interview" and "interviewe", the stemmer's "interviewee"). `unheld`:
        terms the text is not taken to hold, whatever its words."""
        if not query_terms:
            return 0.0
        have = set(tokenize(text)) - set(unheld)
        total = sum(self(t) for t in query_terms)
        return sum(self(t) for t in query_terms if t in have or _shares_stem(t, have)) / total if total else 0.0


def _shares_stem(term: str, stems: Collection[str]) -> bool:
    return len(term) >= SHARED_STEM and any(
        len(s) >= SHARED_STEM and (s.startswith(term) or term.startswith(s)) for s in stems
    )


def gives_value(question: str, sentence: str, vocab: Vocabulary, asked: str | None = None) -> bool:
    """Does the sentence hold the kind of number the question asks for: a count of what it counts, a share, a
    duration, a sum of money; for any other number question ("what year ..."), any number? `asked`: the
    question's expected_kind, when the caller has it."""
    asked = asked if asked is not None else expected_kind(question)
    if asked in ("count", "share", "duration", "money"):
        return holds_kind(asked, question, sentence, vocab)
    if asks_when(question):
        return bool(_DATE.search(sentence))
    return bool(NUMBER.search(sentence))


def asks_when(question: str) -> bool:
    """Does the question ask when ("When did Ng do her interviews?", "what year was ...?")?"""
    return bool(re.search(WHEN_Q, question, re.I) or _YEAR_ASKED.search(question))


def enumerates(sentence: str) -> bool:
    """Does the sentence list things ("(1) ... (2) ...", "First, ...", "a; b", "a, b and c")? A list packs
    several facts into few words."""
    return bool(_ENUMERATION.search(sentence))


def defining_sentence(
    question: str, pool: Sequence[Candidate], acronyms: Mapping[str, str] | None = None
) -> Candidate | None:
    """For a question asking what a term is or means, the best-scored sentence of the pool that defines it
    ("We call ... the generation confidence: ..."); for one asking what an acronym the papers spell out stands for
    (`acronyms`: each acronym's long form), the best writing it with its long form ("we have designed VESPA (Very
    large-scale Evolutionary and Selective Pressure Analyses)"); for one asking what a thing is for, the best
    stating its purpose ("They have four core purposes, to: ..."); or None (see rag.definitions)."""
    term = asked_term(question)
    if term is not None:
        return max((c for c in pool if defines(c.text, term, acronyms)), key=lambda c: c.score, default=None)
    spelt = spelt_acronyms(question, acronyms or {})
    if spelt and asks_meaning(question):
        spelling = (c for c in pool if any(spells_out(c.text, a, long) for a, long in spelt))
        return max(spelling, key=lambda c: c.score, default=None)
    thing = asked_purpose(question)
    if thing is None:
        return None
    return max((c for c in pool if states_purpose(c.text, thing)), key=lambda c: c.score, default=None)


def candidates(
    question: str,
    query_vector: np.ndarray,
    hits: Sequence[Hit],
    index: LoadedIndex,
    idf: IdfWeights,
    model: Mapping[str, object] | None = None,
    roles: Sequence[str] | None = None,
    captions: Mapping[tuple[str, str], str] | None = None,
    named_sections: Collection[str] = (),
) -> list[Candidate]:
    """Score every readable sentence of the retrieved passages (with the shipped selector unless `model` is given).
    `roles`: the parts of a paper the question asks for, when `question` is the text it is scored with, without the
    names that chose a paper ("Where is Webb based?" asks for an affiliation; "Where is based?" does not say).
    `captions`: each figure's and table's caption by its file and section, which heads the passages under it as a
    section's heading does (see OutlineEvidence.captions); `named_sections`: the headings the question names, whose
    sentences are the part it asks for (see OutlineEvidence.named_sections)."""
    model = model or selector_model()
    weights = np.asarray(model["weights"], dtype=np.float32)
    if len(weights) != len(FEATURES):
        raise ValueError(f"the selector model has {len(weights)} weights for {len(FEATURES)} features: retrain it")
    terms = tokenize(question)
    # (the words asking for a measure, or setting the papers side by side, are no topic: "how long did the interviews
    # last?" is not answered by "a long history of calls to integrate ...")
    asking = set(tokenize(" ".join(asking_words(question))))
    topic = [t for t in terms if t not in asking] or terms
    kind = question_kind(question)
    asked = expected_kind(question)
    roles = list(roles) if roles is not None else asked_roles(question)
    quoted = quoted_phrases(question)
    obstacles = asks_obstacles(question)
    count = asked_count(question)
    records = [r for r in roles if r in RECORD_ROLES]  # "Published: 2 January 2014" answers as printed
    # ("What does SIDD stand for?": the one sentence spelling it out may be long, listing three measures)
    spelt = spelt_acronyms(question, idf.words.acronyms) if asks_meaning(question) else []
    parts = [r for r in roles if r in ROLES]  # "what weaknesses do they admit?": the "Limitations" section's sentences
    # the words naming a part asked for by its role ("what are the limitations of ...?") are held by a sentence naming
    # that part ("A limitation of this study is ..."), not by one using a word of the same stem in its own sense
    # ("... means there is limited capacity for collaborative working")
    # (the words that name it alone: "limitations", "recommend"; not "managers" in "implications for managers")
    naming = {
        t: role
        for role in roles
        if role in NAMED_PARTS
        for m in ROLES[role][0].finditer(question)
        for word in re.findall(r"[\w'’-]+", m.group())
        if ROLES[role][0].search(word)
        for t in tokenize(word)
    }

    def unheld(text: str) -> set[str]:
        return {t for t, role in naming.items() if not names_role(text, [role])}

    def gives_what_is_asked(text: str, chunk: Chunk) -> bool:
        """Does the sentence give what is asked: the kind of number, or the back-matter statement ("who funded
        it?": "The research was supported by ... grant")? (An affiliation is stated where the paper lists its
        authors', not wherever a university is named: "undertaken on ... facilities at the University of Leeds".)"""
        if kind == "numeric" and gives_value(question, text, idf.words, asked):
            return True
        if quotes_any(text, quoted):  # the words the question quotes ("what doctors 'can do' ...")
            return True
        if obstacles and states_obstacle(text):  # ("what gets in the way ...?": "... is another challenge")
            return True
        if count is not None and announces_count(text, count):  # ("what four themes ...?": "... four main themes")
            return True
        listed = chunk.kind == "front" or heading_has_role(chunk.section, ["affiliation"])
        return states_role(text, [r for r in roles if r != "affiliation" or listed])

    row_of = {c.chunk_id: i for i, c in enumerate(index.chunks)}
    # The sections of the part asked for: those whose heading's words the question holds ("Data analysis", not "Data
    # collection", for "how was the data analysed?"), when some are; else all of them.
    captions = captions or {}

    def headed(chunk: Chunk) -> str:  # (a table's passages are headed by its caption)
        return captions.get((chunk.doc, chunk.section), chunk.section)

    sections = {headed(hit.chunk) for hit in hits if parts and heading_has_role(headed(hit.chunk), parts)}
    worded = {h for h in sections if (words := set(tokenize(h))) and words <= set(terms)}
    sections = worded or sections
    # what a study found is told by its structured abstract's results and conclusions, not its background or methods
    reporting = {h for h in sections if reporting_part(h)} if FINDINGS_ASKED.search(question) else set()
    if reporting:
        sections = reporting | {h for h in sections if not ABSTRACT_PART.match(h)}
    raw: list[tuple[int, str, int, int, list[float], int, tuple[int, int, int, bool, frozenset[str]]]] = []
    top = max((hit.score for hit in hits), default=0.0)
    for h, hit in enumerate(hits):
        home = hit.passage_row if hit.passage_row >= 0 else row_of.get(hit.chunk.chunk_id, -1)
        sentences = hit.sentences or (index.sentences_of(home) if home >= 0 else ())
        # A sentence's setting is the whole stored passage, even when only a run of its sentences was retrieved.
        setting = index.chunks[home].text if home >= 0 else hit.chunk.text
        # ... under its heading: "Recommendations to train and improve SL in the ICS" says what its passage is for
        passage_cov = idf.coverage(topic, f"{hit.chunk.section}. {setting}")
        part = headed(hit.chunk) in sections
        neighbours = index.sentences_of(home) if home >= 0 else sentences
        at = {r: b for b, _, r in neighbours}  # where each sentence starts in the stored passage
        ends = {r: e for _, e, r in neighbours}
        before_of = {r: neighbours[j - 1] for j, (_, _, r) in enumerate(neighbours) if j}
        for j, (start, end, row) in enumerate(sentences):
            origin = start
            if row < 0:  # a heading listed from the paper's outline is not a sentence to quote
                continue
            # (list marks carry no words, so the coverage of the sentence is the same with or without them)
            own = hit.chunk.text[start:end]
            here = (float(index.sentence_vectors[row] @ query_vector), idf.coverage(topic, own, unheld(own)))
            # dense score and coverage of the sentence before, in its passage
            b = before_of.get(row)
            before = (
                (
                    float(index.sentence_vectors[b[2]] @ query_vector),
                    idf.coverage(topic, setting[b[0] : b[1]], unheld(setting[b[0] : b[1]])),
                )
                if b
                else (0.0, 0.0)
            )
            listed = idf.lists.get(row, -1)  # (back matter's "• Funding ..." is a statement, not an item)
            later = listed >= 0 and later_item(hit.chunk.text, start, end)
            bullet = _BULLET.match(hit.chunk.text, start, end)
            marked = bool(bullet and bullet.group().strip())
            if bullet:  # "- Collaborative leadership ..." quotes without its list mark
                start = bullet.end()
            # "Ethics approval The study ..." from "The"; what is left must then stand on its own, as a sentence
            # ("Competing interests None declared." says nothing without its heading)
            heading = run_in_heading(hit.chunk.text[start:end])
            if states_role(hit.chunk.text[start:end], [r for r in records if r in LABELLED_RECORDS]):
                # "Keywords value-based health, health care, ...": quoted whole, label and all; a label printed as a
                # sentence of its own ("Key words and phrases.") with the terms after it
                if len(hit.chunk.text[start:end].split()) <= LABEL_WORDS and j + 1 < len(sentences):
                    end = sentences[j + 1][1]
            elif heading and hit.chunk.kind != "body" and labelled_statement(hit.chunk.text[start:end], heading):
                # back matter's "Competing interests None declared.": whole, for a question asking after the label
                if not set(tokenize(hit.chunk.text[start : start + heading])) & set(terms):
                    continue
            else:
                start += heading
                said = hit.chunk.text[start:end]
                # (a funder's line of record says who funded what: "KAAD, a Catholic scholarship body in Germany
                # which provided the financial assistance for ...", no full stop; a bare "Funding" says nothing)
                # (or a line of record closing the abstract: "Submitted to Physical Review Letters")
                printed = hit.chunk.kind != "body" or ("publication" in records and says_where_sent(said))
                record = printed and states_role(said, records) and len(said.split()) <= MAX_WORDS
                if record and not states_role(said, [r for r in records if r != "funding"]):
                    record = len(said.split()) >= RECORD_MIN_WORDS
                # (a table cell's last sentence has no full stop: it is whole where the cell holds another before it)
                cell = row in at and closes_cell(setting, at[row], ends[row])
                long = any(spells_out(said, a, form) for a, form in spelt)
                if not readable(said, marked and not heading, long) and not record and not cell:
                    continue
            text = hit.chunk.text[start:end]
            raw.append(
                (
                    h,
                    text,
                    start,
                    end,
                    [
                        here[0],
                        here[1],
                        passage_cov,
                        hit.score / top if top > 0 else 1.0 / (1 + h),
                        1.0 if gives_what_is_asked(text, hit.chunk) else 0.0,
                        min(len(text.split()), 40) / 40,
                        1.0 if hit.chunk.kind == "body" else 0.0,
                        1.0 if framing_section(hit.chunk.section) else 0.0,
                        1.0 if _SELF_REFERENCE.search(text) else 0.0,
                        before[0],
                        before[1],
                        1.0 if enumerates(text) else 0.0,
                    ],
                    row,
                    (
                        home,
                        at.get(row, origin) + start - origin,
                        listed,
                        later,
                        frozenset(
                            r
                            for r in parts
                            if (part and heading_has_role(headed(hit.chunk), [r])) or states_part(text, [r])
                        )
                        | ({NAMED_SECTION} if hit.chunk.section in named_sections else frozenset()),
                    ),
                )
            )
    if not raw:
        return []
    best_dense = max(f[0] for *_, f, _, _ in raw)
    best_cov = max(f[1] for *_, f, _, _ in raw)
    out: list[Candidate] = []
    features = [(*f, f[0] - best_dense, f[1] - best_cov, 1.0) for *_, f, _, _ in raw]

    def scored(x: tuple[float, ...]) -> float:
        return float(np.dot(weights, np.asarray(x, dtype=np.float32)))

    scores = [scored(x) for x in features]
    if asked == "source":
        # what a claim rests on: a citation in one of the sentences that best make the claim, not in any sentence on
        # its topic
        for i in np.argsort(scores)[::-1][:SOURCE_DEPTH]:
            if holds_kind("source", question, raw[i][1]):
                x = features[i]
                features[i] = (*x[:_GIVES_ASKED], 1.0, *x[_GIVES_ASKED + 1 :])
                scores[i] = scored(features[i])
    for i, (h, text, start, end, _, row, (home, place, listed, later, of)) in enumerate(raw):
        vector = index.sentence_vectors[row]
        work = hits[h].chunk.work
        out.append(Candidate(h, text, start, end, features[i], scores[i], vector, home, place, listed, later, work, of))
    return out


# "what did the managers say?": a sentence giving that group's words, as a quotation tagged with it ("... targets'
# (manager)") or as reported speech ("Managers felt that ..."), gains this (logits) in the choosing, not in the gate;
# where quotations are tagged with the group, one tagged with another ("(clinician)") loses as much
VOICE_CREDIT = 1.0
_TAG = re.compile(r"[’”'\"]\s*\(((?:(?!(?:19|20)\d\d|et al)[^()]){1,40})\)\.?$")  # (not a citation: "(Ham 2018)")
_REPORTED = re.compile(
    r"^(?:The\s+|Some\s+|Many\s+|Most\s+|Several\s+)?([A-Z][a-z-]+(?:\s+[a-z-]+)?)\s+(?:also\s+)?(?:felt|said|"
    r"expressed|reported|described|believed|thought|noted|stated|suggested|explained|highlighted|emphasi[sz]ed|"
    r"mentioned|argued|commented|perceived|indicated|acknowledged|admitted|recognised|recognized|agreed)\b"
)


def voiced_by(sentence: str, who: Collection[str]) -> bool:
    """Does the sentence give the words of the group `who` names (its stemmed words): a quotation its tag gives to
    them ("'... targets' (manager)"), or what they are reported to have said ("Managers felt that ...")?"""
    found = _TAG.search(sentence) or _REPORTED.match(sentence)
    return found is not None and bool(set(tokenize(found.group(1))) & set(who))


def announcing_sentence(question: str, pool: Sequence[Candidate]) -> Candidate | None:
    """For a question asking for a list by its length ("what four themes emerged?"), the best sentence announcing
    it ("Findings ... revealed four emerging themes: (1) ..."): the answer opens with it."""
    count = asked_count(question)
    if count is None:
        return None
    return max((c for c in pool if announces_count(c.text, count)), key=lambda c: c.score, default=None)


def select(
    question: str,
    pool: Sequence[Candidate],
    idf: IdfWeights,
    max_words: int,
    compose_from: Sequence[Candidate] | None = None,
    model: Mapping[str, object] | None = None,
    not_covered: Sequence[str] = (),
    sides: Collection[str] = (),
    voices: Collection[str] = (),
) -> Selection:
    """Greedy, redundancy-aware choice of the best sentences up to the word budget, or an abstention.

    Whether to abstain is judged on the whole pool; the answer is composed from `compose_from` when given
    (the sentences of the papers the question names). `not_covered`: words of the question no paper uses.
    `voices`: the stemmed words naming a group whose words the question asks for (see `voiced_by`).
    `sides`: the papers a question names together ("how did Ng's interviewees differ from Waring's?"), each of
    which the answer speaks for, with its best sentence, before any paper is quoted twice."""
    model = model or selector_model()
    gate = gate_of(model)
    threshold = float(gate["abstain_threshold"])  # type: ignore[arg-type]
    if not pool:
        return Selection((), True, 0.0, "no readable evidence sentence was retrieved")
    ranked = sorted(pool, key=lambda c: -c.score)
    best = ranked[0]
    strongest = strength(pool, model)
    # (a sentence stating the part of a paper asked for by its role is evidence, however few of the question's words
    # it holds: "One of the primary goals of VESPA is ..." for "What were the aims of the VESPA paper?")
    if strongest < threshold and not any(c.part for c in pool):
        return Selection((), True, best.score, WEAK_EVIDENCE)
    strangers = idf.strangers(question) or unknown_phrases(question, idf.text, idf.author_names)
    if strangers:
        return Selection((), True, best.score, f"{NEVER_MENTIONED} {', '.join(strangers)}")
    # A question about something no paper mentions is refused unless its evidence is strong: the threshold is
    # calibrated on such questions (scripts/train_selector.py).
    covered = gate.get("not_covered_threshold")
    if not_covered and covered is not None and strongest < float(covered):  # type: ignore[arg-type]
        return Selection((), True, best.score, f"{NEVER_MENTIONED} {', '.join(not_covered)}")
    # The asked-for value must stand in the evidence of the paper asked about, when the question names one.
    typed = sorted(compose_from, key=lambda c: -c.score) if compose_from else ranked
    missing = missing_kind(question, [c.text for c in typed[:EVIDENCE_DEPTH]], idf.words)
    if missing == "source" and not {c.work for c in typed[:SOURCE_DEPTH]} <= idf.citing:
        missing = None  # (whether a paper citing by number gives a source is not known)
    # ("which organisation published it?": the line printing where it came out names it, when there is one)
    if missing == "name" and VENUE_ASKED.search(question) and any(states_role(c.text, ["publication"]) for c in typed):
        missing = None
    gap = ""
    if missing is not None:
        if not rest_answerable(question, missing, [c.text for c in typed[:EVIDENCE_DEPTH]], idf.words):
            return Selection((), True, best.score, f"{NO_VALUE} {KIND_WORDS[missing]}")
        gap = f"The evidence gives no {KIND_WORDS[missing]}."  # said first; the rest of the question is answered
    max_words, limit = word_budget(question, max_words)
    chosen: list[Candidate] = []
    words = 0
    if compose_from:
        ranked = sorted(compose_from, key=lambda c: -c.score)
        best = ranked[0]
    confidence = best.score  # (the evidence as the gate judged it)
    if voices:  # (after the gate: the evidence is judged on its own)
        # (where the evidence labels quotations with the group asked for, another group's quotation loses as much)
        tags = {id(c): set(tokenize(m.group(1))) for c in pool if (m := _TAG.search(c.text))}
        labelled = any(t & set(voices) for t in tags.values())
        voiced = {id(c) for c in pool if voiced_by(c.text, voices)}
        heard = {
            id(c): replace(c, score=c.score + (VOICE_CREDIT if id(c) in voiced else -VOICE_CREDIT))
            for c in pool
            if id(c) in voiced or (labelled and id(c) in tags)
        }
        pool = [heard.get(id(c), c) for c in pool]  # (the same objects in both: compose_from is drawn from pool)
        ranked = [heard.get(id(c), c) for c in (compose_from or ranked)]
        ranked.sort(key=lambda c: -c.score)
        compose_from = ranked if compose_from else None
        best = ranked[0]
    floor = best.score - float(model.get("keep_margin", 0.25))  # type: ignore[arg-type]
    penalty = float(model.get("redundancy_penalty", 0.0))  # type: ignore[arg-type]
    spread = float(model.get("new_passage_bonus", 0.0))  # type: ignore[arg-type]
    left = [c for c in ranked if c.score >= floor]
    # A definition question is answered first by the sentence defining its term, however the selector scored it;
    # a question asking for a part of the back matter, by the sentence stating it ("GitHub: https://...").
    lead = defining_sentence(question, ranked, idf.words.acronyms) or announcing_sentence(question, ranked)
    roles = asked_roles(question)
    asked_parts = [r for r in roles if r in ROLES]
    across = asks_across_papers(question)
    if lead is None and any(r in BACK_MATTER for r in roles):
        lead = max((c for c in ranked if c.gives_asked), key=lambda c: c.score, default=None)
    # a count of what is asked that says what the question says of it leads ("How many STPs were studied ...?": "The
    # study was undertaken ... focusing on the governance of three STPs", not "In 2016, 44 STPs were introduced ...")
    said = count_predicate(question)
    if lead is None and said:
        saying = [c for c in ranked if c.gives_asked and said & all_stems(c.text)]
        # (the whole before a part of it: "All 25 clinical leaders participated in semi-structured interviews ...",
        # not "Five clinical leaders participated in follow-up interviews")
        lead = max(saying, key=lambda c: (states_total(c.text), c.score), default=None)
    # a question asking when is answered by a date: the best sentence dating something leads when none of the
    # strongest does ("When did Ng do her interviews?": "Potential participants were identified between October 2019
    # and November 2019 ...", not "This was then followed up with ... to schedule the interview appointments.")
    if lead is None and asks_when(question) and not any(c.gives_asked for c in ranked[:WHEN_DEPTH]):
        lead = max((c for c in left if c.gives_asked), key=lambda c: c.score, default=None)
    # a part of the paper asked for by its role ("What did they set out to do?") is quoted, however weakly its words
    # match the question's: its best sentence leads when none is among the strongest
    if lead is None and any(r in ROLES for r in roles) and not any(c.part for c in left):
        lead = max((c for c in ranked if c.part), key=lambda c: c.score, default=None)
    if lead is not None:
        chosen.append(lead)
        words += len(lead.text.split())
        left = [c for c in left if c is not lead]
    # A list is quoted whole: its other items come next, in order, once the sentence introducing it ("Relational
    # work took a number of forms.") is chosen, or one of its items when an item of it is among the best
    # LIST_DEPTH; not for a question asking what one term means or for a number (one item answers that).
    term = asked_term(question)
    wholly = term is None and question_kind(question) != "numeric"
    # (and another paper's sentence defining the term comes before the rest: "ICSs are geographically based
    # partnerships ..." beside "... became known as integrated care systems")
    defining = (
        [c for c in left if c.work != lead.work and defines(c.text, term, idf.words.acronyms)] if lead and term else []
    )
    strong = {c.listed for c in ranked[:LIST_DEPTH] if c.item} if wholly else set()
    items = [c for c in pool if c.item] if wholly else []
    context = 0  # sentences chosen for what a later one points back to (see Candidate.leans_back)
    run: list[Candidate] = []  # sentences chosen as going on from the part asked for

    def goes_on(c: Candidate) -> bool:
        """Does it go on with the part asked for, right after a chosen sentence of it (or going on from it), being
        of no such part itself? ("Limitations of the study's ... approach were that ..." and the next sentences of
        its passage)"""
        return not c.part and any(c.follows(d) for d in chosen if d.part or d in run)

    while left and len(chosen) - context < limit:
        lists = {d.listed for d in chosen if d.listed in strong}
        lists |= {c.listed for d in chosen for c in items if c.introduced_by(d)}
        siblings = sorted((c for c in left if c.item and c.listed in lists), key=lambda c: (c.passage, c.place))

        # Maximal marginal relevance: a sentence that repeats one already chosen is worth less.
        def value(c: Candidate) -> float:
            if not chosen:
                return c.score
            fresh = spread if all(d.hit_index != c.hit_index for d in chosen) else 0.0
            if c.work in sides and all(d.work != c.work for d in chosen):
                fresh += SIDE_CREDIT
            if len(run) < PART_RUN and goes_on(c):
                fresh += PART_GOES_ON
            if len(asked_parts) > 1 and c.roles - {r for d in chosen for r in d.roles}:
                fresh += SIDE_CREDIT  # (a part asked for beside others, not yet quoted: "... and who took part?")
            if c.vector is None or not penalty:
                return c.score + fresh
            closest = max((float(c.vector @ d.vector) for d in chosen if d.vector is not None), default=0.0)
            return c.score + fresh - penalty * closest

        # the part of the paper asked for by its role ("what weaknesses do they admit?") is quoted before the rest:
        # the best evidence's paper's, unless the question asks across the papers or names several
        parted = [c for c in left if c.part and (c.work == best.work or len(sides) > 1 or across)]
        parted += [c for c in defining if c in left and all(c.work != d.work for d in chosen)]
        cand = siblings[0] if siblings else max(parted or left, key=value)
        left.remove(cand)
        if not siblings and cand.item and _GOES_ON.match(cand.text):
            # an item going on from the words introducing its list ("The aims of this study are to:" | "- explore
            # how leadership ...") is no sentence on its own: it comes with its list, or not at all (not one naming
            # a command: "finish[answer], which would finish the current task")
            continue
        n = len(cand.text.split())
        if chosen and words + n > max_words:
            continue
        # (nor one that says again, or holds whole, what is already quoted)
        if any(
            containment(shingles(cand.text, 3), shingles(c.text, 3)) > 0.5
            or containment(shingles(c.text, 3), shingles(cand.text, 3)) > WHOLE
            for c in chosen
        ):
            continue
        # what it points ahead to comes with it ("..., as the following quote illustrates." and the quote), or it is
        # not quoted (unless the evidence does not hold what follows it: "In one example, those involved in ... came
        # together with no agenda, as the following shows." says something alone; "One ICS leader noted the
        # following." does not); passages overlap, so one sentence may stand in two hits
        after = next((c for c in pool if c.follows(cand)), None) if cand.points_ahead else None
        if cand.points_ahead and after is None and n <= BARE_POINTER_WORDS:
            continue
        if after is not None and any(c.text == after.text for c in chosen):
            after = None
        n_after = len(after.text.split()) if after is not None else 0
        if after is not None and words + n + n_after > max_words:
            continue
        # what it points back to comes with it, when the budget has room for both
        before = next((c for c in pool if cand.follows(c)), None) if cand.leans_back else None
        if (
            before is not None
            and all(c is not before for c in chosen)
            and words + n + n_after + len(before.text.split()) <= max_words
        ):
            chosen.append(before)
            context += 1
            words += len(before.text.split())
            left = [c for c in left if c is not before]
        if goes_on(cand):
            run.append(cand)
        chosen.append(cand)
        words += n
        if after is not None:
            chosen.append(after)
            context += 1
            words += n_after
            left = [c for c in left if c is not after]
    return Selection(tuple(chosen), False, confidence, "", gap)


def closes_cell(text: str, start: int, end: int) -> bool:
    """Is text[start:end] the last sentence of a table cell, printed without a full stop, after another sentence of
    the cell ("... relationships. Although doctors have reported on cynicism ... between professions<TAB>Leadership
    training ...", or the passage's end: a passage ends on a whole sentence)? A whole sentence; a cell holding no
    other (a row's label) is none."""
    opens = text.rfind("\t", 0, start)
    return (
        (text[end : end + 1] == "\t" or not text[end:].strip())  # (a passage ends on a whole sentence)
        and opens >= 0
        and bool(_SENTENCE_BEFORE.search(text, opens, start))
        and readable(text[start:end].rstrip() + ".")
        and not _CUT_OFF.search(text, start, end)  # (a cell wrapped in two: "Emergency cases are attended to in the")
    )


_THANKS = re.compile(r"\b(?:thank(?:s|ed)?|grateful|gratitude)\b", re.I)
_CUT_OFF = re.compile(
    r"\b(?:the|a|an|of|to|in|on|at|by|for|with|from|and|or|but|as|that|which|is|are|was|were)\s*$", re.I
)
_SENTENCE_BEFORE = re.compile(r"[a-z0-9)][.!?][’”'\")]*\s+$")  # (a sentence of the same cell ends right before)


_GOES_ON = re.compile(r"[a-z]+\b(?![\[(_.])")  # (a word in lower case, not a name in code: "finish[answer]")


def _parts_first(groups: list[list[Candidate]]) -> list[list[Candidate]]:
    """Each paper's sentences of the part asked for by its role ("what further research does Ng suggest?"), with
    the sentences going on from them, before its others (each in reading order), and the papers with such a part
    first: "A qualitative research methodology of semi-structured in-depth interviewing was used." had opened the
    answer on further research, as the earliest sentence chosen."""
    out: list[list[Candidate]] = []
    for group in groups:
        first: list[Candidate] = []
        for c in group:  # (in reading order: a sentence goes on from the one before it)
            if c.part or any(c.follows(d) for d in first):
                first.append(c)
        out.append([*first, *(c for c in group if all(c is not d for d in first))])
    return sorted(out, key=lambda g: not g[0].part)  # (stable: the best paper first among those with the part)


def answer_order(
    question: str, chosen: Sequence[Candidate], hits: Sequence[Hit], acronyms: Mapping[str, str] | None = None
) -> list[list[Candidate]]:
    """The chosen sentences grouped by paper, the paper of the best sentence first, each group in reading order.

    For a question asking for a number, the paper whose best sentence holds the asked-for kind of number (a count
    of what is counted, a share, ...) comes first and that sentence leads its group, so the answer opens with it;
    for a question asking what a term means, the sentence defining it leads (see defining_sentence)."""
    by_work: dict[str, list[Candidate]] = {}
    for cand in sorted(chosen, key=lambda c: -c.score):
        by_work.setdefault(hits[cand.hit_index].chunk.work, []).append(cand)

    def place(c: Candidate) -> tuple[str, int, int]:
        chunk = hits[c.hit_index].chunk
        return chunk.doc, chunk.page or 0, chunk.start + c.start

    groups = [sorted(group, key=place) for group in by_work.values()]
    if question_kind(question) != "numeric" and not any(r in BACK_MATTER for r in asked_roles(question)):
        # a definition question opens with the sentence defining its term, and that sentence's paper
        lead = defining_sentence(question, chosen, acronyms) or announcing_sentence(question, chosen)
        if lead is None:
            return _parts_first(groups)
        first = next(g for g in groups if any(c is lead for c in g))
        return [[lead, *(c for c in first if c is not lead)], *(g for g in groups if g is not first)]
    funding = "funding" in asked_roles(question)
    who = bool(re.match(r"\s*who\b", question, re.I))

    said = count_predicate(question)
    people = counts_people_in_general(question)

    def rank(c: Candidate) -> tuple[bool, bool, bool, bool, bool, float]:
        # "who funded it?" is answered by the statement naming someone ("We thank the NIHR ... for its support"),
        # before one that does not ("The funder had no role in study design ..."), and a question on funding by the
        # work's own funding before thanks to a person whose place was funded ("We would also like to thank L. M.
        # (funded by the Wellcome Trust Vacation Scholarship programme) ..."); "how many STPs were studied?" by the
        # count saying so, a whole before a part (see select)
        thanks = funding and bool(_THANKS.search(c.text))
        told = bool(said & all_stems(c.text))
        # (and people counted in general by a count of persons: "Eight young healthy subjects ... participated")
        persons = people and counts_persons(c.text)
        named = who and bool(PROPER_NAME.search(c.text))
        return (named, not thanks, told, told and states_total(c.text), persons, c.score)

    led: list[tuple[float, list[Candidate]]] = []
    for group in groups:
        # the sentence scored as giving the asked-for kind of number (see gives_value) or back-matter statement
        # (or, for people counted in general, a count of persons)
        lead = max((c for c in group if c.gives_asked or (people and counts_persons(c.text))), key=rank, default=None)
        if lead is None:
            led.append((-math.inf, group))
        else:
            led.append((lead.score, [lead, *(c for c in group if c is not lead)]))
    return [group for _, group in sorted(led, key=lambda pair: -pair[0])]
