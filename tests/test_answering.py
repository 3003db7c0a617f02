"""The extractive answerer's choices on crafted candidates: readable sentences, abstention, and a choice that
avoids saying the same thing twice (maximal marginal relevance) and spreads over passages."""

from __future__ import annotations

from dataclasses import replace
from types import MethodType, SimpleNamespace

import numpy as np
import pytest

from rag.answer_types import Vocabulary
from rag.answering import (
    FEATURES,
    Candidate,
    IdfWeights,
    answer_order,
    closes_cell,
    enumerates,
    framing_section,
    gives_value,
    part_count,
    question_kind,
    select,
    strength,
    voiced_by,
    word_budget,
)
from rag.readable import labelled_statement, later_item, list_item, points_ahead, readable, run_in_heading
from rag.schema import Chunk, Hit

_ROW = (
    "Table 2. Practical implications. Fostering teamwork and removing barriers between clinicians and managers\t"
    "Organisations should aim to foster an open approach. Although doctors have reported on cynicism and mistrust "
    "regarding managerial motives, frequent informal interactions may help\tLeadership training and opportunities\t"
    "Training and development programmes should be offered within the organisation\tCo-design\tThey were seen. "
    "Emergency cases are attended to in the\tward"
)


@pytest.mark.parametrize(
    ("sentence", "closes"),
    [
        ("Although doctors", True),  # the last sentence of a cell that holds another before it
        ("Fostering teamwork", False),  # a row's label
        ("Leadership training", False),  # another
        ("Training and development", False),  # a cell holding one sentence: a label, for all the row tells
        ("Organisations should", False),  # (its full stop makes it a sentence anyway)
        ("Emergency cases", False),  # a cell cut where it wraps
    ],
)
def test_the_last_sentence_of_a_table_cell_is_whole_without_its_full_stop(sentence: str, closes: bool) -> None:
    start = _ROW.index(sentence)
    end = _ROW.find("\t", start)
    end = _ROW.index(".", start) if sentence == "Organisations should" else end
    assert closes_cell(_ROW, start, end) is closes


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Clinical leaders provided analytical insight into decision-making at all levels.", True),
        ("‘Getting the right clinical leaders around them is crucial,’ said one manager.", True),
        ("Table 2 Characteristics of the participants in the three sites.", False),
        ("Correspondence to Dr Lisa Aufegger, Imperial College London, London, UK.", False),
        ("How can leaders learn and practise the behaviours that integrated working needs?", False),
        ("Results", False),
        ("(See narrative syntheses of results in Table 1).", False),
        ("See the box below for the full list of the questions asked.", False),
        ("Full methodological details are set out in the Appendix.", False),
        ("The characteristics of the participants are shown in Table 2.", False),
        ("The questions asked are listed below.", False),
        ("Interview schedules were developed from the literature and are described in detail in the Methods.", True),
        ("and they were transcribed by an external company for an agreed fee.", False),
        # a statement with a web address is quotable (issue #14); journal furniture with one is not
        ("Data are available upon reasonable request at https://example.org/data today.", True),
        ("Downloaded from https://example.org/ on 12 May 2023 by guest. Protected by copyright.", False),
        ("GP, General Practitioner; STP, Sustainability and Transformation Plan.", False),
        ("ICSs, integrated care systems; ICBs, integrated care boards; NHS, National Health Service.", False),
        ("GPs, nurses and pharmacists joined; the managers, in turn, set the agenda for the meetings.", True),
        ("Table 2. Practical implications and recommendations from the study.", False),
        ("Table I. Thematic Analyses and summary of findings with exemplar quotes.", False),
        ("Executive ► STP Director (GP) for the northern region of the system.", False),
        ("STP A   STP B   STP C leaders met in the regional offices.", False),
        ("HOW THIS STUDY MIGHT AFFECT RESEARCH, PRACTICE OR POLICY.", False),
        ("Community Mental Health Lead for the Northern Region (Medical).", False),
        ("Nicola Walsh is Assistant Director of Leadership and Organisational Development.", True),
        # A quotation with its speaker is whole without a full stop; a fragment in brackets is not.
        ('"In the end, doctors tend to listen to other doctors, far more than to anyone else" (manager)', True),
        ("'Engagement needs to be seen through the lens of the person being engaged' (clinician).", True),
        ("Engagement needs to be seen through the lens of the person being engaged (clinician)", False),
        # an excerpt of what someone said, which its author opens with an ellipsis, is quotable as printed
        ("...if you are not around the table even for 10% of the conversation, decisions will be made...", True),
        ("…sharing power is not about losing power, it is about growing power.", True),
        ("... and they were transcribed", False),
        # a collaboration's list of members is no sentence; a sentence naming a few people is
        ("Jeng, D. Jennens, P. Jenni, J. Jentzsch, C. Jeske, S. Jezequel, H. Ji, J. Jia, Y. Jiang, P.M.", False),
        ("G. Aad, B. Abbott, J. Abdallah, O. Abdinov, R. Aben and M. Abolins are its first members.", False),
        ("The interviews were led by G. Aad and B. Abbott, with J. Abdallah taking notes at each site.", True),
    ],
)
def test_readable(sentence: str, expected: bool) -> None:
    assert readable(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "ahead"),
    [
        ("Others found it hard, as the following quote illustrates.", True),
        ("This is illustrated in the quote below from one ICS medical director.", True),
        ("Relational work took a number of forms.", True),
        ("The themes were:", True),
        ("The following year, ICSs became statutory.", False),  # a time, not what follows
        ("In Canterbury they used the following shared purpose: 'a connected system centred around people'.", False),
    ],
)
def test_points_ahead(sentence: str, ahead: bool) -> None:
    assert points_ahead(sentence) is ahead


