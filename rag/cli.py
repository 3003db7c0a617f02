"""The `rag` command: parses arguments, calls the library, prints. A RagError becomes one line on stderr."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from rag.adapt import AUTO_MAX_PASSAGES, MAX_PAIRS
from rag.errors import BadQuestionError, RagError
from rag.settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cited answers from research papers.")

CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="Folder of papers (default: corpus/).")]
IndexOpt = Annotated[Path | None, typer.Option("--index", help="Folder of the index (default: index/).")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="A rag.toml settings file.")]
StoreOpt = Annotated[str | None, typer.Option("--store", help="Vector store: faiss | milvus (default: store.backend).")]


def _settings(
    corpus: Path | None, index: Path | None, config: Path | None, store: str | None = None, **extra: Any
) -> Settings:
    overrides: dict[str, Any] = {"index_dir": index}
    if corpus is not None:
        overrides["corpus"] = {"dir": corpus}
    if store is not None:
        overrides["store"] = {"backend": store}
    overrides.update(extra)
    return load_settings(config, **overrides)


BatchLine = tuple[int, dict[str, Any] | None, RagError | None]
_BATCH_FORMAT = 'each line must be {"id", "question"}'


def _read_batch(path: Path) -> Iterator[BatchLine]:
    """(line number, item, None) per usable line, (line number, item or None, error) per bad one.

    A file that is not a JSONL text file at all (a folder, missing, binary) fails as a whole."""
    if path.is_dir():
        raise RagError(f'batch file {path} is a folder: pass a JSONL file with one {{"id", "question"}} per line')
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise RagError(
            f'batch file {path} not found: pass a JSONL file with one {{"id", "question"}} per line'
        ) from exc
    except OSError as exc:
        raise RagError(f"batch file {path} cannot be read ({exc.strerror}): check its permissions") from exc
    if b"\0" in data[:65536]:
        raise RagError(
            f"batch file {path} is binary (or UTF-16), not JSON lines: save it as UTF-8 text, {_BATCH_FORMAT}"
        )
    for n, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield n, None, BadQuestionError(f"{path}:{n}: not valid UTF-8; save the file as UTF-8")
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield n, None, RagError(f"{path}:{n}: not valid JSON ({reason}); {_BATCH_FORMAT}")
            continue
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            yield (
                n,
                item if isinstance(item, dict) else None,
                BadQuestionError(f'{path}:{n}: no "question" text field; {_BATCH_FORMAT}'),
            )
            continue
        history = item.get("history", [])
        item["history"] = [h for h in history if isinstance(h, str)] if isinstance(history, list) else []
        yield n, item, None


def _run_batch(path: Path, answer_one: Any) -> None:
    """Answer every line of a batch file; a bad line gets an error record (and a line on stderr), the rest go on.

    Exits with 2 at the end when any line failed."""
    failed = 0
    for n, item, error in _read_batch(path):
        if error is None and item is not None:
            try:
                typer.echo(json.dumps(answer_one(item), ensure_ascii=False))
                continue
            except BadQuestionError as exc:
                error = exc
        failed += 1
        record_id = item.get("id") if item is not None else None
        message = str(error) if str(error).startswith(f"{path}:") else f"{path}:{n}: {error}"
        # ASCII-escaped: a bad line may hold text (lone surrogates) that cannot be written as UTF-8.
        typer.echo(json.dumps({"id": record_id, "line": n, "error": message}, ensure_ascii=True, default=str))
        typer.echo(f"error: {message}", err=True)
    if failed:
        typer.echo(f"error: {failed} line(s) of {path} failed (see the error records above)", err=True)
        raise typer.Exit(2)


def _assistant(settings: Settings) -> Any:
    from rag.assistant import Assistant

    return Assistant(settings)


@app.command()
def index(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    adapt_model: Annotated[
        bool | None,
        typer.Option(
            "--adapt/--no-adapt",
            help="Then tune the model to the papers and embed them again (rag adapt). By default this happens once, "
            "for a library of up to 5,000 passages (embedding.adapt_on_index); --adapt tunes it again.",
        ),
    ] = None,
) -> None:
    """Index the papers in the corpus folder (only new or changed files are embedded); the first time, tune the
    model to them (a few minutes, once: see `rag adapt`)."""
    settings = _settings(corpus, index, config, store)
    assistant = _assistant(settings)
    report = assistant.build(progress=not quiet)
    for message in report.skipped.values():
        typer.echo(f"skipped: {message}", err=True)
    typer.echo(
        f"indexed {len(report.indexed)} file(s), reused {len(report.reused)}, skipped {len(report.skipped)}; "
        f"{report.chunks} passages in {settings.index_dir} ({report.seconds:.1f}s)"
    )
    if adapt_model:
        _adapt(assistant, quiet)
    elif adapt_model is None and settings.embedding.adapt_on_index:
        _adapt_if_needed(assistant, quiet, say_done=False)


@app.command()
def adapt(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    off: Annotated[
        bool, typer.Option("--off", help="Go back to the packaged model (embeds the papers again).")
    ] = False,
    pairs: Annotated[
        int, typer.Option("--pairs", min=32, help="Train on at most this many sentence pairs (fewer is faster).")
    ] = MAX_PAIRS,
    if_needed: Annotated[
        bool,
        typer.Option(
            "--if-needed",
            help="Only what `rag index` does by itself: adapt when no adapted model is in use, `--off` did not "
            "choose the packaged one, and the library is small.",
        ),
    ] = False,
) -> None:
    """Tune the embedding model to the indexed papers (no questions needed; up to ten minutes on 2 cores), then
    embed the papers again with it. Run it again after adding many papers."""
    settings = _settings(corpus, index, config)
    assistant = _assistant(settings)
    if off:
        report = assistant.stop_adapting(progress=not quiet)
        if report is None:
            typer.echo("the index already uses the packaged model; nothing to do")
        else:
            files = len(report.indexed)
            typer.echo(f"back to the packaged model: re-embedded {files} file(s), {report.chunks} passages")
    elif if_needed:
        _adapt_if_needed(assistant, quiet, say_done=True, pairs=pairs)
    else:
        _adapt(assistant, quiet, pairs)


def _adapt_if_needed(assistant: Any, quiet: bool, say_done: bool, pairs: int = MAX_PAIRS) -> None:
    """Adapt the model when assistant.adapt_plan() says so (saying so first: it takes minutes), else say why not
    (`say_done`: also when that is nothing to note)."""
    plan = assistant.adapt_plan()
    if plan == "adapt":
        typer.echo("tuning the model to these papers, once (a few minutes; --no-adapt skips it)", err=True)
        _adapt(assistant, quiet, pairs)
        return
    if plan == "large":
        typer.echo(
            f"the model is not tuned to a library of more than {AUTO_MAX_PASSAGES} passages by itself: `rag adapt` "
            "does it (about ten minutes, then the papers are embedded again)"
        )
        return
    in_use = assistant.settings.adapted_model()
    if in_use is not None and assistant.index.manifest.adapted != in_use.id:  # adapted; a killed build left it
        report = assistant.build(progress=not quiet)
        typer.echo(f"embedded the papers with the model adapted to them ({in_use.id}): {report.chunks} passages")
    elif say_done or (plan == "small" and not quiet):
        typer.echo(
            {
                "in use": f"the index already uses the model adapted to its papers ({in_use and in_use.id}); "
                "nothing to do",
                "off": "the settings embed with the packaged model (embedding.adapted, embedding.runtime); "
                "nothing to do",
                "declined": "`rag adapt --off` chose the packaged model for this index; `rag adapt` tunes it again",
                "small": "too little text to tune the model to (add papers, then run `rag adapt`); questions use "
                "the packaged model",
            }[plan]
        )


def _adapt(assistant: Any, quiet: bool, pairs: int = MAX_PAIRS) -> None:
    made, report = assistant.adapt(progress=not quiet, max_pairs=pairs)
    minutes, seconds = divmod(round(made.seconds), 60)
    typer.echo(
        f"adapted the model to the papers ({made.pairs} sentence pairs, {made.steps} steps, {minutes}m{seconds:02d}s; "
        f"model {made.model.id}); re-embedded {len(report.indexed)} file(s), {report.chunks} passages. "
        "Questions use it now; `rag adapt --off` goes back"
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
    store: StoreOpt = None,
) -> None:
    """Find the passages that answer a question."""
    settings = _settings(corpus, index, config, store)
    assistant = _assistant(settings)

    def search_one(item: dict[str, Any]) -> dict[str, Any]:
        hits = assistant.search(item["question"], k=k)
        return {"id": item.get("id"), "question": item["question"], "results": [h.to_dict() for h in hits]}

    if batch:
        _run_batch(batch, search_one)
        return
    if not (question or "").strip():
        raise BadQuestionError('no question given: rag search "your question" (or --batch FILE.jsonl)')
    if as_json:
        typer.echo(json.dumps(search_one({"id": None, "question": question}), ensure_ascii=False))
        return
    for hit in assistant.search(question or "", k=k):
        c = hit.chunk
        where = f"{c.doc}" + (f" p.{c.page}" if c.page else "") + f" [{c.start}:{c.end}]"
        typer.echo(f"{hit.rank}. {c.title} — {c.section} ({where}) score {hit.score:.4f}")
        typer.echo(f"   {c.text}\n")


def _print_answer(answer: dict[str, Any], style: str = "apa") -> None:
    from rag.references import cite_answers, reference_line

    document = cite_answers([answer], style)
    typer.echo(document.rewrite(0, answer["answer"]))
    if answer["abstained"]:
        if answer["retrieved"]:
            typer.echo("\nRelated, but not an answer:")
            for r in answer["retrieved"][:3]:
                typer.echo(f"  - {r['title']} — {r['section']}: {r['text'][:160]}…")
        return
    typer.echo("\nReferences")
    for reference in document.references:
        typer.echo(f"  {reference_line(reference)}")
    typer.echo("\nQuoted passages")
    for c in answer["citations"]:
        page = f", p. {c['page']}" if c.get("page") else ""
        where = f"{document.citation(0, [c['n']])} {c['section']}{page}"
        typer.echo(f"  {where} ({c['doc']} {c['start']}-{c['end']}): “{c['quote']}”")
    for note in answer.get("notes", []):
        typer.echo(f"\nnote: {note}")


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer contract.")] = False,
    batch: Annotated[Path | None, typer.Option("--batch", help="JSONL of {id, question}; JSON lines out.")] = None,
    history: Annotated[list[str] | None, typer.Option("--history", help="An earlier question (repeatable).")] = None,
    backend: Annotated[str | None, typer.Option("--backend", help="extractive | ollama | openai | gguf")] = None,
    style: Annotated[str, typer.Option("--style", help="apa, vancouver, harvard or a CSL style name.")] = "apa",
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
    store: StoreOpt = None,
) -> None:
    """Answer a question from the papers, citing a passage for every sentence."""
    from rag.csl import load_style
    from rag.references import with_references

    load_style(style)  # a wrong style name fails before the model loads
    extra = {"answering": {"backend": backend}} if backend else {}
    settings = _settings(corpus, index, config, store, **extra)
    assistant = _assistant(settings)

    def ask_one(item: dict[str, Any]) -> dict[str, Any]:
        qid = item.get("id")
        answer = assistant.ask(item["question"], item.get("history", ()), qid=qid).to_dict()
        return with_references(answer, style)  # the page's and the exports' numbering

    if batch:
        _run_batch(batch, ask_one)
        return
    if not (question or "").strip():
        raise BadQuestionError('no question given: rag ask "your question" (or --batch FILE.jsonl)')
    answer = ask_one({"id": None, "question": question, "history": history or []})
    if as_json:
        typer.echo(json.dumps(answer, ensure_ascii=False))
    else:
        _print_answer(answer, style)


@app.command()
def pack(
    questions: Annotated[Path, typer.Argument(help="A text file with one question a line.")],
    out: Annotated[Path, typer.Option("--out", help="The handout to write: .docx (Word) or .md.")] = Path("pack.docx"),
    style: Annotated[str, typer.Option("--style", help="apa, vancouver, harvard or any CSL style name.")] = "apa",
    title: Annotated[str, typer.Option("--title", help="The handout's title.")] = "Course pack",
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Answer a list of questions and write a course pack: answers, quotes, references, passages."""
    from rag.csl import load_style
    from rag.export import Part, one_line
    from rag.pack import answer_questions, pack_format, read_questions, write_pack

    load_style(style)  # a wrong style name fails before any question is answered
    pack_format(out)
    asked = read_questions(questions)
    answers = answer_questions(_assistant(_settings(corpus, index, config)), asked)
    write_pack(out, title, [Part(one_line(a["question"]), a) for a in answers], style)
    refused = sum(bool(a["abstained"]) for a in answers)
    typer.echo(f"wrote {out}: {len(answers)} answers ({refused} not answered by the papers), style {style}")


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
    from rag.evals.report import HEADLINE, by_type_table, compare_runs, format_metric
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
            passages=[c.text for c in assistant.index.chunks],
        )
    for key in HEADLINE:
        value = metrics.get(key)
        if isinstance(value, int | float):
            typer.echo(f"{key:22} {format_metric(float(value), key)}")
    typer.echo("\n" + by_type_table(metrics))
    typer.echo(f"report: {out_dir / 'report.html'}")
    if floors:
        breaches = check_floors(metrics, settings.evals.floors)
        for message in breaches:
            typer.echo(f"below floor: {message}", err=True)
        if breaches:
            raise typer.Exit(1)


