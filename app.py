"""The Streamlit page: questions in, cited answers out beside their highlighted sources; plus the library and evals.

It only renders. Answering, indexing, uploads and exports are library calls (rag.assistant, rag.library,
rag.export, rag.references); per-user state lives in st.session_state, the assistant in st.cache_resource.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from rag.assistant import Assistant
from rag.errors import RagError
from rag.evals.report import HEADLINE
from rag.export import answer_to_markdown, answer_to_plain_text, answers_to_docx, conversation_to_markdown
from rag.index import staleness
from rag.library import add_paper, index_replaced, latest_eval_run, list_papers, passages_per_doc
from rag.schema import PaperMeta
from rag.references import STYLES, Style, in_text, to_bibtex, to_ris
from rag.settings import Settings, load_settings

STYLE_NAMES = {"apa": "APA 7", "vancouver": "Vancouver", "harvard": "Harvard (Cite Them Right)"}
UPLOAD_TYPES = ["pdf", "txt", "md", "html", "htm"]
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


@st.cache_resource(show_spinner=False)
def get_assistant(settings_json: str) -> Assistant:
    """One assistant (embedding model, index, chain) per settings, shared by every session."""
    return Assistant(Settings.model_validate_json(settings_json))


@st.cache_resource(show_spinner=False)
def index_lock(index_dir: str) -> threading.Lock:
    """One lock per index folder: two sessions never build the same index at once."""
    return threading.Lock()


def esc(text: Any) -> str:
    """Paper text is untrusted: escaped, whitespace collapsed, before it goes into HTML."""
    return html.escape(_SPACE.sub(" ", str(text)))


def short_ref(item: Mapping[str, Any]) -> str:
    return in_text(item, "apa").strip("()") if item.get("authors") else str(item.get("title") or "")


def ensure_index(assistant: Assistant) -> None:
    """Build the index when it is missing or stale (a status box shows progress) rather than failing."""
    with index_lock(str(assistant.settings.index_dir)):
        reason = staleness(assistant.settings)
        if reason is None:
            if index_replaced(assistant):
                assistant.reload()
            return
        with st.status(f"Indexing the papers ({reason})…", expanded=False) as status:
            report = assistant.build(progress=False)
            status.update(label=f"Indexed {report.chunks} passages from {len(report.indexed) + len(report.reused)} "
                                f"files", state="complete")


# --- one answer -------------------------------------------------------------------------------------------------


def answer_html(answer: Mapping[str, Any], turn: int) -> str:
    """The answer's paragraphs with each [n] a link to source card n (its short reference as the hover title)."""
    cited = {int(c["n"]): c for c in answer["citations"]}

    def link(match: re.Match[str]) -> str:
        cit = cited.get(int(match.group(1)))
        if cit is None:
            return match.group(0)
        where = ", ".join(p for p in (short_ref(cit), str(cit.get("section") or "")) if p)
        return f'<a class="cite" href="#src-{turn}-{cit["n"]}" title="{html.escape(where)}">[{cit["n"]}]</a>'

    paragraphs = [p for p in str(answer["answer"]).split("\n\n") if p.strip()]
    return '<div class="answer">' + "".join(f"<p>{_MARKER.sub(link, esc(p.strip()))}</p>" for p in paragraphs) + "</div>"


def marked(text: str, phrases: Sequence[str]) -> str:
    """The passage, escaped, with every occurrence of the given phrases (the cited spans) in <mark>."""
    spans: list[list[int]] = []
    for phrase in filter(None, phrases):
        at = text.find(phrase)
        if at >= 0:
            spans.append([at, at + len(phrase)])
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, done = [], 0
    for start, end in merged:
        out += [esc(text[done:start]), f"<mark>{esc(text[start:end])}</mark>"]
        done = end
    return "".join([*out, esc(text[done:])])