@pytest.mark.parametrize(
    ("sentence", "heading"),
    [
        ("Ethics approval The study was reviewed and approved by the Research Office.", "Ethics approval"),
        ("Provenance and peer review Not commissioned; externally peer reviewed.", "Provenance and peer review"),
        (
            "Themes Summary findings and exemplar quotes Perceptions of value in healthcare Both clinicians and "
            "managers differed in their approaches.",
            "Themes Summary findings and exemplar quotes Perceptions of value in healthcare",
        ),
        ("Distributed leadership Leadership is seen as being distributed to many levels.", "Distributed leadership"),
        ("The King's Fund The King's Fund is an independent charity working in England.", "The King's Fund"),
        # a back-matter label before a capitalised word ("Project Officer, Project Fives Alive!" is no sentence)
        ("Author details Project Officer, Project Fives Alive!", "Author details"),
        ("Authors’ contributions All authors were involved in the conception of the study.", "Authors’ contributions"),
        ("Funding Nobody funded this work beyond the authors' own institutions.", "Funding"),
        # ... but a sentence whose subject is the funding is no heading and its text
        ("Funding was provided by the National Institute for Health Research.", ""),
        # no heading: a capitalised name, or an opener after punctuation or before a name
        ("Most were participants on The King's Fund Building Collaborative Leadership programme.", ""),
        ("In 2011, The King's Fund argued that the heroic model of leadership was ill-suited.", ""),
        ("Nicola Walsh is Assistant Director of Leadership and Organisational Development.", ""),
        ("Clinical leaders provided analytical insight into decision-making at all levels.", ""),
        ("Half of our survey respondents said it is not safe to voice a different view (see Figure 3).", ""),
        # a capital "A" labelling a part is no article opening a sentence ("A and B for lists ..." was quoted)
        ("See appendices A and B for lists of collaboration members.", ""),
        ("Methods A study was made of three trusts.", "Methods"),
    ],
)
def test_run_in_heading(sentence: str, heading: str) -> None:
    cut = run_in_heading(sentence)
    assert (sentence[:cut].strip(), sentence[cut:][:1].isupper()) == (heading, True)


@pytest.mark.parametrize(
    ("sentence", "labelled"),
    [
        # back matter's label and short value: quoted together, as printed
        ("Competing interests None declared.", True),
        ("Provenance and peer review Not commissioned; externally peer reviewed.", True),
        ("Data availability statement No data are available.", True),
        # a heading run into a whole sentence is cut off, not kept
        ("Ethics approval The study was reviewed and approved by the Research Office.", False),
        ("Distributed leadership Leadership is seen as being distributed to many levels.", False),
    ],
)
def test_labelled_statement(sentence: str, labelled: bool) -> None:
    assert labelled_statement(sentence, run_in_heading(sentence)) is labelled


@pytest.mark.parametrize(
    ("sentence", "lists"),
    [
        ("Skills were (1) listening and (2) empathy.", True),
        ("First, clinical leaders reviewed the evidence.", True),
        ("Barriers included regulatory burden; others named workforce shortages.", True),
        ("It covered finance, performance, governance and workforce.", True),
        ("Doctors or nurses led, or managers did.", False),  # one comma: two things, not a list
        ("Clinical leaders made a distinct contribution to governance.", False),
    ],
)
def test_enumerates(sentence: str, lists: bool) -> None:
    assert enumerates(sentence) is lists


def test_a_bulleted_list_item_is_a_whole_point() -> None:
    item = "tackle inequalities in access to services."
    assert readable(item, list_item=True)
    assert not readable(item)
    assert not readable("a fragment", list_item=True)
    # an item too short to be found, and checked, as itself in its passage is no whole point
    assert not readable("Performant and robust.", list_item=True)
    assert readable("Intuitive and easy to design.", list_item=True)


def _unit(i: int) -> np.ndarray:
    v = np.zeros(4, dtype=np.float32)
    v[i] = 1.0
    return v


def _cand(hit: int, text: str, score: float, vector: np.ndarray) -> Candidate:
    return Candidate(hit, text, 0, len(text), (), score, vector)


IDF = SimpleNamespace(
    vocabulary={"leader"},
    naming=set(),
    common=set(),
    words=Vocabulary(),
    text="",
    author_names=set(),
    cased=set(),
    citing=set(),
)
IDF.strangers = MethodType(IdfWeights.strangers, IDF)  # (the real method, on these stand-in words)
MODEL = {"weights": [], "abstain_threshold": 0.0, "keep_margin": 3.0, "redundancy_penalty": 0.0}
FIRST = _cand(0, "Clinical leaders gave analytical insight to the system boards.", 3.0, _unit(0))
ECHO = _cand(0, "Doctors in leadership roles offered the boards analytic understanding.", 2.9, _unit(0))
OTHER = _cand(0, "They also represented the views of their professional colleagues.", 2.0, _unit(1))
ELSEWHERE = _cand(1, "Relational work built trust between organisations across the area.", 1.8, _unit(2))


