"""An int8 copy of the embedding model, made locally from the packaged weights, that embeds papers and questions
about 1.6 times as fast as sentence-transformers on this 2-core CPU (bench/embedding.py measures it).

Made in three steps, all with libraries `make setup` installs: the model is exported to ONNX with plain (not fused
scaled-dot-product) attention, so that ONNX Runtime's transformer optimiser can fuse each layer's attention, layer
norms and GELU into single operators; then the matrix products and attention weights are quantised to int8 (ONNX
Runtime's dynamic quantisation: weights per output channel, activations scaled per batch, so no calibration data
is needed). The word-embedding table stays float (quantising it cost a tenth of the cosine on some passages), and
so do the feed-forward layers' down-projections (see `_down_projections`).

The copy is checked against sentence-transformers before it is kept: every probe text must come out with a cosine
of at least MIN_COSINE to the float vector. The vectors differ slightly from the float model's, so an index records
which runtime made it (`Settings.vector_runtime`), and questions are embedded by the same one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from rag.embedding import MODEL_NAME, PARITY_PROBES, Embedder, OnnxMiniLMEmbedder, export_pooled
from rag.settings import vector_runtime_id

log = logging.getLogger(__name__)

MIN_COSINE = 0.98  # measured on a third of the starter papers' 357 passages: lowest 0.993, mean 0.996
NUM_HEADS, HIDDEN = 12, 384
QUANTISED_OPS = ["MatMul", "Attention"]


def int8_file(index_dir: Path) -> Path:
    """Where the int8 model lives for an index folder; its name carries everything that changes its vectors."""
    return index_dir / "models" / f"{vector_runtime_id('int8')}.onnx"


def _fuse_and_quantise(src: Path, dest: Path, work: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    fused = work / "fused.onnx"
    optimised = optimize_model(str(src), model_type="bert", num_heads=NUM_HEADS, hidden_size=HIDDEN, opt_level=1)
    fusions = optimised.get_fused_operator_statistics()
    if fusions.get("Attention", 0) == 0:
        raise RuntimeError("ONNX Runtime's optimiser fused no attention in the export")
    optimised.save_model_to_file(str(fused))
    quantize_dynamic(
        str(fused),
        str(dest),
        weight_type=QuantType.QInt8,
        op_types_to_quantize=QUANTISED_OPS,
        nodes_to_exclude=_down_projections(onnx.load(str(fused))),
        per_channel=True,
        # The fused operators come from ONNX Runtime's own domain, whose output types shape inference does not know.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def _down_projections(model: Any) -> list[str]:
    """The matrix products that bring each layer's feed-forward width back down to the hidden size: their inputs
    (after GELU) carry the few large activations that a per-batch int8 scale flattens. Kept in float, they halve
    the int8 model's distance to the float one, and the dev set's retrieval stays within a point of float."""
    shapes = {t.name: list(t.dims) for t in model.graph.initializer}
    return [
        node.name
        for node in model.graph.node
        if node.op_type == "MatMul" and shapes.get(node.input[1], [0, 0])[0] > shapes.get(node.input[1], [0, 0])[1]
    ]


def lowest_cosine(a: np.ndarray, b: np.ndarray) -> float:
    """The smallest cosine between matching rows of two sets of unit vectors."""
    return float(np.min(np.sum(a * b, axis=1)))


def make_int8(dest: Path, reference: Embedder, probes: tuple[str, ...] = PARITY_PROBES) -> Path:
    """Make the int8 model at `dest` (atomically), after checking it against `reference` (sentence-transformers)
    on `probes`. Takes about half a minute, once per index folder; RuntimeError when the check fails."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".int8-") as tmp:
        work = Path(tmp)
        export_pooled(work / "plain.onnx", attention="eager")  # plain attention: the pattern the optimiser fuses
        made = work / "int8.onnx"
        _fuse_and_quantise(work / "plain.onnx", made, work)
        cosine = lowest_cosine(OnnxMiniLMEmbedder(made).embed(probes), reference.embed(probes))
        if cosine < MIN_COSINE:
            raise RuntimeError(f"the int8 model's vectors have a cosine of {cosine:.3f} to the float model's")
        os.chmod(made, 0o644)  # readable like the rest of the index (mkstemp makes it private)
        os.replace(made, dest)
    log.info("made the int8 copy of %s at %s", MODEL_NAME, dest)
    return dest
