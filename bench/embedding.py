"""Embedding throughput and what a quantised model costs in retrieval quality.

Six runtimes of the same all-MiniLM-L6-v2 weights embed the index's passages: sentence-transformers (PyTorch,
what `rag index` uses by default), the ONNX export `rag index` makes for questions, that export through ONNX
Runtime's transformer optimiser (fused), each of those two quantised to int8 here (ONNX Runtime dynamic
quantisation of every weight), and the int8 runtime that `embedding.runtime = "int8"` selects (rag/quantised.py:
plain-attention export, attention fused, outlier channels of the feed-forward down-projections moved into their
weights, every matrix product int8). sentence-transformers embeds 32 passages at a time; the ONNX runtimes batch
texts up to 256 word-pieces (rag.embedding.length_batches: a passage alone). Printed: passages per
second for each, and for the int8 models the dev set's retrieval quality beside the float model's: dense search
alone (passages and questions embedded by each model; top 5), and with `--hybrid` the shipped hybrid retriever
(sentences re-embedded too). `rag eval` on an index built with each runtime gives recall@5000c and hit@5000c.

Usage: python bench/embedding.py [--index index] [--passages 300] [--hybrid]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from retrieval import evidence_facts, score  # noqa: E402


def quantise(src: Path, dest: Path) -> Path:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The fused graph's ops come from ONNX Runtime's own domain, whose output types shape inference does not know.
    extra = {"DefaultTensorType": onnx.TensorProto.FLOAT}
    quantize_dynamic(str(src), str(dest), weight_type=QuantType.QInt8, extra_options=extra)
    return dest


def fuse(src: Path, dest: Path) -> Path:
    """ONNX Runtime's transformer optimiser on the export: layer norms with their residual adds, GELU with its
    bias (the attention pattern of this export is not one it fuses)."""
    from onnxruntime.transformers.optimizer import optimize_model

    optimize_model(str(src), model_type="bert", num_heads=12, hidden_size=384, opt_level=1).save_model_to_file(
        str(dest)
    )
    return dest


def throughputs(runtimes: dict, texts: list[str], rounds: int = 2, block: int = 50) -> dict[str, float]:  # type: ignore[type-arg]
    """Passages per second for each runtime, timed in turns (each runtime embeds a block of 50 passages, then the
    next...), so that a machine whose load changes during the run does not favour the runtimes timed last."""
    for embedder in runtimes.values():
        embedder.embed(texts[:8])  # warm-up
    spent = dict.fromkeys(runtimes, 0.0)
    for _ in range(rounds):
        for start in range(0, len(texts), block):
            for name, embedder in runtimes.items():
                started = time.perf_counter()
                embedder.embed(texts[start : start + block])
                spent[name] += time.perf_counter() - started
    return {name: rounds * len(texts) / seconds for name, seconds in spent.items()}


def dev_quality(index, embedder, items: list[dict], settings) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from rag.retrieval import HybridRetriever

    retriever = HybridRetriever(index, embedder, settings)
    found = [score([h.chunk.text for h in retriever.search(i["question"], k=5)], evidence_facts(i)) for i in items]
    return statistics.mean(r for r, _ in found), statistics.mean(float(h) for _, h in found)


def dense_quality(passage_vectors, question_vectors, index, items: list[dict]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from rag.vector_store import FaissStore

    _, rows = FaissStore.from_vectors(passage_vectors).search_many(question_vectors, 5)
    found = [
        score([index.chunks[r].text for r in top if r >= 0], evidence_facts(i))
        for top, i in zip(rows, items, strict=True)
    ]
    return statistics.mean(r for r, _ in found), statistics.mean(float(h) for _, h in found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--qa", type=Path, default=ROOT / "evals" / "dev_qa.jsonl")
    parser.add_argument("--passages", type=int, default=300, help="passages timed per runtime")
    parser.add_argument("--hybrid", action="store_true", help="also score the hybrid retriever (slow: sentences)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()

    from rag.embedding import MiniLMEmbedder, OnnxMiniLMEmbedder, onnx_file
    from rag.index import load_index
    from rag.quantised import make_int8
    from rag.settings import load_settings
    from rag.vector_store import FaissStore

    settings = load_settings(index_dir=args.index, embedding={"runtime": "torch"})
    index = load_index(settings, check_corpus=False)
    texts = [c.text for c in index.chunks][: args.passages]
    exported = onnx_file(args.index)
    if not exported.is_file():
        raise SystemExit(f"no ONNX export at {exported}: run `rag index --index {args.index}` first")
    with tempfile.TemporaryDirectory() as tmp:
        int8 = OnnxMiniLMEmbedder(quantise(exported, Path(tmp) / "int8.onnx"))
        fused = fuse(exported, Path(tmp) / "fused.onnx")
        fused_int8 = OnnxMiniLMEmbedder(quantise(fused, Path(tmp) / "fused-int8.onnx"))
        torch = MiniLMEmbedder()
        runtime_int8 = OnnxMiniLMEmbedder(make_int8(Path(tmp) / "runtime-int8.onnx", torch))
        runtimes = {
            "sentence-transformers (torch)": torch,
            "ONNX float32 (rag index's export)": OnnxMiniLMEmbedder(exported),
            "ONNX float32, fused": OnnxMiniLMEmbedder(fused),
            "ONNX int8 (quantised here)": int8,
            "ONNX int8, fused then quantised": fused_int8,
            'int8 runtime (embedding.runtime="int8")': runtime_int8,
        }
        rates = throughputs(runtimes, texts)
        load = os.getloadavg()[0]
        base = rates["sentence-transformers (torch)"]
        lines = [f"{len(texts)} passages of the index, timed in turns of 50, twice; load average {load:.1f}"]
        versions = f"ONNX Runtime {_version('onnxruntime')}, torch {_version('torch')}"
        lines.append(f"  (2 cores; {versions}; torch batches of 32, ONNX of up to 256 word-pieces)")
        lines += [f"  {name:40} {rate:7.1f} passages/s  {rate / base:5.2f}x" for name, rate in rates.items()]

        items = [json.loads(line) for line in args.qa.read_text().splitlines() if line.strip()]
        items = [i for i in items if i["answerable"]]
        questions = [i["question"] for i in items]
        float32 = runtimes["ONNX float32 (rag index's export)"]
        passages = [c.text for c in index.chunks]
        quality = {
            "dense float32": dense_quality(index.vectors.vectors(), float32.embed(questions), index, items),
            "dense int8": dense_quality(int8.embed(passages), int8.embed(questions), index, items),
            "dense fused int8": dense_quality(fused_int8.embed(passages), fused_int8.embed(questions), index, items),
            "dense int8 runtime": dense_quality(
                runtime_int8.embed(passages), runtime_int8.embed(questions), index, items
            ),
        }
        if args.hybrid:
            quantised_index = dataclasses.replace(
                index,
                vectors=FaissStore.from_vectors(int8.embed(passages)),
                sentence_vectors=int8.embed(_sentence_texts(index)),
            )
            runtime_index = dataclasses.replace(
                index,
                vectors=FaissStore.from_vectors(runtime_int8.embed(passages)),
                sentence_vectors=runtime_int8.embed(_sentence_texts(index)),
            )
            quality["hybrid float32"] = dev_quality(index, float32, items, settings.retrieval)
            quality["hybrid int8"] = dev_quality(quantised_index, int8, items, settings.retrieval)
            quality["hybrid int8 runtime"] = dev_quality(runtime_index, runtime_int8, items, settings.retrieval)
    lines.append(f"dev set, {len(items)} answerable questions, top 5 passages:")
    lines += [f"  {name:19} facts@5 {facts:.3f}  any@5 {any_:.3f}" for name, (facts, any_) in quality.items()]
    print("\n".join(lines))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "embedding.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (args.out / "embedding.json").write_text(
        json.dumps(
            {
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "passages_per_s": rates,
                "dev_facts_any_at_5": quality,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _sentence_texts(index) -> list[str]:  # type: ignore[no-untyped-def]
    """The index's sentence texts in the row order of its sentence vectors."""
    texts = [""] * len(index.sentence_vectors)
    for row, chunk in enumerate(index.chunks):
        for start, end, r in index.sentences_of(row):
            texts[r] = chunk.text[start:end]
    return texts


if __name__ == "__main__":
    main()
