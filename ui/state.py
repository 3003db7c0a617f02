"""What the page keeps between reruns, in one place: heavy objects per server, choices and drafts per session.

The open conversation is named in the URL (`?c=<id>`), so a reload or a restart reopens it from the store.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import streamlit as st

from rag.assistant import Assistant
from rag.conversations import ConversationStore
from rag.csl import STYLES
from rag.settings import Settings

log = logging.getLogger("rag.ui")
OTHER_STYLE = "other"


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


@st.cache_resource(show_spinner=False)
def conversation_store(index_dir: str) -> ConversationStore:
    """The saved conversations beside the index (one store object per folder; it opens a connection per call)."""
    from pathlib import Path

    return ConversationStore.beside_index(Path(index_dir))


def conversation_id() -> str | None:
    """The open conversation: the one named in the URL, if any."""
    value = st.query_params.get("c")
    return str(value) if value else None


def open_conversation(conversation: str | None) -> None:
    """Open a saved conversation (None: a new, empty one) and name it in the URL."""
    if conversation is None:
        st.query_params.pop("c", None)
    else:
        st.query_params["c"] = conversation


def reference_style() -> str:
    """The reference style chosen in the sidebar: apa, vancouver, harvard, or any CSL style name typed in."""
    chosen = str(st.session_state.get("style") or STYLES[0])
    if chosen == OTHER_STYLE:
        return str(st.session_state.get("csl_style") or "").strip() or STYLES[0]
    return chosen


def pack_items() -> list[dict[str, Any]]:
    """The course pack being built: [{"turn": saved turn id, "heading": str, "note": str}] in pack order."""
    items: list[dict[str, Any]] = st.session_state.setdefault("pack", [])
    return items


def take_message(key: str) -> list[tuple[str, str]]:
    """Messages left for the next rerun (after st.rerun), shown once."""
    messages: list[tuple[str, str]] = st.session_state.pop(key, [])
    return messages
