"""Saved conversations: answer-contract dicts in, kept in an SQLite file beside the index, conversations out.

Standard-library sqlite3 in WAL mode (readers never wait for the one writer), a schema version recorded in the
file, and a connection per call so the page's sessions (threads) never share one. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import RagError

DB_NAME = "conversations.sqlite3"
SCHEMA_VERSION = 1
TITLE_CHARS = 80
_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns(conversation_id, id);
"""


class ConversationStoreError(RagError):
    """The conversation file cannot be opened or is from a newer version of this program."""


@dataclass(frozen=True)
class ConversationSummary:
    """A saved conversation as a list shows it: id, title, times (seconds since the epoch), number of turns."""

    id: str
    title: str
    created_at: float
    updated_at: float
    turns: int


@dataclass(frozen=True)
class Turn:
    """One saved question and answer: its row id (stable, for picking answers into a course pack) and answer."""

    id: int
    conversation_id: str
    answer: dict[str, Any]


def title_for(question: str) -> str:
    """A conversation's default title: its first question, shortened to a whole word."""
    text = " ".join(question.split())
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS].rsplit(" ", 1)[0] + " …"


class ConversationStore:
    """Conversations and their turns in one SQLite file (by default `<index folder>/conversations.sqlite3`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(_SCHEMA)
                row = db.execute("SELECT version FROM schema_version").fetchone()
                if row is None:
                    db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
                elif row[0] > SCHEMA_VERSION:
                    raise ConversationStoreError(
                        f"{path} was written by a newer version (schema {row[0]}, this one reads {SCHEMA_VERSION}):"
                        " update the program, or move the file aside to start afresh"
                    )
        except sqlite3.Error as exc:
            raise ConversationStoreError(
                f"cannot open the conversation file {path} ({exc}): check the folder is writable, or move the "
                "file aside to start afresh"
            ) from exc

    @classmethod
    def beside_index(cls, index_dir: Path) -> ConversationStore:
        return cls(index_dir / DB_NAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA foreign_keys=ON")
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    def create(self, title: str) -> str:
        """A new, empty conversation; returns its id."""
        conversation_id, now = uuid.uuid4().hex, time.time()
        with self._connect() as db:
            db.execute(
                "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (conversation_id, title_for(title) or "Conversation", now, now),
            )
        return conversation_id

    def add_turn(self, conversation_id: str, answer: Mapping[str, Any]) -> int:
        """Save one answer at the end of a conversation; returns the turn's id."""
        now = time.time()
        with self._connect() as db:
            found = db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
            if found.rowcount == 0:
                raise ConversationStoreError(f"no conversation {conversation_id!r}: it was deleted; start a new one")
            cursor = db.execute(
                "INSERT INTO turns (conversation_id, question, answer_json, created_at) VALUES (?, ?, ?, ?)",
                (conversation_id, str(answer.get("question") or ""), json.dumps(answer, ensure_ascii=False), now),
            )
        return int(cursor.lastrowid or 0)

    def conversations(self) -> list[ConversationSummary]:
        """Every conversation, the most recently used first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT c.id, c.title, c.created_at, c.updated_at, COUNT(t.id) FROM conversations c "
                "LEFT JOIN turns t ON t.conversation_id = c.id GROUP BY c.id ORDER BY c.updated_at DESC, c.rowid DESC"
            ).fetchall()
        return [ConversationSummary(*row) for row in rows]

    def get(self, conversation_id: str) -> ConversationSummary | None:
        return next((c for c in self.conversations() if c.id == conversation_id), None)

    def turns(self, conversation_id: str) -> list[Turn]:
        """A conversation's turns in the order they were asked."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, conversation_id, answer_json FROM turns WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            ).fetchall()
        return [Turn(row[0], row[1], json.loads(row[2])) for row in rows]

    def answers(self, conversation_id: str) -> list[dict[str, Any]]:
        return [turn.answer for turn in self.turns(conversation_id)]

    def turns_by_id(self, turn_ids: list[int]) -> list[Turn]:
        """The given turns (of any conversations) in the order of `turn_ids`; ids no longer saved are left out."""
        if not turn_ids:
            return []
        marks = ",".join("?" * len(turn_ids))
        with self._connect() as db:
            rows = db.execute(
                f"SELECT id, conversation_id, answer_json FROM turns WHERE id IN ({marks})", tuple(turn_ids)
            ).fetchall()
        found = {row[0]: Turn(row[0], row[1], json.loads(row[2])) for row in rows}
        return [found[i] for i in turn_ids if i in found]

    def rename(self, conversation_id: str, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            raise ConversationStoreError("a conversation needs a title: type one and save again")
        with self._connect() as db:
            db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))

    def delete(self, conversation_id: str) -> None:
        """Delete a conversation and all its turns."""
        with self._connect() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
