"""Real PDFs of different layouts read as a user would add them: citation facts, sections, clean body passages.

The four articles (BMC two-column, ACL two-column, PeerJ one column with a margin sidebar, an arXiv preprint) are
described in fixtures/pdfs/SOURCES.md; ALCE and ReAct are the team's two arXiv papers.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from rag.acronyms import find_acronyms
from rag.bibliography import Reference, bibliography_of
from rag.catalog import meta_for
from rag.chunking import chunk_source, document_sentences
from rag.cleaning import BRACKET_REF
from rag.contacts import contacts_of
from rag.csl import split_name
from rag.outline import outline_of, structure
from rag.paper_facts import names_paper, own_name, paper_names, text_facts, title_name
from rag.readers import read_source
from rag.schema import Chunk, SourceFile
from rag.settings import ChunkingSettings
from rag.text import normalise

PDFS = Path(__file__).parent / "fixtures" / "pdfs"
SAMPLES = (
    "agyemanduah-2014-quality-improvement-malawi.pdf",
    "dinu-2014-phrase-generation.pdf",
    "sheikhahmadi-2015-influential-nodes.pdf",
    "webb-2017-vespa-selective-pressure.pdf",
)
PEERS = ("alce-gao-2023.pdf", "react-yao-2023.pdf")


@functools.cache
def _read(name: str) -> SourceFile:
    return read_source(PDFS / name)


@functools.cache
def _chunks(name: str) -> tuple[Chunk, ...]:
    source = _read(name)
    return tuple(chunk_source(source, meta_for(name, "", {}, text_facts(source)), ChunkingSettings()))


# file, title as printed (case kept, line breaks joined), first author's surname, year, DOI where one is printed
FACTS = [
    (
        SAMPLES[0],
        "Understanding the barriers to setting up a healthcare quality improvement process in resource-limited "
        "settings: a situational analysis at the Medical Department of Kamuzu Central Hospital in Lilongwe, Malawi",
        "Agyeman-Duah",
        2014,
        "10.1186/1472-6963-14-1",  # printed on the last page only
    ),
    (SAMPLES[1], "How to make words with vectors: Phrase generation in distributional semantics", "Dinu", 2014, ""),
    (SAMPLES[2], "Improving Detection of Influential Nodes in Complex Networks", "Sheikhahmadi", 2015, ""),
    (
        SAMPLES[3],
        "VESPA: Very large-scale Evolutionary and Selective Pressure Analyses",
        "Webb",
        2017,
        "10.7717/peerj-cs.118",
    ),
]
PEER_FACTS = [
    (PEERS[0], "Enabling Large Language Models to Generate Text with Citations", "Gao", 2023, ""),
    # set in capitals; 'ReAct' as the paper spells it
    (PEERS[1], "ReAct: Synergizing Reasoning and Acting in Language Models", "Yao", 2022, ""),  # arXiv v2, Nov 2022
]


# Every author, in order, as the title page prints them (an author line may wrap over two blocks; the
# affiliations under it, in smaller type, are not names)
AUTHORS = {
    SAMPLES[0]: ("Agyeman-Duah", "Theurer", "Munthali", "Alide", "Neuhann"),
    SAMPLES[1]: ("Dinu", "Baroni"),
    SAMPLES[2]: ("Sheikhahmadi", "Nematbakhsh", "Shokrollahi"),
    SAMPLES[3]: ("Webb", "Walsh", "O’Connell"),
    PEERS[0]: ("Gao", "Yen", "Yu", "Chen"),
    PEERS[1]: ("Yao", "Zhao", "Yu", "Du", "Shafran", "Narasimhan", "Cao"),
}


def _check_facts(name: str, title: str, surname: str, year: int, doi: str) -> None:
    meta = meta_for(name, "", {}, text_facts(_read(name)))
    assert title in meta.title
    assert split_name(meta.authors[0])[0] == surname
    assert tuple(split_name(a)[0] for a in meta.authors) == AUTHORS[name]
    assert (meta.year, meta.doi) == (year, doi)
    assert meta.sources["title"] == "first page"


@pytest.mark.parametrize(
    ("name", "authors", "venue", "year", "doi"),
    [
        # the author line wraps before its last name ("..., Silvia Conforto" | "and Alireza Gharabaghi"); the journal
        # stands in the running header with its year in brackets
        (
            "demarchis-2016-hand-stimulation.pdf",
            ("De Marchis", "Monteiro", "Simon-Martinez", "Conforto", "Gharabaghi"),
            "Journal of NeuroEngineering and Rehabilitation",
            2016,
            "10.1186/s12984-016-0129-6",
        ),
        # MDPI: "Future Internet 2014, 6, 61-75; doi:10.3390/fi6010061"
        (
            "branchi-2014-smart-cities.pdf",
            ("Branchi", "Fernández-Valdivielso", "Matias"),
            "Future Internet",
            2014,
            "10.3390/fi6010061",
        ),
        # a collaboration signs as one author; a preprint is cited by the arXiv identifier stamped in its margin
        (
            "atlascms-2015-higgs-mass.pdf",
            ("The ATLAS and CMS Collaborations",),
            "arXiv preprint arXiv:1503.07589v1",
            2015,
            "",
        ),
        # PeerJ prints its name abbreviated ("PeerJ Comput. Sci. 3:e118"); a reference gives it whole
        (
            "webb-2017-vespa-selective-pressure.pdf",
            ("Webb", "Walsh", "O’Connell"),
            "PeerJ Computer Science",
            2017,
            "10.7717/peerj-cs.118",
        ),
        (
            "agyemanduah-2014-quality-improvement-malawi.pdf",
            AUTHORS[SAMPLES[0]],
            "BMC Health Services Research",
            2014,
            "10.1186/1472-6963-14-1",
        ),
    ],
)
def test_authors_and_venue_of_the_newer_samples(
    name: str, authors: tuple[str, ...], venue: str, year: int, doi: str
) -> None:
    meta = meta_for(name, "", {}, text_facts(_read(name)))
    surnames = tuple(a if a.startswith("The ") else split_name(a)[0] for a in meta.authors)
    assert (surnames, meta.venue, meta.year, meta.doi) == (authors, venue, year, doi)


@pytest.mark.parametrize(("name", "title", "surname", "year", "doi"), FACTS)
def test_citation_facts_of_the_samples(name: str, title: str, surname: str, year: int, doi: str) -> None:
    _check_facts(name, title, surname, year, doi)


@pytest.mark.slow  # 23 and 31 pages: about 25 s together
@pytest.mark.parametrize(("name", "title", "surname", "year", "doi"), PEER_FACTS)
def test_citation_facts_of_the_peer_pdfs(name: str, title: str, surname: str, year: int, doi: str) -> None:
    _check_facts(name, title, surname, year, doi)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("VESPA: Very large-scale Evolutionary and Selective Pressure Analyses", "VESPA"),
        ("ReAct: Synergizing Reasoning and Acting in Language Models", "ReAct"),  # a capital inside
        ("Alce: a benchmark", "Alce"),  # no English word
        ("React: Synergizing Reasoning and Acting", ""),  # an English word: no name
        ("Leadership: a review", ""),
        ("Sharing leadership: current attitudes", ""),  # a phrase
        ("How to make words with vectors: Phrase generation in distributional semantics", ""),
        ("Improving Detection of Influential Nodes in Complex Networks", ""),  # no colon
    ],
)
def test_the_name_a_title_gives_its_subject(title: str, name: str) -> None:
    assert title_name(title) == name


@pytest.mark.parametrize(
    ("word", "name", "expected"),
    [
        ("ReAct", "ReAct", True),
        ("react", "ReAct", False),  # "how did staff react": the English verb
        ("REACT", "ReAct", False),
        ("VESPA", "VESPA", True),
        ("Vespa", "VESPA", True),  # no English word: any spelling names it
        ("vespa", "VESPA", True),
        ("VESPA", "", False),
    ],
)
def test_a_question_word_names_a_paper_by_its_title_name(word: str, name: str, expected: bool) -> None:
    assert names_paper(word, name) is expected


def test_a_title_name_is_a_papers_own_when_its_passages_use_it_and_others_hardly() -> None:
    titles = {"a": "ReAct: Synergizing ...", "b": "VESPA: Very large-scale ...", "c": "Sharing leadership: ..."}
    passages = [("a", "We present ReAct."), ("a", "ReAct prompts LLMs."), ("a", "ReAct-IM and ReAct differ.")]
    passages += [("b", "VESPA runs."), ("b", "VESPA is written in Python."), ("c", "Unlike VESPA, we ...")]
    passages += [("b", "Phase 1 of VESPA."), ("c", "The vespa is a scooter.")]  # 3 uses in b, 2 elsewhere
    assert paper_names(titles, passages) == {"a": "ReAct"}


def test_a_word_is_a_papers_own_name_when_its_passages_use_it_and_others_hardly() -> None:
    passages = [("a", f"ALCE result {n}.") for n in range(6)] + [("b", "Unlike ALCE, ...")]
    assert own_name("ALCE", passages) == "a"  # 6 of its passages against 1 elsewhere
    assert own_name("ALCE", [*passages, ("b", "ALCE again.")]) is None  # 6 against 2: nobody's own
    assert own_name("ALCE", [("a", "ALCE."), ("a", "ALCE.")]) is None  # too few uses to name a paper
    assert own_name("ALCEX", passages) is None


def test_the_catalog_overrides_a_fact_and_records_where_each_came_from() -> None:
    from rag.catalog import CatalogEntry
    from rag.schema import PaperMeta

    name = SAMPLES[3]
    entry = CatalogEntry(name, PaperMeta(work="webb-2017", title="", year=2018), True, "sidecar", frozenset({"year"}))
    meta = meta_for(name, "", {name: entry}, text_facts(_read(name)))
    assert (meta.work, meta.year, meta.doi) == ("webb-2017", 2018, "10.7717/peerj-cs.118")
    assert meta.sources == {
        "authors": "first page",
        "doi": "text",
        "title": "first page",
        "venue": "first page",
        "year": "sidecar",
    }


# (file, [(level, heading)] that the outline must hold, in this order)
SECTIONS = [
    (SAMPLES[0], [(1, "Background"), (1, "Methods"), (1, "Results"), (1, "Discussion"), (1, "Conclusions")]),
    (
        SAMPLES[1],
        [
            (1, "1 Introduction"),
            (1, "3 General framework"),
            (2, "3.1 Synthesis"),
            (2, "3.2 Generation"),
            (1, "5 Noun phrase generation"),
            (2, "5.1 One-step decomposition"),
            (1, "8 Conclusion"),
        ],
    ),
    (SAMPLES[2], [(1, "1. Introduction"), (1, "2. Structural measures"), (1, "5. Conclusions and future directions")]),
    (SAMPLES[3], [(1, "INTRODUCTION"), (1, "METHODS"), (1, "RESULTS"), (1, "DISCUSSION"), (1, "CONCLUSION")]),
]


# BMC sets its sub-headings in a font of their own at about body size, its name not saying bold: the whole
# outline of the sample, as printed
BMC_OUTLINE = [
    (1, 1, "Abstract"),
    # the structured abstract's parts, each labelled in its text ("Results: Human resource shortages ...")
    (2, 1, "Abstract: Background"),
    (2, 1, "Abstract: Methods"),
    (2, 1, "Abstract: Results"),
    (2, 1, "Abstract: Conclusions"),
    (1, 2, "Background"),
    (1, 2, "Methods"),
    (2, 2, "Setting"),
    (2, 2, "Study approach, sampling and data analysis"),
    (2, 2, "Tools for data collection"),
    (2, 3, "Interviews"),
    (2, 3, "Document review and observation"),
    (2, 3, "Ethical considerations"),
    (1, 3, "Results"),
    (2, 3, "Structured patient interviews"),
    (2, 3, "Stakeholder in-depth interviews"),
    (1, 4, "Document review and participatory observations"),
    (2, 4, "Staffing"),
    (2, 4, "Patient flow and care"),
    (2, 4, "Registered diagnoses to the OPD II"),
    (1, 4, "Discussion"),
    (2, 7, "Documentation"),
    (2, 7, "Patient flow, statistics and care"),
    (2, 7, "Staffing-related issues"),
    (2, 8, "Leadership"),
    (2, 8, "Stakeholder view"),
    (1, 9, "Conclusions"),
    (1, 9, "Additional file"),
    (1, 9, "Competing interests"),
    (1, 9, "Acknowledgments"),
    (1, 9, "References"),
]


@pytest.mark.parametrize(("position", "level", "page", "title"), [(i, *e) for i, e in enumerate(BMC_OUTLINE)])
def test_bmc_sub_headings_in_a_font_of_their_own(position: int, level: int, page: int, title: str) -> None:
    outline = outline_of(_read(SAMPLES[0]))
    assert len(outline) == len(BMC_OUTLINE)
    assert (outline[position].level, outline[position].page, outline[position].title) == (level, page, title)


def test_a_word_in_another_font_ending_a_paragraph_is_no_heading() -> None:
    # 'Department' ends a list item on page 2 in an italic font; table cells of ALCE set in a medium face
    titles = [e.title for e in outline_of(_read(SAMPLES[0]))] + [e.title for e in outline_of(_read(PEERS[0]))]
    assert [t for t in titles if t in ("Department", "ChatGPT", "Example")] == []


@pytest.mark.parametrize(("name", "wanted"), SECTIONS)
def test_outline_holds_the_papers_sections_with_their_nesting(name: str, wanted: list[tuple[int, str]]) -> None:
    outline = outline_of(_read(name))
    found = [(e.level, e.title) for e in outline]
    assert [item for item in found if item in wanted] == wanted
    for entry in outline:  # each section's span runs forward, and starts at its heading
        assert (entry.page or 0, entry.start) <= (entry.end_page or 0, entry.end)
        page = _read(name).pages[(entry.page or 1) - 1]
        # (a structured abstract's part starts at its label: "Abstract: Results" at "Results: ...")
        assert page.text[entry.start :].startswith(entry.title.split(": ")[-1].split()[0])


@pytest.mark.parametrize("name", SAMPLES)
def test_body_passages_hold_no_caption_and_no_running_header(name: str) -> None:
    source = _read(name)
    captions = [
        normalise(page.text[b.start : b.end])[:40]
        for page in source.pages
        for b in page.blocks
        if b.kind == "caption" and b.end - b.start >= 40
    ]
    assert len(captions) >= 2
    headers = {
        SAMPLES[0]: "BMC Health Services Research 2014, 14:1",
        SAMPLES[1]: "Proceedings of the 52nd Annual Meeting",
        SAMPLES[2]: "IMPROVING DETECTION OF INFLUENTIAL NODES IN COMPLEX NETWORKS",
        SAMPLES[3]: "PeerJ Comput. Sci.",
    }
    labelled = {"Figure", "Table", "Algorithm", "Box"}
    body = [c for c in _chunks(name) if c.kind == "body" and c.section.split()[0] not in labelled]
    assert len(body) >= 20
    for chunk in body:
        text = normalise(chunk.text)
        assert not [cap for cap in captions if cap in text], chunk.text
        assert normalise(headers[name]) not in text, chunk.text
        # the section is a real heading, never a caption's label
        assert chunk.section.split()[0] not in labelled


@pytest.mark.parametrize("name", SAMPLES)
def test_every_passage_lies_in_its_page_span(name: str) -> None:
    """In normalised form the passage stands in its page span, once the numbered citations ("[7]") that cleaning
    drops are dropped from the span too, and the footnotes printed inside it ("... which are" | notes | "required
    for ..."); a passage whose last sentence goes on over the page break stands in its span up to the break, and
    the rest of that sentence in the next page."""
    pages = {p.number: BRACKET_REF.sub("", p.text) for p in _read(name).pages}
    carried = 0
    for chunk in _chunks(name):
        page = _read(name).pages[chunk.page - 1]
        text = normalise(chunk.text)
        inside = [b for b in page.blocks if b.kind == "note" and chunk.start <= b.start and b.end <= chunk.end]
        notes = [b for b in inside if normalise(page.text[b.start : b.end])[:30] not in text]
        kept = zip([chunk.start] + [n.end for n in notes], [n.start for n in notes] + [chunk.end], strict=True)
        span = normalise(BRACKET_REF.sub("", " ".join(page.text[a:b] for a, b in kept)))
        if text in span:
            continue
        following = normalise(pages.get(chunk.page + 1, ""))
        assert any(text[:k] in span and text[k:] in following for k in range(len(text) - 1, 0, -1)), chunk.text[:80]
        carried += 1
    assert carried <= len(pages)  # at most one sentence carried over each page break


def test_a_sentence_broken_by_a_page_break_is_one_sentence_on_its_first_page() -> None:
    """ "... is a prerequisite for the next" / "Table 2 ..." / "them to the study interviewees, ...": the table at
    the top of the next page comes between the two halves; the sentence is whole, and cited to page 2."""
    sentences = [
        s for s in document_sentences(_read(SAMPLES[0])) if "In order to validate the questions" in s.sentence.text
    ]
    assert [(s.sentence.page, s.sentence.text) for s in sentences] == [
        (
            2,
            "In order to validate the questions before posing them to the study interviewees, the questionnaires for "
            "this study were first administered to some staff of the KCH.",
        )
    ]
    # a heading or a figure's text at the top of the next page carries nothing on: "Great Minds Academic Fellowship
    # to MJO'C." goes on in the same type after a full line; a figure's label in smaller type does not
    funding = [s.sentence.text for s in document_sentences(_read(SAMPLES[3])) if "Science Found" in s.sentence.text]
    assert any(t.endswith("University of Leeds 250 Great Minds Academic Fellowship to MJO’C.") for t in funding)


def test_two_columns_under_a_caption_and_a_header_crossing_the_gutter_are_read_one_after_the_other() -> None:
    """BMC page 5: a figure's caption and the running header ("(2016) 13:22") each cross the gutter in places; the
    columns are still two, not lines of both run together ("In only 13 % of the patterns, M-waves Moreover, ...")."""
    sentences = [s.sentence.text for s in document_sentences(_read("demarchis-2016-hand-stimulation.pdf"))]
    assert "In only 13 % of the patterns, M-waves did not predict the targeted movements." in sentences
    assert "In general, the functional finger extension was closely mimicking the template hand opening." in sentences


def test_two_columns_between_a_full_width_abstract_and_licence_are_read_one_after_the_other() -> None:
    """BMC page 1: the abstract and keywords span the page, then two columns, then the licence spans it again. The
    columns are read left then right, not line by line across ("... is a widely used purposes. A number ...")."""
    sentences = [s.sentence.text for s in document_sentences(_read("demarchis-2016-hand-stimulation.pdf"))]
    assert "Functional Electrical Stimulation (FES) is a widely used technique for inducing muscle contraction." in (
        sentences
    )
    assert "This technique has been extensively studied for both training and rehabilitation purposes." in sentences


def test_a_sidebar_of_dates_of_record_is_kept_one_date_to_a_line() -> None:
    """PeerJ's first-page sidebar ("Submitted 25 March 2016" | "Accepted 9 May 2017" | "Published 5 June 2017" |
    "Corresponding author" | ...) is set out like a table's cells with no caption, and had been dropped."""
    document = _read("webb-2017-vespa-selective-pressure.pdf")
    sentences = [(s.sentence.page, s.sentence.text) for s in document_sentences(document)]
    assert {(1, "Submitted 25 March 2016"), (1, "Accepted 9 May 2017"), (1, "Published 5 June 2017")} <= set(sentences)
    assert [c.text for c in contacts_of(document)] == ["Corresponding author Mary J. O’Connell, m.oconnell@leeds.ac.uk"]


