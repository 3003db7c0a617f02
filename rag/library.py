"""The paper library behind the UI: uploads in (checked, safely named); papers and eval runs out, as records.

Nothing here draws: `app.py` calls these functions and renders what they return.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.catalog import load_catalog
from rag.corpus_files import corpus_files
from rag.errors import CorpusError, RagError, UnreadableFileError
from rag.filetypes import SUPPORTED_SUFFIXES
from rag.index import LoadedIndex
from rag.index_build import BuildReport
from rag.index_folder import file_sha256
from rag.manifest import answerable, read_manifest, staleness
from rag.references import in_text

if TYPE_CHECKING:
    from rag.assistant import Assistant
    from rag.settings import Settings

log = logging.getLogger(__name__)

MAX_STEM_CHARS = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RUNS = re.compile(r"([-_.])[-_.]+")


class UploadRejectedError(RagError):
    """An upload was refused before it reached the corpus: no usable name, too large, or already there."""


@dataclass(frozen=True)
class AddedPaper:
    """An upload saved into the corpus and indexed; `path.name` differs from `wanted` when that was taken."""

    path: Path
    wanted: str
    report: BuildReport

    @property
    def renamed(self) -> bool:
        return self.path.name != self.wanted


@dataclass(frozen=True)
class PaperRow:
    """One paper (one `work`) of the index as the library view lists it."""

    work: str
    reference: str
    title: str
    authors: str
    year: int | None
    venue: str
    doi: str
    docs: tuple[str, ...]
    passages: int


@dataclass(frozen=True)
class EvalRun:
    """A finished evaluation run: its folder, its metrics and its self-contained HTML report."""

    path: Path
    metrics: dict[str, Any]
    report_html: str


def safe_file_name(name: str) -> str:
    """A corpus file name for an uploaded one: no folders; ASCII letters, digits and . - _ only."""
    base = re.split(r"[\\/]", name.strip())[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _RUNS.sub(r"\1", _UNSAFE.sub("-", stem)).strip("-._")[:MAX_STEM_CHARS].rstrip("-._")
    suffix = "." + _UNSAFE.sub("", suffix).lower() if suffix else ""
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "(no suffix)"
        raise UnreadableFileError(f"{name}: unsupported file type {shown}; add .pdf, .txt, .md or .html files")
    if not stem:
        raise UploadRejectedError(f"{name!r} has no usable file name; rename it (letters and digits) and add it again")
    return stem + suffix


def _taken_names(corpus_dir: Path) -> set[str]:
    """Names a new file must not use: files present, and names the catalog or a sidecar already describes."""
    names = {p.name for p in corpus_dir.iterdir()}
    names |= set(load_catalog(corpus_dir))  # a new file under a catalogued name would inherit that paper's facts
    names |= {n.removesuffix(".toml") for n in names if n.endswith(".toml")}
    return {n.lower() for n in names}  # case-insensitive file systems treat Paper.pdf and paper.pdf as one


def _free_name(wanted: str, taken: set[str]) -> str:
    stem, suffix = wanted[: -len(Path(wanted).suffix)], Path(wanted).suffix
    name, n = wanted, 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}-{n}{suffix}"
    return name


def save_upload(corpus_dir: Path, name: str, data: bytes, max_bytes: int) -> Path:
    """Check an upload on a temporary copy, then save it into the corpus under a free name; returns its path.

    Raises UnreadableFileError (the reader's one-line message) for a file that cannot be read, and
    UploadRejectedError for a file too large or already in the library; the corpus is unchanged then.
    An existing paper is never overwritten: a taken name gets a '-2' (or '-3', ...) before its suffix.
    """
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} not found: create it, or set RAG_CORPUS__DIR")
    wanted = safe_file_name(name)
    if len(data) > max_bytes:
        raise UploadRejectedError(
            f"{name}: {len(data) / 2**20:.1f} MB is over the upload limit of {max_bytes / 2**20:.0f} MB; "
            "add a smaller file or raise corpus.max_upload_mb"
        )
    with tempfile.TemporaryDirectory(prefix="rag-upload-") as tmp:
        probe = Path(tmp) / wanted
        probe.write_bytes(data)
        from rag.readers import read_source  # the PDF readers load when a paper is added, not with the page

        read_source(probe)
        sha = file_sha256(probe)
    for existing in corpus_files(corpus_dir):
        if file_sha256(existing) == sha:
            raise UploadRejectedError(
                f"{name}: this file is already in the library as {existing.name}; nothing was added"
            )
    # Written under a hidden name first (the index skips dot files), then linked: links never replace files.
    fd, staging = tempfile.mkstemp(dir=corpus_dir, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        while True:
            target = corpus_dir / _free_name(wanted, _taken_names(corpus_dir))
            try:
                os.link(staging, target)
            except FileExistsError:  # another upload took the name in between: try the next one
                continue
            log.info("saved upload %s as %s", name, target)
            return target
    finally:
        os.unlink(staging)


def add_paper(assistant: Assistant, name: str, data: bytes) -> AddedPaper:
    """Save an upload into the assistant's corpus and re-index; a file the index cannot use is taken out.

    The caller holds whatever lock keeps two builds of one index apart.
    """
    corpus = assistant.settings.corpus
    path = save_upload(corpus.dir, name, data, corpus.max_upload_mb * 2**20)
    try:
        report = assistant.build(progress=False)
    except Exception:
        path.unlink(missing_ok=True)  # leave the library as it was; the error still reaches the caller
        raise
    if path.name in report.skipped:
        message = report.skipped[path.name]
        path.unlink()
        assistant.build(progress=False)
        raise UnreadableFileError(message)
    return AddedPaper(path, safe_file_name(name), report)


def passages_per_doc(index: LoadedIndex) -> dict[str, int]:
    """Passages per indexed file (0 for a file whose text another rendering of its paper already holds)."""
    counts = Counter(chunk.doc for chunk in index.chunks)
    return {doc: counts.get(doc, 0) for doc in sorted(index.manifest.docs)}


def list_papers(index: LoadedIndex) -> list[PaperRow]:
    """The indexed papers with their citation facts, files and passage counts, ordered by reference."""
    per_doc = passages_per_doc(index)
    rows = []
    for work, meta in index.papers.items():
        docs = tuple(sorted(d for d, w in index.manifest.docs.items() if w == work))
        rows.append(
            PaperRow(
                work=work,
                reference=in_text(meta.to_dict(), "apa").strip("()"),
                title=meta.title,
                authors="; ".join(meta.authors),
                year=meta.year,
                venue=meta.venue,
                doi=meta.doi,
                docs=docs,
                passages=sum(per_doc.get(d, 0) for d in docs),
            )
        )
    return sorted(rows, key=lambda r: r.reference.strip('"(').lower())  # a title-only reference is quoted


@dataclass(frozen=True)
class IndexStatus:
    """The index on disk as the page sees it: whether it can answer, and what changed since it was built."""

    changed: str | None  # why it is out of date (papers added or edited, other settings), None when up to date
    can_answer: bool  # whole and of the configured model: it answers while a re-index is offered

    @property
    def banner(self) -> str | None:
        """The page's one-line notice for an out-of-date index that still answers (None otherwise)."""
        if self.changed is None or not self.can_answer:
            return None
        return (
            f"The index is out of date: {self.changed}. Answers come from the papers as they were indexed; "
            "re-index to include the changes."
        )


def index_status(settings: Settings) -> IndexStatus:
    """Whether the page must build the index before answering (can_answer False), may offer a re-index
    (banner), or has nothing to do."""
    return IndexStatus(changed=staleness(settings), can_answer=answerable(settings))


def index_replaced(assistant: Assistant) -> bool:
    """True when another process (the CLI, another session) has written a newer index than the loaded one."""
    on_disk = read_manifest(assistant.settings.index_dir)
    return on_disk is not None and on_disk.built_at != assistant.index.manifest.built_at


def _read_run(folder: Path) -> EvalRun | None:
    try:
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
        report = (folder / "report.html").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("skipping eval run %s: %s", folder, exc)
        return None
    return EvalRun(folder, metrics, report) if isinstance(metrics, dict) else None


def latest_eval_run(runs_dir: Path) -> EvalRun | None:
    """The newest run under `runs_dir` (or a `latest` folder beside it) with metrics.json and report.html."""
    folders = [runs_dir.parent / "latest"]
    if runs_dir.is_dir():
        folders += [p for p in runs_dir.iterdir() if p.is_dir()]
    complete = [f for f in folders if (f / "metrics.json").is_file() and (f / "report.html").is_file()]
    for folder in sorted(complete, key=lambda f: (f / "metrics.json").stat().st_mtime, reverse=True):
        run = _read_run(folder)
        if run is not None:
            return run
    return None
