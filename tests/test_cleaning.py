"""Tests of rag.cleaning on text from the real papers in corpus/: raw lines in, exact cleaned text out."""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from rag.cleaning import (
    MappedText,
    Paragraph,
    clean_paragraph,
    ended_early,
    join_hyphen,
    section_of_line,
    split_paragraphs,
    word_counts,
)
from rag.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
AUFEGGER_PDF = "aufegger-2020-sharing-leadership.pdf.txt"
AUFEGGER_WEB = "aufegger-2020-sharing-leadership.web.txt"
NG = "ng-2022-managers-clinicians-value-based-healthcare.txt"
WALSH = "walsh-2023-practice-of-collaborative-leadership.txt"
WARING = "waring-2023-clinical-leaders-ics-governance.txt"
DOCS = [AUFEGGER_PDF, AUFEGGER_WEB, NG, WALSH, WARING]
TWENTY_PARTICIPANTS = (
    "Twenty participants were interviewed (age range: 35–50 years); 10 with a clinical background, "
    "including 9 general practitioners and 1 nurse, and 10 with a non-clinical background. All of them "
    "worked in senior leadership positions in the ICS."
)


@functools.cache
def _raw(doc: str) -> str:
    return (CORPUS / doc).read_text(encoding="utf-8")


@functools.cache
def _vocabulary(doc: str) -> Counter[str]:
    return word_counts(_raw(doc))


@functools.cache
def _paragraphs(doc: str) -> tuple[Paragraph, ...]:
    return tuple(split_paragraphs(_raw(doc)))


def _clean(doc: str, raw: str) -> str:
    return clean_paragraph(MappedText.of(raw), _vocabulary(doc)).text