def test_how_to_cite_the_article_is_one_line_of_record() -> None:
    """The journal's abbreviated name ("PeerJ Comput. Sci.") does not cut the reference the paper gives for itself."""
    sentences = [s.sentence.text for s in document_sentences(_read("webb-2017-vespa-selective-pressure.pdf"))]
    assert (
        "How to cite this article Webb et al. (2017), VESPA: Very large-scale Evolutionary and Selective Pressure "
        "Analyses. PeerJ Comput. Sci. 3:e118; DOI 10.7717/peerj-cs.118"
    ) in sentences


def test_a_displayed_equation_with_its_number_is_text() -> None:
    """ "The result is" | "mH = 125.09 ± 0.21 (stat.) ± ... GeV, (8)" | "from which ...": the equation's number set
    apart made it look like a row of table cells, dropped for want of a table's caption."""
    sentences = [s.sentence.text for s in document_sentences(_read("atlascms-2015-higgs-mass.pdf"))]
    assert any(
        t.startswith("The result is mH = 125.09 ± 0.21 (stat.) ± 0.11 (scale) ± 0.02 (other) ± 0.01 (theory) GeV")
        for t in sentences
    )


def test_a_radical_sign_reaching_into_the_line_above_stays_in_its_own_line() -> None:
    """The "√" of "√s = 7 TeV" reaches up into the title line above, over "Measurement": it had joined that line,
    whose gap around it read as table cells and was dropped, losing the title's first line; in running text it
    stood in the line above ("... LHC Run√ 1.") and left "at s = 7 TeV"."""
    document = _read("atlascms-2015-higgs-mass.pdf")
    assert text_facts(document)["title"][0] == (
        "Combined Measurement of the Higgs Boson Mass in pp Collisions at √s = 7 and 8 TeV with the ATLAS and CMS "
        "Experiments"
    )
    sentences = [s.sentence.text for s in document_sentences(document)]
    assert any(t.endswith("commonly referred to as LHC Run 1.") for t in sentences)
    assert any("luminosity at √s = 7 TeV, and 20 fb− at √s = 8 TeV" in t for t in sentences)


