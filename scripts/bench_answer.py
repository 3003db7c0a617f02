"""Speed benchmark: median time per question of `rag ask` in batch mode against a plain FAISS top-5 retrieval.

Both run side by side in one process with the same loaded model, after a warm-up; the target is a ratio of at
most 5. Usage: python scripts/bench_answer.py [--qa evals/dev_qa.jsonl] [--limit 60]
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
    args = parser.parse_args()
    from rag.assistant import Assistant
    from rag.settings import load_settings

    questions = [json.loads(line)["question"] for line in args.qa.read_text().splitlines() if line.strip()]
    questions = questions[: args.limit]
    assistant = Assistant(load_settings())
    vectors = assistant.index.vectors
    assistant.ask(questions[0])  # warm-up: model, index, BM25 and chain built

    plain, full = [], []
    for q in questions:
        t = time.perf_counter()
        vectors.search(assistant.embedder.embed([q])[0], 5)
        plain.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assistant.ask(q)
        full.append((time.perf_counter() - t) * 1000)
    p, f = statistics.median(plain), statistics.median(full)
    print(f"{len(questions)} questions")
    print(f"plain FAISS top-5 (embed + search): median {p:.1f} ms")
    print(
        f"rag ask (retrieve + answer + check): median {f:.1f} ms, p95 {sorted(full)[int(0.95 * len(full)) - 1]:.1f} ms"
    )
    print(f"ratio: {f / p:.1f}x (target: at most 5x)")


if __name__ == "__main__":
    main()
