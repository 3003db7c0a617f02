"""Build, store and load the passage index: a FAISS file, a JSONL passage store and a self-describing manifest.

Layout of an index folder: `CURRENT` names the live generation `gen-*/` (manifest.json, chunks.jsonl,
vectors.faiss); `cache/` keeps each file's passages and vectors by content hash, so re-indexing re-embeds only
new or changed files. A build writes a new generation and then swaps `CURRENT` atomically: a killed build
leaves the previous index loadable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from rag.catalog import load_catalog, meta_for
from rag.chunking import chunk_source
from rag.dedup import merge_renderings
from rag.embedding import Embedder
from rag.errors import CorpusError, IndexMissingError, StaleIndexError, UnreadableFileError
from rag.readers import SUPPORTED_SUFFIXES, read_source
from rag.schema import Chunk, PaperMeta
from rag.sentences import split_sentences
from rag.settings import CLEANING_VERSION, Settings
from rag.vector_store import VectorStore

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

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> IndexManifest:
        return cls(**json.loads(text))


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

    def sentences_of(self, row: int) -> tuple[tuple[int, int, int], ...]:
        """Passage `row`'s sentences as (start, end) in its text and their row in sentence_vectors."""
        spans, rows = self.sentence_spans[row], self.sentence_rows[row]
        return tuple((s, e, r) for (s, e), r in zip(spans, rows, strict=True))


def corpus_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"corpus folder {corpus_dir} not found: create it and add papers, or pass --corpus DIR"
        )
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )


