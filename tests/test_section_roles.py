"""Parts of a paper asked for by their role, and the headings papers give them."""

from __future__ import annotations

import pytest

from rag.section_roles import (
    DECLARED,
    RECEPTION,
    RECEPTION_PRINTED,
    VENUE_ASKED,
    about_its_authors,
    asked_roles,
    asks_authors,
    asks_figures,
    asks_layout,
    asks_of_authors,
    asks_only_summary,
    declares,
    heading_has_role,
    in_papers_words,
    names_role,
    says_where_sent,
    states_consent,
    states_funding,
    states_part,
    states_role,
)


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("What weaknesses do the authors admit in their evaluation?", ["limitations"]),
        ("Are there caveats to the findings?", ["limitations"]),
        ("Where could the work go next?", ["future work"]),
        ("What further research do the authors call for?", ["future work"]),
        ("What does the report conclude, and what are its limitations?", ["limitations", "conclusions"]),
        ("How many clinical leaders were interviewed?", ["participants"]),
        ("What limits the time clinicians have for leadership?", []),  # a topic, not a part of the paper
        ("What do the papers recommend?", ["recommendations"]),
        ("What exactly did the situational analysis set out to assess?", ["aims"]),
        ("what were the aims of Ng's study?", ["aims"]),
        ("What is the purpose of the ReAct paper?", ["aims"]),
        ("What were its research questions?", ["aims"]),
        # a goal the papers study, not the study's own
        ("Should a partnership aim for one collective identity?", []),
        ("What shared aims do the partners have?", []),
        ("What do the papers say about shared purpose?", []),
        ("how many people took part in the experiment and who were they?", ["participants"]),
        ("Who took part in the Waring study?", ["participants"]),
        ("Did any of the studies interview patients?", ["participants"]),
        ("Were patients involved in the King's Fund research?", ["participants"]),
        ("What did participants say about trust?", []),  # what they said, not who they were
        ("how did each of the studies choose who to talk to?", ["recruitment"]),
        ("How were the interviewees selected?", ["recruitment"]),
        ("What sampling strategy did Ng use?", ["recruitment"]),
        ("who did she pick, and how were they approached?", ["recruitment"]),
        ("Who did the research team select?", ["recruitment"]),
        ("Who did she pick as a mentor?", []),  # (no one a study chose)
        ("what do the authors admit about who they sampled?", []),  # (what is said of the sample)
        ("How did they identify themes?", []),
        ("What did the interview reveal?", []),
        ("Were clinicians involved in decision making?", []),
        ("How many NHS trusts are there?", []),
        # how a study gathered and analysed its evidence, not methods as a topic
        (
            "interviews only, or more than that? which of the studies combined interviews with other kinds of data",
            ["methods"],
        ),
        ("Who actually did the interviewing and coding in each of the four studies?", ["methods"]),
        ("Who really ran the interviews in the Ng study?", ["methods"]),
        ("what methods did the Waring team use?", ["methods"]),
        ("What methods did Ng use?", ["methods"]),  # (a surname for the team)
        ("what methods did Aufegger and colleagues use?", ["methods"]),
        ("Which methods did NHS England use to pick ICS chairs?", []),  # (an organisation, not a paper's authors)
        ("what was Ng's methodology?", ["methods"]),
        ("What research design did Aufegger use?", ["methods"]),
        ("What methods do leaders use to resolve conflict?", []),
        # how a study was done, in everyday words: designed, carried out, its way of gathering evidence
        ("How was Ng's study of clinicians and managers designed?", ["methods"]),
        ("how was the king's fund's research carried out?", ["methods"]),
        ("How did the Waring team's way of gathering evidence differ from the King's Fund's?", ["methods"]),
        ("how did aufegger and colleagues collect their data?", ["methods"]),
        ("How did Waring and colleagues analyse the data?", ["methods"]),
        ("how did ng code her interviews?", ["methods"]),
        ("What evidence is the King's Fund report based on?", ["methods"]),
        ("what data does the VESPA study draw on?", ["methods"]),
        # ... asked in the active voice, of a subject named any way, and of the study as a whole
        ("what methods did the king's fund use for its report?", ["methods"]),
        ("How did Webb and colleagues carry out their study?", ["methods"]),
        ("how did ng do her research?", ["methods"]),
        ("How did the Aufegger team collect and analyse their interview data?", ["methods"]),
        # ... and how to do it again
        ("If I wanted to replicate the Waring study, what would I need to do?", ["methods"]),
        ("how could I reproduce the ReAct experiments?", ["methods"]),
        ("how often should a partnership repeat its staff survey?", []),
        ("What did the trust do to reproduce its results elsewhere?", []),
        # ... and the parts a request for its design lists by their names
        (
            "can you sum up the aufegger paper's design? recruitment, sample, interviews and analysis",
            ["methods", "participants", "recruitment"],
        ),
        (
            "How was the study designed: its sample, data collection, analysis and limitations?",
            ["limitations", "methods", "participants"],
        ),
        ("what methods did the team use? leadership, trust and culture", ["methods"]),  # (no part of a paper)
        ("what do the papers say about recruitment, sample sizes and analysis?", []),  # (no design asked for)
        ("what methods do leaders use in their work?", []),
        ("how do leaders do their work?", []),
        ("how do leaders analyse data on performance?", []),
        ("how did the managers analyse the data on waiting times?", []),
        ("If I wanted to copy how Waring and colleagues analysed their data, what steps would I follow?", ["methods"]),
        ("I need to know how the team coded the interviews", ["methods"]),
        ("how the managers analysed the data on waiting times", []),
        ("what is the six practices model based on?", []),
        ("How was the integrated care system designed?", []),
        ("how do leaders gather support from partners?", []),
        ("What ways of gathering patients' views do the papers suggest?", []),
        ("what methods do the papers recommend for building trust?", ["recommendations"]),  # (not their methods)
        # where a paper concludes
        ("what do waring and colleagues say is the priority now, in their final paragraph?", ["conclusions"]),
        ("Summarise the closing section of the report", ["conclusions"]),
        ("What was the final decision of the partnership board?", []),
        # all a paper declares at its end
        ("what declarations sit at the bottom of the article?", DECLARED),
        ("list the statements at the end of Ng's article", DECLARED),
        ("Who funded it, and what disclosures are there?", DECLARED),
        ("What statements did the interviewees make about trust?", []),
        # the gap in what was known that a paper sets out to fill, not gaps as a topic
        ("what gap in the evidence is each of these papers trying to fill?", ["gap"]),
        ("What gap does the ALCE paper address?", ["gap"]),
        ("why was Ng's study needed?", ["gap"]),
        ("what did the report say was missing from the literature?", ["gap"]),
        ("What was unknown before the Waring study?", ["gap"]),
        ("is there a knowledge gap on shared leadership?", ["gap"]),
        ("what are the gaps between clinicians and managers?", []),
        ("how do ICSs close the gap in health outcomes?", []),
        ("which gaps in care did the ICS close?", []),
        # what a paper recommends for practice
        ("What practical recommendations does Ng make?", ["recommendations"]),
        ("what advice did the non-clinical managers give on finding common ground?", []),
        ("What are the implications for practice of the Aufegger study?", ["recommendations"]),
        ("What did the interviewees say about advisory boards?", []),
        # the themes a study found, not how it found them
        ("What themes came out of Ng's interviews?", ["themes"]),
        ("what were the main themes from the aufegger interviews?", ["themes"]),
        ("list the four themes Aufegger found", ["themes"]),
        # who a study heard from
        ("How does the Ng study differ from the Aufegger study in who it interviewed?", ["participants"]),
        ("who did they talk to?", ["participants"]),
        ("who did the king's fund team interview?", ["participants"]),
        ("who do leaders talk to when things go wrong?", []),
        # where a study was done, not where a paper came out or where something fits
        ("Where did the Waring study take place?", ["setting"]),
        ("Where were the studies done?", ["setting"]),
        ("Which places were the studies carried out in?", ["setting"]),
        ("In which country was the study conducted?", ["setting"]),
        ("Where did Ng do her research?", ["setting"]),
        ("Where were the interviews held?", ["setting"]),
        ("What was the study setting?", ["setting"]),
        ("How did Waring and colleagues select their sites and participants?", ["recruitment", "setting"]),
        ("how were the hospitals chosen?", ["setting"]),
        ("Where was the Waring study published?", ["publication"]),
        ("where do health and wellbeing boards fit alongside the integrated care partnerships?", []),
        ("In what settings should shared leadership be used?", []),
        # a question asking what something means names a part on the way, not as what it asks for
        ("ng's recommendations section ends on 'shared leadership' - what does she take that to mean?", []),
        ("How were the themes identified?", []),
        ("when ng sorted her interviews into themes, did she lose sight of each person's account?", []),
    ],
)
def test_asked_roles(question: str, roles: list[str]) -> None:
    assert asked_roles(question) == roles


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("i want to reuse a diagram - which figures do these papers have, and what do they show?", True),
        ("which diagrams in the King's Fund report could I put on a slide?", True),
        ("list the tables in the Aufegger paper", True),
        ("Does the Waring paper include any figures?", True),
        ("how many tables are there in Waring?", True),
        ("what does table 2 show?", False),  # what one of them shows
        ("what figures does Ng give for engagement?", False),  # a paper's numbers
        ("Which figures did the survey report?", False),
        ("What do the papers say about tables of data?", False),
    ],
)
def test_asks_figures(question: str, asked: bool) -> None:
    assert asks_figures(question) is asked


