"""The vector stores behind one interface: FAISS exact / HNSW / IVF, and Milvus Lite for real; each passes LangChain's
standard vector-store suite (FAISS through rag.langchain_faiss, Milvus through the class our backend uses), and the
Milvus backend gives the passages FAISS gives."""

from __future__ import annotations

import uuid
from collections.abc import Generator
from pathlib import Path

import numpy as np
import pytest
from fakes import HashEmbedder
from langchain_core.vectorstores import VectorStore
from langchain_tests.integration_tests import VectorStoreIntegrationTests

from rag.chain import LangChainEmbeddings
from rag.index import build_index, load_index
from rag.langchain_faiss import FaissVectorStore
from rag.settings import StoreSettings, load_settings
from rag.vector_store import SHORTLIST, FaissStore, MilvusStore, milvus_class, open_store

DIM = 32


def _unit_vectors(n: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_faiss_stores_find_a_stored_vector_first(kind: str) -> None:
    vectors = _unit_vectors(2000)
    store = FaissStore.from_vectors(vectors, kind, nlist=16).tune(ef_search=64, nprobe=16)
    scores, ids = store.search(vectors[123], 3)
    assert (len(store), store.dim, int(ids[0]), round(float(scores[0]), 4)) == (2000, DIM, 123, 1.0)


def _clustered(n: int, seed: int) -> np.ndarray:
    """Vectors around 50 topics, as text embeddings are (uniform random vectors are the worst case for IVF)."""
    rng = np.random.default_rng(seed)
    centres = _unit_vectors(50, seed=99)
    vectors = centres[rng.integers(0, 50, n)] + 0.25 * rng.standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_approximate_stores_agree_with_exact_search() -> None:
    vectors, queries = _clustered(5000, seed=0), _clustered(50, seed=1)
    _, truth = FaissStore.from_vectors(vectors).search_many(queries, 10)
    for kind in ("hnsw", "ivf"):
        _, found = FaissStore.from_vectors(vectors, kind).tune(ef_search=128, nprobe=16).search_many(queries, 10)
        recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)])
        assert recall >= 0.9, kind


def test_all_scores_is_exact_for_flat_and_a_shortlist_for_approximate() -> None:
    vectors = _unit_vectors(SHORTLIST * 3)
    exact = FaissStore.from_vectors(vectors).all_scores(vectors[0])
    assert np.allclose(exact, vectors @ vectors[0], atol=1e-5)
    approximate = FaissStore.from_vectors(vectors, "hnsw").tune(ef_search=SHORTLIST).all_scores(vectors[0])
    reached = approximate > -1
    assert (int(reached.sum()), float(approximate[0])) == (SHORTLIST, pytest.approx(1.0, abs=1e-5))
    assert np.allclose(approximate[reached], exact[reached], atol=1e-5)


def test_open_store_keeps_the_approximate_index_beside_the_generation(tmp_path: Path) -> None:
    exact = FaissStore.from_vectors(_unit_vectors(300))
    settings = StoreSettings(faiss_index="hnsw", hnsw_m=16)
    store = open_store(settings, tmp_path, exact, ["t"] * 300)
    assert [p.name for p in tmp_path.iterdir()] == ["vectors.hnsw-m16-l0.faiss"]
    again = open_store(settings, tmp_path, exact, ["t"] * 300)
    probe = _unit_vectors(1, seed=5)[0]
    assert np.array_equal(store.search(probe, 5)[1], again.search(probe, 5)[1])


def test_bad_store_setting_names_the_key() -> None:
    from rag.errors import SettingsError

    with pytest.raises(SettingsError, match=r"store\.backend"):
        load_settings(store={"backend": "chroma"})


# --- FAISS behind LangChain's VectorStore interface ---------------------------------------------------------


class TestFaissFlatStandard(VectorStoreIntegrationTests):
    """LangChain's own vector-store suite against our FAISS store (exact search)."""

    kind = "flat"

    @pytest.fixture()
    def vectorstore(self) -> Generator[VectorStore, None, None]:  # type: ignore[override]
        yield FaissVectorStore(self.get_embeddings(), kind=self.kind)


