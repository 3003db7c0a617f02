"""Nearest passages to a question vector, behind one small interface: FAISS in-process (exact, HNSW or IVF) or a
Milvus collection (Milvus Lite in a file, or a cluster by URI) through `langchain-milvus`.

Row i of a store is passage i of the index's passage store. The index always keeps the exact vectors in
`vectors.faiss` (the record); an approximate FAISS index or a Milvus collection is made from it the first time it
is asked for, and kept (beside the generation, or in Milvus under the generation's name). This is the only module
that imports faiss.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import faiss
import numpy as np

if TYPE_CHECKING:
    from langchain_core.documents import Document

    from rag.settings import StoreSettings

log = logging.getLogger(__name__)

# An approximate store scores the best this many passages for rank fusion; the rest count as unrelated.
SHORTLIST = 200


class VectorStore(Protocol):
    """What the index and the retriever need from a vector store."""

    @property
    def dim(self) -> int: ...

    def __len__(self) -> int: ...

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (cosine scores, row ids) for one normalised query vector; ids of -1 are padding."""
        ...

    def all_scores(self, query: np.ndarray) -> np.ndarray:
        """The cosine of the query with every passage (-1 for passages an approximate store did not reach)."""
        ...


def _scatter(n: int, scores: np.ndarray, ids: np.ndarray) -> np.ndarray:
    out = np.full(n, -1.0, dtype=np.float32)
    valid = ids >= 0
    out[ids[valid]] = scores[valid]
    return out


class FaissStore:
    """A FAISS inner-product index over normalised vectors: flat (exact), HNSW or IVF (approximate)."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, kind: str = "flat", hnsw_m: int = 32, nlist: int = 0) -> FaissStore:
        dim = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[1] else 384
        data = np.ascontiguousarray(vectors, dtype=np.float32)
        index: faiss.Index
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = max(40, 2 * hnsw_m)
        elif kind == "ivf":
            # About sqrt(n) lists, trained on a sample of at most 64 vectors a list (at least 39, FAISS's minimum):
            # training k-means on every vector of a large collection costs more than it gains.
            lists = nlist or int(np.sqrt(max(1, len(data))))
            lists = max(1, min(lists, len(data) // 39 or 1))
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, lists, faiss.METRIC_INNER_PRODUCT)
            if len(data):
                sample = np.random.default_rng(0).permutation(len(data))[: 64 * lists]
                index.train(data[np.sort(sample)])
        elif kind == "flat":
            index = faiss.IndexFlatIP(dim)
        else:
            raise ValueError(f"unknown FAISS index kind {kind!r}: use flat, hnsw or ivf")
        if len(data):
            index.add(data)
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> FaissStore:
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @property
    def exact(self) -> bool:
        return isinstance(self._index, faiss.IndexFlat)

    @property
    def dim(self) -> int:
        """How many numbers each vector holds."""
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def tune(self, ef_search: int = 128, nprobe: int = 16) -> FaissStore:
        """Set how hard an approximate index searches (more: better recall, slower)."""
        if isinstance(self._index, faiss.IndexHNSW):
            self._index.hnsw.efSearch = ef_search
        elif isinstance(self._index, faiss.IndexIVF):
            self._index.nprobe = nprobe
        return self

    def vectors(self) -> np.ndarray:
        """The stored vectors, in row order (exact and HNSW-flat stores keep them as given)."""
        return np.asarray(self._index.reconstruct_n(0, len(self)), dtype=np.float32)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self)))
        scores, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        return scores[0], ids[0]

    def search_many(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k for a batch of query vectors (one row each)."""
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), max(1, min(k, len(self))))

    def all_scores(self, query: np.ndarray) -> np.ndarray:
        if self.exact:  # every passage, exactly: one matrix-vector product
            return _scatter(len(self), *self.search(query, len(self)))
        return _scatter(len(self), *self.search(query, SHORTLIST))


def milvus_class() -> type[Any]:
    """LangChain's `Milvus` store with the parts of LangChain's vector-store contract that langchain-milvus 0.4
    leaves out, so that it passes LangChain's standard suite: documents carry their ids (not a `pk` metadata
    key), ids are made when none are given, adding under an existing id replaces it, and `get_by_ids`."""
    from langchain_core.runnables.config import run_in_executor
    from langchain_milvus import Milvus

    class PassageMilvus(Milvus):
        def add_texts(
            self, texts: Iterable[str], metadatas: list[dict[str, Any]] | None = None, *args: Any, **kwargs: Any
        ) -> list[str]:
            texts = list(texts)
            ids = kwargs.pop("ids", None) or [str(uuid.uuid4()) for _ in texts]
            if self.col is not None:
                self.delete(ids=list(ids))
            return list(super().add_texts(texts, metadatas, *args, ids=list(ids), **kwargs))

        def add_documents(self, documents: list[Document], **kwargs: Any) -> list[str]:
            if "ids" not in kwargs:
                kwargs["ids"] = [str(d.id) if d.id else str(uuid.uuid4()) for d in documents]
            return self.add_texts([d.page_content for d in documents], [d.metadata for d in documents], **kwargs)

        async def aadd_documents(self, documents: list[Document], **kwargs: Any) -> list[str]:
            return await run_in_executor(None, self.add_documents, documents, **kwargs)

        async def aadd_texts(self, texts: Iterable[str], *args: Any, **kwargs: Any) -> list[str]:
            return await run_in_executor(None, self.add_texts, texts, *args, **kwargs)

        async def adelete(self, ids: list[str] | None = None, expr: str | None = None, **kwargs: Any) -> bool | None:
            return await run_in_executor(None, self.delete, ids, expr, **kwargs)

        def _parse_document(self, data: dict[str, Any]) -> Document:
            pk = data.pop(self._primary_field, None)
            doc = super()._parse_document(data)
            doc.id = None if pk is None else str(pk)
            return doc

        def get_by_ids(self, ids: Sequence[str], /) -> list[Document]:
            if not ids or self.col is None:
                return []
            rows = self.client.query(
                self.collection_name, filter=f"{self._primary_field} in {json.dumps(list(ids))}", output_fields=["*"]
            )
            found = {str(r[self._primary_field]): self._parse_document(dict(r)) for r in rows}
            return [found[i] for i in ids if i in found]

        async def aget_by_ids(self, ids: Sequence[str], /) -> list[Document]:
            return await run_in_executor(None, self.get_by_ids, ids)

    return PassageMilvus


