"""Speed benchmark: median time per question of `rag ask` in batch mode against a plain FAISS top-5 retrieval.

Both run side by side in one process with the same loaded model, after a warm-up; the target is a ratio of at
most 5. Each question is timed `--repeat` times, alternating the two, and its fastest time counts (the usual way
to keep a busy machine's hiccups out of a small figure). Usage: python bench/answer.py
[--qa evals/dev_qa.jsonl] [--limit 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--qa", type=Path, default=Path("evals/dev_qa.jsonl"))
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3, help="times each question is timed; the fastest counts")
    args = parser.parse_args()
    from rag.assistant import Assistant
    from rag.retrieval import QUERY_MEMORY
    from rag.settings import load_settings

    questions = [json.loads(line)["question"] for line in args.qa.read_text().splitlines() if line.strip()]
    questions = questions[: args.limit]
    assistant = Assistant(load_settings())
    vectors = assistant.index.vectors
    assistant.ask(questions[0])  # warm-up: model, index, BM25 and chain built
    if len(questions) <= QUERY_MEMORY:
        raise SystemExit(f"--limit must be over {QUERY_MEMORY}: the retriever remembers that many recent questions")
    # Whole passes over the questions, so that between two runs of one question come more questions than the
    # retriever remembers: every timed `ask` embeds its question afresh.
    plain = [float("inf")] * len(questions)
    full = list(plain)
    for _ in range(max(1, args.repeat)):
        for i, q in enumerate(questions):
            t = time.perf_counter()
            vectors.search(assistant.embedder.embed([q])[0], 5)
            plain[i] = min(plain[i], (time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            assistant.ask(q)
            full[i] = min(full[i], (time.perf_counter() - t) * 1000)
    p, f = statistics.median(plain), statistics.median(full)
    print(f"{len(questions)} questions, fastest of {max(1, args.repeat)} runs each")
    print(f"plain FAISS top-5 (embed + search): median {p:.1f} ms")
    p95 = sorted(full)[int(0.95 * len(full)) - 1]
    print(f"rag ask (retrieve + answer + check): median {f:.1f} ms, p95 {p95:.1f} ms")
    print(f"ratio: {f / p:.1f}x (target: at most 5x)")


if __name__ == "__main__":
    main()