# (paper, raw text copied from that paper, exact cleaned text)
CLEAN_CASES = [
    pytest.param(
        AUFEGGER_PDF,
        "including 9 general practi-\ntioners and 1 nurse, and 10 with a non-clinical background.",
        "including 9 general practitioners and 1 nurse, and 10 with a non-clinical background.",
        id="line-break-hyphen-dropped",
    ),
    pytest.param(
        AUFEGGER_PDF,
        "does take a while to get the trust of non-\nclinicians. What they want in a clinical ",
        "does take a while to get the trust of non-clinicians. What they want in a clinical",
        id="real-hyphen-at-line-end-kept",
    ),
    pytest.param(
        AUFEGGER_PDF,
        "In contrast, non-\nclinical managers projected a sense of duty",
        "In contrast, non-clinical managers projected a sense of duty",
        id="non-clinical-across-lines",
    ),
    pytest.param(
        AUFEGGER_PDF,
        "change and multi-\ndisciplinary nature of work and collaborations.9–11",
        "change and multidisciplinary nature of work and collaborations.",
        id="multi-prefix-joined-when-paper-spells-it-joined",
    ),
    pytest.param(
        AUFEGGER_PDF,
        "shaping organisational \nculture,1 2 with effective leadership being associ-\nated with",
        "shaping organisational culture, with effective leadership being associated with",
        id="glued-reference-numbers-after-comma",
    ),
    pytest.param(
        AUFEGGER_WEB,
        "care.3–5 However, while leadership is influential, the type of leadership is even more so.6–8 A",
        "care. However, while leadership is influential, the type of leadership is even more so. A",
        id="glued-reference-ranges-after-full-stop",
    ),
    pytest.param(
        WARING,
        "and a further 47 non- clinical leaders, involved in the ",
        "and a further 47 non-clinical leaders, involved in the",
        id="waring-spaced-hyphen",
    ),
    pytest.param(
        WARING,
        "prevailing gover-\nnance arrangements exert influence over constit-\nuent health and social care",
        "prevailing governance arrangements exert influence over constituent health and social care",
        id="waring-line-break-hyphen",
    ),
    pytest.param(
        WARING,
        "Third, Senge et al16 outline a concept ",
        "Third, Senge et al outline a concept",
        id="reference-number-after-et-al",
    ),
    pytest.param(NG, "Sze May Ng^{1,2} ", "Sze May Ng", id="ng-caret-marker-after-name"),
    pytest.param(
        NG,
        "variations in care and health outcomes.^{1,2} The current responsibilities",
        "variations in care and health outcomes. The current responsibilities",
        id="ng-caret-marker-after-full-stop",
    ),
    pytest.param(
        NG,
        "an overly centralist approach will not work.³ Quality improvements",
        "an overly centralist approach will not work. Quality improvements",
        id="ng-superscript-digit-dropped",
    ),
    pytest.param(
        NG,
        "<i>Trust and Compliance</i>\t<p>Mistrust was described among the clinicians",
        "Trust and Compliance\tMistrust was described among the clinicians",  # the tab between the cells stays
        id="ng-p-and-i-tags-dropped",
    ),
    pytest.param(
        NG,
        "are shown on [Table 2](#). Delivery of value-based",
        "are shown on Table 2. Delivery of value-based",
        id="ng-markdown-link-keeps-its-text",
    ),
    pytest.param(
        WALSH,
        "the NHS was facing (**The King's Fund 2011**). The report",
        "the NHS was facing (The King's Fund 2011). The report",
        id="walsh-bold-emphasis-dropped",
    ),
    pytest.param(
        WALSH,
        "Senge *et al* (2015) suggest that specific",
        "Senge et al (2015) suggest that specific",
        id="walsh-italic-emphasis-dropped",
    ),
    pytest.param(
        WARING,
        "were observed over 49 hours (STP A: 22 hours, STP B: 22 hours ",
        "were observed over 49 hours (STP A: 22 hours, STP B: 22 hours",
        id="number-after-capital-and-colon-kept",
    ),
    pytest.param(None, "as in 2018, 2019 and 2020.", "as in 2018, 2019 and 2020.", id="years-after-comma-kept"),
    pytest.param(None, "see Appendix A.1 for the guide", "see Appendix A.1 for the guide", id="section-number-kept"),
    pytest.param(None, "shown in Table 2. The", "shown in Table 2. The", id="table-number-kept"),
    pytest.param(None, "version 2.1, released", "version 2.1, released", id="decimal-number-kept"),
    pytest.param(None, "across the NHS,3–5 7 with", "across the NHS, with", id="glued-references-after-acronym"),
    pytest.param(None, "the ﬁrst ﬂoor of the oﬃce", "the first floor of the office", id="ligatures-unfolded"),
    pytest.param(None, "care quality¹²³ improved", "care quality improved", id="superscript-run-dropped"),
    pytest.param(
        WALSH,
        "Figure 1 The structure of ICSs **K**",
        "Figure 1 The structure of ICSs",
        id="walsh-K-icon-marker",
    ),
    pytest.param(
        AUFEGGER_WEB,
        "will play a role in the development of SL,42 because it enables",
        "will play a role in the development of SL, because it enables",
        id="glued-reference-after-capital",
    ),
    pytest.param(
        AUFEGGER_WEB,
        "role in shaping and supporting their ICS.50 For this to happen",
        "role in shaping and supporting their ICS. For this to happen",
        id="glued-reference-after-acronym-full-stop",
    ),
    pytest.param(
        NG,
        "the quality of the service provided' (<i>clinician</i>)</p>",
        "the quality of the service provided' (clinician)",
        id="ng-tag-inside-brackets",
    ),
    pytest.param(
        WARING,
        "ings support and extend Jones and Fulop’s10 study of board- level ",
        "ings support and extend Jones and Fulop’s study of board-level",
        id="reference-glued-to-a-possessive",
    ),
    pytest.param(
        WARING,
        "summarised by Ansell and Gash14 15 and, building on their subse-",
        "summarised by Ansell and Gash and, building on their subse-",
        id="references-glued-to-a-name",
    ),
    pytest.param(
        WARING,
        "reference to Senge et al’s16 notion of system leadership, clinical ",
        "reference to Senge et al’s notion of system leadership, clinical",
        id="reference-glued-to-et-als",
    ),
    pytest.param(
        WARING,
        "rative governance regimes12 in which multiple state and non- state ",
        "rative governance regimes in which multiple state and non-state",
        id="reference-glued-to-a-plural",
    ),
    pytest.param(
        WARING,
        "(ICSs). In 2014, the Five Year Forward View2 intro-",
        "(ICSs). In 2014, the Five Year Forward View intro-",
        id="reference-glued-to-a-title",
    ),
    pytest.param(None, "after COVID-19 and H1N1, in 2020.", "after COVID-19 and H1N1, in 2020.", id="virus-names-kept"),
    pytest.param(None, "an area of 20 km2 in Phase2 of", "an area of 20 km2 in Phase2 of", id="units-and-labels-kept"),
    pytest.param(
        None,
        "as quoted (p.3) and on pp.4-5 and p.7 of",
        "as quoted (p.3) and on pp.4-5 and p.7 of",
        id="page-numbers-kept",
    ),
    pytest.param(
        None,
        "as in Figure 2 and Table 3, 1. First",
        "as in Figure 2 and Table 3, 1. First",
        id="figure-and-list-numbers-kept",
    ),
    pytest.param(
        WARING,
        "prevention, early inter-\nvention, mental health",
        "prevention, early intervention, mental health",
        id="prefix-rule-keeps-hyphen-in-broken-word",
    ),
]


