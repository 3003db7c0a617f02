"""Saved conversations in SQLite beside the index: saved as asked, reopened, renamed, deleted, across restarts."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from rag.conversations import SCHEMA_VERSION, ConversationStore, ConversationStoreError, title_for


def answer(question: str, n: int = 1) -> dict[str, Any]:
    return {"question": question, "answer": f"Answer {n} [1].", "abstained": False, "citations": [{"n": 1}]}


def test_turns_are_saved_in_order_and_survive_a_new_store(tmp_path: Path) -> None:
    store = ConversationStore.beside_index(tmp_path / "index")
    first = store.create("How were leaders interviewed?")
    store.add_turn(first, answer("How were leaders interviewed?", 1))
    store.add_turn(first, answer("And what did they say?", 2))
    second = store.create("Another topic")
    store.add_turn(second, answer("Another topic", 3))
    reopened = ConversationStore(tmp_path / "index" / "conversations.sqlite3")  # as after a server restart
    assert [a["answer"] for a in reopened.answers(first)] == ["Answer 1 [1].", "Answer 2 [1]."]
    assert [(c.title, c.turns) for c in reopened.conversations()] == [
        ("Another topic", 1),  # the most recently used first
        ("How were leaders interviewed?", 2),
    ]


def test_rename_and_delete(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    kept, gone = store.create("Kept"), store.create("Gone")
    turn = store.add_turn(gone, answer("Gone"))
    store.rename(kept, "  Week 1:   shared   leadership ")
    store.delete(gone)
    assert [(c.id, c.title) for c in store.conversations()] == [(kept, "Week 1: shared leadership")]
    assert store.turns_by_id([turn]) == []  # its turns went with it
    with pytest.raises(ConversationStoreError, match="a conversation needs a title"):
        store.rename(kept, "   ")
    with pytest.raises(ConversationStoreError, match="it was deleted; start a new one"):
        store.add_turn(gone, answer("late"))


def test_turns_by_id_keeps_the_order_asked_for(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    a, b = store.create("A"), store.create("B")
    ids = [store.add_turn(a, answer("a1")), store.add_turn(b, answer("b1")), store.add_turn(a, answer("a2"))]
    picked = store.turns_by_id([ids[2], ids[0], 999, ids[1]])
    assert [(t.id, t.conversation_id, t.answer["question"]) for t in picked] == [
        (ids[2], a, "a2"), (ids[0], a, "a1"), (ids[1], b, "b1"),
    ]  # fmt: skip


def test_file_is_wal_with_a_schema_version(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    store.create("x")
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_a_newer_file_and_a_damaged_file_fail_with_the_fix(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    ConversationStore(newer)
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(ConversationStoreError, match=r"written by a newer version .* update the program"):
        ConversationStore(newer)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ConversationStoreError, match=r"cannot open the conversation file .* move the file aside"):
        ConversationStore(damaged)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("  How   many\nleaders? ", "How many leaders?"),
        ("word " * 30, ("word " * 16).strip() + " …"),
    ],
)
def test_title_for(question: str, expected: str) -> None:
    assert title_for(question) == expected
