"""The near-miss check: what kind of value a question asks for, and whether evidence sentences hold one."""

from __future__ import annotations

import pytest

from rag.answer_types import (
    Vocabulary,
    announces_count,
    asked_count,
    asks_across_papers,
    asks_obstacles,
    asks_one_item,
    count_predicate,
    counts_people_in_general,
    counts_persons,
    expected_kind,
    holds_kind,
    missing_kind,
    question_parts,
    quoted_phrases,
    quotes_any,
    rest_answerable,
    separate_questions,
    states_obstacle,
    states_total,
    without_framing,
)
from rag.coverage import (
    absent_runs,
    acts_as_verb,
    asking_words,
    framing_words,
    misspelt,
    plain_text,
    speaker_phrase,
    speakers,
    superlative,
    unknown_names,
    unknown_phrases,
)

COMMON = Vocabulary(
    common={"leader", "clinic", "nhs", "peopl"},
    lower_words={"formations", "facilitate", "executive", "general", "practitioner", "managing", "project"},
    acronyms={
        "ICS": "integrated care system",
        "STP": "sustainability and transformation partnership",
        "GP": "general practitioner",
    },
    setting={"england"},
    published={"king", "fund"},
)


PAPERS = plain_text(
    "The Medical Engagement team met. The scale of the work grew. The King's Fund runs the Building Collaborative "
    "Leadership programme. Kamuzu Central Hospital has a Medical Department. NHS England and NHS Scotland. "
    "GPT-3.5 and PaLM-540B were prompted 4 times on Fever. Since the Covid-19 pandemic, ELI5 questions ..."
)


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        # Each word is in the papers; the name, as a phrase, is not.
        ("What Medical Engagement Scale scores did the trusts have?", ["Medical Engagement Scale"]),
        ("What does the report say about the Medical Engagement team?", []),
        # A possessive, an apostrophe or a line break in the papers does not hide a name they use.
        ("What does the Kings Fund's Building Collaborative Leadership programme cost?", []),
        # Two names the papers use, run together, are no new name.
        ("How many beds has the Kamuzu Central Hospital Medical Department?", []),
        # An author's name or an acronym next to a name joins nothing; a lone unknown word is unknown_names' job.
        ("What did the Aufegger Medical Department find?", []),
        ("What about NHS Wales?", []),
        # "and" stands between two names.
        ("Did NHS England and Kamuzu Central Hospital agree?", []),
        # "in" and "on" stand between two names too: a model on a dataset, a body in a place.
        ("What accuracy has PaLM-540B on Fever?", []),
        ("What did Kamuzu Central Hospital do in Medical Department meetings?", []),
        # A name with a version names one thing: the papers must write it whole.
        ("What does GPT-4 reach on Fever?", ["GPT-4"]),
        ("What does GPT-3.5 reach?", []),
        # ... so must a name with a number run into it, split at the number or not
        ("How do ICS leaders deliver the Core20PLUS5 approach?", ["Core20PLUS5"]),
        ("What do the papers say about COVID19?", []),
        ("What corpus holds the ELI5 questions?", []),
        # A question in title case has no names to tell apart.
        ("What Does The Report Say About Medical Scale Engagement?", []),
    ],
)
def test_unknown_phrases_are_names_the_papers_never_write(question: str, unknown: list[str]) -> None:
    assert unknown_phrases(question, PAPERS, {"aufegg"}) == unknown


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What proportion of the clinical leaders in the STP study were women?", "share"),
        ("What was the gender split of participants?", "share"),
        ("how long were the interviews in Ng's study?", "duration"),
        ("What was the average age of the interviewees?", "age"),
        ("How old were the participants?", "age"),
        ("What age range did the sample cover?", "age"),
        ("How long has there been official guidance on partnerships?", None),
        ("how much did the team pay the transcription company?", "money"),
        ("What is the ethics approval reference number for the study?", "identifier"),
        ("How many NHS trusts or sites took part in the Ng study?", "count"),
        ("how many of the clinical leaders came from each STP?", "count"),  # a count answers it, not only a share
        ("What was the response rate of the survey?", "share"),
        ("What is the vacancy rate in the trusts?", "share"),  # a rate's value
        ("Did staff turnover rates fall after the change?", None),  # whether a rate changed
        ("How did participants rate the programme?", None),  # the verb
        ("What salary do medical directors earn?", "money"),
        ("How much do consultants earn?", "money"),
        ("How big a budget did each partnership control?", "money"),
        ("how much money did the new model save the trust?", "money"),
        ("By how much did the approach reduce hospital admissions?", "amount"),
        ("How much time did leaders spend together?", None),
        ("What software did they use to code the interviews?", "name"),
        ("What areas did the study focus on?", None),  # topics, not named places
        ("Which journal published the study?", "name"),
        ("Which kinds of organisations were using distributed leadership?", None),
        ("What is paired learning?", None),
        ("What are the real names or regions of STP A and STP B?", "name"),
        # what a claim rests on: its citation
        ("the report says other countries face the same problems - what's the source for that?", "source"),
        ("who does the King's Fund cite for the idea of a safe environment?", "source"),
        ("Which reference backs this?", "source"),
        ("Where does that figure come from?", "source"),
        ("What is the source of conflict between partners?", None),  # a cause
        ("What was their main source of funding?", None),
        ("What data sources did Ng use?", None),
        ("what's the reference for the Ng paper?", None),  # the paper's own reference
        ("How do I cite the Waring paper?", None),
    ],
)
def test_expected_kind(question: str, kind: str | None) -> None:
    assert expected_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "sentence", "holds"),
    [
        ("What share of respondents were managers?", "Some 40% of respondents were managers.", True),
        ("What share of respondents were managers?", "Respondents were mainly from the NHS.", False),
        ("What share of respondents were managers?", "Most respondents were managers.", False),  # how many is most?
        ("What share of respondents were managers?", "The majority of respondents were managers.", True),
        ("What share of respondents were managers?", "Third, respondents named the managers.", False),  # an ordinal
        ("What share of respondents were managers?", "Nearly two thirds of respondents were managers.", True),
        ("how long were the interviews?", "Interviews lasted about 45 minutes.", True),
        ("how long were the interviews?", "Interviews were recorded and transcribed.", False),
        ("how much did they pay the company?", "It cost £2,000.", True),
        ("how much did they pay the company?", "They paid an agreed fee.", False),
        ("What is the ethics approval reference number?", "Approved by the JRCO (18IC4917).", True),
        ("How many NHS trusts took part?", "We interviewed 12 consultants.", False),
        # An acronym is counted by its long form too.
        ("how many GPs took part?", "Participants included 9 general practitioners and 1 nurse.", True),
        ("how many GPs took part?", "Participants included 9 nurses.", False),
        # A number with a thousands separator, joined to what it counts by a hyphen.
        ("How many iterations were run?", "Spreads were averaged over a 10’000-iteration simulation.", True),
        ("How many iterations were run?", "Spreads were averaged over 10,000 iterations.", True),
        ("How many NHS trusts took part?", "Consultants from 4 trusts took part.", True),
        ("How many clinical leaders took part?", "All 25 clinical leaders participated.", True),
        # The number may stand a few words before what is counted, not a clause away.
        ("How many interviews were done?", "All 25 clinical leaders participated in semi-structured interviews.", True),
        (
            "How many interviews were done?",
            "The 25 clinical leaders came from three STPs, and all gave written consent before the interviews.",
            False,
        ),
        ("how many people were interviewed in each?", "Twenty leaders in 15 organisations were interviewed.", True),
        # people in general are counted; what follows says what they did, and need not stand by the number
        (
            "How many people took part in the study altogether, counting clinical and non-clinical leaders?",
            "In total, 25 clinical leaders were recruited, together with a further 47 non-clinical leaders.",
            True,
        ),
        (
            "How many people took part in the study altogether, counting clinical and non-clinical leaders?",
            "Clinical leaders were recruited from three sites.",
            False,
        ),
        ("how many of the clinical leaders came from each STP?", "STP A: 10 clinical leaders; STP B: 10.", True),
        ("how many of the clinical leaders came from each STP?", "Each STP had 3 workshops.", False),
        # who did the counting ("did Waring ...") is not what is counted
        (
            "How many people did Waring and colleagues interview, and how was the data analysed?",
            "All 25 clinical leaders participated in semi-structured interviews.",
            True,
        ),
        # Where the answer should come from is not what is counted.
        (
            "How many people were on waiting lists, according to the King's Fund report?",
            "In 2011, The King's Fund report argued for shared leadership.",
            False,
        ),
        (
            "How many people were on waiting lists, according to the King's Fund report?",
            "Some 7 million people were on waiting lists.",
            True,
        ),
        # How much something changed: a share, a sum, so many times, from one number to another; not a year.
        ("By how much did admissions fall?", "Admissions fell by 20%.", True),
        ("By how much did admissions fall?", "Admissions fell from 120 to 80 a week.", True),
        ("By how much did admissions fall?", "Admissions fell sharply by 2020.", False),
        # A rate of something is a share that names it.
        ("What was the response rate of the survey?", "Half of our survey respondents said it was unsafe.", False),
        ("What was the response rate of the survey?", "The response rate was 45%.", True),
        ("What was the staff turnover rate?", "More than 50 per cent of leaders felt power was not shared.", False),
        ("What was the success rate of the best trial?", "The best trial has a success rate of 71%.", True),
        ("What was the rate of satisfaction?", "Out of 95 responses, 45% liked the staff.", True),  # "the rate"
        ("Which NHS trust set up the triumvirate?", "One of the organisations set up a triumvirate.", False),
        ("Which NHS trust set up the triumvirate?", "Leeds Teaching Hospitals set up a triumvirate.", True),
        # Job titles in a list are no names; place names in a list are.
        (
            "Which regions were the STPs in?",
            "Leaders included Chairpersons, Managing Directors, Project Managers.",
            False,
        ),
        ("Which regions were the STPs in?", "The STPs were in Leeds, Bradford and Wakefield.", True),
        # A cited author is no name of what was asked.
        ("Which NHS trust set up the triumvirate?", "Trust is low in many systems (Eastwood 2021).", False),
        ("Which NHS trust set up the triumvirate?", "As Turnbull James (2011) says, trust is earned.", False),
        # A capitalised everyday word (a table heading glued to text) is no name.
        ("Which NHS trust set up the triumvirate?", "Formations of triumvirates Facilitating work.", False),
        ("Which NHS trust set up the triumvirate?", "An Executive and a GP set up the triumvirate.", False),
        # The acronym of what the question asks about names the category, not one of its members.
        ("Which integrated care system did they recruit from?", "Recruited via the ICS office.", False),
        ("Which ICS is developing the matrix?", "Some ICSs are exploring new processes.", False),
        ("Which ICS is developing the matrix?", "Leaders in Frimley ICS are developing it.", True),
        # a trust or a hospital is named as one
        ("Which NHS trust employed them?", "Sites were chosen on their Care Quality Commission ratings.", False),
        ("Which NHS trust employed them?", "She works at Southport and Ormskirk Hospitals NHS Trust.", True),
        ("Which hospitals took part?", "Staff at Kamuzu Central Hospital were interviewed.", True),
        # the country most papers are set in, or a month, names no integrated care system
        ("Which integrated care system did they recruit from?", "Each area in England had a team by 2018.", False),
        ("Which integrated care system did they recruit from?", "The team was appointed in February 2018.", False),
        # a report's publisher is named all over it (an everyday term), yet answers who published it
        ("Which organisation published the report?", "First published 2023 by The King's Fund", True),
        # "which organisations ...?" may be answered with the kinds they were, listed
        (
            "Which organisations made them up?",
            "These partnerships comprised NHS trusts, local authorities and clinical commissioning groups.",
            True,
        ),
        ("Which organisations trialled it?", "It links together different professional groups and teams.", False),
        # ... or by what the one organisation asked for is ("via the ICS management office")
        ("Which organisation did they recruit through?", "They were recruited via the ICS management office.", True),
        ("Which organisation approved the study?", "It was approved by the research and ethics committee.", True),
        ("Which organisations trialled it?", "Such programmes have been trialled in various organisations.", False),
        # a number of years that is an age is no duration
        ("How long did each interview last?", "Twenty were interviewed (age range: 35–50 years).", False),
        ("How long did each interview last?", "Managers aged 40 to 55 years took part.", False),
        ("How long was the programme?", "Most were over 60 years old, or 45 years of age.", False),
        ("How long was the programme?", "Leaders aged 40 years met in the programme for 6 months.", True),
        ("How long was the programme?", "The programme ran for 3 years.", True),
        ("How long did they manage for?", "They had managed for an average of 12 years.", True),
        # ... and the stretch of time it took, dated, tells how long it took
        ("How long did the data collection take?", "Data collection was carried out in June 2010.", True),
        ("How long did the study take?", "The study was undertaken in the NHS between 2018 and 2021.", True),
        ("How long did the study take?", "The study ran from January to December 2010.", True),
        ("How long did the study take?", "The study began in 2010.", False),
        ("How long did the study take?", "In June, the board met to plan the study.", False),
        # a share says what the share asked for did: half of it at least
        (
            "What share of the survey respondents worked in local government?",
            "More than 50 per cent of our survey respondents felt power was not shared in their local system.",
            False,
        ),
        (
            "What proportion of the interviewees held senior clinical leadership roles?",
            "A third of the interviewees held senior clinical leadership roles.",
            True,
        ),
        ("What percentage of the interviewees were clinicians?", "A third held senior clinical roles.", True),
        # ... or gives it as counts: the whole, and a number right before what the share is of
        (
            "What proportion of the participants were GPs?",
            "Twenty participants were interviewed; 10 with a clinical background, including 9 general practitioners.",
            True,
        ),
        ("What proportion of the leaders were women?", "In total, 25 leaders and 47 others were recruited.", False),
        # an age is a number of years of a person, or one after "aged"
        ("What was the average age of the interviewees?", "Twenty were interviewed (age range: 35–50 years).", True),
        ("How old were the participants?", "Managers aged 40 to 55 took part.", True),
        ("How old were the participants?", "Interviews lasted on average 1 hour.", False),
        ("How old were the participants?", "All had led teams for at least 5 years.", False),
        # a length of something else is not the length asked for; a sentence pointing back may give it
        ("How long did each interview last?", "Leaders with at least 5 years in post were included.", False),
        ("How long did each interview last?", "Interviews lasted on average 1 hour.", True),
        ("How long did each interview last?", "They lasted on average 1 hour.", True),
        ("How long did the homology search take?", "The other functions ran in under four minutes.", False),
        ("How long does it take to bed in?", "It may not show improvements for 10 years.", True),
        # people counted in general: a study's sample is its people, however they are called
        (
            "How many people did they interview, and who?",
            "The sample consisted of four hospital consultants, four senior managers and 4 board executives.",
            True,
        ),
        ("How many people did they interview, and who?", "Four themes were found in 12 transcripts.", False),
        ("How many people were interviewed in each?", "Interviews lasted on average 1 hour.", True),  # asks no more
        # no year, number in a name, "one another" or label's number is a count ...
        ("How many STPs were studied?", "The NHS Long Term Plan of 2019 proposed that STPs evolve.", False),
        ("How many STPs were studied?", "In 2014, the Five Year Forward View introduced STPs.", False),
        ("How many people answered the survey?", "Survey respondents feel unable to challenge one another.", False),
        ("How many people answered the survey?", "Most survey respondents agreed (see Figure 4).", False),
        ("How many STPs were studied?", "In 2016, 44 STPs were introduced.", True),
        # ... and what is counted one per person may come first
        ("How many interviews did they carry out?", "We carried out interviews with 15 senior leaders.", True),
        ("How many surveys did they run?", "We ran a short online survey of more than 50 leaders.", True),
        ("How many interviews did they carry out?", "Each of the interviews lasted 1 hour.", False),
        # people counted in general, by what was done to them, not by who did it ("by Aufegger": had been refused)
        ("How many participants were interviewed by Aufegger?", "Twenty participants were interviewed.", True),
        ("How many participants were interviewed by Aufegger?", "Aufegger et al. ran 3 workshops.", False),
        # ... and "one interviewee" is someone, not how many
        ("How many people did they interview?", "The dialogue has shifted, as one interviewee noted.", False),
        # a span of years counts them, when it is a span of what is asked about
        ("How many years of MEDLINE were searched?", "We searched JSTOR, MEDLINE (1966 to November 2016).", True),
        ("How many years did the fieldwork run?", "Data were collected between 2018 and 2021.", True),
        ("How many years of Scopus were searched?", "We searched JSTOR, MEDLINE (1966 to November 2016).", False),
        ("How many years of MEDLINE were searched?", "MEDLINE was searched in 2016.", False),
        # a reference number: a code of letters and digits, or a long run of digits (not a count with commas)
        ("What is the charity registration number?", "Charity registration number: 1126980", True),
        ("What is the ethics approval reference number?", "It was approved (JRCO; 18IC4917).", True),
        ("What is the charity registration number?", "It reached 1,126,980 people.", False),
        # a claim's source: a citation by name and year, a personal communication, a numbered reference
        ("What's the source for that?", "Trust is low in places (Eastwood 2021).", True),
        ("What's the source for that?", "Edmondson (2012) identified a safe environment as important.", True),
        ("What's the source for that?", "Other systems have similar issues (personal communication).", True),
        ("What's the source for that?", "It improves performance [12, 14].", True),
        ("What's the source for that?", "It improves organisational capability.12 32 33", True),
        ("What's the source for that?", "Trust is a calculated risk.", False),
        ("What's the source for that?", "It rose by 0.5 points in 2021.", False),
    ],
)
def test_holds_kind(question: str, sentence: str, holds: bool) -> None:
    kind = expected_kind(question)
    assert kind is not None
    assert holds_kind(kind, question, sentence, COMMON) is holds


