"""The extractive answer's composition: when the paper's facts are the whole answer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.answering import Candidate
from rag.composition import Composer, item_leads
from rag.schema import Chunk, Hit, PaperMeta

META = PaperMeta(
    work="walsh-2023",
    title="The practice of collaborative leadership across health and care services",
    authors=("Nicola Walsh", "Stephanie de Sarandy"),
    year=2023,
    venue="The King's Fund",
)
HIT = Hit(1, Chunk("c1", "walsh.txt", "walsh-2023", META.title, "Front matter", None, 0, 10, "text", "front"), 1.0)


@pytest.mark.parametrize(
    ("question", "only"),
    [
        ("Who wrote the King's Fund report and when was it published?", True),
        ("Where and when was the collaborative leadership report published?", True),
        ("Who wrote King's Fund report?", True),
        ("Who wrote the King's Fund report and what does it recommend?", False),  # asks more
        ("Who wrote the King’s Fund report, and who funded it?", False),  # "Fund" names it, "funded" asks more
    ],
)
def test_a_question_only_about_the_papers_facts(question: str, only: bool) -> None:
    composer = Composer({"walsh-2023": META}, 100, lambda q: ["walsh-2023"])
    assert composer._only_about_publication(question, HIT) is only


DINU = PaperMeta(work="dinu-2014", title="How to make words with vectors", authors=("Georgiana Dinu", "Marco Baroni"))
RECORD = "Proceedings of the 52nd Annual Meeting of the ACL, pages 624-633, Baltimore, Maryland, USA, June 23-25 2014."
GRANT = "We acknowledge the ERC 2011 Starting Independent Research Grant n. 283554 (COMPOSES)."
LONG = "The composition function maps the vectors of two words to the vector of their phrase " * 5


def _dinu_hit(rank: int, section: str, text: str, kind: str = "body") -> Hit:
    chunk = Chunk(f"d{rank}", "dinu.pdf", "dinu-2014", DINU.title, section, 1, 0, len(text), text, kind)
    return Hit(rank, chunk, 1.0)


def _dinu_cand(hit: int, text: str, score: float, gives_asked: bool) -> Candidate:
    features = (0.0,) * 4 + (1.0 if gives_asked else 0.0,) + (0.0,) * 10
    return Candidate(hit, text, 0, len(text), features, score)


def test_the_printed_record_and_the_asked_grant_go_before_better_scored_others() -> None:
    """Where and when it came out (the title page lacks the year, so the line printing it) and the grant asked for
    are quoted before the best-scored sentences that give neither, which the word budget then cuts."""
    hits = [
        _dinu_hit(1, "Front matter", "How to make words with vectors Georgiana Dinu and Marco Baroni", "front"),
        _dinu_hit(2, "Notes", RECORD, "front"),
        _dinu_hit(3, "Acknowledgments", GRANT, "back"),
        _dinu_hit(4, "Method", f"{LONG.strip()}.", "body"),
        _dinu_hit(5, "Method", f"Moreover {LONG.strip()}.", "body"),
    ]
    grant = _dinu_cand(2, GRANT, 0.3, True)
    first, second = _dinu_cand(3, hits[3].chunk.text, 1.2, False), _dinu_cand(4, hits[4].chunk.text, 1.0, False)
    record = _dinu_cand(1, RECORD, -0.3, True)
    composer = Composer({"dinu-2014": DINU}, 106, lambda q: ["dinu-2014"])
    question = "Where and when was the words with vectors paper published, and what grant supported it?"
    answer = composer.compose(question, [grant, first, second], hits, pool=[grant, first, second, record])
    said = [s.text for s in answer.sentences]
    assert said[0] == "How to make words with vectors, by Georgiana Dinu and Marco Baroni."
    assert RECORD in said and GRANT in said and first.text in said
    assert second.text not in said  # (without room for it)


NG = PaperMeta(
    work="ng-2022",
    title="A qualitative study on managers and clinicians",
    authors=("Sze May Ng",),
    year=2022,
    venue="Health Services Management Research",
    volume="35",
    issue="4",
    pages="251-258",
    doi="10.1177/09514848211068624",
    sources={"doi": "catalog", "volume": "catalog", "issue": "catalog", "pages": "catalog", "title": "catalog"},
)


def test_a_question_for_a_papers_doi_gets_its_reference_saying_where_its_details_come_from() -> None:
    composer = Composer(
        {"ng-2022": NG, "walsh-2023": META}, 100, lambda q: ["walsh-2023" if "Fund" in q else "ng-2022"]
    )
    line = composer.reference_line("What is the DOI of Ng's paper?")
    assert line == (
        "Reference (APA, details from the corpus catalog): Ng, S. M. (2022). A qualitative study on managers and "
        "clinicians. Health Services Management Research, 35(4), 251–258. https://doi.org/10.1177/09514848211068624"
    )
    # a paper with no DOI says so when one is asked for, not when only the reference is
    asked = composer.reference_line("What is the DOI of the King's Fund report?")
    assert asked is not None and asked.endswith("Neither the paper nor the catalog gives a DOI.")
    cite = composer.reference_line("How should I cite the King's Fund report?")
    assert cite is not None and cite.startswith("Reference (APA): Walsh, N., & de Sarandy, S. (2023).")
    assert "DOI" not in cite
    assert composer.reference_line("What did Ng find?") is None  # no citation detail asked


def test_who_wrote_a_paper_that_prints_no_authors_is_answered_by_its_catalogued_reference() -> None:
    composer = Composer({"ng-2022": NG}, 100, lambda q: ["ng-2022"])
    catalogued = "Reference (APA, details from the corpus catalog): Ng, S. M. (2022)."
    assert (composer.reference_line("Who wrote Ng's paper?", printed=False) or "").startswith(catalogued)
    assert composer.reference_line("Who wrote Ng's paper?", printed=True) is None  # its title page says it
    assert composer.reference_line("What languages is the tool written in?", printed=False) is None  # no author asked


def test_where_or_when_a_paper_came_out_gets_its_reference_when_the_answer_does_not_say_it() -> None:
    """A journal's name may stand only in a running header, dropped from the text ("BMC Health Services Research"),
    and a year only in the catalog: the reference says them, and where they come from."""
    composer = Composer({"ng-2022": NG}, 100, lambda q: ["ng-2022"])
    shown = "A qualitative study on managers and clinicians, by Sze May Ng. [1]"
    line = composer.reference_line("Which journal published Ng's paper?", shown=shown)
    assert line is not None and "Health Services Management Research, 35(4)" in line
    assert composer.reference_line("When was Ng's paper published?", shown=shown) is not None
    # what the answer already says is not said again
    printed = f"{shown} Health Services Management Research, 2022."
    assert composer.reference_line("Which journal published Ng's paper?", shown=printed) is None
    assert composer.reference_line("When was Ng's paper published?", shown=printed) is None
    assert composer.reference_line("What did Ng find about trust?", shown=shown) is None


def test_who_wrote_the_papers_together_is_answered_by_each_ones_reference() -> None:
    """ "who wrote the four papers?" was refused, "When were the papers published?" answered with sentences saying
    "published": each paper's reference now answers, one line each, saying where its details come from."""
    composer = Composer({"ng-2022": NG, "walsh-2023": META}, 100, lambda q: [])
    for question in (
        "who wrote the four papers?",
        "When were the papers published?",
        "Which journals are these papers in?",
    ):
        line = composer.references_across(question) or ""
        assert line.splitlines() == [
            "References (APA):",
            "- Ng, S. M. (2022). A qualitative study on managers and clinicians. Health Services Management Research, "
            "35(4), 251–258. https://doi.org/10.1177/09514848211068624",
            "- Walsh, N., & de Sarandy, S. (2023). The practice of collaborative leadership across health and care "
            "services. The King's Fund.",
        ], question
    # (how the answer gets it: as the reference line of a question naming no one paper)
    assert composer.reference_line("who wrote the four papers?", printed=False) == line
    # asking more than that, or about one paper, is not answered so
    assert composer.references_across("who wrote about trust in these papers?") is None
    assert composer.references_across("What do the papers say about trust?") is None
    one = Composer({"ng-2022": NG, "walsh-2023": META}, 100, lambda q: ["ng-2022"])
    assert one.references_across("Who wrote Ng's paper?") is None