papers_app = typer.Typer(help="List the papers with their citation facts; edit, remove or re-read one.")
app.add_typer(papers_app, name="papers")
DocArg = Annotated[str, typer.Argument(help="The paper's file name in the corpus folder.")]


@papers_app.callback(invoke_without_command=True)
def papers(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list, one object per file.")] = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List every paper: title, authors, year, venue, DOI, sections, passages and any problem found."""
    if ctx.invoked_subcommand is not None:
        return
    from rag.curation import paper_records
    from rag.index import load_index

    records = paper_records(load_index(_settings(corpus, index, config), check_corpus=False))
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=1))
        return
    for r in records:
        if not r.indexed:
            typer.echo(f"{r.doc}: not added: {r.problems[0]}")
            continue
        authors = "; ".join(r.authors) or "(no authors)"
        typer.echo(f"{r.doc}: {r.title} — {authors} ({r.year or 'n.d.'})" + (f", {r.venue}" if r.venue else ""))
        if r.doi:
            typer.echo(f"  doi {r.doi}")
        typer.echo(f"  {r.passages} passages; sections: " + (" | ".join(s["title"] for s in r.sections) or "none"))
        if r.references:
            typer.echo(f"  {len(r.references)} references (--json lists them)")
        for problem in r.problems:
            typer.echo(f"  problem: {problem}")