@pytest.mark.parametrize(
    ("heading", "roles", "has"),
    [
        ("Strengths And Limitations", ["limitations"], True),
        ("Limitation", ["limitations"], True),
        ("5. Conclusions and future directions", ["future work"], True),
        ("5. Conclusions and future directions", ["conclusions"], True),
        ("In conclusion", ["conclusions"], True),
        ("6 CONCLUSION", ["conclusions"], True),
        ("Data processing and analysis", ["limitations", "conclusions"], False),
        ("Recommendations to train and improve SL in the ICS", ["limitations"], False),
        ("Aim", ["aims"], True),
        ("Aims and objectives", ["aims"], True),
        ("Practice 3: developing a shared purpose and shared group identity", ["aims"], False),
        ("Participants", ["participants"], True),
        ("2.1 Study participants", ["participants"], True),
        ("Recruitment and sample", ["participants"], True),
        ("Participant quotes", ["participants"], False),
        ("Recommendations to train and improve SL in the ICS", ["recommendations"], True),
        ("Implications for practice and research", ["recommendations"], True),
        # a table's caption heads its rows as a section's heading does (rag.evidence.OutlineEvidence.captions)
        ("Table 2. Practical implications and recommendations from the study", ["recommendations"], True),
        ("Practice 2: building healthy relationships", ["recommendations"], False),
        # a report's part looking ahead says what should happen next: its recommendations, not future research
        ("Where next?", ["recommendations"], True),
        ("4 Where next?", ["recommendations"], True),
        ("The way forward", ["recommendations"], True),
        ("5.2 Looking ahead", ["recommendations"], True),
        ("Where next?", ["future work"], False),
        ("Somewhere next to the hospital", ["recommendations", "future work"], False),
        # where a study was done
        ("Setting", ["setting"], True),
        ("2.2 Study area", ["setting"], True),
        ("Setting and participants", ["setting", "participants"], True),
        ("Areas for improvement", ["setting"], False),
        ("Next generation sequencing", ["recommendations", "future work"], False),
    ],
)
def test_heading_has_role(heading: str, roles: list[str], has: bool) -> None:
    assert heading_has_role(heading, roles) is has


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("Who paid for the study?", ["funding"]),
        ("Who sponsored the ReAct research?", ["funding"]),
        ("Was Ng's research funded, and did it go before an ethics committee?", ["funding", "ethics"]),
        ("What grant supported the work?", ["funding"]),
        ("Did the authors declare any conflicts of interest?", ["competing interests"]),
        ("Where can I get the code?", ["availability"]),
        ("What were the main results of the De Marchis study?", ["summary"]),  # (as "main findings" are)
        ("Is the dataset publicly available?", ["availability"]),
        # funding as a topic, a publisher called a Fund, pay as a topic, data as a topic: no part of the paper
        ("How is funding shared across the partners of an ICS?", []),
        ("Who wrote the King's Fund report?", []),
        ("who does the king's fund cite for that idea?", []),  # typed in lower case, still a name
        ("How much are clinical leaders paid for their time?", []),
        ("What data did they collect at each site?", []),
        ("What codes emerged from the interviews?", []),
        # where the authors work
        ("Where is Sze May Ng based?", ["affiliation"]),
        ("Where do Dinu and Baroni work?", ["affiliation"]),
        ("What are the authors' affiliations?", ["affiliation"]),
        ("Where was the study based?", ["setting"]),  # its setting, not its authors' institutions
        ("Where do ICSs work best?", []),
        ("Which institutions took part in the partnership?", []),
        ("Which university are Waring's co-authors based at?", ["affiliation"]),
        ("What institution is Aufegger from?", ["affiliation"]),
        ("Where are the authors of the STP paper based?", ["affiliation"]),
        ("where are the king's fund report's authors based?", ["affiliation"]),
        ("Which institutions were involved at the start?", []),
        # the terms a paper is indexed under
        ("What keywords is Ng's paper filed under?", ["keywords"]),
        ("Which key words does the VESPA paper give?", ["keywords"]),
        ("What are its index terms?", ["keywords"]),
        ("What are the key themes?", ["themes"]),  # (not its keywords)
        ("What keywords did Ng use in her literature search?", []),  # the search's, not the paper's
        # how to cite it: its DOI, volume, pages, its reference
        ("What is the DOI of Aufegger's paper?", ["publication"]),
        ("How should I cite the King's Fund report?", ["publication"]),
        ("Which volume and issue was it in?", ["publication"]),
        ("What issues did leaders raise?", []),
        # what a paper says in brief
        ("What is the main message of the King's Fund report?", ["summary"]),
        ("What is the Aufegger paper about?", ["summary"]),
        ("Give me the gist of it", ["summary"]),
        ("What is shared leadership about?", []),  # a topic, not a paper
    ],
)
def test_asked_back_matter_roles(question: str, roles: list[str]) -> None:
    assert asked_roles(question) == roles