@pytest.mark.parametrize(("doc", "raw", "expected"), CLEAN_CASES)
def test_clean_paragraph(doc: str | None, raw: str, expected: str) -> None:
    if doc is not None:
        assert raw in _raw(doc)  # the case is copied from the paper, not made up
    vocabulary = _vocabulary(doc) if doc is not None else Counter()
    assert clean_paragraph(MappedText.of(raw), vocabulary).text == expected


@pytest.mark.parametrize(
    ("left", "right", "vocabulary", "expected"),
    [
        ("practi", "tioners", Counter(), "practitioners"),
        # A listed prefix keeps its hyphen when what follows is a word of the text, not a broken word's tail.
        ("non", "clinical", Counter({"clinical": 5}), "non-clinical"),
        ("non", "clinical", Counter({"nonclinical": 3, "clinical": 5}), "nonclinical"),
        ("inter", "vention", Counter({"inter": 1}), "intervention"),
        ("self", "care", Counter({"care": 2}), "self-care"),
        ("leader", "ship", Counter({"leadership": 4}), "leadership"),
        ("day", "to", Counter({"day-to": 2, "dayto": 0}), "day-to"),
        ("well", "being", Counter({"well-being": 2, "wellbeing": 1}), "well-being"),
        ("Covid", "19", Counter(), "Covid19"),
        ("2018", "2019", Counter(), "2018-2019"),
        ("Health", "Care", Counter(), "Health-Care"),
        # Two English words that make none together are a compound broken after its hyphen: the hyphen stays.
        ("natural", "language", Counter(), "natural-language"),
        ("knowledge", "intensive", Counter(), "knowledge-intensive"),
        ("some", "thing", Counter(), "something"),  # together they are a word: one word broken in two
        ("con", "cern", Counter(), "concern"),  # 'cern' is no word
        ("over", "arching", Counter(), "overarching"),  # a particle opening a closed compound
    ],
)
def test_join_hyphen(left: str, right: str, vocabulary: Counter[str], expected: str) -> None:
    assert join_hyphen(left, right, vocabulary) == expected


def test_word_counts_leave_out_words_broken_at_a_line_end() -> None:
    counts = word_counts("early inter-\nvention and non-clinical care, Care")
    assert counts == Counter({"early": 1, "and": 1, "non-clinical": 1, "care": 2})


