"""The per-file cache of an index folder and the stored form of passages and citation facts: each corpus file's
passages, passage vectors, sentence vectors and sentence spans, kept by content hash so a rebuild re-embeds only
new or changed files. Chunks and PaperMeta in; JSONL, .npy and JSON files out, and back."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.index_folder import atomic_write
from rag.schema import Chunk, PaperMeta
from rag.sentence_layout import passage_sentences

log = logging.getLogger(__name__)


def meta_from_dict(data: dict[str, Any]) -> PaperMeta:
    return PaperMeta(**{**data, "authors": tuple(data.get("authors", ()))})


def chunks_to_jsonl(chunks: list[Chunk]) -> bytes:
    rows = ({**c.to_dict(), "anchors": c.anchors} for c in chunks)
    return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows).encode()


def _chunk_from_dict(data: dict[str, Any]) -> Chunk:
    anchors = tuple((int(a), int(b), int(c), int(d)) for a, b, c, d in data.pop("anchors", ()))
    return Chunk(**data, anchors=anchors)


def chunks_from_jsonl(text: str) -> list[Chunk]:
    return [_chunk_from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]


class FileCache:
    """Per-file passages and vectors, keyed by file hash, settings fingerprint and citation facts."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def key(self, sha: str, fingerprint: str, meta: PaperMeta) -> str:
        meta_hash = hashlib.sha256(json.dumps(meta.to_dict(), sort_keys=True).encode()).hexdigest()[:8]
        return f"{sha[:24]}-{fingerprint}-{meta_hash}"

    def get(self, key: str) -> tuple[list[Chunk], np.ndarray, np.ndarray] | None:
        paths = [self.root / f"{key}{ext}" for ext in (".jsonl", ".npy", ".sent.npy")]
        if not all(p.is_file() for p in paths):
            return None
        try:
            chunks = chunks_from_jsonl(paths[0].read_text(encoding="utf-8"))
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
        atomic_write(self.root / f"{key}.jsonl", chunks_to_jsonl(chunks))

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
        atomic_write(self.root / f"{key}.spans.json", json.dumps(spans, separators=(",", ":")).encode())
