"""The index folder on disk, apart from what it holds: the build lock, the leftovers of a killed build, the pointer
to the live generation and the checksums that prove its files whole. Paths in; a lock, a generation folder, or an
IndexDamagedError / IndexNotWritableError naming the fix out."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from rag.errors import IndexDamagedError, IndexNotWritableError

log = logging.getLogger(__name__)

GENERATION_FILES = ("chunks.jsonl", "vectors.faiss", "sentence_vectors.npy", "sentences.json")
_GENERATION_NAME = re.compile(r"gen-[A-Za-z0-9_]+")
# Temporary files of a build killed while writing the per-file cache (np.save temporaries, atomic_write's).
_CACHE_TEMPORARIES = ("tmp*.npy", ".*.jsonl.*", ".*.json.*", ".probe-*")
# A model export killed half-way (about 90 MB); one younger than this may still be being written by another process.
_STALE_EXPORT_S = 600


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a temporary beside it, synced, then renamed over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold `index_dir/.lock` while building: a second build of the same index waits for the first to finish.
    The lock dies with its process, so a killed build never leaves the index locked."""
    with (index_dir / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another `rag index` is building %s: waiting for it to finish", index_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def check_writable(index_dir: Path) -> None:
    """Fail before any embedding when the index folder (or its cache) cannot be written."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        for folder in (index_dir, index_dir / "cache"):
            folder.mkdir(exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise IndexNotWritableError(
            f"cannot write the index in {index_dir} ({reason}): make it writable or pass --index with another folder"
        ) from exc


def clean_leftovers(index_dir: Path) -> None:
    """What a killed build left behind: an unfinished generation, a half-written CURRENT, cache temporaries, an
    abandoned model export. Called under the build lock, so no running build's files are touched."""
    cache = index_dir / "cache"
    temporaries = [p for pattern in _CACHE_TEMPORARIES for p in cache.glob(pattern)] if cache.is_dir() else []
    models = index_dir / "models"
    exports = [p for p in models.glob("*.onnx.tmp") if _age_s(p) > _STALE_EXPORT_S]
    # `rag adapt` trains outside the build lock for minutes: only a day-old run of it is abandoned
    exports += [p for p in [*models.glob(".adapting-*"), *models.glob(".pointer-*")] if _age_s(p) > 86400]
    for leftover in [*index_dir.glob(".building-*"), *index_dir.glob(".CURRENT.*"), *index_dir.glob(".probe-*"),
                     *temporaries, *exports]:  # fmt: skip
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _age_s(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:  # gone meanwhile (an export that just finished)
        return 0.0


def damaged(index_dir: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"the index in {index_dir} is damaged ({what}): run `rag index --index {index_dir}` to rebuild it"
    )


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, None when there is no index; IndexDamagedError when CURRENT is unusable."""
    pointer = index_dir / "CURRENT"
    if not index_dir.is_dir() or not pointer.is_file():
        return None
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise damaged(index_dir, "CURRENT is not readable text") from exc
    if not _GENERATION_NAME.fullmatch(name):  # also keeps a crafted CURRENT from pointing outside the folder
        raise damaged(index_dir, "CURRENT does not name a generation")
    generation = index_dir / name
    if not (generation / "manifest.json").is_file():
        raise damaged(index_dir, f"{name}/manifest.json is missing")
    return generation


def generation_checksums(generation: Path) -> dict[str, str]:
    """The sha256 of each file of a generation just written, for its manifest."""
    return {name: file_sha256(generation / name) for name in GENERATION_FILES}


def verify_files(generation: Path, checksums: Mapping[str, str], index_dir: Path) -> None:
    """Every file of the generation is there and (when the manifest lists checksums) unchanged since written."""
    for name in GENERATION_FILES:
        path = generation / name
        if not path.is_file():
            if name == "sentences.json":
                continue  # derived data (an index written before it was stored has none): split again
            raise damaged(index_dir, f"{name} is missing")
        expected = checksums.get(name)
        if expected is not None and file_sha256(path) != expected:
            raise damaged(index_dir, f"{name} changed since it was written (checksum mismatch)")
