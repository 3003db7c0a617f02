"""Tests of rag.embedding's ONNX query runtime: it embeds exactly as sentence-transformers does, a bad export is
never kept, and the assistant falls back to sentence-transformers (or says what to run) when there is none; and of
the int8 runtime (rag.quantised): close to the float vectors, recorded by the index, and questions follow it."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest

from rag.assistant import Assistant
from rag.embedding import (
    KeptVectors,
    MiniLMEmbedder,
    OnnxMiniLMEmbedder,
    export_onnx,
    export_pooled,
    kept_vectors_file,
    length_batches,
    onnx_file,
)
from rag.errors import BackendUnavailableError
from rag.index import read_manifest, staleness
from rag.quantised import (
    _down_projections,
    _largest_inputs,
    _smooth_down_projections,
    calibration_texts,
    fuse,
    int8_file,
    lowest_cosine,
)
from rag.settings import CLEANING_VERSION, load_settings, vector_runtime_id
from tests.fakes import HashEmbedder

ROOT = Path(__file__).resolve().parents[1]


def _assistant(tmp_path: Path, runtime: str) -> Assistant:
    settings = load_settings(index_dir=tmp_path / "index", embedding={"query_runtime": runtime})
    assistant = Assistant(settings)
    stand_in = HashEmbedder()  # stands in for sentence-transformers
    assistant.__dict__["indexing_embedder"] = assistant.__dict__["torch_embedder"] = stand_in
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
    def broken(dest: Path, reference: object, source: Path | None = None) -> Path:
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
    def fake_export(dest: Path, reference: object, source: Path | None = None) -> Path:
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


def test_texts_are_batched_by_length_within_a_word_piece_budget() -> None:
    lengths = [200, 10, 12, 100, 11, 130]
    # Short texts go together; a long one alone once padding would pass 256 word-pieces.
    assert length_batches(lengths, 32) == [[1, 4, 2], [3], [5], [0]]
    assert length_batches(lengths, 2) == [[1, 4], [2, 3], [5], [0]]
    assert length_batches([300, 300], 32) == [[0], [1]]  # a text over the budget is still embedded, alone


@pytest.mark.slow
def test_smoothing_the_down_projections_changes_no_float_vector(tmp_path: Path) -> None:
    import onnx

    export_pooled(tmp_path / "plain.onnx", attention="eager")
    fused = fuse(tmp_path / "plain.onnx", tmp_path / "fused.onnx")
    model = onnx.load(str(fused))
    largest = _largest_inputs(fused, _down_projections(model))
    # The model card's paragraphs calibrate it; each layer has one to three GELU channels above the limit of 6.
    assert len(calibration_texts()) == 25
    assert [int((channels > 6.0).sum()) for channels in largest] == [1, 1, 2, 1, 3, 1]
    assert round(float(largest[0].max()), 1) == 24.4
    _smooth_down_projections(model, largest)
    onnx.save(model, str(tmp_path / "smoothed.onnx"))
    assert [n.op_type for n in onnx.load(str(tmp_path / "smoothed.onnx")).graph.node].count("Mul") == 1 + 6
    texts = _corpus_texts()
    before = OnnxMiniLMEmbedder(fused).embed(texts)
    after = OnnxMiniLMEmbedder(tmp_path / "smoothed.onnx").embed(texts)
    assert float(np.abs(before - after).max()) < 1e-5


PAPER = (
    "Shared leadership in integrated care\n\nIntroduction\n\n"
    "Shared leadership spreads influence across a team of clinicians and managers. Members lead one another "
    "towards a goal that no single leader could reach. Twelve ward managers were interviewed in two hospitals.\n"
)


def _int8_assistant(root: Path, runtime: str = "int8") -> Assistant:
    (root / "corpus").mkdir(exist_ok=True)
    (root / "corpus" / "shared.txt").write_text(PAPER, encoding="utf-8")
    settings = load_settings(
        index_dir=root / "index", corpus={"dir": root / "corpus"}, embedding={"runtime": runtime}
    )
    return Assistant(settings)


@pytest.fixture(scope="module")
def int8_built(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A one-paper index embedded by the int8 runtime, made from the packaged weights at this first `rag index`."""
    assistant = _int8_assistant(tmp_path_factory.mktemp("int8"))
    assistant.build(progress=False)
    return assistant


@pytest.mark.slow
def test_int8_vectors_point_where_sentence_transformers_vectors_do(int8_built: Assistant) -> None:
    texts = _corpus_texts()
    int8 = int8_built.indexing_embedder
    assert isinstance(int8, OnnxMiniLMEmbedder) and int8.path == int8_file(int8_built.settings.index_dir)
    assert lowest_cosine(int8.embed(texts), MiniLMEmbedder().embed(texts)) >= 0.985
    # It is not the float model: int8 rounding moves every vector a little.
    assert float(np.abs(int8.embed(texts[:3]) - int8_built.torch_embedder.embed(texts[:3])).max()) > 1e-3