def test_without_a_redundancy_penalty_the_two_best_are_chosen_even_when_they_say_the_same() -> None:
    chosen = select("What do clinical leaders contribute?", [OTHER, ECHO, FIRST], IDF, 20, model=MODEL).chosen
    assert [c.text for c in chosen] == [FIRST.text, ECHO.text]


def test_a_list_item_going_on_from_its_lead_in_is_not_quoted_alone() -> None:
    """ "explore how leadership and engagement impacts on the organisation's value in healthcare." was quoted as a
    sentence, the last item of "The aims of this study are to: - ... - ..."; "the availability of resources." too."""
    item = Candidate(0, "explore how leadership impacts on value.", 0, 10, (), 3.0, _unit(2), passage=4, listed=7)
    chosen = select("What were the aims?", [item, OTHER], IDF, 50, model=MODEL).chosen
    assert [c.text for c in chosen] == [OTHER.text]
    # (one that stands as a sentence is quoted, and one naming a command: ReAct's "finish[answer], which ...")
    for text in ("Explore how leadership impacts on value.", "finish[answer], which would finish the task."):
        whole = replace(item, text=text)
        chosen = select("What were the aims?", [whole, OTHER], IDF, 50, model=MODEL).chosen
        assert [c.text for c in chosen] == [whole.text, OTHER.text]


def test_redundancy_penalty_swaps_the_echo_for_a_new_point() -> None:
    model = {**MODEL, "redundancy_penalty": 2.0}
    chosen = select("What do clinical leaders contribute?", [OTHER, ECHO, FIRST], IDF, 20, model=model).chosen
    assert [c.text for c in chosen] == [FIRST.text, OTHER.text]


def test_new_passage_bonus_prefers_a_passage_not_yet_cited() -> None:
    model = {**MODEL, "new_passage_bonus": 0.5}
    chosen = select("What do clinical leaders contribute?", [OTHER, FIRST, ELSEWHERE], IDF, 20, model=model).chosen
    assert [c.text for c in chosen] == [FIRST.text, ELSEWHERE.text]


def test_each_paper_a_question_names_beside_another_speaks_before_one_is_quoted_twice() -> None:
    ng = [replace(c, work="ng") for c in (FIRST, OTHER)]
    waring = replace(ELSEWHERE, score=0.5, work="waring")  # far below Ng's second best
    question = "How did the clinical leaders of the two studies differ?"  # (the papers' names are no vocabulary here)
    chosen = select(question, [*ng, waring], IDF, 20, model=MODEL, sides={"ng", "waring"}).chosen
    assert [c.text for c in chosen][:2] == [FIRST.text, ELSEWHERE.text]
    alone = select(question, [*ng, waring], IDF, 20, model=MODEL).chosen  # (named alone, the best come first)
    assert [c.text for c in alone][:2] == [FIRST.text, OTHER.text]


def test_each_part_a_question_asks_for_beside_another_is_quoted() -> None:
    design = [replace(c, roles=frozenset({"methods"})) for c in (FIRST, OTHER)]
    sample = replace(ELSEWHERE, score=0.5, roles=frozenset({"methods", "participants"}))
    question = "How was the study designed, and who took part?"
    chosen = select(question, [*design, sample], IDF, 20, model=MODEL).chosen
    assert [c.text for c in chosen][:2] == [FIRST.text, ELSEWHERE.text]
    one = "How was the study designed?"  # (one part asked for: the best of it come first)
    assert [c.text for c in select(one, [*design, sample], IDF, 20, model=MODEL).chosen][:2] == [FIRST.text, OTHER.text]


def _item(text: str, score: float, place: int, vector: np.ndarray, passage: int = 7) -> Candidate:
    return Candidate(0, text, place, place + len(text), (), score, vector, passage, place, listed=passage)


SECOND = _item("Second, it involved offering critical challenges during decision-making.", 2.5, 200, _unit(1))
FIRST_ITEM = _item("First, was the ability to ensure clinical views were included in decisions.", 0.5, 100, _unit(1))
THIRD = _item("Third, clinical representation ensured wider professional engagement.", 0.4, 300, _unit(1))
STRAY = _item("Second, they mediated between rival groups of stakeholders in the area.", 0.3, 50, _unit(1), 9)


def test_an_item_of_a_list_among_the_best_brings_its_other_items_in_order() -> None:
    model = {**MODEL, "redundancy_penalty": 2.0}
    pool = [FIRST, SECOND, ELSEWHERE, FIRST_ITEM, THIRD, STRAY]
    chosen = select("In what ways did clinical leaders represent colleagues?", pool, IDF, 60, model=model).chosen
    # the siblings come before ELSEWHERE (1.8), though they score far below it and echo the item chosen; an item
    # of another passage's list does not
    assert [c.text for c in chosen][:5] == [FIRST.text, SECOND.text, FIRST_ITEM.text, THIRD.text, ELSEWHERE.text]


def test_the_sentence_introducing_a_list_brings_its_items() -> None:
    lead = Candidate(0, "Representation took a number of forms.", 58, 97, (), 2.8, _unit(1), 7, 58)
    first = _item("First, was the ability to ensure clinical views were included in decisions.", 0.2, 98, _unit(1))
    second = _item("Second, it involved offering critical challenges during decision-making.", 0.1, 200, _unit(1))
    pool = [FIRST, lead, OTHER, ELSEWHERE, first, second]
    chosen = select("How did clinical leaders represent colleagues?", pool, IDF, 60, model=MODEL).chosen
    assert [c.text for c in chosen][:4] == [FIRST.text, lead.text, first.text, second.text]


