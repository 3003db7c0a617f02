"""Report files, the escaped HTML worst-question list, run comparison and metric floors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from rag.errors import SettingsError
from rag.evals.floors import check_floors
from rag.evals.metrics import QuestionScore, aggregate
from rag.evals.report import JUDGE, by_type_table, compare_runs, write_report

NASTY = "Is <script>alert('x')</script> & \"value\" safe?"


def _score(
    qid: str, question: str, quality: float, failures: tuple[str, ...], total_ms: float
) -> QuestionScore:
    return QuestionScore(
        id=qid,
        type="factoid",
        difficulty="easy",
        answerable=True,
        abstained=False,
        question=question,
        answer="Leaders <b>share</b> power [1].",
        n_facts=1,
        abstention_correct=None,
        false_refusal=False,
        cited=("[1] walsh-2023-practice-of-collaborative-leadership.txt p.12: power & trust",),
        latency_ms={"retrieve": total_ms / 4, "answer": total_ms / 2, "total": total_ms},
        recall_at={1: 1.0, 3: 1.0, 5: 1.0, 10: 1.0},
        hit_at={1: 1.0, 3: 1.0, 5: 1.0, 10: 1.0},
        reciprocal_rank=1.0,
        citation_validity=1.0,
        citation_recall=quality,
        faithfulness=quality,
        key_point_recall=quality,
        failures=failures,
        quality=quality,
    )


SCORES = [
    _score("q001", "How is power shared?", 1.0, (), 120.0),
    _score(
        "q002", NASTY, 0.0, ("unsupported sentence: Leaders <b>share</b> power. (missing names: X&Y)",), 340.0
    ),
]
META = {"run": "dev-2024 <a>", "judge_agreement": 1.0, "judge_cases": 27, "backend": "extractive"}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    write_report(out, aggregate(SCORES), SCORES, META)
    return out


def test_report_files_are_written(run_dir: Path) -> None:
    assert sorted(p.name for p in run_dir.iterdir()) == [
        "metrics.json",
        "per_question.jsonl",
        "report.html",
        "report.md",
    ]
    assert json.loads((run_dir / "metrics.json").read_text())["faithfulness"] == 0.5
    rows = [json.loads(line) for line in (run_dir / "per_question.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["q001", "q002"]
    assert rows[1]["recall_at"] == {"1": 1.0, "3": 1.0, "5": 1.0, "10": 1.0}


def test_html_escapes_the_worst_question_and_embeds_svg(run_dir: Path) -> None:
    page = (run_dir / "report.html").read_text()
    assert "Is &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;value&quot; safe?" in page
    assert "<script>" not in page
    assert "Leaders &lt;b&gt;share&lt;/b&gt; power [1]." in page
    assert "(missing names: X&amp;Y)" in page
    assert page.count("<svg") == 3
    assert "dev-2024 &lt;a&gt;" in page
    assert "How is power shared?" not in page  # only questions with failures are listed as worst


def test_by_type_table_counts_questions_and_shows_the_budget_recall(run_dir: Path) -> None:
    md = (run_dir / "report.md").read_text()
    header = next(line for line in md.splitlines() if line.startswith("| type | questions |"))
    assert header.split(" | ")[2:4] == ["retrieval_recall@5", "retrieval_recall@5000c"]
    row = next(line for line in md.splitlines() if line.startswith("| factoid |"))
    assert row.split(" | ")[1:3] == ["2", "1.000"]
    assert "<th>type</th><th>questions</th>" in (run_dir / "report.html").read_text()
    assert "| retrieval_recall@5000c | n/a | share of gold facts hit by the retrieved passages in rank order" in md


def test_by_type_table_for_the_command_line() -> None:
    metrics = aggregate([*SCORES, replace(SCORES[0], id="q003", type="list", key_point_recall=0.5)])
    lines = by_type_table(metrics).splitlines()
    assert lines[0].split() == [
        "type", "n", "recall@5000c", "hit@5000c", "recall@5", "key_points", "coverage", "words_p50", "refused",
        "abstained",
    ]  # fmt: skip
    assert lines[1].split() == ["factoid", "2", "n/a", "n/a", "1.000", "0.500", "n/a", "n/a", "0.000", "n/a"]
    assert lines[2].split() == ["list", "1", "n/a", "n/a", "1.000", "0.500", "n/a", "n/a", "0.000", "n/a"]
    assert lines[3].split()[:2] == ["all", "3"]


def test_header_states_the_judge_honestly(run_dir: Path) -> None:
    line = f"Support judge: {JUDGE}. Agreement with the crafted labelled cases of 27: 100%."
    assert JUDGE == "lexical + numeric grounding + embedding similarity, no NLI/LLM judge"
    assert line in (run_dir / "report.md").read_text()
    assert line in (run_dir / "report.html").read_text()


def test_judge_line_says_when_similarity_was_off(tmp_path: Path) -> None:
    write_report(tmp_path, aggregate(SCORES), SCORES, {**META, "judge_similarity": False})
    assert f"{JUDGE} (embedding similarity was off in this run)." in (tmp_path / "report.md").read_text()


def _metrics_file(path: Path, metrics: dict[str, Any]) -> Path:
    path.mkdir()
    (path / "metrics.json").write_text(json.dumps(metrics))
    return path


def test_compare_runs_names_moved_metrics_with_delta(tmp_path: Path) -> None:
    run_a = {"faithfulness": 0.5, "false_refusal_rate": 0.1, "mrr": 0.7, "latency_total_p50_ms": 200.0}
    run_b = {"faithfulness": 0.75, "false_refusal_rate": 0.2, "mrr": 0.7, "latency_total_p50_ms": 150.0}
    a = _metrics_file(tmp_path / "a", {**run_a, "counts": {"questions": 5}})
    b = _metrics_file(tmp_path / "b", {**run_b, "abstention_accuracy": 0.9})
    table = compare_runs(a, b).splitlines()
    assert "| faithfulness | 0.500 | 0.750 | +0.250 | ↑ |" in table
    assert "| false_refusal_rate | 0.100 | 0.200 | +0.100 | ↓ |" in table
    assert "| mrr | 0.700 | 0.700 | +0.000 | = |" in table
    assert "| latency_total_p50_ms | 200.0 | 150.0 | -50.0 | ↑ |" in table
    assert "| abstention_accuracy | n/a | 0.900 | n/a |  |" in table
    assert not any(row.startswith("| counts") for row in table)


def test_compare_runs_shows_the_main_metrics_per_type(tmp_path: Path) -> None:
    by_type_a = {"list": {"retrieval_recall@5000c": 0.5, "false_refusal_rate": 0.1, "answer_words_p50": 130.0}}
    by_type_b = {"list": {"retrieval_recall@5000c": 0.625, "false_refusal_rate": 0.0, "answer_words_p50": 120.0}}
    a = _metrics_file(tmp_path / "a", {"mrr": 0.5, "by_type": by_type_a})
    b = _metrics_file(tmp_path / "b", {"mrr": 0.5, "by_type": by_type_b})
    table = compare_runs(a, b).splitlines()
    assert "| by_type.list.retrieval_recall@5000c | 0.500 | 0.625 | +0.125 | ↑ |" in table
    assert "| by_type.list.false_refusal_rate | 0.100 | 0.000 | -0.100 | ↑ |" in table
    assert "| by_type.list.answer_words_p50 | 130 | 120 | -10.000 | ↓ |" in table
    assert "| by_type.list.key_point_recall | n/a | n/a | n/a |  |" not in table  # absent from both: not listed


@pytest.mark.parametrize(
    ("floors", "expected"),
    [
        ("[floors]\nfaithfulness = 0.95\nmrr = 0.5\n", ["faithfulness 0.900 is below its floor 0.95"]),
        ("[floors]\nfaithfulness = 0.9\n", []),
        ("[floors]\nfaithfulnes = 0.9\n", ["faithfulnes: missing from the run's metrics (floor 0.9)"]),
        ("[ceilings]\nfalse_refusal_rate = 0.05\n", ["false_refusal_rate 0.100 is above its ceiling 0.05"]),
        (
            '[floors]\n"by_type.list.mrr" = 0.5\n"by_type.multi_doc.mrr" = 0.5\n"by_type.numeric.mrr" = 0.1\n',
            [
                "by_type.multi_doc.mrr 0.400 is below its floor 0.5",
                "by_type.numeric.mrr: missing from the run's metrics (floor 0.1)",
            ],
        ),
        (
            "[floors]\nabstention_accuracy = 0.8\n",
            ["abstention_accuracy: missing from the run's metrics (floor 0.8)"],
        ),
    ],
)
def test_check_floors(tmp_path: Path, floors: str, expected: list[str]) -> None:
    path = tmp_path / "floors.toml"
    path.write_text(floors)
    metrics = {
        "faithfulness": 0.9, "mrr": 0.6, "false_refusal_rate": 0.1, "abstention_accuracy": None,
        "by_type": {"list": {"mrr": 0.7}, "multi_doc": {"mrr": 0.4}},
    }  # fmt: skip
    assert check_floors(metrics, path) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "floors file {path} not found: create it or point evals.floors at one"),
        ("[floor]\nmrr = 1\n", "floors file {path} has unknown table(s) ['floor']: use [floors]"),
    ],
)
def test_bad_floors_file_fails_with_one_clear_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "floors.toml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SettingsError) as error:
        check_floors({"mrr": 1.0}, path)
    assert str(error.value) == message.format(path=path)


def test_invalid_floors_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "floors.toml"
    path.write_text("[floors\n")
    with pytest.raises(SettingsError) as error:
        check_floors({"mrr": 1.0}, path)
    assert str(error.value).startswith(f"floors file {path} is not valid TOML (")


def test_evaluation_page_reads_a_per_type_floor() -> None:
    from ui.evaluation import metric_rows

    metrics = {"by_type": {"list": {"retrieval_recall@5000c": 0.6}}}
    rows = metric_rows(metrics, {"by_type.list.retrieval_recall@5000c": ("floor", 0.62)})
    row = next(r for r in rows if "list.retrieval recall@5000c" in r["Metric"])
    assert (row["Value"], row["Limit"], row[""]) == ("0.600", "at least 0.620", "BELOW its floor")
