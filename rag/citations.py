"""Parse `[n]` citation markers in an answer and check each sentence against the passages it cites.

Input: answer text and the numbered passages the answerer saw. Output: sentences with resolved citations, a
support verdict each, and counts of what was removed (markers to no passage, unsupported sentences).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rag.sentences import split_sentences
from rag.support import Similarity, check_support, strip_markers

MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_MARKER_RUN = re.compile(r"(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+")


def parse_markers(sentence: str) -> tuple[int, ...]:
    """The passage numbers a sentence cites, in order of first mention: `[1]`, `[1, 3]`, `[1][2]`."""
    seen: list[int] = []
    for m in MARKER.finditer(sentence):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            n = int(part)
            if n not in seen:
                seen.append(n)
    return tuple(seen)


@dataclass(frozen=True)
class CheckedSentence:
    """One answer sentence: its text without markers, the passage numbers it cites, and the verdict."""

    text: str
    cited: tuple[int, ...]
    supported: bool
    quote_passage: int | None
    reason: str


@dataclass(frozen=True)
class CitationCheck:
    sentences: tuple[CheckedSentence, ...]
    invalid_markers: int
    unsupported: int

    @property
    def support_rate(self) -> float:
        return 1.0 - self.unsupported / len(self.sentences) if self.sentences else 0.0


def split_answer(answer: str) -> list[str]:
    """Answer sentences with their trailing markers attached ("... found X. [1]" stays one sentence)."""
    pieces = [answer[s:e] for s, e in split_sentences(answer)]
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        leading = _MARKER_RUN.match(piece)
        if leading and out:  # "... interviewed. [1] Thirty ..." : the marker closes the previous sentence
            out[-1] = f"{out[-1]} {leading.group(0).strip()}"
            piece = piece[leading.end() :].strip()
        if piece:
            out.append(piece)
    return [p for p in out if strip_markers(p).strip()]


def check_citations(
    answer: str,
    passages: Sequence[str],
    similarity: Similarity | None = None,
    allowed_names: Collection[str] = (),
) -> CitationCheck:
    """Resolve each sentence's markers against passages 1..N and judge support by the cited passages."""
    checked: list[CheckedSentence] = []
    invalid = 0
    unsupported = 0
    for sentence in split_answer(answer):
        numbers = parse_markers(sentence)
        valid = tuple(n for n in numbers if 1 <= n <= len(passages))
        invalid += len(numbers) - len(valid)
        text = strip_markers(sentence).strip()
        if not valid:
            checked.append(CheckedSentence(text, (), False, None, "cites no retrieved passage"))
            unsupported += 1
            continue
        verdict = check_support(
            text, [passages[n - 1] for n in valid], similarity, allowed_names=allowed_names
        )
        best = None
        for n in valid:
            if check_support(text, [passages[n - 1]], similarity, allowed_names=allowed_names).supported:
                best = n
                break
        checked.append(CheckedSentence(text, valid, verdict.supported, best or valid[0], verdict.reason))
        unsupported += not verdict.supported
    return CitationCheck(tuple(checked), invalid, unsupported)
