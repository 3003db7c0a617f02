"""The Library page (the indexed papers, their files, the index status) and the sidebar's paper upload."""

from __future__ import annotations

import streamlit as st

from rag.assistant import Assistant
from rag.errors import RagError
from rag.index import staleness
from rag.library import add_paper, list_papers, passages_per_doc
from ui import state

UPLOAD_TYPES = ["pdf", "txt", "md", "html", "htm"]


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
        st.warning(f"The index is out of date ({reason}); answers come from the papers as they were indexed.")
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
    st.markdown(f"Corpus folder: `{settings.corpus.dir}` · index folder: `{settings.index_dir}`")


def upload_sidebar(assistant: Assistant) -> None:
    """Add a paper: checked, saved under a free name, indexed; a file that cannot be read changes nothing."""
    st.sidebar.subheader("Add a paper")
    for kind, message in state.take_message("upload_result"):
        {"success": st.sidebar.success, "info": st.sidebar.info}.get(kind, st.sidebar.error)(message)
    round_ = st.session_state.setdefault("upload_round", 0)
    upload = st.sidebar.file_uploader(
        "PDF, TXT, Markdown or HTML",
        type=UPLOAD_TYPES,
        max_upload_size=assistant.settings.corpus.max_upload_mb,
        key=f"upload-{round_}",
    )
    if upload is None:
        return
    result: list[tuple[str, str]] = []
    with st.sidebar.status(f"Adding {upload.name}…", expanded=True) as status:
        st.write("Checking that its text can be read, then indexing it…")
        try:
            with state.index_lock(str(assistant.settings.index_dir)):
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
                    ("info", f"A paper named {added.wanted} was already there, so the new one was saved as "
                     f"{added.path.name}.")
                )  # fmt: skip
    st.session_state["upload_result"] = result
    st.session_state["upload_round"] = round_ + 1  # a fresh, empty uploader on the next run
    st.rerun()