def test_a_tex_math_italic_letter_without_a_unicode_mapping_is_read() -> None:
    """The letter ell of "H → ZZ → 4ℓ" is slot 0x60 of TeX's math italic font (CMMI10), which the PDF gives no
    Unicode for: pdfminer's "(cid:96)" had been dropped, leaving "H → ZZ → 4 channels"."""
    sentences = [s.sentence.text for s in document_sentences(_read("atlascms-2015-higgs-mass.pdf"))]
    assert any("H → γγ and H → ZZ → 4l decay channels" in t for t in sentences)  # (NFKC makes ℓ an l)
    assert not any("ZZ → 4 channels" in t or "(cid:" in t for t in sentences)


@pytest.mark.parametrize(
    ("name", "opening", "sentence"),
    [
        # the first page's footer ("Proceedings of the 52nd Annual Meeting ...") between "In" and "this paper"
        (
            "dinu-2014-phrase-generation.pdf",
            "this paper, we introduce",
            "In this paper, we introduce a more direct approach to phrase generation, inspired by the work in "
            "compositional distributional semantics.",
        ),
        # footnotes at the foot of the column ("Available at https://code.google.com/p/word2vec/ ...")
        (
            "dinu-2014-phrase-generation.pdf",
            "required for the training",
            "We extract both word vectors and the observed phrase vectors which are required for the training "
            "procedures.",
        ),
        (
            "webb-2017-vespa-selective-pressure.pdf",
            "is part of the PAML package",
            "Codeml is part of the PAML package for the analyses of selective pressure variation in nucleotide "
            "sequence data in a maximum likelihood framework (Yang, 2007).",
        ),
    ],
)
def test_a_sentence_broken_by_footnotes_is_one_sentence(name: str, opening: str, sentence: str) -> None:
    """A footnote or a page's footer printed between a sentence's two halves stands apart as a note; the sentence
    is whole, and the note is not lost."""
    sentences = document_sentences(_read(name))
    assert [s.sentence.text for s in sentences if opening in s.sentence.text] == [sentence]
    notes = [s.sentence.text for s in sentences if s.kind == "back"]
    assert any("Proceedings of the 52nd Annual Meeting" in t or "PeerJ" in t for t in notes)


