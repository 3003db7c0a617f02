"""The works a paper cites, as its reference list prints them.

A question asking for the reference of a work a paper cites ("What is the full reference for the Veronesi paper Ng
cites?", "Which journal published Hulks et al. 2017?") asks about the cited work, not the citing paper: it is
answered with the entries of the citing paper's reference list (parsed when the paper was indexed, see
rag.bibliography) whose first author the question names, as printed. The reference lists are not passages of
the index: each entry quoted is cited to the reference list itself, on the page and at the span it is printed
(`CitedWorks.hit`), and is what the search returns for such a question."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from rag.bibliography import Reference
from rag.chunking import chunk_id
from rag.index import LoadedIndex
from rag.lexical import tokenize
from rag.schema import Chunk, Hit

# asking for a work's reference details: its reference or citation, where or when it came out, its title or DOI
_DETAILS_ASKED = re.compile(
    r"\b(?:full|complete|exact|whole)\s+(?:references?|citations?)\b|\b(?:references?|citations?)\s+(?:for|of|to|details)\b"
    r"|\b(?:the|its|a) (?:references?|citations?)\s*[?.]|\bbibliographic\b|\bdoi\b|\bfull title\b|\btitle of\b"
    r"|\b(?:which|what) (?:journal|publisher|year|book)\b"
    r"|\b(?:where|when) (?:was|were|did|is)\b[^?.]{0,60}?\b(?:published|appear|come out|came out|printed)\b"
    r"|\bpublished (?:in|by|where|when)\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_LETTERS = re.compile(r"[^\W\d_]+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_INITIALS = re.compile(r"^(?:[A-Z]{1,3}|(?:[A-Z]\.\s?-?)+)$")
REFERENCES = "References"  # the section an entry of a reference list is cited under
MOST_ENTRIES = 3  # most entries quoted for one question (a name with more works is narrowed by year or title)
MOST_LISTED = 12  # most entries quoted for a question asking which works of an author, or on a topic, a paper cites

# asking which works a paper's reference list holds: "Which King's Fund publications does Ng cite?", "does the report
# draw on any earlier work by its lead author?", "which items in Ng's references are about clinical leadership?"
_WORKS = r"(?:publications?|works?|papers?|reports?|items?|entries|sources?|articles?|studies|books?|documents?)"
_CITES = r"(?:cites?|cited|citing|references?|referenced|draws?\s+on|drew\s+on|builds?\s+on|lists?|listed)"
_LISTING = re.compile(
    rf"\b(?:which|what|any)\b[^?.]{{0,60}}?\b{_WORKS}\b[^?.]{{0,60}}?\b{_CITES}\b"
    rf"|\b{_CITES}\s+(?:any|which|what)\b[^?.]{{0,30}}?\b{_WORKS}\b"
    r"|\b(?:in|from|of)\s+(?:[\w'’-]+\s+){0,2}(?:references|reference list|bibliography)\b",
    re.I,
)
# ... whose works: "publications by X", "work from X", or "which X publications", "which of X's own publications"
# (a name ends at the verb after it: "works by Porter | does Ng cite")
_AUX = r"(?:does|do|did|is|are|was|were|has|have|had|can|could|would|will|and|cite|cites|cited)"
_NAME_WORDS = rf"(?:(?!{_AUX}\b)[\w'’-]+,?\s+)"
_BY = re.compile(rf"\b{_WORKS}\s+(?:by|from)\s+({_NAME_WORDS}{{0,5}}(?!{_AUX}\b)[\w'’-]+)", re.I)
_OWNER = re.compile(rf"\b(?:which|what|any)\s+(?:of\s+)?({_NAME_WORDS}{{1,5}}?){_WORKS}\b", re.I)
# ... or on what: "reports on integrated care", "items ... that are about clinical leadership"
_TOPIC = re.compile(
    rf"\b(?:{_WORKS}|are|is)\s+(?:about|on)\s+((?:(?!{_AUX}\b)[\w'’-]+\s*)+?)(?=\s+{_AUX}\b|[?.,;]|\s+-\s|$)", re.I
)
# words in those phrases that name no author: "its own lead author", "earlier", "the"
_NO_NAME = frozenset(
    {"the", "a", "an", "its", "her", "his", "their", "own", "earlier", "previous", "other", "recent", "lead", "first"}
    | {"main", "senior", "co", "author", "authors", "which", "what", "any", "of", "by", "from"}
)


def bare_words(text: str) -> list[str]:
    """The text's words without a possessive ending ("The King's Fund's" -> "The", "King", "Fund"), as written."""
    return [m.group().removesuffix("'s").removesuffix("’s") for m in _WORD.finditer(text)]


