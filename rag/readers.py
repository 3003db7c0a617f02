"""Reading source files: a corpus file path in, a SourceFile of its raw page texts out (PDF, text, HTML)."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from rag.errors import UnreadableFileError
from rag.schema import Page, SourceFile

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf"})

# pypdf raises plain built-in errors, not only PyPdfError, on damaged files (seen when fuzzing real papers:
# AttributeError, AssertionError, NotImplementedError for a mangled filter name); all mean "cannot be parsed".
_PDF_PARSE_ERRORS = (
    PyPdfError,
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    AssertionError,
    RuntimeError,
)
_DROPPED_TAGS = ["script", "style", "nav", "header", "footer", "head", "template"]
_BLOCK_TAGS = re.compile(
    r"^(?:p|div|li|h[1-6]|tr|section|article|table|ul|ol|blockquote|main|aside|pre|figure|figcaption|caption"
    r"|dt|dd|hr|address)$"
)
_CELL_TAGS = ["td", "th"]
_SPACES = re.compile(r"\s+")


class _BlockBreak(NavigableString):
    """A marker put around block elements: the text on either side belongs to different paragraphs."""


class _LineBreak(NavigableString):
    """A marker standing in for <br>: a line break inside one paragraph."""


def read_source(path: Path, password: str | None = None) -> SourceFile:
    """Read one corpus file into its pages of raw text; `password` opens a protected PDF."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{path.suffix}'" if path.suffix else "(no suffix)"
        fix = "add .pdf, .txt, .md or .html files"
        raise UnreadableFileError(f"{name}: unsupported file type {shown}; {fix}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UnreadableFileError(
            f"{name}: cannot be read ({reason}); check it exists and is readable"
        ) from exc
    if not data.strip():
        raise UnreadableFileError(f"{name}: the file holds no text; add a file with content or remove it")
    if suffix == ".pdf":
        pages = _read_pdf(name, data, password)
    else:
        text = _decode_text(name, data)
        if suffix in (".html", ".htm"):
            text = _html_visible_text(text)
        if not text.strip():
            raise UnreadableFileError(f"{name}: the file holds no text; add a file with content or remove it")
        pages = (Page(number=None, text=text),)
    return SourceFile(doc=name, pages=pages, sha256=hashlib.sha256(data).hexdigest())


def _decode_text(name: str, data: bytes) -> str:
    """Decode as `open(path, encoding=...).read()` would (universal newlines), so offsets match that text."""
    for encoding in ("utf-8", "cp1252"):
        try:
            text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding).read()
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8":
            log.warning("%s: not valid UTF-8, decoded as %s; save it as UTF-8 to be sure", name, encoding)
        return text
    log.warning("%s: neither UTF-8 nor cp1252, decoded as latin-1; save it as UTF-8 to be sure", name)
    return io.TextIOWrapper(io.BytesIO(data), encoding="latin-1").read()


def _html_visible_text(html: str) -> str:
    """Visible text of an HTML page: blocks split by a blank line, <br> by a newline, spaces collapsed."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_DROPPED_TAGS):
        if not tag.decomposed:  # a dropped tag nested in another dropped tag is already gone
            tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before(_BlockBreak(""))
        tag.insert_after(_BlockBreak(""))
    for tag in soup.find_all(_CELL_TAGS):
        tag.insert_before(NavigableString(" "))
    for tag in soup.find_all("br"):
        tag.replace_with(_LineBreak(""))
    blocks: list[str] = []
    lines: list[str] = [""]
    for node in [*soup.descendants, _BlockBreak("")]:
        if isinstance(node, _BlockBreak):
            block = "\n".join(kept for line in lines if (kept := _SPACES.sub(" ", line).strip()))
            if block:
                blocks.append(block)
            lines = [""]
        elif isinstance(node, _LineBreak):
            lines.append("")
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            lines[-1] += str(node)  # comments, doctypes and CDATA are PreformattedString: not visible
    return "\n\n".join(blocks)


def _read_pdf(name: str, data: bytes, password: str | None) -> tuple[Page, ...]:
    """One Page per PDF page, text from pypdf's plain extraction, uncleaned (ligatures and hyphens kept)."""
    pypdf_log = logging.getLogger("pypdf")
    if pypdf_log.level == logging.NOTSET:  # its warnings about sloppy but readable files are noise to users
        pypdf_log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _unlock(name, reader, password)
        texts = [page.extract_text(extraction_mode="plain") for page in reader.pages]
    except DependencyError as exc:
        raise UnreadableFileError(
            f"{name}: the PDF's encryption needs the 'cryptography' package; pip install cryptography"
        ) from exc
    except _PDF_PARSE_ERRORS as exc:
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise UnreadableFileError(
            f"{name}: the PDF could not be parsed ({reason}); re-download or re-export it and add it again"
        ) from exc
    if not any(text.strip() for text in texts):
        raise UnreadableFileError(
            f"{name}: the PDF has no text layer (a scan?); run OCR on it (e.g. ocrmypdf) and add the result"
        )
    return tuple(Page(number=n, text=text) for n, text in enumerate(texts, start=1))


def _unlock(name: str, reader: PdfReader, password: str | None) -> None:
    """Decrypt as viewers do: the empty user password first, then the one the user gave."""
    for candidate in ("", password):
        if candidate is not None and reader.decrypt(candidate) != PasswordType.NOT_DECRYPTED:
            return
    if password is None:
        raise UnreadableFileError(
            f"{name}: the PDF is encrypted and needs a password; "
            "remove the protection (e.g. qpdf --decrypt) and add it again"
        )
    raise UnreadableFileError(
        f"{name}: the given password does not open the encrypted PDF; "
        "check the password, or remove the protection (e.g. qpdf --decrypt) and add it again"
    )
