"""The sidebar's saved conversations: start a new one, reopen, rename or delete one; and the reference style."""

from __future__ import annotations

import time

import streamlit as st

from rag.conversations import ConversationStore, ConversationSummary
from rag.csl import STYLE_LABELS, STYLES, load_style
from rag.errors import RagError
from ui import state


def conversation_sidebar(store: ConversationStore) -> str | None:
    """Draw the conversation controls; returns the open conversation's id (None for a new one not yet asked)."""
    current = state.conversation_id()
    saved = store.conversations()
    if current is not None and all(c.id != current for c in saved):
        state.open_conversation(None)  # deleted elsewhere, or a stale link: start afresh
        current = None
    with st.sidebar:
        st.subheader("Conversations")
        for kind, message in state.take_message("history_result"):
            getattr(st, kind)(message)
        if st.button("New conversation", icon=":material/add_comment:", key="new-conversation"):
            state.open_conversation(None)
            st.rerun()
        if saved:
            ids = [c.id for c in saved]
            titles = {c.id: label(c) for c in saved}
            chosen = st.selectbox(
                "Saved conversations",
                ids,
                index=ids.index(current) if current in ids else None,
                format_func=titles.__getitem__,
                placeholder="Reopen a conversation…",
                key=f"open-{current}",
            )
            if chosen != current and chosen is not None:
                state.open_conversation(chosen)
                st.rerun()
        if current is not None:
            _manage(store, current, next(c.title for c in saved if c.id == current))
    return current


def label(conversation: ConversationSummary) -> str:
    """'Week 1 · 2 questions · 3 Dec 08:14' (local time of its last question)."""
    when = time.strftime("%-d %b %H:%M", time.localtime(conversation.updated_at))
    count = f"{conversation.turns} question{'s' if conversation.turns != 1 else ''}"
    return f"{conversation.title} · {count} · {when}"


def _manage(store: ConversationStore, current: str, title: str) -> None:
    with st.expander("Rename or delete", icon=":material/edit:"):
        new_title = st.text_input("Title", value=title, key=f"title-{current}", max_chars=120)
        if st.button("Rename", key=f"rename-{current}"):
            try:
                store.rename(current, new_title)
            except RagError as exc:
                st.session_state["history_result"] = [("error", str(exc))]
            st.rerun()
        confirm = st.checkbox("Yes, delete this conversation", key=f"confirm-{current}")
        if st.button("Delete", key=f"delete-{current}", disabled=not confirm, icon=":material/delete:"):
            store.delete(current)
            state.open_conversation(None)
            st.session_state["history_result"] = [("success", f"Deleted “{title}”.")]
            st.rerun()


def style_picker() -> str:
    """The reference style: APA 7, Vancouver, Harvard, or any CSL style by name; returns a style that loads."""
    with st.sidebar:
        options = [*STYLES, state.OTHER_STYLE]
        labels = {**STYLE_LABELS, state.OTHER_STYLE: "Another CSL style…"}
        chosen = st.selectbox("Reference style", options, format_func=labels.__getitem__, key="style")
        if chosen == state.OTHER_STYLE:
            st.text_input("CSL style name", key="csl_style", placeholder="e.g. chicago-author-date, ieee, bmj")
        style = state.reference_style()
        try:
            load_style(style)
        except RagError as exc:
            st.error(str(exc))
            return STYLES[0]
    return style
