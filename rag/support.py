"""Judge whether a sentence is supported by passages, from lexical, numeric and optional embedding cues."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from rag.text import normalise

log = logging.getLogger(__name__)

Similarity = Callable[[str, Sequence[str]], Sequence[float]]
"""Cosine similarity of a sentence against each passage, as computed by the embedding model."""

MIN_RECALL = 0.75  # share of the sentence's content words that must occur in the passages
MIN_SIMILARITY = 0.45  # best sentence-passage cosine (all-MiniLM-L6-v2) when a similarity callable is given
MIN_VERBATIM_CHARS = 20  # shorter sentences ("Yes.") occur by accident inside any long passage
DISTINCT_DIGITS = 6  # ... unless they hold this many digits ("ISBN: 978 1 915303 12 7")

_MARKER = re.compile(r"\s*\[\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)])")
_HYPHEN_BREAK = re.compile(r"(\w)-\s+(\w)")  # "practi-\ntioners", "non- clinical"
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SURFACE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:-[A-Za-z0-9'’]+)*")
_DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:st|nd|rd|th|s)?(?![A-Za-z0-9])")
_NEGATION = re.compile(
    r"\b(?:not|no|never|without|neither|nor|none|cannot|lack(?:s|ed|ing)?)\b|n['’]t\b", re.IGNORECASE
)
_SOURCE_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘“'\"(])")


def _words(*lines: str) -> tuple[str, ...]:
    return tuple(" ".join(lines).split())


_UNIT_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_UNITS = {w: i for i, w in enumerate(_words(_UNIT_WORDS, "sixteen seventeen eighteen nineteen"))}
_TENS = {w: 10 * i for i, w in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"), 2)}
_NUMBER_WORDS = re.compile(
    r"\b(" + "|".join(_TENS) + r")(?:[-\s]+(" + "|".join(list(_UNITS)[1:10]) + r"))?\b"
    r"|\b(" + "|".join(list(_UNITS)[2:]) + r")\b",  # a lone "one" is mostly a pronoun ("one of the ...")
    re.IGNORECASE,
)

STOPWORDS = frozenset(
    _words(
        "a about above after again against all also am an and any are as at be because been before",
        "being below between both but by can could did do does doing down during each either else etc et",
        "al few for from further had has have having he her here hers him his how however i if in into is",
        "it its itself just may me might more most much must my neither no nor not of off on once one only",
        "or other others our ours out over own per same she should so some such than that the their theirs",
        "them then there these they this those through thus to too under until up upon us very via was we",
        "were what when where whether which while who whom whose why will with within without would yet",
        "you your never none cannot ie eg yes",
        # attribution frames ("the study found", "the report notes") are not claims about the world
        "according argue argued argues describe described describes find finding finds found note noted",
        "notes report reported reports say said says show showed shows state stated states suggest suggested",
        "suggests study paper article author authors researchers",
    )
)
_REPORTING_VERBS = frozenset(
    _words(
        "argues argued concludes concluded defines defined describes described finds found highlights",
        "highlighted notes noted recommends recommended reports reported says said shows showed states",
        "stated suggests suggested writes wrote",
    )
)


@dataclass(frozen=True)
class SupportVerdict:
    """Whether a sentence is supported by passages, with what was missing and why."""

    supported: bool
    score: float
    verbatim: bool
    missing_numbers: tuple[str, ...]
    missing_names: tuple[str, ...]
    reason: str


def strip_markers(text: str) -> str:
    """Remove citation markers ([1], [1, 3], [1][2], [2-4]) and the space they leave before punctuation."""
    text = _MARKER.sub("", text)
    return " ".join(_SPACE_BEFORE_PUNCT.sub(r"\1", text).split())


def _clean(text: str) -> str:
    return _HYPHEN_BREAK.sub(r"\1-\2", unicodedata.normalize("NFKC", text))


def _stem(word: str) -> str:
    """A light suffix stripper: plurals, -ing, -ed, final e/y, so that 'managed' ~ 'managing' ~ 'manage'."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if w[-1] == w[-2] and w[-1] not in "aeiouls":
                w = w[:-1]
            break
    if len(w) > 3 and w[-1] == "e":
        w = w[:-1]
    if len(w) > 3 and w[-1] == "y":
        w = w[:-1] + "i"
    return w


