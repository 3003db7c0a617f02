"""Check a QA file: every evidence quote an exact substring of its corpus file, ids unique, rows well formed;
with --against, also that no question repeats one of another QA file (the dev set, say).

    python scripts/check_qa.py evals/second_qa.jsonl --against evals/dev_qa.jsonl
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from rag.errors import RagError
from rag.evals.qa_check import check_qa, overlapping_questions
from rag.evals.runner import read_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("qa", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--against", type=Path, action="append", default=[], help="another QA file (repeatable)")
    args = parser.parse_args()
    try:
        items = read_jsonl(args.qa, "QA")
        problems = check_qa(items, args.corpus)
        for other in args.against:
            for qid, ref in overlapping_questions(items, read_jsonl(other, "QA")):
                problems.append(f"{qid}: repeats {ref} of {other}")
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in problems:
        print(line)
    types = Counter(str(i.get("type")) for i in items)
    print(
        f"{args.qa}: {len(items)} questions ({', '.join(f'{t} {n}' for t, n in types.most_common())}); "
        f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