@pytest.mark.parametrize(
    ("name", "page", "notes"),
    [
        # the ACL paper's three footnotes at the foot of page 4: the first ends on an address, no full stop
        (
            "dinu-2014-phrase-generation.pdf",
            4,
            [
                "Available at https://code.google.com/p/word2vec/",
                "The parameters of both models have been chosen without specific tuning, based on their observed "
                "stable performance in previous independent experiments.",
                "Corpus sources: http://wacky.sslmit.unibo.it, http://www.natcorp.ox.ac.uk",
            ],
        ),
        # the preprint's affiliations, one to each numbered note, after its keywords
        (
            "sheikhahmadi-2015-influential-nodes.pdf",
            1,
            [
                "Department of Computer Engineering, University of Isfahan, Isfahan, Iran.",
                "Department of Mathematics and Computer Science, West Virginia University, Morgantown, WV 26506, USA.",
                "Center for Artificial Intelligence and Network Science, Sanandaj, Kurdistan, Iran.",
            ],
        ),
    ],
)
def test_each_footnote_is_a_paragraph_of_its_own(name: str, page: int, notes: list[str]) -> None:
    """A page's footnotes are read as one block; each opens with its superscript marker, and is cut there."""
    paragraphs = [p.text.text for number, p in structure(_read(name)).paragraphs if number == page]
    assert [p for p in paragraphs if p in notes] == notes


