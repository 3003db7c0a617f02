"""Tests of rag.dedup: renderings of one paper merge, a renamed copy is found by content, others do not."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import pytest

from rag.catalog import load_catalog, meta_for
from rag.chunking import chunk_source
from rag.dedup import containment, merge_renderings, shingles
from rag.schema import Chunk, Page, PaperMeta, SourceFile
from rag.settings import ChunkingSettings

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PDF = "aufegger-2020-sharing-leadership.pdf.txt"
WEB = "aufegger-2020-sharing-leadership.web.txt"
NG = "ng-2022-managers-clinicians-value-based-healthcare.txt"
WARING = "waring-2023-clinical-leaders-ics-governance.txt"
SETTINGS = ChunkingSettings(target_chars=900, max_tokens=200, overlap_sentences=1)


@functools.cache
def _chunks(doc: str, as_name: str | None = None) -> tuple[Chunk, ...]:
    """Passages of a corpus paper, optionally saved under another file name (then without a catalog entry)."""
    text = (CORPUS / doc).read_text(encoding="utf-8")
    name = as_name or doc
    meta = meta_for(name, text, load_catalog(CORPUS))
    return tuple(chunk_source(SourceFile(name, (Page(None, text),), "0" * 64), meta, SETTINGS))


def _texts(chunks: list[Chunk], doc: str) -> list[str]:
    return [c.text for c in chunks if c.doc == doc]


def test_aufegger_renderings_merge_into_the_pdf() -> None:
    kept, work_of = merge_renderings({PDF: _chunks(PDF), WEB: _chunks(WEB)})
    assert work_of == {PDF: "aufegger-2020", WEB: "aufegger-2020"}
    # The pdf extract holds more text: it is the primary copy and keeps every passage.
    assert [c.chunk_id for c in kept if c.doc == PDF] == [c.chunk_id for c in _chunks(PDF)]
    # From the web page only what the pdf lacks stays: the title block, acknowledgements and footnotes.
    web = [c for c in kept if c.doc == WEB]
    assert [(c.section, c.kind, c.work) for c in web] == [
        ("Front matter", "front", "aufegger-2020"),
        ("Acknowledgments", "back", "aufegger-2020"),
        ("Footnotes", "back", "aufegger-2020"),
        ("Footnotes", "back", "aufegger-2020"),
    ]


@pytest.mark.parametrize(
    ("footnote", "in_kept_web_passages"),
    [
        (
            "• Funding This article represents independent research supported by the NIHR Imperial Patient "
            "Safety Translational Research Centre.",
            [False, False, True, False],
        ),
        (
            "• Ethics approval The study was reviewed and ethically approved by the Joint Research "
            "Compliance Office (JRCO; 18IC4917), Imperial College London, UK.",
            [False, False, False, True],
        ),
    ],
)
def test_web_footnotes_survive_the_merge(footnote: str, in_kept_web_passages: list[bool]) -> None:
    kept, _ = merge_renderings({PDF: _chunks(PDF), WEB: _chunks(WEB)})
    assert [footnote in text for text in _texts(kept, WEB)] == in_kept_web_passages


def test_web_passages_the_pdf_holds_are_dropped() -> None:
    kept, _ = merge_renderings({PDF: _chunks(PDF), WEB: _chunks(WEB)})
    sentence = "Twenty participants were interviewed (age range: 35–50 years)"
    assert (
        sum(sentence in t for t in _texts(list(_chunks(WEB)), WEB)),
        sum(sentence in t for t in _texts(kept, WEB)),
        sum(sentence in t for t in _texts(kept, PDF)),
    ) == (1, 0, 1)


def test_kept_passages_take_the_primary_copys_work() -> None:
    """A web copy saved under a name the catalog does not know is still folded into the pdf's work."""
    copy = "sharing-leadership-webpage.txt"
    web = _chunks(WEB, as_name=copy)
    assert {c.work for c in web} == {"sharing-leadership-webpage"}
    kept, work_of = merge_renderings({PDF: _chunks(PDF), copy: web})
    assert work_of == {PDF: "aufegger-2020", copy: "aufegger-2020"}
    assert [(c.section, c.work) for c in kept if c.doc == copy] == [
        ("Front matter", "aufegger-2020"),
        ("Acknowledgments", "aufegger-2020"),
        ("Footnotes", "aufegger-2020"),
        ("Footnotes", "aufegger-2020"),
    ]