def cited_spans(answer: Mapping[str, Any], n: int) -> list[str]:
    """What citation n stands for: its quote, and each answer sentence citing it (verbatim when extractive)."""
    cit = next(c for c in answer["citations"] if int(c["n"]) == n)
    return [str(cit.get("quote") or ""), *(str(s["text"]) for s in answer.get("sentences") or [] if n in s["citations"])]


def related_item(hit: Mapping[str, Any], papers: Mapping[str, PaperMeta]) -> dict[str, Any]:
    """A retrieved passage with its paper's citation facts, cut short: it is offered for reading on, not quoted."""
    meta = papers[hit["work"]].to_dict() if hit.get("work") in papers else {}
    text = str(hit.get("text") or "")
    if len(text) > RELATED_CHARS:
        text = text[:RELATED_CHARS].rsplit(" ", 1)[0] + " …"
    return {**meta, **hit, "text": text}


def source_card(anchor: str, label: str, item: Mapping[str, Any], phrases: Sequence[str] = (),
                related: bool = False) -> str:
    """A numbered card: title, authors and year, section and page, and the passage with the cited spans marked."""
    authors = list(item.get("authors") or [])
    who = ", ".join(authors[:4]) + (" et al." if len(authors) > 4 else "")
    facts = [who, str(item.get("year") or ""), str(item.get("venue") or "")]
    where = [str(item.get("section") or ""), f"p. {item['page']}" if item.get("page") else "", str(item.get("doc") or "")]
    meta = "".join(f'<div class="src-meta">{esc(" · ".join(p for p in part if p))}</div>'
                   for part in (facts, where) if any(part))
    kind = "src-card related" if related else "src-card"
    return (f'<div class="{kind}" id="{anchor}"><div class="src-head"><span class="src-n">{esc(label)}</span>'
            f'{esc(item.get("title") or item.get("doc") or "")}</div>{meta}'
            f'<div class="src-text">{marked(str(item.get("text") or ""), phrases)}</div></div>')


def export_buttons(turn: int, answer: Mapping[str, Any], style: Style) -> None:
    """Markdown, Word, BibTeX and RIS downloads of one answer (built on click), and its text to copy."""
    citations = list(answer["citations"])
    stem = f"answer-{turn + 1}"
    with st.container(horizontal=True, gap="small"):
        st.download_button("Markdown", lambda: answer_to_markdown(answer, style), f"{stem}.md", "text/markdown",
                           key=f"md-{turn}", icon=":material/description:", on_click="ignore")
        st.download_button("Word", lambda: answers_to_docx([answer], style, title=str(answer["question"])),
                           f"{stem}.docx", DOCX, key=f"docx-{turn}", icon=":material/article:", on_click="ignore")
        if citations:
            st.download_button("BibTeX", lambda: to_bibtex(citations), f"{stem}.bib", "application/x-bibtex",
                               key=f"bib-{turn}", icon=":material/menu_book:", on_click="ignore")
            st.download_button("RIS", lambda: to_ris(citations), f"{stem}.ris", "application/x-research-info-systems",
                               key=f"ris-{turn}", icon=":material/menu_book:", on_click="ignore")
    with st.expander("Copy with references", icon=":material/content_copy:"):
        st.code(answer_to_plain_text(answer, style), language=None, wrap_lines=True)


def render_turn(turn: int, answer: Mapping[str, Any], style: Style, papers: Mapping[str, PaperMeta]) -> None:
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
            export_buttons(turn, answer, style)
        with right:
            if answer["abstained"]:
                cards = [source_card(f"rel-{turn}-{r['rank']}", str(r["rank"]), related_item(r, papers), related=True)
                         for r in answer["retrieved"][:RELATED_SHOWN]]
                title = "Related, but not an answer"
            else:
                cards = [source_card(f"src-{turn}-{c['n']}", str(c["n"]), c, cited_spans(answer, int(c["n"])))
                         for c in answer["citations"]]
                title = "Sources"
            st.markdown(f'<div class="panel-title">{title}</div>' + "".join(cards), unsafe_allow_html=True)


# --- pages ------------------------------------------------------------------------------------------------------