@pytest.mark.parametrize(
    ("sentence", "roles", "states"),
    [
        ("The research was supported by Science Foundation Ireland grant EOB2673.", ["funding"], True),
        ("We thank the NIHR for its support of this research.", ["funding"], True),
        ("KAAD provided financial and technical support for the work.", ["funding"], True),
        ("The authors declare that they have no competing interests.", ["competing interests"], True),
        ("The study was approved by the National Health Science Research Committee.", ["ethics"], True),
        ("Our code and data are available at https://example.org/code.", ["availability"], True),
        ("GitHub: https://github.com/example/tool.", ["availability"], True),
        ("All that is required is that the protein coding sequences are available.", ["availability"], False),
        ("Project site with code: https://react-lm.github.io.", ["availability"], True),
        # a licence's address and the availability of something other than data or code state no availability
        (
            "This is an Open Access article distributed under the terms of the Creative Commons Attribution License "
            "(http://creativecommons.org/licenses/by/2.0).",
            ["availability"],
            False,
        ),
        ("- Availability of some logistics like the computer for e-learning", ["availability"], False),
        ("Availability of data and materials: the transcripts are not shared.", ["availability"], True),
        # the authors approving their text is no ethics approval
        ("All authors have read and approved the manuscript.", ["ethics"], False),
        (
            "All authors were involved in the conception and design of the study and have all approved the final "
            "version of the manuscript to be published.",
            ["ethics"],
            False,
        ),
        ("The study proposal was reviewed and approved by the research committee.", ["ethics"], True),
        ("Leaders supported each other through the pandemic.", ["funding"], False),
        # supported by a body or its money is funding; by a method or by people, not
        ("This study was supported by the German Federal Ministry for Education and Research.", ["funding"], True),
        ("This work was supported in part by a grant from the NIHR.", ["funding"], True),
        ("The correct positioning was supported by palpation during targeted movements.", ["funding"], False),
        ("Clinical leads were supported by their managers.", ["funding"], False),
        ("The authors declare that they have no competing interests.", ["funding"], False),
        ("The study was approved by the committee.", ["limitations"], False),  # a role no sentence states
        ("Keywords value-based health, health care, clinical management", ["keywords"], True),
        # where a preprint was sent, as its first page prints it; not a protocol sent to a committee
        ("Submitted to Physical Review Letters", ["publication"], True),
        ("The protocol was submitted to the Research Ethics Committee.", ["publication"], False),
        ("Key words and phrases.", ["keywords"], True),
        ("A search used keywords such as 'Value' and 'clinicians'.", ["keywords"], False),  # keywords of a search
    ],
)
def test_a_sentence_stating_a_back_matter_part(sentence: str, roles: list[str], states: bool) -> None:
    assert states_role(sentence, roles) is states


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("This work was supported in part by the National Science Foundation under Grant No. 2107048.", True),
        ("The funder had no role in study design, data collection and analysis, decision to publish.", True),
        ("The views expressed are those of the author(s) and not necessarily those of the NIHR.", True),
        (
            "Any opinions, findings, and conclusions or recommendations expressed in this material are those of the "
            "author(s) and do not necessarily reflect the views of the National Science Foundation.",
            True,
        ),
        # what the authors did, a body sentence on money or pay, a competing-interests statement: not who paid
        ("All authors were involved in the conception and design of the study.", False),
        ("No monetary or other forms of compensation were given to respondents.", False),
        ("Much attention needs to be paid to the documentation of diagnosis at discharge.", False),
        ("The authors declare that they have no competing interests.", False),
        ("Managers' views were sought on the new role.", False),
    ],
)
def test_a_sentence_saying_who_paid_for_the_work_or_what_the_funder_did_not_do(sentence: str, says: bool) -> None:
    assert states_funding(sentence) is says


