"""Load the passage index, the one way into it: a loaded index holds its passages, their vectors, the sentence
layout and the citation facts per work.

Layout of an index folder: `CURRENT` names the live generation `gen-*/` (manifest.json, chunks.jsonl,
vectors.faiss); `cache/` keeps each file's passages and vectors by content hash, so re-indexing re-embeds only
new or changed files. A build writes a new generation and then swaps `CURRENT` atomically: a killed build
leaves the previous index loadable. The manifest holds the sha256 of every file of its generation, checked on
load, so a truncated or altered file is reported as damaged instead of giving wrong answers. A build holds
`.lock` (fcntl), so a second build of one index waits for the first. The parts: the build (rag/index_build.py),
the manifest and its checks (rag/manifest.py), the per-file cache (rag/file_cache.py), the corpus folder's files
(rag/corpus_files.py), the sentence layout (rag/sentence_layout.py) and the folder itself (rag/index_folder.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rag.bibliography import Reference
from rag.contacts import Contact
from rag.corpus_files import catalog_hash, corpus_files, not_papers
from rag.errors import IndexMissingError, StaleIndexError
from rag.file_cache import chunks_from_jsonl, meta_from_dict
from rag.index_build import BuildReport, build_index
from rag.index_folder import current_generation, damaged, file_sha256, verify_files
from rag.manifest import IndexManifest, answerable, incompatible, out_of_date, read_manifest, staleness
from rag.outline import OutlineEntry
from rag.schema import Chunk, PaperMeta
from rag.sentence_layout import passage_sentences
from rag.settings import Settings
from rag.vector_store import FaissStore, VectorStore, open_store

# The names other modules have imported from here; each lives in its own module now.
__all__ = [
    "BuildReport",
    "IndexManifest",
    "LoadedIndex",
    "answerable",
    "build_index",
    "catalog_hash",
    "corpus_files",
    "file_sha256",
    "load_index",
    "not_papers",
    "passage_sentences",
    "read_manifest",
    "staleness",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedIndex:
    """A loaded index: passages in row order, their vectors, and citation facts per work."""

    path: Path
    manifest: IndexManifest
    chunks: tuple[Chunk, ...]
    vectors: VectorStore
    papers: dict[str, PaperMeta]
    sentence_spans: tuple[tuple[tuple[int, int], ...], ...]  # per passage: sentence spans in its text
    sentence_rows: tuple[tuple[int, ...], ...]  # per passage: row of each sentence in sentence_vectors
    sentence_vectors: np.ndarray
    outlines: dict[str, tuple[OutlineEntry, ...]] = field(default_factory=dict)
    bibliographies: dict[str, tuple[Reference, ...]] = field(default_factory=dict)
    # each file's contact details as it prints them (rag.contacts; not evidence passages)
    contacts: dict[str, tuple[Contact, ...]] = field(default_factory=dict)

    def bibliography(self, doc: str) -> list[Reference]:
        """The entries of corpus file `doc`'s reference list, as parsed when it was indexed (not passages: evidence
        only for a question about the works the paper cites)."""
        return list(self.bibliographies.get(doc, ()))

    def outline(self, doc: str) -> list[OutlineEntry]:
        """The sections of corpus file `doc` in reading order, as found when it was indexed.

        Each OutlineEntry has `level` (1 outermost; 2 for '3.1'), `title` as printed, and its span: from `start`
        on page `page` to `end` on page `end_page` (for a file without pages, `page` is None and the offsets are in
        its text). A section's span holds its sub-sections. Empty for a file not in the index or without headings.
        """
        return list(self.outlines.get(doc, ()))

    def sentences_of(self, row: int) -> tuple[tuple[int, int, int], ...]:
        """Passage `row`'s sentences as (start, end) in its text and their row in sentence_vectors."""
        spans, rows = self.sentence_spans[row], self.sentence_rows[row]
        return tuple((s, e, r) for (s, e), r in zip(spans, rows, strict=True))


