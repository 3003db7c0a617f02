"""English words: is a word in lemminflect's English lexicon (any inflection)?"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8192)
def english_word(word: str) -> bool:
    """Is the word, in lower case, an English word in any of its forms ('react', 'reacted', 'languages')? Coined
    names ('vespa', 'alce') and words joined without their hyphen ('naturallanguage') are not."""
    from lemminflect import getAllLemmas  # its lexicon loads on first use

    return bool(getAllLemmas(word.lower()))
