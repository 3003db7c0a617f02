"""Format the papers behind an answer's citation dicts as APA, Vancouver, Harvard, BibTeX or RIS text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Literal, get_args

Style = Literal["apa", "vancouver", "harvard"]
STYLES: tuple[str, ...] = get_args(Style)
Kind = Literal["report", "article", "misc"]

# Lowercase name particles that belong to the family name ("Stephanie de Sarandy" -> "de Sarandy").
_PARTICLES = frozenset(
    {"da", "de", "del", "della", "der", "di", "dos", "du", "la", "le", "ten", "ter", "van", "von"}
)
_DASHES = re.compile(r"\s*[-‐‑‒–—]+\s*")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_REPORT_TAG = re.compile(r"\s*\(\s*report\s*\)", re.IGNORECASE)
_TEX = str.maketrans({
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
})  # fmt: skip
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]+\b")  # braced so BibTeX styles keep "UK" upper case in titles


def split_name(name: str) -> tuple[str, str]:
    """'Given Family' (or 'Family, Given') -> (family, given); a lone word is a family or group name."""
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    tokens = name.split()
    if len(tokens) < 2:
        return name.strip(), ""
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in _PARTICLES:
        start -= 1
    return " ".join(tokens[start:]), " ".join(tokens[:start])


def _initials(given: str, style: Style) -> str:
    words = [[part for part in word.split("-") if part] for word in given.replace(".", " ").split()]
    if style == "vancouver":
        return "".join(part[0].upper() for word in words for part in word)
    joiner = " " if style == "apa" else ""  # APA "S. M.", Cite Them Right Harvard "S.M."
    return joiner.join("-".join(part[0].upper() + "." for part in word) for word in words if word)


def _author(name: str, style: Style) -> str:
    family, given = split_name(name)
    initials = _initials(given, style)
    if not initials:
        return family
    return f"{family} {initials}" if style == "vancouver" else f"{family}, {initials}"


def _authors(cit: Mapping[str, Any], style: Style) -> str:
    names = [_author(name, style) for name in cit.get("authors") or []]
    if style == "vancouver":
        return ", ".join(names[:6]) + (", et al" if len(names) > 6 else "")
    if style == "harvard":  # Cite Them Right: four or more authors -> first author et al.
        return f"{names[0]} et al." if len(names) > 3 else _series(names, " and ")
    if len(names) > 20:  # APA 7: first 19, an ellipsis, then the last author
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return _series(names, ", & ")


def _series(names: list[str], last_joiner: str) -> str:
    return last_joiner.join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _check(style: str) -> None:
    if style not in STYLES:
        raise ValueError(f"unknown reference style {style!r}: use one of {', '.join(STYLES)}")


def _text(cit: Mapping[str, Any], field: str) -> str:
    return str(cit.get(field) or "").strip()


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _year(cit: Mapping[str, Any], style: Style) -> str:
    if cit.get("year"):
        return str(cit["year"])
    return "[date unknown]" if style == "vancouver" else "n.d."


def _kind(cit: Mapping[str, Any]) -> Kind:
    if "report" in _text(cit, "venue").lower():
        return "report"
    return "article" if _text(cit, "venue") or _text(cit, "volume") else "misc"


def _publisher(cit: Mapping[str, Any]) -> str:
    return _REPORT_TAG.sub("", _text(cit, "venue")).strip()


def _doi(cit: Mapping[str, Any]) -> str:
    return _DOI_PREFIX.sub("", _text(cit, "doi"))


def _link(cit: Mapping[str, Any]) -> str:
    return f"https://doi.org/{_doi(cit)}" if _doi(cit) else _text(cit, "url")


def _pages(cit: Mapping[str, Any]) -> tuple[str, str]:
    first, _, last = _DASHES.sub("-", _text(cit, "pages")).partition("-")
    return first, last


def _vancouver_pages(first: str, last: str) -> str:
    """NLM drops the repeated leading digits of the last page: 251-258 -> 251-8, 128-134 -> 128-34."""
    if first.isdigit() and last.isdigit() and len(first) == len(last):
        common = 0
        while common < len(first) - 1 and first[common] == last[common]:
            common += 1
        last = last[common:]
    return f"{first}-{last}" if last and last != first else first


def _journal(cit: Mapping[str, Any], style: Style) -> str:
    """'BMJ Leader, 4(3), 128–134.' (APA) or 'BMJ Leader, 4(3), pp. 128–134.' (Harvard)."""
    first, last = _pages(cit)
    pages = f"{first}–{last}" if last else first
    if pages and style == "harvard":
        pages = f"pp. {pages}" if last else f"p. {pages}"
    volume = _text(cit, "volume") + (f"({_text(cit, 'issue')})" if _text(cit, "issue") else "")
    return ", ".join(part for part in (_text(cit, "venue"), volume, pages) if part) + "."


def _apa(cit: Mapping[str, Any]) -> str:
    title, year, authors = _end(_text(cit, "title")), _year(cit, "apa"), _authors(cit, "apa")
    head = f"{_end(authors)} ({year}). {title}" if authors else f"{title} ({year})."
    kind = _kind(cit)
    source = _end(_publisher(cit)) if kind == "report" else _journal(cit, "apa") if kind == "article" else ""
    return " ".join(part for part in (head, source, _link(cit)) if part)


def _vancouver(cit: Mapping[str, Any]) -> str:
    title, year, authors = _end(_text(cit, "title")), _year(cit, "vancouver"), _authors(cit, "vancouver")
    kind, pages = _kind(cit), _vancouver_pages(*_pages(cit))
    if kind == "report":
        source = f"{_publisher(cit)}; {year}."
    elif kind == "article":
        volume, issue = _text(cit, "volume"), _text(cit, "issue")
        source = f"{_text(cit, 'venue')}. {year}" + (f";{volume}" if volume else "")
        source += (f"({issue})" if issue else "") + (f":{pages}" if pages else "") + "."
    else:
        source = f"{year}."
    link = f"doi:{_doi(cit)}" if _doi(cit) else f"Available from: {_link(cit)}" if _link(cit) else ""
    return " ".join(part for part in (f"{authors}. {title}" if authors else title, source, link) if part)


def _harvard(cit: Mapping[str, Any]) -> str:
    title, year, authors = _text(cit, "title"), _year(cit, "harvard"), _authors(cit, "harvard")
    kind = _kind(cit)
    if kind == "article":
        source = _journal(cit, "harvard")
        text = f"{authors} ({year}) '{title}', {source}" if authors else f"{title} ({year}) {source}"
    else:
        text = f"{authors} ({year}) {_end(title)}" if authors else f"{title} ({year})."
        text += f" {_end(_publisher(cit))}" if kind == "report" else ""
    return f"{text} Available at: {_link(cit)}" if _link(cit) else text


def format_reference(cit: Mapping[str, Any], style: Style) -> str:
    """One reference-list entry as plain text (no italics) for the paper behind a citation."""
    _check(style)
    return {"apa": _apa, "vancouver": _vancouver, "harvard": _harvard}[style](cit)


def in_text(cit: Mapping[str, Any], style: Style, number: int | None = None) -> str:
    """'(Aufegger et al., 2020)' for apa/harvard; '[number]' for vancouver (default: the citation's n)."""
    _check(style)
    if style == "vancouver":
        return f"[{cit.get('n') if number is None else number}]"
    families, year = [split_name(name)[0] for name in cit.get("authors") or []], _year(cit, style)
    if not families:
        short = _text(cit, "title").split(":")[0]
        return f'("{short}," {year})' if style == "apa" else f"('{short}', {year})"
    if len(families) == 1:
        names = families[0]
    elif style == "apa":
        names = " & ".join(families) if len(families) == 2 else f"{families[0]} et al."
    else:  # Cite Them Right: up to three names, then et al.
        names = f"{families[0]} et al." if len(families) > 3 else _series(families, " and ")
    return f"({names}, {year})"


def work_key(cit: Mapping[str, Any]) -> str:
    """What makes two citations the same paper: the catalog `work`, else the DOI, else the title."""
    return _text(cit, "work") or _doi(cit) or _text(cit, "title") or _text(cit, "chunk_id")


def unique_works(citations: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The first citation of each paper, in the order given (the contract lists citations by n)."""
    first: dict[str, Mapping[str, Any]] = {}
    for cit in citations:
        first.setdefault(work_key(cit), cit)
    return list(first.values())


def reference_numbers(citations: Iterable[Mapping[str, Any]]) -> dict[int, int]:
    """Citation n -> number of its paper in the reference list."""
    numbers: dict[str, int] = {}
    return {int(cit["n"]): numbers.setdefault(work_key(cit), len(numbers) + 1) for cit in citations}


def reference_list(citations: Iterable[Mapping[str, Any]], style: Style) -> list[tuple[int, str]]:
    """Each cited paper once, numbered in first-cited order, formatted in the style."""
    return [(k, format_reference(cit, style)) for k, cit in enumerate(unique_works(citations), start=1)]


def _tex(text: str) -> str:
    return text.translate(_TEX)


def _key_stem(cit: Mapping[str, Any]) -> str:
    authors = cit.get("authors") or []
    word = split_name(authors[0])[0] if authors else _text(cit, "title").split(" ")[0]
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", folded) or "anon"


def _bibtex_entry(cit: Mapping[str, Any], key: str) -> str:
    kind = _kind(cit)
    names = [split_name(name) for name in cit.get("authors") or []]
    # A one-word name is taken for a group author and braced, the BibTeX convention for corporate authors.
    authors = " and ".join(_tex(f"{fam}, {giv}") if giv else "{" + _tex(fam) + "}" for fam, giv in names)
    first, last = _pages(cit)
    fields = [
        ("author", authors),
        ("title", _ACRONYM.sub(r"{\g<0>}", _tex(_text(cit, "title")))),
        ("institution" if kind == "report" else "journal", _tex(_publisher(cit))),
        ("type", "Report" if kind == "report" else ""),
        ("year", _text(cit, "year")),
        ("volume", _tex(_text(cit, "volume"))),
        ("number", _tex(_text(cit, "issue"))),
        ("pages", f"{first}--{last}" if last else first),
        ("doi", _doi(cit)),  # verbatim in biblatex: escaping would corrupt DOIs holding underscores
        ("url", _text(cit, "url")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    entry_type = "techreport" if kind == "report" else kind
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def to_bibtex(citations: Iterable[Mapping[str, Any]]) -> str:
    """BibTeX entries, one per paper, keyed like 'aufegger2020' ('aufegger2020b' for a second such key)."""
    entries, used = [], set()
    for cit in unique_works(citations):
        base = f"{_key_stem(cit)}{cit.get('year') or 'nd'}"
        key, suffix = base, ord("b")
        while key in used:
            key, suffix = base + chr(suffix), suffix + 1
        used.add(key)
        entries.append(_bibtex_entry(cit, key))
    return "\n".join(entries)


def to_ris(citations: Iterable[Mapping[str, Any]]) -> str:
    """RIS records, one per paper: TY JOUR (article), RPRT (report) or GEN."""
    records = []
    for cit in unique_works(citations):
        kind = _kind(cit)
        tags = [("TY", {"report": "RPRT", "article": "JOUR", "misc": "GEN"}[kind])]
        names = map(split_name, cit.get("authors") or [])
        tags += [("AU", f"{family}, {given}" if given else family) for family, given in names]
        tags += [("PY", _text(cit, "year")), ("TI", _text(cit, "title"))]
        venue = _publisher(cit)
        tags += [("PB", venue)] if kind == "report" else [("T2", venue), ("JO", venue)]
        first, last = _pages(cit)
        tags += [("VL", _text(cit, "volume")), ("IS", _text(cit, "issue")), ("SP", first), ("EP", last)]
        tags += [("DO", _doi(cit)), ("UR", _text(cit, "url"))]
        lines = [f"{tag}  - {value}" for tag, value in tags if value]
        records.append("\n".join([*lines, "ER  - "]) + "\n")
    return "\n".join(records)
