"""What a file's first bytes say it is: a file named as text (.txt, .md, .html) in, an UnreadableFileError out when
its content is not text (an image, an archive, a PDF, UTF-16), so a renamed binary is never indexed as garbage."""

from __future__ import annotations

from rag.errors import UnreadableFileError

TEXT_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
SUPPORTED_SUFFIXES: frozenset[str] = TEXT_SUFFIXES | {".pdf"}  # what the corpus reads
SNIFF_BYTES = 8192
_SAVE = "save the paper as .pdf, .txt, .md or .html"
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF", "rename it to .pdf"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _SAVE),
    (b"\xff\xd8\xff", "a JPEG image", _SAVE),
    (b"GIF8", "a GIF image", _SAVE),
    (b"PK\x03\x04", "a zip archive (a Word or Excel file?)", _SAVE),
    (b"\x1f\x8b", "gzip-compressed", "unpack it first"),
    (b"\x7fELF", "a program", "remove it"),
    (b"\xd0\xcf\x11\xe0", "an old Office document", _SAVE),
)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def check_text_content(name: str, suffix: str, head: bytes) -> None:
    """Raise UnreadableFileError naming the file when a text-named file's first bytes are not text."""
    if suffix.lower() not in TEXT_SUFFIXES:
        return
    for magic, kind, fix in _MAGIC:
        if head.startswith(magic):
            raise UnreadableFileError(f"{name}: the content is {kind}, not text; {fix}")
    if head.startswith(_WIDE_BOMS):
        raise UnreadableFileError(f"{name}: saved as UTF-16 (or UTF-32); save it as UTF-8")
    if b"\x00" in head[:SNIFF_BYTES]:
        raise UnreadableFileError(f"{name}: holds binary data, not text; {_SAVE}")
