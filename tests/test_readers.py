"""Tests of rag.readers against real papers, an encrypted and a scanned PDF, and small text and HTML files."""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from rag.errors import UnreadableFileError
from rag.readers import SUPPORTED_SUFFIXES, read_source
from rag.schema import Page, SourceFile

PDFS = Path(__file__).parent / "fixtures" / "pdfs"


@functools.cache
def _paper(name: str) -> SourceFile:
    """Each real paper is parsed once per session: pypdf takes about a second per paper."""
    return read_source(PDFS / name)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _password_protected(tmp_path: Path) -> Path:
    """A copy of the fixture's placeholder page that opens only with the password 'secret'."""
    writer = PdfWriter()
    writer.append(PdfReader(PDFS / "encrypted.pdf"))
    writer.encrypt("secret", algorithm="AES-256")
    path = tmp_path / "protected.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_supported_suffixes() -> None:
    assert frozenset({".txt", ".md", ".html", ".htm", ".pdf"}) == SUPPORTED_SUFFIXES


@pytest.mark.parametrize(
    ("name", "pages", "sha256"),
    [
        ("alce-gao-2023.pdf", 23, "e10e1dacb25804558e6e801e331589ade47e0d9612f8e12ad1ba820f0b0021e8"),
        ("react-yao-2023.pdf", 31, "4430bc2c4450bd25047dc6e5c189296d59663e2a378c12557c7773752c8a369b"),
    ],
)
def test_real_paper_has_one_numbered_page_per_pdf_page(name: str, pages: int, sha256: str) -> None:
    source = _paper(name)
    assert source.doc == name
    assert source.sha256 == sha256
    assert [page.number for page in source.pages] == list(range(1, pages + 1))


@pytest.mark.parametrize(
    ("name", "page", "phrase"),
    [
        ("alce-gao-2023.pdf", 1, "Enabling Large Language Models to Generate Text with Citations\n"),
        # raw text: the line-break hyphen stays for the cleaning step to join; the raised footnote mark
        # ('TRUE' + superscript '10') is dropped by the layout step
        ("alce-gao-2023.pdf", 5, "We use TRUE (Honovich et al., 2022), a T5-\n11B (Raffel et al., 2020)"),
        # pdfplumber unfolds the 'ﬁ' ligature itself
        ("react-yao-2023.pdf", 1, "reasoning traces and task-specific actions\nin an interleaved"),
        ("react-yao-2023.pdf", 5, "synthesize the final answer"),
        # 'ï' typeset from its UTF-8 bytes in a T1 font reads 'Ãŕ' in the PDF: the letter is repaired
        ("webb-2017-vespa-selective-pressure.pdf", 10, "NEB, Naïve Empirical Bayes estimate"),
    ],
)
def test_real_paper_phrase_on_its_page(name: str, page: int, phrase: str) -> None:
    pages = _paper(name).pages
    assert [p.number for p in pages if phrase in p.text] == [page]


def test_encrypted_pdf_whose_text_is_a_placeholder_is_refused() -> None:
    """It opens with the empty password, but its one page says only 'This document is a placeholder ...'."""
    with pytest.raises(UnreadableFileError) as caught:
        read_source(PDFS / "encrypted.pdf")
    assert str(caught.value) == (
        "encrypted.pdf: the PDF is encrypted and shows only 10 words of text, a placeholder rather than a paper; "
        "add the paper's own PDF (unprotected, e.g. qpdf --decrypt) instead"
    )


def test_password_protected_pdf_opens_with_its_password(tmp_path: Path) -> None:
    """Opened with its password it reaches the text check, which finds the placeholder's 10 words."""
    with pytest.raises(UnreadableFileError) as caught:
        read_source(_password_protected(tmp_path), password="secret")
    assert "is encrypted and shows only 10 words of text" in str(caught.value)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (
            None,
            "protected.pdf: the PDF is encrypted and needs a password; "
            "remove the protection (e.g. qpdf --decrypt) and add it again",
        ),
        (
            "wrong",
            "protected.pdf: the given password does not open the encrypted PDF; "
            "check the password, or remove the protection (e.g. qpdf --decrypt) and add it again",
        ),
    ],
)
def test_password_protected_pdf_without_its_password_fails(
    tmp_path: Path, password: str | None, message: str
) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_source(_password_protected(tmp_path), password=password)
    assert str(caught.value) == message


def test_scanned_pdf_asks_for_ocr() -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_source(PDFS / "scanned-no-text.pdf")
    assert str(caught.value) == (
        "scanned-no-text.pdf: the PDF has no text layer (a scan?); "
        "run OCR on it (e.g. ocrmypdf) and add the result"
    )


