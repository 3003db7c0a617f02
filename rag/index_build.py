"""Building the passage index: read each corpus file, cut and embed its passages (or take them from the per-file
cache), and write a new generation that replaces the live one atomically. Settings and an embedder in; a
generation folder on disk and a BuildReport out."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from rag.bibliography import bibliography_of
from rag.catalog import load_catalog, meta_for
from rag.chunking import chunk_source
from rag.contacts import contacts_of, rights_of
from rag.corpus_files import catalog_hash, corpus_files, not_papers
from rag.dedup import merge_renderings
from rag.embedding import Embedder
from rag.errors import CorpusError, IndexNotWritableError, UnreadableFileError
from rag.file_cache import FileCache, chunks_to_jsonl
from rag.index_folder import (
    atomic_write,
    build_lock,
    check_writable,
    clean_leftovers,
    file_sha256,
    generation_checksums,
)
from rag.manifest import IndexManifest, read_manifest, staleness
from rag.outline import outline_of
from rag.paper_facts import text_facts
from rag.schema import Chunk, PaperMeta
from rag.sentence_layout import passage_sentences
from rag.settings import CLEANING_VERSION, Settings, vector_runtime_id
from rag.vector_store import FaissStore

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did, for the CLI to print."""

    indexed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    chunks: int = 0
    seconds: float = 0.0


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
    cache = FileCache(index_dir / "cache")
    unchanged = None if force else _unchanged(settings, started)
    if unchanged is not None:
        return unchanged
    from rag.readers import read_source  # the PDF and HTML readers take a second to import: only a build needs them

    files = corpus_files(corpus_dir)
    catalog = load_catalog(corpus_dir)
    fingerprint = settings.index_fingerprint()
    adapted = settings.adapted_model()  # part of the fingerprint: the model the embedder factory gives
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
    contacts: dict[str, list[dict[str, Any]]] = {}

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
        contacts[path.name] = [c.to_dict() for c in [*contacts_of(source), *rights_of(source)]]
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
        adapted=adapted.id if adapted else "",
        chunking=settings.chunking.model_dump(mode="json"),
        cleaning_version=CLEANING_VERSION,
        files=hashes,
        skipped={d: m for d, m in report.skipped.items() if d not in unread},
        papers={w: m.to_dict() for w, m in papers.items() if w in set(work_of.values())},
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
    contact_file = {d: c for d, c in contacts.items() if d in kept_docs and c}
    _write_generation(
        index_dir,
        manifest,
        kept,
        vectors,
        sentence_vectors,
        {"spans": spans, "rows": rows},
        outline_file,
        bibliography_file,
        contact_file,
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
    contacts: dict[str, list[dict[str, Any]]] | None = None,
) -> None:
    generation = Path(tempfile.mkdtemp(dir=index_dir, prefix=".building-"))
    np.save(generation / "sentence_vectors.npy", sentence_vectors, allow_pickle=False)
    # Sentence spans are kept so that loading needs no sentence splitting (seconds on a laptop).
    (generation / "sentences.json").write_text(json.dumps(sentences, separators=(",", ":")), encoding="utf-8")
    (generation / "chunks.jsonl").write_bytes(chunks_to_jsonl(chunks))
    (generation / "outline.json").write_text(json.dumps(outlines or {}, ensure_ascii=False), encoding="utf-8")
    (generation / "bibliography.json").write_text(
        json.dumps(bibliographies or {}, ensure_ascii=False), encoding="utf-8"
    )
    (generation / "contacts.json").write_text(json.dumps(contacts or {}, ensure_ascii=False), encoding="utf-8")
    FaissStore.from_vectors(vectors).save(generation / "vectors.faiss")
    manifest = dataclasses.replace(manifest, checksums=generation_checksums(generation))
    atomic_write(generation / "manifest.json", manifest.to_json().encode())
    final = index_dir / ("gen-" + generation.name.removeprefix(".building-"))
    os.replace(generation, final)
    generation = final
    atomic_write(index_dir / "CURRENT", generation.name.encode())
    for old in index_dir.glob("gen-*"):
        if old != generation and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