def test_back_matter_headings() -> None:
    assert heading_has_role("ACKNOWLEDGMENTS", ["funding"])
    assert heading_has_role("Declaration of conflicting interests", ["competing interests"])
    assert heading_has_role("Data Availability", ["availability"])
    assert not heading_has_role("Findings", ["funding", "ethics", "availability", "competing interests"])


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("When was the Malawi paper published?", True),
        ("Where and when did the phrase generation paper appear?", True),
        ("Which journal is it in?", True),
        ("When did the clinical leaders meet?", False),
        ("When did the ATLAS and CMS combination come out with its mass?", False),
        ("When did it come out?", True),
        ("Where were the interviews held?", False),
    ],
)
def test_asked_publication(question: str, asked: bool) -> None:
    assert ("publication" in asked_roles(question)) is asked


@pytest.mark.parametrize(
    ("line", "states"),
    [
        ("Received: 4 September 2013 Accepted: 27 December 2013 Published: 2 January 2014", True),
        ("Proceedings of the 52nd Annual Meeting of the ACL, pages 624–633, Baltimore, June 23-25 2014.", True),
        ("Date: March 28, 2015.", True),
        ("arXiv:2210.03629v2 [cs.CL] 27 Nov 2022", True),
        ("The study was published in the trust's newsletter.", False),
    ],
)
def test_a_line_of_record_states_the_publication(line: str, states: bool) -> None:
    assert states_role(line, ["publication"]) is states


