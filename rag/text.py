"""Text helpers shared by the library and its evals: a comparison form of text that ignores layout and punctuation."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def plain_words(text: str) -> str:
    """The text's words in lower case, one space apart (punctuation and quotation marks aside: "King's" is "king s")."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def normalise(text: str) -> str:
    """NFKC, lowercase, then letters and digits only (ligatures unfold; spaces, hyphens, punctuation drop)."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


# The bytes 0x80-0xBF (a UTF-8 continuation byte) as two 8-bit encodings show them: Windows-1252 (Latin-1 where it
# leaves a gap) and TeX's T1 font encoding, in which a PDF typeset from UTF-8 bytes shows 'naïve' as 'naÃŕve'.
_CONTINUATION = {
    "cp1252": "".join(
        bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1") for b in range(0x80, 0xC0)
    ),
    "t1": "ĂĄĆČĎĚĘĞĹĽŁŃŇŊŐŔŘŚŠŞŤŢŰŮŸŹŽŻĲİđ§ăąćčďěęğĺľłńňŋőŕřśšşťţűůÿźžżĳ¡¿£",
}
_BYTE = {ch: 0x80 + i for table in reversed(_CONTINUATION.values()) for i, ch in enumerate(table)}  # cp1252 first
# A lead byte of U+0080-U+017F (Latin-1 and Latin Extended-A: the accented Latin letters) and a continuation byte.
_MOJIBAKE = re.compile("[\u00c2-\u00c5]([" + re.escape("".join(_BYTE)) + "])")


def repair_mojibake(text: str) -> str:
    """A letter whose UTF-8 bytes were shown one byte a character ('NaÃŕve', 'cafÃ©') back as that letter
    ('Naïve', 'café'). Only pairs that decode to a letter are replaced."""

    def letter(m: re.Match[str]) -> str:
        ch = bytes([ord(m.group()[0]), _BYTE[m.group(1)]]).decode("utf-8")
        return ch if unicodedata.category(ch).startswith("L") else m.group()

    return _MOJIBAKE.sub(letter, text)