@pytest.mark.parametrize(
    ("sentence", "total"),
    [
        ("All 25 clinical leaders participated in semi-structured interviews.", True),
        ("In total, 25 clinical leaders were recruited from across the three STPs.", True),
        ("The department recorded a total of 1015 patients in June 2010.", True),
        ("We spoke to 40 managers in all.", True),
        ("Five clinical leaders participated in follow-up interviews.", False),
        ("All participants gave written consent.", False),
    ],
)
def test_states_total(sentence: str, total: bool) -> None:
    assert states_total(sentence) is total


@pytest.mark.parametrize(
    ("question", "sentence", "persons"),
    [
        ("How many people took part in the experiment?", "Eight young healthy subjects (27.4 years) took part.", True),
        ("How many people took part in the experiment?", "180 different stimulation patterns could be studied.", False),
        ("How many participants were interviewed?", "We held interviews with 15 senior leaders.", True),
        ("How many STPs were studied?", "Eight young healthy subjects took part.", False),  # (not people in general)
    ],
)
def test_counts_people(question: str, sentence: str, persons: bool) -> None:
    assert (counts_people_in_general(question) and counts_persons(sentence)) is persons


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("How many STPs were studied by the team?", {"studi", "team"}),
        ("how many meetings did Waring's team observe?", {"ware", "team", "observ"}),
        ("How many NHS trusts in England?", {"england"}),
        ("How many people took part?", set()),  # (people's count is tied to what they did by holds_kind)
        ("What did they find?", set()),
    ],
)
def test_count_predicate(question: str, said: set[str]) -> None:
    assert count_predicate(question) == said


