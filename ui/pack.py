"""The Course pack page: pick answers from saved conversations, order them, give each a heading and a note,
and download one handout (Word or Markdown) with quotes, locators, one reference list and an appendix."""

from __future__ import annotations

from typing import Any

import streamlit as st

from rag.conversations import ConversationStore, Turn
from rag.export import Part, one_line
from rag.pack import pack_bytes
from ui import history, render, state

DEFAULT_TITLE = "Course pack"


def _add(turn: Turn) -> None:
    state.pack_items().append({"turn": turn.id, "heading": one_line(turn.answer.get("question")), "note": ""})


def _remove(index: int) -> None:
    state.pack_items().pop(index)


def _move(index: int, step: int) -> None:
    items = state.pack_items()
    items.insert(index + step, items.pop(index))


def picker(store: ConversationStore) -> None:
    """Every saved conversation, its answered questions each with an 'Add' button (already added: disabled)."""
    st.subheader("1. Pick answers")
    saved = store.conversations()
    if not saved:
        st.info("No saved conversations yet: ask some questions on the Ask page first.", icon=":material/forum:")
        return
    picked = {item["turn"] for item in state.pack_items()}
    for conversation in saved:
        with st.expander(f"{conversation.title} ({conversation.turns})", expanded=len(saved) == 1):
            for turn in store.turns(conversation.id):
                left, right = st.columns([5, 1], vertical_alignment="center")
                abstained = bool(turn.answer.get("abstained"))
                note = " (not answered by the papers)" if abstained else ""
                left.markdown(render.esc(turn.answer.get("question")) + note)
                right.button(
                    "Add", key=f"add-{turn.id}", on_click=_add, args=(turn,), disabled=turn.id in picked,
                    icon=":material/playlist_add:", help="Add this answer to the course pack",
                )  # fmt: skip


def arranger(store: ConversationStore) -> list[Part]:
    """The picked answers in order, each with its heading, note, and buttons to move or remove it."""
    st.subheader("2. Order and edit")
    items = state.pack_items()
    turns = {t.id: t for t in store.turns_by_id([item["turn"] for item in items])}
    items[:] = [item for item in items if item["turn"] in turns]  # answers deleted with their conversation
    if not items:
        st.caption("Nothing picked yet.")
        return []
    parts = []
    for i, item in enumerate(items):
        with st.container(border=True):
            item["heading"] = st.text_input(f"Heading of answer {i + 1}", item["heading"], key=f"pack-h-{item['turn']}")
            item["note"] = st.text_area(
                f"Note for answer {i + 1} (optional)", item["note"], key=f"pack-n-{item['turn']}", height=68
            )
            with st.container(horizontal=True, gap="small"):
                st.button("Up", key=f"up-{item['turn']}", on_click=_move, args=(i, -1), disabled=i == 0,
                          icon=":material/arrow_upward:")  # fmt: skip
                st.button("Down", key=f"down-{item['turn']}", on_click=_move, args=(i, 1), disabled=i == len(items) - 1,
                          icon=":material/arrow_downward:")  # fmt: skip
                st.button("Remove", key=f"remove-{item['turn']}", on_click=_remove, args=(i,),
                          icon=":material/delete:")  # fmt: skip
        parts.append(Part(item["heading"] or one_line(turns[item["turn"]].answer.get("question")),
                          turns[item["turn"]].answer, item["note"]))  # fmt: skip
    return parts


def pack_page(store: ConversationStore) -> None:
    style = history.style_picker()
    st.title("Course pack")
    st.caption(
        "Build a handout from saved answers: each under your heading and note, with its quotes and where they "
        "come from, one reference list in the chosen style, and an appendix of the quoted passages."
    )
    picker(store)
    parts = arranger(store)
    st.subheader("3. Download")
    title = st.text_input("Title of the handout", DEFAULT_TITLE, key="pack-title") or DEFAULT_TITLE
    if not parts:
        st.caption("Add at least one answer to download a pack.")
        return
    formats: list[tuple[str, str, str, Any]] = [
        ("Word", "docx", render.DOCX, lambda: pack_bytes(title, parts, style, "docx")),
        ("Markdown", "md", "text/markdown", lambda: pack_bytes(title, parts, style, "md")),
    ]
    render.download_row(formats, "course-pack")