@pytest.mark.parametrize(
    ("doc", "first_words", "section", "kind", "text"),
    [
        (
            AUFEGGER_PDF,
            "Twenty participants were interviewed",
            "Sample",
            "body",
            TWENTY_PARTICIPANTS,
        ),
        (
            AUFEGGER_WEB,
            "Twenty participants were interviewed",
            "Sample",
            "body",
            TWENTY_PARTICIPANTS,
        ),
        (
            WARING,
            "A qualitative interview study",
            "Methods",
            "body",
            "A qualitative interview study carried out between 2018 and 2019 with 24 clinical leaders, and a "
            "further 47 non-clinical leaders, involved in the governance of three Sustainability and "
            "Transformation Partnership in the English National Health Service.",
        ),
        (
            AUFEGGER_WEB,
            "• Ethics approval",
            "Footnotes",
            "back",
            "• Ethics approval The study was reviewed and ethically approved by the Joint Research "
            "Compliance Office (JRCO; 18IC4917), Imperial College London, UK.",
        ),
        (
            NG,
            "The author(s) received no financial support",
            "Funding",
            "back",
            "The author(s) received no financial support for the research, authorship, and/or publication of "
            "this article.",
        ),
        (
            WALSH,
            "Nicola Walsh Stephanie de Sarandy",
            "Front matter",
            "front",
            "Nicola Walsh Stephanie de Sarandy",
        ),
    ],
)
def test_paragraph_of_real_paper(doc: str, first_words: str, section: str, kind: str, text: str) -> None:
    found = [p for p in _paragraphs(doc) if p.text.text.startswith(first_words)]
    assert [(p.section, p.kind, p.text.text) for p in found] == [(section, kind, text)]


@pytest.mark.parametrize("doc", DOCS)
def test_paragraph_offsets_point_into_the_raw_text(doc: str) -> None:
    raw = _raw(doc)
    for paragraph in _paragraphs(doc):
        origin = paragraph.text.origin
        assert len(origin) == len(paragraph.text.text)
        assert all(a <= b for a, b in itertools.pairwise(origin)), paragraph.text.text[:60]
        assert raw[origin[0]] == paragraph.text.text[0]
        assert raw[origin[-1]] == paragraph.text.text[-1]


def test_mapped_text_sub_keeps_origins_inside_the_replaced_span() -> None:
    mapped = MappedText.of("ab-\ncd", offset=10).sub(re.compile(r"-\n"), "")
    assert (mapped.text, mapped.origin) == ("abcd", (10, 11, 14, 15))


def test_unfold_maps_a_ligature_to_one_raw_offset() -> None:
    mapped = MappedText.of("ﬁne²", offset=3).unfold()
    assert (mapped.text, mapped.origin) == ("fine", (3, 3, 4, 5))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Methods", "Methods"),
        ("METHODS", "Methods"),
        ("Results:", "Results"),
        ("2. Discussion", "Discussion"),
        ("References", "References"),
        ("Ethics approval", "Ethics Approval"),
        ("Table 2. Practical implications and recommendations from the study.", "Table 2"),
        ("Table I", "Table I"),
        ("Figure 1 The structure of ICSs **K**", "Figure 1"),
        ("Fig. 3 Themes", "Figure 3"),
        ("TABLE 3 Themes", "Table 3"),
        ("Table 2. (continued)*Shared leadership and engagement*", "Table 2"),
        ("figure 1 for an overview of each theme and example quotes).", None),
        ("Figure 1 illustrates clinical leaders’ underlying sources of influ-", None),
        ("Figure 2, which shows the themes", None),
        ("2 What is collaborative leadership?", "What is collaborative leadership?"),
        ("The ICB is the NHS organisation responsible for bringing organisations together.", None),
        ("Practice 1: creating a safe, inclusive and trusting environment", None),
        ("", None),
        pytest.param(
            "table 1), together with a further 47 non- clinical leaders involved ",
            None,
            id="in-text-table-reference-at-line-start",
        ),
    ],
)
def test_section_of_line(line: str, expected: str | None) -> None:
    assert section_of_line(line) == expected