def catalog_hash(corpus_dir: Path) -> str:
    """One hash over catalog.toml and every sidecar, so edited citation facts make the index stale."""
    digest = hashlib.sha256()
    for path in sorted(corpus_dir.glob("*.toml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    return "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in chunks).encode()


def _chunks_from_jsonl(text: str) -> list[Chunk]:
    return [Chunk(**json.loads(line)) for line in text.splitlines() if line.strip()]


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
        chunks = _chunks_from_jsonl(paths[0].read_text(encoding="utf-8"))
        vectors = np.load(paths[1], allow_pickle=False)
        sentence_vectors = np.load(paths[2], allow_pickle=False)
        return (chunks, vectors, sentence_vectors) if len(chunks) == len(vectors) else None

    def put(self, key: str, chunks: list[Chunk], vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
        for ext, array in ((".npy", vectors), (".sent.npy", sentence_vectors)):
            fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".npy")
            os.close(fd)
            np.save(tmp, array, allow_pickle=False)
            os.replace(tmp, self.root / f"{key}{ext}")
        _atomic_write(self.root / f"{key}.jsonl", _chunks_to_jsonl(chunks))


def passage_sentences(
    chunks: Sequence[Chunk],
) -> tuple[list[str], list[list[tuple[int, int]]], list[list[int]]]:
    """Unique sentence texts of passages, each passage's sentence spans, and the row of each sentence."""
    texts: list[str] = []
    row_of: dict[str, int] = {}
    spans: list[list[tuple[int, int]]] = []
    rows: list[list[int]] = []
    for chunk in chunks:
        chunk_spans = split_sentences(chunk.text)
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


def build_index(
    settings: Settings,
    embedder_factory: Callable[[], Embedder],
    progress: bool = True,
) -> BuildReport:
    """(Re)build the index from the corpus folder, re-embedding only new or changed files."""
    started = time.perf_counter()
    corpus_dir, index_dir = settings.corpus.dir, settings.index_dir
    files = corpus_files(corpus_dir)
    catalog = load_catalog(corpus_dir)
    fingerprint = settings.index_fingerprint()
    index_dir.mkdir(parents=True, exist_ok=True)
    cache = _FileCache(index_dir / "cache")
    report = BuildReport()
    embedder: Embedder | None = None
    chunks_by_doc: dict[str, list[Chunk]] = {}
    vectors_by_id: dict[str, np.ndarray] = {}
    hashes: dict[str, str] = {}
    papers: dict[str, PaperMeta] = {}
    sentence_vectors_by_text: dict[str, np.ndarray] = {}

    for path in tqdm(files, desc="Reading papers", unit="file", disable=not progress, leave=False):
        sha = file_sha256(path)
        try:
            source = read_source(path)
        except UnreadableFileError as exc:
            hashes[path.name] = sha  # remembered, so a fixed file under the same name makes the index stale
            report.skipped[path.name] = str(exc)
            log.warning("%s", exc)
            continue
        meta = meta_for(path.name, "\n".join(p.text for p in source.pages), catalog)
        key = cache.key(sha, fingerprint, meta)
        cached = cache.get(key)
        if cached is None:
            chunks = chunk_source(source, meta, settings.chunking)
            if embedder is None:
                embedder = embedder_factory()
            vectors = embedder.embed([c.text for c in chunks], progress=progress)
            sentence_vectors = embedder.embed(passage_sentences(chunks)[0], progress=progress)
            cache.put(key, chunks, vectors, sentence_vectors)
            report.indexed.append(path.name)
        else:
            chunks, vectors, sentence_vectors = cached
            report.reused.append(path.name)
        if not chunks:
            report.skipped[path.name] = f"{path.name}: no passages could be cut from its text; check the file"
            continue
        hashes[path.name] = sha
        chunks_by_doc[path.name] = chunks
        papers.setdefault(meta.work, meta)
        vectors_by_id.update((c.chunk_id, v) for c, v in zip(chunks, vectors, strict=True))
        sentence_texts = passage_sentences(chunks)[0]
        sentence_vectors_by_text.update(zip(sentence_texts, sentence_vectors, strict=True))

    if not chunks_by_doc:
        detail = "; ".join(report.skipped.values()) or f"no .pdf, .txt, .md or .html files in {corpus_dir}"
        raise CorpusError(f"nothing to index: {detail}")
    kept, work_of = merge_renderings(chunks_by_doc, catalogued=set(catalog))
    vectors = np.stack([vectors_by_id[c.chunk_id] for c in kept]).astype(np.float32)
    manifest = IndexManifest(
        fingerprint=fingerprint,
        model=settings.embedding.model,
        chunking=settings.chunking.model_dump(mode="json"),
        cleaning_version=CLEANING_VERSION,
        files=hashes,
        skipped=report.skipped,
        papers={w: _meta_dict(m) for w, m in papers.items() if w in set(work_of.values())},
        docs=work_of,
        chunks=len(kept),
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        catalog_hash=catalog_hash(corpus_dir),
    )
    texts, spans, rows = passage_sentences(kept)
    sentence_vectors = np.stack([sentence_vectors_by_text[t] for t in texts]).astype(np.float32)
    _write_generation(index_dir, manifest, kept, vectors, sentence_vectors, {"spans": spans, "rows": rows})
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
) -> None:
    for leftover in index_dir.glob(".building-*"):  # from a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    generation = Path(tempfile.mkdtemp(dir=index_dir, prefix=".building-"))
    np.save(generation / "sentence_vectors.npy", sentence_vectors, allow_pickle=False)
    # Sentence spans are kept so that loading needs no sentence splitting (seconds on a laptop).
    (generation / "sentences.json").write_text(json.dumps(sentences, separators=(",", ":")), encoding="utf-8")
    (generation / "chunks.jsonl").write_bytes(_chunks_to_jsonl(chunks))
    VectorStore.from_vectors(vectors).save(generation / "vectors.faiss")
    (generation / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    final = index_dir / ("gen-" + generation.name.removeprefix(".building-"))
    os.replace(generation, final)
    generation = final
    _atomic_write(index_dir / "CURRENT", generation.name.encode())
    for old in index_dir.glob("gen-*"):
        if old != generation and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    generation = index_dir / pointer.read_text(encoding="utf-8").strip()
    return generation if (generation / "manifest.json").is_file() else None


def read_manifest(index_dir: Path) -> IndexManifest | None:
    generation = _current_generation(index_dir)
    if generation is None:
        return None
    return IndexManifest.from_json((generation / "manifest.json").read_text(encoding="utf-8"))


def staleness(settings: Settings) -> str | None:
    """Why the index no longer matches the settings or the corpus (None when it matches)."""
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        return f"no index in {settings.index_dir}"
    if manifest.format != FORMAT:
        return "the index was built by another version of this tool"
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


def _sentence_layout(
    generation: Path, chunks: Sequence[Chunk]
) -> tuple[list[list[tuple[int, int]]], list[list[int]]]:
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
    """Load the live index, or fail with the command that fixes it."""
    fix = f"run `rag index --corpus {settings.corpus.dir} --index {settings.index_dir}`"
    generation = _current_generation(settings.index_dir)
    if generation is None:
        raise IndexMissingError(f"no index in {settings.index_dir}: {fix}")
    if check_corpus:
        reason = staleness(settings)
        if reason is not None:
            raise StaleIndexError(f"{reason}: {fix}")
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    chunks = tuple(_chunks_from_jsonl((generation / "chunks.jsonl").read_text(encoding="utf-8")))
    vectors = VectorStore.load(generation / "vectors.faiss")
    if len(vectors) != len(chunks):
        raise StaleIndexError(
            f"the index in {settings.index_dir} is damaged ({len(vectors)} vectors, {len(chunks)} passages): {fix}"
        )
    papers = {w: _meta_from_dict(m) for w, m in manifest.papers.items()}
    spans, rows = _sentence_layout(generation, chunks)
    sentence_vectors = np.load(generation / "sentence_vectors.npy", allow_pickle=False)
    return LoadedIndex(
        settings.index_dir,
        manifest,
        chunks,
        vectors,
        papers,
        tuple(tuple(s) for s in spans),
        tuple(tuple(r) for r in rows),
        sentence_vectors,
    )
