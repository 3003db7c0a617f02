"""The corpus folder's files: which are papers to read, which entries are not (each with a one-line reason), and
one hash over its catalog and sidecars. A folder in; paths, reasons and a hash out."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from rag.errors import CorpusError
from rag.filetypes import SUPPORTED_SUFFIXES


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
