"""The extractive answer's text: the chosen sentences grouped by paper with their citation markers, led by a paper's
headings (a list question answered by a series of them) or its publication facts, with the evidence table and the
figures the papers give differently.

Input: the chosen `Candidate` sentences and the `Hit`s they come from. Output: an `Answer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from rag.answer_types import asks_across_papers, asks_one_item
from rag.answering import Candidate, answer_order, question_kind, word_budget
from rag.bibliography import Reference
from rag.chunking import chunk_id
from rag.cited_works import CitedWorks, listed_line, listing, surname
from rag.comparison import EvidenceSentence, differing_counts, evidence_table
from rag.contacts import CONTACT_WORDING, Contact, asks_contact, asks_rights
from rag.csl import arxiv_id
from rag.evidence import FINDINGS, OUTLINE, TABLE_ROWS, asks_for_series, introduced, is_series, names_series
from rag.lexical import tokenize
from rag.references import cite_answers, in_text
from rag.schema import Answer, AnswerSentence, Chunk, Citation, Hit, PaperEvidence, PaperMeta
from rag.section_roles import (
    AUTHORS,
    CAME_OUT,
    DOI_ASKED,
    PUBLISHED_WHEN,
    VENUE_ASKED,
    asks_authors,
    asks_citation_details,
    asks_figures,
    asks_layout,
    states_role,
)
from rag.sentences import split_sentences
from rag.support import check_support

RECORD_LINES = 2  # lines printing where and when a paper came out, quoted when its title page does not say
CITING_SENTENCES = 2  # the best sentences citing a work whose reference is asked for, when none was chosen
DISAGREEMENT_DEPTH = 12  # the best candidate sentences searched for figures that differ
# A question asking for a counted list: "the six key practices", "3 main themes".
_COUNTED = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:[\w-]+\s+){0,2}[\w-]+s\b", re.I)
# A question about who wrote a paper or where and when it came out is answered first from its citation facts, as
# the paper prints them.
_PUBLICATION = re.compile(
    rf"\b(wrote|written|publish\w*|publication|journal|venue|{CAME_OUT}|cite|citation|doi|volume)\b", re.I
)


# a line printing where a paper went, which the paper's facts may not hold as its venue
_VENUE_PRINTED = re.compile(
    r"\b(?:submitted to|accepted (?:for publication )?(?:in|by|at)|to appear in|published (?:in|by)|proceedings of|"
    r"journal of)\b",
    re.I,
)
SERIES_RANK = 3  # a series of headings a list question names leads its answer from this rank up
_JOURNALS = re.compile(r"\b(?:journals|venues|publishers)\b", re.I)  # (where several papers came out)
# words a question asking about the papers together uses for them ("the four papers", "each of these studies")
_PAPERS_WORDS = frozenset(tokenize("journal venue publisher two three four five six both each every all"))
# asking which of the papers came out first or last ("which study is the most recent?", "which is the oldest of the
# papers?"): their references, in that order, answer it
_NEWEST = re.compile(r"\b(?:most recent(?:ly)?|newest|latest|last|more recent|newer)\b", re.I)
_OLDEST = re.compile(r"\b(?:oldest|earliest|first|older|least recent)\b", re.I)
_A_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WHEN_WORDS = frozenset(
    tokenize("most least more recent recently newest latest last newer oldest earliest first older")
)
_WHO_WROTE = re.compile(r"\bwho (?:wrote|authored)\b|\bwritten by whom\b", re.I)
# where a paper's citation details come from (PaperMeta.sources), as a reader is told
_ORIGIN = {"catalog": "the corpus catalog", "sidecar": "the paper's sidecar file", "first page": "its first page"}

# Besides _PUBLICATION's: words that ask after a paper's facts or name a paper in general (stemmed).
CONTACT_SECTION = "Contact details"  # the section a paper's contact details are cited under
RIGHTS_SECTION = "Rights and reuse"  # ... and its copyright or licence notices
_RIGHTS_NAMED = re.compile(r"\bcopyright|\blicen[cs]|\bpermission|\brights\b|\bopen access\b", re.I)
CONTACTS_SHOWN = 2  # contact records quoted for one paper
_ABOUT_WORDS = frozenset(
    tokenize(
        "who when where what which paper report study studies article book year date doi volume issue number pages"
        " cite organisation organization company body publisher"  # ("which organisation published it?")
    )
)


def _unbracketed(fact: str) -> str:
    """A catalog fact without its notes in brackets ("The King's Fund (report)": "The King's Fund")."""
    return re.sub(r"\s*\(.*?\)", "", fact).strip()


def _apa(meta: PaperMeta) -> str:
    """The paper's reference, APA style, as the exports format it."""
    cited = {**meta.to_dict(), "n": 1, "page": None, "section": ""}
    return cite_answers([{"answer": "[1]", "citations": [cited]}]).references[0].text


