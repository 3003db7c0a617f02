"""Crafted, labelled support cases from real corpus sentences, and the support judge's agreement with them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rag.support import Similarity, check_support

log = logging.getLogger(__name__)

# Passages are exact excerpts of the corpus files in /work/shared/corpus (line breaks and hyphens kept).
WARING_ABSTRACT = (
    "between 2018 and 2019 with 24 clinical leaders, \nand a further 47 non- clinical leaders, "
    "involved in the \ngovernance of three Sustainability and Transformation \nPartnership in the "
    "English National Health Service.\nResults Clinical leaders were found to make four \n"
    "distinct contributions: (1) making analytical insights \ninto integration strategies that "
    "ensured their relevance \nand quality to clinical communities; (2) representing the \nviews "
    "of clinicians in system decision- making thereby \nenhancing the legitimacy of change; (3) "
    "translation \nand communication activities to articulate integration \nstrategies in "
    "favourable ways and ensure clinical \nengagement; and (4) relational work in the form of \n"
    "brokering and building connections and mediating \nconflict between multiple stakeholders. "
    "These activities \nvaried across the levels of system governance and at \ndifferent stages "
    "in the processes of change.\nConclusions Clinical leaders can make a distinct \ncontribution "
    "to the governance and leadership of \nintegrated care systems based on their clinical "
    "expertise, \nmembership professional networks, reputation and \n"
)
WARING_ICS = (
    "delivery of integrated care services. In 2016, 44 \nSTPs were introduced across the English "
    "National \nHealth Service (NHS) to address well- documented \nproblems in primary care, "
    "prevention, early inter-\nvention, mental health, productivity and workforce \ndevelopment. "
    "The NHS Long Term Plan3 of 2019 \nproposed that STPs evolve to become independent \nICSs "
    "and, following the Health and Social Care Act \nof 2022, 42 ICSs were introduced across "
    "England to \nplan and coordinate integrated place- based care at \nthe regional, place- "
    "based and neighbourhood levels. \nICSs are described as an advanced version of STPs. \n"
    "Unlike STPs which were largely based on voluntary \n"
)
WARING_SITES = (
    "Recruitment and sample\nThe study was undertaken in the English NHS between 2018 \nand 2021, "
    "focusing on the governance of three STPs. Following \na desk review of all 44 STPs, three "
    "sites were selected on the \nbasis of differences in the number of healthcare and social "
    "care \norganisations and local demographics. The study investigated \n"
)
WARING_SAMPLE = (
    "ership role within the integrated care system at one of these \nthree levels. Study "
    "participants were recruited on the basis of \ntheir involvement in STP governance and "
    "identified by reviewing \npublic documentation and observing STP meetings. In total, 25 \n"
    "clinical leaders were recruited from across the three STPs (see \ntable 1), together with a "
    "further 47 non- clinical leaders involved \nin STP governance, such as Chairpersons, "
    "Managing Directors, \n"
)
WARING_INTERVIEWS = (
    "Data collection\nAll 25 clinical leaders participated in semi- structured interviews \nthat "
    "investigated the history and governance of each STP and \nthe role of clinical leaders "
    "within these arrangements. Interviews \nlasted on average 1 hour, and were recorded for "
    "transcription \nand analysis. Five clinical leaders participated in follow- up \n interviews "
    "to trace the changes in STP leadership, all within \n6 months of the initial interviews. All "
    "participants gave written \n"
)
WARING_ANALYSIS = (
    "Data analysis\nInterpretative data analysis was undertaken through deliber-\native "
    "discussion and recurrent validation by the authors. An \ninitial sample of transcriptions "
    "was reviewed by all authors to \nidentify relevant themes, which informed subsequent coding. "
    "\nSystematic coding was undertaken by (Waring and Roe) which \ninvolved line- by- line "
    "review of data to code sections of data. \nCodes were reviewed by all authors for their "
    "descriptive accu-\nracy, internal consistency and conceptual connections. Second- \n"
)
AUFEGGER_SAMPLE = (
    "Twenty participants were interviewed (age range: 35–50 \nyears); 10 with a clinical "
    "background, including 9 general practi-\ntioners and 1 nurse, and 10 with a non-clinical "
    "background. All \nof them worked in senior leadership positions in the ICS.\n"
)
AUFEGGER_MOTIVATION = (
    "leadership training, roles and responsibilities’.28 Findings from \nthis study suggested "
    "that both non-clinical and clinical managers \ndid not set leadership as a career goal, with "
    "clinical managers \nfeeling a sense of ‘discomfort’, reflected in an identity conflict \n"
    "triggered by a dual role responsibly of treating patients while \nalso managing care. "
    "Non-clinical managers’ decision to take on \na leadership role was reflected in a sense of "
    "duty towards team \nmembers and a dedication to the organisational goals within the \n"
    "context of the national mandate. In contrast to clinical managers, \n"
)
AUFEGGER_PAIRED = (
    "person, not just the role. This should be provided by means of \nhorizontal as well as "
    "vertical development alongside the applica-\ntion of innovative methods such as paired "
    "learning, role model-\nling and simulation training.55 Paired learning is a peer-learning \n"
    "tool that links together different professional groups to develop \na shared attitude and "
    "decision-making in order to create a \ncommon ground for values in their work domain. Paired "
    "learning \nprogrammes have been trialled in various organisations and have \nshown an "
    "increase in preparedness for working in partnership \n"
)
AUFEGGER_WEB_CONTEXT = (
    "In 2016, forty-four sustainability and transformation partnerships covering the whole of "
    "England were formed, including multispecialty community providers, such as primary and acute "
    "care systems, urgent and emergency care networks, and maternity services. These "
    "sustainability and transformation partnerships comprised National Health Service (NHS) "
    "trusts, local authorities and clinical commissioning groups. For each area in England, a "
    "multidisciplinary team was appointed to be responsible for the implementation of agreed "
    "population plans, which, in February 2018, became known as integrated care systems (ICS)."
)
AUFEGGER_WEB_ANALYSIS = (
    "The audio recordings were transcribed by an external company for an agreed fee. A "
    "qualitative approach using thematic analysis was used to interpret the results. Thematic "
    "analysis allows for identifying, analysing and reporting patterns or themes within data from "
    "an inductive, semantic, iterative approach."
)
NG_INTRO = (
    "The Kings Fund also reported that one of the main drivers for change is managerial culture "
    "and engagement of clinicians and managers within organisations.⁶ Non-engagement between "
    "managers and clinicians has been a long-standing barrier towards quality improvements.⁷ "
    "Veronesi et al. reported that NHS organisations with larger proportions of clinicians in the "
    "executive board or\n\nleadership roles were more likely to achieve higher quality of care "
    "ratings and better staff and patient satisfaction."
)
NG_PORTER = (
    "Porter states that the first essential principle in creating a high-value healthcare "
    "delivery system is to define value as the goal while not reducing cost. Improving value "
    "requires improving outcomes per unit of cost."
)
NG_METHODS = (
    "A qualitative research methodology of semi-structured in-depth interviewing was used. The "
    "sample consisted of four hospital consultants, four senior managers and 4 board executives "
    "from a diverse group."
)
NG_SITES = (
    "The participants were also chosen from sites based on the review of their organisation's "
    "performances and Care Quality Commission (CQC) ratings, such as NHS providers who were "
    "facing financial difficulties compared to those that were financially sustainable."
)
WALSH_ICS = (
    "ICSs are geographically based partnerships of varying sizes (covering populations of between "
    "500,000 and 3 million people), designed to bring together local government, the NHS and a "
    "range of other organisations to improve the health and care of people who live and work in "
    "their area."
)
WALSH_SAFE = (
    "We heard from interviewees that the ‘shame and blame environment’ that some NHS "
    "organisations are operating in means that some NHS leaders do not feel safe enough to fully "
    "participate in discussions. Half of our survey respondents stated they are working in a "
    "system where it is not safe enough to voice a different perspective"
)
WALSH_POWER = (
    "However, power-sharing is difficult and cannot be taken for granted. More than 50 per cent "
    "of our survey respondents felt that power was not being well shared across organisations in "
    "their local health and care system."
)
WALSH_DEPUTIES = (
    "Deputies being sent along to meetings without the delegated authority to make a decision is "
    "another challenge that some collaborations at neighbourhood, place and system levels are "
    "facing. To counter these challenges, some ICSs have agreed a principle beforehand that "
    "delegated decision-making powers are given automatically to whoever attends the "
    "neighbourhood, place or system meeting so that decisions can be made in a timely manner."
)

AUFEGGER = ("Aufegger", "Alabi", "Darzi", "Bicknell")
WALSH = ("Walsh", "de Sarandy", "King's Fund")


@dataclass(frozen=True)
class JudgeCase:
    """One sentence, the passages it cites, and whether a careful reader would call it supported."""

    name: str
    kind: str  # verbatim | paraphrase | number | negation | wrong_paper | name | other_question
    expected: bool
    passages: tuple[str, ...]
    sentence: str
    allowed_names: tuple[str, ...] = ()


# One case per block, read as a table: name, kind, label, cited passages, sentence (, allowed names).
# fmt: off
CASES: tuple[JudgeCase, ...] = (
    JudgeCase("verbatim-across-line-breaks", "verbatim", True, (WARING_ABSTRACT,),
              "Clinical leaders were found to make four distinct contributions [1]."),
    JudgeCase("verbatim-with-negation", "verbatim", True, (WALSH_POWER,),
              "More than 50 per cent of our survey respondents felt that power was not being well shared "
              "across organisations in their local health and care system [1]."),
    JudgeCase("verbatim-hyphenated-pdf", "verbatim", True, (WARING_SITES, AUFEGGER_PAIRED),
              "Paired learning is a peer-learning tool that links together different professional groups "
              "[2]."),
    JudgeCase("paraphrase-digits-for-words", "paraphrase", True, (AUFEGGER_SAMPLE,),
              "20 participants were interviewed: 10 with a clinical background and 10 with a non-clinical"
              " background [1]."),
    JudgeCase("paraphrase-words-for-digits", "paraphrase", True, (AUFEGGER_WEB_CONTEXT,),
              "In 2016, 44 sustainability and transformation partnerships were formed covering the whole "
              "of England [1]."),
    JudgeCase("paraphrase-author-frame", "paraphrase", True, (AUFEGGER_WEB_ANALYSIS,),
              "Aufegger et al. (2020) found that the recordings were transcribed by an external company "
              "and interpreted with thematic analysis [1].", AUFEGGER),
    JudgeCase("paraphrase-report-frame", "paraphrase", True, (WALSH_SAFE,),
              "The King's Fund report notes that half of the survey respondents work in a system where it"
              " is not safe enough to voice a different perspective [1].", WALSH),
    JudgeCase("paraphrase-reordered-numbers", "paraphrase", True, (WARING_SAMPLE,),
              "The study recruited 25 clinical leaders from the three STPs and a further 47 non-clinical "
              "leaders [1]."),
    JudgeCase("paraphrase-negation-kept", "paraphrase", True, (AUFEGGER_MOTIVATION,),
              "Neither clinical nor non-clinical managers set leadership as a career goal [1]."),
    JudgeCase("paraphrase-two-passages", "paraphrase", True, (WARING_SAMPLE, WARING_INTERVIEWS),
              "The 25 clinical leaders were recruited from across the three STPs, and interviews lasted "
              "on average 1 hour [1, 2]."),
    JudgeCase("paraphrase-named-coders", "paraphrase", True, (WARING_ANALYSIS,),
              "Systematic coding was undertaken by Waring and Roe through a line-by-line review of the "
              "data [1]."),
    JudgeCase("paraphrase-drops-negated-clause", "paraphrase", True, (NG_PORTER,),
              "According to Porter, the first essential principle of a high-value healthcare delivery "
              "system is to define value as the goal [1]."),
    JudgeCase("number-changed", "number", False, (WARING_SAMPLE,),
              "The study recruited 34 clinical leaders from the three STPs and a further 47 non-clinical "
              "leaders [1]."),
    JudgeCase("number-changed-with-separator", "number", False, (WALSH_ICS,),
              "ICSs cover populations of between 250,000 and 3 million people [1]."),
    JudgeCase("number-word-changed", "number", False, (AUFEGGER_SAMPLE,),
              "Thirty participants were interviewed, 10 with a clinical background [1]."),
    JudgeCase("negation-added", "negation", False, (WARING_ABSTRACT,),
              "Clinical leaders were not found to make distinct contributions to the governance of "
              "integrated care systems [1]."),
    JudgeCase("negation-removed", "negation", False, (AUFEGGER_MOTIVATION,),
              "Both non-clinical and clinical managers set leadership as a career goal [1]."),
    JudgeCase("negation-contraction-added", "negation", False, (AUFEGGER_PAIRED,),
              "Paired learning programmes haven't shown an increase in preparedness for working in "
              "partnership [1]."),
    JudgeCase("wrong-paper-interviews", "wrong_paper", False, (NG_METHODS,),
              "Interviews lasted on average 1 hour and were recorded for transcription and analysis [1]."),
    JudgeCase("wrong-paper-deputies", "wrong_paper", False, (WARING_SITES,),
              "Delegated decision-making powers are given automatically to whoever attends the system "
              "meeting [1]."),
    JudgeCase("wrong-paper-author-frame", "wrong_paper", False, (WALSH_SAFE,),
              "Waring et al. (2023) found that half of the survey respondents work in a system where it "
              "is not safe enough to voice a different perspective [1].", WALSH),
    JudgeCase("name-swapped-subject", "name", False, (NG_PORTER,),
              "Veronesi states that the first essential principle in creating a high-value healthcare "
              "delivery system is to define value as the goal [1]."),
    JudgeCase("name-swapped-coder", "name", False, (WARING_ANALYSIS,),
              "Systematic coding was undertaken by Waring and Black through a line-by-line review of the "
              "data [1]."),
    JudgeCase("name-swapped-acronym", "name", False, (AUFEGGER_WEB_CONTEXT,),
              "In 2016, forty-four ICBs covering the whole of England were formed [1]."),
    JudgeCase("other-question-same-paper", "other_question", False, (NG_INTRO,),
              "Participants were chosen from sites based on their CQC ratings and financial performance "
              "[1]."),
    JudgeCase("other-question-same-report", "other_question", False, (WALSH_SAFE,),
              "Some ICSs agreed that delegated decision-making powers are given automatically to whoever "
              "attends [1]."),
    JudgeCase("other-question-answered-right-passage", "paraphrase", True, (NG_SITES,),
              "Participants were chosen from sites based on their CQC ratings, such as NHS providers "
              "facing financial difficulties compared to those that were financially sustainable [1]."),
)
# fmt: on


def judge_agreement(similarity: Similarity | None = None) -> tuple[float, list[dict[str, Any]]]:
    """Run the support judge over CASES: the share of verdicts matching their label, and one row per case."""
    rows: list[dict[str, Any]] = []
    for case in CASES:
        verdict = check_support(case.sentence, case.passages, similarity, case.allowed_names)
        rows.append(
            {
                "name": case.name,
                "kind": case.kind,
                "expected": case.expected,
                "supported": verdict.supported,
                "agree": verdict.supported == case.expected,
                "score": verdict.score,
                "reason": verdict.reason,
            }
        )
    agreement = sum(r["agree"] for r in rows) / len(rows)
    log.info("support judge agrees with %d of %d crafted cases", sum(r["agree"] for r in rows), len(rows))
    return agreement, rows
