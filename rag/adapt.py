"""Adapt the embedding model to the papers of one index, with no questions: `rag adapt`.

The papers teach the model what belongs together in them. Two kinds of pair, both read off the index: a section
heading with each sentence under it ("Limitations" with "Our sample was small."), and each sentence with the next
one in its passage. One pass over them with in-batch negatives (sentence-transformers' MultipleNegativesRankingLoss:
each text should be nearer its own partner than the other partners in its batch) moves MiniLM towards the papers'
own vocabulary and structure. Measured with the eval files (none of their questions is used here): retrieval recall
within 5,000 characters, dev 0.807 -> 0.844, third file 0.733 -> 0.783, fourth 0.783 -> 0.808, fifth (six PDFs)
0.753 -> 0.781, second 0.854 both; key points within a few hundredths (README, Evaluation).

The tuned copy lives beside the index it was made from (`<index>/models/adapted-<id>/`, named by a hash of its
weights), and `<index>/models/ADAPTED` names the one in use. Its id is part of the index fingerprint, so an index
made with another model is embedded again; an index records the id of the model that made its vectors, and its
questions are embedded by that model.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.errors import CorpusError

log = logging.getLogger(__name__)

POINTER = "ADAPTED"  # in <index>/models: the id of the adapted model in use
DECLINED = "PACKAGED"  # in <index>/models: `rag adapt --off` chose the packaged model; `rag index` leaves it so
PREFIX = "adapted-"
MAX_PAIRS = 3000  # about ten minutes on 2 cores; a larger library is sampled
BATCH = 32  # pairs per step: each text's 31 other partners are its negatives
MAX_TOKENS = 128  # word-pieces read per text while training (sentences are short; halves the time of 256)
LEARNING_RATE = 2e-5
# `rag index` adapts a library of at most this many passages by itself (adapting, then embedding the papers again,
# takes about 5½ minutes for the starter corpus's 351 passages and 15 for 1,080); a larger one is told to run it.
AUTO_MAX_PASSAGES = 5000
_SKIP_SECTIONS = {"front matter", "back matter"}


@dataclass(frozen=True)
class AdaptedModel:
    """A copy of the embedding model tuned to one index's papers."""

    id: str
    path: Path


@dataclass(frozen=True)
class AdaptReport:
    """What `adapt` did, for the CLI to print."""

    model: AdaptedModel
    pairs: int
    steps: int
    seconds: float


def models_dir(index_dir: Path) -> Path:
    return index_dir / "models"