def test_which_paper_came_out_first_or_last_is_answered_by_the_references_in_that_order() -> None:
    """ "Which study is the most recent?" quoted sentences saying "recent", "Which is the oldest of the papers?" an
    interviewee "the oldest person there": the papers' references answer, ordered as asked; a year asked for keeps
    the papers of that year."""
    composer = Composer({"walsh-2023": META, "ng-2022": NG}, 100, lambda q: [])

    def firsts(question: str) -> list[str]:
        return [line[:8] for line in (composer.references_across(question) or "").splitlines()]

    assert firsts("Which study is the most recent?") == ["Referenc", "- Walsh,", "- Ng, S."]
    assert firsts("Which of the studies was published most recently?") == ["Referenc", "- Walsh,", "- Ng, S."]
    assert firsts("Which is the oldest of the papers?") == ["Referenc", "- Ng, S.", "- Walsh,"]
    assert firsts("which paper came out first?") == ["Referenc", "- Ng, S.", "- Walsh,"]
    assert (composer.references_across("Which study is the most recent?") or "").startswith(
        "References (APA), newest first:"
    )
    assert firsts("Which of the papers came out in 2022?") == ["Referenc", "- Ng, S."]
    # asking more than which came out when is answered from the papers' sentences
    assert composer.references_across("What is the most recent policy the papers mention?") is None
    assert composer.references_across("Which of the papers first described shared leadership?") is None


