"""The answer chain (LangChain LCEL): retrieve -> select evidence -> answer -> check citations -> Answer.

The default answerer is extractive and needs no language model; a chat model, when configured, drafts the
answer from numbered passages and its draft goes through the same citation check (falling back to the
extractive answer when too little of it is supported).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from rag.acronyms import asks_meaning, unspelled_acronyms
from rag.answer_types import asked_parts, asks_across_papers, separate_questions
from rag.answering import (
    NEVER_MENTIONED,
    NO_VALUE,
    WEAK_EVIDENCE,
    Candidate,
    IdfWeights,
    Selection,
    asks_a_second_question,
    candidates,
    gate_of,
    select,
    selector_model,
    strength,
    word_budget,
)
from rag.citations import check_citations
from rag.cited_works import CitedWorks
from rag.composition import Composer, best_quote, short_ref
from rag.contacts import Contact, asks_contact
from rag.coverage import (
    NUMBERED_NAME,
    absent_runs,
    absent_terms,
    acts_as_verb,
    class_words,
    framing_words,
    kin_in,
    misspelt,
    phrase_from,
    plain_text,
    speaker_phrase,
    speakers,
    superlative,
    unread_name,
)
from rag.embedding import Embedder
from rag.lexical import tokenize
from rag.prompts import ABSTAIN_TEXT
from rag.retrieval import HybridRetriever, about_the_paper
from rag.schema import Answer, AnswerSentence, Citation, Hit, PaperMeta
from rag.section_roles import (
    BACK_MATTER,
    RECEPTION,
    RECEPTION_PRINTED,
    asked_roles,
    asks_only_summary,
    declares,
    heading_has_role,
    states_consent,
    states_funding,
    states_role,
)

if TYPE_CHECKING:  # a chat model, its prompt and parser are imported only when one is configured
    from langchain_core.language_models import BaseChatModel

# A question word the papers never use is reported as not covered when dropping it moves the question's meaning
# (1 - cosine of the question with and without it) at least this much: "mortality" does, "typically" does not.
NOT_COVERED_SHIFT = 0.06
MIN_SUPPORTED_SHARE = 0.5  # a generated draft with less support than this falls back to the extractive answer
_FOLLOW_UP = re.compile(r"\b(that|this|it|they|them|those|these|there|its|their|also|same|and what|what about)\b", re.I)


class LangChainEmbeddings(Embeddings):
    """Our embedder behind LangChain's `Embeddings` interface (it passes LangChain's standard embeddings suite)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self.embedder.embed(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.embedder.embed([text])[0]]


