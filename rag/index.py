"""Build, store and load the passage index: a FAISS file, a JSONL passage store and a self-describing manifest.

Layout of an index folder: `CURRENT` names the live generation `gen-*/` (manifest.json, chunks.jsonl,
vectors.faiss); `cache/` keeps each file's passages and vectors by content hash, so re-indexing re-embeds only
new or changed files. A build writes a new generation and then swaps `CURRENT` atomically: a killed build
leaves the previous index loadable. The manifest holds the sha256 of every file of its generation, checked on
load, so a truncated or altered file is reported as damaged instead of giving wrong answers. A build holds
`.lock` (fcntl), so a second build of one index waits for the first (the folder-level parts: rag/index_folder.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from rag.bibliography import Reference, bibliography_of
from rag.catalog import load_catalog, meta_for
from rag.chunking import chunk_source
from rag.dedup import merge_renderings
from rag.embedding import Embedder
from rag.errors import (
    CorpusError,
    IndexDamagedError,
    IndexMissingError,
    IndexNotWritableError,
    StaleIndexError,
    UnreadableFileError,
)
from rag.filetypes import SUPPORTED_SUFFIXES
from rag.index_folder import (
    build_lock,
    check_writable,
    clean_leftovers,
    current_generation,
    damaged,
    file_sha256,
    generation_checksums,
    verify_files,
)
from rag.outline import OutlineEntry, outline_of
from rag.paper_facts import text_facts
from rag.schema import Chunk, PaperMeta
from rag.sentences import split_sentences
from rag.settings import CLEANING_VERSION, Settings, vector_runtime_id
from rag.vector_store import FaissStore, VectorStore, open_store

log = logging.getLogger(__name__)

FORMAT = 2


@dataclass(frozen=True)
class IndexManifest:
    """What built an index: model, chunking, cleaning version and the hash of every corpus file."""

    fingerprint: str
    model: str
    chunking: dict[str, Any]
    cleaning_version: str
    files: dict[str, str]
    skipped: dict[str, str]
    papers: dict[str, dict[str, Any]]
    docs: dict[str, str]
    chunks: int
    built_at: str
    catalog_hash: str = ""
    format: int = FORMAT
    runtime: str = "float"  # what made the vectors (settings.vector_runtime_id): questions must be embedded by it too
    checksums: dict[str, str] = field(default_factory=dict)  # sha256 of each file of the generation

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> IndexManifest:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("the manifest is not a JSON object")
        return cls(**data)


@dataclass
class BuildReport:
    """What a build did, for the CLI to print."""

    indexed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    chunks: int = 0
    seconds: float = 0.0


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

    def bibliography(self, doc: str) -> list[Reference]:
        """The entries of corpus file `doc`'s reference list, as parsed when it was indexed (not evidence)."""
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


