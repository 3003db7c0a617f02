"""Library management: the index and corpus folder in; per-file paper records out, and a user's edits applied.

A paper's citation facts are corrected in its sidecar `<file>.toml` (which overrides catalog.toml and what the
file states about itself); a removed paper's file is moved into `corpus/.removed/`, never deleted, and its
passages leave the index at the next build; re-reading one paper drops its cached passages so the next build
reads it afresh. Nothing here draws or prints: the CLI and the page render what these return.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rag.catalog import CATALOG_NAME
from rag.errors import CorpusError, RagError
from rag.index import LoadedIndex
from rag.index_folder import file_sha256

REMOVED_DIR = ".removed"
EDITABLE = ("title", "authors", "year", "venue", "volume", "issue", "pages", "doi", "work")


class UnknownPaperError(RagError):
    """A library command named a file that is not in the corpus folder."""


@dataclass(frozen=True)
class PaperRecord:
    """One corpus file as `rag papers` lists it: its citation facts (each with its source), outline and problems."""

    doc: str
    work: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str
    doi: str
    sources: dict[str, str]
    sections: tuple[dict[str, Any], ...]  # {"level", "title", "page"} in reading order
    passages: int
    problems: tuple[str, ...]
    indexed: bool
    references: tuple[dict[str, Any], ...] = ()  # its reference list: {"number", "authors", "year", "title", ...}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["sections"] = list(self.sections)
        data["problems"] = list(self.problems)
        data["references"] = list(self.references)
        return data


def paper_records(index: LoadedIndex) -> list[PaperRecord]:
    """Every file the index knows: indexed papers with their facts, then skipped files with why they were not added."""
    counts = Counter(chunk.doc for chunk in index.chunks)
    records = []
    for doc, work in sorted(index.manifest.docs.items()):
        meta = index.papers.get(work)
        if meta is None:
            continue
        outline = index.outline(doc)
        problems = []
        if not meta.authors:
            problems.append("no authors found: add them with `rag papers edit DOC --authors 'Surname, A.; ...'`")
        if meta.year is None:
            problems.append("no year found: add it with `rag papers edit DOC --year YYYY`")
        if meta.sources.get("title") == "file name":
            problems.append("title taken from the file name: set it with `rag papers edit DOC --title '...'`")
        if not outline:
            problems.append("no section headings found: its passages are filed under 'Front matter' or one section")
        records.append(
            PaperRecord(
                doc=doc,
                work=work,
                title=meta.title,
                authors=meta.authors,
                year=meta.year,
                venue=meta.venue,
                doi=meta.doi,
                sources=dict(meta.sources),
                sections=tuple({"level": e.level, "title": e.title, "page": e.page} for e in outline),
                passages=counts.get(doc, 0),
                problems=tuple(problems),
                indexed=True,
                references=tuple(r.to_dict() for r in index.bibliography(doc)),
            )
        )
    for doc, reason in sorted(index.manifest.skipped.items()):
        records.append(PaperRecord(doc, "", "", (), None, "", "", {}, (), 0, (reason,), False))
    return records


def _corpus_file(corpus_dir: Path, doc: str) -> Path:
    path = corpus_dir / doc
    if "/" in doc or "\\" in doc or doc.startswith(".") or not path.is_file():
        known = ", ".join(sorted(p.name for p in corpus_dir.iterdir() if p.is_file() and p.suffix != ".toml"))
        raise UnknownPaperError(f"no file {doc!r} in {corpus_dir}; files there: {known or 'none'}")
    return path


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def edit_facts(corpus_dir: Path, doc: str, **facts: Any) -> Path:
    """Write the given citation facts into `doc`'s sidecar (keeping the facts it already sets); returns its path.

    `authors` is a list of names (or one string, names separated by ';'); `year` a whole number; an empty
    string removes a fact from the sidecar, so the catalog's or the file's own applies again.
    """
    _corpus_file(corpus_dir, doc)
    unknown = sorted(set(facts) - set(EDITABLE))
    if unknown:
        raise RagError(f"cannot edit {', '.join(unknown)}: the facts are {', '.join(EDITABLE)}")
    sidecar = corpus_dir / f"{doc}.toml"
    try:
        table: dict[str, Any] = tomllib.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{sidecar}: not valid TOML ({exc}); fix or delete it, then edit again") from exc
    for key, value in facts.items():
        if value is None:
            continue
        if key == "authors" and isinstance(value, str):
            value = [a.strip() for a in value.split(";") if a.strip()]
        if key == "year" and value != "":
            if not str(value).isdigit() or not 1000 <= int(value) <= 9999:
                raise RagError(f"year {value!r} is not a year: give it as four digits, e.g. --year 2021")
            value = int(value)
        if value in ("", []):
            table.pop(key, None)
        else:
            table[key] = value
    lines = [f"# Citation facts for {doc}; they override {CATALOG_NAME} and what the file states itself"]
    lines += [f"{key} = {_toml_value(table[key])}" for key in sorted(table)]
    sidecar.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sidecar


def remove_paper(corpus_dir: Path, doc: str) -> Path:
    """Move `doc` (and its sidecar) into `corpus/.removed/`, under a free name; returns where it went.

    The index skips dot folders, so the paper's passages leave the index at the next build.
    """
    path = _corpus_file(corpus_dir, doc)
    target_dir = corpus_dir / REMOVED_DIR
    target_dir.mkdir(exist_ok=True)
    target, n = target_dir / doc, 1
    while target.exists():
        n += 1
        target = target_dir / f"{path.stem}-{n}{path.suffix}"
    shutil.move(str(path), target)
    sidecar = corpus_dir / f"{doc}.toml"
    if sidecar.is_file():
        shutil.move(str(sidecar), target.with_name(target.name + ".toml"))
    return target


def forget_cached(corpus_dir: Path, index_dir: Path, doc: str) -> int:
    """Drop `doc`'s cached passages and vectors so the next build reads and embeds it afresh; returns files removed."""
    sha = file_sha256(_corpus_file(corpus_dir, doc))
    cache = index_dir / "cache"
    removed = 0
    for cached in cache.glob(f"{sha[:24]}-*") if cache.is_dir() else ():
        cached.unlink()
        removed += 1
    return removed
