"""The papers behind citation dicts as reference-manager records: BibTeX (bibtexparser) and RIS (rispy)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from rag.csl import author_name, doi_of, is_report, publisher_of, url_of, work_key

_TEX = str.maketrans({
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
})  # fmt: skip
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]+\b")  # braced so BibTeX styles keep "UK" upper case in titles
_DASHES = re.compile(r"\s*[-‐‑‒–—]+\s*")


def _text(cit: Mapping[str, Any], key: str) -> str:
    return str(cit.get(key) or "").strip()


def unique_works(citations: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The first citation of each paper, in the order given."""
    first: dict[str, Mapping[str, Any]] = {}
    for cit in citations:
        first.setdefault(work_key(cit), cit)
    return list(first.values())


def _pages(cit: Mapping[str, Any]) -> tuple[str, str]:
    first, _, last = _DASHES.sub("-", _text(cit, "pages")).partition("-")
    return first, last


def _tex(text: str) -> str:
    return text.translate(_TEX)


def _key_stem(cit: Mapping[str, Any]) -> str:
    authors = cit.get("authors") or []
    # (a body by the first word of its name: "atlas2015" for "The ATLAS and CMS Collaborations")
    family = author_name(str(authors[0]))[0] if authors else _text(cit, "title")
    word = next((w for w in family.split() if w.lower() != "the"), "")
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", folded) or "anon"


def _kind(cit: Mapping[str, Any]) -> str:
    if is_report(cit):
        return "report"
    return "article" if _text(cit, "venue") or _text(cit, "volume") else "misc"


def to_bibtex(citations: Iterable[Mapping[str, Any]]) -> str:
    """BibTeX entries, one per paper, keyed like 'aufegger2020' ('aufegger2020b' for a second such key)."""
    import bibtexparser
    from bibtexparser import model

    library = bibtexparser.Library()
    used: set[str] = set()
    for cit in unique_works(citations):
        base = f"{_key_stem(cit)}{cit.get('year') or 'nd'}"
        key, suffix = base, ord("b")
        while key in used:
            key, suffix = base + chr(suffix), suffix + 1
        used.add(key)
        kind = _kind(cit)
        names = [author_name(str(name)) for name in cit.get("authors") or []]
        # A body's name (or a one-word name) is braced, the BibTeX convention for corporate authors.
        authors = " and ".join(_tex(f"{fam}, {giv}") if giv else "{" + _tex(fam) + "}" for fam, giv in names)
        first, last = _pages(cit)
        fields = [
            ("author", authors),
            ("title", _ACRONYM.sub(r"{\g<0>}", _tex(_text(cit, "title")))),
            ("institution" if kind == "report" else "journal", _tex(publisher_of(cit))),
            ("type", "Report" if kind == "report" else ""),
            ("year", _text(cit, "year")),
            ("volume", _tex(_text(cit, "volume"))),
            ("number", _tex(_text(cit, "issue"))),
            ("pages", f"{first}--{last}" if last else first),
            ("doi", doi_of(cit)),  # verbatim in biblatex: escaping would corrupt DOIs holding underscores
            ("url", url_of(cit)),
        ]
        entry_type = "techreport" if kind == "report" else kind
        library.add(model.Entry(entry_type, key, [model.Field(k, v) for k, v in fields if v]))
    return str(bibtexparser.write_string(library))


def to_ris(citations: Iterable[Mapping[str, Any]]) -> str:
    """RIS records, one per paper: TY JOUR (article), RPRT (report) or GEN."""
    import rispy

    records = []
    for cit in unique_works(citations):
        kind = _kind(cit)
        names = [author_name(str(name)) for name in cit.get("authors") or []]
        first, last = _pages(cit)
        record: dict[str, Any] = {
            "type_of_reference": {"report": "RPRT", "article": "JOUR", "misc": "GEN"}[kind],
            "authors": [f"{family}, {given}" if given else family for family, given in names],
            "year": _text(cit, "year"),
            "title": _text(cit, "title"),
            "volume": _text(cit, "volume"),
            "number": _text(cit, "issue"),
            "start_page": first,
            "end_page": last,
            "doi": doi_of(cit),
            "urls": [url_of(cit)] if url_of(cit) else [],
        }
        if kind == "report":
            record["publisher"] = publisher_of(cit)
        else:
            record["secondary_title"] = record["journal_name"] = publisher_of(cit)
        records.append({k: v for k, v in record.items() if v})
    lines = rispy.dumps(records).splitlines()
    return "\n".join(line for line in lines if not re.fullmatch(r"\d+\.", line)) + "\n"  # rispy's record counts