@pytest.mark.parametrize(
    ("question", "line", "states"),
    [
        ("what's the charity registration number?", "Charity registration number: 1126980", True),
        ("What is the trial registration number?", "Trial registration: ISRCTN12345678", True),
        ("What is the ethics approval reference number?", "Ethics approval reference: 18/NW/0123", True),
        ("what's the charity registration number?", "The charity was registered in 2009.", False),
    ],
)
def test_a_registration_number_is_stated_by_a_line_of_record(question: str, line: str, states: bool) -> None:
    assert "registration" in asked_roles(question)
    assert states_role(line, ["registration"]) is states


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who are the authors of the ReAct paper?", True),
        ("Name the authors and say when it came out.", True),
        ("What are the authors' affiliations?", True),
        ("Who were its authors?", True),
        # the authors doing something in the paper: what they did is asked, not who they are
        ("What weaknesses do the ALCE authors admit in their own evaluation?", False),
        ("What do the authors of the Malawi study recommend?", False),
        ("Which method did the authors use to code the data?", False),
        ("How did the authors recruit participants?", False),
        # ... or what they say: the authors speak for the paper
        ("What are the limitations of ReAct according to its authors?", False),
        ("according to the study's authors, what held the project back?", False),
        ("What is the authors' own assessment of the study's weaknesses?", False),
        ("What are the authors' names?", True),
    ],
)
def test_asks_authors(question: str, asks: bool) -> None:
    assert asks_authors(question) is asks


