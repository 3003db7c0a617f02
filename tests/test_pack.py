"""Course packs: `rag pack QUESTIONS.txt` answers each question with the real model and writes one handout."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_app import build_ui_index
from test_export import check_agreement, docx_parts

from rag.errors import BadQuestionError
from rag.pack import read_questions
from tests.fakes import clean_environment

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "How many clinical and non-clinical leaders were interviewed in the Aufegger study?",
    "What barriers to shared leadership did clinical and non-clinical managers report?",
    "What can clinical leaders contribute to the governance of integrated care systems?",
    "How did Ng collect her data?",
    "What was the gender split of participants in the Aufegger ICS study?",
]


def test_read_questions_skips_blanks_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("# week 1\n\n  How   were leaders\tinterviewed?  \nWhy?\n", encoding="utf-8")
    assert read_questions(path) == ["How were leaders interviewed?", "Why?"]
    path.write_text("# only a comment\n\n", encoding="utf-8")
    with pytest.raises(BadQuestionError, match="holds no questions: write one question a line"):
        read_questions(path)


@pytest.mark.slow
def test_rag_pack_builds_a_handout_from_five_questions(
    tmp_path_factory: pytest.TempPathFactory, seed_index: Any
) -> None:
    env = clean_environment()
    env.update(build_ui_index(tmp_path_factory.getbasetemp() / "ui", seed_index))
    folder = tmp_path_factory.mktemp("pack")
    (folder / "questions.txt").write_text("\n".join(QUESTIONS) + "\n", encoding="utf-8")
    out = folder / "pack.docx"
    command = [sys.executable, "-m", "rag.cli", "pack", "questions.txt", "--style", "apa", "--out", str(out)]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert re.fullmatch(rf"wrote {re.escape(str(out))}: 5 answers \([0-5] not answered by the papers\), style apa\n",
                        done.stdout)  # fmt: skip
    document, body, entries = docx_parts(out.read_bytes())
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [*QUESTIONS, "Appendix: quoted passages", "References"]
    check_agreement(body, [p.text for p in entries], "apa", works=len(entries))
    assert {p.text.split(",")[0] for p in entries} <= {"Aufegger", "Ng", "Waring", "Walsh"}
    assert len(entries) >= 2
    assert all(p.hyperlinks for p in entries)  # each paper's DOI (or the report's URL) is a link