@pytest.mark.slow
def test_int8_index_records_its_runtime_and_questions_use_it(int8_built: Assistant) -> None:
    settings = int8_built.settings
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    assert manifest.runtime == vector_runtime_id("int8") == int8_file(settings.index_dir).stem
    assert manifest.runtime.startswith("all-MiniLM-L6-v2-0.1.0-int8v2-ort")
    # A fresh start (the UI, `rag ask`) embeds questions with the index's runtime, not the float export.
    embedder = Assistant(settings).embedder
    assert isinstance(embedder, OnnxMiniLMEmbedder) and embedder.path == int8_file(settings.index_dir)
    assert not onnx_file(settings.index_dir).exists()
    assert [h.chunk.doc for h in Assistant(settings).search("How many ward managers were interviewed?", k=1)] == [
        "shared.txt"
    ]


@pytest.mark.slow
def test_switching_runtime_embeds_the_papers_again(int8_built: Assistant, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(int8_built.settings.index_dir.parent, root)
    float_settings = load_settings(
        index_dir=root / "index", corpus={"dir": root / "corpus"}, embedding={"runtime": "torch"}
    )
    assert staleness(float_settings) == "the index was built with other model, chunking or cleaning settings"
    assistant = Assistant(float_settings)
    assistant.__dict__["torch_embedder"] = counting = HashEmbedder()  # counts what is embedded again
    report = assistant.build(progress=False)
    manifest = read_manifest(root / "index")
    assert (report.indexed, manifest.runtime if manifest else None) == (["shared.txt"], "float")
    assert counting.calls and sum(counting.calls) > 2  # every passage and sentence, not the int8 cache's
    assert staleness(float_settings) is None


@pytest.mark.slow
def test_damaged_int8_model_is_made_again_not_a_traceback(int8_built: Assistant, tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(int8_built.settings.index_dir.parent, root)
    path = int8_file(root / "index")
    before = path.read_bytes()
    path.write_bytes(b"half a model")
    settings = load_settings(index_dir=root / "index", corpus={"dir": root / "corpus"}, embedding={"runtime": "int8"})
    embedder = Assistant(settings).embedder
    assert isinstance(embedder, OnnxMiniLMEmbedder)
    assert path.read_bytes() == before  # made again, the same bytes: the index's vectors still match it


def test_int8_model_that_cannot_be_made_falls_back_to_sentence_transformers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(dest: Path, reference: object) -> Path:
        raise RuntimeError("no quantisation tools")

    monkeypatch.setattr("rag.assistant.make_int8", broken)
    assistant = _int8_assistant(tmp_path)
    assistant.__dict__["torch_embedder"] = HashEmbedder()  # stands in for sentence-transformers
    monkeypatch.setattr("rag.assistant.export_onnx", lambda dest, reference, source=None: dest)  # not tested here
    with caplog.at_level(logging.WARNING, logger="rag.assistant"):
        assistant.build(progress=False)
    manifest = read_manifest(tmp_path / "index")
    assert manifest is not None and manifest.runtime == "float"
    assert manifest.fingerprint == assistant.settings.model_copy(
        update={"embedding": assistant.settings.embedding.model_copy(update={"runtime": "torch"})}
    ).index_fingerprint()
    path = int8_file(tmp_path / "index")
    assert caplog.records[0].getMessage() == (
        f"cannot make the int8 model at {path} (no quantisation tools): set embedding.runtime to torch and run "
        "`rag index`; the papers are embedded with sentence-transformers instead"
    )


def test_runtime_ids_and_fingerprints(tmp_path: Path) -> None:
    torch_settings = load_settings(index_dir=tmp_path / "index", embedding={"runtime": "torch"})
    int8_settings = load_settings(index_dir=tmp_path / "index", embedding={"runtime": "int8"})
    assert vector_runtime_id("torch") == "float"
    assert vector_runtime_id("int8") == f"all-MiniLM-L6-v2-0.1.0-int8v2-ort{version('onnxruntime')}"
    assert torch_settings.index_fingerprint() != int8_settings.index_fingerprint()
    # The float runtime's fingerprint is the one indexes had before runtimes existed: they are not embedded again.
    payload = {
        "model": "all-MiniLM-L6-v2",
        "chunking": torch_settings.chunking.model_dump(mode="json"),
        "cleaning": CLEANING_VERSION,
    }
    old = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    assert torch_settings.index_fingerprint() == old