class PaperRetriever(BaseRetriever):
    """Our hybrid retriever behind LangChain's retriever interface; each Document carries its Hit.

    `k` is the number of passages (at most; fewer when the character budget is spent), set on the retriever or per
    call: `retriever.invoke(question, k=1)`."""

    retriever: Any
    k: int | None = None  # at most this many results (None: as many as the character budget holds)
    works: frozenset[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        if k is not None and k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        hits = self.retriever.search(query, k=k or self.k, works=self.works)
        return [Document(page_content=h.chunk.text, metadata={"hit": h}) for h in hits]


def contextual_query(question: str, history: Sequence[str]) -> str:
    """A follow-up ("and what did the King's Fund say about that?") is searched with the previous question."""
    if history and (_FOLLOW_UP.search(question) or len(question.split()) <= 6):
        return f"{question} {history[-1]}"
    return question


# how far below the evidence's best sentence (logits) a paper's best may score for an answer across the papers to give
# that paper a row before quoting another paper twice (further down, a paper is "not addressed")
ROW_MARGIN = 2.0

# the parts of a paper a question asking how its study was done asks for, and the words asking how people came to
# take part ("how were Ng's participants invited?", "how did she get people signed up?")
_HOW_IT_WAS_DONE = frozenset({"methods", "participants", "recruitment"})
_ASKS_CONSENT = re.compile(
    r"\b(?:consent|ethic|invit|recruit|approv|agree|permission|anonym|sign(?:ed|ing)? (?:up|on)\b|take part\b"
    r"|took part\b)",
    re.I,
)


@dataclass
class AnswerChain:
    """Builds and runs the LCEL chain for one loaded index."""

    retriever: HybridRetriever
    embedder: Embedder
    max_words: int
    k: int
    chat_model: BaseChatModel | None = None
    backend: str = "extractive"
    selector: dict[str, Any] | None = None  # sentence-selector weights; None: the model shipped in rag/models

    def __post_init__(self) -> None:
        self.idf = IdfWeights(self.retriever.index, self.retriever.acronyms)
        self._runnable: Runnable[dict[str, Any], Answer] | None = None
        self.lc_retriever = PaperRetriever(retriever=self.retriever)
        self._not_covered: dict[str, list[str]] = {}  # the last questions' words no paper uses
        self._declared: dict[tuple[str, str], bool] = {}  # does a paper state its funding, ethics approval, ...
        index = self.retriever.index
        cited = CitedWorks.of(index, self.idf.words.lower_words)
        work_of = {c.doc: c.work for c in index.chunks}
        contacts: dict[str, list[tuple[str, Contact]]] = {}
        for doc, found in sorted(index.contacts.items()):  # (a paper's two renderings: the first that prints them)
            if doc in work_of and found and work_of[doc] not in contacts:
                contacts[work_of[doc]] = [(doc, c) for c in found]
        self.composer = Composer(
            index.papers,
            self.max_words,
            self.retriever.scope,
            cited,
            self.retriever.without_names,
            contacts,
            self.retriever.acronyms,
        )

    def runnable(self) -> Runnable[dict[str, Any], Answer]:
        """question + history -> Answer, as an LCEL pipeline (built once)."""
        if self._runnable is None:
            self._runnable = self._build()
        return self._runnable

    def _build(self) -> Runnable[dict[str, Any], Answer]:
        # Each step adds its result to the running dict. (RunnablePassthrough.assign would do the same, but it
        # starts a thread pool for every step of every question.)
        chain: Runnable[dict[str, Any], Any] = _add("t0", lambda _: time.perf_counter())
        chain = chain | _add("docs", self._retrieve) | _add("t1", lambda _: time.perf_counter())
        chain = chain | _add("pool", self._pool) | _add("selection", self._select)
        if self.chat_model is not None:
            from langchain_core.output_parsers import StrOutputParser

            from rag.prompts import ANSWER_PROMPT

            draft = ANSWER_PROMPT | self.chat_model | StrOutputParser()
            chain = chain | RunnablePassthrough.assign(draft=RunnableLambda(self._prompt_inputs) | draft)
        return chain | RunnableLambda(self._finish)

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        qid: str | None = None,
        works: Sequence[str] | None = None,
    ) -> Answer:
        asked = self.retriever.with_own_acronyms(self.retriever.with_cased_names(question))
        # (what its acronyms no paper uses stand for, when it asks: see _spelt)
        spelt = self.retriever.own_acronyms(question) if asks_meaning(question) else {}
        answer = self.runnable().invoke({"question": asked, "history": list(history), "works": works, "spelt": spelt})
        return Answer(**{**answer.__dict__, "question": question, "id": qid})

    def search(self, question: str, k: int | None = None, works: Sequence[str] | None = None) -> list[Hit]:
        """The passages that answer a question, as the answer is built from them: for a question asking which works
        a paper cites, the entries of its reference list first (see Composer.cited_hits); for one asking how to get
        in touch, the papers' contact details (Composer.contact_hits)."""
        hits = self.retriever.search(question, k=k, works=works)
        top = max((h.score for h in hits), default=1.0)  # (they rank with the best passage)
        found = [*self.composer.cited_hits(question, top), *self.composer.contact_hits(question, top)]
        entries = [h for h in found if works is None or h.chunk.work in works]
        if not entries:
            return hits
        most = k if k is not None else len(entries) + len(hits)
        kept = entries[:most]
        room = self.retriever.settings.budget_chars - sum(len(h.chunk.text) for h in kept)
        for hit in hits:  # (the passages after them, as many as the same characters hold)
            room -= len(hit.chunk.text)
            if len(kept) >= most or room < 0:
                break
            kept.append(hit)
        return [replace(h, rank=i) for i, h in enumerate(kept, 1)]

    # --- steps ---------------------------------------------------------------------------------------------

    def _retrieve(self, x: dict[str, Any]) -> list[Document]:
        query = contextual_query(x["question"], x.get("history", ()))
        works = x.get("works")
        if works is None and query != x["question"]:
            # A follow-up that names a paper is about that paper, not the one the earlier question named.
            works = self.retriever.scope(x["question"])
        retriever = (
            self.lc_retriever if works is None else PaperRetriever(retriever=self.retriever, works=frozenset(works))
        )
        return retriever.invoke(query)

    def _pool(self, x: dict[str, Any]) -> list[Candidate]:
        """Every readable sentence of the evidence, scored. A follow-up is scored against the question it follows
        ("and what did the report say about that?" is about what the earlier question asked)."""
        hits = [d.metadata["hit"] for d in x["docs"]]
        pool = self._scored(contextual_query(x["question"], x.get("history", ())), hits)
        questions = separate_questions(x["question"])
        remark = bool(questions) and " ".join(questions) != " ".join(x["question"].split())
        parts = asked_parts(questions[0]) if len(questions) == 1 else []
        absent = self.not_covered(x["question"]) if parts else []
        if parts and parts != questions and not any(_names(part, absent) for part in parts):
            # so is one question asking two things ("how did that shape its limits, and what bigger study does she
            # suggest next?") or beside a remark ("they could be blowing their own trumpet - how did the team check
            # it?"); not a part naming what no paper mentions, whose threshold is calibrated on whole questions (a
            # part "how they fit into ICS partnerships?" after "did they look at trade unions" would match what the
            # papers say of partnerships)
            remark = remark or len(parts) == 1
            questions = parts
        strongest = strength(pool, self._selector) if pool else 0.0
        if not (len(questions) > 1 or remark) or x.get("history") or strongest >= self._threshold:
            return pool
        # A message asking several questions: matched against all of them at once, every sentence answers only
        # part of it and scores as weak evidence; matched against each, the sentences answering it score as they
        # should ("Do the papers think leadership should rest on one strong individual? What do they say about
        # ego, humility and status?"). So is a question with a remark beside it ("meetings - what do the papers
        # say about them? we seem to spend our lives in them"). A sentence keeps its best score.
        best: dict[tuple[int, int, int], Candidate] = {}
        for asked in questions:
            for c in self._scored(asked, hits):
                key = (c.hit_index, c.start, c.end)
                if key not in best or c.score > best[key].score:
                    best[key] = c
        # (a sentence stays of the parts the whole message asks for: "What does the Where next? chapter say?" is
        # split at the question mark of the heading it names)
        whole = {(c.hit_index, c.start, c.end): c.roles for c in pool}
        return [replace(c, roles=c.roles | whole.get(key, frozenset())) for key, c in best.items()]

    def _scored(self, asked: str, hits: Sequence[Hit]) -> list[Candidate]:
        # The names that chose a paper ("Ng", "the King's Fund") are not what its sentences should talk about, and
        # the long forms the search adds for the question's acronyms ("NHS": "National Health Service") would make
        # every sentence spelling them out look like an answer (see HybridRetriever.scoring_text).
        _, vector = self.retriever.embed_query(asked)
        text = self.retriever.scoring_text(asked)
        # A class the papers asked about never name ("what evaluation metrics did Dinu use?" of a paper reporting
        # "generation accuracy" and "median rank") is no word their sentences should hold.
        nouns = class_words(asked)
        vocabulary = self._vocabulary(self._scope(asked)) if nouns else set()
        for noun in nouns:
            if not set(tokenize(noun)) <= vocabulary:
                text = re.sub(rf"\b{re.escape(noun)}\b", " ", text)
        roles = asked_roles(asked)
        index, outline = self.retriever.index, self.retriever.outline
        heads = outline.named_sections(asked, self._scope(asked) or None)
        if "themes" in roles:  # (the sections a paper sets its findings out under are the part asked for)
            heads |= {h.title for work in self._scope(asked)[:2] for h in outline.findings(work)}
        scored = candidates(
            text, np.asarray(vector), hits, index, self.idf, self.selector, roles, outline.captions, heads
        )
        if about_the_paper(asked) or any(r in BACK_MATTER for r in roles):
            return scored
        # A paper's declarations (its funding, competing interests, ethics approval, data availability) answer
        # questions about the paper, not about its subject: "The author(s) declared no potential conflicts of
        # interest" is no evidence on handling conflict between partners.
        # So are those its methods print in the body ("All participants gave verbal and written consent for the
        # recorded interviews"), for a question not asking how the study was done.
        body_too = not any(r in _HOW_IT_WAS_DONE for r in roles) and not _ASKS_CONSENT.search(asked)
        return [
            c
            for c in scored
            if not (hits[c.hit_index].chunk.kind == "back" and declares(c.text))
            and not (body_too and states_consent(c.text))
        ]

    @property
    def _selector(self) -> dict[str, Any]:
        return self.selector or selector_model()

    @property
    def _threshold(self) -> float:
        """The score below which the best sentence is too weak to answer from (the selector's calibrated one)."""
        return float(gate_of(self._selector)["abstain_threshold"])  # type: ignore[arg-type]

    def _select(self, x: dict[str, Any]) -> Selection:
        selection = self._spelt(x.get("spelt", {}), self._choose(x))
        unprinted = self._unprinted(x["question"])
        if not unprinted:
            return selection
        # what the paper asked about does not declare is said first ("Waring et al., 2023 prints no funding
        # statement."); a question asking only for that is refused with it
        said = f"{self._named_paper(x['question'])} prints no {_join([DECLARATIONS[r] for r in unprinted])}"
        # (a command has no part asking: "list the statements at the end of Ng's article" is one ask)
        parts = asked_parts(x["question"]) or [x["question"]]
        asks = [set(_records_asked(part)) for part in parts]
        if all(a and a <= set(unprinted) for a in asks):
            return Selection((), True, selection.confidence, said)
        if selection.abstain:
            return selection
        return replace(selection, gap=" ".join(t for t in (f"{said}.", selection.gap) if t))

    @staticmethod
    def _spelt(own: dict[str, str], selection: Selection) -> Selection:
        """For a question asking what an acronym no paper uses stands for ("What does CCG stand for?"), whose long
        form the papers write (`own`, as the question was asked: it reaches the chain with the long form in its
        place): the sentences writing it, after a line saying so (it had been answered with sentences on anything
        else its words matched)."""
        if not own or selection.abstain:
            return selection
        forms = [plain_text(form) for form in own.values()]
        writing = tuple(c for c in selection.chosen if any(form in plain_text(c.text) for form in forms))
        if not writing:
            return selection
        said = " ".join(
            f"The papers never write {acronym}; they write the words its letters spell, “{form}”:"
            for acronym, form in own.items()
        )
        return replace(selection, chosen=writing, gap=" ".join(t for t in (said, selection.gap) if t))

    def _unprinted(self, question: str) -> list[str]:
        """What the question asks the one paper it names to declare (its funding, competing interests, ethics
        approval, data or code availability) or print of itself (its authors' affiliations, how often it has been
        cited) that none of that paper's passages states."""
        scope = self._scope(question)
        if len(scope) != 1:
            return []
        return [r for r in _records_asked(question) if not self._declares(scope[0], r)]

    def _declares(self, work: str, role: str) -> bool:
        if (work, role) not in self._declared:
            chunks = [c for c in self.retriever.index.chunks if c.work == work]
            if role == "reception":
                printed = any(RECEPTION_PRINTED.search(c.text) for c in chunks)
            elif role == "affiliation":
                # where its authors work, on its title page, in its notes ("Department of Computer Engineering,
                # University of Isfahan" in a first page's footnote) or under a heading ("About the authors")
                printed = any(
                    heading_has_role(c.section, [role]) or (c.kind != "body" and states_role(c.text, [role]))
                    for c in chunks
                )
            else:
                states = _APPROVAL.search if role == "ethics" else lambda text: states_role(text, [role])
                printed = any(states(c.text) for c in chunks)
            self._declared[work, role] = printed
        return self._declared[work, role]

    def _choose(self, x: dict[str, Any]) -> Selection:
        hits = [d.metadata["hit"] for d in x["docs"]]
        pool: list[Candidate] = x["pool"]
        named = set(self.retriever.named_works(x["question"]))
        preferred = None
        if named and len(named) < len(self.retriever.index.papers):
            # A question about one paper is answered from that paper, not from look-alike sentences elsewhere.
            preferred = [c for c in pool if hits[c.hit_index].chunk.work in named] or None

        if _asks_only_funding(x["question"]):
            # "Who funded the VESPA work?": the sentences saying who paid for it (a grant, a funder, financial
            # support) and what the funder did not do, not the other declarations, the authors' credits and the
            # body sentences that share its words
            funded = [c for c in preferred or pool if states_funding(c.text)]
            preferred = funded or preferred

        def refused(reason: str) -> Selection:
            return Selection((), True, max((c.score for c in pool), default=0.0), reason)

        # an acronym the papers use without spelling it out: what it stands for is not in them ("What does VCSE
        # stand for?" was answered with sentences using it)
        acronyms = unspelled_acronyms(x["question"], self.retriever.acronyms)
        used = [a for a in acronyms if set(tokenize(a)) <= self.idf.vocabulary]
        if used:
            return refused(f"the papers use {_join(used)} but never spell it out")
        absent = self.not_covered(x["question"])
        who = {w.lower() for w in speakers(x["question"])}
        unheard = [p for p in absent if who and set(p.lower().split()) <= who]
        if unheard:  # (a group the papers name in another form is heard from: "pharmacists" as the "pharmacy" leads)
            vocabulary = self.idf.vocabulary | self.idf.naming
            unheard = [p for p in unheard if not any(kin_in(w, vocabulary) for w in absent_terms(p, vocabulary))]
        if unheard:  # the papers cannot report what a group they never mention said or did
            return refused(f"the papers never mention {', '.join(unheard)}")
        # nor can a paper report on a named version it never writes ("GPT-3" asked of a paper on PaLM), as no paper
        # can on one the corpus never writes (rag.answering.select), unless another part of the question asks more
        versions = [w for w in absent if NUMBERED_NAME.fullmatch(w)] if self._scope(x["question"]) else []
        if versions and not _rest_asked(x["question"], versions):
            return refused(f"{NEVER_MENTIONED} {', '.join(versions)}")
        if _rest_asked(x["question"], absent):
            absent = []  # another part of the question is answered, after the sentence naming what they do not
        # an answer across the papers speaks for each paper whose best sentence is near the evidence's best, before
        # quoting any paper twice: it had called papers "not addressed" whose sentences answered as well as those
        # quoted twice
        top = max((c.score for c in pool), default=0.0)  # (no readable sentence: select refuses)
        across = (
            {c.work for c in pool if c.score >= top - ROW_MARGIN}
            if asks_across_papers(x["question"]) and not named
            else set()
        )
        summary = [c for c in preferred or () if c.part] if len(named) == 1 else []
        if summary and asks_only_summary(self.retriever.scoring_text(x["question"])):
            # "What is the Aufegger paper about?" asks no words a sentence could match: the paper's own summary
            # (under "Key messages", "Summary", "Abstract") answers it, however weakly it matches the question
            return select(x["question"], summary, self.idf, self.max_words, model=_answering_anyway(self._selector))
        return select(
            x["question"],
            pool,
            self.idf,
            self.max_words,
            compose_from=preferred,
            model=self.selector,
            not_covered=absent,
            sides=named if preferred and len(named) > 1 else across,
            voices=set(tokenize(" ".join(who))),
        )

    def not_covered(self, question: str) -> list[str]:
        """Words of the question that carry its meaning and that no paper uses ("mortality", "dentists"); for a
        question naming its papers, that those papers do not use ("GPT-3", asked of a paper on another model)."""
        if question in self._not_covered:
            return self._not_covered[question]
        scope = self._scope(question)
        vocabulary = self._vocabulary(scope)
        absent = absent_terms(question, vocabulary, self.idf.text)
        if scope:  # one paper's words are few: "transcripts" is there as "transcribed", "interviewees" as "interview"
            absent = [w for w in absent if not kin_in(w, vocabulary)]
        framing = framing_words(question)
        absent = [w for w in absent if w.lower() not in framing]
        lower_words = self.idf.words.lower_words
        # (nor a superlative: "which paper has the largest sample?" compares what the papers give)
        absent = [
            w for w in absent if not acts_as_verb(w, question) and not misspelt(w, lower_words) and not superlative(w)
        ]
        found: list[str] = []
        if absent:
            runs = absent_runs(question, absent)  # ("ethnic minority" is one thing, and goes as one)
            variants = [re.sub(rf"\b{re.escape(w)}\b", " ", question, flags=re.I) for w in runs]
            vectors = self.embedder.embed([question, *variants])
            shifts = [1 - float(v @ vectors[0]) for v in vectors[1:]]
            who = speakers(question)
            # a group whose views are asked for, that no paper heard from, counts however little it moves the question;
            # so does a name the model reads only in pieces ("the ockenden or kirkup reviews"): it means little to the
            # model, so leaving it out barely moves the question's vector, though the question is about it
            found = [
                speaker_phrase(w, who) if w in who else w
                for w, shift in zip(runs, shifts, strict=True)
                if shift >= NOT_COVERED_SHIFT or w in who or set(w.split()) & set(who) or unread_name(w)
            ]
        while len(self._not_covered) >= 64:
            self._not_covered.pop(next(iter(self._not_covered)))
        self._not_covered[question] = found
        return found

    def _vocabulary(self, scope: Sequence[str]) -> set[str]:
        """The stemmed words of the papers a question names (`scope`: their own, and the words naming them), or of
        all when it names none."""
        if not scope:
            return self.idf.vocabulary | self.idf.naming
        return set().union(*[self.idf.by_work.get(w, set()) | self.idf.naming_by_work.get(w, set()) for w in scope])

    def _scope(self, question: str) -> list[str]:
        """The papers a question names, when it names some but not all."""
        named = self.retriever.named_works(question)
        return named if len(named) < len(self.retriever.index.papers) else []

    def _missing(self, question: str, absent: Sequence[str]) -> str:
        """The sentence saying what the papers (or the paper asked about) do not mention."""
        if not absent:
            return ""
        who = self._named_paper(question)
        if who:
            phrases: list[str] = []
            for word in absent:  # ("integrated care systems" holds "care", should that be absent too)
                if not any(word in p.split() for p in phrases):
                    phrases.append(phrase_from(word, question))
            return f"{who} does not mention {_join(phrases)}."
        return f"The papers do not mention {_join(absent)}."

    def _named_paper(self, question: str) -> str:
        """How the answer names the one paper the question asks about ("Waring et al., 2023"), or ""."""
        scope = self._scope(question)
        meta = self.composer.papers.get(scope[0]) if len(scope) == 1 else None
        return short_ref(meta) if meta is not None else ""

    def _prompt_inputs(self, x: dict[str, Any]) -> dict[str, Any]:
        passages = "\n\n".join(
            f"[{i}] ({short_ref(self._meta(d.metadata['hit']))}, {d.metadata['hit'].chunk.section}) {d.page_content}"
            for i, d in enumerate(x["docs"], 1)
        )
        return {
            "question": x["question"],
            "passages": passages,
            "max_words": word_budget(x["question"], self.max_words)[0],
            "abstain_text": ABSTAIN_TEXT,
        }

    def _meta(self, hit: Hit) -> PaperMeta:
        return self.composer.meta(hit)

    def _finish(self, x: dict[str, Any]) -> Answer:
        hits: list[Hit] = [d.metadata["hit"] for d in x["docs"]]
        selection: Selection = x["selection"]
        notes: list[str] = []
        if "draft" in x:
            generated = self._from_draft(x["question"], x["draft"], hits, notes)
            if generated is not None:
                return self._timed(generated, x, notes)
            notes.append("the generated draft was not supported by the passages: extractive answer shown instead")
        absent = self.not_covered(x["question"])
        cited, _ = self.composer.cited_lines(x["question"])
        contact = bool(self.composer.contact_hits(x["question"]))
        # (a work a paper cites is asked about: "reference" is what its reference list gives, not a topic; so is
        # how to get in touch: "phone" is what its contact details give)
        missing = "" if cited or contact else self._missing(x["question"], absent)
        weak = selection.abstain and selection.reason == WEAK_EVIDENCE
        if cited and selection.abstain:
            selection = Selection((), False, selection.confidence, "the cited work's reference")
        elif contact and selection.abstain:
            selection = Selection((), False, selection.confidence, "the paper's contact details")
        elif not contact and asks_contact(x["question"]) and self.composer.only_about_contact(x["question"]):
            # how to get in touch with the authors of a paper that prints no contact details: not its sentences
            named = [
                short_ref(self.composer.papers[w]) for w in self._scope(x["question"]) if w in self.composer.papers
            ]
            who = f"{_join(named)} {'prints' if len(named) == 1 else 'print'}" if named else "the papers print"
            selection = Selection((), True, selection.confidence, f"{who} no contact details")
        strangers = self.idf.strangers(x["question"])
        if weak and strangers:
            # "Where did the ReAct paper appear?": no paper writes the name, so none of their facts answers it
            selection = replace(selection, reason=f"{NEVER_MENTIONED} {', '.join(strangers)}")
        elif weak and self.composer.publication_facts(x["question"], hits):
            # Who wrote a paper, and where and when it came out: its title page says, whatever the sentences score.
            selection = Selection((), False, selection.confidence, "the paper's own facts")
        elif (weak or selection.reason.startswith(NO_VALUE)) and self.composer.reference_line(
            x["question"], printed=False
        ) is not None:
            # who wrote a paper with no title page, how to cite it, the journal its pages name where no sentence
            # does ("PeerJ"): its reference says
            selection = Selection((), False, selection.confidence, "the paper's reference")
        elif weak and self.composer.lays_out(x["question"], hits):
            selection = Selection((), False, selection.confidence, "the paper's own headings")  # how it is laid out
        who = self._named_paper(x["question"])
        if selection.abstain and who and selection.reason.startswith(NEVER_MENTIONED):
            # the other papers may well use the word: it is the paper asked about that does not
            selection = replace(selection, reason=selection.reason.replace(NEVER_MENTIONED, f"{who} never mentions"))
        if selection.abstain:
            said = [missing] if "never mention" in selection.reason else []
            # (where or when a paper came out that its text does not print: what the corpus catalog records)
            note = self.composer.catalog_note(x["question"])
            answer = Answer(
                x["question"],
                " ".join(t for t in (ABSTAIN_TEXT, missing, _abstain_detail(selection), note) if t and t not in said),
                True,
                (),
                tuple(hits),
                (),
                "extractive",
                not_covered=(missing,) if missing else (),
            )
        else:
            answer = self.composer.compose(x["question"], selection.chosen, hits, x["pool"], x.get("works"))
            if missing:
                rest = _rest_asked(x["question"], absent)
                lead = "On the rest of the question:" if rest else f"The closest evidence in {'it' if who else 'them'}:"
                text = f"{missing} {lead}\n\n{answer.answer}"
                answer = Answer(**{**answer.__dict__, "answer": text, "not_covered": (missing,)})
            elif selection.gap:  # one part of the question asks for a value the evidence does not hold
                # (or what it says introduces the answer: "The papers never write CCG; they write ...:")
                then = "" if selection.gap.endswith(":") else " On the rest of the question:"
                text = f"{selection.gap}{then}\n\n{answer.answer}"
                answer = Answer(**{**answer.__dict__, "answer": text, "not_covered": (selection.gap,)})
        return self._timed(answer, x, notes)

    def _timed(self, answer: Answer, x: dict[str, Any], notes: list[str]) -> Answer:
        end = time.perf_counter()
        timings = {
            "retrieve": (x["t1"] - x["t0"]) * 1000,
            "answer": (end - x["t1"]) * 1000,
            "total": (end - x["t0"]) * 1000,
        }
        backend = (
            answer.backend
            if answer.backend != "extractive" or "draft" not in x
            else f"extractive (fallback from {self.backend})"
        )
        return Answer(**{**answer.__dict__, "timings_ms": timings, "notes": tuple(notes), "backend": backend})

    def _from_draft(self, question: str, draft: str, hits: Sequence[Hit], notes: list[str]) -> Answer | None:
        """Check a generated draft's citations; keep supported sentences, or None to fall back."""
        if ABSTAIN_TEXT.lower().rstrip(".") in draft.lower():
            return Answer(question, ABSTAIN_TEXT, True, (), tuple(hits), (), self.backend)
        passages = [h.chunk.text for h in hits]
        # Authors and publishers of the passages' papers may be named in the draft.
        allowed = {name for h in hits for a in self._meta(h).authors for name in a.split()[-1:]}
        allowed |= {self._meta(h).venue for h in hits if self._meta(h).venue}
        check = check_citations(draft, passages, self._similarity, allowed_names=allowed)
        if check.invalid_markers:
            notes.append(f"{check.invalid_markers} citation marker(s) pointed to no retrieved passage and were removed")
        kept = [s for s in check.sentences if s.supported]
        if not kept or len(kept) / len(check.sentences) < MIN_SUPPORTED_SHARE:
            return None
        if len(kept) < len(check.sentences):
            notes.append(f"{len(check.sentences) - len(kept)} unsupported sentence(s) dropped")
        citations: dict[int, Citation] = {}
        sentences: list[AnswerSentence] = []
        for s in kept:
            for n in s.cited:
                if n not in citations:
                    hit = hits[n - 1]
                    citations[n] = Citation(n, hit.chunk, self._meta(hit), best_quote(s.text, hit.chunk.text))
            sentences.append(AnswerSentence(s.text, s.cited, True))
        text = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in sentences)
        ordered = tuple(citations[n] for n in sorted(citations))
        return Answer(question, text, False, ordered, tuple(hits), tuple(sentences), self.backend)

    def _similarity(self, sentence: str, passages: Sequence[str]) -> list[float]:
        vectors = self.embedder.embed([sentence, *passages])
        return [float(v @ vectors[0]) for v in vectors[1:]]