def surname(author: str) -> str:
    """An author's family name as a reference list prints it: 'Veronesi G' -> 'Veronesi', 'Marco Baroni' ->
    'Baroni', 'van den Beek M' -> 'Beek'."""
    words = [w.strip(",.") for w in author.split() if w.strip(",.")]
    names = [w for w in words if not _INITIALS.match(w) and not w.islower()]  # (not "van", "den")
    if not names:
        return ""
    # "Surname Initials" (Vancouver) keeps the name first; "First Last" keeps it last
    return names[0] if _INITIALS.match(words[-1]) else names[-1]


@dataclass(frozen=True)
class CitedWorks:
    """Each paper's reference list (by work); the papers' own words written in lower case (a name the question writes
    in lower case, "porter", is taken for a name only where the papers never use it as a word); and the words naming
    the corpus papers themselves."""

    references: Mapping[str, Sequence[Reference]]
    lower_words: Collection[str] = ()
    # the words naming the corpus papers, lower case (their authors' family names, publishers, title words): a
    # question naming a paper of the corpus asks for its own reference (see Composer.reference_line), not for an
    # entry of another paper's list ("the combined Higgs mass paper" is not Higgs's 1964 letter)
    own_names: Collection[str] = ()
    docs: Mapping[str, str] = field(default_factory=dict)  # the file each paper's list was read from (by work)
    titles: Mapping[str, str] = field(default_factory=dict)  # each paper's title (by work)

    def hit(self, work: str, entry: Reference, score: float = 0.0) -> Hit | None:
        """The entry as a result citing the paper's reference list where it prints the entry (its page and span);
        None for an entry whose place is not known (an index built before entries were placed)."""
        doc = self.docs.get(work)
        if doc is None or entry.start < 0:
            return None
        chunk = Chunk(
            chunk_id(doc, entry.text),
            doc,
            work,
            self.titles.get(work, ""),
            REFERENCES,
            entry.page,
            entry.start,
            entry.end,
            entry.text,
            kind="back",
        )
        return Hit(rank=0, chunk=chunk, score=score)

    @classmethod
    def of(cls, index: LoadedIndex, lower_words: Collection[str] = ()) -> CitedWorks:
        """The reference lists an index parsed (a paper's two renderings list the same works: the first list found),
        and the words naming its papers: their authors' family names, publishers, titles and file names (should a
        title be misread, "atlascms-2015-higgs-mass" still names the paper)."""
        work_of = {c.doc: c.work for c in index.chunks}
        listed: dict[str, list[Reference]] = {}
        docs: dict[str, str] = {}
        for doc, entries in sorted(index.bibliographies.items()):
            if doc in work_of and not listed.get(work_of[doc]):
                listed[work_of[doc]] = list(entries)
                docs[work_of[doc]] = doc
        own = {surname(a).lower() for meta in index.papers.values() for a in meta.authors}
        own |= {t.lower() for w, m in index.papers.items() for t in _LETTERS.findall(f"{w} {m.venue} {m.title}")}
        titles = {w: m.title for w, m in index.papers.items()}
        return cls(listed, lower_words, own, docs, titles)

    def listed(self, asked: Listing, works: Sequence[str] | None = None) -> dict[str, list[Reference]]:
        """The entries of each paper's reference list (of `works`, when given) that a question asking which works
        it cites asks for (see `listing`), up to MOST_LISTED each."""
        found: dict[str, list[Reference]] = {}
        for work in works if works is not None else sorted(self.references):
            entries = [r for r in self.references.get(work, ()) if holds(r, asked)]
            if entries:
                found[work] = entries[:MOST_LISTED]
        return found

    def asked(self, question: str, works: Sequence[str] | None = None) -> dict[str, list[Reference]]:
        """For a question asking for the reference details of works a paper cites, naming their first author: the
        entries of each paper's reference list (of `works`, when given) that it asks for; else {}."""
        if not _DETAILS_ASKED.search(question):
            return {}
        named = {w.lower() for w in bare_words(question) if w[0].isupper() or w.lower() not in self.lower_words} - set(
            self.own_names
        )
        years = {int(y) for y in _YEAR.findall(question)}
        terms = set(tokenize(question))
        found: dict[str, list[Reference]] = {}
        for work in works if works is not None else sorted(self.references):
            entries = [r for r in self.references.get(work, ()) if r.authors and surname(r.authors[0]).lower() in named]
            if years and any(r.year in years for r in entries):
                entries = [r for r in entries if r.year in years]
            if len(entries) > MOST_ENTRIES:  # (the works whose title shares most words with the question)
                entries.sort(key=lambda r: -len(terms & set(tokenize(r.title))))
                entries = entries[:MOST_ENTRIES]
            if entries:
                found[work] = entries
        return found


