"""The Streamlit page: ask the papers and read each answer beside its highlighted sources; library; evals.

It only renders. Answering, indexing, uploads and exports are library calls (rag.assistant, rag.library,
rag.export, rag.references); per-user state lives in st.session_state, the assistant in st.cache_resource.
Passage text is untrusted: everything taken from a paper is HTML-escaped before it is drawn.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import streamlit as st
import streamlit.components.v1 as components

from rag.assistant import Assistant
from rag.errors import RagError
from rag.evals.report import HEADLINE
from rag.export import answer_to_markdown, answer_to_plain_text, answers_to_docx, conversation_to_markdown
from rag.index import staleness
from rag.library import add_paper, index_replaced, latest_eval_run, list_papers, passages_per_doc
from rag.references import STYLES, Style, in_text, to_bibtex, to_ris
from rag.schema import PaperMeta
from rag.settings import Settings, load_settings

UPLOAD_TYPES = ["pdf", "txt", "md", "html", "htm"]
STYLE_NAMES = {"apa": "APA 7", "vancouver": "Vancouver", "harvard": "Harvard (Cite Them Right)"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXAMPLES = (
    "How many clinical and non-clinical leaders were interviewed in the Aufegger study?",
    "What barriers to shared leadership did clinical and non-clinical managers report?",
    "What can clinical leaders contribute to the governance of integrated care systems?",
)
RELATED_SHOWN = 3
RELATED_CHARS = 420
_MARKER = re.compile(r"\[(\d+)\]")
_SPACE = re.compile(r"\s+")
CSS = """<style>
.answer p {font-size: 1.02rem; line-height: 1.65; margin: 0 0 .85rem 0;}
a.cite {text-decoration: none; font-weight: 600; font-size: .82em; color: #2f6f73; background: #e2eeec;
        border-radius: .3rem; padding: .05rem .25rem; margin-left: .1rem; vertical-align: .08em;}
