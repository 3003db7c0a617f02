"""The evidence a question gets: its best passages whole, then its best single sentences from anywhere.

Input: the fused passage scores of a question and the cosine of the question with every sentence. Output: `Hit`s
within the character budget: the top passages as they are, then runs of the best-scoring sentences of other
passages (adjacent chosen sentences of one passage join into one run). A sentence is scored by its own dense and
BM25 ranks plus its best passage's rank, so a sentence that answers on its own can be shown without the four
others around it, and the budget reaches more of the papers: evidence spread over three or four papers (what do
the papers say about trust?) fits, where five whole passages hold one or two papers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.answer_types import quoted_phrases
from rag.chunking import chunk_id, cut_chunk
from rag.cleaning import ROW_LABEL_WORDS, ROW_PROSE_WORDS
from rag.index import LoadedIndex
from rag.lexical import LexicalIndex, tokenize
from rag.readable import fits_a_sentence, later_item, list_item, points_ahead
from rag.schema import Hit
from rag.section_roles import heading_has_role
from rag.support import extract_numbers
from rag.text import plain_words

OUTLINE = "Outline"  # the section of a result that lists a paper's headings
TABLE_ROWS = "Table rows"  # ... and of one that lists the labels of a table's rows, under its caption
FINDINGS = "Findings"  # ... and of one that lists the headings a paper sets its findings out under
# a paper's findings are the sections between its methods (or a heading "Results") and its discussion
_RESULTS_HEADING = re.compile(r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:results|findings)\b", re.I)
_CLOSING_HEADING = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:general |overall )?(?:discussion|conclusions?|summary|implications|limitations"
    r"|strengths)\b",
    re.I,
)
FINDINGS_LEAST = 3
FINDINGS_MOST = 12
SPREAD_DEPTH = 400  # across the papers, the best sentences taken in turn by paper (see SentenceEvidence.assemble)
CONTENTS_MAX = 25  # headings listed for how a paper is laid out, beyond which only its outermost sections are
LIST_RANK = 3  # an item among this many best sentences brings its list's other items (see SentenceEvidence.assemble)
LIST_ITEMS = 8  # ... when the list has at most this many
MIN_WORDS = 5  # a lone "sentence" shorter than this is a heading or a label, not evidence (and one longer than a
# sentence runs, rag.readable.fits_a_sentence, is a table or a list run together: it is shown only inside its passage)


def rank_credit(scores: np.ndarray, k: int) -> np.ndarray:
    """Reciprocal-rank credit k / (k + rank) in (0, 1] for each item, by descending score."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[order] = np.arange(1, len(scores) + 1)
    return k / (k + ranks)


@dataclass(frozen=True)
class SentenceWeights:
    passage: float = 3.0  # weight of the sentence's best passage rank against its own dense rank (1)
    bm25: float = 0.5  # weight of the sentence's own BM25 rank
    own_k: int = 60  # k of the sentence's own rank credits (the smaller, the more the very top stands out)
    rrf_k: int = 60  # k of the passage rank credit