class MilvusStore:
    """One Milvus collection per index generation, through LangChain's `Milvus` vector store. `uri` is a Milvus
    Lite file (embedded, one process at a time) or a server / cluster address (`http://host:19530`)."""

    def __init__(self, uri: str, collection: str, dim: int, rows: int) -> None:
        from langchain_core.embeddings import FakeEmbeddings  # vectors come from our embedder; this is never asked

        # Milvus Lite's embedded server logs, with a traceback, each call to an API it lacks (pymilvus asks for
        # AllocTimestamp on insert, then carries on without it): not an error of ours.
        logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
        self.uri, self.collection, self._dim, self._rows = uri, collection, dim, rows
        self.store = milvus_class()(
            embedding_function=FakeEmbeddings(size=dim),
            collection_name=collection,
            connection_args={"uri": uri},
            index_params={"index_type": "FLAT" if rows < 100_000 else "HNSW", "metric_type": "IP"},
            auto_id=False,
            enable_dynamic_field=True,
        )

    @property
    def dim(self) -> int:
        return self._dim

    def __len__(self) -> int:
        return self._rows

    def count(self) -> int:
        """How many passages the collection holds (0 when it does not exist yet)."""
        client = self.store.client
        if not client.has_collection(self.collection):
            return 0
        return int(client.query(self.collection, filter="", output_fields=["count(*)"])[0]["count(*)"])

    def fill(self, vectors: np.ndarray, texts: Sequence[str], batch: int = 2000) -> None:
        """(Re)load the collection from the index's vectors, in row order."""
        client = self.store.client
        if client.has_collection(self.collection):
            client.drop_collection(self.collection)
        self.store.col = None
        for start in range(0, len(vectors), batch):
            rows = range(start, min(start + batch, len(vectors)))
            self.store.add_embeddings(
                [texts[i] for i in rows],
                vectors[start : rows.stop].tolist(),
                metadatas=[{"row": i} for i in rows],
                ids=[str(i) for i in rows],
            )

    def drop_others(self, prefix: str) -> None:
        """Drop the collections of earlier generations of this index."""
        client = self.store.client
        for name in client.list_collections():
            if name.startswith(prefix) and name != self.collection:
                client.drop_collection(name)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self)))
        found = self.store.similarity_search_with_score_by_vector([float(x) for x in query], k=k)
        scores = np.array([s for _, s in found], dtype=np.float32)
        ids = np.array([int(d.metadata["row"]) for d, _ in found], dtype=np.int64)
        return scores, ids

    def all_scores(self, query: np.ndarray) -> np.ndarray:
        return _scatter(len(self), *self.search(query, SHORTLIST))


def _collection_name(index_dir: Path, generation: Path) -> tuple[str, str]:
    """(prefix of this index's collections, this generation's collection): letters, digits and underscores."""
    folder = re.sub(r"\W", "_", index_dir.resolve().name)[:40]
    prefix = f"rag_{folder}_"
    return prefix, prefix + re.sub(r"\W", "_", generation.name)[:100]


def open_store(settings: StoreSettings, generation: Path, exact: FaissStore, texts: Sequence[str]) -> VectorStore:
    """The store the settings ask for, over the vectors of an index generation (`exact`, from vectors.faiss)."""
    if settings.backend == "milvus":
        index_dir = generation.parent
        uri = settings.milvus_uri or str(index_dir / "milvus.db")
        prefix, name = _collection_name(index_dir, generation)
        try:
            store = MilvusStore(uri, name, exact.dim, len(exact))
            if store.count() != len(exact):
                log.info("loading %d passages into Milvus collection %s at %s", len(exact), name, uri)
                store.fill(exact.vectors(), texts)
                store.drop_others(prefix)
        except ImportError as exc:
            from rag.errors import BackendUnavailableError

            raise BackendUnavailableError(
                f"the Milvus store needs langchain-milvus and milvus-lite ({exc}): run `make setup`"
            ) from exc
        return store
    if settings.faiss_index == "flat":
        return exact
    path = generation / f"vectors.{settings.faiss_index}-m{settings.hnsw_m}-l{settings.nlist}.faiss"
    if path.is_file():
        return FaissStore.load(path).tune(settings.ef_search, settings.nprobe)
    approximate = FaissStore.from_vectors(exact.vectors(), settings.faiss_index, settings.hnsw_m, settings.nlist)
    try:  # kept for the next start; a read-only index folder just builds it again
        fd, tmp = tempfile.mkstemp(dir=generation, suffix=".faiss.tmp")
        os.close(fd)
        try:
            approximate.save(Path(tmp))
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
        log.info("could not keep %s (%s)", path, exc)
    return approximate.tune(settings.ef_search, settings.nprobe)
