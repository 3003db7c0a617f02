"""Score one answer (the JSON answer contract) against one QA item, and aggregate the scores of a run."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from rag.evals.examples import disagreements, evidence_rows, not_covered
from rag.evals.retrieval_scores import (
    BUDGET_KEY,
    CHAR_BUDGET,
    K_VALUES,
    IndexedPassages,
    fact_hit,
    group_evidence,
    retrieval_scores,
)
from rag.support import Similarity, SupportVerdict, check_support, strip_markers, term_recall

STAGES = ("retrieve", "answer", "total")
KEY_POINT_MIN_SHARE = 0.6  # a key point is found when 60% of its content words are in the answer
ANSWER_METRICS = (
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "evidence_coverage",
    "faithfulness",
    "key_point_recall",
)
LOWER_IS_BETTER = ("false_refusal_rate", "latency_")  # metric names (or prefixes) where a fall is progress

METRIC_DEFINITIONS = {
    "retrieval_recall@k": "share of gold facts hit by the top-k retrieved passages (quotes of one fact in "
    "several renderings count once); mean over answerable questions with evidence",
    "retrieval_hit@k": "1 if any gold fact is hit in the top k; mean over answerable questions with evidence",
    f"retrieval_recall@{BUDGET_KEY}": f"share of gold facts hit by the retrieved passages in rank order up to "
    f"{CHAR_BUDGET:,} characters of text in all (the one passing the budget cut to fit), however many that is; "
    "same questions as recall@k",
    f"retrieval_hit@{BUDGET_KEY}": f"1 if any gold fact is hit within the first {CHAR_BUDGET:,} characters; same",
    "evidence_indexed": "share of gold facts held by some passage of the index at all (a fact none holds was lost "
    "in cleaning or chunking, before ranking); same questions, when the run knows the index",
    "mrr": "1 / position of the first retrieved passage hitting a gold fact (0 if none); same questions",
    "citation_validity": "share of [n] markers that resolve to a citation plus citations whose chunk was "
    "retrieved; mean over answerable, non-abstained answers with markers or citations",
    "citation_recall": "share of sentences supported by their own cited passages (ALCE); mean over "
    "answerable, non-abstained answers",
    "citation_precision": "share of sentence citations that are needed: one is irrelevant when it alone does "
    "not support the sentence and removing it leaves support unchanged (ALCE); same answers, with citations",
    "evidence_coverage": "share of gold facts hit by the answer's cited passages; same answers",
    "faithfulness": "share of sentences supported by all the answer's cited passages together; same answers",
    "key_point_recall": "share of gold key points with 60% of their content words in the answer; same",
    "answer_words_p50": "median word count of the answers (citation markers left out) over answered questions",
    "abstention_accuracy": "share of unanswerable questions where the system abstained",
    "false_refusal_rate": "share of answerable questions where the system abstained",
    "latency_<stage>_p50_ms / _p95_ms": "percentiles of timings_ms per stage over all questions",
}

_MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;–-]\s*\d+)*)\s*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?\]])\s+(?=[A-Z‘“'\"(])")


@dataclass(frozen=True)
class QuestionScore:
    """Every metric of one question, with what failed; optional metrics are None where they do not apply."""

    id: str
    type: str
    difficulty: str
    answerable: bool
    abstained: bool
    question: str
    answer: str
    n_facts: int
    abstention_correct: bool | None
    false_refusal: bool | None
    cited: tuple[str, ...]
    latency_ms: Mapping[str, float]
    recall_at: Mapping[int, float] = field(default_factory=dict)
    hit_at: Mapping[int, float] = field(default_factory=dict)
    reciprocal_rank: float | None = None
    recall_budget: float | None = None
    hit_budget: float | None = None
    unindexed_facts: int | None = None  # gold facts no passage of the index holds (None: index not known)
    citation_validity: float | None = None
    citation_recall: float | None = None
    citation_precision: float | None = None
    evidence_coverage: float | None = None
    faithfulness: float | None = None
    key_point_recall: float | None = None
    answer_words: int | None = None
    invalid_markers: tuple[int, ...] = ()
    unretrieved_citations: tuple[str, ...] = ()
    unsupported_sentences: tuple[str, ...] = ()
    unsupported_numbers: tuple[str, ...] = ()
    unsupported_names: tuple[str, ...] = ()
    missed_key_points: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    quality: float = 0.0
    by_paper: tuple[Mapping[str, Any], ...] = ()  # the answer's evidence table, when it has one
    disagreements: tuple[str, ...] = ()
    not_covered: str = ""  # the answer's "the papers do not cover X" statement, if any

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["recall_at"] = {str(k): v for k, v in self.recall_at.items()}
        data["hit_at"] = {str(k): v for k, v in self.hit_at.items()}
        return data


def parse_markers(text: str) -> list[int]:
    """Citation numbers in order of first use: '[1] ... [2, 3][4-5]' -> [1, 2, 3, 4, 5]."""
    numbers: list[int] = []
    for group in _MARKER.findall(text):
        for part in re.split(r"\s*[,;]\s*", group):
            low, _, high = re.sub(r"\s", "", part).replace("–", "-").partition("-")
            numbers.extend(range(int(low), int(high or low) + 1))
    return list(dict.fromkeys(numbers))


def key_point_found(key_point: str, answer_text: str) -> bool:
    """Loose match: most content words of the key point, stemmed, in any order or case, are in the answer."""
    return term_recall(key_point, [strip_markers(answer_text)]) >= KEY_POINT_MIN_SHARE


def _allowed_names(citations: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """Names that may frame a claim about the cited papers: authors, the venue, the work's lead name."""
    names: list[str] = []
    for c in citations:
        names.extend(str(a) for a in c.get("authors") or ())
        names.append(str(c.get("venue") or ""))
        names.append(str(c.get("work") or "").split("-")[0].capitalize())
    return tuple(n for n in dict.fromkeys(names) if n)