class SentenceEvidence:
    """Every unique sentence of the index, where it stands (its home passage and neighbours), and its BM25 index."""

    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        n = len(index.sentence_vectors)
        self.home = np.full(n, -1, dtype=np.int64)  # the first passage that holds the sentence
        self.span = np.zeros((n, 2), dtype=np.int64)  # its span in the home passage's text
        self.position = np.zeros(n, dtype=np.int64)  # its place among the home passage's sentences
        pairs: list[tuple[int, int]] = []  # (sentence row, passage row) for every passage holding it
        for p in range(len(index.chunks)):
            for j, (start, end, row) in enumerate(index.sentences_of(p)):
                pairs.append((row, p))
                if self.home[row] < 0:
                    self.home[row], self.span[row], self.position[row] = p, (start, end), j
        pair_array = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        self._pair_sentence, self._pair_passage = pair_array[:, 0], pair_array[:, 1]
        self.texts = [self._text(r) for r in range(n)]
        self.words = np.array([len(t.split()) for t in self.texts], dtype=np.int64)
        self.whole = np.array([fits_a_sentence(t) for t in self.texts], dtype=bool)  # (not a table run together)
        works = sorted({c.work for c in index.chunks})
        self._work_id = {w: i for i, w in enumerate(works)}
        self.work = np.array([self._work_id[index.chunks[h].work] if h >= 0 else -1 for h in self.home], dtype=np.int64)
        headed = [f"{index.chunks[h].section}. " if h >= 0 else "" for h in self.home]
        self.lexical = LexicalIndex([f"{head}{text}" for head, text in zip(headed, self.texts, strict=True)])
        self.lists = list_ids(index)  # each list item's list (its first item's row)
        self.members: dict[int, list[int]] = {}  # each list's items, in order
        for row, first in sorted(self.lists.items()):
            self.members.setdefault(first, []).append(row)
        # the sentence just before a list's first item introduces it ("Relational work took a number of forms.")
        at = {(int(h), int(p)): r for r, (h, p) in enumerate(zip(self.home, self.position, strict=True)) if h >= 0}
        self.leads = {
            at[int(self.home[f]), int(self.position[f]) - 1]: f
            for f in self.members
            if (int(self.home[f]), int(self.position[f]) - 1) in at
        }
        # a sentence pointing ahead ("..., as the quote below illustrates.") and the sentence it points to, which
        # says what it only announces (not a table run together after "as follows:")
        self.pointed = {
            r: at[h, p + 1]
            for r, (h, p) in enumerate(zip(self.home.tolist(), self.position.tolist(), strict=True))
            if (h, p + 1) in at and points_ahead(self.texts[r]) and self.whole[at[h, p + 1]]
        }

    def work_id(self, work: str) -> int:
        """The id `work` has in `self.work` (-1 for a paper with no sentence)."""
        return self._work_id.get(work, -1)

    def _text(self, row: int) -> str:
        home = int(self.home[row])
        if home < 0:
            return ""
        start, end = self.span[row]
        return self.index.chunks[home].text[start:end]

    def __len__(self) -> int:
        return len(self.texts)

    def scores(
        self, passage_scores: np.ndarray, sentence_sims: np.ndarray, query: str, weights: SentenceWeights
    ) -> np.ndarray:
        """Each sentence's fused score: its dense rank, its BM25 rank and the rank of the best passage holding it.

        With a small `own_k` the sentence's own ranks are credited more sharply than its passage's (`rrf_k`): a
        sentence that both rankings put near the top is evidence even inside a long passage about much else."""
        passage_credit = rank_credit(passage_scores, weights.rrf_k)
        best = np.zeros(len(self), dtype=np.float32)
        np.maximum.at(best, self._pair_sentence, passage_credit[self._pair_passage])
        bm25 = self.lexical.scores(query)
        lexical = rank_credit(bm25, weights.own_k)
        lexical[bm25 <= 0] = 0.0  # a sentence sharing no word with the question earns no lexical credit
        own = rank_credit(sentence_sims[: len(self)], weights.own_k)
        return own + weights.bm25 * lexical + weights.passage * best

    def assemble(
        self,
        scores: np.ndarray,
        first: Sequence[Hit],
        budget: int,
        works: Collection[str] | None = None,
        limit: int | None = None,
        spread: float = 0.0,
        lists: bool = False,
    ) -> list[Hit]:
        """`first` (whole passages), then the best other sentences within `budget` characters in all, as runs;
        at most `limit` results when given.

        With `spread` (a question across the papers), each sentence taken from a paper lowers the score of the
        next from that paper by that much. A run is adjacent chosen sentences of one passage, quoted as the
        passage prints them; it is ranked by its best sentence. Its span (`start`/`end`) in the source is that of
        its sentences. With `lists` (a question asking for a list), a short list whose item, or the sentence
        introducing it, is among the LIST_RANK best comes whole, before the rest."""
        taken = {row for hit in first for _, _, row in hit.sentences}
        used = sum(len(h.chunk.text) for h in first)
        allowed = np.ones(len(self), dtype=bool)
        if works is not None:
            ids = [self._work_id[w] for w in works if w in self._work_id]
            allowed = np.isin(self.work, ids)
        chosen: list[int] = []
        order = np.argsort(-scores, kind="stable")
        # with `spread`, the SPREAD_DEPTH best are taken by their score less `spread` for each sentence already
        # taken from their paper; the rest in order
        head = order[:SPREAD_DEPTH] if spread else order[:0]
        left = np.asarray(scores[head], dtype=np.float64)
        works = self.work[head]
        # for a question asking for a list, an item of a short list among the very best sentences, or the sentence
        # introducing it, brings the list's other items ("First, ...": "Second, ...", "Third, ..."), wherever they
        # stand, as the budget allows
        for row in order[allowed[order]][: LIST_RANK if lists else 0]:
            items = self.members.get(self.lists.get(int(row), self.leads.get(int(row), -1)), [])
            if len(items) > LIST_ITEMS:
                continue
            for other in items:
                cost = len(self.texts[other]) + 1
                if other not in taken and self.home[other] >= 0 and used + cost <= budget:
                    taken.add(other)
                    chosen.append(other)
                    used += cost
        for step in range(len(order)):
            if used >= budget:
                break
            i = int(np.argmax(left)) if step < len(head) else step
            row = int(order[i])
            if step < len(head):
                left[i] = -np.inf
            if row in taken or not allowed[row] or self.home[row] < 0 or self.words[row] < MIN_WORDS:
                continue
            if not self.whole[row]:  # (a table or a list run together)
                continue
            cost = len(self.texts[row]) + 1
            if used + cost > budget:
                continue
            taken.add(row)
            chosen.append(row)
            used += cost
            # (what it points ahead to comes with it, as the budget allows)
            then = self.pointed.get(row, -1)
            if then >= 0 and then not in taken and used + len(self.texts[then]) + 1 <= budget:
                taken.add(then)
                chosen.append(then)
                used += len(self.texts[then]) + 1
            if step < len(head):
                left[works == self.work[row]] -= spread
        # Everything is ranked by its best sentence, whole passages too.
        hits = [replace(h, score=max((float(scores[r]) for _, _, r in h.sentences), default=h.score)) for h in first]
        hits += [self._hit(run, float(max(scores[r] for r in run))) for run in self._runs(chosen)]
        hits.sort(key=lambda h: -h.score)
        ranked = [replace(h, rank=i) for i, h in enumerate(hits, 1)]
        return ranked[:limit] if limit is not None else ranked

    def _runs(self, chosen: list[int]) -> list[list[int]]:
        """Chosen sentences grouped into runs of neighbours in one home passage, in order of each run's best."""
        by_place = {(int(self.home[r]), int(self.position[r])): r for r in chosen}
        order = {r: i for i, r in enumerate(chosen)}
        runs: list[list[int]] = []
        seen: set[int] = set()
        for row in chosen:
            if row in seen:
                continue
            home, pos = int(self.home[row]), int(self.position[row])
            while (home, pos - 1) in by_place and by_place[(home, pos - 1)] not in seen:
                pos -= 1
            run = []
            while (home, pos) in by_place:
                run.append(by_place[(home, pos)])
                pos += 1
            seen.update(run)
            runs.append(sorted(run, key=lambda r: int(self.position[r])))
        runs.sort(key=lambda run: min(order[r] for r in run))
        return runs

    def _hit(self, run: list[int], score: float) -> Hit:
        passage = self.index.chunks[int(self.home[run[0]])]
        cut, stop = int(self.span[run[0]][0]), int(self.span[run[-1]][1])
        chunk = cut_chunk(passage, cut, stop)
        sentences = tuple((int(self.span[r][0]) - cut, int(self.span[r][1]) - cut, r) for r in run)
        return Hit(rank=0, chunk=chunk, score=score, sentences=sentences, passage_row=int(self.home[run[0]]))


