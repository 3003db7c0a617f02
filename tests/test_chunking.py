"""Tests of rag.chunking and rag.sentences on the real papers: spans, sizes, ids and section borders."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pytest

from rag.chunking import LabelledSentence, chunk_id, chunk_source, count_tokens, cut_chunk, document_sentences
from rag.schema import Chunk, Page, PaperMeta, SourceFile
from rag.sentences import split_sentences
from rag.settings import ChunkingSettings
from rag.text import normalise

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DOCS = sorted(p.name for p in CORPUS.glob("*.txt"))
# Pinned rather than the defaults, so tuning the defaults does not move these expectations.
DEFAULT = ChunkingSettings(target_chars=900, max_tokens=200, overlap_sentences=1)
SMALL = ChunkingSettings(target_chars=300, max_tokens=64, overlap_sentences=0)
SETTINGS = {"default": DEFAULT, "small": SMALL}
# Chunking with the small settings costs as much as with the default ones: two papers are enough for it.
SMALL_DOCS = [
    "ng-2022-managers-clinicians-value-based-healthcare.txt",
    "waring-2023-clinical-leaders-ics-governance.txt",
]
DOC_SIZES = [(doc, "default") for doc in DOCS] + [(doc, "small") for doc in SMALL_DOCS]


@functools.cache
def _raw(doc: str) -> str:
    return (CORPUS / doc).read_text(encoding="utf-8")


def _source(doc: str, text: str | None = None) -> SourceFile:
    return SourceFile(doc=doc, pages=(Page(None, _raw(doc) if text is None else text),), sha256="0" * 64)


@functools.cache
def _chunks(doc: str, size: str = "default") -> tuple[Chunk, ...]:
    return tuple(chunk_source(_source(doc), PaperMeta(work="w", title="t"), SETTINGS[size]))


@functools.cache
def _sentences(doc: str) -> tuple[LabelledSentence, ...]:
    return tuple(document_sentences(_source(doc)))


def _inside(chunk: Chunk) -> list[LabelledSentence]:
    """The sentences of the chunk's document whose spans lie inside the chunk's span, less those of a box printed
    inside one of them (a sentence broken by a box spans the box)."""
    found = [s for s in _sentences(chunk.doc) if chunk.start <= s.sentence.start < s.sentence.end <= chunk.end]
    return [
        s
        for s in found
        if not any(o.sentence.start < s.sentence.start and s.sentence.end < o.sentence.end for o in found)
    ]


def _is_subsequence(part: str, whole: str) -> bool:
    rest = iter(whole)
    return all(ch in rest for ch in part)


@pytest.mark.parametrize(("doc", "size"), DOC_SIZES)
def test_chunk_span_holds_its_text(doc: str, size: str) -> None:
    """The cleaned passage is the raw span minus what cleaning drops (reference numbers, tags, markers).

    In normalised form (letters and digits only) the passage is a subsequence of the raw span, and the span
    starts at the passage's first character and ends at its last: the cleaning only ever removes.
    """
    raw = _raw(doc)
    for chunk in _chunks(doc, size):
        span = raw[chunk.start : chunk.end]
        assert _is_subsequence(normalise(chunk.text), normalise(span)), chunk.text[:80]
        assert (span[0], span[-1]) == (chunk.text[0], chunk.text[-1])
        assert chunk.page is None


@pytest.mark.parametrize("doc", DOCS)
def test_every_sentence_of_a_passage_cut_out_keeps_its_own_span(doc: str) -> None:
    """A sentence taken out of its passage (as the evidence shows it) spans just that sentence in the source:
    its span starts at its first character and ends at its last, and holds its text in normalised form."""
    raw = _raw(doc)
    for chunk in _chunks(doc)[:40]:
        assert (chunk.anchors[0][0], chunk.anchors[-1][1]) == (0, len(chunk.text))  # its sentences tile it
        for a, b, _, _ in chunk.anchors:
            part = cut_chunk(chunk, a, b)
            span = raw[part.start : part.end]
            assert part.text == chunk.text[a:b]
            assert (span[0], span[-1]) == (part.text[0], part.text[-1]), part.text[:60]
            assert _is_subsequence(normalise(part.text), normalise(span))
            assert chunk.start <= part.start < part.end <= chunk.end


def test_a_cut_passage_without_anchors_keeps_the_passage_span() -> None:
    chunk = Chunk("id", "d.txt", "w", "t", "S", None, 10, 60, "One sentence here. Another one there.")
    part = cut_chunk(chunk, 19, 37)
    assert (part.text, part.start, part.end) == ("Another one there.", 10, 60)
    assert part.chunk_id == chunk_id("d.txt", "Another one there.")


def test_cleaning_removals_are_what_separates_span_and_text() -> None:
    """Ng's passage with caret markers: the span holds '^{1,2}' and the passage does not."""
    chunk = next(
        c
        for c in _chunks("ng-2022-managers-clinicians-value-based-healthcare.txt")
        if c.text.startswith("The National Health Service (NHS) has an increasing demand")
    )
    span = _raw(chunk.doc)[chunk.start : chunk.end]
    assert ("^{1,2}" in span, "^{1,2}" in chunk.text) == (True, False)
    assert ("outcomes.^{1,2} The current" in span, "outcomes. The current" in chunk.text) == (True, True)