def test_missing_kind_names_the_kind_only_when_no_sentence_has_it() -> None:
    question = "how long were the interviews?"
    assert missing_kind(question, ["Interviews were recorded.", "They were transcribed."]) == "duration"
    assert missing_kind(question, ["Interviews were recorded.", "Each took 30 minutes."]) is None
    assert missing_kind("What is paired learning?", ["Nothing relevant."]) is None


def test_unknown_names_are_capitalised_words_the_corpus_never_uses() -> None:
    vocabulary = {"nhs", "england", "aufegg"}
    question = "What do these papers find about leadership in NHS Scotland or NHS Wales, per Aufegger?"
    assert unknown_names(question, vocabulary) == ["Scotland", "Wales"]
    assert unknown_names("What do the papers say about NHS England?", vocabulary) == []
    assert unknown_names("What does Aufegger say about GPs?", {*vocabulary, "gp"}) == []  # the plural of a known one


def test_a_name_written_with_inner_capitals_must_be_written_so_in_the_papers() -> None:
    """The papers' "react" and "it" are other words than "ReAct" and "IT"; "ENSEMBL" is their "Ensembl", "ICS"
    their "ICSs"; a question typed in capitals spells no names; "GPT-4" is looked up whole elsewhere."""
    vocabulary = {"react", "it", "ensembl", "ic", "system", "gpt"}
    cased = {"nhs", "icss", "ensembl"}
    assert unknown_names("Who wrote the ReAct paper?", vocabulary, cased) == ["ReAct"]
    assert unknown_names("what do they say about shared IT systems?", vocabulary, cased) == ["IT"]
    assert unknown_names("What did the ENSEMBL run find, per ICS?", vocabulary, cased) == []
    assert unknown_names("Who wrote the ReAct paper?", vocabulary) == []  # (without the papers' cased words)
    assert unknown_names("WHAT DO THE PAPERS SAY ABOUT IT SYSTEMS?", vocabulary, cased) == []
    assert unknown_names("Does it beat GPT-4?", vocabulary, cased) == []