def _sentences(answer: Mapping[str, Any]) -> list[tuple[str, tuple[int, ...]]]:
    """The answer's sentences with their citation numbers (from `sentences`, else split from the text)."""
    rows = answer.get("sentences") or []
    if rows:
        return [
            (
                str(r["text"]),
                tuple(dict.fromkeys([*map(int, r.get("citations") or ()), *parse_markers(r["text"])])),
            )
            for r in rows
        ]
    parts: list[str] = []
    for part in _SENTENCE_END.split(str(answer.get("answer") or "")):
        if parts and not strip_markers(part):  # "... care. [2] Next" -> the marker closes the sentence before
            parts[-1] += " " + part
        elif strip_markers(part):
            parts.append(part)
    return [(p, tuple(parse_markers(p))) for p in parts]


def _text(passage: Mapping[str, Any]) -> str:
    return str(passage.get("text") or "")


Judge = Callable[[str, Sequence[str], Collection[str]], SupportVerdict]
"""Another judge of support (an LLM, say): sentence, passages, allowed names -> verdict."""


def _support(
    sentence: str, cited: Sequence[Mapping[str, Any]], similarity: Similarity | None, judge: Judge | None = None
) -> SupportVerdict:
    if judge is not None:
        return judge(sentence, [_text(c) for c in cited], _allowed_names(cited))
    return check_support(sentence, [_text(c) for c in cited], similarity, _allowed_names(cited))


