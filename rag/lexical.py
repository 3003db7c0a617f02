"""BM25 over passages and sentences, with stemmed, stop-word-free tokens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import snowballstemmer
from rank_bm25 import BM25Okapi

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        # indefinite pronouns: "anything in Ng?" asks about nothing called "anything"
        "anything",
        "anyone",
        "anybody",
        "anywhere",
        "something",
        "someone",
        "somebody",
        "somewhere",
        "everything",
        "everyone",
        "everybody",
        "everywhere",
        "nothing",
        "nobody",
        "nowhere",
        "another",
        "else",
        "whatever",
        "whoever",
        "whichever",
        "paper",
        "papers",
        "study",
        "report",
        "document",
        "documents",
        "say",
        "says",
        "said",
        "according",
        "did",
        "does",
        # verbs of reporting: how the question asks what a paper says ("what limitations does Ng acknowledge?"),
        # not what it is about
        "acknowledge",
        "acknowledges",
        "acknowledged",
        "admit",
        "admits",
        "admitted",
        "mention",
        "mentions",
        "mentioned",
        "argue",
        "argues",
        "argued",
    ]
)


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


# American spellings to British ones, before stemming: the stemmer makes "organized" "organiz" but "organised"
# "organis", and "behavior" and "behaviour" two words.
_IZE = re.compile(r"(?<=\w{3})([iy])z(e|ed|es|ing|er|ers|ation|ations|ational)$")
_OR = ("behavior", "color", "favor", "honor", "labor", "neighbor", "rumor", "humor", "flavor", "harbor")
# "analysis" stems to "analysi" and "analysed" to "analys": one word, as are "diagnosis" and "diagnosed"
_SIS = re.compile(r"s(?:is|i)$")
# An acronym's plural is the acronym to BM25: "GPs" and "ICSs" find "GP" and "ICS" (read before lowercasing, so
# "gps" or an all-capitals "TRUSTS" stays as written)
_ACRONYM_PLURAL = re.compile(r"\b([A-Z]{2,})s\b")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    word = _IZE.sub(r"\1s\2", word)
    american = next((w for w in _OR if word.startswith(w)), None)
    if american:
        word = american[:-2] + "our" + word[len(american) :]
    return _SIS.sub("s", str(_stemmer().stemWord(word)))


def plural_noun(word: str) -> bool:
    """Is the word only ever a plural noun in English ("themes", "partnerships"; not "needs" or "helps", verbs too,
    nor "based", "important")? Word classes from lemminflect's English lexicon."""
    from lemminflect import getAllLemmas  # its lexicon loads on first use

    readings = getAllLemmas(word.lower())
    return set(readings) == {"NOUN"} and readings["NOUN"][0] != word.lower()


def tokenize(text: str, acronym_plurals: bool = False) -> list[str]:
    """Lowercased, stemmed content words (stop words dropped; hyphenated words also split into their parts); with
    `acronym_plurals`, an acronym's plural is the acronym."""
    if acronym_plurals:
        text = _ACRONYM_PLURAL.sub(r"\1", text)
    text = text.lower().replace("’", "'")
    words: list[str] = []
    for w in _WORD.findall(text.replace("-", " ")):
        w = w.removesuffix("'s")
        if w not in STOPWORDS and (len(w) > 1 or w.isdigit()):
            words.append(_stem(w))
    return words


def all_stems(text: str) -> set[str]:
    """The stem of every word of the text, stop words too ("The study draws on ..." holds "studi", as "studied"
    does)."""
    return {_stem(w) for w in _WORD.findall(text.lower().replace("’", "'").replace("-", " "))}


class LexicalIndex:
    """BM25 scores of a query against every text it was built on."""

    def __init__(self, texts: Sequence[str]) -> None:
        tokens = [tokenize(t, acronym_plurals=True) or ["\x00"] for t in texts]
        self._bm25 = BM25Okapi(tokens)
        self.size = len(texts)

    def scores(self, query: str) -> np.ndarray:
        q = tokenize(query, acronym_plurals=True)
        if not q:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(q), dtype=np.float32)
