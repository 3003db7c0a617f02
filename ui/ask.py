"""The Ask page: a conversation with the papers, each answer beside its highlighted sources, saved as it happens."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from rag.assistant import Assistant
from rag.conversations import ConversationStore
from rag.errors import RagError
from rag.export import answer_to_plain_text
from rag.references import CitedDocument, cite_answers
from rag.schema import PaperMeta
from ui import history, render, state

EXAMPLES = (
    "How many clinical and non-clinical leaders were interviewed in the Aufegger study?",
    "What barriers to shared leadership did clinical and non-clinical managers report?",
    "What can clinical leaders contribute to the governance of integrated care systems?",
)
RELATED_SHOWN = 3


def render_turn(
    turn: int, answer: Mapping[str, Any], document: CitedDocument, style: str, papers: Mapping[str, PaperMeta]
) -> None:
    """One question and its answer: the text on the left, its sources (or related passages) on the right."""
    with st.chat_message("user", avatar=":material/person:"):
        st.markdown(str(answer["question"]).replace("$", "\\$"))
    with st.chat_message("assistant", avatar=":material/menu_book:"):
        left, right = st.columns([3, 2], gap="large")
        with left:
            if answer["abstained"]:
                st.info(answer["answer"], icon=":material/search_off:")
            else:
                st.markdown(render.answer_html(document, turn, answer, f"src-{turn}"), unsafe_allow_html=True)
                table = render.evidence_html(document, turn, answer, f"src-{turn}")
                if table:
                    st.markdown(table, unsafe_allow_html=True)
            facts = [f"Answer mode: {answer['backend']}"]
            if not answer["abstained"]:
                facts.append(f"{len(answer['citations'])} source(s)")
            if "total" in answer.get("timings_ms", {}):
                facts.append(f"{answer['timings_ms']['total'] / 1000:.1f} s")
            st.caption(" · ".join(facts))
            for note in answer.get("notes") or []:
                st.caption(f"Note: {note}")
            render.export_row([answer], style, f"answer-{turn + 1}", str(answer["question"]))
            with st.expander("Copy with references", icon=":material/content_copy:"):
                st.code(answer_to_plain_text(answer, style), language=None, wrap_lines=True)
        with right:
            if answer["abstained"]:
                title = "Related, but not an answer"
                cards = [
                    render.source_card(f"rel-{turn}-{r['rank']}", str(r["rank"]), render.related_item(r, papers))
                    for r in answer["retrieved"][:RELATED_SHOWN]
                ]
            else:
                title = "Sources"
                cards = [
                    render.source_card(
                        f"src-{turn}-{c['n']}",
                        document.citation_items(turn, [c["n"]])[0][1],
                        c,
                        render.cited_spans(answer, c),
                    )
                    for c in answer["citations"]
                ]
            st.markdown(f'<div class="panel-title">{title}</div>' + "".join(cards), unsafe_allow_html=True)


def papers_filter(papers: Mapping[str, PaperMeta]) -> list[str]:
    works: list[str] = st.sidebar.multiselect(
        "Search only in",
        sorted(papers),
        placeholder="All papers",
        key="works",
        format_func=lambda w: f"{render.short_ref(papers[w].to_dict())} — {papers[w].title}",
    )
    return works


def conversation_exports(answers: list[dict[str, Any]], style: str, title: str) -> None:
    with st.sidebar:
        st.markdown("**Export the whole conversation**")
        render.export_row(answers, style, "conversation", title)
    st.sidebar.divider()


def ask_page(assistant: Assistant, store: ConversationStore, warming: Callable[[], threading.Thread] | None) -> None:
    """The page: earlier turns, then the chat input; a new question goes with the earlier ones as history."""
    papers = assistant.index.papers
    current = history.conversation_sidebar(store)
    answers = store.answers(current) if current else []
    style = history.style_picker()
    works = papers_filter(papers)
    summary = store.get(current) if current else None
    if answers:
        conversation_exports(answers, style, summary.title if summary else "Conversation")
    st.title("Ask the papers")
    st.caption(
        f"Cited answers from {len(papers)} research papers on shared and collaborative leadership in "
        "UK health and care. Every sentence comes from a paper and links to its source."
    )
    document = cite_answers(answers, style)
    for turn, answer in enumerate(answers):
        render_turn(turn, answer, document, style, papers)
    if document.references:
        with st.expander(f"References ({len(document.references)})", icon=":material/format_quote:"):
            st.markdown(render.references_html(document), unsafe_allow_html=True)
    if not answers:
        st.markdown("**Try a question**")
        for n, example in enumerate(EXAMPLES):
            if st.button(example, key=f"example-{n}", type="tertiary", icon=":material/arrow_forward:"):
                st.session_state["asked"] = example
        st.caption("In the library: " + "; ".join(sorted(render.short_ref(m.to_dict()) for m in papers.values())))
    asked = st.chat_input("Ask a question about shared leadership…", key="question")
    question = asked or st.session_state.pop("asked", None)
    if question:
        ask(assistant, store, current, question, [str(a["question"]) for a in answers], works, warming)


def ask(
    assistant: Assistant,
    store: ConversationStore,
    current: str | None,
    question: str,
    earlier: list[str],
    works: list[str],
    warming: Callable[[], threading.Thread] | None,
) -> None:
    """Answer a question, save it into the open conversation (a new one for the first question), show it."""
    loading = warming() if warming is not None else None
    if loading is not None and loading.is_alive():
        with st.spinner("Loading the embedding model (only the first question waits for this)…"):
            loading.join()
    try:
        with st.spinner("Reading the papers…"):
            answer = assistant.ask(question, earlier, works or None).to_dict()
        if current is None:
            current = store.create(question)
            state.open_conversation(current)
        store.add_turn(current, answer)
    except RagError as exc:
        st.error(str(exc))
        return
    st.rerun()  # draw the conversation again from the store, the new answer in place