@pytest.mark.parametrize(
    ("doc", "reference_text"),
    [
        (WALSH, "The impact of collaboration between local health care and non-health care organisations"),
        (WALSH, "Baker C (2023). *NHS key statistics, March 2023*"),
        (NG, "What can organisational theory offer knowledge translation in healthcare?"),
        (NG, "Developing compassionate leadership in health care: an integrative review"),
    ],
)
def test_reference_list_is_dropped(doc: str, reference_text: str) -> None:
    assert reference_text in _raw(doc)
    key = reference_text.replace("*", "")[:40]
    assert [p.text.text for p in _paragraphs(doc) if key in p.text.text] == []
    assert "References" not in {p.section for p in _paragraphs(doc)}


def test_web_ethics_footnote_is_back_matter_and_funding_kept() -> None:
    back = [p.text.text[:24] for p in _paragraphs(AUFEGGER_WEB) if p.kind == "back"]
    assert back == [
        "We thank the National In",
        "• Contributors LA, MA, C",
        "• Funding This article r",
        "• Disclaimer The views e",
        "• Competing interests No",
        "• Patient consent for pu",
        "• Ethics approval The st",
        "• Provenance and peer re",
        "• Data availability stat",
    ]


def test_paper_without_headings_starts_in_front_matter() -> None:
    paragraphs = split_paragraphs("A title line\n\nSome opening words of the paper follow here.\n")
    assert [(p.section, p.kind, p.text.text) for p in paragraphs] == [
        ("Front matter", "front", "A title line"),
        ("Front matter", "front", "Some opening words of the paper follow here."),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Methods\nSample\nParticipants were recruited.\n",
            [("Sample", "Participants were recruited.")],
        ),
        (  # a wrapped first line keeps the space before its next word (PDF extracts): it is not a heading
            "Done.\n\nIdentified skills for a successful \nICS were listed.\n",
            [("Results", "Done."), ("Results", "Identified skills for a successful ICS were listed.")],
        ),
        (
            "Done.\n\nData analysis\nInterviews were coded.\n",
            [("Results", "Done."), ("Data analysis", "Interviews were coded.")],
        ),
        (  # a page break after "(non-)" does not end the sentence
            "It mattered that (non-)\n\nclinical managers agree.\n",
            [("Results", "It mattered that (non-) clinical managers agree.")],
        ),
    ],
)
def test_headings_and_paragraph_breaks(raw: str, expected: list[tuple[str, str]]) -> None:
    paragraphs = split_paragraphs(raw, first_section="Results")
    assert [(p.section, p.text.text) for p in paragraphs] == expected


def test_next_page_continues_the_section_it_was_given() -> None:
    raw = "the sentence carries on here.\n\nAnother paragraph."
    paragraphs = split_paragraphs(raw, first_section="Results")
    assert [(p.section, p.kind, p.text.text) for p in paragraphs] == [
        ("Results", "body", "the sentence carries on here."),
        ("Results", "body", "Another paragraph."),
    ]


def test_a_sentence_broken_by_a_box_goes_on_after_it() -> None:
    """A box printed into the column ("What this study adds") cuts a sentence in two in the text extract: the
    paragraph takes its end back from after the box, and the text that follows stays in its own section."""
    raw = (
        "Leaders foster shared commitment to integration through shaping cultures and mediating conflict. "
        "According to one author, there \nis a need for leadership that transcends professional \n\n"
        "WHAT THIS STUDY ADDS\n"
        " ⇒ This study shows the distinct contribution \nclinical leaders can make.\n"
        " silos and fosters horizontal collaboration. Others further \nhighlight brokering.\n\n"
        "There is an expectation that clinical leaders can play a pivotal role.\n"
    )
    paragraphs = split_paragraphs(raw, first_section="Introduction")
    assert [(p.section, p.text.text[:20], p.text.text[-20:]) for p in paragraphs] == [
        ("What This Study Adds", "⇒ This study shows t", "al leaders can make."),
        ("Introduction", "Leaders foster share", " highlight brokering."[-20:]),
        ("Introduction", "There is an expectat", "play a pivotal role."),
    ]
    whole = paragraphs[1]
    assert "transcends professional silos and fosters horizontal collaboration." in whole.text.text
    assert raw[whole.text.origin[0]] == "L"  # still mapped into the raw text, from its first word