@pytest.mark.parametrize(
    ("text", "leans"),
    [
        ("These include collective leadership, distributed leadership and system leadership.", True),
        ("It is manifested by behaviours such as communicating and influencing.", True),
        ("Such roles can create role models for others.", True),
        ("They recognised that this will be difficult.", True),
        ("It was also clear that successful systems had developed shared cultures.", False),  # "it" points nowhere
        ("It is worth noting that planning requires patient involvement.", False),
        ("This study examined the role of clinicians and managers.", False),  # the paper itself
        ("Thematic analysis identifies patterns within data.", False),
        ("Itineraries were planned in advance.", False),
        # after a conjunction joining it to the one before ("But this is insufficient on its own." had been quoted
        # without "Persuading others ... requires leaders themselves to practise ... collaborative behaviours.")
        ("But this is insufficient on its own.", True),
        ("And they agreed to meet monthly.", True),
        ("But it is clear that leaders matter.", False),
        ("Moreover, this approach is novel in using a variable location for the electrodes.", False),
        ("Butterflies were counted.", False),
    ],
)
def test_a_sentence_leans_back_when_it_opens_with_a_word_pointing_to_the_one_before(text: str, leans: bool) -> None:
    assert Candidate(0, text, 0, len(text), (), 1.0).leans_back is leans


def test_a_sentence_pointing_back_comes_with_the_sentence_before_it() -> None:
    labels = Candidate(
        0, "Over the past decade many labels have described shared leadership.", 0, 66, (), 0.1, _unit(2), 4, 0
    )
    these = Candidate(
        0, "These include collective, distributed and system leadership.", 67, 127, (), 2.9, _unit(1), 4, 67
    )
    far = Candidate(
        0, "These include money and staff time.", 300, 335, (), 2.7, _unit(3), 4, 300
    )  # no sentence just before
    pool = [FIRST, these, ELSEWHERE, labels, far]
    chosen = select("What kinds of shared leadership are there?", pool, IDF, 60, model=MODEL).chosen
    assert [c.text for c in chosen][:3] == [FIRST.text, labels.text, these.text]
    assert [c.text for c in chosen].count(labels.text) == 1 and far in chosen
    # with no room for both, the sentence is chosen alone, as before
    alone = select("What kinds of shared leadership are there?", [these, labels], IDF, 8, model=MODEL).chosen
    assert [c.text for c in alone] == [these.text]


def test_a_word_in_capitals_for_emphasis_is_no_stranger_but_a_name_in_capitals_is() -> None:
    """The papers write "trust" and "it" in lower case and neither in capitals: "TRUST" is emphasis, "IT" a name
    (too short to be a shouted word)."""
    words = SimpleNamespace(
        vocabulary={"trust", "it", "system"}, naming=set(), cased=set(), words=Vocabulary(lower_words={"trust", "it"})
    )
    assert IdfWeights.strangers(words, "what do the papers say about TRUST?") == []
    assert IdfWeights.strangers(words, "what about shared IT systems?") == ["IT"]


def test_a_sentence_pointing_ahead_comes_with_what_follows_it_or_not_at_all() -> None:
    pointer = Candidate(
        0, "One ICS leader described it, as the following quote illustrates.", 0, 65, (), 2.9, _unit(1), 4, 0
    )
    quote = Candidate(
        0, "...we sit around one table now and we share the budget for the whole area...", 66, 143, (), 0.1, _unit(2),
        4, 66,
    )  # fmt: skip
    chosen = select("How do leaders describe sharing?", [FIRST, pointer, quote], IDF, 60, model=MODEL).chosen
    assert [c.text for c in chosen] == [FIRST.text, pointer.text, quote.text]
    # with no room for what it points to, it is not quoted; with nothing after it in the evidence, it is ...
    chosen = select("How do leaders describe sharing?", [FIRST, pointer, quote], IDF, 20, model=MODEL).chosen
    assert [c.text for c in chosen] == [FIRST.text]
    chosen = select("How do leaders describe sharing?", [FIRST, pointer], IDF, 20, model=MODEL).chosen
    assert [c.text for c in chosen] == [FIRST.text, pointer.text]
    # ... unless it says nothing alone
    bare = Candidate(0, "One ICS leader noted the following.", 0, 35, (), 2.9, _unit(1), 4, 0)
    chosen = select("How do leaders describe sharing?", [FIRST, bare], IDF, 20, model=MODEL).chosen
    assert [c.text for c in chosen] == [FIRST.text]


def test_a_list_is_not_completed_for_a_question_asking_what_one_term_means() -> None:
    pool = [FIRST, SECOND, ELSEWHERE, FIRST_ITEM, THIRD]
    chosen = select("What is meant by critical challenge?", pool, IDF, 60, model=MODEL).chosen
    assert [c.text for c in chosen][:3] == [FIRST.text, SECOND.text, ELSEWHERE.text]


def test_a_list_is_not_completed_from_an_item_outside_the_best() -> None:
    weak = _item("Second, it involved offering critical challenges during decision-making.", 0.6, 200, _unit(3))
    middling = _cand(1, "Representation gave the strategies legitimacy among professional groups.", 0.45, _unit(3))
    first = _item("First, was the ability to ensure clinical views were included in decisions.", 0.2, 100, _unit(1))
    pool = [FIRST, OTHER, ELSEWHERE, weak, middling, first]
    chosen = select("How did clinical leaders represent colleagues?", pool, IDF, 60, model=MODEL).chosen
    assert [c.text for c in chosen] == [c.text for c in (FIRST, OTHER, ELSEWHERE, weak, middling)]