@pytest.mark.parametrize(
    ("word", "question", "verb"),
    [
        ("exercised", "Is leadership only exercised by people in formal roles?", True),  # only ever a verb
        ("stops", "what stops clinicians and managers engaging with each other?", True),  # after "what"
        ("strikes", "Did the nurses' strikes change how the trust was led?", False),  # a noun here
        ("readmission", "Did shared leadership reduce readmission rates?", False),
        ("dentists", "What did dentists say about practice managers?", False),
        ("German", "How is shared leadership organised in German hospitals?", False),
        ("sign", "Deputies come to system meetings who can't sign anything off: how is that handled?", True),  # modal
        ("sign", "Was there a sign of change?", False),
        ("Walk", "Walk me through the stages of a run.", True),  # a command opening the question
        ("list", "Please list the barriers.", True),
        ("Mortality", "Mortality: what do the papers say?", False),  # a noun only, wherever it stands
        # an -ing form as an object names a thing (lemminflect knows "mentoring" only as a verb)
        ("mentoring", "do the papers recommend mentoring or reverse mentoring schemes?", False),
        ("coaching", "what do the papers say about coaching?", False),
        ("engaging", "what stops engaging clinicians?", True),
        ("miss", "What share of the talk can a leader miss before decisions are made?", True),  # modal, subject, verb
        # ... a subject with its possessive: "check" had been taken for a topic the King's Fund never mentions
        ("check", "how did the king's fund check that what its interviewees said still held?", True),
        ("change", "Did the nurses' strikes change how the trust was led?", True),
        # ... a passive's participle: "Waring et al., 2023 does not mention studied." had opened the answer
        ("studied", "How many STPs were studied by Waring and colleagues?", True),
        ("advanced", "Were advanced practitioners interviewed?", False),
    ],
)
def test_acts_as_verb(word: str, question: str, verb: bool) -> None:
    assert acts_as_verb(word, question) is verb