def conversation_exports(answers: Sequence[Mapping[str, Any]], style: Style) -> None:
    citations = [c for a in answers if not a["abstained"] for c in a["citations"]]
    st.sidebar.caption("Export the whole conversation")
    with st.sidebar.container(horizontal=True, gap="small"):
        st.download_button("Markdown", lambda: conversation_to_markdown(answers, style), "conversation.md",
                           "text/markdown", key="conv-md", on_click="ignore")
        st.download_button("Word", lambda: answers_to_docx(answers, style, title="Conversation"), "conversation.docx",
                           DOCX, key="conv-docx", on_click="ignore")
        if citations:
            st.download_button("BibTeX", lambda: to_bibtex(citations), "conversation.bib", "application/x-bibtex",
                               key="conv-bib", on_click="ignore")
            st.download_button("RIS", lambda: to_ris(citations), "conversation.ris",
                               "application/x-research-info-systems", key="conv-ris", on_click="ignore")


def ask_page(assistant: Assistant) -> None:
    papers = assistant.index.papers
    works = st.sidebar.multiselect(
        "Search only in", sorted(papers), placeholder="All papers", key="works",
        format_func=lambda w: f"{short_ref(papers[w].to_dict())} — {papers[w].title}",
    )
    style: Style = st.sidebar.selectbox("Reference style", STYLES, format_func=STYLE_NAMES.__getitem__, key="style")
    configured = assistant.settings.answering.backend
    if configured != "extractive":
        mode = st.sidebar.selectbox("Answer mode", [configured, "extractive"], key="backend")
        if mode == "extractive":
            assistant = get_assistant(load_settings(answering={"backend": "extractive"}).model_dump_json())
    answers: list[dict[str, Any]] = st.session_state.setdefault("answers", [])
    if answers:
        conversation_exports(answers, style)
        if st.sidebar.button("New conversation", icon=":material/add_comment:"):
            answers.clear()
            st.rerun()

    st.title("Ask the papers")
    st.caption(f"Cited answers from {len(papers)} research papers on shared and collaborative leadership in UK "
               "health and care. Every sentence comes from a paper and links to its source.")
    for turn, answer in enumerate(answers):
        render_turn(turn, answer, style, papers)
    if not answers:
        st.markdown("**Try a question**")
        for n, example in enumerate(EXAMPLES):
            if st.button(example, key=f"example-{n}", type="tertiary", icon=":material/arrow_forward:"):
                st.session_state["asked"] = example
    question = st.chat_input("Ask a question about shared leadership…", key="question") or st.session_state.pop(
        "asked", None)
    if not question:
        return
    history = [str(a["question"]) for a in answers]
    try:
        with st.spinner("Reading the papers…"):
            answer = assistant.ask(question, history, works or None).to_dict()
    except RagError as exc:
        st.error(str(exc))
        return
    answers.append(answer)
    if len(answers) == 1:
        st.rerun()  # redraw without the example questions
    render_turn(len(answers) - 1, answer, style, papers)


def library_page(assistant: Assistant) -> None:
    settings, index = assistant.settings, assistant.index
    manifest = index.manifest
    st.title("Library")
    reason = staleness(settings)
    if reason is None:
        st.success(f"Index up to date: {len(index.papers)} papers, {manifest.chunks} passages, built {manifest.built_at}.",
                   icon=":material/check_circle:")
    else:
        st.warning(f"The index is out of date ({reason}); it is rebuilt when the page reloads.")
    st.subheader("Papers")
    st.dataframe(
        [{"Reference": r.reference, "Title": r.title, "Authors": r.authors, "Year": r.year, "Venue": r.venue,
          "Passages": r.passages, "Files": ", ".join(r.docs)} for r in list_papers(index)],
        hide_index=True, width="stretch",
    )
    st.subheader("Files")
    st.dataframe(
        [{"File": doc, "Paper": manifest.docs.get(doc, ""), "Passages": count}
         for doc, count in passages_per_doc(index).items()],
        hide_index=True, width="stretch",
    )
    st.caption("A paper kept in two renderings (e.g. a PDF extract and a web page) is cited once; passages "
               "both renderings share are counted for one of them.")
    if manifest.skipped:
        st.subheader("Files that could not be read")
        for message in manifest.skipped.values():
            st.error(message, icon=":material/error:")
    st.caption(f"Corpus folder: `{settings.corpus.dir}` · index folder: `{settings.index_dir}`")