def adapted_model(index_dir: Path) -> AdaptedModel | None:
    """The adapted model `rag adapt` made for this index folder, or None (never made, switched off, or its folder
    is gone)."""
    try:
        model_id = (models_dir(index_dir) / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return model_by_id(index_dir, model_id)


def model_by_id(index_dir: Path, model_id: str) -> AdaptedModel | None:
    """The adapted model `model_id` in this index folder, or None when it is not there (whole)."""
    path = models_dir(index_dir) / f"{PREFIX}{model_id}"
    if not model_id or not (path / "config.json").is_file():
        return None
    return AdaptedModel(model_id, path)


def training_pairs(sections: Iterable[tuple[str, str, Sequence[str]]]) -> list[tuple[str, str]]:
    """Pairs to train on, from passages given as (section heading, kind, sentences): the heading of a body section
    with each of its sentences, and each sentence with the next. Sentences under five words (labels, stray
    fragments) and headings of front and back matter are left out; a pair is made once."""
    pairs: dict[tuple[str, str], None] = {}
    for heading, kind, sentences in sections:
        kept = [s.strip() for s in sentences if len(s.split()) >= 5]
        head = " ".join(heading.split())
        if kind == "body" and len(head) > 3 and head.lower() not in _SKIP_SECTIONS:
            pairs.update(((head, s), None) for s in kept)
        pairs.update((pair, None) for pair in itertools.pairwise(kept))
    return list(pairs)


def batches(pairs: Sequence[tuple[str, str]], size: int = BATCH) -> list[list[tuple[str, str]]]:
    """Cut pairs into batches of `size` in which no text appears twice (a repeated heading would be its own
    negative), in order: a pair that would repeat a text waits for the next batch."""
    out: list[list[tuple[str, str]]] = []
    waiting = list(pairs)
    while waiting:
        batch: list[tuple[str, str]] = []
        seen: set[str] = set()
        later: list[tuple[str, str]] = []
        for pair in waiting:
            if len(batch) < size and pair[0] not in seen and pair[1] not in seen:
                batch.append(pair)
                seen.update(pair)
            else:
                later.append(pair)
        out.append(batch)
        waiting = later
    return out


def adapt(
    index_dir: Path,
    base: Path,
    sections: Iterable[tuple[str, str, Sequence[str]]],
    max_pairs: int = MAX_PAIRS,
    seed: int = 0,
    progress: bool = True,
) -> AdaptReport:
    """Tune the model at `base` on the pairs of `sections` (at most `max_pairs`, a fixed sample of them), save it
    beside the index and point `<index>/models/ADAPTED` at it. The index's vectors are not touched: rebuild it
    (the fingerprint has changed) to embed the papers with the new model."""
    started = time.perf_counter()
    pairs = training_pairs(sections)
    if len(pairs) < BATCH:
        raise CorpusError(
            f"too little text to adapt the model to ({len(pairs)} sentence pairs, at least {BATCH} needed): "
            "add papers, then run `rag adapt` again"
        )
    random.Random(seed).shuffle(pairs)
    pairs = pairs[:max_pairs]
    steps = batches(pairs)  # one pass: two gave the same figures (dev recall 0.829 vs 0.844) in twice the time
    folder = models_dir(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=folder, prefix=".adapting-"))
    try:
        _train(base, steps, work, seed, progress)
        model_id = hashlib.sha256((work / "model.safetensors").read_bytes()).hexdigest()[:12]
        (work / "adapted.json").write_text(
            json.dumps({"base": str(base.name), "pairs": len(pairs), "steps": len(steps), "seed": seed}) + "\n",
            encoding="utf-8",
        )
        final = folder / f"{PREFIX}{model_id}"
        if final.exists():  # the same weights again (same papers, same seed)
            shutil.rmtree(work)
        else:
            os.replace(work, final)
        _point(folder, model_id)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    log.info("adapted %s on %d pairs in %d steps (%.0f s)", base.name, len(pairs), len(steps), seconds)
    return AdaptReport(AdaptedModel(model_id, final), len(pairs), len(steps), seconds)


def _train(base: Path, steps: list[list[tuple[str, str]]], dest: Path, seed: int, progress: bool) -> None:
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from tqdm import tqdm
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    model = SentenceTransformer(str(base), device="cpu")
    read_tokens = model.max_seq_length
    model.max_seq_length = MAX_TOKENS
    loss = MultipleNegativesRankingLoss(model)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    warm = max(1, len(steps) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, _warm_then_decay(warm, len(steps)))
    model.train()
    for batch in tqdm(steps, desc="Adapting the model", unit="step", disable=not progress, leave=False):
        features = [model.preprocess([a for a, _ in batch]), model.preprocess([b for _, b in batch])]
        value = loss(features, None)
        value.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
    model.eval()
    model.max_seq_length = read_tokens
    model.save(str(dest))


def _warm_then_decay(warm: int, total: int) -> Callable[[int], float]:
    """The learning rate's factor at each step: up linearly over `warm` steps, then down linearly to 0."""
    return lambda step: min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))


def _point(folder: Path, model_id: str) -> None:
    (folder / DECLINED).unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".pointer-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(model_id + "\n")
    os.replace(tmp, folder / POINTER)


def switch_off(index_dir: Path) -> bool:
    """Stop using the adapted model (the next build embeds with the packaged one) and remember the choice, so that
    `rag index` does not adapt again by itself; True if one was in use."""
    folder = models_dir(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DECLINED).write_text(
        "`rag adapt --off` chose the packaged model; `rag adapt` tunes it again\n", encoding="utf-8"
    )
    pointer = folder / POINTER
    if not pointer.exists():
        return False
    pointer.unlink()
    return True


def declined(index_dir: Path) -> bool:
    """Whether `rag adapt --off` chose the packaged model for this index folder (since the last `rag adapt`)."""
    return (models_dir(index_dir) / DECLINED).is_file()


def drop_unused(index_dir: Path, keep: Iterable[str]) -> None:
    """Remove the adapted models of this index folder other than those in `keep` (ids), and their exports."""
    wanted = {i for i in keep if i}
    for old in models_dir(index_dir).glob(f"*{PREFIX}*"):
        model_id = old.name.split(PREFIX, 1)[1].split("-", 1)[0]
        if model_id in wanted:
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