def _origins(meta: PaperMeta, fields: Sequence[str]) -> list[str]:
    """Where the paper's facts of these fields come from, as a reader is told ("the corpus catalog"), where that is
    recorded (PaperMeta.sources), once each."""
    known = [meta.sources[f] for f in fields if getattr(meta, f) and meta.sources.get(f)]
    return list(dict.fromkeys(_ORIGIN.get(source, "the paper's text") for source in known))


def short_ref(meta: PaperMeta) -> str:
    """ "Waring et al., 2023": how an answer names a paper."""
    return in_text(meta.to_dict(), "apa").strip("()")


def best_quote(sentence: str, passage: str) -> str:
    """The passage sentence that shares most words with the answer sentence (the span to highlight)."""
    words = set(re.findall(r"\w+", sentence.lower()))
    spans = split_sentences(passage) or [(0, len(passage))]
    best = max(spans, key=lambda s: len(words & set(re.findall(r"\w+", passage[s[0] : s[1]].lower()))))
    return passage[best[0] : best[1]]


def _unique(sentences: Sequence[EvidenceSentence]) -> list[EvidenceSentence]:
    seen: dict[str, EvidenceSentence] = {}
    for s in sentences:
        seen.setdefault(s.text, s)
    return list(seen.values())


@dataclass(frozen=True)
class Composer:
    """Writes extractive answers for one library: its papers' citation facts, the answer length, and how a
    question's named papers are found (`scope`, from the retriever)."""

    papers: Mapping[str, PaperMeta]
    max_words: int
    scope: Callable[[str], list[str] | None]
    cited: CitedWorks = field(default_factory=lambda: CitedWorks({}))  # the works each paper cites (reference lists)
    # the question without the words that name its paper ("the ALCE paper": "ALCE"; see HybridRetriever.without_names)
    unnamed: Callable[[str], str] = field(default=lambda question: question)
    # each paper's contact details as printed, with the file printing them (rag.contacts)
    contacts: Mapping[str, Sequence[tuple[str, Contact]]] = field(default_factory=dict)
    acronyms: Mapping[str, str] = field(default_factory=dict)  # each acronym the papers spell out, and its long form

    def contact_hits(self, question: str, score: float = 1.0) -> list[Hit]:
        """For a question asking how to get in touch, the contact details of the papers it names (else of every
        paper), each a result citing the page and span that prints it; for one asking who holds a paper's rights or
        whether it may be reused, its rights notices ("© The Author(s) 2022", a licence); else []."""
        kind = "contact" if asks_contact(question) else "rights" if asks_rights(question) else None
        if (
            kind == "rights"
            and (asks_figures(question) or asks_layout(question))
            and not _RIGHTS_NAMED.search(question)
        ):
            kind = None  # ("i want to reuse a diagram - which figures do these papers have?" asks for the figures)
        if kind is None or not self.contacts:
            return []
        works = self.scope(question) or sorted(self.contacts)
        hits = []
        for work in works:
            records = [(doc, c) for doc, c in self.contacts.get(work, ()) if c.kind == kind]
            for doc, contact in records[:CONTACTS_SHOWN]:
                title = self.papers[work].title if work in self.papers else ""
                section = CONTACT_SECTION if kind == "contact" else RIGHTS_SECTION
                chunk = Chunk(
                    chunk_id(doc, contact.text), doc, work, title, section, contact.page, contact.start,
                    contact.end, contact.text, kind="front",
                )  # fmt: skip
                hits.append(Hit(rank=0, chunk=chunk, score=score))
        return hits

    def only_about_contact(self, question: str) -> bool:
        """Does the question ask nothing beside how to get in touch (its words, less those asking that, the paper's
        own names and words for a paper, are none)?"""
        named = self.scope(question) or []
        naming = {
            t
            for w in named
            if w in self.papers
            for t in tokenize(" ".join([self.papers[w].title, *self.papers[w].authors, self.papers[w].venue]))
        }
        rest = set(tokenize(self.unnamed(question))) - naming - _ABOUT_WORDS - set(tokenize(CONTACT_WORDING))
        return not rest

    def cited_entries(self, question: str) -> dict[str, list[Reference]]:
        """The entries of the papers' reference lists that a question about works they cite asks for (by citing
        paper), or {} (see `cited_lines`)."""
        works_asked = listing(question)
        if works_asked is not None:
            return self.cited.listed(works_asked, self.scope(works_asked.rest))
        return self.cited.asked(question, self.scope(question))

    def cited_hits(self, question: str, score: float = 1.0) -> list[Hit]:
        """Those entries as results with this score, each citing its paper's reference list where it is printed
        (those placed)."""
        found = self.cited_entries(question)
        hits = (self.cited.hit(w, e, score) for w, entries in found.items() for e in entries)
        return [h for h in hits if h is not None]

    def cited_lines(
        self, question: str, markers: Mapping[str, int] | None = None
    ) -> tuple[list[str], set[tuple[str, str]]]:
        """For a question asking for the reference of a work a paper cites ("the full reference for the Veronesi
        paper Ng cites"), or which works of an author or on a topic it cites ("Which King's Fund publications does
        Ng cite?"): the entries of the reference lists of the papers it names (else of all) for those works, a line
        per citing paper, and each citing paper with patterns finding the works' authors in its sentences (their
        first authors' family names; the name asked for)."""
        # ("Which King's Fund publications does Ng cite?": Ng's list, searched for the King's Fund's works)
        works_asked = listing(question)
        found = self.cited_entries(question)
        marks = markers or {}
        lines = [
            listed_line(
                short_ref(self.papers[w]) if w in self.papers else w,
                entries,
                [marks.get(hit.chunk.chunk_id) if (hit := self.cited.hit(w, e)) else None for e in entries],
            )
            for w, entries in found.items()
        ]
        named = {
            (w, rf"\b{re.escape(surname(e.authors[0]))}\b")
            for w, entries in found.items()
            for e in entries
            if e.authors
        }
        if works_asked is not None and works_asked.names:  # (the name asked, as the citing paper writes it)
            joined = r"(?:'s|’s|s)?\W+".join(re.escape(n) for n in works_asked.names)
            named |= {(w, rf"(?i)\b{joined}\b") for w in found}
        return lines, named

    def meta(self, hit: Hit) -> PaperMeta:
        return self.papers.get(hit.chunk.work) or PaperMeta(work=hit.chunk.work, title=hit.chunk.title)

    def lays_out(self, question: str, hits: Sequence[Hit]) -> bool:
        """Does the question ask how a paper is laid out (or which figures and tables it has), and do the hits lead
        with its headings (or captions)?"""
        asked = asks_layout(question) or asks_figures(question)
        return asked and any(h.chunk.section == OUTLINE and h.rank == 1 for h in hits)

    def compose(
        self,
        question: str,
        chosen: Sequence[Candidate],
        hits: Sequence[Hit],
        pool: Sequence[Candidate] = (),
        works: Sequence[str] | None = None,
    ) -> Answer:
        """Group the chosen sentences by paper (best paper first), in reading order, each with its marker. An
        answer across the papers also gets its evidence table (a row per paper, "not addressed" where the
        evidence holds nothing from it) and a closing line where the evidence gives different figures."""
        numbers: dict[int, int] = {}
        citations: list[Citation] = []
        sentences: list[AnswerSentence] = []
        evidence: list[EvidenceSentence] = []
        lines: list[str] = []
        # What a paper sets out under its own headings (its best evidence is a run of them) is answered with those
        # headings first; who wrote a paper, and where and when it came out, with its facts as it prints them.
        outline = next((i for i, h in enumerate(hits) if h.chunk.section == OUTLINE and h.rank == 1), None)
        # (a paper's own structure holding what was asked, first: one for each paper asked about, ahead of the rest)
        structures = sorted(
            (i for i, h in enumerate(hits) if h.chunk.section in (TABLE_ROWS, FINDINGS)), key=lambda i: hits[i].rank
        )
        tabled = structures if structures and hits[structures[0]].rank == 1 else []
        # The entries of a reference list a question asks for are cited where the list prints them, first; so are a
        # paper's contact details or rights notices, for a question asking how to get in touch or to reuse it.
        top = max((h.score for h in hits), default=1.0)
        entries, contacts = self.cited_hits(question, top), self.contact_hits(question, top)
        for at, hit in enumerate([*entries, *contacts], len(hits)):
            numbers[at] = len(numbers) + 1
            citations.append(Citation(numbers[at], hit.chunk, self.meta(hit), hit.chunk.text))
            sentences.append(AnswerSentence(hit.chunk.text, (numbers[at],), True))
        marks = {hit.chunk.chunk_id: numbers[at] for at, hit in enumerate(entries, len(hits))}
        cited, cited_names = self.cited_lines(question, marks)
        contact_lines = []
        printing_none: list[str] = []  # papers the answer says print none of what was asked
        records_of: dict[tuple[str, str], list[Hit]] = {}  # (a paper's records of one kind, on one line)
        for at, hit in enumerate(contacts, len(hits) + len(entries)):
            records_of.setdefault((hit.chunk.work, hit.chunk.section), []).append(replace(hit, rank=numbers[at]))
            # (they are the paper's evidence: its row of the table is not "not addressed")
            evidence.append(EvidenceSentence(hit.chunk.text, hit.chunk.work, hit.chunk.section, numbers[at]))
        for (_, section), records in records_of.items():
            said = "these contact details" if section == CONTACT_SECTION else "this on its rights and reuse"
            quoted = "; ".join(f"{h.chunk.text} [{h.rank}]" for h in records)
            contact_lines.append(f"{short_ref(self.meta(records[0]))} prints {said}: {quoted}")
        if contacts and contacts[0].chunk.section == RIGHTS_SECTION:
            # (a paper asked about that prints none is said to print none: its publisher would need asking)
            silent = [
                w for w in self.scope(question) or sorted(self.papers) if all(h.chunk.work != w for h in contacts)
            ]
            if silent:
                printing_none.extend(silent)
                names = [short_ref(self.papers[w]) for w in silent if w in self.papers]
                verb = "prints" if len(names) == 1 else "print"
                contact_lines.append(f"{'; '.join(names)} {verb} no copyright, licence or reuse statement.")
        asks_list = question_kind(question) == "list" or bool(_COUNTED.search(question))
        layout = asks_layout(question)
        pictured = asks_figures(question)  # (captions, not headings)

        def asked(series: list[str]) -> bool:  # (a list of what the headings name, or what the one introducing them)
            named = is_series(series) and names_series(question, series)
            return named and (asks_list or introduced(question, series))

        if outline is None and asks_list:  # (the series a list question names, though a passage ranks above it)
            outline = next(
                (
                    i
                    for i, h in enumerate(hits)
                    if h.chunk.section == OUTLINE
                    and h.rank <= SERIES_RANK
                    and asks_for_series(question, h.chunk.text.split("\n"))
                ),
                None,
            )
        series = hits[outline].chunk.text.split("\n") if outline is not None else []
        if outline is not None and not (layout or pictured or asked(series)):
            outline = None  # headings are evidence; the answer only to how a paper is laid out, or as a series
            # for a question asking for a list of what they name
        leads: list[tuple[int, str, str, str]] = []
        located: dict[int, Chunk] = {}  # where a lead's citation sends the reader, when not its hit's section
        items: list[tuple[str, list[str], bool]] = []  # (a paper's headings or table rows the lead lists, rows?)
        figures = [i for i, h in enumerate(hits) if h.chunk.section == OUTLINE] if pictured else []
        if figures and outline is not None:
            # "which figures do these papers have?": each paper's captions, a line each
            for at in figures:
                listed = "; ".join(hits[at].chunk.text.split("\n"))
                line = f"{short_ref(self.meta(hits[at]))} has these figures and tables: {listed}"
                leads.append((at, listed, line, listed))
        elif outline is not None:
            hit = hits[outline]
            listed = "; ".join(hit.chunk.text.split("\n"))
            said = "is laid out under these headings" if layout else "sets this out under its headings"
            line = f"{short_ref(self.meta(hit))} {said}: {listed}"
            leads.append((outline, listed, line, listed))
            if not layout and asks_for_series(question, series):  # (not "what does the wrap-up of the six ... say?")
                items.append((hit.chunk.work, series, False))
        elif tabled:
            # the labels of the rows of the table holding what was asked, under its caption: "Ng, 2022 sets this out
            # in its Table 2 (Practical implications and recommendations from the study): Fostering teamwork, ...;
            # Leadership training and opportunities; ..."
            # (or the headings a paper sets its findings out under, for the themes it found)
            # (cited where a reader finds them: the table by its label, the headings as a part of the outline)
            for at in tabled:
                hit = hits[at]
                if hit.chunk.section == FINDINGS:
                    headings = hit.chunk.text.split("\n")
                    listed = "; ".join(headings)
                    items.append((hit.chunk.work, headings, False))
                    line = f"{short_ref(self.meta(hit))} sets out its findings under these headings"
                    located[at] = replace(hit.chunk, section=OUTLINE)
                else:
                    caption, *rows = hit.chunk.text.split("\n")
                    listed = "; ".join(rows)
                    items.append((hit.chunk.work, rows, True))
                    label, _, title = caption.partition(" ")
                    named = f"{label} {title.split(maxsplit=1)[0].rstrip('.:')}" if title else label
                    about = title.split(maxsplit=1)[1] if len(title.split(maxsplit=1)) > 1 else ""
                    line = f"{short_ref(self.meta(hit))} sets this out in its {named}" + (
                        f" ({about})" if about else ""
                    )
                    located[at] = replace(hit.chunk, section=named)
                leads.append((at, listed, f"{line}: {listed}", hit.chunk.text))  # (quoted as printed, a line each)
        else:
            # (a work a paper cites is asked about: the entries of that paper's reference list answer, not the
            # paper's own facts or reference)
            facts = None if cited else self.publication_facts(question, hits)
            if facts is not None:
                leads.append((facts[0], facts[1], facts[1], best_quote(facts[1], hits[facts[0]].chunk.text)))
        lead = leads[0] if leads else None
        if lead is not None:
            budget = word_budget(question, self.max_words)[0]
            for at, said, line, quote in leads:
                hit = hits[at]
                numbers[at] = len(numbers) + 1
                citations.append(Citation(numbers[at], located.get(at, hit.chunk), self.meta(hit), quote))
                verdict = check_support(said, [hit.chunk.text])
                sentences.append(AnswerSentence(said, (numbers[at],), verdict.supported))
                lines.append(f"{line} [{numbers[at]}]")
                budget -= len(said.split())
                if figures:  # (each paper's captions are its row of the evidence table)
                    evidence.append(EvidenceSentence(said, hit.chunk.work, hit.chunk.section, numbers[at]))
            at, said, line, quote = lead
            hit = hits[at]
            record: list[Candidate] = []
            if outline is None and not tabled:  # (the lead is the paper's facts line)
                # Facts the title page lacks ("when was it published?") come from the lines that print them
                # ("Proceedings of the 52nd Annual Meeting ..., June 23-25 2014."), first.
                year = str(self.meta(hit).year or "")
                # (and the details of its record the facts line lacks: "... (2016) 13:22 DOI 10.1186/...")
                # (and who put it out, asked of a paper whose facts line names no publisher: "First published 2023
                # by The King's Fund")
                venue = _unbracketed(self.meta(hit).venue)
                unnamed = VENUE_ASKED.search(question) is not None and (not venue or venue not in said)
                if not year or year not in said or asks_citation_details(question) or unnamed:
                    printed = [
                        c
                        for c in pool
                        if hits[c.hit_index].chunk.work == hit.chunk.work and states_role(c.text, ["publication"])
                    ]
                    record = sorted(printed, key=lambda c: -c.score)[:RECORD_LINES]
                if self._only_about_publication(question, hit):
                    # "Who wrote it and when did it come out?" is answered by the facts, not by sentences that happen
                    # to say "published"; a question asking more ("... and who funded it?") keeps its other evidence.
                    chosen = []
            kept: list[Candidate] = []
            # (then what gives the rest of what is asked, "what grant supported it?", then the best of the others)
            rest = sorted(
                (c for c in chosen if all(c is not r for r in record)), key=lambda c: (not c.gives_asked, -c.score)
            )
            # (after headings or rows listed, the best sentence under each in turn as room allows, not four of one
            # theme; the best of the evidence first all the same: "what does the wrap-up of the six practices say?")
            if items and not asks_one_item(question):
                first = rest[:1]
                leading = [*first, *(c for c in item_leads(items, pool, hits) if all(c is not d for d in first))]
                rest = [*leading, *(c for c in rest if all(c is not d for d in leading))]
            for cand in [*record, *rest]:
                if sum(len(c.text.split()) for c in kept) + len(cand.text.split()) <= budget:
                    kept.append(cand)
            chosen = kept
        shown = " ".join([*lines, *(c.text for c in chosen)])
        reference = None if cited else self.reference_line(question, printed=lead is not None, shown=shown)
        if cited:  # (and the sentences where the paper cites the work: "Veronesi et al. reported that ...")
            lines[:0] = cited

            def cites(c: Candidate) -> bool:  # (a sentence of the citing paper naming the cited work's author)
                work = hits[c.hit_index].chunk.work
                return any(w == work and re.search(pattern, c.text) for w, pattern in cited_names)

            citing = sorted((c for c in pool if cites(c)), key=lambda c: -c.score)[:CITING_SENTENCES]
            chosen = [c for c in chosen if cites(c)] or citing
        # (the references of the papers together, for a question asking only who wrote them or when they came out)
        together = reference is not None and len(self.scope(question) or []) != 1
        if reference:  # (no sentence of the paper: where its facts come from is said, and nothing is cited)
            lines.insert(1 if lead is not None else 0, reference)
            if lead is not None:
                lines[2:2] = self.preprint_note(question, hits)
            home = next((h for h in hits if h.chunk.work in (self.scope(question) or [])), None)
            if lead is None and home is not None and self._only_about_publication(question, home):
                chosen = []  # "Which volume was it in?" asks nothing the paper's sentences answer
            if lead is None and together:
                chosen = []  # (nor "When were the papers published?": each one's reference says)
        elif lead is not None and not cited:
            lines[1:1] = self.unplaced(question, shown, hits)
        if contact_lines:
            lines[:0] = contact_lines
            if self.only_about_contact(question):
                chosen = []  # ("is there an email?" asks nothing the paper's sentences answer)
            # (they take the place of the weakest sentences chosen: the answer is no longer for them)
            room = sum(len(c.text.split()) for c in chosen) - sum(len(h.chunk.text.split()) for h in contacts)
            kept_words, fitting = 0, []
            for cand in sorted(chosen, key=lambda c: -c.score):
                if kept_words + len(cand.text.split()) <= room:
                    fitting.append(cand)
                    kept_words += len(cand.text.split())
            chosen = [c for c in chosen if any(c is f for f in fitting)]
        groups = answer_order(question, chosen, hits, self.acronyms)
        for group in groups:
            parts: list[str] = []
            for cand in group:
                hit = hits[cand.hit_index]
                if cand.hit_index not in numbers:
                    numbers[cand.hit_index] = len(numbers) + 1
                    citations.append(Citation(numbers[cand.hit_index], hit.chunk, self.meta(hit), cand.text))
                n = numbers[cand.hit_index]
                verdict = check_support(cand.text, [hit.chunk.text])
                sentences.append(AnswerSentence(cand.text, (n,), verdict.supported))
                evidence.append(EvidenceSentence(cand.text, hit.chunk.work, hit.chunk.section, n))
                parts.append(f"{cand.text} [{n}]")
            text = " ".join(parts)
            if len(groups) > 1:
                text = f"{short_ref(self.meta(hits[group[0].hit_index]))}: {text}"
            lines.append(text)
        papers = self.papers
        labels = {w: short_ref(m) for w, m in papers.items()}
        table: tuple[PaperEvidence, ...] = ()
        # (the papers' references alone, "who wrote these papers?", are no evidence for a table, nor figures)
        only_references = together and not sentences
        if (asks_across_papers(question) or len(groups) > 1) and not only_references:
            scope = list(works) if works else self.scope(question) or sorted(papers)
            table = evidence_table(scope, evidence, {w: m.title for w, m in papers.items()}, labels)
            # (one the answer has said prints none of what was asked is not listed again as not addressed)
            silent = [row.label for row in table if not row.addressed and row.work not in printing_none]
            if silent and asks_across_papers(question):
                lines.append(f"Not addressed in the evidence found: {'; '.join(silent)}.")
        best = sorted(pool, key=lambda c: -c.score)[:DISAGREEMENT_DEPTH]
        others = [EvidenceSentence(c.text, hits[c.hit_index].chunk.work, hits[c.hit_index].chunk.section) for c in best]
        stated = [e.text for e in evidence]
        differ = () if only_references else differing_counts(_unique(evidence + others), labels, stated=stated)
        lines.extend(differ)
        if entries or contacts:  # (the entries and contact details lead what was retrieved)
            ranked = [*entries, *contacts, *sorted(hits, key=lambda h: h.rank)]
            hits = [replace(h, rank=i) for i, h in enumerate(ranked, 1)]
        return Answer(
            question,
            "\n\n".join(lines),
            False,
            tuple(citations),
            tuple(hits),
            tuple(sentences),
            "extractive",
            by_paper=table,
            disagreements=differ,
        )

    def reference_line(self, question: str, printed: bool = True, shown: str = "") -> str | None:
        """For a question asking how to cite the one paper it names, or for its DOI, volume, issue or pages, or
        (when no passage prints its title line: `printed` off) who wrote it, or where or when it came out when what
        the answer `shown` so far does not say it and the paper's pages do: the paper's reference (APA), saying where
        its details come from (the corpus catalog, or the paper's pages), and that it has no DOI when neither gives
        one."""
        named = self.scope(question)
        if not named or len(named) != 1 or named[0] not in self.papers:
            return self.references_across(question)  # (of the papers together: each one's reference)
        meta = self.papers[named[0]]
        # (where and when it came out are answered by the lines printing them, "Date: March 28, 2015.", but a
        # journal's name may stand only in the running header dropped from the text: "BMC Health Services Research")
        facts = not printed and (asks_authors(question) or bool(_WHO_WROTE.search(question)))
        # (from the paper's pages only: where the text does not say it, the catalog's word is a note, not an answer)
        venue = self.asks_unsaid(question, meta, "venue", shown)
        year = self.asks_unsaid(question, meta, "year", shown)
        if not (asks_citation_details(question) or facts or venue or year):
            return None
        text = _apa(meta)
        fields = ("doi", "volume", "issue", "pages") if printed else ("authors", "year", "venue", "doi", "pages")
        fields = ("venue", *fields) if venue and "venue" not in fields else fields
        fields = ("year", *fields) if year and "year" not in fields else fields
        origins = _origins(meta, fields)
        said = f"Reference (APA{', details from ' + ' and '.join(origins) if origins else ''}): {text}"
        if not meta.doi and DOI_ASKED.search(question):
            return f"{said} Neither the paper nor the catalog gives a DOI."
        return said

    @staticmethod
    def asks_unsaid(question: str, meta: PaperMeta, field: str, shown: str, printed: bool = True) -> bool:
        """Does the question ask where (`field` "venue") or when ("year") the paper came out, which the answer
        `shown` so far does not say, and which the paper's own pages give (`printed`) or only a catalog does?"""
        value = _unbracketed(str(getattr(meta, field) or ""))
        asked = (VENUE_ASKED if field == "venue" else PUBLISHED_WHEN).search(question)
        if not value or not asked or value.lower() in shown.lower():
            return False
        source = meta.sources.get(field, "")
        return printed is not (source in ("catalog", "sidecar") or source.startswith("pdf metadata"))

    def _sole_paper(self, question: str) -> PaperMeta | None:
        """The facts of the one paper the question names, if it names one."""
        named = self.scope(question)
        return self.papers.get(named[0]) if named and len(named) == 1 else None

    def preprint_note(self, question: str, hits: Sequence[Hit] = ()) -> list[str]:
        """For a question asking where the one paper it names was published, when that paper is a preprint cited by
        its arXiv identifier and its passages print no venue: that its pages name no journal."""
        meta = self._sole_paper(question)
        if meta is None or not VENUE_ASKED.search(question) or meta.sources.get("venue") != "arXiv identifier":
            return []
        preprint = arxiv_id(meta.venue)
        if not preprint or any(_VENUE_PRINTED.search(h.chunk.text) for h in hits if h.chunk.work == meta.work):
            return []  # ("Submitted to Physical Review Letters" says where it went)
        return [f"The paper's pages name no journal: {short_ref(meta)} is an arXiv preprint (arXiv:{preprint})."]

    def unplaced(self, question: str, shown: str, hits: Sequence[Hit] = ()) -> list[str]:
        """For a question asking where or when the one paper it names came out, what the answer `shown` so far does
        not say and the paper's pages do not print: that neither they nor the corpus catalog say it, or where the
        year comes from instead (a preprint's pages may print no journal and no date: "Who wrote the ALCE paper and
        where was it published?" was answered with its authors alone, and nothing on where). Not where its passages
        among the `hits` print where it went ("Submitted to Physical Review Letters")."""
        meta = self._sole_paper(question)
        if meta is None:
            return []
        said: list[str] = []
        printed = any(_VENUE_PRINTED.search(h.chunk.text) for h in hits if h.chunk.work == meta.work)
        if VENUE_ASKED.search(question) and not meta.venue and not printed:
            said.append(f"Neither the paper's pages nor the corpus catalog say where {short_ref(meta)} was published.")
        else:
            said += self.preprint_note(question, hits)
        if PUBLISHED_WHEN.search(question) and (not meta.year or str(meta.year) not in shown):
            source = meta.sources.get("year", "")
            if not meta.year:
                said.append(f"Neither the paper's pages nor the corpus catalog say when {short_ref(meta)} came out.")
            elif source.startswith("pdf metadata"):
                said.append(f"The paper's pages do not say when it came out; its PDF file is dated {meta.year}.")
            elif source == "arXiv identifier":
                said.append(f"The paper's pages print no date; its arXiv identifier dates it to {meta.year}.")
        # where and when it came out, which only the corpus catalog records ("When was the Aufegger paper published
        # and in which journal?" was answered with its title and authors alone): the catalog's reference, said to be
        # the catalog's
        unsaid = [
            f
            for f in ("venue", "year")
            if meta.sources.get(f) in ("catalog", "sidecar") and self.asks_unsaid(question, meta, f, shown, False)
        ]
        if unsaid:
            what = " or ".join({"venue": "where", "year": "when"}[f] for f in unsaid)
            said.append(
                f"The paper's pages do not say {what} it came out; the corpus catalog records it as: {_apa(meta)}"
            )
        return said

    def catalog_note(self, question: str) -> str | None:
        """Where or when the one paper a question names came out, when only the catalog says it: its reference,
        said to be the catalog's, for an answer that says the paper does not."""
        named = self.scope(question)
        if not named or len(named) != 1 or named[0] not in self.papers:
            return None
        meta = self.papers[named[0]]
        if not any(self.asks_unsaid(question, meta, f, "", printed=False) for f in ("venue", "year")):
            return None
        text = _apa(meta)
        return f"The paper's text does not say; the corpus catalog records it as: {text}"

    def references_across(self, question: str) -> str | None:
        """For a question asking only who wrote the papers, or where and when they came out, of every paper or of
        several it names ("who wrote the four papers?", "which journals published these papers?"): each paper's
        reference (APA) on a line of its own, saying where its details come from when that is recorded."""
        named = list(self.scope(question) or [])
        if len(named) == 1 or not (len(named) > 1 or asks_across_papers(question)):
            return None
        metas = [self.papers[w] for w in (named or sorted(self.papers)) if w in self.papers]
        asked = self.unnamed(question)
        newest, oldest = bool(_NEWEST.search(asked)), bool(_OLDEST.search(asked))
        publication = _PUBLICATION.search(asked) or asks_authors(asked) or _JOURNALS.search(asked)
        if not metas or not (publication or newest or oldest):
            return None
        if not self._asks_only_publication(question, metas, when=newest or oldest):
            return None  # ("who wrote about trust in these papers?", "what is the most recent policy?")
        heading = "References (APA):"
        years = set(_A_YEAR.findall(asked))
        if years and any(str(m.year) in years for m in metas):  # ("which studies were published in 2023?")
            metas = [m for m in metas if str(m.year) in years]
            heading = f"References (APA), published in {' or '.join(sorted(years))}:"
        if newest != oldest and all(m.year for m in metas):  # (by year, as asked; a paper without one, as they come)
            metas = sorted(metas, key=lambda m: str(m.year), reverse=newest)
            heading = f"References (APA), {'newest' if newest else 'oldest'} first:"
        lines = []
        for meta in metas:
            origins = _origins(meta, ("authors", "year", "venue"))
            lines.append(f"- {_apa(meta)}" + (f" (details from {' and '.join(origins)})" if origins else ""))
        return "\n".join([heading, *lines])

    def _only_about_publication(self, question: str, hit: Hit) -> bool:
        """Does the question ask nothing beyond who wrote the paper, and where and when it came out?"""
        return self._asks_only_publication(question, [self.meta(hit)])

    def _asks_only_publication(self, question: str, metas: Sequence[PaperMeta], when: bool = False) -> bool:
        """Does the question ask nothing beyond who wrote these papers, and where and when they came out (`when`:
        or which came out first or last)? Its words, less those asking that, the papers' own names (title, authors,
        venue) and words for a paper, are none."""
        naming = set(tokenize(" ".join(t for m in metas for t in (m.title, *m.authors))))
        asked = self.unnamed(question).replace("’", "'")
        for meta in metas:  # the venue as a phrase: "the King's Fund" names the paper, "funded" still asks something
            if meta.venue:
                venue = re.sub(r"^the\s+", "", meta.venue.replace("’", "'"), flags=re.I)
                asked = re.sub(re.escape(venue), " ", asked, flags=re.I)
        asked = _A_YEAR.sub(" ", asked)  # ("which studies came out in 2023?")
        rest = set(tokenize(AUTHORS.sub(" ", _PUBLICATION.sub(" ", asked)))) - naming - _ABOUT_WORDS - _PAPERS_WORDS
        return not (rest - _WHEN_WORDS if when else rest)

    def publication_facts(self, question: str, hits: Sequence[Hit]) -> tuple[int, str] | None:
        """For a question about who wrote the one paper it names, or where and when that paper came out: the
        paper's title, authors, venue and year as one sentence, with the retrieved passage that prints them all
        (its title page, usually); None when no retrieved passage supports it."""
        named = self.scope(question)
        if not (_PUBLICATION.search(question) or asks_authors(question)) or not named or len(named) != 1:
            return None
        meta = self.papers.get(named[0])
        if meta is None or not meta.authors:
            return None
        names = list(meta.authors)
        authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        venue = _unbracketed(meta.venue)
        # with where and when it came out, when the passage prints them; else who wrote it, as its title page says
        # (a fact the paper's record lacks is left out, not printed empty: "... by Dinu and Baroni ().")
        printed = ", ".join(str(part) for part in (venue, meta.year) if part)
        tries = [f"{meta.title}, by {authors} ({printed})."] if printed else []
        if venue and meta.year:
            tries.append(f"{meta.title}, by {authors} ({meta.year}).")
        tries.append(f"{meta.title}, by {authors}.")
        for sentence in tries:
            for i, hit in enumerate(hits):
                if hit.chunk.work == named[0] and check_support(sentence, [hit.chunk.text]).supported:
                    return i, sentence
        return None


def item_leads(
    items: Sequence[tuple[str, list[str], bool]], pool: Sequence[Candidate], hits: Sequence[Hit]
) -> list[Candidate]:
    """The best-scored sentence of the pool under each heading or in each table row that an answer lists (`items`:
    a paper, its headings or rows in order, and whether they are rows), in that order: under a heading, a sentence
    of the section it titles; in a row, one after the row's label in its passage."""

    def item(c: Candidate) -> tuple[int, int] | None:
        chunk = hits[c.hit_index].chunk
        for n, (work, titles, rows) in enumerate(items):
            if chunk.work != work or not titles:
                continue
            if not rows:
                return (n, titles.index(chunk.section)) if chunk.section in titles else None
            at, row = max((chunk.text.rfind(f"{t}\t", 0, c.start), k) for k, t in enumerate(titles))
            return (n, row) if at >= 0 else None
        return None

    best: dict[tuple[int, int], Candidate] = {}
    for c in pool:
        key = item(c)
        if key is not None and (key not in best or c.score > best[key].score):
            best[key] = c
    return [best[key] for key in sorted(best)]