@pytest.mark.parametrize(("doc", "size"), DOC_SIZES)
def test_chunk_token_limit(doc: str, size: str) -> None:
    """A passage stays within max_tokens unless it is one sentence that is longer on its own."""
    settings = SETTINGS[size]
    longest_sentence = max(s.tokens for s in _sentences(doc))
    for chunk in _chunks(doc, size):
        tokens = count_tokens(chunk.text)
        assert tokens <= settings.max_tokens + longest_sentence
        if tokens > settings.max_tokens:
            assert len(split_sentences(chunk.text)) == 1, chunk.text[:80]


def test_longest_sentence_of_ng_is_its_own_passage_when_longer_than_max_tokens() -> None:
    """Ng's longest sentence (92 tokens, its MEDLINE search) is longer than the small settings' max_tokens (64): it
    becomes a passage of its own. (It was a 106-token run of two rows of Table 2, parted at the tab between the
    cells; then a 96-token run of a theme's paragraph into a participant's quote, parted at their paragraph tags.)"""
    doc = "ng-2022-managers-clinicians-value-based-healthcare.txt"
    longest = max(_sentences(doc), key=lambda s: s.tokens)
    assert longest.tokens == 92
    holders = [c for c in _chunks(doc, "small") if longest.sentence.text in c.text]
    assert [(c.text, c.start, c.end) for c in holders] == [
        (longest.sentence.text, longest.sentence.start, longest.sentence.end)
    ]


def test_quotations_printed_as_one_paragraph_are_sentences_of_their_own() -> None:
    """A table cell of interviewees' words, each quotation followed by its speaker, is one paragraph in Ng: each
    attributed quotation is a sentence of its own (it was one 222-token sentence)."""
    doc = "ng-2022-managers-clinicians-value-based-healthcare.txt"
    texts = [s.sentence.text for s in _sentences(doc)]
    quote = (
        '"In the end, doctors tend to listen to other doctors, that is far more powerful than using someone who is '
        'not a doctor if we want to influence change" (manager)'
    )
    assert quote in texts
    assert "'Engagement needs to be seen through the lens of the person who is being engaged' (clinician)" in texts


@pytest.mark.parametrize("doc", ["aufegger-2020-sharing-leadership.pdf.txt", SMALL_DOCS[0]])
def test_chunk_ids_are_stable_across_runs(doc: str) -> None:
    first = [c.chunk_id for c in _chunks(doc)]
    second = [c.chunk_id for c in chunk_source(_source(doc), PaperMeta("w", "t"), DEFAULT)]
    assert first == second
    assert len(set(first)) == len(first)
    assert first == [chunk_id(doc, c.text) for c in _chunks(doc)]


def test_appending_a_section_keeps_earlier_chunk_ids() -> None:
    doc = "waring-2023-clinical-leaders-ics-governance.txt"
    longer = _raw(doc) + "\nAddendum\nA late note was added to the paper after review. It says little.\n"
    before = [c.chunk_id for c in _chunks(doc)]
    after = [c.chunk_id for c in chunk_source(_source(doc, longer), PaperMeta("w", "t"), DEFAULT)]
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1


