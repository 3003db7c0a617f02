"""Property tests (hypothesis) of the pure text steps: the cleaner, the chunker, the citation-marker parser and the
question check never raise on odd text, keep every span inside the source, and give stable ids."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunking import chunk_id, chunk_source
from rag.citations import parse_markers, split_answer
from rag.cleaning import split_paragraphs
from rag.errors import BadQuestionError
from rag.questions import check_question
from rag.schema import Page, PaperMeta, SourceFile
from rag.settings import ChunkingSettings

# Pieces of text as papers hold them: words, headings, hyphenated breaks, ligatures, markers, odd whitespace,
# control and zero-width characters, digits and brackets. Joined at random they make paper-like noise.
PIECES = [
    "Shared",
    "leadership",
    "ward",
    "managers",
    "were",
    "inter-",
    "viewed",
    "eﬃcient",
    "ﬁnding",
    "NHS",
    "ICS",
    "Results",
    "\n\nMethods\n\n",
    "Introduction\n",
    "References\n",
    "1.",
    "2.1",
    "Table 1:",
    "Figure 2.",
    "(n = 12)",
    "[1]",
    "[2, 3]",
    "[4][5]",
    "[",
    "]",
    "et al.",
    "e.g.",
    "i.e.",
    "Dr.",
    ".",
    "!",
    "?",
    ";",
    ",",
    "—",
    "–",
    "-\n",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\f",
    "\r\n",
    "\x00",
    "\u200b",
    "\u00ad",
    "é",
    "ü",
    "中文",
    "😀",
    "“",
    "”",
    "’",
    "©",
    "doi:10.1/x",
    "https://example.org",
    "•",
    "▪",
    "a)",
    "(i)",
    "12%",
    "£3m",
    "2019–2021",
]
paper_text = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=120).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=120).map("".join),
    st.text(max_size=400),
)
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHUNKING = ChunkingSettings(target_chars=200, max_tokens=60, overlap_sentences=1)
META = PaperMeta(work="w", title="T")


@FUZZ
@given(paper_text)
def test_cleaner_maps_every_character_inside_the_source(raw: str) -> None:
    for paragraph in split_paragraphs(raw):
        mapped = paragraph.text
        assert len(mapped.origin) == len(mapped.text)
        assert all(0 <= at < len(raw) for at in mapped.origin)


@FUZZ
@given(st.lists(paper_text, min_size=1, max_size=3), st.booleans())
def test_chunker_spans_stay_inside_the_source_and_ids_are_stable(pages: list[str], numbered: bool) -> None:
    numbered = numbered or len(pages) > 1  # a text file is one page without a number; a PDF numbers its pages
    source = SourceFile(
        doc="fuzz.txt",
        pages=tuple(Page(number=n if numbered else None, text=t) for n, t in enumerate(pages, start=1)),
        sha256=hashlib.sha256("".join(pages).encode()).hexdigest(),
    )
    chunks = chunk_source(source, META, CHUNKING)
    again = chunk_source(source, META, CHUNKING)
    assert [c.chunk_id for c in again] == [c.chunk_id for c in chunks]
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    for chunk in chunks:
        page_text = pages[(chunk.page or 1) - 1]
        assert 0 <= chunk.start < chunk.end <= len(page_text)
        assert chunk.chunk_id == chunk_id("fuzz.txt", chunk.text)


@FUZZ
@given(st.lists(st.integers(min_value=0, max_value=10**6), max_size=6), paper_text)
def test_citation_markers_parse_back(numbers: list[int], noise: str) -> None:
    noise = noise.replace("[", "(").replace("]", ")")  # the noise carries no markers of its own
    sentence = noise + " " + " ".join(f"[{n}]" for n in numbers)
    assert parse_markers(sentence) == tuple(dict.fromkeys(numbers))
    assert parse_markers(f"{noise} [{', '.join(map(str, numbers))}]") == tuple(dict.fromkeys(numbers))


@FUZZ
@given(paper_text)
def test_citation_parser_and_answer_splitter_never_raise(answer: str) -> None:
    for sentence in split_answer(answer):
        assert sentence == sentence.strip()
        assert all(f"{n}" in sentence for n in parse_markers(sentence))


@FUZZ
@given(paper_text)
def test_question_check_refuses_cleanly_or_returns_words(question: str) -> None:
    try:
        cleaned = check_question(question)
    except BadQuestionError as error:
        assert "\n" not in str(error)
        return
    assert any(ch.isalnum() for ch in cleaned)
    assert cleaned == cleaned.strip() and check_question(cleaned) == cleaned


@pytest.mark.parametrize("question", ["\ud800", "x\udfff", "\udcff\udcfe"])
def test_question_check_refuses_lone_surrogates(question: str) -> None:
    with pytest.raises(BadQuestionError, match="not valid UTF-8"):
        check_question(question)