def _answering_anyway(model: dict[str, Any]) -> dict[str, Any]:
    """The selector with no evidence too weak to answer from (for a question any of the sentences answers)."""
    gate = {**gate_of(model), "abstain_threshold": -math.inf}
    return {**model, "abstain_threshold": -math.inf, "gate": gate}


# how an answer names a declaration a paper does not print
DECLARATIONS = {
    "funding": "funding statement",
    "competing interests": "statement of competing interests",
    "ethics": "statement of ethics approval",
    "availability": "statement of data or code availability",
    "affiliation": "affiliations for its authors",
    "reception": "count of how often it has been cited or read",
}
# A paper declares its ethics approval in words naming ethics and who approved or reviewed the work ("approved and
# reviewed by the research and ethics committee", "reviewed and ethically approved by ..."), not by saying that
# participants gave consent or that a committee met.
_APPROVAL = re.compile(
    r"\bethic(?:s|al|ally)\b[^.]{0,80}\b(?:approv|review|committee|board|permission|clearance|waive)"
    r"|\b(?:approv|review|committee|board|permission|clearance)\w*\b[^.]{0,80}\bethic"
    r"|\b(?:approved|reviewed)\b[^.]{0,40}\bby\b[^.]{0,40}\b(?:committee|board)\b"
    r"|\b(?:institutional )?review board\b|\bIRB\b|\bDeclaration of Helsinki\b",
    re.I,
)