@pytest.mark.parametrize(
    ("doc", "text", "expected"),
    [
        ("waring.txt", "Clinical leaders matter.", "9fa4633b9e5a7f52"),
        ("waring.txt", "clinical  leaders - matter", "9fa4633b9e5a7f52"),  # same normalised content
        ("other.txt", "Clinical leaders matter.", "b0b1500737709a2f"),  # same text, other document
    ],
)
def test_chunk_id(doc: str, text: str, expected: str) -> None:
    assert chunk_id(doc, text) == expected


def test_chunk_id_ignores_the_work_and_title() -> None:
    text = "Methods\n\nTwenty leaders were interviewed in 2019. They worked in one ICS.\n"
    source = SourceFile("a.txt", (Page(None, text),), "0" * 64)
    one = chunk_source(source, PaperMeta("aufegger-2020", "Sharing leadership"), DEFAULT)
    two = chunk_source(source, PaperMeta("another-work", "Another title"), DEFAULT)
    expected = chunk_id("a.txt", "Twenty leaders were interviewed in 2019. They worked in one ICS.")
    assert ([c.chunk_id for c in one], [c.chunk_id for c in two]) == ([expected], [expected])
    assert (one[0].work, two[0].work, one[0].section) == ("aufegger-2020", "another-work", "Methods")


@pytest.mark.parametrize(("doc", "size"), DOC_SIZES)
def test_chunks_never_cross_sections(doc: str, size: str) -> None:
    """Each passage is exactly the sentences inside its span, and they all share its section and kind."""
    for chunk in _chunks(doc, size):
        inside = _inside(chunk)
        joined = inside[0].sentence.text + "".join(
            ("\t" if s.sentence.cell else " ") + s.sentence.text for s in inside[1:]
        )
        assert joined == chunk.text  # a tab parts a table's cells
        assert {(s.sentence.section, s.kind) for s in inside} == {(chunk.section, chunk.kind)}


@pytest.mark.parametrize(
    ("doc", "chunks", "sections"),
    [
        ("aufegger-2020-sharing-leadership.pdf.txt", 52, 25),
        ("aufegger-2020-sharing-leadership.web.txt", 46, 25),
        # 67 before table rows were parted; 64 since the affiliations printed inside a sentence are front matter;
        # 63 since a block's tags part sentences (a theme's paragraph from its participants' quotes); 11 sections since
        # the rows of Table 2 after its page break are the table's ("Distributed leadership" is a row, not a heading)
        ("ng-2022-managers-clinicians-value-based-healthcare.txt", 63, 11),
        ("walsh-2023-practice-of-collaborative-leadership.txt", 125, 27),  # 123 likewise; 122 before lists came whole
        ("waring-2023-clinical-leaders-ics-governance.txt", 63, 20),  # 64 before a box gave back its sentence
    ],
)
def test_chunk_counts_of_the_corpus(doc: str, chunks: int, sections: int) -> None:
    """Golden counts with the pinned settings: a change here is a change in what gets indexed."""
    found = _chunks(doc)
    assert (len(found), len({c.section for c in found})) == (chunks, sections)


@pytest.mark.parametrize(("doc", "size", "shared"), [(DOCS[3], "default", 1), (SMALL_DOCS[1], "small", 0)])
def test_neighbours_in_a_section_share_overlap_sentences(doc: str, size: str, shared: int) -> None:
    """The next window restarts `overlap_sentences` before the end of the last (and always moves on)."""
    chunks = _chunks(doc, size)
    for a, b in itertools.pairwise(chunks):
        if (a.section, a.kind) != (b.section, b.kind):
            continue
        left, right = _inside(a), _inside(b)
        repeated = min(shared, len(left) - 1)
        assert right[:repeated] == left[len(left) - repeated :]
        assert right[repeated].sentence.start >= a.end


LIST_TEXT = (
    "Introduction\n\n"
    "Partnerships cover large areas and bring many organisations together across the region. "
    "They were set up by law in 2022 after years of voluntary joint working. "
    "They have four core purposes, to:\n\n"
    "- improve outcomes in population health and health care\n"
    "- tackle inequalities in access to services\n"
    "- enhance productivity and value for money\n"
    "- support broader social and economic development.\n\n"
    "If they are to deliver on these purposes, they will need sufficient resources and powers.\n"
)