a.cite:hover {background: #2f6f73; color: #fff;}
.src-card {border: 1px solid #d9e3e1; border-left: 4px solid #2f6f73; border-radius: .5rem; background: #fff;
           padding: .65rem .85rem; margin: 0 0 .75rem 0; scroll-margin-top: 5rem;}
.src-card:target {box-shadow: 0 0 0 3px #f0d36b;}
.src-card.related {border-left-color: #aebbbe;}
.src-head {font-weight: 600; line-height: 1.35; font-size: .95rem;}
.src-n {display: inline-block; min-width: 1.45rem; text-align: center; background: #2f6f73; color: #fff;
        border-radius: .3rem; margin-right: .4rem; font-size: .8rem;}
.related .src-n {background: #8a9a9e;}
.src-meta {color: #5b6b73; font-size: .8rem; margin-top: .2rem;}
.src-text {font-size: .87rem; line-height: 1.55; margin-top: .5rem; color: #2b3a42;}
.src-text mark {background: #fde98b; padding: .05rem .1rem; border-radius: .15rem;}
.panel-title {font-size: .8rem; letter-spacing: .06em; text-transform: uppercase; color: #5b6b73;
              font-weight: 600; margin-bottom: .45rem;}
</style>"""
log = logging.getLogger("rag.app")
METRIC_NAMES = {"retrieval_recall@5": "Retrieval recall@5", "mrr": "MRR"}
PER_ROW = 5


@st.cache_resource(show_spinner=False)
def get_assistant(settings_json: str) -> Assistant:
    """One assistant (embedding model, index, answer chain) per settings, shared by every session."""
    return Assistant(Settings.model_validate_json(settings_json))


@st.cache_resource(show_spinner=False)
def warm_up(settings_json: str) -> threading.Thread:
    """Load the question model and build the answer chain in the background, once per server, so the page draws
    at once and both (a few seconds of imports on a laptop) are ready by the time a question is typed."""

    def load() -> None:
        try:
            assistant = get_assistant(settings_json)
            assistant.prepare_query_model()  # once, for an index built before the export existed
            _ = assistant.chain
        except Exception:  # the question that needs the chain shows the error, as one line
            log.warning("warm-up failed; the first question will try again", exc_info=True)

    thread = threading.Thread(target=load, name="rag-warm-up", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def index_lock(index_dir: str) -> threading.Lock:
    """One lock per index folder: two sessions never build the same index at once."""
    return threading.Lock()


def ensure_index(assistant: Assistant) -> None:
    """Build the index when it is missing or stale (a status box shows progress) rather than failing."""
    with index_lock(str(assistant.settings.index_dir)):
        reason = staleness(assistant.settings)
        if reason is None:
            if index_replaced(assistant):
                assistant.reload()
            return
        with st.status(f"Indexing the papers ({reason})…") as status:
            report = assistant.build(progress=False)
            files = len(report.indexed) + len(report.reused)
            status.update(label=f"Indexed {report.chunks} passages from {files} files", state="complete")


def answer_mode(assistant: Assistant) -> Assistant:
    """With a language model configured, let the user fall back to extractive answers (no model)."""
    configured = assistant.settings.answering.backend
    if configured == "extractive":
        return assistant
    mode = st.sidebar.selectbox("Answer mode", [configured, "extractive"], key="backend")
    if mode == configured:
        return assistant
    return get_assistant(load_settings(answering={"backend": "extractive"}).model_dump_json())


def upload_sidebar(assistant: Assistant) -> None:
    """Add a paper: checked, saved under a free name, indexed; a file that cannot be read changes nothing."""
    st.sidebar.subheader("Add a paper")
    for kind, message in st.session_state.pop("upload_result", []):
        {"success": st.sidebar.success, "info": st.sidebar.info}.get(kind, st.sidebar.error)(message)
    limit = assistant.settings.corpus.max_upload_mb
    round_ = st.session_state.setdefault("upload_round", 0)
    upload = st.sidebar.file_uploader(
        "PDF, TXT, Markdown or HTML",
        type=UPLOAD_TYPES,
        max_upload_size=limit,
        key=f"upload-{round_}",
    )
    if upload is None:
        return
    result: list[tuple[str, str]] = []
    with st.sidebar.status(f"Adding {upload.name}…", expanded=True) as status:
        st.write("Checking that its text can be read, then indexing it…")
        try:
            with index_lock(str(assistant.settings.index_dir)):
                added = add_paper(assistant, upload.name, upload.getvalue())
        except RagError as exc:
            status.update(label="Not added", state="error")
            result.append(("error", str(exc)))
        else:
            status.update(label="Added", state="complete")
            result.append(
                ("success", f"Added {added.path.name}; the library now holds {added.report.chunks} passages.")
            )
            if added.renamed:
                result.append(
                    (
                        "info",
                        f"A paper named {added.wanted} was already there, so the new one "
                        f"was saved as {added.path.name}.",
                    )
                )
    st.session_state["upload_result"] = result
    st.session_state["upload_round"] = round_ + 1  # a fresh, empty uploader on the next run
    st.rerun()


# --- the Ask page -------------------------------------------------------------------------------------------


def esc(text: Any) -> str:
    """Text from a paper, escaped and with its whitespace collapsed, ready to go into HTML."""
    return html.escape(_SPACE.sub(" ", str(text)))


def short_ref(item: Mapping[str, Any]) -> str:
    """'Aufegger et al., 2020' for a citation or paper dict; its title when it names no authors."""
    return in_text(item, "apa").strip("()") if item.get("authors") else str(item.get("title") or "")


def answer_html(answer: Mapping[str, Any], turn: int) -> str:
    """The answer's paragraphs, each [n] a link to source card n (with its short reference as hover title)."""
    cited = {int(c["n"]): c for c in answer["citations"]}

    def link(match: re.Match[str]) -> str:
        cit = cited.get(int(match.group(1)))
        if cit is None:
            return match.group(0)
        where = ", ".join(p for p in (short_ref(cit), str(cit.get("section") or "")) if p)
        return f'<a class="cite" href="#src-{turn}-{cit["n"]}" title="{html.escape(where)}">[{cit["n"]}]</a>'

    paragraphs = [p for p in str(answer["answer"]).split("\n\n") if p.strip()]
    return '<div class="answer">' + "".join(f"<p>{_MARKER.sub(link, esc(p))}</p>" for p in paragraphs) + "</div>"


def marked(text: str, phrases: Sequence[str]) -> str:
    """The passage, escaped, with every cited phrase found in it wrapped in <mark>."""
    spans = sorted((at, at + len(p)) for p in filter(None, phrases) if (at := text.find(p)) >= 0)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, done = [], 0
    for start, end in merged:
        out += [esc(text[done:start]), f"<mark>{esc(text[start:end])}</mark>"]
        done = end
    return "".join([*out, esc(text[done:])])


def cited_spans(answer: Mapping[str, Any], cit: Mapping[str, Any]) -> list[str]:
    """What a citation stands for: its quote and the answer sentences citing it (verbatim when extractive)."""
    sentences = answer.get("sentences") or []
    return [str(cit.get("quote") or ""), *(str(s["text"]) for s in sentences if cit["n"] in s["citations"])]


def related_item(hit: Mapping[str, Any], papers: Mapping[str, PaperMeta]) -> dict[str, Any]:
    """A retrieved passage with its paper's citation facts, cut short: offered for reading on, not quoted."""
    meta = papers[hit["work"]].to_dict() if hit.get("work") in papers else {}
    text = str(hit.get("text") or "")
    if len(text) > RELATED_CHARS:
        text = text[:RELATED_CHARS].rsplit(" ", 1)[0] + " …"
    return {**meta, **hit, "text": text}


def source_card(anchor: str, label: str, item: Mapping[str, Any], phrases: Sequence[str] = ()) -> str:
    """A numbered card: title; authors, year, venue; section, page, file; the passage, cited spans marked."""
    authors = list(item.get("authors") or [])
    who = ", ".join(authors[:4]) + (" et al." if len(authors) > 4 else "")
    page = f"p. {item['page']}" if item.get("page") else ""
    lines = ([who, item.get("year"), item.get("venue")], [item.get("section"), page, item.get("doc")])
    meta = "".join(
        f'<div class="src-meta">{esc(" · ".join(str(p) for p in line if p))}</div>' for line in lines if any(line)
    )
    kind = "src-card" if phrases else "src-card related"
    title = esc(item.get("title") or item.get("doc") or "")
    return (
        f'<div class="{kind}" id="{anchor}"><div class="src-head"><span class="src-n">{esc(label)}</span>'
        f'{title}</div>{meta}<div class="src-text">{marked(str(item.get("text") or ""), phrases)}</div></div>'
    )


def export_row(answers: Sequence[Mapping[str, Any]], style: Style, stem: str, title: str) -> None:
    """Download buttons (Markdown, Word, and BibTeX and RIS of the cited papers); files are built on click."""
    citations = [c for a in answers if not a["abstained"] for c in a["citations"]]
    formats: list[tuple[str, str, str, Callable[[], str | bytes]]] = [
        (
            "Markdown",
            "md",
            "text/markdown",
            lambda: (
                answer_to_markdown(answers[0], style)
                if len(answers) == 1
                else conversation_to_markdown(answers, style, title=title)
            ),
        ),
        ("Word", "docx", DOCX, lambda: answers_to_docx(answers, style, title=title)),
    ]
    if citations:
        formats += [
            ("BibTeX", "bib", "application/x-bibtex", lambda: to_bibtex(citations)),
            ("RIS", "ris", "application/x-research-info-systems", lambda: to_ris(citations)),
        ]
    with st.container(horizontal=True, gap="small"):
        for label, ext, mime, build in formats:
            st.download_button(
                label,
                build,
                f"{stem}.{ext}",
                mime,
                key=f"{stem}-{ext}",
                on_click="ignore",
                icon=":material/download:",
            )


def render_turn(turn: int, answer: Mapping[str, Any], style: Style, papers: Mapping[str, PaperMeta]) -> None:
    """One question and its answer: the text on the left, its sources (or related passages) on the right."""
    with st.chat_message("user", avatar=":material/person:"):
        st.markdown(str(answer["question"]).replace("$", "\\$"))
    with st.chat_message("assistant", avatar=":material/menu_book:"):
        left, right = st.columns([3, 2], gap="large")
        with left:
            if answer["abstained"]:
                st.info(answer["answer"], icon=":material/search_off:")
            else:
                st.markdown(answer_html(answer, turn), unsafe_allow_html=True)
            facts = [f"Answer mode: {answer['backend']}"]
            if not answer["abstained"]:
                facts.append(f"{len(answer['citations'])} source(s)")
            if "total" in answer.get("timings_ms", {}):
                facts.append(f"{answer['timings_ms']['total'] / 1000:.1f} s")
            st.caption(" · ".join(facts))
            for note in answer.get("notes") or []:
                st.caption(f"Note: {note}")
            export_row([answer], style, f"answer-{turn + 1}", str(answer["question"]))
            with st.expander("Copy with references", icon=":material/content_copy:"):
                st.code(answer_to_plain_text(answer, style), language=None, wrap_lines=True)
        with right:
            if answer["abstained"]:
                title = "Related, but not an answer"
                cards = [
                    source_card(f"rel-{turn}-{r['rank']}", str(r["rank"]), related_item(r, papers))
                    for r in answer["retrieved"][:RELATED_SHOWN]
                ]
            else:
                title = "Sources"
                cards = [
                    source_card(f"src-{turn}-{c['n']}", str(c["n"]), c, cited_spans(answer, c))
                    for c in answer["citations"]
                ]
            st.markdown(f'<div class="panel-title">{title}</div>' + "".join(cards), unsafe_allow_html=True)


def sidebar(papers: Mapping[str, PaperMeta], answers: list[dict[str, Any]]) -> tuple[list[str], Style]:
    """The papers to search, the reference style, and the conversation's exports; returns the first two."""
    works = st.sidebar.multiselect(
        "Search only in",
        sorted(papers),
        placeholder="All papers",
        key="works",
        format_func=lambda w: f"{short_ref(papers[w].to_dict())} — {papers[w].title}",
    )
    chosen = st.sidebar.selectbox("Reference style", list(STYLES), format_func=lambda s: STYLE_NAMES[s], key="style")
    style = cast(Style, chosen)
    if answers:
        with st.sidebar:
            st.caption("Export the whole conversation")
            export_row(answers, style, "conversation", "Conversation")
            if st.button("New conversation", icon=":material/add_comment:"):
                answers.clear()
                st.rerun()
    st.sidebar.divider()
    return works, style


def ask_page(assistant: Assistant, warming: Callable[[], threading.Thread] | None = None) -> None:
    """The page: earlier turns, then the chat input; a new question goes with the earlier ones as history."""
    st.markdown(CSS, unsafe_allow_html=True)
    papers = assistant.index.papers
    answers: list[dict[str, Any]] = st.session_state.setdefault("answers", [])
    works, style = sidebar(papers, answers)
    st.title("Ask the papers")
    st.caption(
        f"Cited answers from {len(papers)} research papers on shared and collaborative leadership in "
        "UK health and care. Every sentence comes from a paper and links to its source."
    )
    for turn, answer in enumerate(answers):
        render_turn(turn, answer, style, papers)
    if not answers:
        st.markdown("**Try a question**")
        for n, example in enumerate(EXAMPLES):
            if st.button(example, key=f"example-{n}", type="tertiary", icon=":material/arrow_forward:"):
                st.session_state["asked"] = example
        st.caption("In the library: " + "; ".join(sorted(short_ref(m.to_dict()) for m in papers.values())))
    asked = st.chat_input("Ask a question about shared leadership…", key="question")
    question = asked or st.session_state.pop("asked", None)
    if not question:
        return
    history = [str(a["question"]) for a in answers]
    loading = warming() if warming is not None else None
    if loading is not None and loading.is_alive():
        with st.spinner("Loading the embedding model (only the first question waits for this)…"):
            loading.join()
    try:
        with st.spinner("Reading the papers…"):
            answer = assistant.ask(question, history, works or None).to_dict()
    except RagError as exc:
        st.error(str(exc))
        return
    answers.append(answer)
    if len(answers) == 1:
        st.rerun()  # draw the page again, without the example questions
    render_turn(len(answers) - 1, answer, style, papers)


# --- the Library and Evaluation pages -----------------------------------------------------------------------


def library_page(assistant: Assistant) -> None:
    """The indexed papers with their citation facts, passages per file, the index status and skipped files."""
    settings, index = assistant.settings, assistant.index
    manifest = index.manifest
    st.title("Library")
    reason = staleness(settings)
    if reason is None:
        st.success(
            f"Index up to date: {len(index.papers)} papers, {manifest.chunks} passages, built {manifest.built_at}.",
            icon=":material/check_circle:",
        )
    else:
        st.warning(f"The index is out of date ({reason}); it is rebuilt when the page reloads.")
    st.subheader("Papers")
    rows = [
        {
            "Reference": r.reference,
            "Title": r.title,
            "Authors": r.authors,
            "Published": ", ".join(str(p) for p in (r.venue, r.year) if p),
            "DOI": r.doi,
            "Passages": r.passages,
        }
        for r in list_papers(index)
    ]
    st.table(rows, hide_index=True, border="horizontal")
    st.subheader("Files")
    files = [
        {"File": doc, "Paper": manifest.docs.get(doc, ""), "Passages": count}
        for doc, count in passages_per_doc(index).items()
    ]
    st.table(files, hide_index=True, border="horizontal")
    st.caption(
        "A paper kept in two renderings (a PDF extract and a web page) is cited as one paper; a passage "
        "both renderings hold is counted once."
    )
    if manifest.skipped:
        st.subheader("Files that could not be read")
        for message in manifest.skipped.values():
            st.error(message, icon=":material/error:")
    st.caption(f"Corpus folder: `{settings.corpus.dir}` · index folder: `{settings.index_dir}`")


def evaluation_page(settings: Settings) -> None:
    """The newest eval run's headline metrics and its HTML report, or how to make one."""
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
    st.caption(f"Latest run: `{run.path}`")
    shown = [k for k in HEADLINE if isinstance(run.metrics.get(k), int | float)]
    for start in range(0, len(shown), PER_ROW):
        for column, key in zip(st.columns(PER_ROW), shown[start : start + PER_ROW], strict=False):
            label = METRIC_NAMES.get(key, key.replace("_", " ").capitalize())
            column.metric(label, f"{run.metrics[key]:.3f}")
    components.html(run.report_html, height=1100, scrolling=True)


def main() -> None:
    st.set_page_config(page_title="Shared leadership papers", page_icon=":material/diversity_3:", layout="wide")
    try:
        settings = load_settings()
        assistant = get_assistant(settings.model_dump_json())
        ensure_index(assistant)
        assistant.index  # noqa: B018 - loaded here so a damaged index shows as one line, before any page
    except RagError as exc:
        st.error(str(exc))
        st.stop()
    answering = answer_mode(assistant)

    def ask() -> None:
        ask_page(answering, lambda: warm_up(settings.model_dump_json()))

    def library() -> None:
        library_page(assistant)

    def evaluation() -> None:
        evaluation_page(settings)

    page = st.navigation(
        [
            st.Page(ask, title="Ask", icon=":material/forum:", default=True),
            st.Page(library, title="Library", icon=":material/library_books:", url_path="library"),
            st.Page(evaluation, title="Evaluation", icon=":material/monitoring:", url_path="evaluation"),
        ]
    )
    try:
        page.run()
    except RagError as exc:
        st.error(str(exc))
    upload_sidebar(assistant)
    warm_up(settings.model_dump_json())  # after the page is drawn, so drawing it does not wait for the model


main()
