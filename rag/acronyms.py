"""Find acronyms the papers define ("integrated care system (ICS)") and expand questions with them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

_DEFINITION = re.compile(r"((?:[A-Za-z][\w'-]*\s+){1,8}?)\(([A-Z][A-Za-z]{1,7}?)(s?)\)")
# Searching from every word is slow on long texts; only the text just before an "(ABC)" can define it.
_PAREN = re.compile(r"\(([A-Z][A-Za-z]{1,7}?)(s?)\)")
_RENAMED_HINT = re.compile(r",\s+(?:later|now|subsequently)\s")
_WINDOW = 240
# A renamed long form: "Sustainability and Transformation Plans, later Partnerships (STPs)".
_RENAMED = re.compile(
    r"((?:[A-Za-z][\w'-]*\s+){1,7}?[A-Za-z][\w'-]*),\s+(?:later|now|subsequently)\s+([A-Za-z][\w'-]*)\s+"
    r"\(([A-Z][A-Za-z]{1,7}?)(s?)\)"
)
# A key entry opening a text, line or sentence, or following another entry: "GP, General Practitioner; STP, ...".
_KEY_ENTRY = re.compile(
    r"(?:^|(?<=[.;]\s)|(?<=\n))([A-Z][A-Za-z]{1,7}?)(s?),\s+([A-Za-z][\w'& -]{2,80}?)(?=\s*(?:[.;\n]|$))", re.M
)
_SKIP = {"and", "of", "for", "the", "in", "to", "on", "&"}


def _initials(words: list[str]) -> str:
    return "".join(w[0].upper() for w in words if w.lower() not in _SKIP)


def _long_form(words: list[str], acronym: str) -> str | None:
    """The shortest run of trailing words whose initials spell the acronym (small words may be skipped)."""
    letters = acronym.upper()
    for size in range(1, min(len(words), 8) + 1):
        tail = words[-size:]
        if _initials(tail) == letters:
            return " ".join(tail)
    return None


def _is_acronym(candidate: str) -> bool:
    return sum(ch.isupper() for ch in candidate) >= 2


def _singular(long_form: str) -> str:
    return long_form.lower().removesuffix("s")


def _definitions(text: str) -> Iterable[tuple[str, str, str | None]]:
    """(acronym, long form, long form it replaced or None) for each definition in one text."""
    for paren in _PAREN.finditer(text):
        lo = max(0, paren.start() - _WINDOW)
        m = _DEFINITION.search(text, lo, paren.end())
        while m is not None and m.end() < paren.end():
            m = _DEFINITION.search(text, m.end(), paren.end())
        if m is None or m.end() != paren.end():
            continue
        long_form = _long_form(m.group(1).split(), m.group(2))
        if long_form:
            yield m.group(2), long_form, None
    renamed = _RENAMED.finditer(text) if _RENAMED_HINT.search(text) else ()
    for m in renamed:
        earlier = m.group(1).split()
        long_form = _long_form([*earlier[:-1], m.group(2)], m.group(3))
        if long_form:
            superseded = " ".join(earlier[len(earlier) - len(long_form.split()) :])
            yield m.group(3), long_form, superseded
    for m in _KEY_ENTRY.finditer(text):
        words = m.group(3).split()
        if len(words) <= 8 and _initials(words) == m.group(1).upper():
            yield m.group(1), " ".join(words), None


def find_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> long form, as the texts define them (the most frequent definition wins).

    A long form the texts say was renamed ("Plans, later Partnerships") gives way to its new name.
    """
    seen: dict[str, Counter[str]] = {}
    replaced: dict[str, set[str]] = {}
    for text in texts:
        for acronym, long_form, superseded in _definitions(text):
            if not _is_acronym(acronym):
                continue
            seen.setdefault(acronym, Counter())[long_form.lower()] += 1
            if superseded:
                replaced.setdefault(acronym, set()).add(_singular(superseded))
    found: dict[str, str] = {}
    for acronym, counts in seen.items():
        old = replaced.get(acronym, set())
        current = Counter({f: n for f, n in counts.items() if _singular(f) not in old}) or counts
        found[acronym] = current.most_common(1)[0][0]
    return found


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
