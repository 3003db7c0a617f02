"""Retrieval benchmark on the dev set: our hybrid retriever against the plain LangChain recipe, side by side.

Prints, over the answerable questions, the share of gold evidence facts found in the top 5 passages (within a
5,000-character budget) and the share of questions with at least one fact found, plus query latency.
The shipped settings were chosen on these same questions; `--folds N` also prints a held-out figure: the
retrieval settings (rrf_k, bm25_weight, heading_weight, merge_chars; 81 combinations) are chosen on the other
folds and scored on the questions of the fold left out.
Usage: python bench/retrieval.py [--qa evals/dev_qa.jsonl] [--no-recipe] [--folds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from rag.evals.matching import passage_hits_quote


def evidence_facts(item: dict) -> list[list[str]]:
    """Gold quotes grouped into facts: quotes that hit each other (one fact in two renderings) form one group."""
    groups: list[list[str]] = []
    for ev in item["evidence"]:
        q = ev["quote"]
        for g in groups:
            if any(passage_hits_quote(q, other) or passage_hits_quote(other, q) for other in g):
                g.append(q)
                break
        else:
            groups.append([q])
    return groups


def score(passages: list[str], facts: list[list[str]]) -> tuple[float, bool]:
    found = sum(any(passage_hits_quote(p, q) for p in passages for q in g) for g in facts)
    return found / len(facts), found > 0


def budget(texts: list[str], limit: int = 5000) -> list[str]:
    out, used = [], 0
    for t in texts:
        if used + len(t) > limit:
            break
        out.append(t)
        used += len(t)
    return out


GRID = {
    "rrf_k": (10, 20, 30),
    "bm25_weight": (1.0, 1.5, 2.0),
    "heading_weight": (0.0, 0.2, 0.4),
    "merge_chars": (1500, 2000, 2500),
}


def held_out(assistant, items: list[dict], folds: int) -> tuple[float, float, None]:
    """Facts@5 and any@5 when each question is scored with the grid settings that did best on the other folds."""
    import itertools

    import numpy as np
    from sklearn.model_selection import KFold

    from rag.retrieval import HybridRetriever

    configs = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    results = np.zeros((len(configs), len(items), 2))
    for c, config in enumerate(configs):
        settings = assistant.settings.retrieval.model_copy(update=config)
        retriever = HybridRetriever(assistant.index, assistant.embedder, settings)
        for q, item in enumerate(items):
            hits = retriever.search(item["question"], k=5)
            results[c, q] = score([h.chunk.text for h in hits], evidence_facts(item))
    recall, hit = [], []
    for train, test in KFold(n_splits=folds, shuffle=True, random_state=0).split(items):
        best = int(np.argmax(results[:, train, 0].mean(axis=1)))
        print(f"  fold: chose {configs[best]}")
        recall += list(results[best, test, 0])
        hit += list(results[best, test, 1])
    return float(np.mean(recall)), float(np.mean(hit)), None  # no latency: many settings per question


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--qa", type=Path, default=Path("evals/dev_qa.jsonl"))
    parser.add_argument("--no-recipe", action="store_true")
    parser.add_argument("--folds", type=int, default=0, help="also estimate held-out figures by N-fold CV")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.qa.read_text().splitlines() if line.strip()]
    items = [i for i in items if i["answerable"]]

    from rag.assistant import Assistant
    from rag.settings import load_settings

    assistant = Assistant(load_settings())
    retriever = assistant.retriever
    rows = {}
    ours_recall, ours_hit, lat = [], [], []
    misses = []
    for item in items:
        t = time.perf_counter()
        hits = retriever.search(item["question"], k=5)
        lat.append((time.perf_counter() - t) * 1000)
        r, h = score([x.chunk.text for x in hits], evidence_facts(item))
        ours_recall.append(r)
        ours_hit.append(h)
        if r < 1:
            misses.append((item["id"], round(r, 2), item["question"]))
    rows["hybrid (ours)"] = (statistics.mean(ours_recall), statistics.mean(ours_hit), statistics.median(lat))

    if not args.no_recipe:
        from langchain_core.documents import Document
        from langchain_core.vectorstores import InMemoryVectorStore
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from rag.chain import LangChainEmbeddings

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        docs = []
        for path in sorted(assistant.settings.corpus.dir.glob("*.txt")):
            docs += splitter.split_documents([Document(page_content=path.read_text(), metadata={"doc": path.name})])
        store = InMemoryVectorStore.from_documents(docs, LangChainEmbeddings(assistant.embedder))
        rec, hit, lat2 = [], [], []
        for item in items:
            t = time.perf_counter()
            found = store.similarity_search(item["question"], k=5)
            lat2.append((time.perf_counter() - t) * 1000)
            r, h = score(budget([d.page_content for d in found]), evidence_facts(item))
            rec.append(r)
            hit.append(h)
        rows["recipe (1000/200, MiniLM, top 5)"] = (
            statistics.mean(rec),
            statistics.mean(hit),
            statistics.median(lat2),
        )

    if args.folds:
        rows[f"hybrid, settings chosen per fold ({args.folds}-fold)"] = held_out(assistant, items, args.folds)

    print(f"{len(items)} answerable questions from {args.qa}")
    print(f"{'retriever':44} {'facts@5':>8} {'any@5':>8} {'p50 ms':>8}")
    for name, (r, h, ms) in rows.items():
        print(f"{name:44} {r:8.3f} {h:8.3f} {'-' if ms is None else f'{ms:.1f}':>8}")
    print("\nquestions with facts missed:", len(misses))
    for m in misses[:60]:
        print("  ", *m)


if __name__ == "__main__":
    main()
