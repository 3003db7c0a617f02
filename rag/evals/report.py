"""Write a run's metrics, per-question scores and Markdown + self-contained HTML reports; compare two runs."""

from __future__ import annotations

import html
import io
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rag.evals.examples import examples_html, examples_markdown
from rag.evals.metrics import K_VALUES, LOWER_IS_BETTER, METRIC_DEFINITIONS, STAGES, QuestionScore

log = logging.getLogger(__name__)

JUDGE = "lexical + numeric grounding + embedding similarity, no NLI/LLM judge"
HEADLINE = (
    "retrieval_recall@5",
    "retrieval_recall@5000c",
    "retrieval_hit@5000c",
    "evidence_indexed",
    "mrr",
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "evidence_coverage",
    "faithfulness",
    "key_point_recall",
    "answer_words_p50",
    "abstention_accuracy",
    "false_refusal_rate",
)
TYPE_SERIES = ("key_point_recall", "evidence_coverage", "retrieval_recall@5000c")
BY_TYPE_COLUMNS = (  # (short label, metric) for the table `rag eval` prints
    ("recall@5000c", "retrieval_recall@5000c"),
    ("hit@5000c", "retrieval_hit@5000c"),
    ("recall@5", "retrieval_recall@5"),
    ("key_points", "key_point_recall"),
    ("coverage", "evidence_coverage"),
    ("words_p50", "answer_words_p50"),
    ("refused", "false_refusal_rate"),
    ("abstained", "abstention_accuracy"),
)
WORST_N = 10
_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "table{border-collapse:collapse;margin:1rem 0}"
    "td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".worst{border-top:1px solid #ddd;padding-top:.5rem}.fail{color:#a00}"
    ".judge{background:#f6f6f6;padding:.6rem;border-left:4px solid #888}svg{max-width:100%;height:auto}"
)


def _as_dict(row: QuestionScore | Mapping[str, Any]) -> dict[str, Any]:
    return row.to_dict() if isinstance(row, QuestionScore) else dict(row)


def format_metric(value: Any, key: str = "") -> str:
    """A metric as every report and command prints it (a word count whole, latencies to 0.1 ms, others 0.001)."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        if key == "answer_words_p50":
            return f"{value:.0f}"
        return f"{value:.1f}" if key.startswith("latency_") else f"{value:.3f}"
    return str(value)


def by_type_table(metrics: Mapping[str, Any]) -> str:
    """A fixed-width table of the main metrics per question type (and overall), as `rag eval` prints it."""
    lines = [f"{'type':14} {'n':>3} " + " ".join(f"{label:>12}" for label, _ in BY_TYPE_COLUMNS)]
    rows = [*(metrics.get("by_type") or {}).items(), ("all", metrics)]
    for t, m in rows:
        n = (m.get("counts") or {}).get("questions", "")
        lines.append(f"{t:14} {n:>3} " + " ".join(f"{format_metric(m.get(k), k):>12}" for _, k in BY_TYPE_COLUMNS))
    return "\n".join(lines)


def _judge_line(meta: Mapping[str, Any]) -> str:
    agreement = meta.get("judge_agreement")
    measured = f"{float(agreement):.0%}" if agreement is not None else "not measured"
    cases = f" of {meta['judge_cases']}" if meta.get("judge_cases") else ""
    off = " (embedding similarity was off in this run)" if meta.get("judge_similarity") is False else ""
    return f"Support judge: {JUDGE}{off}. Agreement with the crafted labelled cases{cases}: {measured}."


def _worst(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    failed = [r for r in rows if r.get("failures")]
    return sorted(failed, key=lambda r: (float(r.get("quality", 0.0)), str(r.get("id"))))[:WORST_N]


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _plots(metrics: Mapping[str, Any], rows: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Three inline SVG plots: per-type bars, recall@k curve, latency histogram (matplotlib, Agg canvas)."""
    import matplotlib

    # Stable element ids and real <text> (not glyph paths), so reports stay small and diff cleanly.
    with matplotlib.rc_context({"svg.hashsalt": "rag-evals", "svg.fonttype": "none"}):
        return _draw_plots(metrics, rows)


