"""The `rag` command: parses arguments, calls the library, prints. A RagError becomes one line on stderr."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from rag.errors import BadQuestionError, RagError
from rag.settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cited answers from research papers.")

CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="Folder of papers (default: corpus/).")]
IndexOpt = Annotated[Path | None, typer.Option("--index", help="Folder of the index (default: index/).")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="A rag.toml settings file.")]


def _settings(corpus: Path | None, index: Path | None, config: Path | None, **extra: Any) -> Settings:
    overrides: dict[str, Any] = {"index_dir": index}
    if corpus is not None:
        overrides["corpus"] = {"dir": corpus}
    overrides.update(extra)
    return load_settings(config, **overrides)


def _read_batch(path: Path) -> Iterator[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise RagError(
            f'batch file {path} not found: pass a JSONL file with one {{"id", "question"}} per line'
        ) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RagError(f'{path}:{n}: not valid JSON ({exc.msg}); each line must be {{"id", "question"}}') from exc
        if not isinstance(item, dict) or not str(item.get("question", "")).strip():
            raise BadQuestionError(f'{path}:{n}: no "question" field; each line must be {{"id", "question"}}')
        yield item


def _assistant(settings: Settings) -> Any:
    from rag.assistant import Assistant

    return Assistant(settings)


@app.command()
def index(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Index the papers in the corpus folder (only new or changed files are embedded)."""
    settings = _settings(corpus, index, config)
    report = _assistant(settings).build(progress=not quiet)
    for message in report.skipped.values():
        typer.echo(f"skipped: {message}", err=True)
    typer.echo(
        f"indexed {len(report.indexed)} file(s), reused {len(report.reused)}, skipped {len(report.skipped)}; "
        f"{report.chunks} passages in {settings.index_dir} ({report.seconds:.1f}s)"
    )