def list_ids(index: LoadedIndex) -> dict[int, int]:
    """Each list item of the papers' body (see rag.readable.list_item) and the list it belongs to, by sentence row:
    the row of the list's first item. A list runs on within its section, over passages: "Second, ..." and "3. ..."
    join the list before them, however much text comes between; any other item joins only the item just before it
    ("- improve outcomes ... - tackle inequalities ..."), or starts a list."""
    lists: dict[int, int] = {}
    seen: set[int] = set()
    current, place, previous_item = -1, ("", ""), False
    for p, chunk in enumerate(index.chunks):
        if (chunk.doc, chunk.section) != place:
            current, place, previous_item = -1, (chunk.doc, chunk.section), False
        for start, end, row in index.sentences_of(p):
            if row in seen:  # (passages overlap: a sentence is met again at the start of the next)
                continue
            seen.add(row)
            if chunk.kind != "body" or not list_item(chunk.text, start, end):
                previous_item = False
                continue
            if current < 0 or not (previous_item or later_item(chunk.text, start, end)):
                current = row
            lists[row] = current
            previous_item = True
    return lists


# a figure's or table's label, as a caption opens with it and the section under it is named ("Figure 2", "Table 1")
_LABEL_TEXT = r"(?:Figure|Fig\.|Table|Box|Exhibit)\s*(?:\d+[A-Za-z]?|[IVX]+)"  # "Table 2", "Table I", "Figure 3a"
_LABEL = re.compile(f"{_LABEL_TEXT}$")
# where a caption ends: its first full stop, a tab or a line break (a table's first cell), a quoted title's close
# ("Table 1 Quotes addressing the theme ‘Motivation ...’ Non-clinical managers ..."), a bullet
_CAPTION_END = re.compile(r"[.](?=\s|$)|[\t\n►•]|(?<=[’”])(?=\s+[A-Z])")
CAPTION_WORDS = 16  # at most this many words of a caption that runs on into its table or the text


