"""Citation facts for corpus files: catalog.toml, optional `<file>.toml` sidecars, else a title from the text."""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import CorpusError
from rag.schema import PaperMeta

log = logging.getLogger(__name__)

CATALOG_NAME = "catalog.toml"
_META_KEYS = {"title", "authors", "year", "venue", "volume", "issue", "pages", "doi", "month", "url"}


@dataclass(frozen=True)
class CatalogEntry:
    """What the catalog says about one file: its work and that work's citation facts."""

    doc: str
    meta: PaperMeta
    from_catalog: bool


def _work_from_name(doc: str) -> str:
    stem = doc.split(".")[0]
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "paper"


def _meta_from_table(doc: str, table: dict[str, Any]) -> PaperMeta:
    authors = table.get("authors", [])
    if isinstance(authors, str):
        authors = [a.strip() for a in authors.split(";") if a.strip()]
    year = table.get("year")
    return PaperMeta(
        work=str(table.get("work") or _work_from_name(doc)),
        title=str(table.get("title") or ""),
        authors=tuple(str(a) for a in authors),
        year=int(year) if year not in (None, "") else None,
        **{k: str(table.get(k, "")) for k in ("venue", "volume", "issue", "pages", "doi", "month", "url")},
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: not valid TOML ({exc}); fix the line it names") from exc


def load_catalog(corpus_dir: Path) -> dict[str, CatalogEntry]:
    """Entries from `catalog.toml` and from `<file>.toml` sidecars (a sidecar wins), keyed by file name."""
    entries: dict[str, CatalogEntry] = {}
    catalog = corpus_dir / CATALOG_NAME
    if catalog.is_file():
        for doc, table in _read_toml(catalog).get("files", {}).items():
            entries[doc] = CatalogEntry(doc, _meta_from_table(doc, table), True)
    for sidecar in sorted(corpus_dir.glob("*.toml")):
        if sidecar.name == CATALOG_NAME:
            continue
        doc = sidecar.name.removesuffix(".toml")
        if (corpus_dir / doc).is_file():
            entries[doc] = CatalogEntry(doc, _meta_from_table(doc, _read_toml(sidecar)), True)
    return entries


def guess_title(doc: str, text: str) -> str:
    """A title for a paper with no metadata: its first plausible heading line, else its file name."""
    for line in text.splitlines()[:40]:
        line = line.strip()
        words = line.split()
        looks_like_title = 4 <= len(words) <= 30 and not line.endswith((".", ",", ";")) and line[:1].isupper()
        if looks_like_title and not re.search(r"(©|doi|http|www\.|@|journal|vol\.|abstract)", line, re.I):
            return line
    stem = doc.split(".")[0]
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or doc


def meta_for(doc: str, text: str, catalog: dict[str, CatalogEntry]) -> PaperMeta:
    """The catalog's facts for `doc`, or facts guessed from its name and text."""
    entry = catalog.get(doc)
    if entry is not None and entry.meta.title:
        return entry.meta
    work = entry.meta.work if entry is not None else _work_from_name(doc)
    return PaperMeta(work=work, title=guess_title(doc, text))
