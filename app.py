"""The Streamlit page's entry point: settings, the shared assistant and index, and the pages of the `ui` package.

It only wires: each page draws itself (ui.ask, ui.library, ui.evaluation, ui.pack), what is kept between reruns
lives in ui.state.
"""

from __future__ import annotations

import streamlit as st

from rag.assistant import Assistant
from rag.errors import RagError
from rag.library import index_replaced, index_status
from rag.settings import load_settings
from ui import render, state
from ui.ask import ask_page
from ui.evaluation import evaluation_page
from ui.library import library_page, upload_sidebar
from ui.pack import pack_page


def ensure_index(assistant: Assistant) -> None:
    """Build the index when it cannot answer (missing, damaged, another model); when it is only out of date,
    answer from it under a banner that offers the re-index."""
    with state.index_lock(str(assistant.settings.index_dir)):
        status = index_status(assistant.settings)
        if status.can_answer and status.banner is None:
            if index_replaced(assistant):
                assistant.reload()
            return
        if status.can_answer and status.banner is not None:
            st.warning(status.banner, icon=":material/update:")
            if not st.button("Re-index now", key="reindex", icon=":material/refresh:"):
                if index_replaced(assistant):
                    assistant.reload()
                return
        with st.status(f"Indexing the papers ({status.changed or 'no usable index'})…") as box:
            report = assistant.build(progress=False)
            files = len(report.indexed) + len(report.reused)
            box.update(label=f"Indexed {report.chunks} passages from {files} files", state="complete")
        if status.can_answer:
            st.rerun()  # re-indexed on request: draw the page again, without the banner


def answer_mode(assistant: Assistant) -> Assistant:
    """With a language model configured, let the user fall back to extractive answers (no model)."""
    configured = assistant.settings.answering.backend
    if configured == "extractive":
        return assistant
    mode = st.sidebar.selectbox("Answer mode", [configured, "extractive"], key="backend")
    if mode == configured:
        return assistant
    return state.get_assistant(load_settings(answering={"backend": "extractive"}).model_dump_json())


def main() -> None:
    st.set_page_config(page_title="Shared leadership papers", page_icon=":material/diversity_3:", layout="wide")
    st.markdown(render.CSS, unsafe_allow_html=True)  # one stylesheet for every page (contrast, focus, cards)
    try:
        settings = load_settings()
        settings_json = settings.model_dump_json()
        assistant = state.get_assistant(settings_json)
        ensure_index(assistant)
        assistant.index  # noqa: B018 - loaded here so a damaged index shows as one line, before any page
        store = state.conversation_store(str(settings.index_dir))
    except RagError as exc:
        st.error(str(exc))
        st.stop()
    answering = answer_mode(assistant)
    pages = [
        st.Page(lambda: ask_page(answering, store, lambda: state.warm_up(settings_json)), title="Ask",
                icon=":material/forum:", default=True, url_path="ask"),
        st.Page(lambda: pack_page(store), title="Course pack", icon=":material/menu_book:", url_path="pack"),
        st.Page(lambda: library_page(assistant), title="Library", icon=":material/library_books:", url_path="library"),
        st.Page(lambda: evaluation_page(settings), title="Evaluation", icon=":material/monitoring:",
                url_path="evaluation"),
    ]  # fmt: skip
    page = st.navigation(pages)
    try:
        page.run()
    except RagError as exc:
        st.error(str(exc))
    upload_sidebar(assistant)
    state.warm_up(settings_json)  # after the page is drawn, so drawing it does not wait for the model


main()