def _answer_metrics(
    answer: Mapping[str, Any],
    item: Mapping[str, Any],
    facts: list[tuple[str, ...]],
    similarity: Similarity | None,
    judge: Judge | None = None,
) -> dict[str, Any]:
    """Citation, faithfulness, coverage and key-point metrics of one answered question, with what failed."""
    citations = list(answer.get("citations") or [])
    text = str(answer.get("answer") or "")
    by_n = {int(c["n"]): c for c in citations}
    sentences = _sentences(answer)
    markers = dict.fromkeys([*parse_markers(text), *(n for _, ns in sentences for n in ns)])
    retrieved_ids = {r.get("chunk_id") for r in answer.get("retrieved") or []}
    out: dict[str, Any] = {
        "invalid_markers": tuple(n for n in markers if n not in by_n),
        "unretrieved_citations": tuple(
            str(c.get("chunk_id")) for c in citations if c.get("chunk_id") not in retrieved_ids
        ),
    }
    checks = len(markers) + len(citations)
    failed_checks = len(out["invalid_markers"]) + len(out["unretrieved_citations"])
    out["citation_validity"] = (checks - failed_checks) / checks if checks else None
    own_ok = all_ok = needed = cited_total = 0
    unsupported: list[str] = []
    numbers: list[str] = []
    names: list[str] = []
    for sentence, ns in sentences:
        cited = [by_n[n] for n in ns if n in by_n]
        own = _support(sentence, cited, similarity, judge)
        own_ok += own.supported
        if not own.supported:
            unsupported.append(f"{strip_markers(sentence)} ({own.reason})")
        cited_total += len(ns)  # a marker that resolves to no citation is never needed
        for c in cited:
            alone = _support(sentence, [c], similarity, judge).supported
            without = _support(sentence, [r for r in cited if r is not c], similarity, judge).supported
            needed += alone or (without != own.supported)
        overall = _support(sentence, citations, similarity, judge)
        all_ok += overall.supported
        numbers.extend(overall.missing_numbers)
        names.extend(overall.missing_names)
    out["citation_recall"] = own_ok / len(sentences) if sentences else None
    out["faithfulness"] = all_ok / len(sentences) if sentences else None
    out["citation_precision"] = needed / cited_total if cited_total else None
    cited_texts = [_text(c) for c in citations]
    covered = sum(any(fact_hit(f, t) for t in cited_texts) for f in facts)
    out["evidence_coverage"] = covered / len(facts) if facts else None
    key_points = [str(k) for k in item.get("key_points") or []]
    missed = tuple(k for k in key_points if not key_point_found(k, text))
    out["key_point_recall"] = 1 - len(missed) / len(key_points) if key_points else None
    out["answer_words"] = len(strip_markers(text).split())
    out |= {
        "unsupported_sentences": tuple(unsupported),
        "unsupported_numbers": tuple(dict.fromkeys(numbers)),
        "unsupported_names": tuple(dict.fromkeys(names)),
        "missed_key_points": missed,
    }
    return out


def _cited_line(c: Mapping[str, Any]) -> str:
    page = f" p.{c['page']}" if c.get("page") is not None else ""
    return f"[{c.get('n')}] {c.get('doc')}{page}: {c.get('quote') or _text(c)}"


def score_question(
    answer: Mapping[str, Any],
    item: Mapping[str, Any],
    similarity: Similarity | None = None,
    judge: Judge | None = None,
    indexed: IndexedPassages | None = None,
) -> QuestionScore:
    """All metrics of one answer against its QA item; answer metrics only when answerable and answered.
    With `indexed` (the index's passages), also how many gold facts no passage holds at all."""
    answerable, abstained = bool(item.get("answerable", True)), bool(answer.get("abstained"))
    facts = group_evidence(item.get("evidence") or [])
    fields: dict[str, Any] = retrieval_scores(facts, list(answer.get("retrieved") or [])) if answerable else {}
    if answerable and facts and indexed is not None:
        fields["unindexed_facts"] = sum(not indexed.holds(f) for f in facts)
    if answerable and not abstained:
        fields |= _answer_metrics(answer, item, facts, similarity, judge)
    score = QuestionScore(
        id=str(item.get("id") or answer.get("id") or ""),
        type=str(item.get("type") or "unknown"),
        difficulty=str(item.get("difficulty") or ""),
        answerable=answerable,
        abstained=abstained,
        question=str(item.get("question") or answer.get("question") or ""),
        answer=str(answer.get("answer") or ""),
        n_facts=len(facts),
        abstention_correct=None if answerable else abstained,
        false_refusal=abstained if answerable else None,
        cited=tuple(_cited_line(c) for c in answer.get("citations") or []),
        latency_ms={s: float(v) for s, v in (answer.get("timings_ms") or {}).items() if s in STAGES},
        by_paper=evidence_rows(answer),
        disagreements=disagreements(answer),
        not_covered=not_covered(answer),
        **fields,
    )
    return _with_verdict(score)


