"""Ours against the LangChain recipe a user would otherwise build, on the same corpus, machine and run.

The recipe: RecursiveCharacterTextSplitter(1000, 200) + HuggingFaceEmbeddings (the same all-MiniLM-L6-v2 weights,
from the packaged path) + LangChain's FAISS vector store, saved to disk. Every step runs in a fresh process, so
that the times are what a user waits for (interpreter start, imports, model load included) and the memory is
that process's peak RSS. Printed: index build, no-change re-index, re-index after one file changed, cold start
(process start to the first answer, the median of --cold-runs starts: ours a full cited answer, the recipe its
top-5 passages, as it has no answerer), query latency p50/p95 (retrieval alone, and our full cited answer), peak
RSS; each as a ratio to the recipe. The recipe has no incremental path: re-indexing rebuilds it. The machine's
load average is printed with the figures: on a shared machine they move with it.

Usage: python bench/peer.py [--corpus corpus] [--qa evals/dev_qa.jsonl] [--limit 40] [--cold-runs 3]
                            [--out bench/results]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How many clinical and non-clinical leaders were interviewed, and how was the data analysed?"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _percentiles(ms: list[float]) -> tuple[float, float]:
    ordered = sorted(ms)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


# --- ours --------------------------------------------------------------------------------------------------


def _ours(corpus: Path, index: Path) -> Any:
    from rag.assistant import Assistant
    from rag.settings import load_settings

    return Assistant(load_settings(index_dir=index, corpus={"dir": corpus}))


def ours_index(corpus: Path, index: Path, _: list[str]) -> dict[str, Any]:
    report = _ours(corpus, index).build(progress=False)
    return {"indexed": len(report.indexed), "passages": report.chunks}


def ours_cold(corpus: Path, index: Path, _: list[str]) -> dict[str, Any]:
    answer = _ours(corpus, index).ask(QUESTION)
    return {"citations": len(answer.citations)}


def ours_serve(corpus: Path, index: Path, questions: list[str]) -> dict[str, Any]:
    assistant = _ours(corpus, index)
    assistant.ask(questions[0])  # warm-up: model, index, BM25 and chain built
    retrieve, full = [], []
    for q in questions:
        assistant.retriever._queries.clear()  # every timed call embeds its question afresh
        t = time.perf_counter()
        assistant.retriever.search(q, k=5)
        retrieve.append((time.perf_counter() - t) * 1000)
        assistant.retriever._queries.clear()
        t = time.perf_counter()
        assistant.ask(q)
        full.append((time.perf_counter() - t) * 1000)
    return {"retrieve_ms": _percentiles(retrieve), "answer_ms": _percentiles(full)}


# --- the LangChain recipe ----------------------------------------------------------------------------------


def _recipe_embeddings() -> Any:
    warnings.filterwarnings("ignore")  # langchain-community announces its own sunset on import
    from langchain_community.embeddings import HuggingFaceEmbeddings

    from rag.embedding import model_path

    return HuggingFaceEmbeddings(model_name=str(model_path()), encode_kwargs={"normalize_embeddings": True})


def _recipe_texts(corpus: Path) -> list[tuple[str, str]]:
    from pypdf import PdfReader

    out = []
    for path in sorted(corpus.iterdir()):
        if path.suffix.lower() in {".txt", ".md", ".html"}:
            out.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
        elif path.suffix.lower() == ".pdf":
            out.append((path.name, "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)))
    return out


def recipe_index(corpus: Path, index: Path, _: list[str]) -> dict[str, Any]:
    embeddings = _recipe_embeddings()
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    docs = splitter.split_documents(
        [Document(page_content=text, metadata={"doc": name}) for name, text in _recipe_texts(corpus)]
    )
    FAISS.from_documents(docs, embeddings).save_local(str(index))
    return {"passages": len(docs)}


def _recipe_store(index: Path) -> Any:
    embeddings = _recipe_embeddings()
    from langchain_community.vectorstores import FAISS

    return FAISS.load_local(str(index), embeddings, allow_dangerous_deserialization=True)  # our own file


def recipe_cold(corpus: Path, index: Path, _: list[str]) -> dict[str, Any]:
    return {"passages": len(_recipe_store(index).similarity_search(QUESTION, k=5))}


def recipe_serve(corpus: Path, index: Path, questions: list[str]) -> dict[str, Any]:
    store = _recipe_store(index)
    store.similarity_search(questions[0], k=5)
    retrieve = []
    for q in questions:
        t = time.perf_counter()
        store.similarity_search(q, k=5)
        retrieve.append((time.perf_counter() - t) * 1000)
    return {"retrieve_ms": _percentiles(retrieve)}


STEPS = {
    ("ours", "index"): ours_index,
    ("ours", "cold"): ours_cold,
    ("ours", "serve"): ours_serve,
    ("recipe", "index"): recipe_index,
    ("recipe", "cold"): recipe_cold,
    ("recipe", "serve"): recipe_serve,
}


def _worker(system: str, step: str, corpus: Path, index: Path, qa: Path, limit: int) -> None:
    questions = [json.loads(line)["question"] for line in qa.read_text().splitlines() if line.strip()][:limit]
    result = STEPS[system, step](corpus, index, questions)
    print(json.dumps({**result, "rss_mb": _rss_mb()}))


def _run(system: str, step: str, corpus: Path, index: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One step in a fresh process: its wall time from process start, and what it printed."""
    cmd = [sys.executable, __file__, "--worker", system, step, str(corpus), str(index)]
    cmd += ["--qa", str(args.qa), "--limit", str(args.limit)]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{system} {step} failed:\n{done.stderr[-2000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "seconds": seconds}


def _touch_one(corpus: Path) -> None:
    """Change one paper's text (a sentence appended), as an edit would."""
    path = next(p for p in sorted(corpus.iterdir()) if p.suffix == ".txt")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added to check incremental re-indexing.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--qa", type=Path, default=ROOT / "evals" / "dev_qa.jsonl")
    parser.add_argument("--limit", type=int, default=40, help="questions timed for latency")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts timed; the median is reported")
    parser.add_argument("--worker", nargs=4, metavar=("SYSTEM", "STEP", "CORPUS", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        system, step, corpus, index = args.worker
        _worker(system, step, Path(corpus), Path(index), args.qa, args.limit)
        return

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-peer-") as tmp:
        base = Path(tmp)
        corpus = base / "corpus"
        shutil.copytree(args.corpus, corpus)
        r: dict[str, dict[str, Any]] = {}
        for system in ("recipe", "ours"):
            index = base / f"index-{system}"
            print(f"{system}: building the index ...", file=sys.stderr, flush=True)
            r[f"{system} build"] = _run(system, "index", corpus, index, args)
            r[f"{system} no-change"] = _run(system, "index", corpus, index, args)
            colds = [_run(system, "cold", corpus, index, args) for _ in range(args.cold_runs)]
            r[f"{system} cold"] = {**colds[0], "seconds": statistics.median(c["seconds"] for c in colds)}
            r[f"{system} cold"]["runs_s"] = [round(c["seconds"], 2) for c in colds]
            print(f"{system}: timing {args.limit} questions ...", file=sys.stderr, flush=True)
            r[f"{system} serve"] = _run(system, "serve", corpus, index, args)
        _touch_one(corpus)
        for system in ("recipe", "ours"):
            r[f"{system} touched"] = _run(system, "index", corpus, base / f"index-{system}", args)

    rows = [
        ("index build, s", r["ours build"]["seconds"], r["recipe build"]["seconds"]),
        ("re-index, nothing changed, s", r["ours no-change"]["seconds"], r["recipe no-change"]["seconds"]),
        ("re-index, one file changed, s", r["ours touched"]["seconds"], r["recipe touched"]["seconds"]),
        (f"cold start to first answer, s (median of {args.cold_runs})",
         r["ours cold"]["seconds"], r["recipe cold"]["seconds"]),
        ("retrieval p50, ms", r["ours serve"]["retrieve_ms"][0], r["recipe serve"]["retrieve_ms"][0]),
        ("retrieval p95, ms", r["ours serve"]["retrieve_ms"][1], r["recipe serve"]["retrieve_ms"][1]),
        (
            "full cited answer p50, ms (peer: retrieval)",
            r["ours serve"]["answer_ms"][0],
            r["recipe serve"]["retrieve_ms"][0],
        ),
        (
            "full cited answer p95, ms (peer: retrieval)",
            r["ours serve"]["answer_ms"][1],
            r["recipe serve"]["retrieve_ms"][1],
        ),
        ("peak RSS building, MB", r["ours build"]["rss_mb"], r["recipe build"]["rss_mb"]),
        ("peak RSS answering, MB", r["ours serve"]["rss_mb"], r["recipe serve"]["rss_mb"]),
    ]
    load = (load_before, os.getloadavg()[0])
    lines = [
        f"corpus {args.corpus}: ours {r['ours build']['passages']} passages, recipe {r['recipe build']['passages']}",
        f"load average (1 min) {load[0]:.1f} at the start, {load[1]:.1f} at the end, on {os.cpu_count()} cores",
        f"{'measure':46} {'ours':>9} {'recipe':>9} {'ratio':>7}",
        *(f"{name:46} {ours:9.1f} {peer:9.1f} {ours / peer:6.2f}x" for name, ours, peer in rows),
        f"our cold starts, s: {r['ours cold']['runs_s']}",
        "targets: full answer p50 <= 5x the recipe's retrieval p50; no-change re-index < 2 s; cold start < 5 s",
    ]
    print("\n".join(lines))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    (args.out / "peer.json").write_text(
        json.dumps({"measured_at": stamp, "load_average": load, "rows": rows, "raw": r}, indent=2) + "\n",
        encoding="utf-8",
    )
    (args.out / "peer.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