@pytest.mark.parametrize(
    ("word", "slip"),
    [
        ("databses", True),  # a letter dropped
        ("databasess", True),  # one added
        ("datbaases", True),  # two swapped
        ("dbtbbases", False),  # two changed
        ("readmission", False),  # 'admission' is two letters away: another word
        ("trusx", False),  # too short to call a slip
        ("ethnic", False),  # an English word one letter from 'ethic' is another word, not a slip
    ],
)
def test_misspelt(word: str, slip: bool) -> None:
    assert misspelt(word, {"databases", "admission", "trust", "ethic"}) is slip


@pytest.mark.parametrize(
    ("word", "compares"),
    [
        ("largest", True),
        ("earliest", True),
        ("best", True),
        ("most", True),
        ("Fewest", True),
        ("interest", False),  # a noun ending in -est
        ("honest", False),  # an adjective ending in it
        ("west", False),
        ("test", False),
        ("large", False),
    ],
)
def test_superlative(word: str, compares: bool) -> None:
    # "which paper has the largest sample?" asks for the papers' figures side by side: no paper need say "largest"
    assert superlative(word) is compares


@pytest.mark.parametrize(
    ("question", "framing"),
    [
        ("Which leadership style does Ng recommend?", {"style", "recommend"}),  # "transformational leadership"
        ("What type of study was it?", {"type"}),
        ("What model of care did they design?", {"model"}),
        ("Which models were compared?", set()),  # the models themselves are asked about
        # a class whose members a paper names without naming it ("generation accuracy", "median rank")
        ("What evaluation metrics did they use?", {"metrics"}),
        ("Which baselines did Sheikhahmadi compare against?", {"baselines"}),
        ("which data sets was it tested on?", {"data", "sets"}),
        ("What do the papers say about measures of trust?", set()),  # (what they measure is asked about)
    ],
)
def test_a_noun_asking_for_a_kind_frames_the_question(question: str, framing: set[str]) -> None:
    assert framing_words(question) == framing


