"""Run the assistant (or read answers made elsewhere) over a QA file, score every answer, write a run folder."""

from __future__ import annotations

import json
import logging
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from rag.errors import RagError
from rag.evals.judge_cases import judge_agreement
from rag.evals.metrics import Judge, aggregate, score_question
from rag.evals.report import write_report
from rag.evals.retrieval_scores import IndexedPassages
from rag.support import Similarity

log = logging.getLogger(__name__)


def read_jsonl(path: Path, what: str) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise RagError(f"{what} file {path} not found: check the path") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise RagError(f"{path}:{n}: not valid JSON ({exc.msg}); one object per line") from exc
    return out


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "nogit"
    return out.stdout.strip() or "nogit"


def run_folder(runs_dir: Path, fingerprint: str) -> Path:
    """A new, never-reused folder named by time, git commit and settings fingerprint."""
    base = runs_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{_git_commit()}-{fingerprint}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def evaluate(
    items: Sequence[Mapping[str, Any]],
    answer_fn: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None,
    answers: Mapping[str, Mapping[str, Any]] | None,
    out_dir: Path,
    meta: dict[str, Any],
    similarity: Similarity | None = None,
    progress: bool = True,
    judge: Judge | None = None,
    passages: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Score each QA item's answer (made now by `answer_fn`, or looked up by id in `answers`); write the report.
    `passages` (the index's passage texts) lets the report say which gold facts no passage holds at all."""
    indexed = IndexedPassages.of(passages) if passages is not None else None
    scores = []
    missing = []
    for item in tqdm(items, desc="Evaluating", unit="question", disable=not progress):
        if answers is not None:
            answer = answers.get(str(item["id"]))
            if answer is None:
                missing.append(str(item["id"]))
                continue
        else:
            assert answer_fn is not None
            answer = answer_fn(item)
        scores.append(score_question(answer, item, similarity, judge, indexed))
    if not scores:
        raise RagError("no answer matched a question id: the answers file must use the QA file's ids")
    metrics = aggregate(scores)
    agreement, _ = judge_agreement(similarity)
    metrics["judge_agreement"] = agreement
    meta = {
        **meta,
        "judge_agreement": agreement,
        "missing_answers": missing,
        "judge": "lexical + numeric grounding + embedding similarity; no NLI or LLM judge",
    }
    write_report(out_dir, metrics, scores, meta)
    return metrics
