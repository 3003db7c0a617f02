"""English words: is a word in lemminflect's English lexicon (any inflection)? And does the embedding model know a
word whole, or read it only in pieces?"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tokenizers import Tokenizer


@lru_cache(maxsize=8192)
def english_word(word: str) -> bool:
    """Is the word, in lower case, an English word in any of its forms ('react', 'reacted', 'languages')? Coined
    names ('vespa', 'alce') and words joined without their hyphen ('naturallanguage') are not."""
    from lemminflect import getAllLemmas  # its lexicon loads on first use

    return bool(getAllLemmas(word.lower()))


@lru_cache(maxsize=1)
def _word_pieces() -> Tokenizer:
    from tokenizers import Tokenizer

    from rag.embedding import model_path

    tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tokenizer.no_padding()  # (the model's file pads every text to its length)
    return tokenizer


@lru_cache(maxsize=8192)
def read_in_pieces(word: str) -> bool:
    """Does the packaged embedding model (and any `rag adapt` tunes from it: same word pieces) read the word only as
    pieces of words it knows ('ockenden': 'o', '##cken', '##den'; 'nvivo'), not whole ('storytelling', 'onto',
    'scotland')? A word it reads so means little to it: leaving it out of a question barely moves the question's
    vector, however much the question is about it."""
    return len(_word_pieces().encode(word.lower(), add_special_tokens=False).tokens) > 1