@pytest.mark.parametrize(
    ("question", "framing"),
    [
        # where to look in a paper, not what is asked about: no paper need say "paragraph" or "diagram"
        ("what do waring and colleagues say is the priority now, in their final paragraph?", {"final", "paragraph"}),
        ("which diagrams could I reuse in a teaching session?", {"diagrams"}),
        ("does the paper come with any supplementary files?", {"supplementary", "files"}),
        ("what do the declarations at the end say?", {"declarations"}),
        ("What do the papers say about mortality?", set()),
        # where the asker works, not what they ask about
        ("if i wanted to repeat ng's study in my own patch, what would i copy?", {"patch"}),
        ("what do the papers say about mortality in our files?", {"files"}),
    ],
)
def test_a_part_of_a_document_frames_the_question(question: str, framing: set[str]) -> None:
    assert (
        framing_words(question)
        & {"final", "paragraph", "diagrams", "supplementary", "files", "declarations", "mortality", "patch"}
        == framing
    )


def test_a_name_inside_the_words_asking_for_a_part_does_not_frame_the_question() -> None:
    assert framing_words("where did the ReAct paper appear?") == {"where", "did", "the", "paper", "appear"}


@pytest.mark.parametrize(
    ("question", "absent", "runs"),
    [
        ("what about ethnic minority leaders?", ["ethnic", "minority"], ["ethnic minority"]),
        ("What do ethnic-minority staff say?", ["ethnic-minority", "staff"], ["ethnic-minority staff"]),
        ("Is mortality or morbidity lower?", ["mortality", "morbidity"], ["mortality", "morbidity"]),
        ("mortality: what is known?", ["mortality"], ["mortality"]),
    ],
)
def test_absent_words_next_to_each_other_are_one_phrase(question: str, absent: list[str], runs: list[str]) -> None:
    assert absent_runs(question, absent) == runs


@pytest.mark.parametrize(
    ("question", "together"),
    [
        ("What do the papers say about trust?", True),
        ("Did shared leadership cut sickness absence in any of the studies?", True),
        ("Across the reports, what is said about lack of time?", True),
        ("Do these two studies agree on what drives engagement?", True),
        ("How did the two methods compare on the word similarity data?", False),  # a comparison inside one paper
        ("What did each trust do?", False),
        ("What do the authors recommend?", False),  # the authors of one paper
        ("How do leaders work across organisations?", False),
        ("When does building a shared identity across a partnership matter most?", False),
        ("Compare the findings of the studies on trust.", True),
        ("how many people took part in each study?", True),
        ("which leadership label does every paper go with?", True),
        ("does any paper mention dentists?", True),
        ("What was each study site like in the Waring paper?", False),  # one paper's sites
        ("What do the sources say about burnout?", True),
        ("Did Ng check her interviews against other sources?", False),  # of data
        ("What are the sources of data in the Waring study?", False),
        # a choice among the papers, its verb next: not the works a paper cites, nor one study's design
        ("Which study interviewed the most people?", True),
        ("which papers talk about people being bought in?", True),
        ("Which studies did Ng review?", False),
        ("which study design did Waring use?", False),
        ("Which reports does the King's Fund cite on integration?", False),
    ],
)
def test_a_question_asks_across_the_papers(question: str, together: bool) -> None:
    # "compare", "each" and "across" alone ask about one paper's subject, not across the papers
    assert asks_across_papers(question) is together


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "How many people did they interview, and how was the data analysed?",
            ["How many people did they interview", "how was the data analysed?"],
        ),
        (
            "how long does it take? anything on the pace of change",
            ["how long does it take", "anything on the pace of change"],
        ),
        (
            "Across these studies, how many people were interviewed?",
            ["Across these studies", "how many people were interviewed?"],
        ),
        (
            "How many clinical and non-clinical managers took part?",
            ["How many clinical and non-clinical managers took part?"],
        ),
    ],
)
def test_question_parts(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        # another part asks for no typed value: it may be answered, and the missing value is said first
        ("How many pharmacy leads took part, and which partnership were they in?", True),
        ("how long does it take to bed in? anything on the pace of change", True),
        # every part asks for a typed value the sentences lack: nothing to answer
        ("How long does the programme run, and what does it cost?", False),
        ("How many pharmacy leads took part?", False),
        # a part that asks nothing ("across these studies") is no second question
        ("Across these studies, how many pharmacy leads took part?", False),
    ],
)
def test_rest_answerable(question: str, rest: bool) -> None:
    sentences = ["Leaders met every month to plan the programme together."]
    missing = expected_kind(question)
    assert missing is not None and missing_kind(question, sentences, COMMON) == missing
    assert rest_answerable(question, missing, sentences, COMMON) is rest


