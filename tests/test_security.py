"""Nothing from an index, a config or a paper runs as code, and no API key is written anywhere: no pickle-capable
loader in the library, a pickled payload in an index is refused without running, and an eval run made with a
chat backend configured holds no trace of its key."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fakes import HashEmbedder

from rag import cli
from rag.assistant import Assistant
from rag.errors import IndexDamagedError, SettingsError
from rag.export import answer_to_markdown, answer_to_plain_text, answers_to_docx
from rag.index import build_index, load_index
from rag.settings import load_settings
from tests.fakes import clear_settings_environment

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = sorted([*(ROOT / "rag").rglob("*.py"), ROOT / "app.py"])
UNSAFE_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve", "marshal", "yaml"}
SECRET = "sk-test-0123456789abcdefSECRET"


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    return ast.unparse(call.func)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_executing_loader(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert imported & UNSAFE_MODULES == set()
    for call in _calls(tree):
        name = _name(call)
        keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
        assert name not in ("eval", "exec", "torch.load", "pd.read_pickle"), f"{path.name}: {name}"
        if name in ("np.load", "numpy.load"):
            assert keywords.get("allow_pickle") == "False", (
                f"{path.name}:{call.lineno}: np.load needs allow_pickle=False"
            )


class _Payload:
    """Unpickling this runs `os.system`: the test checks it never runs."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_a_pickled_index_file_is_refused_without_running(tmp_path: Path) -> None:
    """Even with its checksum updated to match (someone who can write the folder), a pickle is not loaded."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ward rotas\n\nResults\n\nAgency nurses filled the gaps.\n", encoding="utf-8")
    settings = load_settings(index_dir=tmp_path / "index", corpus={"dir": corpus})
    build_index(settings, HashEmbedder, progress=False)
    generation = settings.index_dir / (settings.index_dir / "CURRENT").read_text(encoding="utf-8")
    marker = tmp_path / "ran"
    target = generation / "sentence_vectors.npy"
    np.save(target, np.array([_Payload(marker)], dtype=object), allow_pickle=True)
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    manifest["checksums"]["sentence_vectors.npy"] = hashlib.sha256(target.read_bytes()).hexdigest()
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert pickle.dumps(0)  # (pickle itself works here: the refusal is the loader's)
    with pytest.raises(IndexDamagedError, match=r"is damaged \(ValueError while reading it\)"):
        load_index(settings)
    assert not marker.exists()


def test_an_api_key_cannot_be_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings are written into eval runs (as a fingerprint) and shown in errors: a key has no place in them."""
    monkeypatch.chdir(tmp_path)
    clear_settings_environment(monkeypatch)
    with pytest.raises(SettingsError, match=r"unknown setting 'answering\.api_key'"):
        load_settings(answering={"api_key": SECRET})
    monkeypatch.setenv("RAG_ANSWERING__API_KEY", SECRET)
    with pytest.raises(SettingsError, match=r"unknown setting 'answering\.api_key'") as error:
        load_settings()
    assert SECRET not in str(error.value)


def test_no_key_in_eval_runs_exports_or_output(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a chat backend configured and its key in the environment, nothing written or printed holds the key."""
    clear_settings_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("RAG_ANSWERING__BACKEND", "openai")
    monkeypatch.setenv("RAG_ANSWERING__MODEL", "gpt-test")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ward rotas\n\nResults\n\nAgency nurses filled the gaps.\n", encoding="utf-8")
    settings = load_settings(index_dir=tmp_path / "index", corpus={"dir": corpus})
    assert settings.answering.api_key_env == "OPENAI_API_KEY"
    build_index(settings, HashEmbedder, progress=False)
    extractive = load_settings(
        index_dir=tmp_path / "index", corpus={"dir": corpus}, answering={"backend": "extractive"}
    )
    answer = Assistant(extractive, embedder_override=HashEmbedder()).ask("Who filled the gaps?", qid="q1").to_dict()
    (tmp_path / "answers.jsonl").write_text(json.dumps(answer) + "\n", encoding="utf-8")
    qa = {
        "id": "q1",
        "question": "Who filled the gaps?",
        "answer": "Agency nurses.",
        "key_points": ["agency nurses"],
        "evidence": [{"doc": "a.txt", "quote": "Agency nurses filled the gaps."}],
    }
    (tmp_path / "qa.jsonl").write_text(json.dumps(qa) + "\n", encoding="utf-8")
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "rag",
            "eval",
            "--qa",
            "qa.jsonl",
            "--answers",
            "answers.jsonl",
            "--out",
            "run",
            "--corpus",
            "corpus",
            "--index",
            "index",
        ],
    )
    code = 0
    try:
        cli.main()
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    written = {p.name: p.read_bytes() for p in (tmp_path / "run").rglob("*") if p.is_file()}
    assert code == 0 and "metrics.json" in written and "report.html" in written
    assert [name for name, data in written.items() if SECRET.encode() in data] == []
    assert SECRET not in out + err
    exports = answer_to_markdown(answer) + answer_to_plain_text(answer)
    assert "Who filled the gaps?" in exports and SECRET not in exports
    assert SECRET.encode() not in answers_to_docx([answer])
    assert SECRET not in json.dumps(answer) and SECRET not in json.dumps(settings.model_dump(mode="json"))