def extract_numbers(text: str) -> tuple[str, ...]:
    """Numbers as canonical digits, in order: '1,200' -> '1200', 'Twenty' -> '20', 'forty-four' -> '44'."""
    found: list[tuple[int, str]] = []
    for m in _DIGITS.finditer(text):
        whole = m.group(1).replace(",", "")
        found.append((m.start(), str(int(whole)) + (m.group(2) or "")))
    for m in _NUMBER_WORDS.finditer(text):
        if m.group(1):
            value = _TENS[m.group(1).lower()] + (_UNITS[m.group(2).lower()] if m.group(2) else 0)
        else:
            value = _UNITS[m.group(3).lower()]
        found.append((m.start(), str(value)))
    return tuple(dict.fromkeys(n for _, n in sorted(found)))


def _word_units(text: str, keep_numbers: bool) -> list[tuple[str, tuple[str, ...]]]:
    """Content words (joined, parts): 'semi-structured' -> ('semistructur', ('semi', 'structur'))."""
    lowered = re.sub(r"['’]s\b", "", _clean(text).lower())
    lowered = re.sub(r"n['’]t\b", " not", lowered).replace("'", "").replace("’", "")
    lowered = _NUMBER_WORDS.sub(lambda m: " ".join(extract_numbers(m.group(0))), lowered)
    lowered = re.sub(r"\b([a-z]{2,})(\d+)\b", r"\1 \2", lowered)  # footnote digits: "aufegger1,2", "plan3"
    units: list[tuple[str, tuple[str, ...]]] = []
    for token in _TOKEN.findall(lowered.replace(",", "")):
        parts = tuple(p for p in token.split("-") if p)
        if all(p in STOPWORDS for p in parts):
            continue
        if not keep_numbers and all(p.isdigit() for p in parts):
            continue
        units.append((_stem("".join(parts)), tuple(_stem(p) for p in parts)))
    return units


def _vocabulary(texts: Iterable[str]) -> set[str]:
    vocab: set[str] = set()
    for text in texts:
        for joined, parts in _word_units(text, keep_numbers=True):
            vocab.add(joined)
            vocab.update(parts)
    return vocab


def _unit_found(unit: tuple[str, tuple[str, ...]], vocab: set[str]) -> bool:
    joined, parts = unit
    return joined in vocab or all(p in vocab for p in parts if p not in STOPWORDS)


def term_recall(phrase: str, texts: Sequence[str], keep_numbers: bool = True) -> float:
    """Share of the phrase's content words (light stems, hyphens ignored) found in the texts; 0 if none."""
    units = _word_units(phrase, keep_numbers)
    if not units:
        return 0.0
    vocab = _vocabulary(texts)
    return sum(_unit_found(u, vocab) for u in units) / len(units)


def _name_key(token: str) -> str:
    key = re.sub(r"['’]s$", "", token.lower()).replace("'", "").replace("’", "").replace("-", "")
    return key[:-1] if len(key) > 3 and key.endswith("s") else key