PRACTICES = "\n".join(
    [
        "Practice 1: creating a safe, inclusive and trusting environment",
        "Practice 2: building healthy relationships",
        "Practice 3: developing a shared purpose and shared group identity",
        "Practice 4: actively managing power dynamics",
    ]
)
UNSAFE = "Where leaders do not feel safe, they hold back their views and conflict goes unsurfaced."


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("Which four areas of practice does the report ask leaders to work on?", True),  # the headings' word
        ("what are the four things the report asks leaders to do?", True),  # their count
        ("What are the key practices of collaborative leadership? list them", True),
        # a list one heading of the series names, not the series: its sentences answer
        ("what goes wrong when leaders don't feel safe in a partnership? list the knock-on effects", False),
        ("what makes partners stop trusting one another? list the causes", False),
    ],
)
def test_a_series_of_headings_leads_only_an_answer_asking_for_it(question: str, listed: bool) -> None:
    """A paper's run of headings ("Practice 1: ...", "Practice 2: ...") ranked first leads the answer to a question
    asking for what they list; a list question that one heading matches ("... don't feel safe ...") is answered by
    the sentences, and the six practices' headings were its first line."""
    outline = Hit(1, Chunk("o1", "walsh.txt", "walsh-2023", META.title, "Outline", None, 0, 9, PRACTICES, "body"), 2.0)
    body = Hit(2, Chunk("b1", "walsh.txt", "walsh-2023", META.title, "Practice 1", None, 0, 9, UNSAFE, "body"), 1.0)
    unsafe = Candidate(1, UNSAFE, 0, len(UNSAFE), (0.0,) * 15, 1.0, work="walsh-2023")
    composer = Composer({"walsh-2023": META}, 120, lambda q: ["walsh-2023"])
    answer = composer.compose(question, [unsafe], [outline, body], pool=[unsafe])
    assert ("sets this out under its headings: Practice 1:" in answer.answer) is listed
    assert UNSAFE in answer.answer