@pytest.mark.parametrize(
    ("section", "kind", "about"),
    [
        ("About The Authors", "back", True),
        ("About the author", "body", True),  # (however cleaning placed it)
        ("Biographies", "back", True),
        ("Notes on contributors", "back", True),
        ("Author details", "back", True),
        ("Author details", "body", False),  # (a section of the study headed so is its subject)
        ("Authors' contributions", "back", False),  # (who did what: a declaration, not who they are)
        ("Practice 2: building healthy relationships", "body", False),
    ],
)
def test_about_its_authors(section: str, kind: str, about: bool) -> None:
    assert about_its_authors(section, kind) is about


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what did the two king's fund authors do before - any business background?", True),
        ("What has Nicola Walsh worked on before?", True),
        ("what has  nicola walsh worked on?", True),
        ("What does Walsh say about the voluntary sector?", False),  # (the paper, by its author's name)
        ("What role does the voluntary sector play according to the papers?", False),
        ("where are people in their careers when they take on leadership?", False),
    ],
)
def test_asks_of_authors(question: str, asks: bool) -> None:
    assert asks_of_authors(question, ["Nicola Walsh", "Stephanie de Sarandy"]) is asks


def test_a_name_of_one_word_is_not_looked_for_inside_other_words() -> None:
    assert asks_of_authors("what is the thing about trust?", ["Ng"]) is False
    assert asks_of_authors("has sze may ng written on it before?", ["Sze May Ng"]) is True


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("How often has Ng's article been cited by others?", True),
        ("Has it been widely cited?", True),
        ("what's its Altmetric score?", True),
        ("What is the journal's impact factor?", True),
        ("Is Ng cited in the King's Fund report?", False),  # whom a paper cites
        ("what work is cited for this claim?", False),
        ("which papers are most often cited in the report?", False),
        ("Was the Waring paper cited by the King's Fund?", False),
    ],
)
def test_asks_how_a_paper_was_received(question: str, asked: bool) -> None:
    assert bool(RECEPTION.search(question)) is asked


@pytest.mark.parametrize(
    ("text", "printed"),
    [("Cited by 25", True), ("Altmetric score: 12", True), ("Statistics from Altmetric.com", False)],
)
def test_a_paper_prints_how_it_was_received_with_a_number(text: str, printed: bool) -> None:
    assert bool(RECEPTION_PRINTED.search(text)) is printed


@pytest.mark.parametrize(
    ("question", "layout"),
    [
        ("how's the King's Fund report laid out? what chapters does it have", True),
        ("How is the paper structured?", True),
        ("What sections does the Ng paper have?", True),
        ("what are the main parts of the report?", True),
        ("What headings does the Waring study use?", True),
        ("what parts of the NHS were studied?", False),
        ("How is shared leadership organised in German hospitals?", False),
        ("What governance structures did the STPs have?", False),
        ("What does the results section say about trust?", False),  # what a section says, not the layout
        ("What is in chapter 3 of the report?", False),
        ("What does the heading 'Where next?' cover?", False),
    ],
)
def test_asks_layout(question: str, layout: bool) -> None:
    assert asks_layout(question) is layout


@pytest.mark.parametrize(
    ("sentence", "declared"),
    [
        ("The author(s) declared no potential conflicts of interest with respect to this article.", True),
        ("The author(s) received no financial support for the research, authorship, and/or publication.", True),
        ("All authors have read and approved the manuscript.", True),
        ("The manuscript was written by LA with contributions from all authors.", True),
        ("The views expressed are those of the author(s) and not necessarily those of the NHS.", True),
        ("The data are not available for third entities due to ethical regulations.", True),
        ("Conflict between partners was surfaced early and managed openly.", False),
        ("Further research into what influences engagement is needed.", False),
    ],
)
def test_declares(sentence: str, declared: bool) -> None:
    assert declares(sentence) is declared


@pytest.mark.parametrize(
    ("sentence", "consent"),
    [
        ("Written consent was obtained prior to interviews.", True),
        ("All participants gave verbal and written consent for the recorded interviews.", True),
        ("The project was approved and reviewed by the research and ethics committee.", True),
        ("No ethical issues arose from the interviews conducted.", True),
        ("Ethical approval was granted by the university.", True),
        # ethics as a subject, and agreement that is no consent
        ("There is an imbalance between the deontology or ethics of duty of the doctor-patient relationship.", False),
        ("Partners agreed a shared purpose before committing resources.", False),
    ],
)
def test_states_consent(sentence: str, consent: bool) -> None:
    assert states_consent(sentence) is consent