def test_the_part_asked_for_by_its_role_is_quoted_before_better_scored_sentences() -> None:
    """'What weaknesses do they admit?': the sentences under the paper's "Limitations" heading come first, best
    first, however the selector scored them; the rest fill what is left of the budget."""
    flaw = _cand(1, "The interviews were held in one region only, which limits transfer.", 0.2, _unit(3))
    flaw = replace(flaw, roles=frozenset({"limitations"}))
    small = _cand(1, "The sample of twenty managers was small for a survey.", 0.1, _unit(2))
    small = replace(small, roles=frozenset({"limitations"}))
    pool = [FIRST, OTHER, small, flaw]
    # (a question asking for several things gets half as many words again: 30)
    chosen = select("What weaknesses does the study admit?", pool, IDF, 20, model=MODEL).chosen
    assert [c.text for c in chosen] == [flaw.text, small.text, FIRST.text]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("What is paired learning?", 1),
        ("Which journal published the study of clinical leaders?", 1),  # one journal
        ("Which ICS is developing the decision matrix?", 1),  # an acronym, not a plural
        ("Which qualitative analysis software was used?", 1),  # "analysis" is not a plural
        ("Which barriers and enablers did the study find?", 2),
        ("What kinds of organisations took part?", 2),
        ("What were the STPs asked to deliver?", 2),
        ("In what ways do managers support clinicians?", 2),
        ("summarise the pressures on systems", 2),
        ("How long were the interviews, and who ran them?", 2),
        ("Were the interviews recorded and did anyone withdraw?", 2),
        ("Is trust low? What do leaders do about it?", 2),
        ("What do the papers say about trust?", 2),
        ("Compare the two surveys.", 2),
        ("Which skills do managers need, and why, according to the papers?", 3),  # four parts, capped at three
    ],
)
def test_part_count(question: str, parts: int) -> None:
    assert part_count(question) == parts


def test_word_budget_grows_by_half_for_each_further_part() -> None:
    assert word_budget("What is paired learning?", 100) == (100, 5)
    assert word_budget("Which barriers did the study find?", 100) == (150, 6)
    assert word_budget("Which barriers did the papers find, and why?", 100) == (200, 9)


def test_an_answer_across_the_papers_gets_room_for_a_row_per_paper() -> None:
    # (a table speaks for each paper: nearly twice the words of a one-part answer, two sentences more)
    assert word_budget("What do the papers say about trust?", 100) == (190, 8)
    assert word_budget("What does the study say about trust?", 100) == (100, 5)


def test_a_list_question_gets_room_for_more_sentences() -> None:
    pool = [FIRST, OTHER, ELSEWHERE]  # 9, 10 and 9 words
    one = select("What do clinical leaders contribute?", pool, IDF, 20, model=MODEL).chosen
    many = select("Which contributions do clinical leaders make?", pool, IDF, 20, model=MODEL).chosen
    assert [c.text for c in one] == [FIRST.text, OTHER.text]
    assert [c.text for c in many] == [FIRST.text, OTHER.text, ELSEWHERE.text]


def test_weak_best_evidence_abstains_with_the_reason() -> None:
    model = {**MODEL, "abstain_threshold": 5.0}
    selection = select("What do clinical leaders contribute?", [FIRST, OTHER], IDF, 120, model=model)
    assert selection.abstain and selection.chosen == ()
    assert selection.reason == "the best evidence is too weak"


def test_a_selector_with_a_gate_judges_the_evidence_by_the_gate_and_ranks_by_its_own_weights() -> None:
    # features (a, b): own weights rank by a; the gate (the packaged selector's weights and thresholds) reads b
    strong_for_gate = Candidate(0, FIRST.text, 0, len(FIRST.text), (1.0, 4.0), 1.0, _unit(0))
    best_by_own = Candidate(1, ELSEWHERE.text, 0, len(ELSEWHERE.text), (3.0, 0.5), 3.0, _unit(2))
    gate = {"weights": [0.0, 1.0], "abstain_threshold": 2.0}
    model = {**MODEL, "weights": [1.0, 0.0], "abstain_threshold": 5.0, "gate": gate}
    pool = [strong_for_gate, best_by_own]
    assert strength(pool, model) == 4.0
    selection = select("What do clinical leaders contribute?", pool, IDF, 120, model=model)
    assert (selection.abstain, [c.text for c in selection.chosen][:1]) == (False, [ELSEWHERE.text])
    lenient = {**model, "abstain_threshold": -10.0}  # its own threshold would answer: the gate refuses
    weak = select("What do clinical leaders contribute?", [best_by_own], IDF, 120, model=lenient)
    assert (weak.abstain, weak.reason) == (True, "the best evidence is too weak")


def test_a_name_the_papers_never_use_abstains() -> None:
    selection = select("What did Zorblat find about clinical leaders?", [FIRST], IDF, 120, model=MODEL)
    assert selection.abstain
    assert selection.reason == "the papers never mention Zorblat"


