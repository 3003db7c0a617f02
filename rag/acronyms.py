"""Find acronyms the papers define ("integrated care system (ICS)") and expand questions with them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

_DEFINITION = re.compile(r"((?:[A-Za-z][\w'-]*\s+){1,8}?)\(([A-Z][A-Za-z]{1,7}?)(s?)\)")
_SKIP = {"and", "of", "for", "the", "in", "to", "on", "&"}


def _long_form(words: list[str], acronym: str) -> str | None:
    """The shortest run of trailing words whose initials spell the acronym (small words may be skipped)."""
    letters = acronym.upper()
    for size in range(1, min(len(words), 8) + 1):
        tail = words[-size:]
        initials = "".join(w[0].upper() for w in tail if w.lower() not in _SKIP)
        if initials == letters:
            return " ".join(tail)
    return None


def find_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> long form, as the texts define them (the most frequent definition wins)."""
    seen: dict[str, Counter[str]] = {}
    for text in texts:
        for m in _DEFINITION.finditer(text):
            acronym = m.group(2)
            if sum(ch.isupper() for ch in acronym) < 2:
                continue
            long_form = _long_form(m.group(1).split(), acronym)
            if long_form:
                seen.setdefault(acronym, Counter())[long_form.lower()] += 1
    return {a: c.most_common(1)[0][0] for a, c in seen.items()}


def expand_query(question: str, acronyms: Mapping[str, str]) -> str:
    """The question plus the long form of each acronym it uses and the acronym of each long form it spells out."""
    extra: list[str] = []
    lowered = question.lower()
    for acronym, long_form in acronyms.items():
        if re.search(rf"\b{re.escape(acronym)}s?\b", question):
            extra.append(long_form)
        elif long_form in lowered or long_form.rstrip("s") in lowered:
            extra.append(acronym)
    return question if not extra else f"{question} ({'; '.join(extra)})"
