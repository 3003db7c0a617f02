"""The Evaluation page: the newest eval run's metrics against their floors, per question type, and its report."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import streamlit as st

from rag.evals.floors import metric_value
from rag.evals.report import HEADLINE, format_metric
from rag.library import latest_eval_run
from rag.settings import Settings

METRIC_NAMES = {
    "retrieval_recall@5": "Retrieval recall@5",
    "mrr": "Mean reciprocal rank",
    "answer_words_p50": "Median answer length (words)",
    "false_refusal_rate": "False refusals",
}
REPORT_HEIGHT = 900


def metric_name(key: str) -> str:
    return METRIC_NAMES.get(key, key.replace("_", " ").capitalize())


def limits(floors: Path) -> dict[str, tuple[str, float]]:
    """metric -> ("floor" or "ceiling", value) from the floors file; {} when there is none."""
    try:
        data = tomllib.loads(floors.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    out = {k: ("floor", float(v)) for k, v in (data.get("floors") or {}).items()}
    out.update({k: ("ceiling", float(v)) for k, v in (data.get("ceilings") or {}).items()})
    return out


def metric_rows(metrics: dict[str, Any], bounds: dict[str, tuple[str, float]]) -> list[dict[str, str]]:
    """One row per headline metric (and any other bounded one): value, its floor or ceiling, and a verdict."""
    rows = []
    for key in [*HEADLINE, *(k for k in bounds if k not in HEADLINE)]:
        value = metric_value(metrics, key)  # a floor may name one type's metric: by_type.<type>.<metric>
        kind, limit = bounds.get(key, ("", 0.0))
        if not isinstance(value, int | float):
            verdict = "missing" if kind else ""
        elif kind == "floor":
            verdict = "meets its floor" if value >= limit else "BELOW its floor"
        elif kind == "ceiling":
            verdict = "within its ceiling" if value <= limit else "ABOVE its ceiling"
        else:
            verdict = ""
        bound = f"{'at least' if kind == 'floor' else 'at most'} {format_metric(limit, key)}" if kind else ""
        rows.append({"Metric": metric_name(key), "Value": format_metric(value, key), "Limit": bound, "": verdict})
    return rows


def type_rows(metrics: dict[str, Any]) -> list[dict[str, str]]:
    """Per question type, the headline metrics that vary by type, formatted like the headline table."""
    shown = ("retrieval_recall@5", "key_point_recall", "evidence_coverage", "faithfulness", "answer_words_p50")
    return [
        {"Question type": t, **{metric_name(k): format_metric(m.get(k), k) for k in shown}}
        for t, m in (metrics.get("by_type") or {}).items()
    ]


def evaluation_page(settings: Settings) -> None:
    st.title("Evaluation")
    run = latest_eval_run(settings.evals.runs_dir)
    if run is None:
        st.info(
            f"No evaluation report yet. Run `make eval` (or `rag eval`): it answers the questions in "
            f"`{settings.evals.qa}` and writes metrics.json and report.html into a new folder under "
            f"`{settings.evals.runs_dir}/`.",
            icon=":material/science:",
        )
        return
    st.caption(f"Latest run: `{run.path}` · limits from `{settings.evals.floors}`")
    rows = metric_rows(run.metrics, limits(settings.evals.floors))
    breaches = [r["Metric"] for r in rows if r[""].startswith(("BELOW", "ABOVE", "missing"))]
    if breaches:
        st.error("Outside their limits: " + ", ".join(breaches), icon=":material/error:")
    else:
        st.success("Every metric is within its floor or ceiling.", icon=":material/check_circle:")
    st.table(rows, hide_index=True, border="horizontal")
    by_type = type_rows(run.metrics)
    if by_type:
        st.subheader("By question type")
        st.dataframe(by_type, hide_index=True, width="stretch")
    with st.expander("The full report (charts, worst questions)", icon=":material/monitoring:"):
        st.iframe(run.path / "report.html", height=REPORT_HEIGHT)
