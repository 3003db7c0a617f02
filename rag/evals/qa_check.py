"""Check a QA file against the corpus: well-formed rows, unique ids, each evidence quote an exact substring of its file.

Input: QA rows (dicts, as read from JSON lines) and the corpus folder; output: one line per problem found.
`overlapping_questions` finds questions of one file that repeat (or nearly repeat) a question of another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rag.text import normalise

QUESTION_TYPES = ("factoid", "numeric", "list", "definition", "comparison", "methods", "multi_doc", "unanswerable")
DIFFICULTIES = ("easy", "medium", "hard")
FIELDS = ("id", "question", "answer", "key_points", "evidence", "type", "difficulty", "answerable")
# Words too common in questions about these papers to tell two questions apart.
_STOPWORD_TEXT = (
    "a about according an and are as at be by did do does for from how in is it its of on or paper papers say "
    "said study that the their they this to was were what when where which who why with"
)
_QUESTION_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def check_qa(items: Sequence[Mapping[str, Any]], corpus_dir: Path) -> list[str]:
    """Every problem of the QA rows, one line each naming the row and what to fix; [] when the file is sound."""
    problems: list[str] = []
    texts: dict[str, str | None] = {}
    seen: dict[str, int] = {}
    for n, item in enumerate(items, 1):
        qid = str(item.get("id") or f"line {n}")
        missing = [f for f in FIELDS if f not in item]
        if missing:
            problems.append(f"{qid}: missing field(s) {', '.join(missing)}")
            continue
        if qid in seen:
            problems.append(f"{qid}: id used again (first on line {seen[qid]})")
        seen.setdefault(qid, n)
        if item["type"] not in QUESTION_TYPES:
            problems.append(f"{qid}: unknown type {item['type']!r} (one of {', '.join(QUESTION_TYPES)})")
        if item["difficulty"] not in DIFFICULTIES:
            problems.append(f"{qid}: unknown difficulty {item['difficulty']!r}")
        if bool(item["answerable"]) != (item["type"] != "unanswerable"):
            problems.append(f"{qid}: answerable must be false exactly when the type is 'unanswerable'")
        if item["answerable"] and not item["evidence"]:
            problems.append(f"{qid}: an answerable question needs at least one evidence quote")
        if not item["answerable"] and item["evidence"]:
            problems.append(f"{qid}: an unanswerable question carries no evidence")
        for e in item["evidence"]:
            doc, quote = str(e.get("doc") or ""), str(e.get("quote") or "")
            if doc not in texts:
                path = corpus_dir / doc
                texts[doc] = path.read_text(encoding="utf-8") if doc and path.is_file() else None
            text = texts[doc]
            if text is None:
                problems.append(f"{qid}: evidence file {doc!r} is not in {corpus_dir}")
            elif not quote.strip() or quote not in text:
                problems.append(f"{qid}: quote is not an exact substring of {doc}: {quote[:60]!r}")
    return problems


def content_words(question: str) -> frozenset[str]:
    """The question's words that carry meaning (lowercase, common question words left out)."""
    return frozenset(w for w in re.findall(r"[a-z0-9']+", question.lower()) if w not in _QUESTION_STOPWORDS)


def overlapping_questions(
    items: Iterable[Mapping[str, Any]], reference: Iterable[Mapping[str, Any]], max_overlap: float = 0.6
) -> list[tuple[str, str]]:
    """(id, reference id) for each question equal to a reference question once normalised, or sharing more
    than `max_overlap` of their content words (Jaccard)."""
    refs = [(str(r["id"]), normalise(str(r["question"])), content_words(str(r["question"]))) for r in reference]
    found: list[tuple[str, str]] = []
    for item in items:
        norm, words = normalise(str(item["question"])), content_words(str(item["question"]))
        for ref_id, ref_norm, ref_words in refs:
            union = words | ref_words
            if norm == ref_norm or (union and len(words & ref_words) / len(union) > max_overlap):
                found.append((str(item["id"]), ref_id))
    return found