@pytest.mark.parametrize(
    ("name", "section", "phrase"),
    [
        # the ACL footnote marker after 'software' is gone, the line-end hyphen joined
        (SAMPLES[1], "4 Evaluation setting", "We use the word2vec software to build vectors of size 300"),
        # the two columns of page 1 are read one after the other
        (SAMPLES[1], "1 Introduction", "As message producers we start from the meaning we want to communicate"),
        # a table caption is its own passage, labelled with the table
        (SAMPLES[3], "Table 1", "Table 1 Overview of the 5 Phases in the VESPA software package."),
        (SAMPLES[0], "Table 1", "Table 1 Patient-provider relationship during consultation"),
        # 'Naïve' typed from its UTF-8 bytes in a T1 font ('NaÃŕve' in the PDF) is repaired
        (SAMPLES[3], "RESULTS", "NEB, Naïve Empirical Bayes estimate"),
        # a compound broken after its hyphen at a line end keeps the hyphen (two words that make none together)
        pytest.param(PEERS[0], "1 Introduction", "ALCE assumes a natural-language question", marks=pytest.mark.slow),
        # the reference list is gone from the evidence
    ],
)
def test_passage_text_and_section(name: str, section: str, phrase: str) -> None:
    assert [c.section for c in _chunks(name) if phrase in c.text][:1] == [section]