@app.command()
def search(
    question: Annotated[str | None, typer.Argument(help="The question.")] = None,
    k: Annotated[int | None, typer.Option("-k", help="Number of passages.", min=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON result contract.")] = False,
    batch: Annotated[Path | None, typer.Option("--batch", help="JSONL of {id, question}; JSON lines out.")] = None,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Find the passages that answer a question."""
    settings = _settings(corpus, index, config)
    assistant = _assistant(settings)
    items = list(_read_batch(batch)) if batch else [{"id": None, "question": question or ""}]
    if not batch and not (question or "").strip():
        raise BadQuestionError('no question given: rag search "your question" (or --batch FILE.jsonl)')
    for item in items:
        hits = assistant.retriever.search(str(item["question"]), k=k)
        result = {"id": item.get("id"), "question": item["question"], "results": [h.to_dict() for h in hits]}
        if as_json or batch:
            typer.echo(json.dumps(result, ensure_ascii=False))
            continue
        for hit in hits:
            c = hit.chunk
            where = f"{c.doc}" + (f" p.{c.page}" if c.page else "") + f" [{c.start}:{c.end}]"
            typer.echo(f"{hit.rank}. {c.title} — {c.section} ({where}) score {hit.score:.4f}")
            typer.echo(f"   {c.text}\n")


def _print_answer(answer: dict[str, Any]) -> None:
    from rag.references import reference_list

    typer.echo(answer["answer"])
    if answer["abstained"]:
        if answer["retrieved"]:
            typer.echo("\nRelated, but not an answer:")
            for r in answer["retrieved"][:3]:
                typer.echo(f"  - {r['title']} — {r['section']}: {r['text'][:160]}…")
        return
    typer.echo("\nReferences")
    for number, ref in reference_list(answer["citations"], "apa"):
        typer.echo(f"  {number}. {ref}")
    typer.echo("\nQuoted passages")
    for c in answer["citations"]:
        page = f", p. {c['page']}" if c.get("page") else ""
        typer.echo(f"  [{c['n']}] {c['section']}{page} ({c['doc']} {c['start']}-{c['end']}): “{c['quote']}”")
    for note in answer.get("notes", []):
        typer.echo(f"\nnote: {note}")


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer contract.")] = False,
    batch: Annotated[Path | None, typer.Option("--batch", help="JSONL of {id, question}; JSON lines out.")] = None,
    history: Annotated[list[str] | None, typer.Option("--history", help="An earlier question (repeatable).")] = None,
    backend: Annotated[str | None, typer.Option("--backend", help="extractive | ollama | openai | gguf")] = None,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Answer a question from the papers, citing a passage for every sentence."""
    extra = {"answering": {"backend": backend}} if backend else {}
    settings = _settings(corpus, index, config, **extra)
    assistant = _assistant(settings)
    if batch:
        items = list(_read_batch(batch))
    elif (question or "").strip():
        items = [{"id": None, "question": question, "history": history or []}]
    else:
        raise BadQuestionError('no question given: rag ask "your question" (or --batch FILE.jsonl)')
    for item in items:
        answer = assistant.ask(str(item["question"]), item.get("history", ()), qid=item.get("id")).to_dict()
        if as_json or batch:
            typer.echo(json.dumps(answer, ensure_ascii=False))
        else:
            _print_answer(answer)


@app.command("eval")
def eval_(
    qa: Annotated[Path | None, typer.Option("--qa", help="QA file (default: evals/dev_qa.jsonl).")] = None,
    answers: Annotated[Path | None, typer.Option("--answers", help="Score these answers (JSON lines) instead.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the run here (default: evals/runs/<new>).")] = None,
    compare: Annotated[
        tuple[Path, Path] | None, typer.Option("--compare", help="Show what moved between two runs.")
    ] = None,
    floors: Annotated[
        bool, typer.Option("--floors/--no-floors", help="Fail when a metric is below its floor.")
    ] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N questions.", min=1)] = None,
    judge: Annotated[
        str, typer.Option("--judge", help="offline (default), or llm: the configured answering.* chat model judges.")
    ] = "offline",
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Score answers on a QA file: retrieval, citations, faithfulness, key points, abstention, latency."""
    from rag.evals.floors import check_floors
    from rag.evals.report import HEADLINE, compare_runs, format_metric
    from rag.evals.runner import evaluate, read_jsonl, run_folder

    if compare:
        typer.echo(compare_runs(*compare))
        return
    settings = _settings(corpus, index, config)
    if judge not in ("offline", "llm"):
        raise RagError(f"unknown judge '{judge}': use --judge offline or --judge llm")
    llm_judge = None
    if judge == "llm":
        from rag.evals.llm_judge import LLMJudge
        from rag.generative import chat_model_for

        if settings.answering.backend == "extractive":
            raise RagError("--judge llm needs a chat model: set answering.backend (ollama, openai or gguf)")
        llm_judge = LLMJudge(chat_model_for(settings.answering))
    items = read_jsonl(qa or settings.evals.qa, "QA")[:limit]
    out_dir = out or run_folder(settings.evals.runs_dir, settings.fingerprint())
    meta: dict[str, Any] = {"qa": str(qa or settings.evals.qa), "settings": settings.fingerprint()}
    if answers is not None:
        given = {str(a.get("id")): a for a in read_jsonl(answers, "answers")}
        metrics = evaluate(items, None, given, out_dir, {**meta, "answers": str(answers)}, judge=llm_judge)
    else:
        assistant = _assistant(settings)
        _ = assistant.chain  # load the model before timing starts
        metrics = evaluate(
            items,
            lambda i: assistant.ask(str(i["question"]), qid=i.get("id")).to_dict(),
            None,
            out_dir,
            {**meta, "backend": settings.answering.backend},
            similarity=assistant.chain._similarity,
            judge=llm_judge,
        )
    for key in HEADLINE:
        value = metrics.get(key)
        if isinstance(value, int | float):
            typer.echo(f"{key:22} {format_metric(float(value), key)}")
    typer.echo(f"report: {out_dir / 'report.html'}")
    if floors:
        breaches = check_floors(metrics, settings.evals.floors)
        for message in breaches:
            typer.echo(f"below floor: {message}", err=True)
        if breaches:
            raise typer.Exit(1)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app(standalone_mode=False)
    except RagError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        # Usage errors (typer's vendored click) arrive here in non-standalone mode: show them as click would.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise


if __name__ == "__main__":
    main()