def test_renamed_copy_is_found_by_content() -> None:
    copy = "waring-copy.txt"  # sorts after the catalogued name
    kept, work_of = merge_renderings({WARING: _chunks(WARING), copy: _chunks(WARING, as_name=copy)})
    assert work_of == {WARING: "waring-2023", copy: "waring-2023"}
    assert [c.chunk_id for c in kept] == [c.chunk_id for c in _chunks(WARING)]


def test_renamed_copy_sorting_first_does_not_take_over_the_catalogued_paper() -> None:
    copy = "copy-of-waring.txt"  # sorts before the catalogued name
    chunks = {WARING: _chunks(WARING), copy: _chunks(WARING, as_name=copy)}
    kept, work_of = merge_renderings(chunks, catalogued={WARING})
    assert work_of == {WARING: "waring-2023", copy: "waring-2023"}
    assert [c.chunk_id for c in kept] == [c.chunk_id for c in _chunks(WARING)]


def test_catalogued_paper_stays_primary_over_a_longer_copy() -> None:
    """A fuller uncatalogued copy only adds its new passages, under the catalogued paper's work."""
    copy = "copy-of-waring.txt"
    extra = "An appendix sentence that only the longer copy holds, about rota planning in winter months."
    longer = (*_chunks(WARING, as_name=copy), replace(_chunks(WARING, as_name=copy)[-1], text=extra))
    kept, work_of = merge_renderings({WARING: _chunks(WARING), copy: longer}, catalogued={WARING})
    assert work_of == {WARING: "waring-2023", copy: "waring-2023"}
    assert [(c.doc, c.work, c.text) for c in kept if c.doc == copy] == [(copy, "waring-2023", extra)]


def test_unrelated_papers_are_not_merged() -> None:
    kept, work_of = merge_renderings({WARING: _chunks(WARING), NG: _chunks(NG)})
    assert work_of == {NG: "ng-2022", WARING: "waring-2023"}
    assert [c.chunk_id for c in kept] == [c.chunk_id for c in _chunks(NG) + _chunks(WARING)]


def test_a_document_without_passages_is_kept_apart() -> None:
    kept, work_of = merge_renderings({WARING: _chunks(WARING), "empty.txt": []})
    assert work_of == {WARING: "waring-2023", "empty.txt": "empty.txt"}
    assert len(kept) == len(_chunks(WARING))


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [
        (
            "Non-clinical managers, in the UK's ICS!",
            3,
            {
                ("nonclinical", "managers", "in"),
                ("managers", "in", "the"),
                ("in", "the", "uk"),
                ("the", "uk", "s"),
                ("uk", "s", "ics"),
            },
        ),
        ("two words", 5, {("two", "words")}),
        ("", 5, set()),
        ("A b C d e", 5, {("a", "b", "c", "d", "e")}),
    ],
)
def test_shingles(text: str, n: int, expected: set[tuple[str, ...]]) -> None:
    assert shingles(text, n) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        ("a b c d e f", "a b c d e g", 0.5),
        ("a b c d e f", "x a b c d e f y", 1.0),
        ("a b c d e f", "f e d c b a", 0.0),
        ("", "a b c d e", 0.0),
    ],
)
def test_containment(part: str, whole: str, expected: float) -> None:
    assert containment(shingles(part), shingles(whole)) == expected


def test_meta_of_an_unknown_file_comes_from_its_name() -> None:
    meta = meta_for("sharing-leadership-webpage.txt", "Short\n\nA Title Of Four Words\n", {})
    assert meta == PaperMeta(work="sharing-leadership-webpage", title="A Title Of Four Words")