@pytest.mark.parametrize("name", SAMPLES)
def test_the_reference_list_is_not_evidence(name: str) -> None:
    assert not [c for c in _chunks(name) if c.section.lower().endswith(("references", "bibliography"))]


@pytest.mark.parametrize(
    ("name", "acronym", "long_form", "own_name"),
    [
        (PEERS[0], "ALCE", "automatic llms’ citation evaluation", True),  # 'ALCE, the first benchmark for ...'
        (SAMPLES[3], "VESPA", "very large-scale evolutionary and selective pressure analyses", True),
        (SAMPLES[2], "SIDD", "second improvement of degreedistance", True),
        (SAMPLES[1], "PN", "preposition-noun", False),
        (SAMPLES[0], "MSS", "medical short stay", False),
    ],
)
def test_acronyms_a_paper_defines(name: str, acronym: str, long_form: str, own_name: bool) -> None:
    acronyms = find_acronyms(c.text for c in _chunks(name))
    assert (acronyms.get(acronym), acronym in acronyms.names) == (long_form, own_name)


def test_markdown_headings_become_nested_sections(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Team huddles on wards\n\nWard teams met each morning for ten minutes.\n\n"
        "## Methods\n\nWe observed six wards over a month.\n\n### Analysis\n\nNotes were coded twice.\n",
        encoding="utf-8",
    )
    source = read_source(path)
    chunks = chunk_source(source, meta_for(path.name, "", {}), ChunkingSettings())
    assert [(c.section, c.text) for c in chunks] == [
        ("Team huddles on wards", "Ward teams met each morning for ten minutes."),
        ("Methods", "We observed six wards over a month."),
        ("Analysis", "Notes were coded twice."),
    ]
    text = path.read_text(encoding="utf-8")
    assert [(e.level, e.title, text[e.start : e.end][:12]) for e in outline_of(source)] == [
        (1, "Team huddles on wards", "Ward teams m"),
        (2, "Methods", "We observed "),
        (3, "Analysis", "Notes were c"),
    ]


