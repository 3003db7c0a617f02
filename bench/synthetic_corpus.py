"""A synthetic corpus of real text: passages of about the size ours are, packed from the indexed papers' own
sentences drawn at random (with a fixed seed), for scale tests that need real text, really embedded.

Usage: python bench/synthetic_corpus.py --index index --passages 10000 --out /tmp/synthetic.jsonl
(one {"id", "text"} per line).
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

TARGET_CHARS = 1100


def paper_sentences(index_dir: Path) -> list[str]:
    """Every sentence of the indexed passages, once, in reading order."""
    from rag.index import load_index
    from rag.settings import load_settings

    index = load_index(load_settings(index_dir=index_dir), check_corpus=False)
    seen: dict[str, None] = {}
    for row, chunk in enumerate(index.chunks):
        for start, end, _ in index.sentences_of(row):
            text = chunk.text[start:end].strip()
            if len(text) > 20:
                seen.setdefault(text, None)
    return list(seen)


def passages(sentences: list[str], count: int, seed: int = 0) -> Iterator[str]:
    """`count` passages of whole sentences, about TARGET_CHARS long; a run of 2-4 neighbouring sentences at a
    time keeps some local sense, as real passages have."""
    rng = random.Random(seed)
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < TARGET_CHARS:
            start = rng.randrange(len(sentences))
            for text in sentences[start : start + rng.randint(2, 4)]:
                parts.append(text)
                size += len(text) + 1
        yield " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sentences = paper_sentences(args.index)
    with args.out.open("w", encoding="utf-8") as handle:
        for n, text in enumerate(passages(sentences, args.passages, args.seed)):
            handle.write(json.dumps({"id": f"syn-{n}", "text": text}) + "\n")
    print(f"{args.passages} passages from {len(sentences)} sentences -> {args.out}")


if __name__ == "__main__":
    main()