def _name_keys(texts: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for text in texts:
        for m in _SURFACE.finditer(_clean(text)):
            token = re.sub(r"(?<=[A-Za-z])\d+$", "", m.group(0))  # "Aufegger1" carries a footnote number
            keys.update(_name_key(p) for p in (m.group(0), token, *token.split("-")))
    return keys


def extract_names(text: str) -> tuple[str, ...]:
    """Capitalised names, acronyms and codes; a sentence-initial word counts only when it looks like a name.

    A clause-initial capital is a name when it is an acronym or mixed case ('NHS', 'ICSs', '18IC4917'),
    possessive ('Porter's'), followed by 'et al', by another capitalised word ('Sze May Ng') or by a
    reporting verb ('Porter states').
    """
    names: list[str] = []
    matches = list(_SURFACE.finditer(text))
    for i, m in enumerate(matches):
        token = m.group(0)
        inner_capital = any(c.isupper() for c in token[1:])
        if len(token) == 1 or not (token[0].isupper() or inner_capital):
            continue
        before = text[: m.start()].rstrip()
        if not before or before[-1] in ".!?:;\"“‘'":  # clause-initial: capitalised anyway
            if token.lower() in STOPWORDS:
                continue
            next_token = matches[i + 1].group(0) if i + 1 < len(matches) else ""
            adjacent = bool(next_token) and matches[i + 1].start() - m.end() <= 1
            looks_named = (
                inner_capital
                or re.search(r"['’]s$", token) is not None
                or re.match(r"\s+et\s+al\b", text[m.end() : m.end() + 8]) is not None
                or (adjacent and (next_token[:1].isupper() or next_token in _REPORTING_VERBS))
            )
            if not looks_named:
                continue
        names.append(token)
    return tuple(dict.fromkeys(names))


def _strip_attribution(text: str, allowed: Collection[str]) -> str:
    """Drop frames naming allowed authors ('Aufegger et al. (2020)') so that their year is not a claim."""
    if not allowed:
        return text
    names = "|".join(re.escape(n) for n in sorted(allowed, key=len, reverse=True))
    frame = re.compile(
        rf"(?:{names})(?:['’]s)?(?:\s+et\s+al\.?|\s+(?:and|&)\s+(?:de\s+|van\s+)?[A-Z][\w'’-]*)?"
        rf"\s*,?\s*\(?\s*(?:19|20)\d{{2}}[a-z]?\s*\)?",
    )
    return frame.sub(" ", text)


def _source_sentences(passages: Sequence[str]) -> list[str]:
    out: list[str] = []
    for passage in passages:
        out.extend(s for s in _SOURCE_SENTENCE_END.split(" ".join(_clean(passage).split())) if s)
    return out


def _negation_scopes(text: str) -> list[list[tuple[str, tuple[str, ...]]]]:
    """Per negation cue, the first three content words after it in its clause ('did not set leadership')."""
    return [
        _word_units(re.split(r"[,;:.!?]", text[cue.end() :], maxsplit=1)[0], keep_numbers=True)[:3]
        for cue in _NEGATION.finditer(text)
    ]


def _covers(units: Sequence[tuple[str, tuple[str, ...]]], vocab: set[str]) -> bool:
    return all(_unit_found(u, vocab) for u in units)


def _negation_conflict(claim: str, passages: Sequence[str]) -> str | None:
    """The passage sentence whose polarity the claim contradicts, if any.

    A negated claim conflicts when the passage sentences holding its negated words are all positive
    ('were not found to make distinct contributions' vs 'were found to make four distinct contributions').
    A negated passage sentence conflicts when the claim restates its negated words (two or more) without
    negating them ('managers set leadership as a career goal' vs 'did not set leadership as a career goal');
    a claim that leaves the negated clause out ('define value as the goal') is not in conflict.
    """
    sources = [(s, _vocabulary([s]), bool(_NEGATION.search(s))) for s in _source_sentences(passages)]
    claim_scopes = _negation_scopes(claim)
    for scope in claim_scopes:
        covering = [(s, negated) for s, vocab, negated in sources if scope and _covers(scope, vocab)]
        if covering and not any(negated for _, negated in covering):
            return covering[0][0]
    claim_vocab = _vocabulary([claim])
    negated_in_claim = {u[0] for scope in claim_scopes for u in scope}
    for sentence, _, negated in sources:
        for scope in _negation_scopes(sentence) if negated else []:
            restated = len(scope) >= 2 and _covers(scope, claim_vocab)
            if restated and not negated_in_claim & {u[0] for u in scope}:
                return sentence
    return None


def _distinct(key: str) -> bool:
    """Does a short normalised sentence hold a run of digits no passage holds by accident ("ISBN: 978 1 915303 12 7",
    "Date: March 28, 2015.")?"""
    return sum(ch.isdigit() for ch in key) >= DISTINCT_DIGITS


def _stands_whole(claim: str, passage: str) -> bool:
    """Does a short sentence ("Date: March 28, 2015.") stand in the passage as a whole sentence or line of its own,
    not as words inside another sentence ("Yes." in "He said yes. Then ...")?"""
    words = claim.strip().split()
    if not words:
        return False
    body = r"\s+".join(re.escape(w) for w in words)
    return bool(re.search(rf"(?:^|\n|(?<=[.!?;:])[ \t]+)[ \t]*{body}(?=\s|$)", passage, re.I))


def check_support(
    sentence: str,
    passages: Sequence[str],
    similarity: Similarity | None = None,
    allowed_names: Collection[str] = (),
    *,
    min_recall: float = MIN_RECALL,
    min_similarity: float = MIN_SIMILARITY,
) -> SupportVerdict:
    """Judge one sentence against the passages it cites (or any passages), without an NLI or LLM model.

    Verbatim (normalised) containment is supported. Otherwise the sentence is supported only when every
    number and name it states occurs in the passages, at least `min_recall` of its content words do, its
    negation agrees with the passages (see `_negation_conflict`), and, if `similarity` is given, the best
    cosine reaches `min_similarity`. `allowed_names` (the cited paper's authors, 'King's Fund') are never
    missing, nor is the year of a frame naming them. The score is the content-word recall (averaged with the
    similarity when given), halved per missing-number, missing-name or negation problem.
    """
    claim = strip_markers(sentence)
    texts = [p for p in passages if p.strip()]
    if not texts:
        return SupportVerdict(False, 0.0, False, (), (), "no passages to support the sentence")
    key = normalise(claim)
    for i, passage in enumerate(texts, start=1):
        if key in normalise(passage) and (
            len(key) >= MIN_VERBATIM_CHARS or _distinct(key) or _stands_whole(claim, passage)
        ):
            return SupportVerdict(True, 1.0, True, (), (), f"verbatim in passage {i}")

    allowed = {_name_key(part) for name in allowed_names for part in _SURFACE.findall(name)}
    allowed_surface = {part for name in allowed_names for part in _SURFACE.findall(name)}
    body = _strip_attribution(_clean(claim), allowed_surface)
    passage_numbers = {n for t in texts for n in extract_numbers(_clean(t))}
    missing_numbers = [n for n in extract_numbers(body) if n not in passage_numbers]
    passage_names = _name_keys(texts)
    missing_names = [
        n for n in extract_names(body) if _name_key(n) not in passage_names and _name_key(n) not in allowed
    ]
    units = [u for u in _word_units(body, keep_numbers=False) if u[0] not in allowed]
    vocab = _vocabulary(texts)
    recall = sum(_unit_found(u, vocab) for u in units) / len(units) if units else 0.0
    score = recall
    problems: list[str] = [] if units else ["no content words to check"]
    if missing_numbers:
        problems.append("missing numbers: " + ", ".join(missing_numbers))
    if missing_names:
        problems.append("missing names: " + ", ".join(missing_names))
    if units and recall < min_recall:
        problems.append(f"content-word recall {recall:.2f} < {min_recall:.2f}")
    conflict = _negation_conflict(body, texts)
    if conflict is not None:
        problems.append(f"negation differs from the passage sentence '{conflict[:80]}'")
    if similarity is not None:
        best = max((float(s) for s in similarity(claim, texts)), default=0.0)
        score = (recall + max(0.0, best)) / 2
        if best < min_similarity:
            problems.append(f"similarity {best:.2f} < {min_similarity:.2f}")
    score *= 0.5 ** sum(1 for p in problems if p.startswith(("missing", "negation")))
    why = "; ".join(problems) if problems else f"grounded: content-word recall {recall:.2f}"
    log.debug("support %s for %r: %s", not problems, claim[:60], why)
    return SupportVerdict(not problems, round(score, 4), False, tuple(missing_numbers), tuple(missing_names), why)