ALCE = PaperMeta(
    work="alce-gao-2023",
    title="Enabling Large Language Models to Generate Text with Citations",
    authors=("Tianyu Gao", "Howard Yen"),
    year=2023,
    sources={"authors": "first page", "title": "first page", "year": "pdf metadata (file date)"},
)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "Who wrote the ALCE paper and where was it published?",
            ["Neither the paper's pages nor the corpus catalog say where Gao & Yen, 2023 was published."],
        ),
        (
            "when did the ALCE paper come out?",
            ["The paper's pages do not say when it came out; its PDF file is dated 2023."],
        ),
        ("Who wrote the ALCE paper?", []),
    ],
)
def test_where_or_when_a_paper_came_out_that_nothing_records_is_said_to_be_unrecorded(
    question: str, said: list[str]
) -> None:
    """A preprint's pages may print no journal and no date: the answer says so (and where its year comes from), not
    only who wrote it."""
    composer = Composer({"alce-gao-2023": ALCE}, 100, lambda q: ["alce-gao-2023"])
    assert (
        composer.unplaced(question, shown="Enabling Large Language Models ..., by Tianyu Gao and Howard Yen.") == said
    )


def test_a_question_naming_a_paper_by_its_own_name_asks_no_more_than_its_record() -> None:
    """ "the FES paper" names the paper, and the record line that prints its volume and DOI is quoted though the
    facts line already has the year; the better-scored sentences on subjects' handedness were quoted after it, as
    if they said where it came out."""
    meta = replace(DINU, year=2014, venue="Journal of NeuroEngineering and Rehabilitation")
    printed = "Journal of NeuroEngineering and Rehabilitation (2016) 13:22 DOI 10.1186/s12984-016-0129-6"
    front = "How to make words with vectors Georgiana Dinu and Marco Baroni Journal of NeuroEngineering and " + (
        "Rehabilitation 2014"
    )
    hits = [_dinu_hit(1, "Front matter", front, "front"), _dinu_hit(2, "Notes", printed, "front")]
    hits.append(_dinu_hit(3, "Participants", "All subjects were right handed.", "body"))
    record = _dinu_cand(1, printed, -0.5, False)
    handed = _dinu_cand(2, "All subjects were right handed.", 1.0, False)
    composer = Composer({"dinu-2014": meta}, 106, lambda q: ["dinu-2014"], unnamed=lambda q: q.replace("FES ", ""))
    answer = composer.compose("where was the FES paper published? doi?", [handed], hits, pool=[record, handed])
    said = [s.text for s in answer.sentences]
    assert printed in said and "All subjects were right handed." not in said


def test_a_paper_printing_where_it_was_submitted_is_not_said_to_print_nowhere() -> None:
    composer = Composer({"alce-gao-2023": ALCE}, 100, lambda q: ["alce-gao-2023"])
    question = "which journal published the ALCE paper?"
    front = Chunk("a1", "alce.pdf", "alce-gao-2023", ALCE.title, "Front matter", 1, 0, 5, "Title", "front")
    submitted = replace(front, chunk_id="a2", text="Submitted to Physical Review Letters")
    assert composer.unplaced(question, "", [Hit(1, front, 1.0), Hit(2, submitted, 0.5)]) == []
    assert composer.unplaced(question, "", [Hit(1, front, 1.0)]) != []


