"""Ask the definition questions of evals/definitions.jsonl and count the answers that open with (or hold) the
sentence that defines the asked term.

Each row: `id`, `question`, `index` ("starter": the starter corpus; "pdf": the starter corpus plus six PDFs, see
evals/FIFTH_QA.md) and `defining` (a verbatim part of the defining sentence).
Usage: python scripts/check_definitions.py --index starter [--corpus DIR --index-dir DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rag.assistant import Assistant
from rag.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", choices=("starter", "pdf"), required=True, help="which rows to ask")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: the settings')")
    parser.add_argument("--index-dir", type=Path, help="index folder (default: the settings')")
    args = parser.parse_args()
    overrides: dict[str, object] = {}
    if args.corpus:
        overrides["corpus"] = {"dir": str(args.corpus)}
    if args.index_dir:
        overrides["index_dir"] = args.index_dir
    assistant = Assistant(load_settings(**overrides))
    lines = (ROOT / "evals" / "definitions.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [r for r in map(json.loads, lines) if r["index"] == args.index]
    leads = holds = 0
    for row in rows:
        answer = assistant.ask(row["question"])
        said = [" ".join(s.text.split()) for s in answer.sentences]
        lead = bool(said) and row["defining"] in said[0]
        held = any(row["defining"] in s for s in said)
        leads, holds = leads + lead, holds + held
        print(f"{row['id']} {'leads' if lead else 'holds' if held else 'misses'}: {row['question']}")
    print(f"the answer opens with the defining sentence: {leads} of {len(rows)}; holds it: {holds} of {len(rows)}")


if __name__ == "__main__":
    main()