def test_a_sentence_broken_by_a_figures_caption_goes_on_after_it_in_its_section() -> None:
    """A figure's caption printed into the sentence it falls in ("... a more diverse sample of clinical" | "Figure 1
    Contribution of ..." | "leaders. There is also scope ..."): the caption stands alone, and the rest of the
    Limitations section had been filed under "Figure 1", out of reach of a question on the study's limitations."""
    raw = (
        "Limitations and future research\n"
        "The study draws on a small number of interviews. There is scope to carry out \n"
        "survey research with a larger, more diverse sample of clinical \n\n"
        "Figure 1 Contribution of clinical leaders to system leadership.\n"
        " leaders. There is also scope to focus on particular sections of clinical leadership. As \n"
        "such, the research could be updated.\n\n"
        "CONCLUSIONS\n"
        "Clinical leaders can make a distinct contribution.\n"
    )
    paragraphs = split_paragraphs(raw, first_section="Discussion")
    assert [(p.section, p.text.text) for p in paragraphs] == [
        ("Figure 1", "Figure 1 Contribution of clinical leaders to system leadership."),
        (
            "Limitations and future research",
            "The study draws on a small number of interviews. There is scope to carry out survey research with a "
            "larger, more diverse sample of clinical leaders. There is also scope to focus on particular sections of "
            "clinical leadership. As such, the research could be updated.",
        ),
        ("Conclusions", "Clinical leaders can make a distinct contribution."),
    ]
    # (a caption after a sentence that ended breaks none: the paragraph before it ends there)
    ended = raw.replace("sample of clinical \n\n", "sample of clinical leaders.\n\n").replace(
        " leaders. There", "There"
    )
    first = split_paragraphs(ended, first_section="Discussion")[0]
    assert (first.section, first.text.text[-27:]) == ("Limitations and future research", "sample of clinical leaders.")


def test_a_sentence_broken_by_the_pages_notes_goes_on_after_them() -> None:
    """The authors' affiliations and the corresponding author, printed at the foot of a page, land inside a sentence
    in the text extract ("The current shift from the" | notes | "traditional model ..."): the sentence is whole
    again, and the notes are front matter, not body text."""
    raw = (
        "Value-based care is a useful way to review the services of a hospital. The current shift from the\n\n"
        "¹Department of Health, University of Liverpool, Liverpool, UK\n\n"
        "²Southport and Ormskirk Hospitals NHS Trust, Ormskirk, UK\n\n"
        "Corresponding author:\n\n"
        "Sze May Ng, University of Liverpool, Wigan Road, Ormskirk L39 2AZ, UK.\n\n"
        "Email: someone@example.org\n\n"
        "traditional delivery model to a model based on outcomes is inevitable.\n"
    )
    paragraphs = split_paragraphs(raw, first_section="Introduction")
    assert [(p.kind, p.text.text[:20]) for p in paragraphs] == [
        ("front", "Department of Health"),
        ("front", "Southport and Ormski"),
        ("front", "Sze May Ng, Universi"),
        ("body", "Value-based care is "),
    ]
    whole = "The current shift from the traditional delivery model to a model based on outcomes is inevitable."
    assert paragraphs[-1].text.text.endswith(whole)


def test_a_sentence_broken_by_a_table_goes_on_after_it() -> None:
    """A table printed into the column between the two halves of a sentence: the text after the table is not a
    row of it, but the end of the sentence ("... that consist of clinician," | table | "manager and nurse ...")."""
    raw = (
        "Some organisations were developing business triumvirates that consist of clinician,\n\n"
        "Table 1. Themes and findings\n\n"
        "Themes\tSummary findings\n"
        "Teamwork\tAll participants mentioned working together\n\n"
        "manager and nurse leads which may lead to more focus on outcomes.\n"
    )
    paragraphs = split_paragraphs(raw, first_section="Discussion")
    whole = [p for p in paragraphs if "triumvirates" in p.text.text]
    assert [(p.section, p.text.text[-40:]) for p in whole] == [
        ("Discussion", "nurse leads which may lead to more focus on outcomes."[-40:])
    ]
    assert all("nurse leads" not in p.text.text for p in paragraphs if p.section.startswith("Table"))


