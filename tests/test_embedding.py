"""Tests of rag.embedding's ONNX query runtime: it embeds exactly as sentence-transformers does, a bad export is
never kept, and the assistant falls back to sentence-transformers (or says what to run) when there is none."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from rag.assistant import Assistant
from rag.embedding import KeptVectors, MiniLMEmbedder, OnnxMiniLMEmbedder, export_onnx, kept_vectors_file, onnx_file
from rag.errors import BackendUnavailableError
from rag.settings import load_settings
from tests.fakes import HashEmbedder

ROOT = Path(__file__).resolve().parents[1]


def _assistant(tmp_path: Path, runtime: str) -> Assistant:
    settings = load_settings(index_dir=tmp_path / "index", embedding={"query_runtime": runtime})
    assistant = Assistant(settings)
    assistant.__dict__["indexing_embedder"] = HashEmbedder()  # stands in for sentence-transformers
    return assistant


def test_onnx_runtime_without_an_export_says_what_to_run(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, "onnx")
    path = onnx_file(tmp_path / "index")
    with pytest.raises(BackendUnavailableError) as caught:
        _ = assistant.embedder
    assert str(caught.value) == f"no ONNX export of the model at {path}: run `rag index` to make it"


def test_auto_runtime_without_an_export_uses_sentence_transformers(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, "auto")
    assert assistant.embedder is assistant.indexing_embedder


def test_damaged_export_falls_back_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = onnx_file(tmp_path / "index")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an onnx model")
    assistant = _assistant(tmp_path, "auto")
    with caplog.at_level(logging.WARNING, logger="rag.assistant"):
        embedder = assistant.embedder
    assert embedder is assistant.indexing_embedder
    assert f"cannot load {path}" in caplog.text


def test_failed_export_is_one_warning_and_indexing_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(dest: Path, reference: object) -> Path:
        raise RuntimeError("onnx is not installed")

    monkeypatch.setattr("rag.assistant.export_onnx", broken)
    assistant = _assistant(tmp_path, "auto")
    with caplog.at_level(logging.WARNING, logger="rag.assistant"):
        assistant.prepare_query_model()
    assert [r.getMessage() for r in caplog.records] == [
        "could not export the model to ONNX (onnx is not installed); questions will use sentence-transformers"
    ]
    assert not onnx_file(tmp_path / "index").exists()


def test_new_export_replaces_exports_of_an_earlier_model_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_export(dest: Path, reference: object) -> Path:
        dest.write_bytes(b"exported")
        return dest

    monkeypatch.setattr("rag.assistant.export_onnx", fake_export)
    models = tmp_path / "index" / "models"
    models.mkdir(parents=True)
    (models / "all-MiniLM-L6-v2-0.0.9-onnx1.onnx").write_bytes(b"old")
    (models / "all-MiniLM-L6-v2-0.0.9-onnx1.kept.npz").write_bytes(b"old vectors")
    (models / "notes.txt").write_text("kept")
    _assistant(tmp_path, "auto").prepare_query_model()
    assert sorted(p.name for p in models.iterdir()) == [onnx_file(tmp_path / "index").name, "notes.txt"]


def test_kept_vectors_answer_the_next_start_and_never_keep_questions(tmp_path: Path) -> None:
    path = kept_vectors_file(tmp_path / "model.onnx")
    first = KeptVectors(HashEmbedder(), path)
    headings = ["Data analysis", "Study design", "Data analysis"]
    vectors = first.embed(headings)
    first.keep()
    first.embed(["a question asked after start-up"])  # looked up, embedded, not kept
    inner = HashEmbedder()
    again = KeptVectors(inner, path).embed(["Study design", "Data analysis"])
    assert (path.name, inner.calls, np.array_equal(again, vectors[[1, 0]])) == ("model.kept.npz", [], True)
    with np.load(path) as data:
        assert sorted(data["texts"].tolist()) == ["Data analysis", "Study design"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[OnnxMiniLMEmbedder, MiniLMEmbedder]:
    reference = MiniLMEmbedder()
    path = export_onnx(tmp_path_factory.mktemp("onnx") / "model.onnx", reference)
    return OnnxMiniLMEmbedder(path, batch_size=8), reference


def _corpus_texts() -> list[str]:
    """Real texts of every length: short sentences, whole paragraphs, and one far past the 256 word-piece limit."""
    text = (ROOT / "corpus" / "aufegger-2020-sharing-leadership.web.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if len(p.strip()) > 40]
    sentences = [s.strip() + "." for s in paragraphs[5].split(". ") if s.strip()]
    return [*sentences, *paragraphs[:20], " ".join(paragraphs[:12])]


@pytest.mark.slow
def test_onnx_export_embeds_like_sentence_transformers(
    exported: tuple[OnnxMiniLMEmbedder, MiniLMEmbedder],
) -> None:
    onnx, reference = exported
    texts = _corpus_texts()
    assert len(texts) >= 25
    got = onnx.embed(texts)
    assert got.shape == (len(texts), 384)
    assert float(np.abs(got - reference.embed(texts)).max()) < 1e-4
    # Batching (sorted by length, padded) changes nothing: one text alone gives the same vector.
    alone = np.stack([onnx.embed([t])[0] for t in texts[:5]])
    assert float(np.abs(got[:5] - alone).max()) < 1e-5


@pytest.mark.slow
def test_export_that_disagrees_with_the_reference_is_not_kept(tmp_path: Path) -> None:
    dest = tmp_path / "models" / "model.onnx"
    with pytest.raises(RuntimeError, match="the ONNX export differs from sentence-transformers by"):
        export_onnx(dest, HashEmbedder())
    assert list((tmp_path / "models").iterdir()) == []  # neither the export nor its temporary file