@pytest.mark.parametrize(
    ("message", "questions"),
    [
        ("Is it all about doctors? What about nurses?", ["Is it all about doctors?", "What about nurses?"]),
        ("I've seen both 24 and 25. Which is right?", ["I've seen both 24 and 25. Which is right?"]),
        ("How many were interviewed, and how?", ["How many were interviewed, and how?"]),
        ("what do the papers say about trust", []),
    ],
)
def test_separate_questions(message: str, questions: list[str]) -> None:
    assert separate_questions(message) == questions


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What did junior doctors and trainees say about shared leadership?", ["junior", "doctors", "and", "trainees"]),
        # the group, not the place or post that narrows it (which the papers may word otherwise: "managerial roles"
        # for "management posts")
        ("What did social workers in the ICSs say about it?", ["social", "workers"]),
        ("what do clinicians in management posts bring to the table?", ["clinicians"]),
        ("What did heads of service say?", ["heads", "of", "service"]),
        ("How did GPs describe their leadership role?", ["GPs"]),
        ("What do the papers say about nurses?", []),  # the papers speak; nurses are what they speak of
        ("What does Porter say about value?", ["Porter"]),
        # what a group did, as well as what it said
        (
            "what did the physiotherapists among the leaders contribute?",
            ["the", "physiotherapists"],
        ),
        ("How did the midwives experience STP governance?", ["the", "midwives"]),
        # a clause, not a group of people: "feed into" is what the programme does
        ("How does the programme feed into the report's evidence?", []),
        ("What are CIPs and why do managers feel pressured by them?", []),
        # nor is a span holding a subject and its modal ("claim they will")
        ("What does the closing summary of the practices claim they will achieve?", []),
        # a word that only begins like a pronoun is no pronoun ("it" in "Italian")
        ("What did Italian nurses say about shared leadership?", ["Italian", "nurses"]),
    ],
)
def test_speakers(question: str, who: list[str]) -> None:
    assert speakers(question) == who


@pytest.mark.parametrize(
    ("word", "who", "phrase"),
    [
        ("junior", "junior doctors and trainees", "junior doctors"),
        ("trainees", "junior doctors and trainees", "trainees"),
        ("workers", "social workers in the ICSs", "social workers"),
        ("dentists", "dentists", "dentists"),
        ("physiotherapists", "the physiotherapists among the leaders", "physiotherapists"),  # "among" leads nothing
    ],
)
def test_speaker_phrase(word: str, who: str, phrase: str) -> None:
    assert speaker_phrase(word, who.split()) == phrase


@pytest.mark.parametrize(
    ("question", "phrases"),
    [
        ("what doctors 'can do' isn't the same as what they 'will do' - the context?", ["can do", "will do"]),
        ("What does the King's Fund mean by ‘transactional costs’?", ["transactional costs"]),
        ('what\'s the "big breakfast"?', ["big breakfast"]),
        ("Is Aufegger's 'shared leadership' the King's Fund's 'collaborative leadership'?",
         ["shared leadership", "collaborative leadership"]),
        ("don't the papers' authors agree?", []),  # apostrophes quote nothing
    ],
)  # fmt: skip
def test_quoted_phrases(question: str, phrases: list[str]) -> None:
    assert quoted_phrases(question) == phrases


def test_a_sentence_quotes_a_phrase_as_words() -> None:
    phrases = ["can do", "will do"]
    assert quotes_any('what doctors "can do" is not the same as what they "will do"', phrases)
    assert quotes_any("what doctors can do matters", phrases)  # one of them
    assert not quotes_any("what the pecan doors will do", ["can do"])  # whole words
    assert not quotes_any("anything at all", [])
    assert not quotes_any("a hierarchical organisation", ["hierarchy"])  # another word of the same stem