def caption_line(text: str, label: int) -> str:
    """A figure's or table's caption as its passage opens with it (`label` characters of "Figure 2" first): up
    to its end (without its full stop), or CAPTION_WORDS words."""
    start = label + (text[label : label + 1] in ".:")
    end = _CAPTION_END.search(text, start)
    caption = text[: end.start() if end else len(text)].strip()
    words = caption.split()
    return " ".join(words[:CAPTION_WORDS]) if len(words) > CAPTION_WORDS else caption


# (a row of a table of prose: a short label before a cell of prose, see rag.cleaning.ROW_LABEL_WORDS)
ROW_LABELS_LEAST = 3
_SENTENCE_END = re.compile(r"[.!?;:][’”'\")]*$")
_CONTINUED = re.compile(r"\(continued\)(?:\s*(?:Table|TABLE)\s+\w+\.?\s*(?:\(continued\))?)?")
_NUMBER_CELL = re.compile(r"\b\d")


_CAPTION_LEAD = re.compile(rf"^\s*{_LABEL_TEXT}\b", re.I)  # (a heading opening with a caption's label)
_NUMBERED_LABEL = re.compile(r"^\s*[A-Za-z]+\s+\d{1,2}\s*$")  # "Practice 4", "Theme 2"


def _numbered_label(title: str) -> str:
    """The label a numbered heading opens with, as a question names it ("Practice 4: ..." -> "practice 4"), or ""."""
    label = title.split(":", 1)[0] if ":" in title else ""
    return plain_words(label) if _NUMBERED_LABEL.match(label) else ""


# (not "part": "what part do networks play ...?", "who took part ...?")
_SECTION_WORD = re.compile(r"\b(?:section|chapter|heading|headed|subsection|sub-section)s?\b", re.I)