def test_a_paragraph_stopping_on_a_word_no_sentence_ends_on_is_the_one_that_goes_on() -> None:
    """Two paragraphs stop without a full stop, one on "an" and a later one on "health care" (a full stop lost):
    the lower-case text after them ends the first ("more of an" | "obstacle as change ...")."""
    raw = (
        "In the current climate of budget cuts and targets, hierarchical systems become more of an\n\n"
        "Distributed leadership\n\n"
        "Staff at all levels should be empowered. A cohesive group is therefore essential for value in health care\n\n"
        "obstacle as change and strategy is required. The findings fill gaps in the literature.\n"
    )
    paragraphs = split_paragraphs(raw, first_section="Discussion")
    texts = [p.text.text for p in paragraphs]
    assert "systems become more of an obstacle as change and strategy is required." in " ".join(texts)
    assert any(t.endswith("essential for value in health care") for t in texts)


def test_a_paragraph_ending_mid_sentence_before_a_heading_keeps_its_section_and_text() -> None:
    """No lower-case text comes back after the box: nothing is moved."""
    raw = (
        "Leaders foster shared commitment to integration through shaping cultures and mediating \n\n"
        "WHAT THIS STUDY ADDS\n ⇒ This study shows the distinct contribution of clinical leaders.\n\n"
        "Clinical leaders can play a pivotal role.\n"
    )
    paragraphs = split_paragraphs(raw, first_section="Introduction")
    assert [p.section for p in paragraphs] == ["Introduction", "What This Study Adds", "What This Study Adds"]


def test_sub_heading_under_a_heading_is_not_glued_to_the_text() -> None:
    found = [p for p in _paragraphs(AUFEGGER_PDF) if "recruited as part of purposive sampling" in p.text.text]
    assert [(p.section, p.text.text[:30]) for p in found] == [("Sample", "Participants were recruited as")]


def test_first_line_of_a_paragraph_is_not_taken_for_a_heading() -> None:
    found = [p for p in _paragraphs(AUFEGGER_PDF) if "a mutual understanding and cooperative" in p.text.text]
    assert [(p.section, p.text.text[:66]) for p in found] == [
        ("Summary of findings", "Identified important SL skills and behaviours for a successful ICS")
    ]