def test_a_year_from_an_arxiv_identifier_or_from_nowhere_is_said_to_come_from_there() -> None:
    question = "when did the ALCE paper come out?"
    arxiv = replace(ALCE, year=2022, sources={**ALCE.sources, "year": "arXiv identifier"})
    undated = replace(ALCE, year=None, sources={k: v for k, v in ALCE.sources.items() if k != "year"})
    expected = {
        arxiv: ["The paper's pages print no date; its arXiv identifier dates it to 2022."],
        undated: ["Neither the paper's pages nor the corpus catalog say when Gao & Yen, n.d. came out."],
    }
    for meta, said in expected.items():
        composer = Composer({"alce-gao-2023": meta}, 100, lambda q: ["alce-gao-2023"])
        assert composer.unplaced(question, shown="Enabling Large Language Models ..., by Tianyu Gao.") == said
    # (not when the answer already gives the year: "arXiv:2210.03629v2 [cs.CL] 27 Nov 2022")
    composer = Composer({"alce-gao-2023": arxiv}, 100, lambda q: ["alce-gao-2023"])
    assert composer.unplaced(question, shown="arXiv:2210.03629v2 [cs.CL] 27 Nov 2022") == []


def test_where_and_when_only_the_catalog_records_are_given_as_the_catalogs() -> None:
    """ "When was the Aufegger paper published and in which journal?" was answered with its title and authors
    alone: neither rendering prints the journal or the year, which the corpus catalog records."""
    meta = PaperMeta(
        work="aufegger-2020",
        title="Sharing leadership",
        authors=("Lisa Aufegger", "Colin Bicknell"),
        year=2020,
        venue="BMJ Leader",
        volume="4",
        sources={"authors": "catalog", "title": "catalog", "year": "catalog", "venue": "catalog"},
    )
    composer = Composer({"aufegger-2020": meta}, 100, lambda q: ["aufegger-2020"])
    shown = "Sharing leadership, by Lisa Aufegger and Colin Bicknell."
    said = composer.unplaced("When was the Aufegger paper published and in which journal?", shown)
    assert said == [
        "The paper's pages do not say where or when it came out; the corpus catalog records it as: Aufegger, L., &"
        " Bicknell, C. (2020). Sharing leadership. BMJ Leader, 4."
    ]
    assert composer.unplaced("which journal was it in?", shown)[0].startswith("The paper's pages do not say where it")
    # (not what the answer already says, nor what was not asked)
    assert composer.unplaced("when did it come out?", f"{shown} (2020)") == []
    assert composer.unplaced("Who wrote the Aufegger paper?", shown) == []
    # (nor what its pages print: the answer quotes them)
    printed = replace(meta, sources={**meta.sources, "venue": "first page", "year": "first page"})
    assert (
        Composer({"aufegger-2020": printed}, 100, lambda q: ["aufegger-2020"]).unplaced("when did it come out?", shown)
        == []
    )


def test_an_answer_listing_headings_or_rows_takes_the_best_sentence_under_each_in_turn() -> None:
    """After a paper's themes, the best sentence of each theme in the order they are listed, not the best few of
    one; after a table's row labels, the best sentence of each row's cell."""
    hits = [
        _dinu_hit(1, "Trust", "Trust grew slowly. Trust was earned in small steps."),
        _dinu_hit(2, "Time", "Time was short for everyone."),
        _dinu_hit(3, "Table 1", "Time\tProtect time for the work. Plan it.\tMoney\tA budget of its own."),
    ]
    slow = _dinu_cand(0, "Trust grew slowly.", 1.0, False)
    steps = Candidate(0, "Trust was earned in small steps.", 19, 51, (0.0,) * 15, 2.0)
    short = _dinu_cand(1, "Time was short for everyone.", 0.5, False)
    plan = Candidate(2, "Plan it.", 32, 40, (0.0,) * 15, 0.4)
    protect = Candidate(2, "Protect time for the work.", 5, 31, (0.0,) * 15, 0.3)
    budget = Candidate(2, "A budget of its own.", 47, 67, (0.0,) * 15, 0.2)
    pool = [slow, steps, short, plan, protect, budget]
    headings = [("dinu-2014", ["Trust", "Time"], False)]
    assert item_leads(headings, pool, hits) == [steps, short]
    rows = [("dinu-2014", ["Time", "Money"], True)]
    assert item_leads(rows, pool, hits) == [plan, budget]
    assert item_leads([("other-2020", ["Trust", "Time"], False)], pool, hits) == []
