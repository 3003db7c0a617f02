"""The generative path: a scripted chat model's draft goes through the citation check; presets fail clearly."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from rag.citations import check_citations, parse_markers
from rag.errors import BackendUnavailableError
from rag.generative import chat_model_for
from rag.settings import AnsweringSettings

PASSAGES = [
    "Twenty clinical and non-clinical leaders in 15 organisations were interviewed.",
    "The data were transcribed and analysed thematically.",
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("A [1].", (1,)), ("A [1, 3].", (1, 3)), ("A [1][2].", (1, 2)), ("A [9].", (9,)), ("A.", ())],
)
def test_parse_markers(sentence: str, expected: tuple[int, ...]) -> None:
    assert parse_markers(sentence) == expected


def test_changed_number_fabricated_marker_and_wrong_passage_are_caught() -> None:
    draft = (
        "Twenty clinical and non-clinical leaders in 15 organisations were interviewed. [1] "
        "Thirty leaders in 15 organisations were interviewed. [1] "
        "The data were transcribed and analysed thematically. [9] "
        "The data were transcribed and analysed thematically. [1]"
    )
    check = check_citations(draft, PASSAGES)
    assert [s.supported for s in check.sentences] == [True, False, False, False]
    assert check.invalid_markers == 1
    assert check.unsupported == 3


def test_scripted_model_output_is_checked_and_unsupported_draft_falls_back() -> None:
    model = FakeListChatModel(responses=["The study interviewed 200 nurses in Scotland. [1]"])
    draft = model.invoke("anything").content
    check = check_citations(str(draft), PASSAGES)
    assert (check.support_rate, check.sentences[0].cited) == (0.0, (1,))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            AnsweringSettings(backend="gguf"),
            "no GGUF file: set answering.gguf_path (e.g. RAG_ANSWERING__GGUF_PATH)",
        ),
        (AnsweringSettings(backend="openai", api_key_env="RAG_TEST_NO_SUCH_KEY"), None),
    ],
)
def test_presets_fail_with_the_fix(settings: AnsweringSettings, message: str | None) -> None:
    with pytest.raises(BackendUnavailableError) as err:
        chat_model_for(settings)
    if message is not None:
        assert str(err.value) == message
    else:
        assert str(err.value) in {
            "no API key: set the environment variable RAG_TEST_NO_SUCH_KEY",
            "the OpenAI-compatible backend needs `pip install langchain-openai`",
        }