def _hit(rank: int, work: str, start: int) -> Hit:
    chunk = Chunk(
        chunk_id=f"{work}-{start}", doc=f"{work}.txt", work=work, title=work, section="Results", page=None,
        start=start, end=start + 100, text="x" * 100, kind="body",
    )  # fmt: skip
    return Hit(rank=rank, chunk=chunk, score=1.0)


HITS = [_hit(1, "waring", 0), _hit(2, "walsh", 0), _hit(3, "waring", 500)]
EARLY = Candidate(2, "The study was undertaken in several areas of the English NHS.", 0, 10, (), 3.0)
LATER = Candidate(0, "In total, 25 clinical leaders were recruited across the three areas.", 0, 10, (), 2.5)
SURVEY = Candidate(1, "Systems cover populations of between 500,000 and 3 million people.", 0, 10, (), 2.0)


def test_answer_order_groups_by_paper_best_first_in_reading_order() -> None:
    groups = answer_order("What did the studies find about clinical leaders?", [SURVEY, EARLY, LATER], HITS)
    assert [[c.text for c in g] for g in groups] == [[LATER.text, EARLY.text], [SURVEY.text]]


def test_what_an_acronym_stands_for_opens_with_the_sentence_spelling_it_out() -> None:
    """ "What does VESPA stand for?" was answered with the abstract's "VESPA provides flexible software ..." first
    (reading order), its long form second."""
    uses = Candidate(1, "VESPA provides flexible software for selective pressure analyses.", 0, 10, (), 3.0)
    spells = Candidate(
        2, "We have designed VESPA (Very large-scale Evolutionary and Selective Pressure Analyses).", 0, 10, (), 2.0
    )
    hits = [_hit(1, "webb", 0), _hit(2, "webb", 0), _hit(3, "webb", 900)]
    acronyms = {"VESPA": "very large-scale evolutionary and selective pressure analyses", "SL": "shared leadership"}
    for question in ("What does VESPA stand for?", "what's VESPA short for?"):
        groups = answer_order(question, [uses, spells], hits, acronyms)
        assert [c.text for c in groups[0]] == [spells.text, uses.text]
    # (not a question asking what it does, nor one without the papers' acronyms)
    assert [c.text for c in answer_order("What does VESPA do?", [uses, spells], hits, acronyms)[0]] == [
        uses.text,
        spells.text,
    ]
    assert [c.text for c in answer_order("What does VESPA stand for?", [uses, spells], hits)[0]] == [
        uses.text,
        spells.text,
    ]


def test_the_part_asked_for_by_its_role_opens_its_papers_sentences() -> None:
    """ "what further research does Ng suggest?" opened with "A qualitative research methodology ... was used.", the
    earliest sentence chosen; the part's sentences, and those going on from them, now come first."""
    method = Candidate(0, "A qualitative methodology was used.", 0, 10, (), 1.0, passage=1, place=0)
    further = Candidate(
        2, "Further research into engagement would be valuable.", 0, 10, (), 2.0, passage=7, place=0,
        roles=frozenset({"future work"}),
    )  # fmt: skip
    goes_on = Candidate(2, "It could use a survey.", 0, 10, (), 0.5, passage=7, place=len(further.text) + 1)
    other = Candidate(1, "Systems cover populations of many people.", 0, 10, (), 1.5, passage=3, place=0)
    groups = answer_order("what further research do they suggest?", [method, goes_on, other, further], HITS)
    assert [[c.text for c in g] for g in groups] == [[further.text, goes_on.text, method.text], [other.text]]
    # (no part asked for: reading order, as before)
    plain = [replace(c, roles=frozenset()) for c in (method, goes_on, other, further)]
    groups = answer_order("what do they find?", plain, HITS)
    assert [[c.text for c in g] for g in groups] == [[method.text, further.text, goes_on.text], [other.text]]


def _scored(c: Candidate, gives: bool) -> Candidate:
    features = [0.0] * len(FEATURES)
    features[FEATURES.index("gives_asked")] = 1.0 if gives else 0.0
    return Candidate(c.hit_index, c.text, c.start, c.end, tuple(features), c.score)


def test_a_number_question_opens_with_the_best_sentence_holding_a_number() -> None:
    # LATER and SURVEY hold a number (scored as giving one, as for "what year ..."), EARLY none
    chosen = [_scored(SURVEY, True), _scored(EARLY, False), _scored(LATER, True)]
    groups = answer_order("How many clinical leaders took part?", chosen, HITS)
    assert [[c.text for c in g] for g in groups] == [[LATER.text, EARLY.text], [SURVEY.text]]
    groups = answer_order("How many clinical leaders took part?", [_scored(SURVEY, True), _scored(EARLY, False)], HITS)
    assert [[c.text for c in g] for g in groups] == [[SURVEY.text], [EARLY.text]]


