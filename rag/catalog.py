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
    origin: str = "catalog"  # or "sidecar"
    given: frozenset[str] = frozenset()  # the fields the table sets


def _work_from_name(doc: str) -> str:
    stem = doc.split(".")[0]
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "paper"


def _ignored(source: Path, doc: str, key: str, value: Any, wanted: str) -> None:
    log.warning("%s: [%s] %s = %r ignored: %s", source.name, doc, key, value, wanted)


def _year(source: Path, doc: str, value: Any) -> int | None:
    """A publication year from the table, or None (with one warning) for anything that is not a whole year."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return value
    _ignored(source, doc, "year", value, "write the year as a whole number, e.g. year = 2020")
    return None


def _authors(source: Path, doc: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(a.strip() for a in value.split(";") if a.strip())
    if isinstance(value, list) and all(isinstance(a, str) for a in value):
        return tuple(a.strip() for a in value if a.strip())
    _ignored(source, doc, "authors", value, 'write a list of names, e.g. authors = ["Smith, J.", "Jones, K."]')
    return ()


def _text(source: Path, doc: str, table: dict[str, Any], key: str) -> str:
    value = table.get(key, "")
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):  # volume = 12, pages = 45
        return str(value)
    _ignored(source, doc, key, value, f'write it as text, e.g. {key} = "..."')
    return ""


def _meta_from_table(doc: str, table: dict[str, Any], source: Path) -> PaperMeta:
    """Citation facts from one catalog table; a fact of the wrong kind is left out with one warning naming it."""
    work = _text(source, doc, table, "work").strip()
    return PaperMeta(
        work=work or _work_from_name(doc),
        title=_text(source, doc, table, "title"),
        authors=_authors(source, doc, table.get("authors", [])),
        year=_year(source, doc, table.get("year")),
        venue=_text(source, doc, table, "venue"),
        volume=_text(source, doc, table, "volume"),
        issue=_text(source, doc, table, "issue"),
        pages=_text(source, doc, table, "pages"),
        doi=_text(source, doc, table, "doi"),
        month=_text(source, doc, table, "month"),
        url=_text(source, doc, table, "url"),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: not valid TOML ({exc}); fix the line it names") from exc
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text; save it as UTF-8") from exc


def load_catalog(corpus_dir: Path) -> dict[str, CatalogEntry]:
    """Entries from `catalog.toml` and from `<file>.toml` sidecars (a sidecar wins), keyed by file name."""
    entries: dict[str, CatalogEntry] = {}
    catalog = corpus_dir / CATALOG_NAME
    if catalog.is_file():
        files = _read_toml(catalog).get("files", {})
        if not isinstance(files, dict):
            log.warning("%s: 'files' ignored: write one [files.\"name\"] table per file", catalog.name)
            files = {}
        for doc, table in files.items():
            if not isinstance(table, dict):
                _ignored(catalog, doc, "entry", table, f'write a table: [files."{doc}"] with title, authors, year')
                continue
            entries[doc] = CatalogEntry(doc, _meta_from_table(doc, table, catalog), True, "catalog", frozenset(table))
    for sidecar in sorted(corpus_dir.glob("*.toml")):
        if sidecar.name == CATALOG_NAME:
            continue
        doc = sidecar.name.removesuffix(".toml")
        if (corpus_dir / doc).is_file():
            table = _read_toml(sidecar)
            base = entries.get(doc)
            if base is not None:  # a sidecar overrides the catalog field by field
                table = {**{k: v for k, v in base.meta.to_dict().items() if k in base.given}, **table}
                given = base.given | frozenset(table)
            else:
                given = frozenset(table)
            entries[doc] = CatalogEntry(doc, _meta_from_table(doc, table, sidecar), True, "sidecar", given)
    return entries


def guess_title(doc: str, text: str) -> str:
    """A title for a paper with no metadata: its first plausible heading line, else its file name."""
    for line in text.splitlines()[:40]:
        line = line.strip()
        words = line.split()
        looks_like_title = 4 <= len(words) <= 30 and not line.endswith((".", ",", ";")) and line[:1].isupper()
        if looks_like_title and not re.search(r"(©|doi|http|www\.|@|journal|vol\.|abstract)", line, re.I):
            return line
    return _title_from_name(doc)


def meta_for(
    doc: str, text: str, catalog: dict[str, CatalogEntry], found: dict[str, tuple[str, str]] | None = None
) -> PaperMeta:
    """Citation facts for `doc`: the catalog's or a sidecar's, field by field, over those the file states about
    itself (`found`: field -> (value, source)), over a title guessed from its text; each records its source."""
    entry = catalog.get(doc)
    found = found or {}
    values: dict[str, Any] = {k: v for k, (v, _) in found.items() if k in _META_KEYS}
    sources = {k: s for k, (_, s) in found.items() if k in _META_KEYS}
    if entry is not None:
        given = entry.given or frozenset(k for k in _META_KEYS if getattr(entry.meta, k))
        for key in _META_KEYS & given:
            value = getattr(entry.meta, key)
            if value not in ("", (), None):
                values[key] = list(value) if key == "authors" else value
                sources[key] = entry.origin
    if not values.get("title"):
        values["title"] = guess_title(doc, text)
        sources["title"] = "text" if values["title"] != _title_from_name(doc) else "file name"
    if isinstance(values.get("authors"), str):
        values["authors"] = [a.strip() for a in values["authors"].split(";") if a.strip()]
    year = values.get("year")
    work = entry.meta.work if entry is not None else _work_from_name(doc)
    return PaperMeta(
        work=work,
        title=str(values["title"]),
        authors=tuple(str(a) for a in values.get("authors", ())),
        year=int(year) if year not in (None, "") and str(year).isdigit() else None,
        **{k: str(values.get(k, "") or "") for k in ("venue", "volume", "issue", "pages", "doi", "month", "url")},
        sources={k: v for k, v in sorted(sources.items()) if values.get(k) not in (None, "", [], ())},
    )


def _title_from_name(doc: str) -> str:
    stem = doc.split(".")[0]
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or doc