@pytest.mark.parametrize(
    ("question", "scored"),
    [
        ("what recommendations does Aufegger make?", "what recommendations does Aufegger?"),
        ("What suggestions do the authors offer?", "What suggestions do the authors?"),
        ("what recommendations does make?", "what recommendations does?"),  # (its paper's name taken out)
        ("is it funded? which actions does the API provide", "is it funded? which actions does the API"),
        # the verb in its own sense, or not the one framing what is asked
        ("what makes shared leadership work?", "what makes shared leadership work?"),
        ("how do leaders make time for system work?", "how do leaders make time for system work?"),
        ("who did the survey reach?", "who did the survey reach?"),
        # a command opening a request, at its start or after another question
        ("list the limitations of the Malawi study", "the limitations of the Malawi study"),
        ("why is it so tricky? list the issues they raise", "why is it so tricky?  the issues they raise"),
        ("Walk me through the stages of a VESPA run.", "the stages of a VESPA run."),
        ("what does the waiting list say?", "what does the waiting list say?"),
        # asking for a comparison says how to answer ("... or to compare between clinical leaders ..." is no evidence)
        (
            "are they heard? compare ng's consultants with waring's leaders",
            "are they heard?  ng's consultants with waring's leaders",
        ),
        ("how do the papers compare on trust?", "how do the papers compare on trust?"),
        # a thing's part in another ("... clinical leaders can play a pivotal role ..." is no evidence on trust)
        ("What role does trust play in collaborative leadership?", "What does trust in collaborative leadership?"),
        ("what part do networks play in these papers?", "what do networks in these papers?"),
        ("what is the role of the ICB?", "what is the role of the ICB?"),
    ],
)
def test_the_words_framing_what_is_asked_are_not_scored(question: str, scored: str) -> None:
    assert without_framing(question) == scored


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What barriers to shared leadership did they find?", True),
        ("what gets in the way when an ICS tries to decide together?", True),
        ("what stops clinicians from taking on management roles?", True),
        ("what can go wrong when a trust rushes its savings?", True),
        ("why is it so hard to get organisations to lead together?", True),
        ("what makes it difficult to share power?", True),
        ("What do the papers say about trust?", False),
        ("How did the Waring team choose its sites?", False),
        ("what problems did the Malawi situational analysis find?", True),
        ("What were the main challenges leaders described?", True),
        ("What challenges do ICSs set out to meet?", False),  # (a challenge to meet, not one in the way)
        ("what challenges were the partnerships set up to address?", False),
    ],
)
def test_asks_obstacles(question: str, asks: bool) -> None:
    assert asks_obstacles(question) is asks


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        ("Lack of clarity around decision-making may lead to protectionism.", True),
        ("Deputies being sent along without the delegated authority to decide is another challenge.", True),
        ("A potential downside to a more inclusive decision-making process is the time it may take.", True),
        ("One ICS is developing a decision-making matrix to ensure greater transparency.", False),
    ],
)
def test_states_obstacle(sentence: str, states: bool) -> None:
    assert states_obstacle(sentence) is states


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("What four contributions did Waring and colleagues find clinical leaders making?", ("4", "contribut")),
        ("Which six areas of practice does the report ask leaders to work on?", ("6", "area")),
        ("list the three capabilities of systems leadership", ("3", "capabl")),
        ("What are the two different starting positions of the forearm?", ("2", "posit")),
        ("which 3 main themes did Ng find?", ("3", "theme")),
        ("What three data sources did the report draw on?", ("3", "sourc")),
        ("How were the three STPs chosen?", None),  # (names what it asks about by its number)
        ("What do the four papers say about trust?", None),  # (the papers themselves)
        ("what did each of the four studies ask about?", None),
        ("What are the practices of collaborative leadership?", None),
    ],
)
def test_asked_count(question: str, count: tuple[str, str] | None) -> None:
    assert asked_count(question) == count


@pytest.mark.parametrize(
    ("question", "sentence", "announces"),
    [
        ("what four contributions did they find?", "Leaders made four distinct contributions: (1) insight ...", True),
        ("what four themes emerged?", "Interviews revealed four emerging themes: (1) motivation ...", True),
        ("what five phases does VESPA have?", "VESPA has five major phases (Table 1), each made of functions.", True),
        ("what three dimensions?", "We evaluate on the three dimensions: fluency, correctness, citations.", True),
        ("what two steps does it take?", "Generation proceeds in 2 steps: decomposition and search.", True),
        # pointing back to a list set out elsewhere
        ("what four methods are compared?", "ReAct performs worst among four methods due to ...", False),
        ("what six practices matter?", "If the six leadership practices set out in this section are used ...", False),
        ("what five phases does VESPA have?", "The output of the first five phases is then used as input.", False),
        # another count, or the count of something else
        ("what four contributions did they find?", "Clinical leaders made three distinct contributions.", False),
        ("what four contributions did they find?", "Four clinical leaders were interviewed about their roles.", False),
    ],
)
def test_announces_count(question: str, sentence: str, announces: bool) -> None:
    count = asked_count(question)
    assert count is not None
    assert announces_count(sentence, count) is announces


@pytest.mark.parametrize(
    ("question", "one"),
    [
        ("ng's first recommendation is about teamwork - what ingredients does it list?", True),
        ("what does the third practice say about power?", True),
        ("What was the final theme?", True),
        ("What are the six practices?", False),
        ("What themes came first in the interviews?", False),
    ],
)
def test_asks_one_item(question: str, one: bool) -> None:
    assert asks_one_item(question) is one


@pytest.mark.parametrize(
    ("question", "asking"),
    [
        ("How long did the Waring interviews last?", {"long"}),
        ("how often did the board meet?", {"often"}),
        ("How do the papers differ on the role of clinicians?", {"differ"}),
        ("Compare what the papers say about language and translation.", {"compare"}),
        ("Do the papers agree that top-down leadership should give way?", {"agree"}),
        ("How do STPs differ from ICSs?", set()),  # (a sentence saying "unlike ..." answers it)
        ("How many people took part?", set()),
        ("What is a long-term plan?", set()),
    ],
)
def test_the_words_asking_for_a_measure_or_setting_the_papers_side_by_side(question: str, asking: set[str]) -> None:
    assert asking_words(question) == asking
