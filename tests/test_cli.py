"""Tests of the `rag` command as a user runs it: errors in one line, and (slow) index + search, real model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rag import cli
from rag.catalog import load_catalog
from rag.text import normalise
from tests.fakes import clean_environment, clear_settings_environment

ROOT = Path(__file__).resolve().parents[1]
RAG = (
    [str(ROOT / ".venv" / "bin" / "rag")]
    if (ROOT / ".venv" / "bin" / "rag").is_file()
    else [
        sys.executable,
        "-m",
        "rag.cli",
    ]
)
RESULT_KEYS = {"rank", "chunk_id", "doc", "work", "title", "section", "page", "start", "end", "text", "score"}
AUFEGGER_QUESTION = "How many clinical and non-clinical leaders were interviewed in the Aufegger study?"


def _environment() -> dict[str, str]:
    return clean_environment()


def _run(
    args: list[str], cwd: Path, timeout: float = 900, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RAG, *args],
        cwd=cwd,
        env={**_environment(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# --- errors: one line on stderr, exit 2, no traceback ---------------------------------------------------


def test_missing_index_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    done = _run(["search", "What is shared leadership?", "--corpus", "corpus", "--index", "no-index"], tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "error: no index in no-index: run `rag index --corpus corpus --index no-index`\n",
    )


@pytest.fixture()
def run_main(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `rag ARGS` in this process (no model is loaded on these paths) and return (exit code, out, err)."""
    clear_settings_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["rag", *args])
        code = 0
        try:
            cli.main()
        except SystemExit as done:
            code = int(done.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_empty_question(run_main: Any) -> None:
    assert run_main("search", "", "--index", "idx") == (
        2,
        "",
        'error: no question given: rag search "your question" (or --batch FILE.jsonl)\n',
    )


def test_missing_batch_file(run_main: Any) -> None:
    assert run_main("search", "--batch", "nope.jsonl", "--index", "idx") == (
        2,
        "",
        'error: batch file nope.jsonl not found: pass a JSONL file with one {"id", "question"} per line\n',
    )


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("not json\n", "q.jsonl:1: not valid JSON (Expecting value); "),
        ('{"id": "q1"}\n', 'q.jsonl:1: no "question" text field; '),
        ('["a list"]\n', 'q.jsonl:1: no "question" text field; '),
    ],
)
def test_bad_batch_line(run_main: Any, tmp_path: Path, lines: str, message: str) -> None:
    """A bad line gets an error record on stdout and a line on stderr (tests/test_reliability.py: the other
    lines are still answered); the run exits 2."""
    (tmp_path / "q.jsonl").write_text(lines, encoding="utf-8")
    error = f'{message}each line must be {{"id", "question"}}'
    record = {"id": "q1" if "q1" in lines else None, "line": 1, "error": error}
    assert run_main("search", "--batch", "q.jsonl", "--index", "idx") == (
        2,
        json.dumps(record) + "\n",
        f"error: {error}\nerror: 1 line(s) of q.jsonl failed (see the error records above)\n",
    )


def test_missing_corpus_folder(run_main: Any) -> None:
    assert run_main("index", "--corpus", "papers", "--index", "idx", "-q") == (
        2,
        "",
        "error: corpus folder papers not found: create it and add papers, or pass --corpus DIR\n",
    )


def test_unknown_setting_in_the_config_file(run_main: Any, tmp_path: Path) -> None:
    (tmp_path / "my.toml").write_text("[retrieval]\nkk = 3\n", encoding="utf-8")
    assert run_main("search", "x", "--config", "my.toml") == (
        2,
        "",
        "error: unknown setting 'retrieval.kk': check its spelling (see README, 'Configuration')\n",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "x", "-k", "0"], "Invalid value for '-k'"),
        (["search", "--nope"], "No such option: --nope"),
        (["bogus"], "No such command 'bogus'"),
    ],
)
def test_usage_error_is_a_message_not_a_traceback(run_main: Any, args: list[str], message: str) -> None:
    code, out, err = run_main(*args)  # an exception escaping main() is what prints the traceback
    assert (code, out, message in err) == (2, "", True)