def _with_verdict(s: QuestionScore) -> QuestionScore:
    """Fill in what failed and a 0..1 quality used to pick the worst questions for the report."""
    failures: list[str] = []
    if not s.answerable:
        ok = bool(s.abstention_correct)
        failures += [] if ok else ["answered a question the papers do not answer"]
        return replace(s, failures=tuple(failures), quality=float(ok))
    if s.abstained:
        return replace(s, failures=("false refusal: abstained on an answerable question",), quality=0.0)
    if s.unindexed_facts:
        failures.append(f"gold evidence in no indexed passage: {s.unindexed_facts} of {s.n_facts} facts")
    if s.n_facts and s.recall_at.get(5, 0.0) < 1.0:
        found = round(s.recall_at.get(5, 0.0) * s.n_facts)
        failures.append(f"gold evidence in top 5: {found} of {s.n_facts} facts")
    if s.n_facts and s.recall_budget is not None and s.recall_budget < 1.0:
        found = round(s.recall_budget * s.n_facts)
        failures.append(f"gold evidence in the first {CHAR_BUDGET:,} characters: {found} of {s.n_facts} facts")
    if s.invalid_markers:
        failures.append("markers without a citation: " + ", ".join(f"[{n}]" for n in s.invalid_markers))
    if s.unretrieved_citations:
        failures.append("cited chunks not among the retrieved: " + ", ".join(s.unretrieved_citations))
    failures += [f"unsupported sentence: {u}" for u in s.unsupported_sentences]
    if s.missed_key_points:
        failures.append("missed key points: " + "; ".join(s.missed_key_points))
    parts = [s.recall_at.get(5), s.citation_validity, s.citation_recall, s.faithfulness, s.key_point_recall]
    known = [p for p in parts if p is not None]
    return replace(s, failures=tuple(failures), quality=sum(known) / len(known) if known else 0.0)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [float(v) for v in values if v is not None]
    return sum(known) / len(known) if known else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default method); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _summary(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    answerable = [s for s in scores if s.answerable]
    answered = [s for s in answerable if not s.abstained]
    unanswerable = [s for s in scores if not s.answerable]
    with_facts = [s for s in answerable if s.n_facts]
    out: dict[str, Any] = {}
    for k in K_VALUES:
        out[f"retrieval_recall@{k}"] = _mean(s.recall_at.get(k) for s in with_facts)
        out[f"retrieval_hit@{k}"] = _mean(s.hit_at.get(k) for s in with_facts)
    out[f"retrieval_recall@{BUDGET_KEY}"] = _mean(s.recall_budget for s in with_facts)
    out[f"retrieval_hit@{BUDGET_KEY}"] = _mean(s.hit_budget for s in with_facts)
    out["evidence_indexed"] = _mean(
        1 - s.unindexed_facts / s.n_facts for s in with_facts if s.unindexed_facts is not None
    )
    out["mrr"] = _mean(s.reciprocal_rank for s in with_facts)
    for name in ANSWER_METRICS:
        out[name] = _mean(getattr(s, name) for s in answered)
    out["answer_words_p50"] = percentile([float(s.answer_words) for s in answered if s.answer_words is not None], 50)
    out["abstention_accuracy"] = _mean(float(bool(s.abstention_correct)) for s in unanswerable)
    out["false_refusal_rate"] = _mean(float(bool(s.false_refusal)) for s in answerable)
    for stage in STAGES:
        times = [s.latency_ms[stage] for s in scores if stage in s.latency_ms]
        out[f"latency_{stage}_p50_ms"] = percentile(times, 50)
        out[f"latency_{stage}_p95_ms"] = percentile(times, 95)
    out["counts"] = {
        "questions": len(scores),
        "answerable": len(answerable),
        "answered": len(answered),
        "false_refusals": len(answerable) - len(answered),
        "unanswerable": len(unanswerable),
        "abstained_correctly": sum(bool(s.abstention_correct) for s in unanswerable),
        "unsupported_sentences": sum(len(s.unsupported_sentences) for s in answered),
        "unindexed_facts": sum(s.unindexed_facts or 0 for s in with_facts),
        "evidence_tables": sum(bool(s.by_paper) for s in scores),
        "not_covered_answerable": sum(bool(s.not_covered) for s in answerable),
        "not_covered_unanswerable": sum(bool(s.not_covered) for s in unanswerable),
    }
    return out


def aggregate(per_question: list[QuestionScore]) -> dict[str, Any]:
    """Run-level metrics (see METRIC_DEFINITIONS for who each averages over), plus the same per question type.

    Retrieval metrics average over answerable questions with gold evidence; answer metrics (citation validity,
    recall and precision, evidence coverage, faithfulness, key-point recall) over answerable questions that
    were answered, skipping questions where the metric is undefined (None); abstention accuracy over
    unanswerable questions; false refusals over answerable ones; latency percentiles over all questions.
    A metric with no question to average over is None.
    """
    out = _summary(per_question)
    types = sorted({s.type for s in per_question})
    out["by_type"] = {t: _summary([s for s in per_question if s.type == t]) for t in types}
    return out
