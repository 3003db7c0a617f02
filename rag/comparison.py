"""An answer across the papers as an evidence table: a row per paper, and the figures the papers give differently.

Input: the papers in scope, the chosen sentences (each with its paper, citation number and section) and the best
other candidate sentences. Output: `PaperEvidence` rows (a paper with no chosen sentence is "not addressed") and
plain-text lines naming a count given with different numbers ("24 clinical leaders" in one place, "25 clinical
leaders" in another), in one paper's sections or across papers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rag.lexical import STOPWORDS, tokenize
from rag.schema import PaperEvidence

# A count: a number (not a year, not part of a range or a decimal) and the two to three words it counts.
_COUNT = re.compile(
    r"(?<![\d.,–-])\b(\d{1,3}(?:,\d{3})*|\d+)\b(?![.,]\d|[–-]\d|%| per ?cent)\s+"
    r"((?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)"
)
_YEAR = re.compile(r"^(19|20)\d\d$")
# A span of time ("over the past 50 years", "within 10 years") dates something; two spans are two periods, not two
# figures for one thing.
_TIME_SPAN = re.compile(r"^(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies))$", re.I)
# "3 sub-claims each", "2 nurses per ward": a count for every one of something, not a total
_PER_UNIT = re.compile(r"\s*(?:each|apiece|per|every|a (?:day|week|month|year))\b", re.I)


@dataclass(frozen=True)
class EvidenceSentence:
    """A sentence of the evidence, where it comes from and the citation number it carries in the answer."""

    text: str
    work: str
    section: str
    citation: int | None = None


@dataclass(frozen=True)
class Count:
    value: int
    what: tuple[str, ...]  # stemmed content words of what is counted
    phrase: str
    source: EvidenceSentence = field(compare=False)


def evidence_table(
    works: Sequence[str],
    chosen: Sequence[EvidenceSentence],
    titles: Mapping[str, str],
    labels: Mapping[str, str],
) -> tuple[PaperEvidence, ...]:
    """A row per paper in `works` (papers with quoted sentences first, in the order the answer gives them)."""
    order = list(dict.fromkeys([s.work for s in chosen] + list(works)))
    rows = []
    for work in order:
        mine = [s for s in chosen if s.work == work]
        rows.append(
            PaperEvidence(
                work=work,
                title=titles.get(work, work),
                sentences=tuple(s.text for s in mine),
                citations=tuple(dict.fromkeys(s.citation for s in mine if s.citation is not None)),
                addressed=bool(mine),
                label=labels.get(work, work),
            )
        )
    return tuple(rows)


def counts(sentence: EvidenceSentence) -> list[Count]:
    """The counts a sentence gives: "25 clinical leaders" -> 25 of (clinic, leader)."""
    out = []
    for m in _COUNT.finditer(sentence.text):
        number, words = m.group(1), m.group(2).split()
        if _YEAR.match(number):
            continue
        # what is counted stops at the first function word ("25 clinical leaders in the" -> clinical leaders) ...
        # ... and at the first plural, which names it: "25 clinical leaders took part" -> clinical leaders
        kept: list[str] = []
        for w in words:
            if w.lower() in STOPWORDS:
                break
            kept.append(w)
            if w.endswith("s") and not w.endswith("ss"):
                break
        what = tuple(tokenize(" ".join(kept)))
        after = m.start(2) + len(" ".join(kept))
        if kept and (_TIME_SPAN.match(kept[-1]) or _PER_UNIT.match(sentence.text, after)):
            continue
        if what:
            out.append(Count(int(number.replace(",", "")), what, f"{number} {' '.join(kept)}", sentence))
    return out


def _place(count: Count) -> tuple[str, str]:
    return count.source.work, count.source.section


def differing_counts(
    sentences: Sequence[EvidenceSentence], labels: Mapping[str, str], stated: Sequence[str] | None = None
) -> tuple[str, ...]:
    """One line for each thing counted with different numbers in different sentences of the evidence; with
    `stated` (the answer's sentences), only the things the answer itself gives a count of."""
    by_what: dict[tuple[str, ...], list[Count]] = {}
    for sentence in sentences:
        found = counts(sentence)
        for count in found:
            # several counts of one thing in one sentence are a total and its parts, not a disagreement
            if sum(c.what == count.what for c in found) == 1:
                by_what.setdefault(count.what, []).append(count)
    lines = []
    for group in by_what.values():
        values = list(dict.fromkeys(c.value for c in group))
        if len(values) < 2 or (stated is not None and not any(c.source.text in stated for c in group)):
            continue
        # different counts in one section of one paper are its parts and its total ("3 sub-claims" for each of 40
        # answers, "120 sub-claims" in all), a sample and a subsample: figures that differ stand in different places
        pair = next(
            (
                (a, b)
                for i, a in enumerate(group)
                for b in group[i + 1 :]
                if a.value != b.value and _place(a) != _place(b)
            ),
            None,
        )
        if pair is None:
            continue
        rest = [next(c for c in group if c.value == v) for v in values if v not in (pair[0].value, pair[1].value)]
        firsts = [*pair, *rest]
        where = [f"{c.phrase} ({labels.get(c.source.work, c.source.work)}, {c.source.section})" for c in firsts]
        lines.append("The figures differ: " + " against ".join(where) + ".")
    return tuple(lines)