@dataclass(frozen=True)
class Listing:
    """A question asking which works a paper's reference list holds: whose (`names`, lower case: "king", "fund"), or
    on what (`topic`, stemmed words of the titles), and the question without them (`rest`), which names the paper
    whose list it is ("Which King's Fund publications does Ng cite?": Ng's, not the King's Fund report's)."""

    names: tuple[str, ...]
    topic: tuple[str, ...]
    rest: str


def listing(question: str) -> Listing | None:
    """The works a question asks a paper's reference list for (see Listing); None when it asks for none, or names
    neither whose works nor on what."""
    if not _LISTING.search(question):
        return None
    rest = question
    names: list[str] = []
    for pattern in (_BY, _OWNER):
        m = pattern.search(rest)
        if m is None:
            continue
        words = [w.lower() for w in bare_words(m.group(1))]
        named = [w for w in words if w not in _NO_NAME and len(w) > 1]
        if named:
            names = named
            # (wherever the question names them: "... and what does she use the King's Fund for?")
            rest = re.sub(re.escape(m.group(1).strip()), " ", rest, flags=re.I)
            break
    topic: tuple[str, ...] = ()
    if not names and (m := _TOPIC.search(rest)):
        topic = tuple(tokenize(m.group(1)))
        rest = rest[: m.start(1)] + rest[m.end(1) :]
    if not names and not topic:
        return None
    return Listing(tuple(names), topic, rest)


def holds(entry: Reference, asked: Listing) -> bool:
    """Is the entry one of the works asked for: by the name asked (its authors' family names, or every word of a
    name of two words or more in the entry, "The King's Fund"), or with at least two of the topic's words (all, if
    fewer) in its title?"""
    if asked.names:
        if surname_of(asked.names[-1], entry):
            return True
        if len(asked.names) < 2:  # (one word is a family name: "Yao" is not Yao Lu)
            return False
        printed = {w.lower() for w in bare_words(entry.text)}
        return all(w in printed for w in asked.names)
    title = set(tokenize(entry.title or entry.text))
    return len(title & set(asked.topic)) >= min(2, len(set(asked.topic)))


def surname_of(name: str, entry: Reference) -> bool:
    """Is the name one of the entry's authors' family names?"""
    return any(surname(a).lower() == name for a in entry.authors)


def listed_line(label: str, entries: Sequence[Reference], markers: Sequence[int | None] = ()) -> str:
    """The line quoting the entries one paper's reference list gives for the asked-for works, each with its
    citation marker where it has one (`markers`, in the entries' order)."""
    marks = [f" [{m}]" if m is not None else "" for m in markers] or [""] * len(entries)
    printed = " ".join(
        f"{e.text if e.text.endswith('.') else e.text + '.'}{mark}" for e, mark in zip(entries, marks, strict=True)
    )
    if len(entries) == 1:
        return f"{label} lists it in its references: {printed}"
    return f"{label} lists {len(entries)} such works in its references: {printed}"