def not_papers(corpus_dir: Path) -> dict[str, str]:
    """Entries of the corpus folder that are not read, each with a one-line reason (catalogs, dot files and
    folders are left out: they are not meant as papers)."""
    reasons: dict[str, str] = {}
    for path in sorted(corpus_dir.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() == ".toml":
            continue
        if not _utf8_name(path.name):  # bytes the file system holds but no text can carry (ids, JSON, the page)
            shown = os.fsencode(path.name).decode("utf-8", "backslashreplace")
            reasons[shown] = f"{shown}: the file name is not valid UTF-8; rename it"
        elif path.is_symlink() and not path.exists():
            reasons[path.name] = f"{path.name}: a broken link or a link loop; point it at a paper or remove it"
        elif path.is_file() and path.suffix.lower() not in SUPPORTED_SUFFIXES:
            shown = f"'{path.suffix}'" if path.suffix else "(no suffix)"
            reasons[path.name] = f"{path.name}: unsupported file type {shown}; save it as .pdf, .txt, .md or .html"
    return reasons


def corpus_files(corpus_dir: Path) -> list[Path]:
    if corpus_dir.exists() and not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} is a file: pass --corpus with the folder of papers")
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} not found: create it and add papers, or pass --corpus DIR")
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".") and _utf8_name(p.name)
    )


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def catalog_hash(corpus_dir: Path) -> str:
    """One hash over catalog.toml and every sidecar, so edited citation facts make the index stale."""
    digest = hashlib.sha256()
    for path in sorted(corpus_dir.glob("*.toml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _meta_dict(meta: PaperMeta) -> dict[str, Any]:
    return meta.to_dict()


def _meta_from_dict(data: dict[str, Any]) -> PaperMeta:
    return PaperMeta(**{**data, "authors": tuple(data.get("authors", ()))})


def _chunks_to_jsonl(chunks: list[Chunk]) -> bytes:
    rows = ({**c.to_dict(), "anchors": c.anchors} for c in chunks)
    return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows).encode()


def _chunk_from_dict(data: dict[str, Any]) -> Chunk:
    anchors = tuple((int(a), int(b), int(c), int(d)) for a, b, c, d in data.pop("anchors", ()))
    return Chunk(**data, anchors=anchors)


def _chunks_from_jsonl(text: str) -> list[Chunk]:
    return [_chunk_from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]


class _FileCache:
    """Per-file passages and vectors, keyed by file hash, settings fingerprint and citation facts."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def key(self, sha: str, fingerprint: str, meta: PaperMeta) -> str:
        meta_hash = hashlib.sha256(json.dumps(_meta_dict(meta), sort_keys=True).encode()).hexdigest()[:8]
        return f"{sha[:24]}-{fingerprint}-{meta_hash}"

    def get(self, key: str) -> tuple[list[Chunk], np.ndarray, np.ndarray] | None:
        paths = [self.root / f"{key}{ext}" for ext in (".jsonl", ".npy", ".sent.npy")]
        if not all(p.is_file() for p in paths):
            return None
        try:
            chunks = _chunks_from_jsonl(paths[0].read_text(encoding="utf-8"))
            vectors = np.load(paths[1], allow_pickle=False)
            sentence_vectors = np.load(paths[2], allow_pickle=False)
        except (OSError, ValueError, TypeError, EOFError) as exc:  # a damaged cache entry is embedded again
            log.info("cache entry %s unreadable (%s); embedding the file again", key, exc)
            return None
        return (chunks, vectors, sentence_vectors) if len(chunks) == len(vectors) else None

    def put(self, key: str, chunks: list[Chunk], vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
        for ext, array in ((".npy", vectors), (".sent.npy", sentence_vectors)):
            fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".npy")
            os.close(fd)
            np.save(tmp, array, allow_pickle=False)
            os.replace(tmp, self.root / f"{key}{ext}")
        _atomic_write(self.root / f"{key}.jsonl", _chunks_to_jsonl(chunks))

    def spans(self, key: str, chunks: Sequence[Chunk]) -> dict[str, list[tuple[int, int]]]:
        """Each cached passage's sentence spans by chunk id: stored beside the entry (sentence splitting costs
        seconds per paper), split again and stored when missing or unreadable."""
        path = self.root / f"{key}.spans.json"
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(stored, list) and len(stored) == len(chunks):
                return {c.chunk_id: [(int(a), int(b)) for a, b in s] for c, s in zip(chunks, stored, strict=True)}
        except (OSError, ValueError, TypeError):
            pass  # not there yet (or damaged): split again below
        spans = passage_sentences(chunks)[1]
        self.put_spans(key, spans)
        return {c.chunk_id: s for c, s in zip(chunks, spans, strict=True)}

    def put_spans(self, key: str, spans: list[list[tuple[int, int]]]) -> None:
        _atomic_write(self.root / f"{key}.spans.json", json.dumps(spans, separators=(",", ":")).encode())


def passage_sentences(
    chunks: Sequence[Chunk], known: Mapping[str, list[tuple[int, int]]] | None = None
) -> tuple[list[str], list[list[tuple[int, int]]], list[list[int]]]:
    """Unique sentence texts of passages, each passage's sentence spans, and the row of each sentence.
    `known` gives the spans of passages already split, by chunk id."""
    texts: list[str] = []
    row_of: dict[str, int] = {}
    spans: list[list[tuple[int, int]]] = []
    rows: list[list[int]] = []
    for chunk in chunks:
        chunk_spans = known[chunk.chunk_id] if known and chunk.chunk_id in known else split_sentences(chunk.text)
        spans.append(chunk_spans)
        chunk_rows = []
        for start, end in chunk_spans:
            text = chunk.text[start:end]
            if text not in row_of:
                row_of[text] = len(texts)
                texts.append(text)
            chunk_rows.append(row_of[text])
        rows.append(chunk_rows)
    return texts, spans, rows


def _check_size(name: str, size: int, is_text: bool, settings: Settings) -> None:
    """UnreadableFileError for a file too large to index in reasonable time: `size` counts the characters of its
    text (or the bytes of a plain-text file), or the bytes of a PDF or HTML file before it is read."""
    limit_mb, key = (settings.corpus.max_text_mb, "max_text_mb") if is_text else (settings.corpus.max_upload_mb, "")
    if size <= limit_mb * 2**20:
        return
    what = "of text" if is_text else "file"
    raise UnreadableFileError(
        f"{name}: {size / 2**20:.1f} MB {what} is over the limit of {limit_mb:g} MB "
        f"(corpus.{key or 'max_upload_mb'}); split it into smaller files or raise the limit"
    )


def build_index(
    settings: Settings,
    embedder_factory: Callable[[], Embedder],
    progress: bool = True,
    force: bool = False,
) -> BuildReport:
    """(Re)build the index from the corpus folder, re-embedding only new or changed files; `force` writes a new
    generation even when nothing changed (after a file's cached passages were dropped, to read it again).

    Raises IndexNotWritableError, before embedding anything, when the index folder cannot be written."""
    corpus_files(settings.corpus.dir)  # a missing corpus fails before anything is written
    check_writable(settings.index_dir)
    with build_lock(settings.index_dir):
        clean_leftovers(settings.index_dir)
        try:
            return _build(settings, embedder_factory, progress, force)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise IndexNotWritableError(
                f"could not write the index in {settings.index_dir} ({reason}); the previous index is unchanged: "
                "free some space or fix the folder, then run `rag index` again"
            ) from exc


def _unchanged(settings: Settings, started: float) -> BuildReport | None:
    """The report of a build with nothing to do (the live index is whole and matches the settings, the catalog
    and every corpus file's hash), or None. Checking takes hashing only: no file is read as a paper."""
    if staleness(settings) is not None:
        return None
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None  # staleness() said the index is there
    return BuildReport(
        reused=sorted(d for d in manifest.files if d not in manifest.skipped),
        skipped={**not_papers(settings.corpus.dir), **manifest.skipped},
        chunks=manifest.chunks,
        seconds=time.perf_counter() - started,
    )


def _build(
    settings: Settings, embedder_factory: Callable[[], Embedder], progress: bool, force: bool = False
) -> BuildReport:
    started = time.perf_counter()
    corpus_dir, index_dir = settings.corpus.dir, settings.index_dir
    cache = _FileCache(index_dir / "cache")
    unchanged = None if force else _unchanged(settings, started)
    if unchanged is not None:
        return unchanged
    from rag.readers import read_source  # the PDF and HTML readers take a second to import: only a build needs them

    files = corpus_files(corpus_dir)
    catalog = load_catalog(corpus_dir)
    fingerprint = settings.index_fingerprint()
    report = BuildReport(skipped=not_papers(corpus_dir))
    embedder: Embedder | None = None
    chunks_by_doc: dict[str, list[Chunk]] = {}
    vectors_by_id: dict[str, np.ndarray] = {}
    hashes: dict[str, str] = {}
    papers: dict[str, PaperMeta] = {}
    sentence_vectors_by_text: dict[str, np.ndarray] = {}
    spans_by_id: dict[str, list[tuple[int, int]]] = {}
    outlines: dict[str, list[dict[str, Any]]] = {}
    bibliographies: dict[str, list[dict[str, Any]]] = {}

    unread = dict(report.skipped)  # not corpus files at all: reported, but not part of the manifest
    for path in tqdm(files, desc="Reading papers", unit="file", disable=not progress, leave=False):
        sha = file_sha256(path)
        try:
            _check_size(path.name, path.stat().st_size, path.suffix.lower() in (".txt", ".md"), settings)
            source = read_source(path)
            _check_size(path.name, sum(len(p.text) for p in source.pages), True, settings)
            if not any(ch.isalnum() for page in source.pages for ch in page.text):
                raise UnreadableFileError(f"{path.name}: the file holds no words; add a file with text or remove it")
        except UnreadableFileError as exc:
            hashes[path.name] = sha  # remembered, so a fixed file under the same name makes the index stale
            report.skipped[path.name] = str(exc)  # reported once, by the caller
            log.info("%s", exc)
            continue
        meta = meta_for(path.name, "\n".join(p.text for p in source.pages), catalog, text_facts(source))
        key = cache.key(sha, fingerprint, meta)
        cached = cache.get(key)
        if cached is None:
            chunks = chunk_source(source, meta, settings.chunking)
            if embedder is None:
                embedder = embedder_factory()
            vectors = embedder.embed([c.text for c in chunks], progress=progress)
            sentence_texts, spans, _ = passage_sentences(chunks)
            sentence_vectors = embedder.embed(sentence_texts, progress=progress)
            cache.put(key, chunks, vectors, sentence_vectors)
            cache.put_spans(key, spans)
            report.indexed.append(path.name)
        else:
            chunks, vectors, sentence_vectors = cached
            report.reused.append(path.name)
        if not chunks:
            report.skipped[path.name] = f"{path.name}: no passages could be cut from its text; check the file"
            continue
        hashes[path.name] = sha
        outlines[path.name] = [e.to_dict() for e in outline_of(source)]
        bibliographies[path.name] = [r.to_dict() for r in bibliography_of(source)]
        chunks_by_doc[path.name] = chunks
        papers.setdefault(meta.work, meta)
        vectors_by_id.update((c.chunk_id, v) for c, v in zip(chunks, vectors, strict=True))
        spans_by_id.update(cache.spans(key, chunks))
        sentence_texts = passage_sentences(chunks, spans_by_id)[0]
        sentence_vectors_by_text.update(zip(sentence_texts, sentence_vectors, strict=True))

    if not chunks_by_doc:
        detail = "; ".join(report.skipped.values()) or f"no .pdf, .txt, .md or .html files in {corpus_dir}"
        raise CorpusError(f"nothing to index: {detail}")
    kept, work_of = merge_renderings(chunks_by_doc, catalogued=set(catalog))
    vectors = np.stack([vectors_by_id[c.chunk_id] for c in kept]).astype(np.float32)
    manifest = IndexManifest(
        fingerprint=fingerprint,
        model=settings.embedding.model,
        runtime=vector_runtime_id(settings.embedding.runtime),
        chunking=settings.chunking.model_dump(mode="json"),
        cleaning_version=CLEANING_VERSION,
        files=hashes,
        skipped={d: m for d, m in report.skipped.items() if d not in unread},
        papers={w: _meta_dict(m) for w, m in papers.items() if w in set(work_of.values())},
        docs=work_of,
        chunks=len(kept),
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        catalog_hash=catalog_hash(corpus_dir),
    )
    texts, spans, rows = passage_sentences(kept, spans_by_id)
    sentence_vectors = np.stack([sentence_vectors_by_text[t] for t in texts]).astype(np.float32)
    kept_docs = {c.doc for c in kept} | set(work_of)
    outline_file = {d: o for d, o in outlines.items() if d in kept_docs}
    bibliography_file = {d: b for d, b in bibliographies.items() if d in kept_docs}
    _write_generation(
        index_dir,
        manifest,
        kept,
        vectors,
        sentence_vectors,
        {"spans": spans, "rows": rows},
        outline_file,
        bibliography_file,
    )
    report.chunks = len(kept)
    report.seconds = time.perf_counter() - started
    return report


def _write_generation(
    index_dir: Path,
    manifest: IndexManifest,
    chunks: list[Chunk],
    vectors: np.ndarray,
    sentence_vectors: np.ndarray,
    sentences: dict[str, list[list[Any]]],
    outlines: dict[str, list[dict[str, Any]]] | None = None,
    bibliographies: dict[str, list[dict[str, Any]]] | None = None,
) -> None:
    generation = Path(tempfile.mkdtemp(dir=index_dir, prefix=".building-"))
    np.save(generation / "sentence_vectors.npy", sentence_vectors, allow_pickle=False)
    # Sentence spans are kept so that loading needs no sentence splitting (seconds on a laptop).
    (generation / "sentences.json").write_text(json.dumps(sentences, separators=(",", ":")), encoding="utf-8")
    (generation / "chunks.jsonl").write_bytes(_chunks_to_jsonl(chunks))
    (generation / "outline.json").write_text(json.dumps(outlines or {}, ensure_ascii=False), encoding="utf-8")
    (generation / "bibliography.json").write_text(
        json.dumps(bibliographies or {}, ensure_ascii=False), encoding="utf-8"
    )
    FaissStore.from_vectors(vectors).save(generation / "vectors.faiss")
    manifest = dataclasses.replace(manifest, checksums=generation_checksums(generation))
    _atomic_write(generation / "manifest.json", manifest.to_json().encode())
    final = index_dir / ("gen-" + generation.name.removeprefix(".building-"))
    os.replace(generation, final)
    generation = final
    _atomic_write(index_dir / "CURRENT", generation.name.encode())
    for old in index_dir.glob("gen-*"):
        if old != generation and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def read_manifest(index_dir: Path) -> IndexManifest | None:
    """The live generation's manifest (None when there is no index; IndexDamagedError when it is garbled)."""
    generation = current_generation(index_dir)
    if generation is None:
        return None
    try:
        return IndexManifest.from_json((generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
        raise damaged(index_dir, "manifest.json is not a manifest") from exc


def _incompatible(manifest: IndexManifest, settings: Settings) -> str | None:
    """Why an index cannot be searched with these settings at all (its vectors mean something else)."""
    if manifest.format != FORMAT:
        return "the index was built by another version of this tool"
    if manifest.model != settings.embedding.model:
        return f"the index was built with the model {manifest.model}, not {settings.embedding.model}"
    return None


def staleness(settings: Settings) -> str | None:
    """Why the index no longer matches the settings or the corpus, or is damaged (None when it matches)."""
    try:
        manifest = read_manifest(settings.index_dir)
        generation = current_generation(settings.index_dir)
        if manifest is not None and generation is not None and _incompatible(manifest, settings) is None:
            verify_files(generation, manifest.checksums, settings.index_dir)
    except IndexDamagedError as exc:
        return str(exc).split(": run `rag index")[0]
    if manifest is None:
        return f"no index in {settings.index_dir}"
    return _incompatible(manifest, settings) or _out_of_date(manifest, settings)


def answerable(settings: Settings) -> bool:
    """True when the index on disk can answer questions (whole, same model and format), even if out of date."""
    try:
        manifest = read_manifest(settings.index_dir)
        generation = current_generation(settings.index_dir)
        if manifest is None or generation is None or _incompatible(manifest, settings) is not None:
            return False
        verify_files(generation, manifest.checksums, settings.index_dir)
    except IndexDamagedError:
        return False
    return True


def _out_of_date(manifest: IndexManifest, settings: Settings) -> str | None:
    """What changed since a whole, compatible index was built: chunking or cleaning settings, corpus files."""
    if manifest.fingerprint != settings.index_fingerprint():
        return "the index was built with other model, chunking or cleaning settings"
    if not settings.corpus.dir.is_dir():
        return None
    current = {p.name: file_sha256(p) for p in corpus_files(settings.corpus.dir)}
    indexed = {**{d: "" for d in manifest.skipped}, **manifest.files}
    added = sorted(set(current) - set(indexed))
    removed = sorted(set(indexed) - set(current))
    changed = sorted(d for d in set(current) & set(manifest.files) if current[d] != manifest.files[d])
    if manifest.catalog_hash and manifest.catalog_hash != catalog_hash(settings.corpus.dir):
        changed.append("catalog.toml or a sidecar")
    if added or removed or changed:
        parts = [
            f"{label}: {', '.join(names)}"
            for label, names in (("added", added), ("removed", removed), ("changed", changed))
            if names
        ]
        return "the corpus changed since the index was built (" + "; ".join(parts) + ")"
    return None


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
    incompatible = _incompatible(manifest, settings)
    if incompatible is not None:
        raise StaleIndexError(f"{incompatible}: {fix}")
    verify_files(generation, manifest.checksums, index_dir)
    if check_corpus:
        reason = _out_of_date(manifest, settings)
        if reason is not None:
            log.warning("%s; answers come from the index as it was built: %s to update it", reason, fix)
    try:
        chunks = tuple(_chunks_from_jsonl((generation / "chunks.jsonl").read_text(encoding="utf-8")))
        exact = FaissStore.load(generation / "vectors.faiss")
        papers = {w: _meta_from_dict(m) for w, m in manifest.papers.items()}
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
    try:
        stored = json.loads(outline_path.read_text(encoding="utf-8")) if outline_path.is_file() else {}
        outlines = {doc: tuple(OutlineEntry.from_dict(e) for e in entries) for doc, entries in stored.items()}
        stored = json.loads(bibliography_path.read_text(encoding="utf-8")) if bibliography_path.is_file() else {}
        bibliographies = {doc: tuple(Reference.from_dict(r) for r in refs) for doc, refs in stored.items()}
    except (OSError, ValueError, TypeError) as exc:
        raise damaged(index_dir, f"{type(exc).__name__} while reading its outline or bibliography") from exc
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
    )