@pytest.mark.parametrize(
    ("sentence", "roles", "named"),
    [
        ("From a research perspective, future studies should address SL in wider teams.", ["future work"], True),
        ("Further research into what influences engagement is needed.", ["future work"], True),
        ("A limitation of this study is its small sample.", ["limitations"], True),
        ("A limitation of this study is its small sample.", ["future work"], False),
        ("Clinical leaders brought insight into decision-making.", ["limitations", "future work"], False),
        ("The specific objectives were to assess 1. the organization of patient flow", ["aims"], True),
        ("The aim of this qualitative study was to understand current attitudes.", ["aims"], True),
        ("In this paper, we introduce a more direct approach to phrase generation.", ["aims"], True),
        ("This study set out to understand the current culture of collaboration.", ["aims"], True),
        ("One of the primary goals of VESPA is to simplify comparative genomic procedures.", ["aims"], True),
        # a goal someone has, not the paper's
        ("Organisations should aim to foster an open, honest, and transparent approach.", ["aims"], False),
        ("Clinicians and managers shared the same aims to improve value in health care.", ["aims"], False),
        ("Eight young healthy subjects (27.4 ± 2.6 years old) participated in the study.", ["participants"], True),
        ("All 25 clinical leaders participated in semi-structured interviews.", ["participants"], True),
        (
            "The sample consisted of four hospital consultants, four senior managers and 4 board executives.",
            ["participants"],
            True,
        ),
        ("Participants felt that trust between managers and clinicians was low.", ["participants"], False),
        ("We also carried out in-depth interviews with 15 senior leaders drawn from ICBs.", ["participants"], True),
        # how the people heard from were chosen
        ("Participants were recruited as part of purposive sampling, via the ICS office.", ["recruitment"], True),
        ("Study participants were recruited on the basis of their role in STP governance.", ["recruitment"], True),
        ("For the in-depth interviews, 20 stakeholders were purposively sampled.", ["recruitment"], True),
        ("Inclusion criteria were that participants had five years in post.", ["recruitment"], True),
        ("We randomly sample 100 examples from ASQA and ELI5.", ["recruitment"], False),  # examples, not people
        ("Second-order codes were identified based on the initial coding.", ["recruitment"], False),
        # how the evidence was gathered and analysed
        ("Audio-recorded, semistructured interviews were conducted that addressed four areas.", ["methods"], True),
        ("Non-participant observations were carried out with executive meetings.", ["methods"], True),
        ("We have combined three data sources to produce the report:", ["methods"], True),
        ("Systematic coding was undertaken by (Waring and Roe) which involved line-by-line review.", ["methods"], True),
        ("Initially, we conducted a rapid review of the published literature.", ["methods"], True),
        ("Leaders should conduct regular reviews of how power is shared.", ["methods"], False),
        ("Frequent personal contact is critical in building trust.", ["methods"], False),
        # the gap a paper fills, as papers state it
        ("Little, however, is known about the benefits of SL in healthcare management.", ["gap"], True),
        ("However, the contribution of clinical leaders remains unclear, especially as ...", ["gap"], True),
        ("There appears to be minimal research that enquires into the leadership impact on value.", ["gap"], True),
        ("Far less has been published about the behaviours, skills and leadership practices needed.", ["gap"], True),
        ("Lastly, virtually no evidence exists on the sustainability of shifts towards SL.", ["gap"], True),
        ("There remains a pressing need for research into how effective leadership can influence ...", ["gap"], True),
        (
            "From a more theoretical point of view, our work fills an important gap in distributional semantics.",
            ["gap"],
            True,
        ),
        ("To the best of our knowledge, we are the first to implement end-to-end systems.", ["gap"], True),
        ("There is little evidence of this in the interviews.", ["gap"], False),  # a finding, not a gap
        ("Their exact numbers were not known and varied frequently.", ["gap"], False),
        ("Bridging the gap between clinical care and managing the wider healthcare system.", ["gap"], False),
        # where the work could go next, as papers say it
        ("Another interesting direction is finding a way to pick one seed from a set of nodes.", ["future work"], True),
        (
            "It might be interesting to study the case of dtd >= 4 theoretically and experimentally.",
            ["future work"],
            True,
        ),
        (
            "From the proposed measures, one may improve other centrality measures in a similar way.",
            ["future work"],
            True,
        ),
        ("We leave the exploration of more sophisticated retrievers to future work.", ["future work"], True),
        ("One of them may improve the spread of influence in large networks.", ["future work"], False),
        ("It was interesting to see how the leaders responded.", ["future work"], False),
        # where a study was done, as papers state it; not when
        (
            "The study was undertaken in the English NHS between 2018 and 2021, focusing on three STPs.",
            ["setting"],
            True,
        ),
        ("In total, 25 clinical leaders were recruited from across the three partnerships.", ["setting"], True),
        ("The Medical Department of Kamuzu Central Hospital, where this study was carried out, ...", ["setting"], True),
        ("Twenty leaders in 15 organisations were interviewed about shared leadership.", ["setting"], True),
        ("Following a desk review of all 44 STPs, three sites were selected on the basis of ...", ["setting"], True),
        ("Data collection was carried out in June 2010.", ["setting"], False),
        ("The interviews were conducted during the winter of 2022/23.", ["setting"], False),
        ("Leaders in many organisations work across boundaries.", ["setting"], False),
        # what a paper concludes, as papers state it where no heading says so
        (
            "The study also showed that the more successful organisations were able to deliver a shift in culture.",
            ["conclusions"],
            True,
        ),
        ("In conclusion, collaborative leadership is hard but worth it.", ["conclusions"], True),
        ("Previous studies have shown that engagement matters.", ["conclusions"], False),
        # a recommendation, as papers state one; not a pointer to where they are
        (
            "The authors also recommend health and care leaders extend the practise of collaborative leadership.",
            ["recommendations"],
            True,
        ),
        (
            "Recommendations include but are not limited to: ►► Introducing and training of SL competencies.",
            ["recommendations"],
            True,
        ),
        (
            "Key recommendations from this study on what will be required ... are shown on Table 2.",
            ["recommendations"],
            False,
        ),
        (
            "There remains a need for research ... in order to make recommendations to improve their engagement.",
            ["recommendations"],
            False,
        ),
    ],
)
def test_names_role(sentence: str, roles: list[str], named: bool) -> None:
    assert names_role(sentence, roles) is named