def _sentence_layout(generation: Path, chunks: Sequence[Chunk]) -> tuple[list[list[tuple[int, int]]], list[list[int]]]:
    """Each passage's sentence spans and sentence-vector rows, as stored at build time (split again for an index
    written before they were stored)."""
    stored = generation / "sentences.json"
    if stored.is_file():
        data = json.loads(stored.read_text(encoding="utf-8"))
        if len(data["spans"]) == len(chunks):
            return [[(int(a), int(b)) for a, b in s] for s in data["spans"]], data["rows"]
    _, spans, rows = passage_sentences(chunks)
    return spans, rows


def load_index(settings: Settings, check_corpus: bool = True) -> LoadedIndex:
    """Load the live index, or fail with the command that fixes it.

    A whole index that is out of date (the corpus, catalog or chunking changed) still loads: one warning names
    what changed and the fix. An index of another model or format, or one whose files fail their checksums,
    does not."""
    index_dir = settings.index_dir
    fix = f"run `rag index --corpus {settings.corpus.dir} --index {index_dir}`"
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexMissingError(f"{index_dir} is a file, not an index folder: pass --index with a folder")
    generation = current_generation(index_dir)
    manifest = read_manifest(index_dir)
    if generation is None or manifest is None:
        raise IndexMissingError(f"no index in {index_dir}: {fix}")
    mismatch = incompatible(manifest, settings)
    if mismatch is not None:
        raise StaleIndexError(f"{mismatch}: {fix}")
    verify_files(generation, manifest.checksums, index_dir)
    if check_corpus:
        reason = out_of_date(manifest, settings)
        if reason is not None:
            log.warning("%s; answers come from the index as it was built: %s to update it", reason, fix)
    try:
        chunks = tuple(chunks_from_jsonl((generation / "chunks.jsonl").read_text(encoding="utf-8")))
        exact = FaissStore.load(generation / "vectors.faiss")
        papers = {w: meta_from_dict(m) for w, m in manifest.papers.items()}
        spans, rows = _sentence_layout(generation, chunks)
        sentence_vectors = np.load(generation / "sentence_vectors.npy", allow_pickle=False)
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, RuntimeError, EOFError) as exc:
        # faiss raises RuntimeError for a truncated file; json and Chunk(**...) ValueError/TypeError for garbage
        raise damaged(index_dir, f"{type(exc).__name__} while reading it") from exc
    width = sentence_vectors.shape[1] if sentence_vectors.ndim == 2 else -1
    if len(exact) != len(chunks) or exact.dim != width or len(spans) != len(chunks):
        raise damaged(
            index_dir,
            f"{len(exact)} vectors of {exact.dim} numbers for {len(chunks)} passages, sentences of {width}",
        )
    if any(r >= len(sentence_vectors) for passage in rows for r in passage):
        raise damaged(index_dir, "sentence rows beyond the sentence vectors")
    outline_path = generation / "outline.json"
    bibliography_path = generation / "bibliography.json"
    contacts_path = generation / "contacts.json"
    try:
        stored = json.loads(outline_path.read_text(encoding="utf-8")) if outline_path.is_file() else {}
        outlines = {doc: tuple(OutlineEntry.from_dict(e) for e in entries) for doc, entries in stored.items()}
        stored = json.loads(bibliography_path.read_text(encoding="utf-8")) if bibliography_path.is_file() else {}
        bibliographies = {doc: tuple(Reference.from_dict(r) for r in refs) for doc, refs in stored.items()}
        stored = json.loads(contacts_path.read_text(encoding="utf-8")) if contacts_path.is_file() else {}
        contacts = {doc: tuple(Contact.from_dict(c) for c in found) for doc, found in stored.items()}
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise damaged(index_dir, f"{type(exc).__name__} while reading its outline, bibliography or contacts") from exc
    vectors = open_store(settings.store, generation, exact, [c.text for c in chunks])
    return LoadedIndex(
        index_dir,
        manifest,
        chunks,
        vectors,
        papers,
        tuple(tuple(s) for s in spans),
        tuple(tuple(r) for r in rows),
        sentence_vectors,
        outlines,
        bibliographies,
        contacts,
    )
