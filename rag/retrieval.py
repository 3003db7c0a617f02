"""Hybrid retrieval: dense (FAISS) and BM25 rankings fused by weighted reciprocal rank, then a diverse top k.

Input: a question. Output: ranked `Hit`s whose passages do not overlap and fit a character budget.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import numpy as np

from rag.acronyms import (
    asks_meaning,
    capitals_in,
    defined_in,
    expand_query,
    find_acronyms,
    spell_out,
    spells_out,
    spelt_acronyms,
    written_long_form,
)
from rag.answer_types import (
    announces_count,
    asked_count,
    asks_across_papers,
    asks_source,
    compares,
    question_kind,
    quoted_phrases,
    quotes_any,
    without_framing,
)
from rag.chunking import chunk_id, cut_chunk
from rag.coverage import plain_text
from rag.dedup import containment, shingles
from rag.definitions import asked_purpose, asked_term, defines, states_purpose
from rag.embedding import Embedder
from rag.errors import BadQuestionError
from rag.evidence import FINDINGS, TABLE_ROWS, OutlineEvidence, SentenceEvidence, SentenceWeights, rank_credit
from rag.index import LoadedIndex
from rag.lexical import STOPWORDS, LexicalIndex, tokenize
from rag.paper_facts import names_paper, own_name, paper_names, sole_user
from rag.schema import Chunk, Hit
from rag.section_roles import (
    ABSTRACT_PART,
    AUTHORS,
    BACK_MATTER,
    CAME_OUT,
    FINDINGS_ASKED,
    ROLES,
    STATED,
    about_its_authors,
    asked_roles,
    asks_authors,
    asks_figures,
    asks_layout,
    asks_of_authors,
    heading_has_role,
    in_papers_words,
    names_role,
    reporting_part,
    says_where_sent,
    states_part,
    states_role,
)
from rag.settings import RetrievalSettings

log = logging.getLogger(__name__)

# Front and back matter (authors, funding, ethics) stays findable, but ranks below the body on equal evidence.
KIND_WEIGHT = {"body": 1.0, "front": 0.6, "back": 0.75}
# ...unless the question is about the paper itself: its authors, publication, funding, ethics, data or contributors.
ABOUT_THE_PAPER = re.compile(
    r"\b(wrote|written by|funded|funding|funder|ethic\w*|approval|consent|data availab\w*|"
    r"conflicts? of interest|competing interests|contribut\w* statement|affiliat\w*|correspond\w*|"
    r"transcripts?|who (ran|did|carried out|conducted)|publish\w*|publication|journal(?! club)|isbn|doi|volume|"
    rf"{CAME_OUT}|cite|citation|reference for)\b",
    re.I,
)


def about_the_paper(question: str) -> bool:
    """Does the question ask about a paper itself: who wrote it, its funding, where it came out ...? (Whom it cites
    for a claim is about the claim: "who does the report cite on trust?")"""
    if asks_source(question):
        return False
    return bool(ABOUT_THE_PAPER.search(question)) or asks_authors(question)


AUTHOR_BOOST = 1.5
# A sentence defining what a definition question asks about, among its DEFINITION_DEPTH best, gains a first
# rank's credit
DEFINITION_DEPTH = 300
DEFINITION_CREDIT = 1.0
# ... and so does one stating what a thing is for, among the PURPOSE_DEPTH best (the first PURPOSE_LIMIT of them), for
# a question asking its purpose
PURPOSE_DEPTH = 60
PURPOSE_LIMIT = 8
PURPOSE_CREDIT = 1.0
# ... and one announcing the list a question asks for by its length ("what four contributions did they find?":
# "Clinical leaders were found to make four distinct contributions: (1) ..."), among the COUNT_DEPTH best of the
# papers asked about (the first COUNT_LIMIT of them): an embedding blurs a sentence that goes on to list them all
COUNT_DEPTH = 300
COUNT_LIMIT = 4
COUNT_CREDIT = 1.0
# The sentences holding the words a question quotes gain a first rank's credit too: among the QUOTE_DEPTH best,
# QUOTE_LIMIT at most
QUOTE_DEPTH = 1000
QUOTE_LIMIT = 12
QUOTE_CREDIT = 1.0
# A sentence stating a part of a paper whose words are seldom the question's, among this many of the best of the
# papers asked about, is credited as a quoted phrase is when the question asks for it: the gap a paper fills ("what
# gap does it fill?": "Little is known about ...", "... remains unclear"), where the study was done ("where did it take
# place?": "The study was undertaken in the English NHS ..."), who took part ("who it interviewed": "The sample
# consisted of ..."), where the work could go next ("Another interesting direction is ..."). (The other parts are
# stated in the question's own words, "The aim of this study was ...", and a credit to them put other sentences
# first.)
UNWORDED_ROLES = ("gap", "setting", "participants", "future work")
STATED_DEPTH = 400
STATED_LIMIT = 8
ROLE_CREDIT = 1.0  # a passage under a heading of the role the question asks for ("Limitations")
ROLE_DEPTH = 30  # a paper's statement of its aims or sample is credited among the best passages this deep
# A paper called by a word of its title: "the Malawi study", "this ENSEMBL paper"
_CALLED = re.compile(
    r"\b(?i:the|this|that)\s+([A-Z][\w'’-]+)\s+(?:study|paper|report|article|review|survey|trial|work|preprint|"
    r"authors?|researchers|team)\b"
)
# ... or by a phrase of its title: "the influential nodes work", "the value-based healthcare study"; or by the
# subject it alone writes about: "the STP governance study", "the governance paper"
_CALLED_BY_TITLE = re.compile(
    r"\b(?:the|this|that)\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)\s+(study|paper|report|article|review|survey|trial|work|"
    r"preprint)\b",
    re.I,
)
_CALLING_WORD = re.compile(r"[\w'’-]+")
# A question about a paper itself names the paper whose title holds this share of its words, this far ahead of the
# next title.
TITLE_SHARE = 0.6
TITLE_MARGIN = 0.2
_WORD = re.compile(r"([A-Za-z][\w-]*)(?:['’]s\b)?")
QUERY_MEMORY = 16  # questions whose search text and vector are remembered


# what follows a verb citing a source: "cites the King's Fund", "quoting Ng's", "drawing on Waring and colleagues"
_CITING = re.compile(
    r"\b(?:cites?|cited|citing|quotes?|quoted|quoting|refers? to|referred to|referring to|references|referenced"
    r"|draws? on|drew on|drawing on)\s+((?:[\w'’-]+\s*){1,3})",
    re.I,
)


@dataclass(frozen=True)
class ScoredCandidates:
    """Fused scores for every passage, with the parts they came from (for learned rescoring and evals)."""

    fused: np.ndarray
    dense: np.ndarray
    bm25: np.ndarray
    query: str
    features: np.ndarray  # (passages, len(RANK_FEATURES)): what the learned ranker reads
    sentence_sims: np.ndarray  # cosine of the question with each row of the index's sentence vectors


RANK_FEATURES = (
    "rrf_dense",
    "rrf_bm25",
    "rrf_sentence",
    "dense",
    "sentence",
    "bm25_share",
    "front",
    "back",
    "about_paper_matter",
    "named_paper",
    "bias",
)


@lru_cache(maxsize=1)
def ranker_model() -> dict[str, object] | None:
    """Learned weights over RANK_FEATURES (scripts/train_ranker.py), or None when none is shipped."""
    path = resources.files("rag").joinpath("models/ranker.json")
    if not path.is_file():
        return None
    model = dict(json.loads(path.read_text(encoding="utf-8")))
    return model if tuple(model.get("features", ())) == RANK_FEATURES else None


def _overlaps(a: Chunk, b: Chunk) -> bool:
    if a.doc != b.doc or a.page != b.page:
        return False
    return min(a.end, b.end) - max(a.start, b.start) > 0


# A question asking who or what a name is, rather than what it says ("Who are the King's Fund?", "what sort of
# organisation is the King's Fund?", "what does the King's Fund do?"; not "What is the King's Fund's view?").
_ASKS_WHO_IT_IS = (
    r"(?:\b(?:who|what)\s+(?:is|are|was|were)|\b(?:kind|sort|type)\s+of\s+[\w-]+\s+(?:is|are|was|were))"
    r"\s+(?:the\s+)?{name}\b(?!['’])|\bwhat\s+(?:does|do|did)\s+(?:the\s+)?{name}\s+do\b"
)


class HybridRetriever:
    """Dense + BM25 retrieval over a loaded index."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.lexical = LexicalIndex([f"{c.section}. {c.text}" for c in index.chunks])
        self.acronyms = find_acronyms([c.text for c in index.chunks], [c.work for c in index.chunks])
        self._long_forms: dict[
            str, str | None
        ] = {}  # acronym -> the long form the papers write (see with_own_acronyms)
        self._matter_weight = np.array([KIND_WEIGHT.get(c.kind, 1.0) for c in index.chunks], dtype=np.float32)
        self._matter_boost = np.array([1.0 if c.kind == "body" else 1.3 for c in index.chunks], dtype=np.float32)
        self._shingles = [shingles(c.text) for c in index.chunks]
        # A question that names a paper's author ("the Aufegger study") leans towards that paper.
        self._author_terms = {
            work: {t for a in meta.authors for t in tokenize(a.split()[-1])} for work, meta in index.papers.items()
        }
        # ... and every word of every author's name, which names no paper as its subject ("De" of "De Marchis")
        self._name_terms = {t for meta in index.papers.values() for a in meta.authors for t in tokenize(a)}
        # Each passage's sentences, as (flat sentence rows, start offset per passage) for a per-passage max.
        rows = [r if r else (0,) for r in index.sentence_rows]
        self._sentence_rows = np.fromiter((j for r in rows for j in r), dtype=np.int64)
        self._sentence_starts = np.cumsum([0, *[len(r) for r in rows[:-1]]]).astype(np.int64)
        self._front = np.array([c.kind == "front" for c in index.chunks], dtype=np.float32)
        self._back = np.array([c.kind == "back" for c in index.chunks], dtype=np.float32)
        # what a paper says of its authors ("About the authors": their posts and careers), and their names in full
        self._of_authors = np.array([about_its_authors(c.section, c.kind) for c in index.chunks], dtype=bool)
        self._author_names = sorted({" ".join(a.split()) for m in index.papers.values() for a in m.authors})
        venues = {w: re.sub(r"\s*\(.*?\)|^the\s+", "", m.venue.lower()).strip() for w, m in index.papers.items()}
        self._venues = {w: v for w, v in venues.items() if v and list(venues.values()).count(v) == 1}
        self._title_terms = {
            w: set(tokenize(expand_query(m.title, self.acronyms))) for w, m in index.papers.items() if m.title
        }
        # ...or the name its title gives its subject ("ReAct: Synergizing ...").
        self._title_names = paper_names(
            {w: m.title for w, m in index.papers.items()}, ((c.work, c.text) for c in index.chunks)
        )
        # Each passage's section heading, as a row of the unique headings (-1: the passage has none).
        self._headings = sorted({c.section for c in index.chunks if c.section.strip()})
        row_of = {h: i for i, h in enumerate(self._headings)}
        self._heading_rows = np.array([row_of.get(c.section, -1) for c in index.chunks], dtype=np.int64)
        # Embedded here, not on the first question: the page builds the retriever while it warms up.
        self._heading_vectors = (
            embedder.embed(self._headings) if self._headings and settings.heading_weight else np.zeros((0, 1))
        )
        self.sentences = SentenceEvidence(index)
        # the sentences of a structured abstract's parts telling what the study found ("Abstract: Results")
        told = [h >= 0 and reporting_part(index.chunks[h].section) for h in self.sentences.home]
        self._reporting = np.array(told, dtype=bool)
        self.outline = OutlineEvidence(index, embedder.embed)
        self._front_rows: dict[str, int] = {}  # each paper's first passage of front matter (its title page)
        for i, c in enumerate(index.chunks):
            if c.kind == "front":
                self._front_rows.setdefault(c.work, i)
        self._work_rows: dict[str, np.ndarray] = {}
        self._owners: dict[str, str | None] = {}  # acronym -> the paper whose own name it is
        self._subjects: dict[str, str | None] = {}  # stemmed word -> the paper it is the subject of
        # which passages stand under a heading of each role ("Strengths and limitations": limitations), or in a table
        # its caption says holds the part ("Table 2. Practical implications and recommendations from the study"; not
        # back matter: "Overview of the options available in the VESPA package" is no statement of availability)
        # (a back-matter statement may stand in a footnote: "Our code and data are available at ..."; a paper's aims
        # in its introduction: "In this paper, we introduce ...")
        captions = self.outline.captions
        # a structured abstract's parts that do not tell what the study found ("Abstract: Background")
        parts = [ABSTRACT_PART.match(c.section) and not reporting_part(c.section) for c in index.chunks]
        self._framing_parts = np.array(parts, dtype=bool)
        self._role_rows = {
            role: np.array(
                [
                    heading_has_role(
                        captions.get((c.doc, c.section), c.section) if role in ROLES else c.section, [role]
                    )
                    or (role in BACK_MATTER and c.kind != "body" and states_role(c.text, [role]))
                    or (role == "publication" and says_where_sent(c.text))
                    or (role in STATED and names_role(c.text, [role]))
                    for c in index.chunks
                ],
                dtype=bool,
            )
            for role in [*ROLES, *BACK_MATTER]
        }
        self._queries: dict[str, tuple[str, np.ndarray]] = {}
        self._queries_lock = threading.Lock()
        for i, c in enumerate(index.chunks):
            self._work_rows.setdefault(c.work, np.zeros(len(index.chunks), dtype=bool))[i] = True

    def score(self, question: str) -> ScoredCandidates:
        question = question.strip()
        if not question:
            raise BadQuestionError("the question is empty: type a question about the papers")
        named = self.named_works(question)
        query, vector = self.embed_query(question)
        dense = self.index.vectors.all_scores(vector) + self.settings.heading_weight * self.heading_similarity(vector)
        bm25 = self.lexical.scores(query)
        sims = self.index.sentence_vectors @ vector if len(self.index.sentence_vectors) else np.zeros(1)
        sentence = np.maximum.reduceat(sims[self._sentence_rows], self._sentence_starts) if len(dense) else dense
        roles = asked_roles(question)
        about = about_the_paper(question) or any(r in BACK_MATTER for r in roles)
        named_mask = np.zeros(len(dense), dtype=np.float32)
        for work in named:
            named_mask[self._work_rows[work]] = 1.0
        s = self.settings
        k = s.rrf_k
        rrf_bm25 = rank_credit(bm25, k)  # rank credits scaled to (0, 1]
        rrf_bm25[bm25 <= 0] = 0.0  # a passage sharing no word with the question earns no lexical credit
        features = np.column_stack(
            [
                rank_credit(dense, k),
                rrf_bm25,
                rank_credit(sentence, k),
                dense,
                sentence,
                bm25 / bm25.max() if bm25.max() > 0 else bm25,
                self._front,
                self._back,
                (self._front + self._back) * about,
                named_mask,
                np.ones(len(dense), dtype=np.float32),
            ]
        ).astype(np.float32)
        model = ranker_model() if s.ranker == "learned" else None
        fused: np.ndarray
        if model is not None:
            fused = features @ np.asarray(model["weights"], dtype=np.float32)
        else:
            fused = s.dense_weight * features[:, 0] + s.bm25_weight * rrf_bm25
            if roles:  # "what weaknesses do the authors admit?": the passages under a "Limitations" heading
                under = np.logical_or.reduce([self._role_rows[r] for r in roles])
                if FINDINGS_ASKED.search(question):  # (a structured abstract's results, not its background)
                    under = under & ~self._framing_parts
                if any(r in STATED for r in roles):
                    # every study states its aims and its sample: those of the papers asked about, or else of the
                    # passages already near the top, not every paper's ("How many stakeholders took part in the
                    # in-depth interviews?" is about the one study that held them), unless every paper's is asked
                    # for ("what gap is each of these papers trying to fill?")
                    if named:
                        near = named_mask > 0
                    elif asks_across_papers(question):
                        near = np.ones(len(fused), dtype=bool)
                    else:
                        depth = min(ROLE_DEPTH, len(fused))
                        near = fused >= np.partition(fused, -depth)[-depth]
                    plain = [self._role_rows[r] for r in roles if r not in STATED]
                    under = np.logical_or.reduce([under & near, *plain])
                fused = fused + ROLE_CREDIT * s.dense_weight * under  # credited as a first dense rank is
            heads = self.outline.named_sections(question, named or None)
            if heads:  # "What does the 'Where next?' chapter say?": the passages under the heading it names
                under_heading = np.array([c.section in heads for c in self.index.chunks], dtype=bool)
                fused = fused + ROLE_CREDIT * s.dense_weight * (under_heading & ((named_mask > 0) | (not named)))
            fused = fused * (self._matter_weight if not about else self._matter_boost)
            fused = fused * np.where(named_mask > 0, AUTHOR_BOOST, 1.0).astype(np.float32)
        if len(fused) and not self.speaks_of_authors(question):
            # what a paper says of its authors ("Her career has encompassed the charitable sector, ...") is no
            # evidence on its subject (the voluntary sector), unless the question speaks of them
            fused = np.where(self._of_authors, fused.min() - 1.0, fused).astype(np.float32)
        return ScoredCandidates(fused, dense, bm25, query, features, sims)

    def speaks_of_authors(self, question: str) -> bool:
        """Does the question ask about the papers' authors, or name one in full (see asks_of_authors)?"""
        return (
            about_the_paper(question)
            or "affiliation" in asked_roles(question)
            or asks_of_authors(question, self._author_names)
        )

    def embed_query(self, question: str) -> tuple[str, np.ndarray]:
        """The text a question is searched with (author names dropped, acronyms the papers define spelled out) and
        its vector. The last few are remembered: the answer step scores sentences with the vector retrieval made."""
        question = question.strip()
        with self._queries_lock:  # the page serves several sessions from one retriever
            remembered = self._queries.get(question)
        if remembered is not None:
            return remembered
        # Author names point at a paper; they are not what the passage should talk about. A paper's own name for
        # its subject ("ReAct") stays in the words searched, but would pull the vector to every passage using it.
        named = self.named_works(question)
        plain = in_papers_words(question)
        query = expand_query(self.without_names(plain, title_names=False) if named else plain, self.acronyms)
        meaning = expand_query(self.without_names(plain), self.acronyms) if named else query
        remembered = (query, self.embedder.embed([meaning])[0])
        with self._queries_lock:
            while len(self._queries) >= QUERY_MEMORY:
                self._queries.pop(next(iter(self._queries)))
            self._queries[question] = remembered
        return remembered

    def heading_similarity(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of the question with each passage's section heading. A passage without a heading gets the mean
        over those with one, so that having no heading neither helps nor hurts."""
        if not len(self._heading_vectors):
            return np.zeros(len(self._heading_rows), dtype=np.float32)
        sims = self._heading_vectors @ vector
        headed = self._heading_rows >= 0
        out = np.full(len(self._heading_rows), float(sims[self._heading_rows[headed]].mean()), dtype=np.float32)
        out[headed] = sims[self._heading_rows[headed]]
        return out

    def _owner(self, acronym: str) -> str | None:
        """The paper that uses the acronym as its own name (see `own_name`); remembered, as counting reads every
        passage."""
        with self._queries_lock:  # the page serves several sessions from one retriever
            if acronym in self._owners:
                return self._owners[acronym]
        owner = own_name(acronym, ((c.work, c.text) for c in self.index.chunks))
        with self._queries_lock:
            while len(self._owners) >= QUERY_MEMORY:
                self._owners.pop(next(iter(self._owners)))
            self._owners[acronym] = owner
        return owner

    def named_works(self, question: str) -> list[str]:
        """The papers the question names: by an author ("the Aufegger study", "Ng's paper"), by a publisher
        or venue that only one paper has ("the King's Fund report"), by its title's name ("ReAct") or a capitalised
        word only its title has, before "study", "paper" ... ("the Malawi study"); a question
        about a paper itself naming none of these, by what its title says (`titled_work`)."""
        terms = set(tokenize(question))
        lowered = question.lower().replace("’", "'")
        words = set(_WORD.findall(question))
        # "the Malawi study": a capitalised word before "study", "paper" ... that one title alone holds
        called = {t for m in _CALLED.finditer(question) for t in tokenize(m.group(1))}
        called = {t for t in called if sum(t in terms for terms in self._title_terms.values()) == 1}
        # "the ALCE paper": an acronym that one paper uses as its own name for what it builds
        owned = {self._owner(m.group(1)) for m in _CALLED.finditer(question) if m.group(1).isupper()} - {None}
        # "the influential nodes work": two or more words of one title, and of no other, before "work", "study" ...
        by_phrase = {work for _, work in self._called_by(question) if work}
        sole = self._sole_title_users(question)
        named = [
            w
            for w, authors in self._author_terms.items()
            if terms & authors
            or (w in self._venues and self._venues[w].replace("'", "") in lowered.replace("'", ""))  # "kings fund"
            or any(names_paper(word, self._title_names.get(w, "")) for word in words)
            or called & self._title_terms.get(w, set())
            or w in owned
            or w in by_phrase
            or w in sole
        ]
        if len(named) > 1:
            # "Ng cites the King's Fund on ...": a paper's source, named after the verb citing it, is not asked about
            cited = {w for m in _CITING.finditer(question) for w in self.named_works(m.group(1))}
            named = [w for w in named if w not in cited] or named
        if not named and about_the_paper(question):
            titled = self.titled_work(question)
            named = [titled] if titled else []
        return named

    def _called_by(self, question: str) -> list[tuple[list[tuple[int, int, str]], str | None]]:
        """Each "the ... study" of the question, as the words calling it ((start, end, word) in the question: those
        right before "study", "paper" ..., after the last function word, "ng's" in "the consultants in ng's study")
        and the paper they name: by two or more words of its title that no other title holds all of ("the
        influential nodes work"), or by words one paper alone writes about ("the STP governance study", see
        `_subject_owner`; not before "work", which may be the verb, "how does the shared budget work?", nor by a
        year, "the 2023 report" may be any of that year's)."""
        out: list[tuple[list[tuple[int, int, str]], str | None]] = []
        for m in _CALLED_BY_TITLE.finditer(question):
            words = [(w.start(), w.end(), w.group()) for w in _CALLING_WORD.finditer(question, m.start(1), m.end(1))]
            while any(re.split(r"['’]", word)[0].lower() in STOPWORDS for _, _, word in words):
                words = words[1:]
            terms = {t for _, _, word in words for t in tokenize(word)}
            titled = [w for w, t in self._title_terms.items() if len(terms) >= 2 and terms <= t]
            owners = set(titled) if len(titled) == 1 else set()
            if not owners and m.group(2).lower() != "work":
                # (not by an author's name, which names that author's paper: "the De Marchis study" is not the
                # physics letter whose list of collaborators writes "De" most)
                owners = {o for t in terms - self._name_terms if not t.isdigit() and (o := self._subject_owner(t))}
            out.append((words, owners.pop() if len(owners) == 1 else None))
        return out

    def _subject_owner(self, term: str) -> str | None:
        """The paper a stemmed word is the subject of: the one using it in NAME_USES or more passages and NAME_RATIO
        times as many as all the others together ("STP" is the Waring paper's; "leadership" and "qualitative",
        which every paper uses, are no paper's). Remembered."""
        with self._queries_lock:
            if term in self._subjects:
                return self._subjects[term]
        owner = sole_user(Counter(self.index.chunks[r].work for r in np.flatnonzero(self.lexical.scores(term) > 0)))
        with self._queries_lock:
            self._subjects[term] = owner
        return owner

    def _sole_title_users(self, question: str) -> set[str]:
        """The papers named by a capitalised word of the question (not its first) that one paper's title holds and
        no other paper uses at all: "How long did the Malawi stakeholder interviews last?" is about the paper from
        Malawi, even without "the Malawi study". A question setting it beside others ("how do hospitals in Malawi
        and the NHS compare?") names none."""
        users: set[str] = set()
        if compares(question) or asks_across_papers(question):
            return users
        for m in re.finditer(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'’-]*", question.strip()):
            for term in tokenize(m.group()):
                holders = [w for w, terms in self._title_terms.items() if term in terms]
                if len(holders) != 1 or holders[0] in users:
                    continue
                rows = np.flatnonzero(self.lexical.scores(term) > 0)
                if {self.index.chunks[r].work for r in rows} <= {holders[0]}:
                    users.add(holders[0])
        return users

    def titled_work(self, question: str) -> str | None:
        """The paper a question about a paper itself names by what its title says ("who wrote the paper on
        clinical leaders in ICS governance?"): the one whose title holds at least TITLE_SHARE of the question's
        words (less those asking about the paper), well ahead of every other title, and a word no other title has."""
        asked = set(tokenize(expand_query(AUTHORS.sub(" ", ABOUT_THE_PAPER.sub(" ", question)), self.acronyms)))
        if len(asked) < 2:
            return None
        shares = sorted(((len(asked & terms) / len(asked), w) for w, terms in self._title_terms.items()), reverse=True)
        best, work = shares[0]
        runner_up = shares[1][0] if len(shares) > 1 else 0.0
        others = set().union(*(terms for w, terms in self._title_terms.items() if w != work))
        own = asked & self._title_terms[work] - others  # a word of the question only this title has
        return work if best >= TITLE_SHARE and best - runner_up >= TITLE_MARGIN and own else None

    def with_own_acronyms(self, question: str) -> str:
        """The question with each acronym it spells out itself, that no paper uses, written as its long form: "does
        UEC come up?", after "urgent and emergency care", asks about that, not a name the papers never mention."""
        own = self.own_acronyms(question)
        return spell_out(question, own) if own else question

    def with_cased_names(self, question: str) -> str:
        """The question with the surnames of the authors of the papers it names (see named_works) capitalised where
        it writes them in lower case: "what methods did ng use?" asks what Ng's team did, as "What methods did Ng
        use?" does."""
        for work in self.named_works(question):
            for author in self.index.papers[work].authors:
                name = author.split()[-1] if author.split() else ""
                if len(name) >= 2 and name[:1].isupper():
                    question = re.sub(rf"(?<![\w'’-]){re.escape(name.lower())}(?![\w-])", name, question)
        return question

    def own_acronyms(self, question: str) -> dict[str, str]:
        """The acronyms of the question that no paper uses, each with the long form the question spells out, or
        else the papers write (see with_own_acronyms)."""
        own = {
            acronym: long_form
            for acronym, long_form in defined_in(question).items()
            if acronym not in self.acronyms and not self.lexical.scores(acronym).any()
        }
        # (and which the papers write: else the acronym is what they never mention, "primary care networks (PCNs)")
        own = {acronym: long_form for acronym, long_form in own.items() if self._writes(long_form)}
        for acronym in capitals_in(question):
            # one that the papers never use nor define, but whose long form they write: "what happened to CCGs?" asks
            # about the "clinical commissioning groups" two papers write of, not about a name they never mention
            known = acronym in own or acronym in self.acronyms or acronym.lower() in STOPWORDS  # ("WHO")
            if not known and not self.lexical.scores(acronym).any():
                long_form = self._written_long_form(acronym)
                if long_form:
                    own[acronym] = long_form
        return own

    def _written_long_form(self, acronym: str) -> str | None:
        if acronym not in self._long_forms:
            texts = ((c.work, c.text) for c in self.index.chunks)
            self._long_forms[acronym] = written_long_form(acronym, texts, STOPWORDS)
        return self._long_forms[acronym]

    def _writes(self, phrase: str) -> bool:
        """Does a passage write the phrase (its stemmed words in a row)? Looked up in the passages holding all its
        words, not in the whole corpus."""
        terms = tokenize(phrase)
        if not terms:
            return False
        holding = np.logical_and.reduce([self.lexical.scores(t) > 0 for t in terms])
        wanted = plain_text(phrase)
        return any(wanted in plain_text(self.index.chunks[r].text) for r in np.flatnonzero(holding))

    def scoring_text(self, question: str) -> str:
        """The words an evidence sentence is matched with: the question without the names that chose a paper, plus
        the acronyms of the long forms it spells out (not the long forms of its acronyms), and not the verb that only
        frames what it asks for ("what recommendations does Aufegger make?", "list the ...")."""
        return expand_query(without_framing(self.without_names(question)), self.acronyms, spell_out=False)

    def without_names(self, question: str, title_names: bool = True) -> str:
        """The question without the authors' names and the publishers or venues that name a paper (and, with
        `title_names`, the names titles give their papers): once they have chosen the paper, they are not what its
        passages should talk about."""
        names = {a.split()[-1] for m in self.index.papers.values() for a in m.authors if a.split()}
        # ("Aufegger and colleagues": the colleagues are the paper's other authors, not "professional colleagues")
        pattern = (
            r"\b(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")(?:['’]s)?(?:\s+et\s+al\.?)?"
            r"(?:\s+and\s+(?:colleagues|co-?authors|co-?workers|collaborators))?"
        )
        stripped = re.sub(pattern, " ", question, flags=re.I) if names else question
        for venue in sorted(self._venues.values(), key=len, reverse=True):
            words = [re.escape(w) for w in venue.replace("’", "'").split()]
            if words:
                phrase = r"['’]?".join(r"\s+".join(words).split("'"))  # ("kings fund", typed without it)
                if re.search(_ASKS_WHO_IT_IS.format(name=phrase), stripped, flags=re.I):
                    continue  # ("Who are the King's Fund?" asks about the publisher itself)
                stripped = re.sub(rf"(?:\bthe\s+)?\b{phrase}(?:['’]s)?\b", " ", stripped, flags=re.I)
        # ... and the words calling it by the subject it alone writes about ("STP" in "the STP governance paper",
        # not "governance", which the King's Fund report writes about too)
        for calling, work in reversed(self._called_by(stripped)):
            for start, end, word in reversed(calling):
                if work and {self._subject_owner(t) for t in tokenize(word)} == {work}:
                    stripped = stripped[:start] + " " + stripped[end:]
        if title_names and not asks_meaning(question):  # "what does VESPA stand for?" is about the name
            stripped = _WORD.sub(
                lambda m: " " if any(names_paper(m.group(1), n) for n in self._title_names.values()) else m.group(),
                stripped,
            )
        stripped = re.sub(r"\s{2,}", " ", stripped).strip()
        # "What is ReAct?": the name is all the question asks about, so it stays
        return stripped if tokenize(stripped) else question

    def search(self, question: str, k: int | None = None, works: Collection[str] | None = None) -> list[Hit]:
        """The evidence for a question, within the character budget: with `evidence = "sentences"` (the default)
        the best `whole_passages` passages whole, then the best single sentences of any other passage (see
        rag.evidence); with "passages", the top k passages. `k` caps the number of results.

        Passages do not overlap and hold no cross-rendering duplicates. A question that names some of the papers
        ("what did Ng find ...") is searched in those papers only, unless it asks across the papers ("compare Ng
        with the other studies") or `works` says where to look."""
        question = self.with_own_acronyms(self.with_cased_names(question))
        scored = self.score(question)
        where = works if works is not None else self.scope(question)
        s = self.settings
        if s.evidence == "passages":
            return self.select(scored.fused, k or s.k, where, scored.sentence_sims)
        # An answer across the papers needs evidence from more of them: one passage fewer shown whole.
        whole = min(k or s.k, max(0, s.whole_passages - asks_across_papers(question)))
        fused = scored.fused
        if where and len(where) <= 2 and about_the_paper(question):
            # A question about a named paper itself (who wrote it, where it was published) gets its title page.
            fused = fused.copy()
            for work in where:
                front = self._front_rows.get(work)
                if front is not None:
                    fused[front] = fused.max() + 1.0
        first = self.select(fused, whole, where, scored.sentence_sims, merge=False) if whole else []
        # Across the papers, the evidence is spread over passages that are each mostly about something else: a
        # sentence is scored more on its own ranks, and less on its passage's.
        across = asks_across_papers(question)
        weights = SentenceWeights(
            s.across_passage_weight if across else s.sentence_passage_weight,
            s.across_bm25_weight if across else s.sentence_bm25_weight,
            s.across_rrf_k if across else s.sentence_rrf_k,
        )
        sentence_scores = self.sentences.scores(fused, scored.sentence_sims, scored.query, weights)
        if len(sentence_scores) and not self.speaks_of_authors(question):  # (see score)
            home = self.sentences.home
            of_authors = (home >= 0) & self._of_authors[np.maximum(home, 0)]
            sentence_scores = np.where(of_authors, sentence_scores.min() - 1.0, sentence_scores)
        quoted = quoted_phrases(question)
        for phrase in quoted:
            # the sentences holding the words the question quotes ("what doctors 'can do' is not what they 'will
            # do'"), which BM25 may not see (stop words) and an embedding blurs, are evidence: one holding all of
            # them most, one holding some ("where do the papers talk about 'hierarchy' or 'silo' working?") for those

            def holds(text: str, phrase: str = phrase) -> bool:
                return quotes_any(text, [phrase])

            sentence_scores = self._credited(
                sentence_scores, holds, QUOTE_DEPTH, QUOTE_CREDIT / len(quoted), QUOTE_LIMIT
            )
        stated = [r for r in asked_roles(question) if r in UNWORDED_ROLES]
        if stated:
            sentence_scores = self._credited(
                sentence_scores, lambda text: states_part(text, stated), STATED_DEPTH, ROLE_CREDIT, STATED_LIMIT, where
            )
        if FINDINGS_ASKED.search(question) and "summary" in asked_roles(question) and len(sentence_scores):
            # "What were the main findings of ...?": the structured abstract's results and conclusions, not its
            # background, whose words the question shares
            sentence_scores = sentence_scores + ROLE_CREDIT * self._reporting
        term = asked_term(question)
        if term is not None:
            # "What is ReAct?": a sentence defining the term ("we present ReAct, a general paradigm ...") is the
            # evidence, however many others use the term
            sentence_scores = self._credited(
                sentence_scores, lambda text: defines(text, term, self.acronyms), DEFINITION_DEPTH, DEFINITION_CREDIT
            )
        spelt = spelt_acronyms(question, self.acronyms) if term is None and asks_meaning(question) else []
        if spelt:
            # "What does SIDD stand for?": the sentence writing it with its long form ("(3) SIDD (Second Improvement
            # of DegreeDistance): ...") is the evidence, however many others use the acronym
            sentence_scores = self._credited(
                sentence_scores,
                lambda text: any(spells_out(text, a, long) for a, long in spelt),
                DEFINITION_DEPTH,
                DEFINITION_CREDIT,
            )
        thing = asked_purpose(question)
        if thing is not None:
            # "What are ICSs supposed to achieve?": a sentence stating what they are for ("They have four core
            # purposes, to: ...") is the evidence, however many others are about them
            sentence_scores = self._credited(
                sentence_scores, lambda text: states_purpose(text, thing), PURPOSE_DEPTH, PURPOSE_CREDIT, PURPOSE_LIMIT
            )
        _, vector = self.embed_query(question)
        heading_scores = self.outline.scores(fused, vector, scored.query, weights)
        count = asked_count(question)  # (a list asked for by its length: "what are the six practices?")
        asked = (
            self.outline.asked_series(heading_scores, where, question)
            if question_kind(question) == "list" or count is not None
            else None
        )
        if count is not None and asked is None:  # (a series of headings asked for by its count is the list itself)

            def announces(text: str) -> bool:
                return announces_count(text, count)

            sentence_scores = self._credited(sentence_scores, announces, COUNT_DEPTH, COUNT_CREDIT, COUNT_LIMIT, where)
        run = self.outline.best_run(heading_scores, where)
        # The paper's own headings come first when they match the question as well as its third best sentence;
        # all of them, when the question asks how a paper is laid out (the paper it names, or the best passage's);
        # a series of them that a list question asks for by their word or count, among the three best at least
        # ("what practices should leaders in an ICS work on?": "Practice 4: ..." scored under the third sentence)
        third = float(np.sort(sentence_scores)[-3]) if len(sentence_scores) >= 3 else -np.inf
        run = (asked[0], max(asked[1], third)) if asked else run
        if asks_layout(question) and len(fused):
            best = next((int(i) for i in np.argsort(-fused) if where is None or self.index.chunks[i].work in where), -1)
            listed = self.outline.contents(self.index.chunks[best].work) if best >= 0 else []
            ahead = float(sentence_scores.max()) + 1.0 if len(sentence_scores) else 1.0
            run = (listed, ahead) if listed else run
        outline = [self.outline.hit(*run)] if run is not None and run[1] >= third else []
        if asks_figures(question) and len(sentence_scores):
            # "which figures do these papers have?": each paper's figure and table captions, first (the paper it
            # names, or every paper)
            ahead = float(sentence_scores.max()) + 1.0
            shown = [w for w in (where or sorted(self.index.papers)) if self.outline.figures(w)]
            outline = []
            for i, work in enumerate(shown):  # (as many papers as half the evidence's room holds)
                captions = self.outline.hit(self.outline.figures(work), ahead - i * 1e-3)
                if sum(len(h.chunk.text) for h in [*outline, captions]) > s.budget_chars // 2:
                    break
                outline.append(captions)
        parts = [r for r in asked_roles(question) if r in ROLES]
        structured: list[Hit] = []
        if (
            parts
            and where
            and len(where) <= 2
            and question_kind(question) != "numeric"
            and not asks_figures(question)
            and len(sentence_scores)
        ):
            # Each paper asked about sets the part out in its own structure, first: "What practical recommendations
            # does Ng make?" in the rows of the table its caption says holds them ("Table 2. Practical implications
            # and recommendations from the study"), by their labels (before the paper's headings: "... the headings
            # of her recommendations table"; not for a number in one row); "what themes came out of Aufegger's
            # interviews?" in the headings its findings are set out under.
            ahead = float(sentence_scores.max()) + 1.0
            for work in where:
                table = self.outline.table_rows([work], parts)
                found = self.outline.findings(work) if table is None and "themes" in parts else []
                if table is not None:
                    structured.append(self.outline.hit(table, ahead - len(structured) * 1e-3, TABLE_ROWS))
                elif found:
                    structured.append(self.outline.hit(found, ahead - len(structured) * 1e-3, FINDINGS))
        outline = structured or outline
        if sum(len(h.chunk.text) for h in outline + first) > s.budget_chars:
            outline = []
        budget = s.budget_chars - sum(len(h.chunk.text) for h in outline)
        # (so are the papers a question names together: "how did Ng's interviewees differ from Waring's?")
        spread = s.across_paper_spread if across or (where is not None and len(where) > 1) else 0.0
        whole_lists = question_kind(question) == "list"  # (a list asked for: its items come together)
        hits = self.sentences.assemble(sentence_scores, first, budget, where, spread=spread, lists=whole_lists)
        ranked = sorted(outline + hits, key=lambda h: -h.score)
        ranked = [replace(h, rank=i) for i, h in enumerate(ranked, 1)]
        return ranked[:k] if k is not None else ranked

    def _credited(
        self,
        scores: np.ndarray,
        holds: Callable[[str], bool],
        depth: int,
        credit: float,
        limit: int | None = None,
        works: Collection[str] | None = None,
    ) -> np.ndarray:
        """The sentence scores with `credit` added to those among the `depth` best (of the papers `works`, when
        given) whose text `holds` (the first `limit` of them, when given)."""
        order = np.argsort(-scores)
        if works is not None:
            ids = [self.sentences.work_id(w) for w in works]
            order = order[np.isin(self.sentences.work[order], ids)]
        rows = [int(r) for r in order[:depth] if holds(self.sentences.texts[int(r)])]
        out = scores.copy()
        out[rows[:limit]] += credit
        return out

    def scope(self, question: str) -> list[str] | None:
        """The papers a question is about when it names some of them and does not ask across the papers."""
        if asks_across_papers(question):
            return None
        named = self.named_works(question)
        return named if named and len(named) < len(self.index.papers) else None

    def select(
        self,
        scores: np.ndarray,
        k: int,
        works: Collection[str] | None = None,
        sentence_sims: np.ndarray | None = None,
        merge: bool = True,
    ) -> list[Hit]:
        """The best k passages within the character budget.

        A candidate that overlaps a chosen passage is not shown twice: the chosen passage grows to cover both (up to
        `merge_chars`), paying only for the new sentences. A candidate too long for what is left of the budget is
        cut to its sentences around the one closest to the question (given `sentence_sims`), if at least
        `min_trim_chars` are left. With `merge` off, overlapping candidates are skipped instead."""
        chunks = self.index.chunks
        s = self.settings
        chosen: list[_Passage] = []
        used = 0
        order = np.argsort(-scores, kind="stable")
        if works is not None:
            allowed = np.zeros(len(chunks), dtype=bool)
            for work in works:
                allowed |= self._work_rows.get(work, allowed)
            order = order[allowed[order]]
        for i in order[: max(s.candidates, k) * 3]:
            row = int(i)
            chunk = chunks[row]
            same = next((j for j, p in enumerate(chosen) if _overlaps(chunk, p.chunk)), None)
            if same is not None:
                if merge:
                    used += self._grow(chosen, same, row, s.budget_chars - used)
                continue
            if len(chosen) == k:
                continue  # full: later candidates may still grow a chosen passage
            if any(containment(self._shingles[row], self._shingles[j]) > 0.6 for p in chosen for j in p.rows):
                continue
            passage = self._passage(row)
            room = s.budget_chars - used
            if chosen and len(chunk.text) > room:
                if sentence_sims is None or room < s.min_trim_chars:
                    continue
                cut = passage.trimmed(sentence_sims, room)
                if cut is None:
                    continue
                passage = cut
            chosen.append(passage)
            used += len(passage.chunk.text)
        return [
            Hit(rank=r + 1, chunk=p.chunk, score=float(scores[p.rows[0]]), sentences=p.sentences, passage_row=p.rows[0])
            for r, p in enumerate(chosen)
        ]

    def _grow(self, chosen: list[_Passage], at: int, row: int, room: int) -> int:
        """Join stored passage `row` into chosen[at] when the new text fits in `room` and `merge_chars` and
        touches no other chosen passage; returns the characters it cost."""
        old = chosen[at]
        grown = old.joined(self._passage(row))
        if grown is None:
            return 0
        extra = len(grown.chunk.text) - len(old.chunk.text)
        if not 0 < extra <= room or len(grown.chunk.text) > self.settings.merge_chars:
            return 0
        if any(_overlaps(grown.chunk, p.chunk) for j, p in enumerate(chosen) if j != at):
            return 0
        chosen[at] = grown
        return extra

    def _passage(self, row: int) -> _Passage:
        return _Passage(self.index.chunks[row], (row,), self.index.sentences_of(row))


@dataclass(frozen=True)
class _Passage:
    """A chosen passage: one stored passage, or several overlapping ones of one page joined into one span."""

    chunk: Chunk
    rows: tuple[int, ...]  # the stored passages it covers, best-scored first
    sentences: tuple[tuple[int, int, int], ...]  # (start, end) in chunk.text and the sentence-vector row

    def trimmed(self, sentence_sims: np.ndarray, room: int) -> _Passage | None:
        """The run of this passage's sentences that fits in `room` characters, grown from the sentence closest to
        the question (by `sentence_sims`, indexed by sentence-vector row) forwards first, then backwards; None
        when even that sentence does not fit. Its span in the source is the run's."""
        spans = self.sentences
        if not spans:
            return None
        best = max(range(len(spans)), key=lambda j: float(sentence_sims[spans[j][2]]))
        lo, hi = best, best + 1
        if spans[best][1] - spans[best][0] > room:
            return None
        while True:
            if hi < len(spans) and spans[hi][1] - spans[lo][0] <= room:
                hi += 1
            elif lo > 0 and spans[hi - 1][1] - spans[lo - 1][0] <= room:
                lo -= 1
            else:
                break
        cut = spans[lo][0]
        chunk = cut_chunk(self.chunk, cut, spans[hi - 1][1])
        return _Passage(chunk, self.rows, tuple((a - cut, b - cut, r) for a, b, r in spans[lo:hi]))

    def joined(self, other: _Passage) -> _Passage | None:
        """This passage grown to cover `other` too, or None when the two texts do not join (the later one must
        begin with sentences that end the earlier one)."""
        first, second = (self, other) if self.chunk.start <= other.chunk.start else (other, self)
        a, b = first.chunk.text, second.chunk.text
        # The longest run of b's leading sentences that ends a.
        cut = next((e for _, e, _ in reversed(second.sentences) if a.endswith(b[:e])), None)
        if cut is None or cut >= len(b):
            return None
        text = a + b[cut:]
        shift = len(a) - cut
        sentences = first.sentences + tuple((s + shift, e + shift, r) for s, e, r in second.sentences if s >= cut)
        chunk = replace(
            first.chunk,
            chunk_id=chunk_id(first.chunk.doc, text),
            text=text,
            start=first.chunk.start,
            end=max(first.chunk.end, second.chunk.end),
            anchors=first.chunk.anchors
            + tuple((s + shift, e + shift, rs, re_) for s, e, rs, re_ in second.chunk.anchors if s >= cut),
        )
        return _Passage(chunk, self.rows + other.rows, sentences)
