"""The small frozen records that travel between pipeline steps: Document -> Chunk -> Hit -> Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class PaperMeta:
    """Citation facts of one paper (one `work`), from the catalog, a sidecar file, or the text itself."""

    work: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    month: str = ""
    url: str = ""
    # where each fact came from: "catalog", "sidecar", "first page", "text", "xmp", "pdf metadata", "file name"
    sources: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        return data


@dataclass(frozen=True)
class Block:
    """A laid-out stretch of a page's text: heading (with level), body, caption, table or note; its span in the text."""

    kind: str
    start: int
    end: int
    label: str = ""  # "Figure 3", "Table 1" for a caption or a table body
    level: int = 0  # nesting of a heading, 1 outermost
    size: float = 0.0  # type size in points


@dataclass(frozen=True)
class Page:
    """One page of extracted text; `number` is 1-based for PDFs and None for files without pages.

    `blocks` is empty for text read without layout; for a laid-out PDF page it covers every block of `text`.
    """

    number: int | None
    text: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class SourceFile:
    """A corpus file as read from disk: its pages of raw text, before cleaning."""

    doc: str
    pages: tuple[Page, ...]
    sha256: str
    # facts the file states about itself (PDF Info dictionary, XMP): field -> (value, where it came from)
    metadata: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Sentence:
    """A cleaned sentence with its span in its page's raw text."""

    text: str
    page: int | None
    start: int
    end: int
    section: str
    cell: bool = False  # a tab parts it from the sentence before: a table's cell, or the text after a run-in heading


@dataclass(frozen=True)
class Chunk:
    """A passage: whole sentences of one document, with its span in the source page and a content-derived id."""

    chunk_id: str
    doc: str
    work: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    text: str
    kind: str = "body"  # body | front | back: front/back matter stays findable but is ranked below the body
    # Where each of its sentences stands: (start, end) in `text` and (start, end) in the source page, so a part of
    # the passage knows its own span in the source (see rag.chunking.cut_chunk). Empty for an older index.
    anchors: tuple[tuple[int, int, int, int], ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("anchors")
        return data


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its rank and fused score."""

    rank: int
    chunk: Chunk
    score: float
    # (start, end) of each sentence in chunk.text with its row in the index's sentence vectors; empty: look the
    # passage up in the index by chunk_id
    sentences: tuple[tuple[int, int, int], ...] = field(default=(), compare=False, repr=False)
    # the stored passage (row in the index) that holds this hit's text; -1: look it up by chunk_id
    passage_row: int = field(default=-1, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = self.chunk.to_dict()
        data.pop("kind", None)
        return {"rank": self.rank, **data, "score": round(float(self.score), 6)}


@dataclass(frozen=True)
class Citation:
    """One cited passage in an answer, with the exact quoted span the sentence rests on."""

    n: int
    chunk: Chunk
    meta: PaperMeta
    quote: str

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "n": self.n,
            "chunk_id": c.chunk_id,
            "doc": c.doc,
            "work": c.work,
            "title": self.meta.title,
            "authors": list(self.meta.authors),
            "year": self.meta.year,
            "venue": self.meta.venue,
            "volume": self.meta.volume,
            "issue": self.meta.issue,
            "pages": self.meta.pages,
            "doi": self.meta.doi,
            "url": self.meta.url,
            "section": c.section,
            "page": c.page,
            "start": c.start,
            "end": c.end,
            "text": c.text,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    citations: tuple[int, ...]
    supported: bool

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations), "supported": self.supported}


@dataclass(frozen=True)
class PaperEvidence:
    """One row of an answer's evidence table: a paper and the sentences the answer quotes from it."""

    work: str
    title: str
    sentences: tuple[str, ...] = ()
    citations: tuple[int, ...] = ()
    addressed: bool = False
    label: str = ""  # how the answer names the paper ("Waring et al., 2023")

    def to_dict(self) -> dict[str, Any]:
        return {
            "work": self.work,
            "title": self.title,
            "label": self.label,
            "addressed": self.addressed,
            "sentences": list(self.sentences),
            "citations": list(self.citations),
        }


@dataclass(frozen=True)
class Answer:
    """The answer contract shared by the CLI, the UI and the evals."""

    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[Hit, ...]
    sentences: tuple[AnswerSentence, ...]
    backend: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    id: str | None = None
    notes: tuple[str, ...] = ()
    by_paper: tuple[PaperEvidence, ...] = ()  # the evidence table, for an answer across the papers
    disagreements: tuple[str, ...] = ()  # where the evidence gives different figures for the same thing
    not_covered: tuple[str, ...] = ()  # what the question asks about that the papers never mention

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [h.to_dict() for h in self.retrieved],
            "sentences": [s.to_dict() for s in self.sentences],
            "backend": self.backend,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "notes": list(self.notes),
            "by_paper": [row.to_dict() for row in self.by_paper],
            "disagreements": list(self.disagreements),
            "not_covered": list(self.not_covered),
        }