def test_adapt_if_needed_does_nothing_when_the_settings_use_the_packaged_model(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    (tmp_path / "rag.toml").write_text("[embedding]\nadapted = false\n", encoding="utf-8")
    args = ["adapt", "--if-needed", "--config", str(tmp_path / "rag.toml"), "--index", str(tmp_path / "none")]
    done = CliRunner().invoke(cli.app, args)
    assert (done.exit_code, done.output) == (
        0,
        "the settings embed with the packaged model (embedding.adapted, embedding.runtime); nothing to do\n",
    )
    assert not (tmp_path / "none").exists()


PAPER = "# Huddles\n\nFindings\n\nWard managers met every morning to agree the day's priorities with the team.\n"


@pytest.fixture()
def small_library(run_main: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """run_main on a one-paper library, embedded by the hash embedder; `rag index` adapts on index by default."""
    from rag.assistant import Assistant
    from tests.fakes import HashEmbedder

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "huddles.md").write_text(PAPER, encoding="utf-8")
    monkeypatch.setattr(cli, "_assistant", lambda settings: Assistant(settings, embedder_override=HashEmbedder()))
    monkeypatch.setenv("RAG_EMBEDDING__ADAPT_ON_INDEX", "true")
    return run_main


@pytest.mark.parametrize(
    ("args", "on_index", "adapts"),
    [
        ([], "true", True),
        (["--no-adapt"], "true", False),
        ([], "false", False),
        (["--adapt"], "false", True),
    ],
)
def test_rag_index_adapts_the_model_the_first_time_unless_told_not_to(
    small_library: Any, monkeypatch: pytest.MonkeyPatch, args: list[str], on_index: str, adapts: bool
) -> None:
    adapted: list[bool] = []
    monkeypatch.setattr(cli, "_adapt", lambda assistant, quiet, pairs=0: adapted.append(quiet))
    monkeypatch.setenv("RAG_EMBEDDING__ADAPT_ON_INDEX", on_index)
    monkeypatch.setattr("rag.assistant.BATCH", 1)  # its one paper's pairs are enough to tune the model to
    code, out, err = small_library("index", "--corpus", "corpus", "--index", "index", "-q", *args)
    assert (code, out.startswith("indexed 1 file(s)"), adapted) == (0, True, [True] if adapts else [])
    # minutes of work are said first, also when quiet (on stderr); `--adapt` asked for them
    told = "tuning the model to these papers, once (a few minutes; --no-adapt skips it)\n"
    assert err == (told if adapts and not args else "")


def test_too_little_text_to_adapt_to_leaves_the_packaged_model_in_a_line(small_library: Any) -> None:
    code, out, err = small_library("index", "--corpus", "corpus", "--index", "index", "-q")
    assert (code, err, out.count("\n")) == (0, "", 1)  # quiet: the index is made, and nothing else is said
    code, out, err = small_library("index", "--corpus", "corpus", "--index", "index")
    assert (code, err.count("tuning")) == (0, 0)
    assert out.splitlines()[1:] == [
        "too little text to tune the model to (add papers, then run `rag adapt`); questions use the packaged model"
    ]
    assert not (Path("index") / "models" / "ADAPTED").exists()


def test_a_large_library_is_told_to_run_rag_adapt(small_library: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rag.assistant.AUTO_MAX_PASSAGES", 0)
    monkeypatch.setattr(cli, "AUTO_MAX_PASSAGES", 0)
    code, out, err = small_library("index", "--corpus", "corpus", "--index", "index", "-q")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == (
        "the model is not tuned to a library of more than 0 passages by itself: `rag adapt` does it (about ten "
        "minutes, then the papers are embedded again)"
    )


# --- the real model on the real corpus (slow) ----------------------------------------------------------


@pytest.fixture(scope="module")
def built(starter: Any) -> Path:
    """The starter corpus indexed by `rag index` with the real model (once per session, conftest.py): the folder
    holds corpus/, index/."""
    base = starter.base
    assert (starter.returncode, starter.stderr) == (0, "")
    passages = len(
        (base / "index" / (base / "index" / "CURRENT").read_text().strip() / "chunks.jsonl").read_text().splitlines()
    )
    assert re.fullmatch(
        rf"indexed 5 file\(s\), reused 0, skipped 0; {passages} passages in index \(\d+\.\ds\)\n", starter.stdout
    )
    return base


def _search(base: Path, *args: str) -> list[dict[str, Any]]:
    done = _run(["search", *args, "--corpus", "corpus", "--index", "index"], base, timeout=300)
    assert (done.returncode, done.stderr) == (0, "")
    return [json.loads(line) for line in done.stdout.splitlines()]


def _covers(base: Path, result: dict[str, Any]) -> bool:
    """The result's span of its file, as Python reads it, holds the passage (cleaning only removes): the span
    begins and ends with the passage, or, for a run of sentences cut from a stored passage, holds it inside."""
    with open(base / "corpus" / result["doc"], encoding="utf-8") as handle:
        span = handle.read()[result["start"] : result["end"]]
    rest = iter(normalise(span))
    whole = span[:1] == result["text"][:1] and span[-1:] == result["text"][-1:]
    return all(ch in rest for ch in normalise(result["text"])) and (whole or len(span) > len(result["text"]))


@pytest.mark.slow
def test_search_json_contract(built: Path) -> None:
    [out] = _search(built, "What did clinical leaders contribute to STP governance?", "--json")
    assert (set(out), out["id"], out["question"]) == (
        {"id", "question", "results"},
        None,
        "What did clinical leaders contribute to STP governance?",
    )
    ranks = [r["rank"] for r in out["results"]]
    assert (ranks, sum(len(r["text"]) for r in out["results"]) <= 5000) == (list(range(1, len(ranks) + 1)), True)
    assert len(ranks) > 5  # whole passages, then single sentences from more of the papers
    for result in out["results"]:
        assert set(result) == RESULT_KEYS
        assert (result["page"], _covers(built, result)) == (None, True)
    titles = {entry.meta.work: entry.meta.title for entry in load_catalog(ROOT / "corpus").values()}
    assert [r["title"] for r in out["results"]] == [titles[r["work"]] for r in out["results"]]


@pytest.mark.slow
def test_search_k(built: Path) -> None:
    [out] = _search(built, "What is shared leadership?", "--json", "-k", "2")
    assert [r["rank"] for r in out["results"]] == [1, 2]


@pytest.mark.slow
def test_batch_gives_one_line_per_question(built: Path) -> None:
    questions = [
        {"id": "q1", "question": "What is shared leadership?"},
        {"id": "q2", "question": "Who funded the Aufegger study?"},
        {"id": 3, "question": "What is collaborative leadership?"},
    ]
    lines = "\n".join(json.dumps(q) for q in questions[:2]) + "\n\n" + json.dumps(questions[2]) + "\n"
    (built / "batch.jsonl").write_text(lines, encoding="utf-8")
    out = _search(built, "--batch", "batch.jsonl")
    assert [(o["id"], o["question"], set(o)) for o in out] == [
        (q["id"], q["question"], {"id", "question", "results"}) for q in questions
    ]
    sizes = [(len(o["results"]) > 5, sum(len(r["text"]) for r in o["results"]) <= 5000) for o in out]
    assert sizes == [(True, True)] * 3
    assert all(_covers(built, r) for o in out for r in o["results"])


@pytest.mark.slow
def test_real_model_finds_the_aufegger_sample(built: Path) -> None:
    [out] = _search(built, AUFEGGER_QUESTION, "--json")
    top = [(r["work"], "Twenty" in r["text"]) for r in out["results"]]
    assert ("aufegger-2020", True) in top


@pytest.mark.slow
def test_second_index_run_reuses_every_file(built: Path) -> None:
    done = _run(["index", "--corpus", "corpus", "--index", "index", "-q"], built)
    assert (done.returncode, done.stderr) == (0, "")
    assert re.fullmatch(r"indexed 0 file\(s\), reused 5, skipped 0; \d+ passages in index \(\d+\.\ds\)\n", done.stdout)
