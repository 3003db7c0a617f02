"""Course packs for trainers: questions or saved answers in, one handout out (Word or Markdown) with each answer
under its heading and note, its quotes and locators, one merged reference list and an appendix of the passages."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.errors import BadQuestionError, RagError
from rag.export import Part, document_docx, document_markdown, one_line

if TYPE_CHECKING:
    from rag.assistant import Assistant

log = logging.getLogger(__name__)
FORMATS = {".docx": "docx", ".md": "md"}


def read_questions(path: Path) -> list[str]:
    """One question a line; blank lines and lines starting with '#' are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise BadQuestionError(f"questions file {path} not found: pass a text file with one question a line") from exc
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise BadQuestionError(f"{path} is not a UTF-8 text file: pass a text file with one question a line") from exc
    questions = [one_line(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not questions:
        raise BadQuestionError(f"{path} holds no questions: write one question a line")
    return questions


def answer_questions(assistant: Assistant, questions: Sequence[str]) -> list[dict[str, Any]]:
    """Each question answered on its own (a pack's questions are not a conversation)."""
    answers = []
    for n, question in enumerate(questions, start=1):
        log.info("pack: answering question %d of %d", n, len(questions))
        answers.append(assistant.ask(question).to_dict())
    return answers


def pack_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise RagError(f"cannot write a course pack as {out.name!r}: name the output .docx (Word) or .md (Markdown)")
    return fmt


def pack_bytes(title: str, parts: Sequence[Part], style: str, fmt: str) -> bytes:
    """The handout in the format ('docx' or 'md'): headings, notes, answers, quotes, appendix, references."""
    if fmt == "docx":
        return document_docx(title, parts, style, appendix=True)
    return document_markdown(title, parts, style, appendix=True).encode("utf-8")


def write_pack(out: Path, title: str, parts: Sequence[Part], style: str) -> Path:
    """Write the handout to `out` (the format from its suffix); returns the path written."""
    data = pack_bytes(title, parts, style, pack_format(out))
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise RagError(f"cannot write {out} ({exc.strerror}): choose a folder you can write to") from exc
    return out