_ALCE_BYTES = (PDFS / "alce-gao-2023.pdf").read_bytes()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"this is not a PDF", "PdfStreamError: Stream has ended unexpectedly"),
        (b"%PDF-1.4\ngarbage\n%%EOF", "PdfReadError: startxref not found"),
        (_ALCE_BYTES[: len(_ALCE_BYTES) // 2], "PdfStreamError: Stream has ended unexpectedly"),
        # pypdf raises a built-in error here, which must not escape either
        (
            _ALCE_BYTES.replace(b"/FlateDecode", b"/FlateDecodX", 1),
            "PdfminerException: Unsupported filter: /'FlateDecodX'",
        ),
    ],
)
def test_damaged_pdf_names_the_file(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_source(_write(tmp_path, "broken.pdf", data))
    assert str(caught.value) == (
        f"broken.pdf: the PDF could not be parsed ({reason}); re-download or re-export it and add it again"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Shared leadership in the NHS.\n\nSecond paragraph.\n",
        "Windows line ends\r\nare read as open() reads them\r\n",
        "\ufeffA byte-order mark, ligature ﬁ and an em dash — kept",
        "no final newline",
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".md", ".TXT"])
def test_text_file_reads_as_open_reads_it(tmp_path: Path, text: str, suffix: str) -> None:
    data = text.encode("utf-8")
    path = _write(tmp_path, f"notes{suffix}", data)
    with open(path, encoding="utf-8") as handle:
        expected = handle.read()
    source = read_source(path)
    assert source.pages == (Page(number=None, text=expected),)
    assert source.doc == f"notes{suffix}"
    assert source.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"caf\xe9 \x93quoted\x94\r\n", "café “quoted”\n", "cp1252"),
        (b"\x81 undefined in cp1252 \xe9", "\x81 undefined in cp1252 é", "latin-1"),
    ],
)
def test_text_file_not_in_utf8_falls_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, data: bytes, text: str, encoding: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="rag.readers"):
        source = read_source(_write(tmp_path, "legacy.txt", data))
    assert source.pages == (Page(number=None, text=text),)
    assert f"decoded as {encoding}" in caplog.text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "<h1>Shared leadership</h1><p>First   para\n   graph.</p><p>Second.</p>",
            "# Shared leadership\n\nFirst para graph.\n\nSecond.",
        ),
        (
            "<nav>Home</nav><header>Site</header><p>Body</p><script>var x = 1;</script>"
            "<style>p {}</style><footer>(c) 2024</footer>",
            "Body",
        ),
        ("<p>line one<br>line two<br/>line   three</p>", "line one\nline two\nline three"),
        ("<p>A <em>very</em> <a href='#'>fine</a> day</p>", "A very fine day"),
        ("<ul>\n  <li>one</li>\n  <li>two</li>\n</ul>", "one\n\ntwo"),
        (
            "<table><tr><th>Year</th><th>N</th></tr><tr><td>2020</td><td>12</td></tr></table>",
            "Year N\n\n2020 12",
        ),
        (
            "<html><head><title>Tab title</title></head>"
            "<body><!-- note --><div>Text &amp; more</div></body></html>",
            "Text & more",
        ),
        (
            "<section><h2>Methods</h2><div><p>We did.</p></div>After the div</section>",
            "## Methods\n\nWe did.\n\nAfter the div",
        ),
        ("Loose <b>text</b><p>para</p>tail", "Loose text\n\npara\n\ntail"),
        ("<p>a&nbsp;&nbsp;b</p>", "a b"),
    ],
)
@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_visible_text(tmp_path: Path, html: str, text: str, suffix: str) -> None:
    source = read_source(_write(tmp_path, f"page{suffix}", html.encode("utf-8")))
    assert source.pages == (Page(number=None, text=text),)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.docx", "notes.docx: unsupported file type '.docx'; add .pdf, .txt, .md or .html files"),
        ("README", "README: unsupported file type (no suffix); add .pdf, .txt, .md or .html files"),
    ],
)
def test_unsupported_suffix(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_source(_write(tmp_path, name, b"some text"))
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("blank.md", b"  \n\t\r\n"),
        ("empty.pdf", b""),
        ("scripts-only.html", b"<html><script>alert(1)</script><p>  </p></html>"),
    ],
)
def test_file_without_text(tmp_path: Path, name: str, data: bytes) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_source(_write(tmp_path, name, data))
    assert str(caught.value) == f"{name}: the file holds no text; add a file with content or remove it"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_source(tmp_path / "gone.pdf")
    assert (
        str(caught.value)
        == "gone.pdf: cannot be read (No such file or directory); check it exists and is readable"
    )