@pytest.mark.parametrize(
    ("name", "part", "opening"),
    [
        (SAMPLES[0], "Abstract: Results", "Human resource shortages, staff attitudes and shortage of equipment were"),
        (SAMPLES[0], "Abstract: Conclusions", "Establishing a quality improvement process in resource-limited"),
        (SAMPLES[3], "ABSTRACT: Results", "We have benchmarked VESPA and our results show that the method"),
    ],
)
def test_each_part_of_a_structured_abstract_is_a_section_under_the_abstract(name: str, part: str, opening: str) -> None:
    """BMC prints "Results: ..." and PeerJ "Results. ..." run into one abstract paragraph: each part is a section of
    its own, without its label, so that what a study found is told apart from its background."""
    assert [c.text[: len(opening)] for c in _chunks(name) if c.section == part] == [opening]
    assert (2, part) in [(e.level, e.title) for e in outline_of(_read(name))]


def test_a_structured_abstract_in_a_text_file_is_cut_into_its_parts(tmp_path: Path) -> None:
    path = tmp_path / "study.md"
    path.write_text(
        "# Abstract\n\nBackground: Ward huddles are common. Methods: We observed six wards. Results: Huddles "
        "took ten minutes. Conclusions: Short huddles work.\n\n# Introduction\n\nWards are busy places.\n",
        encoding="utf-8",
    )
    chunks = chunk_source(read_source(path), meta_for(path.name, "", {}), ChunkingSettings())
    assert [(c.section, c.text) for c in chunks] == [
        ("Abstract: Background", "Ward huddles are common."),
        ("Abstract: Methods", "We observed six wards."),
        ("Abstract: Results", "Huddles took ten minutes."),
        ("Abstract: Conclusions", "Short huddles work."),
        ("Introduction", "Wards are busy places."),
    ]


def test_html_headings_become_sections(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<h1>Rota design</h1><p>Rotas were drawn up weekly.</p><h2>Results</h2><p>Gaps fell by a third.</p>",
        encoding="utf-8",
    )
    chunks = chunk_source(read_source(path), meta_for(path.name, "", {}), ChunkingSettings())
    assert [(c.section, c.text) for c in chunks] == [
        ("Rota design", "Rotas were drawn up weekly."),
        ("Results", "Gaps fell by a third."),
    ]


# file, entries in its reference list, entries with a year (the rest print none: 'Frontiers in human neuroscience 5.')
BIBLIOGRAPHY_SIZES = [
    (SAMPLES[0], 31, 31),  # BMC, numbered 'n. Name A: Title. Journal 2006, 19:516'
    (SAMPLES[1], 32, 32),  # ACL, author-year in two columns
    (SAMPLES[2], 43, 39),  # Elsevier, '[n] A. Name, Title, Journal 20 (1) (2010)'
    (SAMPLES[3], 24, 24),  # PeerJ, 'Name AB, Name C. 2016. Title. Journal 44(W1):W3 DOI ...'
    (PEERS[0], 51, 51),  # ACL, an entry split across columns
    (PEERS[1], 35, 35),  # ICLR natbib, 'Names. Title, 2020. URL ...'
]