def evaluation_page(settings: Settings) -> None:
    st.title("Evaluation")
    run = latest_eval_run(settings.evals.runs_dir)
    if run is None:
        st.info(f"No evaluation report yet. Run `make eval` (or `rag eval`): it answers the questions in "
                f"`{settings.evals.qa}` and writes metrics.json and report.html to a new folder in "
                f"`{settings.evals.runs_dir}/`.", icon=":material/science:")
        return
    st.caption(f"Latest run: `{run.path}`")
    shown = [k for k in HEADLINE if isinstance(run.metrics.get(k), int | float)]
    for start in range(0, len(shown), 5):
        for column, key in zip(st.columns(5), shown[start:start + 5], strict=False):
            column.metric(key.replace("_", " "), f"{run.metrics[key]:.3f}")
    components.html(run.report_html, height=1100, scrolling=True)


def upload_sidebar(assistant: Assistant) -> None:
    """Add a paper: checked, saved under a free name, indexed; a file that cannot be read changes nothing."""
    st.sidebar.divider()
    st.sidebar.subheader("Add a paper")
    for kind, message in st.session_state.pop("upload_result", []):
        (st.sidebar.success if kind == "success" else st.sidebar.error)(message)
    limit = assistant.settings.corpus.max_upload_mb
    round_ = st.session_state.setdefault("upload_round", 0)
    upload = st.sidebar.file_uploader(f"PDF, TXT, Markdown or HTML, up to {limit} MB", type=UPLOAD_TYPES,
                                      max_upload_size=limit, key=f"upload-{round_}")
    if upload is None:
        return
    result: list[tuple[str, str]] = []
    with st.sidebar.status(f"Adding {upload.name}…", expanded=True) as status:
        st.write("Checking the text can be read, then indexing it…")
        try:
            with index_lock(str(assistant.settings.index_dir)):
                added = add_paper(assistant, upload.name, upload.getvalue())
        except RagError as exc:
            status.update(label="Not added", state="error")
            result.append(("error", str(exc)))
        else:
            status.update(label="Added", state="complete")
            result.append(("success", f"Added {added.path.name}: the library now holds {added.report.chunks} passages."))
            if added.renamed:
                result.append(("success", f"A paper named {added.wanted} was already there, so the new one was saved "
                                          f"as {added.path.name}."))
    st.session_state["upload_result"] = result
    st.session_state["upload_round"] = round_ + 1  # a fresh, empty uploader
    st.rerun()


def main() -> None:
    st.set_page_config(page_title="Shared leadership papers", page_icon=":material/diversity_3:", layout="wide")
    st.markdown(CSS, unsafe_allow_html=True)
    try:
        settings = load_settings()
        assistant = get_assistant(settings.model_dump_json())
        ensure_index(assistant)
        assistant.index  # noqa: B018 - load it here so a damaged index is reported once, as one line
    except RagError as exc:
        st.error(str(exc))
        st.stop()

    def ask() -> None:
        ask_page(assistant)

    def library() -> None:
        library_page(assistant)

    def evaluation() -> None:
        evaluation_page(settings)

    page = st.navigation([
        st.Page(ask, title="Ask", icon=":material/forum:", default=True),
        st.Page(library, title="Library", icon=":material/library_books:"),
        st.Page(evaluation, title="Evaluation", icon=":material/monitoring:"),
    ])
    try:
        page.run()
    except RagError as exc:
        st.error(str(exc))
    upload_sidebar(assistant)


main()
