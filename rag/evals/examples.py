"""Example answers a report shows beside its figures: evidence tables (an answer's `by_paper` rows and
`disagreements`) and answers that say the papers do not cover what was asked.

Input: the answer JSON (either field may be absent) and the per-question rows of a run; output: the fields a
per-question score keeps, and Markdown / HTML sections.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

EXAMPLES_N = 5
NOT_COVERED_N = 10
# An answer saying the papers do not cover something: "The papers do not report on mortality.", or inside a
# refusal, "(the papers never mention dentists)".
_NOT_COVERED = re.compile(
    r"(?:^|(?<=[.!?(]\s)|(?<=\())\s*(?:(?:the|these) (?:papers?|documents?|studies|sources)\s+"
    r"(?:(?:do|does|did)\s*(?:not|n't)|never)|none of the (?:papers|documents|studies|sources))\s+"
    r"(?:report|cover|mention|discuss|address|describe|study|say anything|give|name|measure|include|hold|contain)"
    r"\w*\b[^.!?)]*[.!?]?",
    re.IGNORECASE,
)


def _text_of(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("text") or value.get("quote") or "")
    return str(value)


def _citation_of(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("n") or value.get("chunk_id") or "")
    return str(value)


def evidence_rows(answer: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The answer's `by_paper` rows as plain dicts: work, sentences (texts), citations (numbers), addressed."""
    rows = []
    for row in answer.get("by_paper") or ():
        if not isinstance(row, Mapping):
            continue
        sentences = [_text_of(s) for s in row.get("sentences") or ()]
        citations = [_citation_of(c) for c in row.get("citations") or ()]
        addressed = row.get("addressed")
        rows.append(
            {
                "work": str(row.get("work") or row.get("title") or "?"),
                "sentences": [s for s in sentences if s],
                "citations": [c for c in citations if c],
                "addressed": bool(sentences) if addressed is None else bool(addressed),
            }
        )
    return tuple(rows)


def disagreements(answer: Mapping[str, Any]) -> tuple[str, ...]:
    """The answer's `disagreements` as text lines (a string, a list of strings or of {"text": ...})."""
    value = answer.get("disagreements") or ()
    items = [value] if isinstance(value, str | Mapping) else list(value)
    return tuple(t for t in (_text_of(i).strip() for i in items) if t)


def not_covered(answer: Mapping[str, Any]) -> str:
    """The answer's statement that the papers do not cover something ("" if none): the answer's own
    `not_covered` field when it has one, else a sentence such as "The papers do not report on X." or a refusal's
    "(the papers never mention X)"."""
    given = answer.get("not_covered")
    if given:
        return "; ".join(map(str, given)) if isinstance(given, list | tuple) else str(given)
    match = _NOT_COVERED.search(str(answer.get("answer") or ""))
    return match.group(0).strip() if match else ""


def _tables(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    with_table = [r for r in rows if r.get("by_paper")]
    # across-papers questions first, then by id, so a report shows the kind of question tables are for
    return sorted(with_table, key=lambda r: (r.get("type") != "multi_doc", str(r.get("id"))))[:EXAMPLES_N]


def _not_covered_rows(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    found = [r for r in rows if r.get("not_covered")]
    # the wrong ones first: answerable questions the answer says the papers do not cover
    return sorted(found, key=lambda r: (not r.get("answerable"), str(r.get("id"))))[:NOT_COVERED_N]


def _verdict(row: Mapping[str, Any]) -> str:
    if row.get("answerable"):
        return f"wrong: the papers answer it ({row.get('n_facts', 0)} gold fact(s))"
    return "right: the papers do not answer it"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def examples_markdown(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Markdown lines: evidence tables, then the 'not covered' answers (each section only when there is one)."""
    lines: list[str] = []
    tables = _tables(rows)
    if tables:
        lines += ["## Evidence tables", ""]
        for r in tables:
            lines += [f"### {r.get('id')} ({r.get('type')})", "", f"Q: {r.get('question')}", ""]
            lines += ["| work | addressed | sentences | citations |", "| --- | --- | --- | --- |"]
            for p in r["by_paper"]:
                said = " ".join(p["sentences"]) or "not addressed"
                cites = ", ".join(f"[{c}]" for c in p["citations"])
                lines.append(f"| {_cell(p['work'])} | {'yes' if p['addressed'] else 'no'} | {_cell(said)} | {cites} |")
            lines += [""] + [f"- disagreement: {d}" for d in r.get("disagreements") or ()]
            lines += [""] if r.get("disagreements") else []
    covered = _not_covered_rows(rows)
    if covered:
        lines += ["## Not covered", "", "Answers that say the papers do not cover what was asked.", ""]
        for r in covered:
            lines += [
                f"- {r.get('id')} ({r.get('type')}; {_verdict(r)}): Q: {r.get('question')} A: {r.get('not_covered')}"
            ]
        lines.append("")
    return lines


def examples_html(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The same sections as HTML fragments, every text escaped."""
    e = html.escape
    out: list[str] = []
    tables = _tables(rows)
    if tables:
        out.append("<h2>Evidence tables</h2>")
        for r in tables:
            out.append(
                f"<div class='worst'><h3>{e(str(r.get('id')))} ({e(str(r.get('type')))})</h3>"
                f"<p><b>Q:</b> {e(str(r.get('question')))}</p><table class='evidence'><tr><th>work</th>"
                "<th>addressed</th><th>sentences</th><th>citations</th></tr>"
            )
            for p in r["by_paper"]:
                said = " ".join(p["sentences"]) or "not addressed"
                cites = ", ".join(f"[{c}]" for c in p["citations"])
                out.append(
                    f"<tr><td>{e(p['work'])}</td><td>{'yes' if p['addressed'] else 'no'}</td>"
                    f"<td>{e(said)}</td><td>{e(cites)}</td></tr>"
                )
            out.append("</table>")
            out += [f"<p class='fail'>disagreement: {e(d)}</p>" for d in r.get("disagreements") or ()]
            out.append("</div>")
    covered = _not_covered_rows(rows)
    if covered:
        out.append("<h2>Not covered</h2><p>Answers that say the papers do not cover what was asked.</p><ul>")
        out += [
            f"<li><b>{e(str(r.get('id')))}</b> ({e(str(r.get('type')))}; {e(_verdict(r))}): "
            f"Q: {e(str(r.get('question')))} A: {e(str(r.get('not_covered')))}</li>"
            for r in covered
        ]
        out.append("</ul>")
    return out
