"""`rag index` (the CLI's code path) killed (SIGKILL) at random points, 20 times: every time the index left behind
loads and answers, and it is wholly the old index or wholly the new one, never a mix. Hash embedder, small corpus:
about a minute."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakes import HashEmbedder, clean_environment

from rag.assistant import Assistant
from rag.index import build_index, load_index
from rag.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
RUNS = 20
TOPICS = ["ward managers", "budget reviews", "agency nurses", "clinical directors", "patient safety"]

# `rag index` as the CLI runs it (rag.cli.main), with the hash embedder in place of MiniLM.
_CHILD = """
import sys
sys.path[:0] = [{tests!r}, {root!r}]
from fakes import HashEmbedder
from rag import cli
from rag.assistant import Assistant
cli._assistant = lambda settings: Assistant(settings, embedder_override=HashEmbedder())
sys.argv = ["rag", "index", "--corpus", {corpus!r}, "--index", {index!r}, "-q"]
print("ready", flush=True)
cli.main()
print("done", flush=True)
"""


def _paper(n: int, version: int) -> str:
    topic = TOPICS[n % len(TOPICS)]
    body = " ".join(
        f"In trust {n} the {topic} met {k + version} times in year {k}. Version {version} of report {n} says so."
        for k in range(40)
    )
    return f"Report {n} on {topic}\n\nResults\n\n{body}\n"


def _write_corpus(corpus: Path, version: int, versions: dict[str, str]) -> None:
    """Rewrite a third of the papers for this version, so each build has new passages to embed and write."""
    for n in range(12):
        if n % 3 == version % 3 or version == 0:
            text = _paper(n, version)
            (corpus / f"paper-{n:02d}.txt").write_text(text, encoding="utf-8")
            versions[hashlib.sha256(text.encode()).hexdigest()] = text


def _check_whole(settings: Settings, versions: dict[str, str]) -> None:
    """The live index loads, answers, and each passage comes from the file version its manifest records."""
    index = load_index(settings, check_corpus=False)
    for chunk in index.chunks:
        recorded = versions[index.manifest.files[chunk.doc]]
        assert recorded[chunk.start : chunk.end] == chunk.text
    hits = Assistant(settings, embedder_override=HashEmbedder()).search("How often did the ward managers meet?")
    assert (len(hits) >= 5, sum(len(h.chunk.text) for h in hits) <= settings.retrieval.budget_chars) == (True, True)
    assert "ward managers" in hits[0].chunk.text


@pytest.mark.slow
def test_random_kills_of_a_build_leave_a_whole_index(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    versions: dict[str, str] = {}
    _write_corpus(corpus, 0, versions)
    settings = load_settings(index_dir=index, corpus={"dir": corpus})
    build_index(settings, HashEmbedder, progress=False)
    started = time.perf_counter()
    build_index(settings, HashEmbedder, progress=False)
    _write_corpus(corpus, 1, versions)
    build_index(settings, HashEmbedder, progress=False)
    build_seconds = time.perf_counter() - started  # two builds: one with nothing to embed, one with a third
    child = _CHILD.format(tests=str(ROOT / "tests"), root=str(ROOT), index=str(index), corpus=str(corpus))
    env = clean_environment()
    rng = random.Random(17)
    outcomes = []
    for run in range(RUNS):
        _write_corpus(corpus, run + 2, versions)
        process = subprocess.Popen(
            [sys.executable, "-c", child], stdout=subprocess.PIPE, env=env, cwd=tmp_path, text=True
        )
        assert process.stdout is not None
        if run % 5 == 4:  # now and then anywhere, imports included
            time.sleep(rng.uniform(0, 1.5))
        else:
            assert process.stdout.readline() == "ready\n"
            time.sleep(rng.uniform(0, build_seconds))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        outcomes.append(process.stdout.read().strip().endswith("done"))
        process.stdout.close()
        _check_whole(settings, versions)
    assert outcomes.count(False) >= RUNS // 2  # most kills landed before the build finished
    report = build_index(settings, HashEmbedder, progress=False)  # the next build tidies up
    assert report.chunks == len(load_index(settings).chunks)
    assert sorted(p.name for p in index.iterdir() if p.name.startswith(".") and p.name != ".lock") == []
    assert [p.name for p in (index / "cache").iterdir() if p.name.startswith(("tmp", "."))] == []