def merged_text(texts: Sequence[str]) -> str:
    """The text of consecutive passages that overlap (a table cut into windows), once: each joined where it takes up
    the text before it."""
    out = texts[0] if texts else ""
    for text in texts[1:]:
        at = out.find(text[: min(60, len(text) // 2)], max(0, len(out) - len(text) - 200)) if text else -1
        out = out[:at] + text if at >= 0 else f"{out}\t{text}"
    return out


def row_labels(cells: Sequence[str]) -> list[str]:
    """The labels of a table's rows, from its cells in reading order: each a short cell ending no sentence, right
    before a cell of prose (of a run of short cells only the last: those before it head the columns); a label
    printed more than once ("Participant quotes") labels parts of rows, not rows."""

    def label(cell: str) -> bool:
        return (
            0 < len(cell.split()) <= ROW_LABEL_WORDS
            and not _SENTENCE_END.search(cell)
            and cell[:1] not in "'‘\"“(["
            and not _NUMBER_CELL.search(cell)
        )

    def prose(cell: str) -> bool:
        return len(cell.split()) >= ROW_PROSE_WORDS and not label(cell)

    cells = [" ".join(_CONTINUED.sub(" ", c).split()) for c in cells]
    found = [c for i, c in enumerate(cells) if label(c) and i + 1 < len(cells) and prose(cells[i + 1])]
    return [c for c in found if found.count(c) == 1]


def heading_lead(title: str) -> str:
    """The word a heading opens with, as a series shares it ("Practice 1: ..." -> "practice")."""
    words = title.split()
    return words[0].lower().rstrip(":.") if words else ""


def is_series(titles: Sequence[str], least: int = 3) -> bool:
    """Do at least `least` of the headings open with the same word ("Practice 1: ...", "Practice 2: ...")?"""
    leads = [heading_lead(t) for t in titles if t.strip()]
    return any(leads.count(lead) >= least for lead in set(leads))


def names_series(question: str, titles: Sequence[str], least: int = 3) -> bool:
    """Does the question ask for the series of headings itself: by the word they share ("Which six areas of practice
    ...?" for "Practice 1: ...", "Practice 2: ...") or by their count ("what are the six things leaders should do?")?
    Not a question one heading of it answers ("what goes wrong when leaders don't feel safe?")."""
    leads = [heading_lead(t) for t in titles if t.strip()]
    shared = [lead for lead in set(leads) if leads.count(lead) >= least]
    if any(re.search(rf"\b{re.escape(lead)}\s+\d", question, re.I) for lead in shared):
        return False  # (one heading of it, by its number: "what does practice 4 say about power?")
    asked = set(tokenize(question))
    counted = {str(leads.count(lead)) for lead in shared}
    return any(set(tokenize(lead)) & asked for lead in shared) or bool(counted & set(extract_numbers(question)))


# what a question asks for comes right after these: "what are the six ...", "which practices ...", "list the ..."
_ASKING = re.compile(
    r"\b(?:what|which)\b(?:\s+(?:are|were|is|was))?|\b(?:list|name|enumerate|outline|summari[sz]e)\b", re.I
)
ASKED_WORDS = 6  # how many words after those are what is asked for


def asks_for_series(question: str, titles: Sequence[str], least: int = 3) -> bool:
    """Does the question ask for the series itself, naming it (by its shared word or count, see `names_series`) in
    what it asks for ("list the practices the report recommends", "which six areas of practice ..."), not beside it
    ("before the six practices, what does the report expect of leaders?", "where did the six practices come
    from?")?"""
    asked = [" ".join(question[m.end() :].split()[:ASKED_WORDS]) for m in _ASKING.finditer(question)]
    return any(names_series(phrase, titles, least) for phrase in asked)


def introduced(question: str, titles: Sequence[str]) -> bool:
    """Does the question hold most words (three in four) of the heading introducing the series ("what are the key
    areas of practice for effective collaborative leadership?" for "Key areas of practice for effective collaborative
    leadership", over "Practice 1: ...", "Practice 2: ...")?"""
    if not titles or heading_lead(titles[0]) in {heading_lead(t) for t in titles[1:]}:
        return False  # (the first heading is one of the series: none introduces it)
    head = set(tokenize(titles[0]))
    return bool(head) and len(head & set(tokenize(question))) >= 0.75 * len(head)


@dataclass(frozen=True)
class _Heading:
    doc: str
    work: str
    position: int  # its place in the paper's outline
    title: str
    passages: tuple[int, ...]  # stored passages under this heading


class OutlineEvidence:
    """The papers' section headings as evidence: "what are the six practices?" is answered by the headings of the
    six sections that set them out. A heading scores like a sentence (its own dense and BM25 ranks plus its
    sections's best passage rank); the best heading comes back with the neighbouring headings of its paper that
    score almost as well, as one result listing them in order."""

    MIN_WORDS = 2  # a one-word heading ("Results") names a part of any paper, not what it says

    def __init__(self, index: LoadedIndex, embed: Callable[[list[str]], np.ndarray]) -> None:
        self.index = index
        under: dict[tuple[str, str], list[int]] = {}
        for p, c in enumerate(index.chunks):
            under.setdefault((c.doc, c.section), []).append(p)
        self.headings: list[_Heading] = []
        self._contents: dict[str, list[_Heading]] = {}  # each paper's body headings, in order, once each
        self._figures: dict[str, list[_Heading]] = {}  # each paper's figure and table captions, in order
        for doc in sorted({c.doc for c in index.chunks}):
            listed: list[_Heading] = []
            entries = index.outline(doc)
            for position, entry in enumerate(entries):
                passages = tuple(under.get((doc, entry.title), ()))
                if not passages:
                    continue
                heading = _Heading(doc, index.chunks[passages[0]].work, position, entry.title, passages)
                if len(entry.title.split()) >= self.MIN_WORDS:
                    self.headings.append(heading)
                body = any(index.chunks[p].kind == "body" for p in passages)
                if body and all(h.title != entry.title for h in listed):
                    listed.append(heading)
            top = min((entries[h.position].level for h in listed), default=1)
            if len(listed) > CONTENTS_MAX:  # a long outline by its outermost sections ("3 Automatic Evaluation")
                listed = [h for h in listed if entries[h.position].level == top] or listed
            if listed:
                self._contents.setdefault(listed[0].work, listed)  # one rendering of a paper printed twice
        # each paper's figures and tables, by their captions, in reading order (one rendering of a paper printed
        # twice: the one with most)
        captions: dict[str, list[_Heading]] = {}
        # (and each figure's or table's caption by its file and section: what the passages under it are about, as a
        # heading says it: "Table 2. Practical implications and recommendations from the study")
        self.captions: dict[tuple[str, str], str] = {}
        # (and each table of prose, by its caption and the labels of its rows: see row_labels)
        self._tables: list[list[_Heading]] = []
        for (doc, section), rows in sorted(under.items(), key=lambda item: item[1][0]):
            text = index.chunks[rows[0]].text
            if _LABEL.match(section) and text.startswith(section):
                caption = caption_line(text, len(section))
                self.captions[(doc, section)] = caption
                whole = merged_text([index.chunks[r].text for r in rows])
                labels = row_labels(whole[len(caption) :].lstrip(" .:").split("\t"))
                if section.lower().startswith("table") and len(labels) >= ROW_LABELS_LEAST:
                    work = index.chunks[rows[0]].work
                    self._tables.append(
                        [_Heading(doc, work, -1, caption, tuple(rows))]
                        + [_Heading(doc, work, -1, label, tuple(rows)) for label in labels]
                    )
                work = index.chunks[rows[0]].work
                captions.setdefault(doc, []).append(_Heading(doc, work, -1, caption, tuple(rows)))
        for shown in sorted(captions.values(), key=len, reverse=True):
            self._figures.setdefault(shown[0].work, shown)
        titles = [h.title for h in self.headings]
        self.vectors = embed(titles) if titles else np.zeros((0, 1), dtype=np.float32)
        # (how a question names each heading: its words whole, and the label of a numbered one, "Practice 4")
        self._named_by = [(plain_words(t), _numbered_label(t)) for t in titles]
        self.lexical = LexicalIndex(titles) if titles else None

    def __len__(self) -> int:
        return len(self.headings)

    def scores(
        self, passage_scores: np.ndarray, query_vector: np.ndarray, query: str, weights: SentenceWeights
    ) -> np.ndarray:
        """Each heading's fused score, as SentenceEvidence.scores gives a sentence's."""
        if not self.headings:
            return np.zeros(0, dtype=np.float32)
        k = weights.rrf_k
        dense = self.vectors @ query_vector
        bm25 = self.lexical.scores(query) if self.lexical is not None else np.zeros(0, dtype=np.float32)
        lexical = rank_credit(bm25, k)
        lexical[bm25 <= 0] = 0.0
        passage_credit = rank_credit(passage_scores, k)
        best = np.array([passage_credit[list(h.passages)].max() for h in self.headings], dtype=np.float32)
        return rank_credit(dense, k) + weights.bm25 * lexical + weights.passage * best

    def best_run(
        self, scores: np.ndarray, works: Collection[str] | None, share: float = 0.8, least: int = 3
    ) -> tuple[list[_Heading], float] | None:
        """The best heading's run of neighbouring headings (same paper, each scoring at least `share` of the best),
        when it holds at least `least` headings; with its best score."""
        if not len(self.headings):
            return None
        wanted = None if works is None else set(works)
        allowed = [i for i, h in enumerate(self.headings) if wanted is None or h.work in wanted]
        if not allowed:
            return None
        top = max(allowed, key=lambda i: float(scores[i]))
        if scores[top] <= 0:
            return None
        # A series of headings ("Practice 1: ...", "Practice 2: ...") is listed whole when the best heading
        # introduces it (comes right before it), or is in it and the question matches the series, not that heading
        # alone: at least `least` of its headings score `share` of the best ("what are the six practices?", not
        # "what goes wrong when leaders don't feel safe?", which is about what "Practice 1: creating a safe ...
        # environment" says) ...
        floor = share * float(scores[top])
        member = self._series(top, least)
        series = member if sum(float(scores[i]) >= floor for i in member) >= least else []
        series = series or ([] if member else self._series(top + 1, least))
        if series:
            run = sorted({top, *series})
        else:  # ... otherwise the neighbours that match the question almost as well
            doc = self.headings[top].doc
            run = [top]
            for step in (-1, 1):
                i = top + step
                while 0 <= i < len(self.headings) and self.headings[i].doc == doc and scores[i] >= floor:
                    run.append(i)
                    i += step
        if len(run) < least:
            return None
        return [self.headings[i] for i in sorted(run)], float(scores[top])

    def asked_series(
        self, scores: np.ndarray, works: Collection[str] | None, question: str, share: float = 0.8, least: int = 3
    ) -> tuple[list[_Heading], float] | None:
        """For a question asking for a series of headings by their shared word or count ("list the practices the
        report recommends", "what are the six practices?"): the best-scoring series (with the heading introducing
        it) among the headings scoring `share` of the best, when its best heading is not the best of all ("What is
        collaborative leadership?" outscored "Key areas of practice for effective collaborative leadership", which
        introduces "Practice 1: ...", "Practice 2: ...")."""
        wanted = None if works is None else set(works)
        allowed = [i for i, h in enumerate(self.headings) if wanted is None or h.work in wanted]
        if not allowed or max(float(scores[i]) for i in allowed) <= 0:
            return None
        floor = share * max(float(scores[i]) for i in allowed)
        for at in sorted((i for i in allowed if scores[i] >= floor), key=lambda i: -float(scores[i])):
            series = self._series(at, least) or self._series(at + 1, least)
            titles = [self.headings[i].title for i in series]
            if series and asks_for_series(question, titles):
                return [self.headings[i] for i in sorted({at, *series})], float(scores[at])
        return None

    def _series(self, at: int, least: int) -> list[int]:
        """The run of consecutive headings of one paper around `at` that open with the same word, when there are at
        least `least` of them; else []."""
        if not 0 <= at < len(self.headings):
            return []

        def lead(i: int) -> tuple[str, str]:
            return self.headings[i].doc, heading_lead(self.headings[i].title)

        lo = hi = at
        while lo > 0 and lead(lo - 1) == lead(at):
            lo -= 1
        while hi + 1 < len(self.headings) and lead(hi + 1) == lead(at):
            hi += 1
        return list(range(lo, hi + 1)) if hi - lo + 1 >= least else []

    def contents(self, work: str) -> list[_Heading]:
        """A paper's body headings in order ("Introduction", "What is collaborative leadership?", ...), each once:
        how it is laid out."""
        return self._contents.get(work, [])

    def figures(self, work: str) -> list[_Heading]:
        """A paper's figures and tables by their captions ("Figure 2 Key practices for effective collaborative
        leadership"), in reading order: what it shows."""
        return self._figures.get(work, [])

    def named_sections(self, question: str, works: Collection[str] | None = None) -> set[str]:
        """The headings of the papers `works` (or any) that a question names, to ask what the section under it says:
        whole ("What does the Relational activities section say?", "the 'Where next?' chapter") or by the label of a
        numbered one ("summarise Practice 4" for "Practice 4: actively managing power dynamics")."""
        asked = f" {plain_words(question)} "
        # (a heading's words may be the question's own, "what do the clinical leaders say ...?": a heading named
        # whole is one said to be a heading, or quoted)
        pointed = bool(_SECTION_WORD.search(question))
        quoted = set(quoted_phrases(question))
        named: set[str] = set()
        for h, (whole, label) in zip(self.headings, self._named_by, strict=True):
            if works is not None and h.work not in works:
                continue
            if (f" {whole} " in asked and (pointed or whole in quoted)) or (label and f" {label} " in asked):
                named.add(h.title)
        # (a heading of one word, "Discussion", right before the word saying it is one: "the Discussion section")
        for listed in self._contents.values():
            for h in listed:
                one = plain_words(h.title)
                said = len(one.split()) == 1 and re.search(
                    rf"\b{re.escape(one)} (?:section|chapter|heading)s?\b", asked
                )
                if said and (works is None or h.work in works):
                    named.add(h.title)
        return named

    def findings(self, work: str) -> list[_Heading]:
        """The headings a paper sets its findings out under (a qualitative study's themes: "Motivation to execute a
        leadership position", "Attitudes towards interdisciplinary working", ...): those after its heading "Results"
        or else its last heading of methods ("Data analysis"), up to its discussion, or else its first series of
        headings sharing their first word; [] when there are too few or too many to be a list."""
        listed = self._contents.get(work, [])
        for opens in (lambda t: bool(_RESULTS_HEADING.search(t)), lambda t: heading_has_role(t, ["methods"])):
            at = max((i for i, h in enumerate(listed) if opens(h.title)), default=None)
            if at is None:
                continue
            run: list[_Heading] = []
            for h in listed[at + 1 :]:
                if _CLOSING_HEADING.search(h.title) or heading_has_role(h.title, ["methods"]):
                    break
                if not _RESULTS_HEADING.search(h.title):
                    run.append(h)
            if FINDINGS_LEAST <= len(run) <= FINDINGS_MOST:
                return run
        # ... or a report's series of headings ("Practice 1: ...", "Practice 2: ..."), where it has no such part
        # (not a run of captions printed as headings: "Figure 1", "Figure 2", ...)
        at = next(
            (
                i
                for i, h in enumerate(self.headings)
                if h.work == work and not _CAPTION_LEAD.match(h.title) and self._series(i, FINDINGS_LEAST)
            ),
            None,
        )
        return [self.headings[i] for i in self._series(at, FINDINGS_LEAST)] if at is not None else []

    def table_rows(self, works: Collection[str] | None, roles: Sequence[str]) -> list[_Heading] | None:
        """The first table of prose, of the papers `works` (or any), whose caption says it holds a part of these
        roles ("Table 2. Practical implications and recommendations from the study" for recommendations): its caption
        and the labels of its rows."""
        for table in self._tables:
            if (works is None or table[0].work in works) and heading_has_role(table[0].title, list(roles)):
                return table
        return None

    def hit(self, run: list[_Heading], score: float, section: str = OUTLINE) -> Hit:
        """The run as one result: its headings, one a line, quoted as printed, with the span of the sections."""
        first = self.index.chunks[run[0].passages[0]]
        last = self.index.chunks[run[-1].passages[-1]]
        text = "\n".join(h.title for h in run)
        chunk = replace(
            first,
            chunk_id=chunk_id(first.doc, text),
            section=section,
            text=text,
            end=last.end if (last.page, last.doc) == (first.page, first.doc) else first.end,
        )
        spans, at = [], 0
        for h in run:
            spans.append((at, at + len(h.title), -1))
            at += len(h.title) + 1
        return Hit(rank=0, chunk=chunk, score=score, sentences=tuple(spans), passage_row=run[0].passages[0])
