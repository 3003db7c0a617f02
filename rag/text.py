"""Text helpers shared by the library and its evals: a comparison form of text that ignores layout and punctuation."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """NFKC, lowercase, then letters and digits only (ligatures unfold; spaces, hyphens, punctuation drop)."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())
