"""The scale curve: the vector store at 1k, 10k, 100k and 1M passages, exact (FAISS flat) and approximate (HNSW,
IVF), with the real papers' passages always inside.

Up to 10k passages every passage is real text, really embedded (bench/synthetic_corpus.py packs them from the
papers' sentences; their vectors are cached). Beyond that, the extra passages are synthetic vectors: a mixture of
two real passage vectors plus Gaussian noise, normalised, so they sit where text embeddings sit. Measured at each
size and kind: build time, index size in memory (its serialised bytes), search latency p50/p95 for one question
(top 10), recall@10 against exact search, and the dev set's retrieval quality from dense search alone (share of
gold evidence facts in the top 5 passages). Questions are the dev set's, embedded with the real model.
Plots and figures go to bench/results/scale*.png and scale.json.

Usage: nice -n 10 python bench/scale.py [--index index] [--sizes 1000,10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from retrieval import evidence_facts, score  # noqa: E402  (bench/retrieval.py: the dev-set scoring)
from synthetic_corpus import paper_sentences, passages  # noqa: E402

TEXT_LIMIT = 10_000  # passages of real text, really embedded (--text-limit); beyond, synthetic vectors
NOISE = 0.5  # length of the noise added to a mixture, before normalising


def _embedder(index_dir: Path):  # type: ignore[no-untyped-def]
    from rag.embedding import MiniLMEmbedder, OnnxMiniLMEmbedder, onnx_file

    path = onnx_file(index_dir)
    return OnnxMiniLMEmbedder(path) if path.is_file() else MiniLMEmbedder()


def text_passages(index_dir: Path, count: int, cache: Path, block: int = 500) -> tuple[list[str], np.ndarray]:
    """`count` synthetic passages of real text and their vectors, embedded once in blocks of `block` passages, each
    block cached in `cache` as it is done (embedding 10k passages takes most of an hour here: a run cut short
    resumes where it stopped)."""
    sentences = paper_sentences(index_dir)
    texts = list(passages(sentences, count))
    cache.mkdir(parents=True, exist_ok=True)
    parts, embedder = [], None
    for start in range(0, count, block):
        chunk = texts[start : start + block]
        key = hashlib.sha256("\n".join(chunk).encode()).hexdigest()[:12]
        path = cache / f"synthetic-block-{key}.npy"
        if not path.is_file():
            embedder = embedder or _embedder(index_dir)
            started = time.perf_counter()
            vectors = embedder.embed(chunk)
            rate = len(chunk) / (time.perf_counter() - started)
            print(f"  passages {start}-{start + len(chunk)}: {rate:.1f} passages/s", file=sys.stderr, flush=True)
            np.save(path, vectors)
        parts.append(np.load(path))
    return texts, np.vstack(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def mixture_vectors(pool: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """Synthetic passage vectors: a mix (weights 0.2-0.8) of two pool vectors plus noise, normalised (in blocks).
    The weights keep a synthetic vector from being a near-copy of one real passage, which would turn it into a
    duplicate of that passage without its text."""
    rng = np.random.default_rng(seed)
    out = np.empty((count, pool.shape[1]), dtype=np.float32)
    for start in range(0, count, 100_000):
        n = min(100_000, count - start)
        a = 0.2 + 0.6 * rng.random((n, 1), dtype=np.float32)
        mixed = a * pool[rng.integers(0, len(pool), n)] + (1 - a) * pool[rng.integers(0, len(pool), n)]
        mixed += NOISE / np.sqrt(pool.shape[1]) * rng.standard_normal(mixed.shape, dtype=np.float32)
        out[start : start + n] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out


def _size_bytes(store) -> int:  # type: ignore[no-untyped-def]
    with tempfile.NamedTemporaryFile(suffix=".faiss") as handle:
        store.save(Path(handle.name))
        return Path(handle.name).stat().st_size


def measure(args: argparse.Namespace) -> list[dict]:
    from rag.index import load_index
    from rag.settings import load_settings
    from rag.vector_store import FaissStore

    index = load_index(load_settings(index_dir=args.index), check_corpus=False)
    real_texts = [c.text for c in index.chunks]
    real_vectors = FaissStore.load(_vectors_file(args.index)).vectors()
    items = [json.loads(line) for line in args.qa.read_text().splitlines() if line.strip()]
    questions = [i["question"] for i in items]
    answerable = [n for n, i in enumerate(items) if i["answerable"]]
    facts = {n: evidence_facts(items[n]) for n in answerable}
    query_vectors = _embedder(args.index).embed(questions)

    sizes = sorted(args.sizes)
    n_text = min(args.text_limit, max(sizes)) - len(real_texts)
    syn_texts, syn_vectors = text_passages(args.index, n_text, args.cache)
    os.nice(10)  # the index measurements are long and CPU-bound: leave the machine to others first
    faiss_threads(args.threads)
    pool = np.vstack([real_vectors, syn_vectors])
    # Synthetic vectors mix real ones: the passages', the embedded synthetic passages' and the papers' sentences'.
    mix_pool = np.vstack([pool, index.sentence_vectors])
    results = []
    for size in sizes:
        extra = size - len(pool)
        vectors = pool[:size] if extra <= 0 else np.vstack([pool, mixture_vectors(mix_pool, extra)])
        texts = [*real_texts, *syn_texts][:size]
        started = time.perf_counter()
        exact = FaissStore.from_vectors(vectors)
        exact_build = time.perf_counter() - started
        _, truth = exact.search_many(query_vectors, 10)
        for kind in args.kinds:
            started = time.perf_counter()
            store = exact if kind == "flat" else FaissStore.from_vectors(vectors, kind, hnsw_m=args.hnsw_m)
            build = exact_build if kind == "flat" else time.perf_counter() - started
            size_mb = round(_size_bytes(store) / 2**20, 1)
            # How hard the approximate index searches: efSearch for HNSW, nprobe for IVF (one build, several).
            efforts = {"flat": [0], "hnsw": args.ef_search, "ivf": args.nprobe}[kind]
            for effort in efforts:
                store.tune(ef_search=effort or 1, nprobe=effort or 1)
                latency = []
                for _ in range(args.repeat):
                    for q in query_vectors:
                        t = time.perf_counter()
                        store.search(q, 10)
                        latency.append((time.perf_counter() - t) * 1000)
                _, found = store.search_many(query_vectors, 10)
                recall = float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)]))
                quality = statistics.mean(
                    score([texts[r] if r < len(texts) else "" for r in found[n][:5] if r >= 0], facts[n])[0]
                    for n in answerable
                )
                row = {
                    "passages": size,
                    "kind": kind,
                    "effort": effort,
                    "build_s": round(build, 3),
                    "index_mb": size_mb,
                    "p50_ms": round(statistics.median(latency), 3),
                    "p95_ms": round(sorted(latency)[int(0.95 * len(latency)) - 1], 3),
                    "recall_at_10": round(recall, 4),
                    "dev_facts_at_5": round(quality, 4),
                    "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                }
                print(json.dumps(row), flush=True)
                results.append(row)
        del exact, vectors
    return results


def faiss_threads(n: int) -> None:
    """Search with n threads (1: each question on one core, as a server answering many users at once would)."""
    import faiss

    faiss.omp_set_num_threads(n)


def _passage_texts(index_dir: Path) -> list[str]:
    from rag.index import load_index
    from rag.settings import load_settings

    return [c.text for c in load_index(load_settings(index_dir=index_dir), check_corpus=False).chunks]


def _vectors_file(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip() / "vectors.faiss"


def plot(results: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("p50_ms", "search p50 (ms, one question, top 10)", True),
        ("build_s", "build time (s)", True),
        ("index_mb", "index size (MB)", True),
        ("recall_at_10", "recall@10 against exact", False),
        ("dev_facts_at_5", "dev set: gold facts in dense top 5", False),
    ]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.6))
    for ax, (key, title, log) in zip(axes, panels, strict=True):
        for kind, effort in sorted({(r["kind"], r["effort"]) for r in results}):
            rows = [r for r in results if (r["kind"], r["effort"]) == (kind, effort)]
            label = kind if kind == "flat" else f"{kind} {'ef' if kind == 'hnsw' else 'nprobe'} {effort}"
            ax.plot([r["passages"] for r in rows], [max(r[key], 1e-3) for r in rows], marker="o", label=label)
        ax.set_xscale("log")
        if log:
            ax.set_yscale("log")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("passages")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "scale.png", dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--qa", type=Path, default=ROOT / "evals" / "dev_qa.jsonl")
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10_000, 100_000, 1_000_000]
    )
    parser.add_argument("--kinds", type=lambda s: s.split(","), default=["flat", "ivf", "hnsw"])
    parser.add_argument("--text-limit", type=int, default=TEXT_LIMIT, help="passages of real, embedded text")
    parser.add_argument("--hnsw-m", type=int, default=32)
    ints = lambda s: [int(x) for x in s.split(",")]  # noqa: E731
    parser.add_argument("--ef-search", type=ints, default=[64, 128, 256], help="HNSW efSearch values tried")
    parser.add_argument("--nprobe", type=ints, default=[16, 32, 64], help="IVF nprobe values tried")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the questions for latency")
    parser.add_argument("--threads", type=int, default=1, help="FAISS threads (building and searching)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "rag-bench-cache")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--from-log", type=Path, help="plot the JSON lines an earlier (cut short) run printed")
    parser.add_argument("--embed-only", action="store_true", help="only embed (and cache) the synthetic passages")
    args = parser.parse_args()
    if args.embed_only:
        real = len(_passage_texts(args.index))
        text_passages(args.index, min(args.text_limit, max(args.sizes)) - real, args.cache)
        return
    if args.from_log:
        results = [json.loads(line) for line in args.from_log.read_text().splitlines() if line.startswith("{")]
    else:
        results = measure(args)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "settings": {k: str(v) for k, v in vars(args).items()}}
    (args.out / "scale.json").write_text(json.dumps({**meta, "rows": results}, indent=1) + "\n", encoding="utf-8")
    plot(results, args.out)
    print(
        f"{'passages':>9} {'kind':5} {'effort':>6} {'build s':>8} {'MB':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'recall@10':>9} {'dev@5':>6}"
    )
    for r in results:
        print(
            f"{r['passages']:9d} {r['kind']:5} {r['effort']:6d} {r['build_s']:8.2f} {r['index_mb']:7.1f} "
            f"{r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {r['recall_at_10']:9.3f} {r['dev_facts_at_5']:6.3f}"
        )


if __name__ == "__main__":
    main()
