"""Adapting the embedding model to the papers (rag.adapt): the pairs it learns from, its batches, the folder it
keeps, and (slow) `rag adapt` with the real model, as a user runs it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.adapt import adapted_model, batches, drop_unused, training_pairs
from rag.answering import selector_model
from rag.settings import Settings
from tests.test_cli import ROOT, _run

LONG = "Shared leadership spreads the work of leading across a team."
NEXT = "Managers and clinicians decide together on the service."
LAST = "This took time to build in each of the sites we studied."


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        # a body section: its heading with each sentence, each sentence with the next
        (
            [("Findings", "body", [LONG, NEXT, LAST])],
            [("Findings", LONG), ("Findings", NEXT), ("Findings", LAST), (LONG, NEXT), (NEXT, LAST)],
        ),
        # front matter's heading teaches nothing; its sentences still follow each other
        ([("Front matter", "front", [LONG, NEXT])], [(LONG, NEXT)]),
        ([("Back matter", "body", [LONG, NEXT])], [(LONG, NEXT)]),
        # a fragment under five words is left out, so its neighbours pair up
        ([("Themes", "body", [LONG, "Table 2.", NEXT])], [("Themes", LONG), ("Themes", NEXT), (LONG, NEXT)]),
        # a heading of three characters or fewer is no heading; a heading's spaces are tidied
        ([("1.", "body", [LONG, NEXT])], [(LONG, NEXT)]),
        ([("Key   findings ", "body", [LONG])], [("Key findings", LONG)]),
        # the same pair from two passages is made once
        ([("Findings", "body", [LONG]), ("Findings", "body", [LONG])], [("Findings", LONG)]),
    ],
)
def test_training_pairs(sections: list[tuple[str, str, list[str]]], expected: list[tuple[str, str]]) -> None:
    assert training_pairs(sections) == expected


def test_batches_never_repeat_a_text_and_keep_every_pair() -> None:
    pairs = [("Findings", f"sentence {i}") for i in range(3)] + [("a", "b"), ("c", "d"), ("Themes", "e")]
    cut = batches(pairs, size=3)
    assert cut == [
        [("Findings", "sentence 0"), ("a", "b"), ("c", "d")],
        [("Findings", "sentence 1"), ("Themes", "e")],
        [("Findings", "sentence 2")],
    ]


def test_too_little_text_is_one_message_and_nothing_is_written(tmp_path: Path) -> None:
    from rag.adapt import adapt
    from rag.errors import CorpusError

    with pytest.raises(CorpusError, match=r"^too little text to adapt the model to \(3 sentence pairs, at least 32"):
        adapt(tmp_path, tmp_path / "model", [("Findings", "body", [LONG, NEXT])])
    assert list(tmp_path.iterdir()) == []


def _point(index_dir: Path, model_id: str, whole: bool = True) -> None:
    models = index_dir / "models"
    (models / f"adapted-{model_id}").mkdir(parents=True)
    if whole:
        (models / f"adapted-{model_id}" / "config.json").write_text("{}", encoding="utf-8")
    (models / "ADAPTED").write_text(model_id + "\n", encoding="utf-8")


def test_the_adapted_model_is_part_of_the_fingerprint(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path)
    packaged = settings.index_fingerprint()
    assert settings.adapted_model() is None
    _point(tmp_path, "0123456789ab")
    model = settings.adapted_model()
    assert model is not None and (model.id, model.path) == ("0123456789ab", tmp_path / "models/adapted-0123456789ab")
    assert settings.index_fingerprint() != packaged
    # switched off in the settings, or for the int8 runtime, the packaged model embeds (same fingerprint as before)
    assert Settings(index_dir=tmp_path, embedding={"adapted": False}).index_fingerprint() == packaged
    assert Settings(index_dir=tmp_path, embedding={"runtime": "int8"}).adapted_model() is None


def test_a_pointer_to_a_missing_or_partial_model_is_no_model(tmp_path: Path) -> None:
    _point(tmp_path, "0123456789ab", whole=False)
    assert adapted_model(tmp_path) is None
    elsewhere = Settings(index_dir=tmp_path / "other").index_fingerprint()
    assert Settings(index_dir=tmp_path).index_fingerprint() == elsewhere


def test_drop_unused_keeps_the_model_in_use_and_its_export(tmp_path: Path) -> None:
    _point(tmp_path, "aaaaaaaaaaaa")
    _point(tmp_path, "bbbbbbbbbbbb")
    models = tmp_path / "models"
    for name in (
        "all-MiniLM-L6-v2-0.1.0-onnx1.onnx",
        "all-MiniLM-L6-v2-0.1.0-adapted-aaaaaaaaaaaa-onnx1.onnx",
        "all-MiniLM-L6-v2-0.1.0-adapted-aaaaaaaaaaaa-onnx1.kept.npz",
        "all-MiniLM-L6-v2-0.1.0-adapted-bbbbbbbbbbbb-onnx1.onnx",
    ):
        (models / name).write_bytes(b"x")
    drop_unused(tmp_path, keep=["bbbbbbbbbbbb"])
    assert sorted(p.name for p in models.iterdir()) == [
        "ADAPTED",
        "adapted-bbbbbbbbbbbb",
        "all-MiniLM-L6-v2-0.1.0-adapted-bbbbbbbbbbbb-onnx1.onnx",
        "all-MiniLM-L6-v2-0.1.0-onnx1.onnx",
    ]


def test_adapt_needs_the_float_runtime(tmp_path: Path) -> None:
    from rag.assistant import Assistant
    from rag.errors import SettingsError

    with pytest.raises(SettingsError, match=r'embedding.runtime = "torch" and embedding.adapted = true'):
        Assistant(Settings(index_dir=tmp_path, embedding={"runtime": "int8"})).adapt()


def test_adapt_plan_says_when_rag_index_goes_on_to_adapt(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from rag.adapt import AUTO_MAX_PASSAGES, switch_off
    from rag.assistant import Assistant

    sentences = [f"Ward team number {i} agreed its priorities with the managers." for i in range(40)]

    def plan(passages: int = 351, text: list[str] = sentences, **embedding: object) -> str:
        assistant = Assistant(Settings(index_dir=tmp_path, embedding=embedding))
        assistant._index = SimpleNamespace(chunks=[None] * passages)  # type: ignore[assignment]
        assistant._sections = lambda: [("Findings", "body", text)]  # type: ignore[method-assign]
        return assistant.adapt_plan()

    assert plan() == "adapt"
    assert plan(AUTO_MAX_PASSAGES + 1) == "large"
    assert plan(text=sentences[:10]) == "small"  # 19 pairs: fewer than one batch
    assert plan(adapted=False) == plan(runtime="int8") == "off"
    _point(tmp_path, "0123456789ab")
    assert plan() == "in use"
    # `rag adapt --off` is remembered: `rag index` does not adapt again by itself, until `rag adapt` is run
    assert switch_off(tmp_path) is True
    assert plan() == "declined"
    assert (tmp_path / "models" / "PACKAGED").is_file()
    from rag.adapt import _point as point

    point(tmp_path / "models", "0123456789ab")
    assert plan() == "in use"
    assert not (tmp_path / "models" / "PACKAGED").exists()


# --- the real model (slow) ------------------------------------------------------------------------------


def _manifest(index_dir: Path) -> dict[str, object]:
    generation = index_dir / (index_dir / "CURRENT").read_text().strip()
    return json.loads((generation / "manifest.json").read_text())


def _vectors(index_dir: Path) -> np.ndarray:
    generation = index_dir / (index_dir / "CURRENT").read_text().strip()
    return np.load(generation / "sentence_vectors.npy")


@pytest.mark.slow
def test_rag_adapt_tunes_the_model_and_questions_follow_it(tmp_path: Path) -> None:
    from rag.assistant import Assistant

    (tmp_path / "corpus").mkdir()
    paper = "walsh-2023-practice-of-collaborative-leadership.txt"
    shutil.copy(ROOT / "corpus" / paper, tmp_path / "corpus" / paper)
    where = ["--corpus", "corpus", "--index", "index"]
    assert _run(["index", *where, "-q"], tmp_path).returncode == 0
    packaged = _vectors(tmp_path / "index")
    settings = Settings(index_dir=tmp_path / "index", corpus={"dir": tmp_path / "corpus"})
    running = Assistant(settings)  # a page that was answering with the packaged model
    assert "adapted" not in running.embedder.path.name  # type: ignore[attr-defined]

    done = _run(["adapt", *where, "-q", "--pairs", "64"], tmp_path)
    assert done.returncode == 0, done.stderr
    found = re.fullmatch(
        r"adapted the model to the papers \(64 sentence pairs, (\d) steps, \dm\d\ds; model ([0-9a-f]{12})\); "
        r"re-embedded 1 file\(s\), (\d+) passages\. Questions use it now; `rag adapt --off` goes back\n",
        done.stdout,
    )
    assert found is not None, done.stdout
    model_id = found.group(2)
    index_dir = tmp_path / "index"
    assert _manifest(index_dir)["adapted"] == model_id
    assert (index_dir / "models" / "ADAPTED").read_text().strip() == model_id
    tuned = _vectors(index_dir)
    assert tuned.shape == packaged.shape
    assert float(np.abs(tuned - packaged).max()) > 0.01  # the papers were embedded again, by another model

    done = _run(["adapt", *where, "-q", "--if-needed"], tmp_path)
    assert (done.returncode, done.stdout) == (
        0,
        f"the index already uses the model adapted to its papers ({model_id}); nothing to do\n",
    )
    # the page notices the new index and its model: questions are embedded by the adapted model's export
    running.reload()
    assert f"adapted-{model_id}" in running.embedder.path.name  # type: ignore[attr-defined]

    # questions are embedded by the adapted model's ONNX export, which gives its vectors
    assistant = Assistant(settings)
    question = ["What does collaborative leadership ask of managers?"]
    assert type(assistant.embedder).__name__ == "OnnxMiniLMEmbedder"
    assert f"adapted-{model_id}" in assistant.embedder.path.name  # type: ignore[attr-defined]
    assert float(np.abs(assistant.embedder.embed(question) - assistant.torch_embedder.embed(question)).max()) < 1e-4
    hits = assistant.search(question[0])
    assert hits[0].chunk.doc == paper
    # sentences are chosen by the selector trained on an adapted model's features, judged by the packaged gate
    selector = assistant.chain.selector
    assert selector is not None and selector["gate"]["weights"] == selector_model()["weights"]
    assert selector["weights"] != selector_model()["weights"]

    done = _run(["adapt", *where, "-q", "--off"], tmp_path)
    chunks = _manifest(index_dir)["chunks"]
    assert (done.returncode, done.stdout) == (
        0,
        f"back to the packaged model: re-embedded 0 file(s), {chunks} passages\n",
    )
    assert _manifest(index_dir)["adapted"] == ""
    assert np.array_equal(_vectors(index_dir), packaged)  # the packaged model's vectors, from the cache
    assert not [p.name for p in (index_dir / "models").iterdir() if "adapted" in p.name.lower()]
    # the choice holds: `rag index` (which adapts a library the first time) and make run's step leave it
    on_index = {"RAG_EMBEDDING__ADAPT_ON_INDEX": "true"}
    done = _run(["index", *where, "-q"], tmp_path, env=on_index)
    assert (done.returncode, done.stderr, done.stdout.count("\n")) == (0, "", 1)
    assert _manifest(index_dir)["adapted"] == ""
    done = _run(["adapt", *where, "-q", "--if-needed"], tmp_path, env=on_index)
    assert done.stdout == "`rag adapt --off` chose the packaged model for this index; `rag adapt` tunes it again\n"


@pytest.mark.slow
def test_a_build_then_adapt_in_one_process_embeds_the_papers_with_the_adapted_model(tmp_path: Path) -> None:
    """`rag index` adapts right after building, in the process whose packaged model made the first vectors: the
    second build must embed with the adapted model, not the one still loaded."""
    from rag.assistant import Assistant
    from rag.embedding import MiniLMEmbedder

    (tmp_path / "corpus").mkdir()
    paper = "walsh-2023-practice-of-collaborative-leadership.txt"
    shutil.copy(ROOT / "corpus" / paper, tmp_path / "corpus" / paper)
    assistant = Assistant(Settings(index_dir=tmp_path / "index", corpus={"dir": tmp_path / "corpus"}))
    assistant.build(progress=False)
    packaged = _vectors(tmp_path / "index")
    made, _ = assistant.adapt(progress=False, max_pairs=64)
    assert _manifest(tmp_path / "index")["adapted"] == made.model.id
    index = assistant.index
    rows = [0, len(index.chunks) // 2, len(index.chunks) - 1]
    texts = [index.chunks[row].text[s:e] for row in rows for s, e, _ in index.sentences_of(row)[:1]]
    by_adapted = MiniLMEmbedder(path=made.model.path).embed(texts)
    stored = _vectors(tmp_path / "index")[[index.sentences_of(row)[0][2] for row in rows]]
    assert float(np.abs(stored - by_adapted).max()) < 1e-4
    assert float(np.abs(stored - packaged[[index.sentences_of(row)[0][2] for row in rows]]).max()) > 0.01