def test_a_funding_question_opens_with_the_works_funder_not_thanks_to_a_funded_person() -> None:
    """Webb et al.'s PeerJ paper thanks a student "(funded by the Wellcome Trust ...)" before it states its own
    grants: "Who funded the Webb study?" opened with the thanks."""
    hits = [_hit(1, "webb", 0), _hit(2, "webb", 300), _hit(3, "webb", 600)]
    thanks = Candidate(0, "We also thank L. M. (funded by the Wellcome Trust Vacation Scholarship).", 0, 10, (), 3.0)
    grant = Candidate(1, "The research was supported by Science Foundation Ireland grant 2673.", 0, 10, (), 2.0)
    disclaims = Candidate(2, "The funders had no role in study design or analysis.", 0, 10, (), 2.5)
    chosen = [_scored(thanks, True), _scored(grant, True), _scored(disclaims, True)]
    [group] = answer_order("Who funded the Webb study?", chosen, hits)
    assert [c.text for c in group] == [grant.text, thanks.text, disclaims.text]
    # (asked whether the funder had a say, the disclaimer, scored best, still leads)
    [group] = answer_order("Did the funder have any say in the design?", chosen, hits)
    assert [c.text for c in group] == [disclaims.text, thanks.text, grant.text]
    # (a paper thanking its funder by name, with nothing else naming one, still opens with the thanks)
    nihr = Candidate(0, "We thank the NIHR for its support of this work.", 0, 10, (), 1.0)
    [group] = answer_order("Who funded it?", [_scored(disclaims, True), _scored(nihr, True)], hits)
    assert [c.text for c in group] == [nihr.text, disclaims.text]


