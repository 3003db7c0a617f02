"""The Library page (the indexed papers, their files, the index status) and the sidebar's paper upload."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from rag.assistant import Assistant
from rag.curation import edit_facts, forget_cached, paper_records, remove_paper
from rag.errors import RagError
from rag.library import add_paper, list_papers, passages_per_doc
from rag.manifest import staleness
from ui import render, state

UPLOAD_TYPES = ["pdf", "txt", "md", "html", "htm"]


def library_page(assistant: Assistant) -> None:
    """The indexed papers with their citation facts, passages per file, the index status and skipped files."""
    settings, index = assistant.settings, assistant.index
    manifest = index.manifest
    st.title("Library")
    reason = staleness(settings)
    if reason is None:
        model = (
            f"the embedding model adapted to these papers ({manifest.adapted})"
            if manifest.adapted
            else "the packaged embedding model (`rag adapt` tunes it to these papers)"
        )
        st.success(
            f"Index up to date: {len(index.papers)} papers, {manifest.chunks} passages, built {manifest.built_at} "
            f"with {model}.",
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
    manage_papers(assistant)
    if manifest.skipped:
        st.subheader("Files that could not be read")
        for message in manifest.skipped.values():
            st.error(message, icon=":material/error:")
    st.markdown(f"Corpus folder: `{settings.corpus.dir}` · index folder: `{settings.index_dir}`")


def _rebuild(assistant: Assistant, done: str) -> None:
    """Re-index after a change to the library (a status box shows progress), then draw the page again."""
    with state.index_lock(str(assistant.settings.index_dir)), st.status("Re-indexing the papers…") as box:
        report = assistant.build(progress=False)
        box.update(label=f"Indexed {report.chunks} passages", state="complete")
    st.session_state["papers_result"] = [("success", done)]
    st.rerun()


def manage_papers(assistant: Assistant) -> None:
    """Correct a paper's citation facts (into its sidecar file), re-read it, or remove it (moved aside)."""
    st.subheader("Correct or remove a paper")
    for kind, message in state.take_message("papers_result"):
        getattr(st, kind)(message)
    records = {r.doc: r for r in paper_records(assistant.index) if r.indexed}
    if not records:
        return
    doc = st.selectbox("Paper", list(records), format_func=lambda d: f"{records[d].title} ({d})", key="manage-doc")
    record = records[doc]
    for problem in record.problems:
        st.warning(problem, icon=":material/info:")
    if record.sections:
        with st.expander(f"Outline ({len(record.sections)} sections)", icon=":material/toc:"):
            st.markdown("\n".join(f"{'  ' * (int(s['level']) - 1)}- {render.esc(s['title'])}" for s in record.sections))
    if record.references:
        with st.expander(f"References ({len(record.references)})", icon=":material/format_quote:"):
            st.markdown("\n".join(_reference_line(i, r) for i, r in enumerate(record.references, start=1)))
    meta = assistant.index.papers.get(record.work)
    with st.form(f"facts-{doc}"):
        title = st.text_input("Title", record.title)
        authors = st.text_input("Authors (separated by ;)", "; ".join(record.authors))
        left, right = st.columns(2)
        year = left.text_input("Year", str(record.year or ""))
        venue = right.text_input("Journal or publisher", record.venue)
        volume = left.text_input("Volume", meta.volume if meta else "")
        issue = right.text_input("Issue", meta.issue if meta else "")
        pages = left.text_input("Pages", meta.pages if meta else "")
        doi = right.text_input("DOI", record.doi)
        saved = st.form_submit_button("Save and re-index", icon=":material/save:")
    if saved:
        given = {"title": title, "authors": authors, "year": year.strip(), "venue": venue, "volume": volume,
                 "issue": issue, "pages": pages, "doi": doi}  # fmt: skip
        before = {"title": record.title, "authors": "; ".join(record.authors), "year": str(record.year or ""),
                  "venue": record.venue, "volume": meta.volume if meta else "", "issue": meta.issue if meta else "",
                  "pages": meta.pages if meta else "", "doi": record.doi}  # fmt: skip
        changed = {k: v for k, v in given.items() if v.strip() != before[k]}  # the sidecar holds only corrections
        try:
            edit_facts(assistant.settings.corpus.dir, doc, **changed)
        except RagError as exc:
            st.error(str(exc))
        else:
            _rebuild(assistant, f"Saved the citation facts of {doc} in {doc}.toml.")
    with st.container(horizontal=True, gap="small"):
        reread = st.button("Re-read this paper", key=f"reread-{doc}", icon=":material/refresh:")
        sure = st.checkbox("Yes, remove it from the library", key=f"sure-{doc}")
        remove = st.button("Remove", key=f"remove-{doc}", disabled=not sure, icon=":material/delete:")
    try:
        if reread:
            forget_cached(assistant.settings.corpus.dir, assistant.settings.index_dir, doc)
            _rebuild(assistant, f"Read {doc} afresh.")
        if remove:
            moved = remove_paper(assistant.settings.corpus.dir, doc)
            _rebuild(assistant, f"Removed {doc}: the file was moved to {moved}.")
    except RagError as exc:
        st.error(str(exc))


def _md(text: Any) -> str:
    """Text from a paper for st.markdown: whitespace collapsed, Markdown's marks shown as printed."""
    return re.sub(r"([\\`*_\[\]#|~<>])", r"\\\1", " ".join(str(text).split()))


def _reference_line(position: int, ref: dict[str, Any]) -> str:
    """One entry of a paper's reference list as parsed: authors (year). title. venue. DOI; the entry as printed
    when no title was found in it."""
    number = ref.get("number") or position
    if not ref.get("title"):
        return f"{number}. {_md(ref['text'])}"
    authors = _md("; ".join(ref.get("authors") or ())) or "(no authors)"
    parts = [f"{authors} ({ref.get('year') or 'n.d.'}).", f"{_md(ref['title'])}."]
    if ref.get("venue"):
        parts.append(f"*{_md(ref['venue'])}*.")
    if ref.get("doi"):
        parts.append(f"doi:{_md(ref['doi'])}")
    return f"{number}. " + " ".join(parts)


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