def _records_asked(question: str) -> list[str]:
    """What the question asks a paper to print of itself that it may not (see DECLARATIONS): its declarations, its
    authors' affiliations, how it was received ("has it been cited much?")."""
    asked = [r for r in asked_roles(question) if r in DECLARATIONS]
    return [*asked, "reception"] if RECEPTION.search(question) else asked


def _asks_only_funding(question: str) -> bool:
    """Does every part of the question ask who paid for the work ("Was the Malawi study funded?"), and nothing
    else ("... and was ethics approval needed?", "..., and did any company chip in?")?"""
    parts = asked_parts(question) or [question]
    if len(parts) == 1 and asks_a_second_question(question):
        return False  # (a second question its parts did not tell apart)
    return _records_asked(question) == ["funding"] and all(_records_asked(part) == ["funding"] for part in parts)


def _names(text: str, words: Sequence[str]) -> bool:
    """Does the text hold one of the words (as a word, in any case)?"""
    return any(re.search(rf"\b{re.escape(w)}\b", text, re.I) for w in words)


def _rest_asked(question: str, absent: Sequence[str]) -> bool:
    """Does a part of the question ask about something else than the words no paper uses ("Are the interviews
    trustworthy? How were the participants chosen?")?"""
    return bool(absent) and any(not _names(part, absent) for part in asked_parts(question))


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _add(key: str, step: Callable[[dict[str, Any]], Any]) -> Runnable[dict[str, Any], dict[str, Any]]:
    """An LCEL step that adds `key`, computed by `step` from the running dict, to that dict."""
    return RunnableLambda(lambda x: {**x, key: step(x)}, name=key)


def _abstain_detail(selection: Selection) -> str:
    return (
        f"None of the indexed passages answers this question ({selection.reason}); "
        "the closest passages are listed as related."
    )


def ask_many(chain: AnswerChain, items: Sequence[dict[str, Any]]) -> list[Answer]:
    """Answer a batch of {id, question[, history]} items with one loaded model."""
    return [chain.ask(str(i["question"]), i.get("history", ()), qid=i.get("id")) for i in items]