def test_glued_reference_keeps_the_span_of_the_text_around_it() -> None:
    raw = "Jones and Fulop’s10 study of"
    cleaned = clean_paragraph(MappedText.of(raw, 100), Counter())
    assert cleaned.text == "Jones and Fulop’s study of"
    at = cleaned.text.index("study")
    assert cleaned.origin[at] == 100 + raw.index("study")
    assert raw[cleaned.origin[at - 2] - 100] == "s"  # the possessive's "s" still maps to its own character


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Table 2. Practical implications and recommendations from the study.",
            ["Table 2. Practical implications and recommendations from the study."],
        ),
        (
            "Figure 1. The structure of ICSs. Leaders meet often.",
            ["Figure 1. The structure of ICSs.", "Leaders meet often."],
        ),
    ],
)
def test_a_caption_label_stays_with_its_title(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == sentences


def test_numbered_citations_in_brackets_are_dropped() -> None:
    """Quoted in an answer, "[9]" would read as one of the answer's own source markers."""
    text = "a centre of excellence for tertiary care [9], for example [3, 4] with endoscopy [12–15]. See [a] too."
    cleaned = clean_paragraph(MappedText.of(text), Counter()).text
    assert cleaned == "a centre of excellence for tertiary care, for example with endoscopy. See [a] too."


def test_a_line_that_ended_early_before_a_capital_it_had_room_for_ends_its_entry() -> None:
    lines = [
        "Dr. Frank Davidoff (Executive Editor, Institute for Healthcare Improvement; Editor",
        "reviewing this article and providing editorial support",
        "Staff, affiliates and patients at the Medical Department, Kamuzu Central",
    ]
    assert ended_early(lines[1], "Katholischer Akademischer Ausländer-Dienst (KAAD), a Catholic", lines)
    # the next word would not have fitted: the line is full and the entry goes on
    assert not ended_early(lines[2], "Hospital, Malawi", lines)
    # a line ending a sentence, or on a word a sentence goes on from, says nothing of entries
    assert not ended_early("They were thanked.", "Katholischer Dienst", lines)
    assert not ended_early("funded by the", "Katholischer Dienst", lines)
    assert not ended_early("reviewing this article", "and providing support", lines)


def test_a_blocks_tags_part_sentences_as_a_tab_does() -> None:
    """Ng's table cells hold paragraphs ("<p>...</p> <p>Participant quotes</p> <p>'Many ...'</p>"): a sentence
    without its full stop no longer runs on into the quote after it."""
    raw = next(line for line in _raw(NG).split("\n") if "can do" in line)
    cleaned = _clean(NG, raw)
    sentences = [cleaned[s:e] for s, e in split_sentences(cleaned)]
    quote = next(s for s in sentences if '"can do"' in s)
    # (a short cell, "Participant quotes", is the label of the one after it: quoted from its last tab)
    assert quote.split("\t")[-1].startswith("'Many clinicians at present do not have the time")
    assert any(s.endswith("when implementing any change") for s in sentences)
    assert "<p>" not in cleaned and "<i>" not in cleaned


def test_a_table_continued_over_a_page_break_keeps_its_rows() -> None:
    # Ng's Table 2 goes on after "(continued)": the next row's label run on after the caption, its cell a paragraph
    # of its own, then one more row whose label stands on a line of its own; neither cell ends on a full stop.
    paragraphs = _paragraphs(NG)
    (table,) = [p.text for p in paragraphs if p.section == "Table 2" and "\t" in p.text.text]
    cells = table.text.split("\t")
    for label, cell in (
        ("Shared leadership and engagement", "Organisations need to support shared leadership"),
        ("Distributed leadership", "Distributed leadership has been advocated in healthcare"),
    ):
        assert cells[cells.index(label) + 1].startswith(cell)
        at = table.origin[table.text.index(f"\t{label}\t") + 1]
        assert _raw(NG)[at : at + len(label)] == label  # (the label's span is where the paper prints it)
    assert next(p.text.text for p in paragraphs if p.section == "Table 2").startswith("Table 2. Practical")
    assert not [p for p in paragraphs if "(continued)" in p.text.text]
    assert "Distributed leadership" not in {p.section for p in paragraphs}
    # the Discussion's sentence the table broke ("... more of an" | table | "obstacle as change ...") is whole again
    assert any("more of an obstacle as change" in p.text.text and p.section == "Discussion" for p in paragraphs)


def test_a_heading_after_a_continued_table_over_text_that_ends_its_sentences_stays_a_heading() -> None:
    raw = (
        "Results\n\nThe teams were asked what had helped them most over the year of the study.\n\n"
        "Table 3. What helped.\n\n<i>Time</i>\tProtected time for the work of the network as a whole\n"
        "<i>Money</i>\tA budget of its own for the work of the network as a whole\n\n(continued)\n\n"
        "Table 3. (continued)*Trust*\n\n"
        "Trust between the partners built over years of working side by side in the same place\n\n"
        "Staying power\n\n"
        "Networks that lasted had a leader who stayed in post for the whole of the period we studied.\n"
    )
    paragraphs = split_paragraphs(raw)
    (table,) = [p.text.text for p in paragraphs if p.section == "Table 3" and "\t" in p.text.text]
    assert table.split("\t")[-2:] == [
        "Trust",
        "Trust between the partners built over years of working side by side in the same place",
    ]
    assert [p.section for p in paragraphs if p.text.text.startswith("Networks that lasted")] == ["Staying power"]
