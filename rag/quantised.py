"""An int8 copy of the embedding model, made locally from the packaged weights, that embeds papers and questions
about twice as fast as sentence-transformers on this 2-core CPU (bench/embedding.py measures it).

Made in four steps, all with libraries `make setup` installs: the model is exported to ONNX with plain (not fused
scaled-dot-product) attention, so that ONNX Runtime's transformer optimiser can fuse each layer's attention, layer
norms and GELU into single operators; the few outlier channels entering the feed-forward down-projections are moved
into their weights (`_smooth_down_projections`, calibrated on the model card shipped with the weights); then the
matrix products and attention weights are quantised to int8 (ONNX Runtime's dynamic quantisation: weights per
output channel on 7 bits, activations scaled per batch). The word-embedding table stays float (quantising it cost
a tenth of the cosine on some passages).

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

from rag.embedding import (
    MODEL_NAME,
    PARITY_PROBES,
    Embedder,
    OnnxMiniLMEmbedder,
    export_pooled,
    max_tokens,
    model_path,
)
from rag.settings import vector_runtime_id

log = logging.getLogger(__name__)

MIN_COSINE = 0.98  # measured on the starter papers' 362 passages: lowest 0.990, mean 0.995
NUM_HEADS, HIDDEN = 12, 384
QUANTISED_OPS = ["MatMul", "Attention"]
SMOOTH_LIMIT = 6.0  # most GELU outputs stay below this; a handful of channels reach 14-25


def int8_file(index_dir: Path) -> Path:
    """Where the int8 model lives for an index folder; its name carries everything that changes its vectors."""
    return index_dir / "models" / f"{vector_runtime_id('int8')}.onnx"


def fuse(src: Path, dest: Path) -> Path:
    """ONNX Runtime's transformer optimiser on a plain-attention export: each layer's attention, layer norms and
    GELU become single operators (float; the vectors do not change)."""
    from onnxruntime.transformers.optimizer import optimize_model

    optimised = optimize_model(str(src), model_type="bert", num_heads=NUM_HEADS, hidden_size=HIDDEN, opt_level=1)
    if optimised.get_fused_operator_statistics().get("Attention", 0) == 0:
        raise RuntimeError("ONNX Runtime's optimiser fused no attention in the export")
    optimised.save_model_to_file(str(dest))
    return dest


def _fuse_and_quantise(src: Path, dest: Path, work: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fused, smoothed = fuse(src, work / "fused.onnx"), work / "smoothed.onnx"
    model = onnx.load(str(fused))
    _smooth_down_projections(model, _largest_inputs(fused, _down_projections(model)))
    onnx.save(model, str(smoothed))
    quantize_dynamic(
        str(smoothed),
        str(dest),
        weight_type=QuantType.QInt8,
        op_types_to_quantize=QUANTISED_OPS,
        per_channel=True,
        # Weights on 7 bits: without VNNI, x86 multiplies int8 pairs into 16-bit sums that overflow on 8-bit weights.
        reduce_range=True,
        # The fused operators come from ONNX Runtime's own domain, whose output types shape inference does not know.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def _down_projections(model: Any) -> list[Any]:
    """The matrix products that bring each layer's feed-forward width back down to the hidden size. Their inputs
    (after GELU) hold a few channels up to four times as large as the rest, which a per-batch int8 scale would
    have to cover (see `_smooth_down_projections`)."""
    shapes = {t.name: list(t.dims) for t in model.graph.initializer}
    return [
        node
        for node in model.graph.node
        if node.op_type == "MatMul" and shapes.get(node.input[1], [0, 0])[0] > shapes.get(node.input[1], [0, 0])[1]
    ]


def calibration_texts() -> list[str]:
    """Ordinary English to measure activations on: the paragraphs of the model card inside the model package."""
    card = model_path() / "README.md"
    paragraphs = card.read_text(encoding="utf-8").split("\n\n") if card.is_file() else []
    texts = [p.strip() for p in paragraphs if len(p.strip()) > 40]
    if len(texts) < 10:
        raise RuntimeError(f"too little text to calibrate the int8 model on in {card}")
    return texts


def _largest_inputs(fused: Path, nodes: list[Any]) -> list[np.ndarray]:
    """The largest magnitude of each input channel of `nodes` over the calibration texts (float model)."""
    import onnx
    import onnxruntime
    from tokenizers import Tokenizer

    model = onnx.load(str(fused))
    names = [node.input[0] for node in nodes]
    model.graph.output.extend(onnx.helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, None) for n in names)
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_tokens())
    largest = [np.zeros(0, dtype=np.float32)] * len(names)
    for tokens in tokenizer.encode_batch(calibration_texts()):  # one at a time: no padding to leave out
        ids = np.array([tokens.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        for k, values in enumerate(session.run(names, feed)):
            channels = np.abs(values).reshape(-1, values.shape[-1]).max(axis=0)
            largest[k] = channels if largest[k].size == 0 else np.maximum(largest[k], channels)
    return largest


def _smooth_down_projections(model: Any, largest: list[np.ndarray]) -> None:
    """Move the size of the down-projections' outlier input channels into their weights (SmoothQuant, Xiao et al.
    2022, for the few outliers only): each channel whose calibrated largest value exceeds SMOOTH_LIMIT is divided
    by s = largest / SMOOTH_LIMIT before the product (one elementwise Mul) and its weight row multiplied by s, so
    the product is unchanged in float and the int8 scale of the input spans at most 6 where it spanned up to 24."""
    from onnx import helper, numpy_helper

    weights = {t.name: t for t in model.graph.initializer}
    for node, channels in zip(_down_projections(model), largest, strict=True):
        scale = np.maximum(channels / SMOOTH_LIMIT, 1.0).astype(np.float32)
        weight = weights[node.input[1]]
        weight.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(weight) * scale[:, None], weight.name))
        model.graph.initializer.append(numpy_helper.from_array(1 / scale, f"{node.name}/smooth"))
        smoothed = f"{node.input[0]}/smoothed"
        position = list(model.graph.node).index(node)
        mul = helper.make_node("Mul", [node.input[0], f"{node.name}/smooth"], [smoothed], name=f"{node.name}/Smooth")
        model.graph.node.insert(position, mul)
        node.input[0] = smoothed


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