class TestFaissHnswStandard(TestFaissFlatStandard):
    kind = "hnsw"


class TestFaissIvfStandard(TestFaissFlatStandard):
    kind = "ivf"


def test_faiss_vector_store_retrieves_through_langchain_with_cosine_scores() -> None:
    texts = ["ward rotas and night shifts", "budget reviews with finance", "team leadership"]
    store = FaissVectorStore.from_texts(texts, LangChainEmbeddings(HashEmbedder()), ids=["a", "b", "c"], kind="hnsw")
    found = store.as_retriever(search_kwargs={"k": 2}).invoke("finance budget reviews for night shifts")
    assert [(d.id, d.page_content) for d in found] == [("b", "budget reviews with finance"), ("a", texts[0])]
    (best, score), *_ = store.similarity_search_with_score("budget reviews with finance", k=1)
    assert (best.id, round(score, 4), len(store)) == ("b", 1.0, 3)
    store.delete(["b"])
    assert ([d.id for d in store.similarity_search("night shifts", k=3)], store.get_by_ids(["b"])) == (["a", "c"], [])


# --- Milvus Lite, for real ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def milvus_uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("milvus") / "lite.db")


@pytest.mark.slow  # Milvus Lite starts a server per database: about 30 s for the suite
class TestMilvusLiteStandard(VectorStoreIntegrationTests):
    """LangChain's own vector-store suite against the class and settings our Milvus backend uses."""

    @pytest.fixture()
    def vectorstore(self, milvus_uri: str) -> Generator[VectorStore, None, None]:  # type: ignore[override]
        store = milvus_class()(
            embedding_function=self.get_embeddings(),
            collection_name=f"standard_{uuid.uuid4().hex[:12]}",
            connection_args={"uri": milvus_uri},
            index_params={"index_type": "FLAT", "metric_type": "IP"},
            auto_id=False,
            enable_dynamic_field=True,
        )
        try:
            yield store
        finally:
            store.client.drop_collection(store.collection_name)


@pytest.mark.slow
def test_milvus_backend_returns_the_passages_faiss_returns(tmp_path: Path, milvus_uri: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, topic in enumerate(["ward rotas and night shifts", "budget reviews with finance", "team leadership"]):
        (corpus / f"p{n}.txt").write_text(f"Paper {n}\n\nResults\n\nThis paper is about {topic}.\n", encoding="utf-8")
    embedder = HashEmbedder()
    settings = load_settings(index_dir=tmp_path / "index", corpus={"dir": corpus})
    build_index(settings, lambda: embedder, progress=False)
    milvus = load_settings(
        index_dir=tmp_path / "index", corpus={"dir": corpus}, store={"backend": "milvus", "milvus_uri": milvus_uri}
    )
    faiss_index, milvus_index = load_index(settings), load_index(milvus)
    assert isinstance(milvus_index.vectors, MilvusStore)
    assert milvus_index.vectors.count() == len(faiss_index.chunks)
    query = embedder.embed(["budget reviews"])[0]
    f_scores, f_ids = faiss_index.vectors.search(query, 3)
    m_scores, m_ids = milvus_index.vectors.search(query, 3)
    assert (list(m_ids), np.allclose(m_scores, f_scores, atol=1e-4)) == (list(f_ids), True)
    assert faiss_index.chunks[int(m_ids[0])].doc == "p1.txt"
    assert np.allclose(milvus_index.vectors.all_scores(query), faiss_index.vectors.all_scores(query), atol=1e-4)
    assert Path(milvus_uri).exists()  # the Milvus Lite database the settings named


@pytest.mark.parametrize("command", ["index", "search", "ask"])
def test_unknown_store_flag_is_one_line(
    command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from rag import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["rag", command, *(["a question"] if command != "index" else []), "--store", "x"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    err = capsys.readouterr().err
    assert (done.value.code, err.count("\n"), err.startswith("error: bad setting 'store.backend'")) == (2, 1, True)
