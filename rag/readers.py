"""Reading source files: a corpus file path in, a SourceFile of its raw page texts out (PDF, text, HTML)."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from pathlib import Path

import pdfplumber
from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from rag.errors import UnreadableFileError
from rag.filetypes import SNIFF_BYTES, SUPPORTED_SUFFIXES, check_text_content
from rag.paper_facts import pdf_metadata
from rag.pdf_layout import lay_out
from rag.schema import Page, SourceFile

log = logging.getLogger(__name__)

MIN_PDF_WORDS = 40  # fewer words than a paper's abstract: a cover page or an encryption placeholder

# pypdf raises plain built-in errors, not only PyPdfError, on damaged files (seen when fuzzing real papers:
# AttributeError, AssertionError, NotImplementedError for a mangled filter name); all mean "cannot be parsed".
_PDF_PARSE_ERRORS = (
    PyPdfError,
    PDFSyntaxError,
    PSException,
    PdfminerException,
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
    check_text_content(name, suffix, data[:SNIFF_BYTES])  # a renamed image or archive is not read as text
    metadata: dict[str, tuple[str, str]] = {}
    if suffix == ".pdf":
        pages, metadata = _read_pdf(name, data, password)
    else:
        text = _decode_text(name, data)
        if suffix in (".html", ".htm"):
            text = _html_visible_text(text)
        if not text.strip():
            raise UnreadableFileError(f"{name}: the file holds no text; add a file with content or remove it")
        pages = (Page(number=None, text=text),)
    return SourceFile(doc=name, pages=pages, sha256=hashlib.sha256(data).hexdigest(), metadata=metadata)


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
    for tag in soup.find_all(re.compile(r"^h[1-6]$")):
        tag.insert(0, NavigableString("#" * int(tag.name[1]) + " "))  # read as a Markdown heading downstream
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


def _read_pdf(name: str, data: bytes, password: str | None) -> tuple[tuple[Page, ...], dict[str, tuple[str, str]]]:
    """One laid-out Page per PDF page (reading order, labelled blocks, uncleaned text) and the file's own facts.

    pypdf opens the file (decryption, damage checks, Info and XMP metadata); pdfplumber lays out the words.
    """
    for noisy in ("pypdf", "pdfminer"):
        lib_log = logging.getLogger(noisy)
        if lib_log.level == logging.NOTSET:  # their warnings about sloppy but readable files are noise to users
            lib_log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        opened_with = _unlock(name, reader, password) if reader.is_encrypted else None
        metadata = pdf_metadata(reader)
        with pdfplumber.open(io.BytesIO(data), password=opened_with or "") as pdf:
            pages = lay_out(pdf)
    except DependencyError as exc:
        raise UnreadableFileError(
            f"{name}: the PDF's encryption needs the 'cryptography' package; pip install cryptography"
        ) from exc
    except _PDF_PARSE_ERRORS as exc:
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise UnreadableFileError(
            f"{name}: the PDF could not be parsed ({reason}); re-download or re-export it and add it again"
        ) from exc
    words = sum(len(re.findall(r"[A-Za-z]{2,}", page.text)) for page in pages)
    if not words:
        raise UnreadableFileError(
            f"{name}: the PDF has no text layer (a scan?); run OCR on it (e.g. ocrmypdf) and add the result"
        )
    if words < MIN_PDF_WORDS:
        what = "is encrypted and shows only" if reader.is_encrypted else "holds only"
        raise UnreadableFileError(
            f"{name}: the PDF {what} {words} words of text, a placeholder rather than a paper; "
            "add the paper's own PDF (unprotected, e.g. qpdf --decrypt) instead"
        )
    return pages, metadata


def _unlock(name: str, reader: PdfReader, password: str | None) -> str:
    """Decrypt as viewers do: the empty user password first, then the one the user gave; returns the one that did."""
    for candidate in ("", password):
        if candidate is not None and reader.decrypt(candidate) != PasswordType.NOT_DECRYPTED:
            return candidate
    if password is None:
        raise UnreadableFileError(
            f"{name}: the PDF is encrypted and needs a password; "
            "remove the protection (e.g. qpdf --decrypt) and add it again"
        )
    raise UnreadableFileError(
        f"{name}: the given password does not open the encrypted PDF; "
        "check the password, or remove the protection (e.g. qpdf --decrypt) and add it again"
    )
