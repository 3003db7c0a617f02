"""Our FAISS store (rag.vector_store.FaissStore: exact, HNSW or IVF) behind LangChain's `VectorStore` interface:
texts and documents in, documents with their ids and cosine scores out.

The index keeps its passages in FaissStore directly (row i is passage i); this class is for LangChain code that
expects a vector store (`.as_retriever()`, a chain of its own), and it is what LangChain's standard
vector-store suite tests, as it tests the Milvus class the Milvus backend uses. Ids are strings; adding under an
existing id replaces that document. The FAISS index is rebuilt from the kept vectors on the first search after a
change, so approximate kinds, which cannot delete, behave like the exact one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from rag.vector_store import FaissStore


class FaissVectorStore(VectorStore):
    """Documents in a FaissStore of their normalised embeddings; scores are cosine similarities."""

    def __init__(
        self,
        embedding: Embeddings,
        kind: str = "flat",
        hnsw_m: int = 32,
        ef_search: int = 128,
        nprobe: int = 16,
    ) -> None:
        if kind not in ("flat", "hnsw", "ivf"):
            raise ValueError(f"unknown FAISS index kind {kind!r}: use flat, hnsw or ivf")
        self._embedding = embedding
        self.kind, self._hnsw_m, self._ef_search, self._nprobe = kind, hnsw_m, ef_search, nprobe
        self._ids: list[str] = []  # row i of the vectors is the document of id _ids[i]
        self._row: dict[str, int] = {}
        self._docs: dict[str, Document] = {}
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._store: FaissStore | None = None  # None: rebuild before the next search

    @property
    def embeddings(self) -> Embeddings:
        return self._embedding

    def __len__(self) -> int:
        return len(self._ids)

    def add_texts(
        self,
        texts: Iterable[str],
        metadatas: list[dict[str, Any]] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> list[str]:
        """Embed and add texts; an id that is None (LangChain passes a document's missing id so) gets a new one."""
        texts = list(texts)
        if not texts:
            return []
        metadatas = metadatas or [{} for _ in texts]
        given: Sequence[str | None] = ids if ids is not None else [None] * len(texts)
        if not len(metadatas) == len(given) == len(texts):
            raise ValueError(f"{len(texts)} texts, {len(metadatas)} metadatas and {len(given)} ids: give one each")
        vectors = _normalised(self._embedding.embed_documents(texts))
        if not len(self._vectors):
            self._vectors = np.zeros((0, vectors.shape[1]), dtype=np.float32)
        out = []
        for text, metadata, doc_id, vector in zip(texts, metadatas, given, vectors, strict=True):
            key = str(doc_id) if doc_id is not None else str(uuid.uuid4())
            if key in self._row:
                self._vectors[self._row[key]] = vector
            else:
                self._row[key] = len(self._ids)
                self._ids.append(key)
                self._vectors = np.vstack([self._vectors, vector[None, :]])
            self._docs[key] = Document(id=key, page_content=text, metadata=dict(metadata))
            out.append(key)
        self._store = None
        return out

    def delete(self, ids: list[str] | None = None, **kwargs: Any) -> bool | None:
        """Remove the documents of these ids (all documents when None); unknown ids are ignored."""
        gone = set(self._ids) if ids is None else {str(i) for i in ids} & set(self._row)
        if gone:
            keep = [r for r, key in enumerate(self._ids) if key not in gone]
            self._ids = [self._ids[r] for r in keep]
            self._vectors = self._vectors[keep]
            self._row = {key: r for r, key in enumerate(self._ids)}
            for key in gone:
                del self._docs[key]
            self._store = None
        return True

    def get_by_ids(self, ids: Sequence[str], /) -> list[Document]:
        return [self._copy(self._docs[i]) for i in ids if i in self._docs]

    def similarity_search_with_score_by_vector(
        self, embedding: list[float], k: int = 4, **kwargs: Any
    ) -> list[tuple[Document, float]]:
        if not self._ids or k < 1:
            return []
        if self._store is None:
            self._store = FaissStore.from_vectors(self._vectors, self.kind, self._hnsw_m).tune(
                self._ef_search, self._nprobe
            )
        scores, rows = self._store.search(_normalised([embedding])[0], k)
        return [(self._copy(self._docs[self._ids[r]]), float(s)) for s, r in zip(scores, rows, strict=True) if r >= 0]

    def similarity_search_with_score(self, query: str, k: int = 4, **kwargs: Any) -> list[tuple[Document, float]]:
        return self.similarity_search_with_score_by_vector(self._embedding.embed_query(query), k, **kwargs)

    def similarity_search_by_vector(self, embedding: list[float], k: int = 4, **kwargs: Any) -> list[Document]:
        return [doc for doc, _ in self.similarity_search_with_score_by_vector(embedding, k, **kwargs)]

    def similarity_search(self, query: str, k: int = 4, **kwargs: Any) -> list[Document]:
        return [doc for doc, _ in self.similarity_search_with_score(query, k, **kwargs)]

    def _select_relevance_score_fn(self) -> Callable[[float], float]:
        return lambda cosine: max(0.0, cosine)  # an unrelated (negative) cosine is no relevance

    @classmethod
    def from_texts(
        cls,
        texts: list[str],
        embedding: Embeddings,
        metadatas: list[dict[str, Any]] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> FaissVectorStore:
        store = cls(embedding, **kwargs)
        store.add_texts(texts, metadatas, ids=ids)
        return store

    @staticmethod
    def _copy(doc: Document) -> Document:
        """A copy the caller may change without changing the store."""
        return Document(id=doc.id, page_content=doc.page_content, metadata=dict(doc.metadata))


def _normalised(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    data = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    return data / np.where(norms > 0, norms, 1.0)