@pytest.mark.parametrize(("name", "entries", "dated"), BIBLIOGRAPHY_SIZES)
def test_the_reference_list_becomes_the_papers_bibliography(name: str, entries: int, dated: int) -> None:
    refs = bibliography_of(_read(name))
    assert (len(refs), sum(1 for r in refs if r.year)) == (entries, dated)
    assert all(r.title and r.authors for r in refs)


@pytest.mark.parametrize(
    ("name", "position", "expected"),
    [
        (
            SAMPLES[0],
            23,  # a name with a letter outside ASCII
            Reference(
                "Øvretveit J: Formulating a health quality improvement strategy for a developing country. "
                "Int J Health Care Qual Assur 2004, 17(7):368–376.",
                24,
                ("Øvretveit J",),
                2004,
                "Formulating a health quality improvement strategy for a developing country",
                "Int J Health Care Qual Assur",
            ),
        ),
        (
            SAMPLES[2],
            10,  # a title with commas, then ', in:'
            Reference(
                "T. N. Dinh, D. T. Nguyen, M. T. Thai, Cheap, easy, and massively effective viral marketing in social "
                "networks: truth or fiction?, in: Proceedings of the 23rd ACM conference on Hypertext and social "
                "media, ACM, 2012, pp. 165–174.",
                11,
                ("T. N. Dinh", "D. T. Nguyen", "M. T. Thai"),
                2012,
                "Cheap, easy, and massively effective viral marketing in social networks: truth or fiction?",
                "Proceedings of the 23rd ACM conference on Hypertext and social media, ACM",
            ),
        ),
        (
            SAMPLES[1],
            3,  # a spacing accent ('Germa´n') joined to its letter; 'vs.' inside the title
            Reference(
                "Marco Baroni, Georgiana Dinu, and Germán Kruszewski. 2014. Don’t count, predict! A systematic "
                "comparison of context-counting vs. context-predicting semantic vectors. In Proceedings of ACL, "
                "To appear, Baltimore, MD.",
                None,
                ("Marco Baroni", "Georgiana Dinu", "Germán Kruszewski"),
                2014,
                "Don’t count, predict! A systematic comparison of context-counting vs. context-predicting semantic "
                "vectors",
                "Proceedings of ACL, To appear, Baltimore, MD",
            ),
        ),
        (
            SAMPLES[3],
            1,  # the title's line opens like an author list ('Gapped BLAST and PSI-BLAST: ...')
            Reference(
                "Altschul SF, Madden TL, Schaffer AA, Zhang J, Zhang Z, Miller W, Lipman DJ. 1997. Gapped BLAST and "
                "PSI-BLAST: a new generation of protein database search programs. Nucleic Acids Research "
                "25(17):3389–3402 DOI 10.1093/nar/25.17.3389.",
                None,
                ("Altschul SF", "Madden TL", "Schaffer AA", "Zhang J", "Zhang Z", "Miller W", "Lipman DJ"),
                1997,
                "Gapped BLAST and PSI-BLAST: a new generation of protein database search programs",
                "Nucleic Acids Research",
                "10.1093/nar/25.17.3389",
            ),
        ),
        (
            PEERS[1],
            7,  # the year after the venue; a DOI and a URL
            Reference(
                "Angela Fan, Yacine Jernite, Ethan Perez, David Grangier, Jason Weston, and Michael Auli. ELI5: Long "
                "form question answering. In Proceedings of the 57th Annual Meeting of the Association for "
                "Computational Linguistics, pp. 3558–3567, Florence, Italy, July 2019. Association for Computational "
                "Linguistics. doi: 10.18653/v1/P19-1346. URL https://aclanthology.org/P19-1346.",
                None,
                ("Angela Fan", "Yacine Jernite", "Ethan Perez", "David Grangier", "Jason Weston", "Michael Auli"),
                2019,
                "ELI5: Long form question answering",
                "Proceedings of the 57th Annual Meeting of the Association for Computational Linguistics",
                "10.18653/v1/P19-1346",
                "https://aclanthology.org/P19-1346",
            ),
        ),
    ],
)
def test_reference_entries(name: str, position: int, expected: Reference) -> None:
    assert bibliography_of(_read(name))[position] == expected


def test_a_preprint_stamp_in_the_margin_is_kept_as_a_note() -> None:
    """The arXiv stamp printed up the margin of page 1 is the only place the preprint says when it came out."""
    notes = [s.sentence for s in document_sentences(_read(SAMPLES[2])) if s.sentence.text.startswith("arXiv:")]
    assert [(s.page, s.section, s.text) for s in notes] == [(1, "Notes", "arXiv:1504.06236v2 [cs.SI] 24 Apr 2015")]
