"""The optional LLM judge plugs into the eval metrics: a scripted chat model's YES/NO decides support."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from rag.evals.llm_judge import LLMJudge
from rag.evals.metrics import score_question

PASSAGE = "Twenty clinical and non-clinical leaders in 15 organisations were interviewed."
ANSWER = {
    "id": "x",
    "answer": "Twenty leaders were interviewed. [1]",
    "abstained": False,
    "citations": [{"n": 1, "chunk_id": "c1", "doc": "a.txt", "work": "a", "text": PASSAGE, "quote": PASSAGE}],
    "retrieved": [{"rank": 1, "chunk_id": "c1", "doc": "a.txt", "text": PASSAGE}],
    "sentences": [],
}
ITEM = {
    "id": "x",
    "type": "numeric",
    "answerable": True,
    "key_points": ["Twenty"],
    "evidence": [{"doc": "a.txt", "quote": PASSAGE}],
}


def test_verdict_follows_the_model_reply() -> None:
    judge = LLMJudge(FakeListChatModel(responses=["YES", "no, the number differs"]))
    assert judge("Twenty leaders were interviewed. [1]", [PASSAGE]).supported is True
    assert judge("Thirty leaders were interviewed.", [PASSAGE]).supported is False
    assert judge("Anything.", []).supported is False


def test_metrics_use_the_llm_judge_when_given() -> None:
    yes = score_question(ANSWER, ITEM, judge=LLMJudge(FakeListChatModel(responses=["YES"])))
    no = score_question(ANSWER, ITEM, judge=LLMJudge(FakeListChatModel(responses=["NO"])))
    assert (yes.faithfulness, yes.citation_recall) == (1.0, 1.0)
    assert (no.faithfulness, no.citation_recall) == (0.0, 0.0)