@papers_app.command("edit")
def papers_edit(
    doc: DocArg,
    title: Annotated[str | None, typer.Option("--title")] = None,
    authors: Annotated[str | None, typer.Option("--authors", help="Names separated by ';'.")] = None,
    year: Annotated[str | None, typer.Option("--year")] = None,
    venue: Annotated[str | None, typer.Option("--venue")] = None,
    volume: Annotated[str | None, typer.Option("--volume")] = None,
    issue: Annotated[str | None, typer.Option("--issue")] = None,
    pages: Annotated[str | None, typer.Option("--pages")] = None,
    doi: Annotated[str | None, typer.Option("--doi")] = None,
    corpus: CorpusOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Correct a paper's citation facts (written to its sidecar <file>.toml; '' clears one); run `rag index` after."""
    from rag.curation import edit_facts

    settings = _settings(corpus, None, config)
    given = {"title": title, "authors": authors, "year": year, "venue": venue, "volume": volume, "issue": issue}
    given |= {"pages": pages, "doi": doi}
    if all(v is None for v in given.values()):
        raise RagError(
            "nothing to edit: give at least one of --title --authors --year --venue --volume --issue --pages --doi"
        )
    sidecar = edit_facts(settings.corpus.dir, doc, **given)
    typer.echo(f"wrote {sidecar}; run `rag index` to use it")


@papers_app.command("remove")
def papers_remove(doc: DocArg, corpus: CorpusOpt = None, index: IndexOpt = None, config: ConfigOpt = None) -> None:
    """Take a paper out of the library: its file moves to corpus/.removed/ and the index is rebuilt without it."""
    from rag.curation import remove_paper

    settings = _settings(corpus, index, config)
    moved = remove_paper(settings.corpus.dir, doc)
    report = _assistant(settings).build(progress=False)
    typer.echo(f"moved {doc} to {moved}; {report.chunks} passages left in {settings.index_dir}")


@papers_app.command("reread")
def papers_reread(doc: DocArg, corpus: CorpusOpt = None, index: IndexOpt = None, config: ConfigOpt = None) -> None:
    """Read one paper again from its file (dropping its cached passages) and rebuild the index."""
    from rag.curation import forget_cached

    settings = _settings(corpus, index, config)
    forget_cached(settings.corpus.dir, settings.index_dir, doc)
    report = _assistant(settings).build(progress=False, force=True)
    if doc in report.skipped:
        raise RagError(report.skipped[doc])
    typer.echo(f"re-read {doc}; {report.chunks} passages in {settings.index_dir}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        code = app(standalone_mode=False)  # a typer.Exit(n) comes back as n here, not as an exception
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
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
