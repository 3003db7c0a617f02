"""English words and the words the embedding model knows whole."""

from __future__ import annotations

import pytest

from rag.coverage import unread_name
from rag.lexicon import english_word, read_in_pieces


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("ockenden", True),  # o ##cken ##den
        ("NVivo", True),
        ("kirkup", True),
        ("onto", False),
        ("storytelling", False),
        ("Scotland", False),
        ("leadership", False),
    ],
)
def test_read_in_pieces(word: str, pieces: bool) -> None:
    assert read_in_pieces(word) is pieces


@pytest.mark.parametrize(
    ("phrase", "unread"),
    [
        ("ockenden", True),
        ("psychometric", True),  # (psycho ##metric, and no word of lemminflect's)
        ("versa", False),  # known whole ("vice versa")
        ("whistle-blowing", False),  # hyphenated: its parts are looked up as words
        ("minority ethnic", False),  # a phrase of English words
        ("leaders", False),
    ],
)
def test_a_name_the_model_cannot_read_is_one_word_no_english_word_read_in_pieces(phrase: str, unread: bool) -> None:
    assert unread_name(phrase) is unread


def test_english_word() -> None:
    assert english_word("reacted") and english_word("Languages")
    assert not english_word("vespa") and not english_word("naturallanguage")