def _draw_plots(metrics: Mapping[str, Any], rows: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    plots: list[tuple[str, str]] = []
    by_type: Mapping[str, Mapping[str, Any]] = metrics.get("by_type") or {}
    types = list(by_type)
    fig = Figure(figsize=(8, 3.2))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    width = 0.8 / len(TYPE_SERIES)
    for i, name in enumerate(TYPE_SERIES):
        values = [by_type[t].get(name) or 0.0 for t in types]
        ax.bar([x + i * width for x in range(len(types))], values, width, label=name)
    ax.set_xticks([x + width for x in range(len(types))], types, rotation=20, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Per question type (n/a shown as 0)", fontsize=9)
    fig.tight_layout()
    plots.append(("Per-type quality", _svg(fig)))

    fig = Figure(figsize=(5, 3))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for name in ("retrieval_recall", "retrieval_hit"):
        ax.plot(K_VALUES, [metrics.get(f"{name}@{k}") or 0.0 for k in K_VALUES], marker="o", label=name)
    ax.set_xticks(K_VALUES)
    ax.set_xlabel("k")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7)
    ax.set_title("Gold evidence in the top k", fontsize=9)
    fig.tight_layout()
    plots.append(("Recall@k", _svg(fig)))

    fig = Figure(figsize=(5, 3))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    drawn = False
    for stage in STAGES:
        times = [float(r["latency_ms"][stage]) for r in rows if stage in (r.get("latency_ms") or {})]
        if times:
            ax.hist(times, bins=20, alpha=0.5, label=stage)
            drawn = True
    ax.set_xlabel("ms")
    ax.set_ylabel("questions")
    if drawn:  # answers scored from a file may carry no timings
        ax.legend(fontsize=7)
    ax.set_title("Latency per question", fontsize=9)
    fig.tight_layout()
    plots.append(("Latency", _svg(fig)))
    return plots


def _metric_rows(metrics: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for key in HEADLINE:
        definition = METRIC_DEFINITIONS.get(key) or METRIC_DEFINITIONS.get(key.replace("@5", "@k"), "")
        rows.append((key, format_metric(metrics.get(key), key), definition))
    return rows


def _markdown(metrics: Mapping[str, Any], rows: Sequence[dict[str, Any]], meta: Mapping[str, Any]) -> str:
    lines = [f"# Eval report: {meta.get('run', '')}", "", _judge_line(meta), ""]
    lines += [f"- {k}: {v}" for k, v in meta.items() if k not in ("judge_agreement", "judge_cases")]
    lines += ["", "| metric | value | averaged over |", "| --- | ---: | --- |"]
    lines += [f"| {k} | {v} | {d} |" for k, v, d in _metric_rows(metrics)]
    lines += ["", "## By question type", "", "| type | questions | " + " | ".join(HEADLINE) + " |"]
    lines.append("| --- | ---: |" + " ---: |" * len(HEADLINE))
    for t, m in (metrics.get("by_type") or {}).items():
        cells = [str((m.get("counts") or {}).get("questions", "")), *(format_metric(m.get(k), k) for k in HEADLINE)]
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    lines += ["", *examples_markdown(rows), "## Worst questions", ""]
    for r in _worst(rows):
        lines += [
            f"### {r.get('id')} ({r.get('type')}, quality {format_metric(r.get('quality'))})",
            "",
            f"Q: {r.get('question')}",
            "",
            f"A: {r.get('answer')}",
            "",
        ]
        lines += [f"- cited {c}" for c in r.get("cited") or []]
        lines += [f"- FAILED {f}" for f in r.get("failures") or []] + [""]
    return "\n".join(lines) + "\n"


def _html(metrics: Mapping[str, Any], rows: Sequence[dict[str, Any]], meta: Mapping[str, Any]) -> str:
    e = html.escape
    out = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Eval report {e(str(meta.get('run', '')))}"
        f"</title><style>{_CSS}</style></head><body>",
        f"<h1>Eval report {e(str(meta.get('run', '')))}</h1>",
        f"<p class='judge'>{e(_judge_line(meta))}</p>",
        "<table>"
        + "".join(
            f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>"
            for k, v in meta.items()
            if k not in ("judge_agreement", "judge_cases")
        )
        + "</table>",
        "<h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>averaged over</th></tr>",
    ]
    out += [
        f"<tr><td>{e(k)}</td><td class='num'>{e(v)}</td><td>{e(d)}</td></tr>"
        for k, v, d in _metric_rows(metrics)
    ]
    out.append(
        "</table><h2>By question type</h2><table><tr><th>type</th><th>questions</th>"
        + "".join(f"<th>{e(k)}</th>" for k in HEADLINE)
        + "</tr>"
    )
    for t, m in (metrics.get("by_type") or {}).items():
        out.append(
            f"<tr><td>{e(t)}</td><td class='num'>{(m.get('counts') or {}).get('questions', '')}</td>"
            + "".join(f"<td class='num'>{e(format_metric(m.get(k), k))}</td>" for k in HEADLINE)
            + "</tr>"
        )
    out.append("</table>")
    out += [f"<h2>{e(title)}</h2>{svg}" for title, svg in _plots(metrics, rows)]
    out += examples_html(rows)
    out.append("<h2>Worst questions</h2>")
    for r in _worst(rows):
        out.append(
            f"<div class='worst'><h3>{e(str(r.get('id')))} ({e(str(r.get('type')))}, quality "
            f"{e(format_metric(r.get('quality')))})</h3><p><b>Q:</b> {e(str(r.get('question')))}</p>"
            f"<p><b>A:</b> {e(str(r.get('answer')))}</p><ul>"
            + "".join(f"<li>{e(str(c))}</li>" for c in r.get("cited") or [])
            + "".join(f"<li class='fail'>{e(str(f))}</li>" for f in r.get("failures") or [])
            + "</ul></div>"
        )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(out_dir: Path, metrics: dict, per_question: list, meta: dict) -> None:
    """Write metrics.json, per_question.jsonl, report.md and a self-contained report.html into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [_as_dict(q) for q in per_question]
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out_dir / "per_question.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    (out_dir / "report.md").write_text(_markdown(metrics, rows, meta), encoding="utf-8")
    (out_dir / "report.html").write_text(_html(metrics, rows, meta), encoding="utf-8")
    log.info("wrote eval report for %d questions to %s", len(rows), out_dir)


def _load_metrics(run: Path) -> dict[str, Any]:
    """A run's metrics, with the main per-type ones flattened to "by_type.<type>.<metric>" after the rest."""
    path = run / "metrics.json" if run.is_dir() else run
    metrics = json.loads(path.read_text(encoding="utf-8"))
    for qtype, values in (metrics.get("by_type") or {}).items():
        for _, key in BY_TYPE_COLUMNS:
            metrics[f"by_type.{qtype}.{key}"] = (values or {}).get(key)
    return metrics


def _lower_is_better(key: str) -> bool:
    key = key.rsplit(".", 1)[-1]
    return any(key == p or (p.endswith("_") and key.startswith(p)) for p in LOWER_IS_BETTER)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def compare_runs(a: Path, b: Path) -> str:
    """A Markdown table of each numeric metric in runs A and B with B - A; ↑ marks progress, ↓ regression."""
    ma, mb = _load_metrics(a), _load_metrics(b)
    keys = [
        k
        for k in dict.fromkeys([*ma, *mb])
        if _number(ma.get(k)) is not None or _number(mb.get(k)) is not None
    ]
    lines = [f"A: {a}", f"B: {b}", "", "| metric | A | B | B - A | |", "| --- | ---: | ---: | ---: | --- |"]
    for key in keys:
        va, vb = _number(ma.get(key)), _number(mb.get(key))
        arrow, shown = "", "n/a"
        if va is not None and vb is not None:
            delta = vb - va
            better = delta < 0 if _lower_is_better(key) else delta > 0
            arrow = "=" if abs(delta) < 1e-9 else ("↑" if better else "↓")
            shown = f"{delta:+.1f}" if key.startswith("latency_") else f"{delta:+.3f}"
        name = key.rsplit(".", 1)[-1]
        lines.append(f"| {key} | {format_metric(va, name)} | {format_metric(vb, name)} | {shown} | {arrow} |")
    lines += ["", "↑ improvement, ↓ regression (lower is better for false_refusal_rate and latency)."]
    return "\n".join(lines) + "\n"