@pytest.mark.parametrize(
    ("question", "only"),
    [
        ("What is the paper about?", True),
        ("whats the main message of the report", True),
        ("What are the key findings on trust?", False),  # asks about trust
    ],
)
def test_asks_only_summary(question: str, only: bool) -> None:
    assert asks_only_summary(question) is only


def test_an_idiom_for_a_studys_aims_is_searched_in_the_papers_words() -> None:
    assert (
        in_papers_words("What did Waring and colleagues set out to do?")
        == "What did Waring and colleagues aimed to do?"
    )
    assert (
        in_papers_words("What do the papers say about shared purpose?")
        == "What do the papers say about shared purpose?"
    )


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Which journal was the Aufegger paper in?", True),
        ("who published the Walsh report?", True),
        ("which organisation published the collaborative leadership report?", True),
        ("published by whom?", True),
        ("when was it published?", False),
        ("what has been published on shared leadership?", False),
    ],
)
def test_venue_asked(question: str, asked: bool) -> None:
    assert bool(VENUE_ASKED.search(question)) is asked


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("Submitted to Physical Review Letters", True),
        ("To appear in Proceedings of ACL 2024", True),
        # a body sentence citing where another work came out says nothing of where this one went
        ("Their results appeared in the Proceedings of the 52nd Annual Meeting of the ACL in 2014.", False),
        ("The method of Smith et al. (doi: 10.1000/xyz123) is used here.", False),
        ("The protocol was submitted to the Research Ethics Committee.", False),
    ],
)
def test_a_line_of_record_in_the_body_saying_where_the_paper_was_sent(text: str, sent: bool) -> None:
    assert says_where_sent(text) is sent


def test_a_sentence_saying_where_the_paper_sets_a_part_out_does_not_state_it() -> None:
    roadmap = (
        "In Section 4, we compare our methods with other measures, and in the last section, we summarize the main "
        "conclusions and suggest possible future directions."
    )
    assert names_role(roadmap, ["future work"]) and not states_part(roadmap, ["future work"])
    assert states_part("Another interesting direction is finding a way to pick one seed.", ["future work"])
    assert not states_part(
        "The rest of this paper is organized as follows: future work is in Section 6.", ["future work"]
    )