@pytest.mark.parametrize(
    ("question", "sentence", "gives"),
    [
        ("How many ICSs are there?", "Following the Act of 2022, 42 ICSs were introduced.", True),
        ("How many ICSs are there?", "The Act of 2022 set up statutory bodies.", False),  # a year, no count
        ("What share of leaders agreed?", "Some 40% agreed.", True),
        ("What share of leaders agreed?", "In 2021, leaders agreed.", False),
        ("What year were STPs introduced?", "They began in 2016.", True),
        # a question asking when something happened is given a date: a year, a month, a season's year
        ("When were the interviews done?", "The interviews were conducted during the winter of 2022/23.", True),
        ("When and how were they invited?", "Invitations went out in October by email.", True),
        ("In which year were ICSs made statutory?", "ICSs cover between 500,000 and 3 million people.", False),
        ("In which year were ICSs made statutory?", "Following the Act of 2022, ICSs were introduced.", True),
        ("When were the interviews done?", "Twenty participants were interviewed.", False),
        ("When were the interviews done?", "Each lasted 45 minutes.", False),  # a number, not a date
    ],
)
def test_gives_value(question: str, sentence: str, gives: bool) -> None:
    assert gives_value(question, sentence, Vocabulary()) is gives


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was the study carried out?", "numeric"),
        ("When and how were the interviews done?", "numeric"),
        ("When does a shared identity matter most?", "other"),  # not asking when something happened
        ("What was the age range of the participants?", "numeric"),
        ("What happens when trust breaks down?", "other"),
    ],
)
def test_a_question_asking_when_something_happened_asks_for_a_date(question: str, kind: str) -> None:
    assert question_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What themes came out of the interviews?", "list"),
        ("Which barriers stop clinicians from leading?", "list"),
        ("what lessons emerged from the pilots?", "list"),
        # a word that may be a verb as well asks for no list: "what happens", "what helps", "what works"
        ("What happens when trust breaks down?", "other"),
        ("What helps leaders feel safe?", "other"),
        ("What works best for new leaders?", "other"),
        ("What analysis was done?", "other"),
    ],
)
def test_a_plural_noun_after_what_asks_for_a_list(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_a_count_question_opens_with_the_count_not_with_any_number() -> None:
    # EARLY holds no number, LATER the count asked for, SURVEY numbers of another kind (scored as not giving it).
    chosen = [_scored(SURVEY, False), _scored(EARLY, False), _scored(LATER, True)]
    groups = answer_order("How many clinical leaders took part?", chosen, HITS)
    assert [[c.text for c in g] for g in groups] == [[LATER.text, EARLY.text], [SURVEY.text]]
    groups = answer_order("How many clinical leaders took part?", [_scored(SURVEY, False), _scored(EARLY, True)], HITS)
    assert [[c.text for c in g] for g in groups] == [[EARLY.text], [SURVEY.text]]


@pytest.mark.parametrize(
    ("text", "start", "item", "later"),
    [
        ("Relational work took a number of forms. First, clinical leaders described brokering.", 40, True, False),
        ("Relational work took a number of forms. Second, clinical leaders talked about alliances.", 40, True, True),
        ("They have four core purposes, to: - improve outcomes in population health", 34, True, False),
        ("ReAct enjoys several unique features: 1. Intuitive and easy to design.", 38, True, False),
        ("►► Adapting clinicians’ time management regimes.", 0, True, False),  # a double arrow
        ("Designing prompts is easy. 2. General and flexible.", 27, True, True),
        ("Designing prompts is easy. 2. General and flexible.", 30, True, True),  # past the number
        ("Our evaluation is not without flaw: (1) MAUVE is sensitive to output length.", 36, True, False),
        ("Finally, the study was small.", 0, True, True),
        ("Lastly, SL acknowledges the involvement of multiple roles.", 0, True, True),
        ("Firstborn children were not asked.", 0, False, False),
        ("First-line managers were not asked.", 0, False, False),
        ("Third-party data were not used.", 0, False, False),
        ("The study began in 2019. Secondary care leaders took part.", 25, False, False),
        ("3.1. Common seeds of different seed sets.", 0, False, False),  # a numbered heading
        ("The first interviews took place in May.", 0, False, False),
        ("The datasets are shown in Table 1. Different from previous benchmarks, ALCE cites.", 35, False, False),
    ],
)
def test_list_item_and_later_item(text: str, start: int, item: bool, later: bool) -> None:
    assert list_item(text, start, len(text)) is item
    assert later_item(text, start, len(text)) is later


@pytest.mark.parametrize(
    ("heading", "frames"),
    [
        ("Introduction", True),
        ("1 INTRODUCTION", True),  # a PDF's numbered headings are the same sections
        ("1. Introduction", True),
        ("2.1 Related work", True),
        ("5 RELATED WORK", True),
        ("A.1 Background", True),
        ("Literature review", True),
        ("3.2 METHODS", False),
        ("Results", False),
        ("Staffing-related issues", False),
        ("4 Related findings", False),
        # a structured abstract frames the work, but reports it in its results
        ("Abstract", True),
        ("Abstract: Background", True),
        ("Abstract: Methods", True),
        ("Abstract: Results", False),
        ("ABSTRACT: Conclusions", False),
    ],
)
def test_a_section_framing_the_work_is_known_by_its_name_whatever_its_number(heading: str, frames: bool) -> None:
    assert framing_section(heading) is frames


def test_another_papers_sentence_defining_the_term_comes_before_the_rest() -> None:
    """ "What is an integrated care system?": the best defining sentence leads; one from another paper comes next,
    before a better-scored sentence that defines nothing."""
    lead = replace(
        _cand(0, "These plans became known as integrated care systems in February 2018.", 3.0, _unit(0)), work="a"
    )
    filler = replace(_cand(0, "Integrated care systems rely on clinicians and managers.", 2.5, _unit(1)), work="a")
    plural = replace(_cand(1, "ICSs are geographically based partnerships of varying sizes.", 1.0, _unit(2)), work="b")
    question = "What is an integrated care system?"
    model = {**MODEL, "keep_margin": 5.0}
    chosen = select(question, [filler, plural, lead], IDF, 20, model=model).chosen
    assert [c.text for c in chosen] == [lead.text, plural.text]


@pytest.mark.parametrize(
    ("sentence", "voiced"),
    [
        ("'Value is about preventing admission' (manager)", True),  # a quotation tagged with the group
        ("'They escape the wrath of the patients' (clinician).", False),  # another group's
        ("Managers felt that workplace tensions exist because their jobs were at stake.", True),  # reported speech
        ("Some managers also said the targets came first.", True),
        ("Clinicians expressed greater issues with burnout.", False),
        ("Written consent was obtained to participate in the interview.", False),
        ("The managers' jobs were at stake.", False),  # about them, not their words
        ("It is about 'managers as leaders' (Manager 2018).", False),  # a citation, not a speaker
    ],
)
def test_a_sentence_is_voiced_by_the_group_its_tag_or_reported_speech_names(sentence: str, voiced: bool) -> None:
    assert voiced_by(sentence, {"manag"}) is voiced


def test_what_a_group_said_is_quoted_before_better_scored_sentences_of_others() -> None:
    """ "what did the managers say, as opposed to the doctors?" was answered with a clinician's quotation and the
    consent statement first; the managers' own words, a little weaker, now come before them (the gate is not
    moved: it judges the evidence as scored)."""
    consent = _cand(0, "Written consent was obtained to participate in the interview.", 3.0, _unit(0))
    doctor = _cand(1, "'Clinicians are burnt out and undervalued' (clinician)", 2.8, _unit(1))
    manager = _cand(2, "'Value is about preventing admission' (manager)", 2.3, _unit(2))
    question = "what did the managers say?"
    said = select(question, [consent, doctor, manager], IDF, 40, model=MODEL, voices={"manag"})
    assert ([c.text for c in said.chosen][:1], said.confidence) == ([manager.text], 3.0)
    unheard = select(question, [consent, doctor, manager], IDF, 40, model=MODEL).chosen
    assert [c.text for c in unheard][:1] == [consent.text]
    # the quotation tagged with another group comes after the consent statement, as the evidence labels both
    assert [c.text for c in said.chosen] == [manager.text, consent.text, doctor.text]
    # (not where no quotation is tagged with the group asked for: "doctors" are no label of these)
    doctors = select("what did the doctors say?", [consent, doctor, manager], IDF, 40, model=MODEL, voices={"doctor"})
    assert [c.text for c in doctors.chosen] == [consent.text, doctor.text, manager.text]


def test_a_question_asking_when_opens_with_a_dated_sentence_when_none_of_the_best_is() -> None:
    """ "When did Ng do her interviews?" had quoted five sentences on her interviews, none of them dated."""
    dated = tuple(1.0 if i == FEATURES.index("gives_asked") else 0.0 for i in range(len(FEATURES)))
    undated = tuple(0.0 for _ in FEATURES)
    scheduled = Candidate(0, "A second call was made to schedule the interview appointments.", 0, 60, undated, 3.0)
    recorded = Candidate(0, "All interviews were transcribed and analysed in full.", 0, 50, undated, 2.5, _unit(1))
    probed = Candidate(0, "The interviewer could probe the first responses of each one.", 0, 60, undated, 2.0, _unit(2))
    when = Candidate(1, "Participants were identified between October 2019 and November 2019.", 0, 70, dated, 1.0)
    pool = [scheduled, recorded, probed, when]
    chosen = select("When did she do her interviews?", pool, IDF, 40, model=MODEL).chosen
    assert chosen[0] is when
    chosen = select("How did she do her interviews?", pool, IDF, 40, model=MODEL).chosen
    assert chosen[0] is scheduled