def test_a_passage_ends_before_a_list_rather_than_inside_it() -> None:
    """A window that would end between a list's lead-in (or an item) and its next item ends before the lead-in; the
    next window holds the lead-in and every item, so no passage reads as a sentence stopping mid-list."""
    settings = ChunkingSettings(target_chars=300, max_tokens=200, overlap_sentences=0)
    chunks = chunk_source(SourceFile("list.txt", (Page(None, LIST_TEXT),), "0" * 64), PaperMeta("w", "t"), settings)
    texts = [c.text for c in chunks]
    assert texts[0].endswith("voluntary joint working.")
    assert texts[1].startswith("They have four core purposes, to: - improve outcomes")
    assert texts[1].endswith("- support broader social and economic development.")


def test_a_list_longer_than_a_passage_is_cut_where_it_must_be() -> None:
    """A list that begins its window and does not fit is still cut (the window cannot end before it)."""
    settings = ChunkingSettings(target_chars=100, max_tokens=200, overlap_sentences=0)
    chunks = chunk_source(SourceFile("list.txt", (Page(None, LIST_TEXT),), "0" * 64), PaperMeta("w", "t"), settings)
    leading = [c.text for c in chunks if c.text.startswith("They have four core purposes")]
    assert leading and not leading[0].endswith("development.")
    assert any(c.text.endswith("- support broader social and economic development.") for c in chunks)


def test_no_passage_of_the_corpus_stops_inside_a_list() -> None:
    """With the shipped settings, every list of the starter papers that a passage boundary would have cut (the King's
    Fund report's "four core purposes", its "six key practices", Ng's aims) comes whole after its lead-in."""
    settings = ChunkingSettings()
    for doc in DOCS:
        for chunk in chunk_source(_source(doc), PaperMeta("w", "t"), settings):
            assert not chunk.text.rstrip().endswith(":"), chunk.text[-80:]
    walsh = chunk_source(_source(DOCS[3]), PaperMeta("w", "t"), settings)
    assert any(
        "They have four core purposes, to: - improve" in c.text and "support broader social and economic" in c.text
        for c in walsh
    )


def test_tiny_passages_are_not_kept() -> None:
    source = SourceFile("tiny.txt", (Page(None, "Results\n\nOk.\n\nYes it is.\n"),), "0" * 64)
    assert chunk_source(source, PaperMeta("w", "t"), DEFAULT) == []


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", 0),
        ("Shared leadership", 2),
        ("Twenty participants were interviewed.", 5),
        ("non-clinical managers in UK’s integrated care system", 11),
    ],
)
def test_count_tokens(text: str, tokens: int) -> None:
    assert count_tokens(text) == tokens


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Veronesi et al. reported that boards did better. Managers often fight a losing battle.",
            ["Veronesi et al. reported that boards did better.", "Managers often fight a losing battle."],
        ),
        (
            "Working arrangements (e.g. sharing an office) will help. Doctors agree.",
            ["Working arrangements (e.g. sharing an office) will help.", "Doctors agree."],
        ),
        (
            "Findings showed: (1) motivation to lead; (2) attitudes towards interdisciplinary working.",
            ["Findings showed: (1) motivation to lead; (2) attitudes towards interdisciplinary working."],
        ),
        (
            "Leaders made (1) analytical insights; (2) representations. They also vary.",
            ["Leaders made (1) analytical insights; (2) representations.", "They also vary."],
        ),
        (
            "‘They needed a director, everyone ran and I was left there.’ Another said no.",
            ["‘They needed a director, everyone ran and I was left there.’", "Another said no."],
        ),
        (
            "Twenty were interviewed (age range: 35–50 years); 10 were clinicians. All were senior.",
            ["Twenty were interviewed (age range: 35–50 years); 10 were clinicians.", "All were senior."],
        ),
        ("The ICS (i.e. the board) decided. It was.", ["The ICS (i.e. the board) decided.", "It was."]),
        (
            # a list's number goes with its item, not with the sentence that introduces the list
            "It has several unique features: 1. Intuitive and easy to design. Designing prompts is easy.",
            ["It has several unique features:", "1. Intuitive and easy to design.", "Designing prompts is easy."],
        ),
        ("It rose in Sections 3 and 4. Then it fell.", ["It rose in Sections 3 and 4.", "Then it fell."]),
        ("  Leading space and trailing space.  ", ["Leading space and trailing space."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == sentences
