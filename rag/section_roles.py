"""The parts of a paper a question can ask for by their role: its limitations, the future work it proposes, its
conclusions, the gap in what was known that it sets out to fill. Papers head these parts in a few standard ways
("Limitations", "Strengths and limitations", "Conclusions and future directions"), while questions name them in
everyday words ("what weaknesses do the authors admit?", "where could the work go next?"). A question naming a role
is searched with a preference for passages under a heading of that role. (Recommendations are not among them: "what
do the papers recommend" asks about a topic, whose advice is spread over every section; a preference for
"Recommendations" sections lost evidence for such questions.)

The back matter's statements are parts too: who funded the work, what the authors declare of competing interests,
who approved it on ethical grounds, where its code and data are. A paper prints each under a heading of its own
("Funding", "Acknowledgements") or in a footnote, in a few set phrasings ("supported by ... grant", "The authors
declare no competing interests"), while the question may use other words ("who paid for it", "who sponsored it"). For
these, a sentence stating the part (`states`) is evidence wherever it stands."""

from __future__ import annotations

import re
from collections.abc import Collection

from rag.definitions import asked_term
from rag.lexical import tokenize

# "who are the authors?", "the authors of ...", "its authors and year": a question asking who wrote a paper; not the
# authors doing something in the paper ("what weaknesses do the ALCE authors admit?", "what do the authors of the
# Malawi study recommend?")
AUTHORS = re.compile(r"\bauthors?\b", re.I)
_AUTHORS_ACT = re.compile(
    r"\bauthors?\s+(?!(?:of|and|or|are|were|is|was)\b)[a-z]"
    r"|\b(?:do|does|did|would|will|can|could)\s+(?:[\w'’-]+\s+){0,6}?authors?\b"
    # ... or speaking through them: "according to its authors", "the authors' own assessment" (not "the authors'
    # names" or "affiliations", which ask who they are)
    r"|\baccording to (?:the|its|their|these|those)\s+(?:[\w'’-]+\s+)?authors?\b"
    r"|\bauthors['’]\s+(?!(?:names?|affiliations?|institutions?|e-?mails?|contact|details|orcids?)\b)[a-z]",
    re.I,
)

# A question asking how to cite a paper, or for the details of its reference a title page may not print: its DOI,
# volume, issue or pages ("What is the DOI of Aufegger's paper?", "How should I cite the King's Fund report?")
DOI_ASKED = re.compile(r"\bdoi\b|\bdigital object identifier\b", re.I)
CITATION_DETAILS = re.compile(
    DOI_ASKED.pattern + r"|\b(?:which|what) (?:volume|issue)\b|\bvolume and issue\b"
    r"|\bpage (?:numbers?|range)\b|\bhow (?:do|should|can|would|could|to) (?:i |we |you |one )?(?:cite|reference)\b"
    r"|\b(?:full |complete )?(?:reference|citation) (?:for|of|to) (?:the|this|that|it|its|her|his|their)\b",
    re.I,
)

# how a paper was received after it came out: how often it is cited, its Altmetric score, impact factor or downloads
# ("has the Aufegger paper been cited much?"; not whom it cites, nor "the paper cited above")
RECEPTION = re.compile(
    r"\b(?:been|being|is|was|were|get|gets|got)\s+(?:(?:much|often|widely|highly|well|frequently)\s+)?cited\b"
    r"(?!\s+(?:above|below|earlier|in|for|on|as|to)\b)"
    r"|\bcitation (?:counts?|numbers?)\b|\btimes cited\b|\baltmetrics?\b|\bimpact factor\b|\bh-index\b",
    re.I,
)
# ... as a paper can print it ("Cited by 25", "Altmetric score: 12"), with its number
RECEPTION_PRINTED = re.compile(
    r"\b(?:cited by|citations?|altmetric(?: attention)? score|impact factor|downloads|views)\s*:?\s*\d", re.I
)

# a paper coming out ("when did it come out?"; not a finding, "what came out of the interviews?", "what mass did
# the combination come out with?")
CAME_OUT = r"(?:came|come|comes) out(?!\s+(?:of|with)\b)"
# ... or its being published ("when was it published?", "where did it appear?")
_CAME_OUT = rf"(?:published|publish|appear(?:s|ed)?|{CAME_OUT}|presented)"
# where a paper came out: its journal, conference or publisher
VENUE_ASKED = re.compile(
    r"\b(?:which|what|whose) (?:journal|conference|venue|proceedings|publisher|outlet)\b"
    rf"|\bwhere (?:was|is|did|were)\b[^?]{{0,60}}\b{_CAME_OUT}\b|\bpublished (?:in|by) which\b"
    # who put it out: "who published the Walsh report?", "which organisation published it?", "published by whom?"
    r"|\bwho (?:published|publishes|put out|puts out|issued|brought out)\b|\bpublished by (?:whom|who)\b"
    r"|\b(?:which|what) (?:organi[sz]ation|body|company|charity|think tank|institution)\b[^?]{0,20}?"
    r"\b(?:published|put out|issued|brought out)\b",
    re.I,
)
# when it came out: its year
PUBLISHED_WHEN = re.compile(
    rf"\bwhen\b[^?]{{0,60}}\b(?:{_CAME_OUT}|released|issued)\b|\bwhat year\b"
    r"|\bpublication (?:date|year)\b|\byear of publication\b",
    re.I,
)


def asks_citation_details(question: str) -> bool:
    """Does the question ask how to cite a paper, or for its DOI, volume, issue or pages?"""
    return bool(CITATION_DETAILS.search(question))


# people a study counts
PEOPLE = (
    r"(?:people|persons|participants|subjects|patients|individuals|volunteers|respondents|interviewees|adults|children"
    r"|women|men|staff|clinicians|managers|leaders|nurses|doctors|physicians|students|members|stakeholders)\b"
)
_NUMBER = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred)"
)

# a piece of research, as its own sentences and questions name it
_WORK = (
    r"(?:stud(?:y|ies)|papers?|reports?|research|analys[ie]s|reviews?|surveys?|projects?|work|evaluations?|articles?"
    r"|interviews?|experiments?|trials?)\b"
)

# ... named so that it is not also the work a person does ("how do leaders do their work?")
_RESEARCH = r"(?:stud(?:y|ies)|papers?|reports?|research|reviews?|surveys?|projects?|articles?|evaluations?)\b"

# what a study's setting is asked of, and how a study is said to have been done there ("where were the interviews
# held?", "which countries were the studies carried out in?")
_STUDY = (
    r"(?:stud(?:y|ies)|research|interviews?|fieldwork|data collection|projects?|trials?|surveys?|experiments?"
    r"|evaluations?|focus groups?|observations?)\b"
)
_DONE = (
    r"(?:conducted|carried out|done|based|set|run|undertaken|held|performed|located|situated|happen(?:ed|s)?"
    r"|took place|take place)\b"
)
# (not "settings", "areas" or "organisations", which questions ask of much else: "which settings and formats are
# leaders using to build relationships?", "which areas did the study focus on?")
_PLACE_ASKED = r"(?:country|countries|regions?|city|cities|towns?|places?|locations?|sites?|hospitals?|districts?)\b"
# where a study is said to have been done: "The study was undertaken in the English NHS ...", "leaders were recruited
# from across the three partnerships", "Kamuzu Central Hospital in Malawi, where this study was carried out"
_SITES = (
    r"(?:sites?|hospitals?|organi[sz]ations?|trusts?|districts?|regions?|countries|practices|clinics|cities|areas"
    r"|systems|partnerships|facilities|centres|centers|wards|units|provinces|counties|communities|villages|schools)\b"
)
_SOME = (
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|a number of|a range of"
    r"|different|diverse|various)"
)
# a time, not a place, after "in": "Data collection was carried out in June 2010."
_TIME_WORD = (
    r"(?:\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|spring|summer"
    r"|autumn|fall|winter|early|late|mid)\b"
)

# a gap in what is known, named as such ("research gap", "gaps in the literature"), as a question, a heading or a
# sentence names it
_GAP_NAMED = (
    r"\b(?:research|knowledge|evidence|literature) gaps?\b"
    r"|\bgaps? in (?:the |our |current |existing |previous )?(?:evidence|literature|knowledge|research|understanding"
    r"|studies)\b"
)

# where a preprint was sent, as a line closing its abstract may print it: "Submitted to Physical Review Letters"
_SENT_TO = re.compile(r"^\s*(?:Submitted to|Accepted for publication in|To appear in)\s+(?:the\s+)?[A-Z]")


def says_where_sent(text: str) -> bool:
    """Is the text a line of record printed in the body, saying where the paper was sent? (Other statements of
    publication stand in the front and back matter; in the body they are citations of other works.)"""
    return bool(_SENT_TO.match(text))


# how a report heads the part looking ahead, which says what should happen next ("Where next?", "The way forward",
# "Looking ahead"): its recommendations, not the research it calls for
_AHEAD_HEADING = r"|^[\W\d.]*(?:where|what) next\b|\bthe way forward\b|^[\W\d.]*looking (?:ahead|forward)\b"

# role: (how a question names it, how a paper heads it)
ROLES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "limitations": (
        re.compile(
            r"\b(limitations?|weakness(?:es)?|shortcomings?|drawbacks?|caveats?|flaws?|threats to validity)\b", re.I
        ),
        re.compile(r"\blimitations?\b|\bthreats to validity\b|\bweakness", re.I),
    ),
    "future work": (
        re.compile(
            r"\b(future (?:work|research|directions?|studies)|next steps?|go next|further (?:work|research|study|"
            r"studies)|open (?:questions|problems)|research agenda)\b",
            re.I,
        ),
        re.compile(r"\bfuture (?:work|research|directions?)\b|\bopen (?:questions|problems)\b|\bnext steps\b", re.I),
    ),
    # what a paper recommends for practice ("what practical recommendations does Ng make?"; not advice, which people
    # ask for and give: "what advice did aufegger's non-clinical managers give ...?"), headed "Recommendations to
    # train and improve SL in the ICS", "Implications for practice and research", or a table captioned "Practical
    # implications and recommendations from the study"
    "recommendations": (
        re.compile(
            r"\brecommend(?:s|ed|ations?)?\b|\b(?:practical|policy) implications\b"
            r"|\bimplications for (?:practice|policy|leaders|managers|organisations)\b",
            re.I,
        ),
        re.compile(
            r"\brecommendations?\b|\bimplications for (?:practice|policy)\b|\b(?:practical|policy) implications\b"
            r"|\bnext steps\b" + _AHEAD_HEADING,
            re.I,
        ),
    ),
    "conclusions": (
        # (and where a paper concludes: "what do they say in their final paragraph?", "the closing section")
        re.compile(
            r"\bconclu(?:de|des|ded|sion|sions)\b|\btake-?aways?\b"
            r"|\b(?:final|last|closing|concluding) (?:paragraphs?|sections?|words|remarks|thoughts|lines|part)\b",
            re.I,
        ),
        re.compile(r"\bconclu(?:sion|sions|ding)\b", re.I),
    ),
    # what the study set out to do, not a goal it studies ("shared aims across the system", "aim for")
    "aims": (
        re.compile(
            r"(?<!shared )(?<!common )(?<!collective )(?<!joint )(?<!organisational )(?<!organizational )"
            r"\b(?:aims?|objectives?)\b(?! (?:for|at)\b)|\b(?:set out|sought) to\b|\bresearch questions?\b"
            rf"|\b(?:purpose|goal)s? of (?:the|this|that|their|its|each|these|both) (?:[\w'’-]+ )?{_WORK}",
            re.I,
        ),
        re.compile(r"\baims?\b|\bobjectives?\b|\bresearch questions?\b|^\W*(?:study )?purpose\b", re.I),
    ),
    # who took part in the study, and how many (not what participants said: "What did participants say about ...?")
    "participants": (
        re.compile(
            # (the people a study counts, not those a health system serves: "How many people does an ICS cover?")
            rf"\bhow many (?:[\w-]+ ){{0,2}}?{PEOPLE}[^?.]{{0,40}}?\b(?:interview|recruit|survey|stud(?:y|ied)|sampl|"
            r"includ|participat|respond|enrol|took part|take part|taking part)"
            r"|\bsample size\b|\bwho (?:took|take|takes) part\b"
            # "Did Ng interview nurses?", "Were patients involved in the research?"
            rf"|\b(?:interview|recruit|sample|survey)(?:ed|s)? (?:any |the |some |only )?(?:[\w-]+ )?{PEOPLE}"
            rf"|\binvolved in (?:the|this|that|their|its|any|either|each) (?:[\w'’-]+ ){{0,3}}?{_WORK}"
            rf"|\b(?:took|take|taking) part in (?:the|this|that|their|its|each) (?:[\w'’-]+ ){{0,3}}?{_WORK}"
            r"|\bwho (?:was|were) (?:interviewed|surveyed|recruited|studied|included|the (?:participants|subjects))\b"
            # "how does the Ng study differ from the Aufegger study in who it interviewed?", "who did they talk to?"
            r"|\bwho (?:did |do |does )?(?:it|they|she|he|the (?:[\w'’-]+ ){0,3}?(?:team|authors?|researchers?"
            r"|study|studies|paper|report|survey)) (?:interview(?:ed|s)?|survey(?:ed|s)?|talk(?:ed|s)? to|spoke to"
            r"|speak to|heard from|hear from)\b",
            re.I,
        ),
        re.compile(
            r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:(?:study )?participants|subjects|(?:study )?sample|study population"
            r"|sampling|recruitment|(?:setting|participants) and (?:participants|setting|sample))\b",
            re.I,
        ),
    ),
    # how a study chose the people it heard from ("How were the interviewees selected?", "how did they choose who to
    # talk to?", "What sampling strategy did they use?")
    "recruitment": (
        re.compile(
            rf"\bhow (?:were|was|are|is) (?:the |its |their )?(?:[\w-]+ ){{0,2}}?{PEOPLE}[^?.]{{0,20}}?"
            r"\b(?:chosen|selected|recruited|sampled|identified|found|picked|approached|invited)\b"
            r"|\bhow (?:did|do|does)\b[^?.]{0,60}?\b(?:choose|select|recruit|sample|identify|find|pick|approach)\b"
            rf"[^?.]{{0,20}}?\b(?:{PEOPLE}|who\b)"
            r"|\b(?:choose|chose|chosen|decide|decided|select|selected|pick|picked) who to (?:talk|speak|interview|ask|"
            r"include|study|survey)\b"
            r"|\bsampling (?:strategy|method|approach|frame|technique|procedure)s?\b|\b(?:recruitment|sampling) of\b"
            r"|\bhow (?:were|was) (?:the )?(?:sample|participants?) (?:drawn|obtained|built)\b"
            # "who she picked", "who did the team choose?" (not what is said about them: "what do the authors admit
            # about who they sampled?")
            r"|(?<!about )\bwho (?:did )?(?:she|he|they|the (?:[\w-]+ )?(?:team|authors?|researchers?)) "
            r"(?:pick|picked|choose|chose|select|selected|recruit|recruited|sample|sampled)"
            r"(?= to (?:interview|talk|speak|study|include|survey|take part)\b|\s*(?:[,?.;]|$|and\b))",
            re.I,
        ),
        re.compile(r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:sampling|recruitment|participant recruitment)\b", re.I),
    ),
    # how a study gathered and analysed its evidence ("what methods did they use?", "how was the data collected?",
    # "which studies combined interviews with other kinds of data?", "who did the coding?"), not methods as a topic
    # ("what methods do leaders use to resolve conflict?")
    "methods": (
        re.compile(
            r"\bmethodolog(?:y|ies|ical)\b|\bmixed[- ]methods?\b"
            r"|\b(?:research|study|studies|their|its|data[- ]collection|analytic(?:al)?|analysis"
            r"|(?:paper|study|report|article|research)['’]s) (?:methods?|design)\b"
            rf"|\b(?:what|which) (?:research )?methods? (?:did|does|do) (?:the |each |both )?(?:[\w'’-]+ ){{0,2}}?"
            rf"(?:authors?|researchers?|they|team|it|{_WORK}) (?:use|employ|adopt|take|apply|follow|rely on|choose)\b"
            # "What methods did Ng use?", "what methods did Aufegger and colleagues use?" (a surname for the team)
            r"|\b(?:what|which) (?:research )?methods? (?:did|does|do) (?-i:[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
            r"(?: (?:and|&) (?:colleagues|co-?authors|co-?workers|others|team))? (?:use|employ|adopt|apply)\b"
            # "what methods did the king's fund use for its report?" (not "what methods do leaders use to ...?")
            r"|\b(?:what|which) (?:research )?methods? (?:did|does|do) (?:[\w'’-]+ ){1,4}?(?:use|employ|adopt|apply)"
            rf" (?:for|in) (?:the|this|that|their|its|her|his) (?:[\w'’-]+ )?{_RESEARCH}"
            # "How did Waring and colleagues carry out their study?", "how did ng do her research?"
            r"|\bhow (?:did|do|does) (?:[\w'’-]+ ){1,4}?(?:carry out|conduct|do|run|design|undertake|go about)"
            rf" (?:the|this|that|their|its|her|his) (?:[\w'’-]+ )?{_RESEARCH}"
            r"|\bhow (?:was|were) (?:the |their |its )?(?:data|evidence|information|interviews?|material)\b[^?.]{0,20}?"
            r"\b(?:collected|gathered|generated|analy[sz]ed|coded|obtained|conducted|recorded|transcribed)\b"
            # "How was Ng's study of clinicians and managers designed?", "how was the research carried out?"
            r"|\bhow (?:was|were) "
            rf"(?:(?:the|this|that|their|its|each|her|his) (?:[\w'’-]+ ){{0,2}}?|[\w-]+['’]s (?:[\w'’-]+ )?){_WORK}"
            rf"\b[^?.]{{0,50}}?\b(?:designed|conducted|carried out|done|run|undertaken|set up)\b"
            # "the Waring team's way of gathering evidence", "how did they collect their data?"
            r"|\b(?:ways? of |how (?:did|do|does) (?:[\w'’-]+ ){1,3}?)(?:gather|collect|generat|obtain)(?:ing|e|ed)? "
            r"(?:the |their |its |his |her )?(?:evidence|data|information)\b"
            r"|\b(?:kinds?|types?|sources?|forms?) of data\b|\bdata sources?\b"
            # "how did they analyse the data?", "how did Ng code her interviews?", and asked indirectly: "if I wanted to
            # copy how Waring and colleagues analysed their data, ..."
            r"|\bhow (?:(?:did|do|does) (?:[\w'’-]+ ){1,3}?(?:(?:collect|gather) and )?"
            r"(?:analy[sz]e|code|transcribe|interpret|process)"
            r"|(?:[\w'’-]+ ){1,3}?(?:(?:collected|gathered) and )?"
            r"(?:analy[sz]ed|coded|transcribed|interpreted|processed))"
            r" (?:the |their |its |his |her |all (?:the )?)"
            r"(?:interview |survey )?(?:data|evidence|interviews?|transcripts?|material|responses)\b"
            r"(?! (?:on|about|of|from)\b)"
            # "What evidence is the King's Fund report based on?", "what data does the study draw on?"
            r"|\b(?:what|which) (?:evidence|data|information|sources?|research)? ?(?:is|was|are|were|does|did|do) "
            rf"(?:the|this|that|their|its|each|her|his) (?:[\w'’-]+ ){{0,3}}?{_WORK}"
            r"\s*(?:(?:mainly|largely|mostly) )?(?:based on|built on|draws? on|rests? on|relies on|rely on)\b"
            # "if I wanted to repeat Ng's study, what would I copy?", "how could I replicate their research?"
            r"|\b(?:replicat|repeat|reproduc|redo|re-?run)(?:e|es|ed|ing|s)? "
            r"(?:the|this|that|their|its|her|his|[\w-]+['’]s) (?:[\w'’-]+ ){0,3}?"
            r"(?:stud(?:y|ies)|research|experiments?|paper|analys[ie]s)\b"
            r"|\bwho (?:\w+ly )?(?:did|conducted|carried out|ran|led|undertook) (?:the )?"
            r"(?:interview(?:s|ing)?|coding|analysis|fieldwork|data collection|observations?)\b",
            re.I,
        ),
        re.compile(
            r"\bmethods?\b|\bmethodolog|\bdata (?:collection|analysis|processing)\b"
            r"|^\W*(?:\d+(?:\.\d+)*\.?\s*)?"
            r"(?:interviews?|study design|research design|design|procedures?|analysis)\s*$",
            re.I,
        ),
    ),
    # what was not known before the work, that it sets out to fill: the gap a paper states to place itself ("what gap
    # in the evidence does it fill?", "why was the study needed?"; not gaps as a topic: "the gap between clinicians and
    # managers")
    "gap": (
        re.compile(
            rf"{_GAP_NAMED}"
            r"|\bgaps?\b[^?.]{0,60}?\b(?:fill|filled|filling|fills|plug|plugs|plugged)\b"
            r"|\b(?:fill|fills|filling|plug|plugs|plugging) (?:a|the|any|which|what) (?:[\w'’-]+ )?gaps?\b"
            r"|\b(?:what|which) (?:[\w'’-]+ )?gaps?\b(?! (?:in|between|among|across) )[^?.]{0,60}?"
            r"\b(?:address|addresses|addressed|tackle|tackles|tackled|close|closes|closed|target|targets|targeted)\b"
            r"|\bmissing (?:from|in) (?:the )?(?:literature|research|evidence)\b"
            r"|\b(?:little|not much|nothing|what) (?:was |is |had been |has been )?(?:known|unknown)\b"
            r"[^?.]{0,30}?\bbefore\b"
            r"|\bwhy (?:was|were|is|are) "
            rf"(?:(?:the|this|that|their|its|each|these|her|his) (?:[\w'’-]+ )?|[\w-]+['’]s ){_WORK}"
            r" (?:needed|necessary|important|worth doing|justified)\b",
            re.I,
        ),
        re.compile(rf"\bwhat is (?:already )?known\b|\brationale\b|{_GAP_NAMED}", re.I),
    ),
    # the themes a qualitative study found ("what themes came out of Ng's interviews?"; not how they were found:
    # "how were the themes identified?"), set out under its results' headings or in a table captioned for them
    # ("Table I. Thematic Analyses and summary of findings with exemplar quotes")
    "themes": (
        re.compile(
            r"^(?!.*\b(?:how|coded|identified|derived|analys[ei]s|analy[sz]ed)\b).*\b(?:what|which|list|name|summari[sz]e"
            r"|outline)\b(?:\s+[\w'’-]+){0,4}?\s+(?:sub-?)?themes\b",
            re.I,
        ),
        re.compile(r"\bthem(?:e|es|atic)\b|\bfindings\b|^\W*(?:\d+(?:\.\d+)*\.?\s*)?results\b", re.I),
    ),
    # where a study was done ("Where did the Waring study take place?", "which countries were the studies carried out
    # in?", "what was the study setting?"; not where a paper came out, nor where something fits: "where do boards fit
    # alongside the partnerships?"), set out under a heading of its own ("Setting", "Study area") or stated in its
    # methods ("The study was undertaken in the English NHS ...")
    "setting": (
        re.compile(
            r"\bwhere\b[^?.]{0,60}?\b(?:take|took|taking|takes) place\b"
            rf"|\bwhere (?:was|were|is|are) (?:the |this |that |their |its |each |her |his |[\w-]+['’]s )?"
            rf"(?:[\w'’-]+ ){{0,3}}?{_STUDY}(?:\s*\?|\s*$|[^?.]{{0,30}}?\b{_DONE})"
            rf"|\bwhere (?:did|does|do) (?:[\w'’-]+ ){{1,3}}?(?:do|carry out|conduct|run|undertake|base|hold) "
            rf"(?:the |this |that |their |its |her |his )?(?:[\w'’-]+ )?{_STUDY}"
            rf"|\b(?:in|at|from) (?:which|what) (?:[\w-]+ )?{_PLACE_ASKED}[^?.]{{0,60}}?\b{_STUDY}"
            rf"|\b(?:which|what) (?:[\w-]+ )?{_PLACE_ASKED}[^?.]{{0,60}}?\b{_STUDY}"
            # how a study chose where to work ("How did Waring and colleagues select their sites?", "how were the
            # hospitals chosen?")
            r"|\b(?:choose|chose|chosen|select|selected|pick|picked|identify|identified)\b[^?.]{0,30}?\b"
            r"(?:the |their |its |her |his |study |case )sites?\b"
            r"|\b(?:sites?|hospitals?|districts?|locations?)\b[^?.]{0,20}?\b(?:chosen|selected|picked|identified)\b"
            rf"|\b(?:study|research|their|its) settings?\b|\bsettings? of (?:the|this|that|their|its|each) "
            rf"(?:[\w'’-]+ )?{_WORK}|\bwhat (?:was|were|is|are) the settings?\b",
            re.I,
        ),
        re.compile(
            # ("Setting", "Study area", "Setting and participants"; not "Areas for improvement")
            r"^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:(?:study|research) )?(?:settings?|sites?|areas?|locations?)"
            r"\s*(?:$|[:.]|and\b)"
            r"|^\W*(?:\d+(?:\.\d+)*\.?\s*)?(?:participants|sample) and settings?\b",
            re.I,
        ),
    ),
    # what a paper says in brief, under a heading of its own ("Key messages", "Summary", "Highlights", "Abstract")
    "summary": (
        re.compile(
            r"\b(?:main|key|central|core|headline|overall) (?:messages?|points?|findings?|results?|arguments?)\b"
            r"|\bgist\b"
            r"|\bin a nutshell\b|\bin brief\b"
            r"|\bwhat(?:'s| is| are) (?:it|they|(?:the |this |that )?(?:[\w'’-]+ ){0,3}?"
            r"(?:paper|report|study|article)s?) (?:mainly |really |actually )?about\b",
            re.I,
        ),
        re.compile(r"\bkey (?:messages|findings|points)\b|\bsummary\b|\bhighlights\b|\babstract\b", re.I),
    ),
}


# An abstract's heading; a part of a structured abstract, named after the abstract and the part's label ("Abstract:
# Results", see abstract_part); the parts telling what a study found; a question asking that ("what did they find /
# show / conclude?")
_ABSTRACT_NAME = r"(?:abstract|summary|structured abstract)"
ABSTRACT_HEADING = re.compile(rf"^{_ABSTRACT_NAME}$", re.I)
ABSTRACT_PART = re.compile(rf"^{_ABSTRACT_NAME}: (?=\w)", re.I)
_REPORTING = re.compile(ABSTRACT_PART.pattern + r"(?:results?|findings?|conclusions?|interpretation)$", re.I)
FINDINGS_ASKED = re.compile(r"\b(?:find|finds|found|findings?|results?|show|shows|showed|shown|conclu\w+)\b", re.I)


def abstract_part(abstract: str, label: str) -> str:
    """The section name of a structured abstract's part: "Abstract: Results"."""
    return f"{abstract}: {label}"


def reporting_part(heading: str) -> bool:
    """Is the heading a structured abstract's part telling what the study found ("Abstract: Results")?"""
    return bool(_REPORTING.match(heading))


# how a sentence states a part, where a question's words would find others too ("Organisations should aim to ...")
STATED: dict[str, re.Pattern[str]] = {
    # "Eight young healthy subjects (27.4 ± 2.6 years old) participated in the study", "The sample consisted of ..."
    "participants": re.compile(
        rf"\b{_NUMBER}\b(?:[\s,]+[\w()±.-]+){{0,6}}?[\s,]+{PEOPLE}(?:[^.;]|\.\d){{0,80}}?\b(?:participated|took part"
        r"|(?:were|was) (?:\w+ly )?(?:recruited|included|enrolled|interviewed|surveyed|invited|selected|studied"
        r"|sampled))\b"
        r"|\bsample (?:consisted|comprised|included|was made up) of\b"
        # "in-depth interviews with 15 senior leaders"
        rf"|\b(?:interviews?|focus groups?|surveys?|workshops?) (?:with|of) (?:a total of )?{_NUMBER}\b"
        rf"(?:[\s,]+[\w-]+){{0,4}}?[\s,]+{PEOPLE}",
        re.I,
    ),
    # "Participants were recruited as part of purposive sampling, via the ICS management office", "Study
    # participants were recruited on the basis of their involvement in STP governance", "The participants were also
    # chosen from sites based on ...", "Inclusion criteria were ..." (not "Second-order codes were identified based
    # on ...": people are chosen, not things)
    "recruitment": re.compile(
        r"\b(?:purposive|purposeful|convenience|snowball|theoretical|stratified|maximum[- ]variation|quota)"
        r"(?:ly)? sampl"
        rf"|\b{PEOPLE}[^.;]{{0,60}}?\b(?:(?:were|was) (?:\w+ly )?)?(?:recruited|selected|chosen|identified|approached"
        r"|invited|drawn)\b[^.;]{0,30}?\b(?:via|through|from|by (?:reviewing|searching|contacting|asking|using)"
        r"|on the basis of|based on|according to|using|because)\b"
        r"|\b(?:inclusion|exclusion|eligibility) criteri",
        re.I,
    ),
    # "Audio-recorded, semistructured interviews were conducted", "Non-participant observations were carried out
    # with ...", "We have combined three data sources", "Systematic coding was undertaken by (Waring and Roe)", "We
    # conducted a rapid review of the published literature"
    "methods": re.compile(
        r"\b(?:semi-?\s?structured|in-depth|face-to-face|telephone) (?:[\w-]+ )?(?:interview|survey)"
        r"|\b(?:interviews?|observations?|focus groups?|surveys?|workshops?|data collection|analysis|coding"
        r"|fieldwork)\b[^.;]{0,40}?\b(?:were|was) (?:\w+ )?(?:conducted|carried out|undertaken|performed|completed"
        r"|held|done)\b"
        r"|\bwe (?:also |then |have |initially )?(?:conducted|carried out|undertook|interviewed|surveyed|observed"
        r"|recorded|transcribed|analy[sz]ed|coded|triangulated|combined)\b"
        r"|\b(?:thematic|framework|content|discourse|statistical) analysis\b|\b(?:rapid|systematic|scoping) review\b"
        r"|\bnon-?\s?participant observations?\b|\bdata sources\b|\bmethodology (?:of|was|used)\b"
        r"|\bmixed[- ]methods?\b",
        re.I,
    ),
    # "Little, however, is known about ...", "the contribution of clinical leaders remains unclear", "There appears to
    # be minimal research that ...", "Far less has been published about ...", "To the best of our knowledge, we are
    # the first to ..."
    "gap": re.compile(
        r"\blittle,? (?:however,? )?(?:is|was|has been) (?:known|written|published|understood)\b"
        r"|\b(?:far |much )?less (?:is|was|has been) (?:known|written|published|understood)\b"
        r"|\b(?:remains?|remained|is|are|was|were) (?:still |largely |relatively |as yet |currently )?"
        r"(?:unclear|unknown|poorly understood|under-?researched|under-?explored|under-?studied|unexplored"
        r"|not well understood)\b"
        r"|\b(?:has|have) (?:not|rarely|seldom) (?:yet )?been (?:\w+ )?(?:studied|explored|addressed|investigated"
        r"|examined|evaluated)\b"
        r"|\b(?:few|limited|minimal|little|scant|sparse|no) (?:empirical |previous |prior |existing |published )?"
        r"(?:research|studies|evidence|attention) "
        r"(?:exists?|is available|has|have|on|about|into|regarding|that|which)\b"
        r"|\b(?:is|was|remains|has been) (?:a |an )?(?:pressing |urgent |clear |growing )?"
        r"(?:need for (?:more |further )?(?:research|studies|evidence)|lack of (?:research|evidence|studies)"
        r"|paucity|dearth)\b"
        rf"|{_GAP_NAMED}"
        r"|\bfill(?:s|ed|ing)? (?:an? |the |this )?(?:[\w-]+ )?gap\b"
        r"|\bha(?:s|ve) (?:received|attracted|been given) (?:little|less|limited|scant) (?:attention|research|study)\b"
        r"|\bto (?:the best of )?our knowledge\b",
        re.I,
    ),
    # "In conclusion, ...", "The study also showed that the more successful organisations ...", "Our findings
    # suggest ...": what a paper concludes, where no heading says so (Ng's closes under "Discussion")
    "conclusions": re.compile(
        r"\bin conclusion\b|\bto conclude\b|\bwe conclude\b"
        r"|\b(?:this|the|our|present) (?:study|paper|report|research|review|analysis)(?:'s findings)? (?:has |have )?"
        r"(?:also |further |clearly )?(?:shows?|shown|showed|demonstrat(?:es|ed)|concludes?|confirm(?:s|ed))\b"
        r"|\b(?:our|these|the study's) findings (?:suggest|show|indicate|demonstrate)",
        re.I,
    ),
    # "The authors also recommend health and care leaders extend ...", "Recommendations include but are not limited
    # to: ...", "... should be offered and is recommended"; not one pointing to them ("Key recommendations from this
    # study ... are shown on Table 2", "... in order to make recommendations")
    "recommendations": re.compile(
        r"\b(?:we|authors?|report|study|paper|they|it)\s+(?:\w+\s+)?recommends?\b"
        r"|\b(?:is|are|was|were)\s+(?:\w+\s+)?recommended\b"
        r"|\brecommendations?\s+(?:include|includes|are that|is that)\b"
        r"|\bwe (?:would )?(?:suggest|advise)\b",
        re.I,
    ),
    # where the work could go next, as papers say it: "Another interesting direction is finding a way to ...", "it
    # might be interesting to study the case of ...", "one may improve other centrality measures in a similar way",
    # "Further research into what influences engagement is needed", "future studies should pay attention to ..."
    "future work": re.compile(
        r"\b(?:future|further) (?:work|research|studies|study|investigation|directions?)\b"
        r"|\bmore (?:research|studies|investigation)\b"  # (not "more work": "leaders had to take on more work")
        r"|\binteresting (?:future )?(?:directions?|avenues?|questions?|extensions?)\b"
        r"|\b(?:it|this) (?:might|would|could|will) (?:also )?be (?:interesting|worthwhile|useful|valuable) to\b"
        r"|\bwe (?:plan|intend|hope|aim) to (?:extend|explore|investigate|study|apply|improve|address)\b"
        r"|\b(?:in|for) (?:the )?future,? (?:we|one|researchers)\b"
        r"|\bone (?:may|could|might|can) (?:also )?(?:improve|extend|apply|investigate|explore|study|generali[sz]e)\b"
        r"|\b(?:remains?|left) (?:as )?(?:an )?open (?:question|problem|issue)s?\b|\bleft (?:for|to) future\b",
        re.I,
    ),
    "setting": re.compile(
        rf"\b{_STUDY}[^.;]{{0,40}}?\b(?:was|were|is|are) (?:\w+ly )?(?:undertaken|conducted|carried out|performed"
        rf"|done|based|set|situated|located|run|held) (?:in|at|across|within|among)"
        rf" (?!(?:the )?{_TIME_WORD})"
        rf"|\b(?:took|take|takes|taking) place (?:in|at|across|within) (?!(?:the )?{_TIME_WORD})"
        rf"|\b(?:conducted|carried out|undertaken|performed) (?:in|at|across) (?:the )?{_SOME} (?:[\w-]+ ){{0,2}}?"
        rf"{_SITES}"
        r"|\bstudy (?:sites?|areas?|settings?|locations?) (?:was|were|is|are|comprised|included|consisted)\b"
        # "three sites were selected on the basis of ...", "Four districts were purposively chosen"
        rf"|\b{_SITES} (?:were|was) (?:\w+ly )?(?:selected|chosen|identified|sampled|included)\b"
        rf"|\b(?:recruited|drawn|selected|chosen|sampled) from (?:across )?(?:the )?(?:{_SOME} )?(?:[\w-]+ ){{0,2}}?"
        rf"{_SITES}"
        rf"|\bwhere (?:this|the|our) {_STUDY} (?:was|were) (?:\w+ly )?(?:carried out|conducted|undertaken|done|based)\b"
        rf"|\bin {_SOME} (?:[\w-]+ ){{0,2}}?{_SITES}[^.;]{{0,40}}?\b(?:were|was) (?:interviewed|recruited|surveyed"
        r"|studied|included|observed)\b",
        re.I,
    ),
    "aims": re.compile(
        rf"\b(?:aims?|objectives?|purpose|goals?)\b[^.;]{{0,30}}\b(?:of|for) (?:the|this|that|our|their|its|present|"
        rf"current) (?:[\w'’-]+ )?{_WORK}"
        rf"|\b(?:this|the|our|present|current) (?:[\w'’-]+ )?{_WORK} (?:aim(?:s|ed)?|set out|sought|intend(?:s|ed)?|"
        r"(?:is|was|were) designed) to\b"
        r"|\b(?:specific|main|primary|principal|overall|stated|study|research) (?:aims?|objectives?|goals?)\b"
        r"|\bwe (?:aim(?:ed)?|set out|sought|intend(?:ed)?) to\b|\bresearch questions?\b"
        # (what a paper says it does: "In this paper, we propose ...", "This study explores ...")
        rf"|(?:^|(?<=[.!?] ))in (?:this|the present|the current) {_WORK},? we\b"
        rf"|\b(?:this|the present|the current) {_WORK} (?:presents?|proposes?|introduces?|describes?|reports?|"
        r"explores?|examines?|investigates?|evaluates?|assess(?:es)?|seeks?)\b",
        re.I,
    ),
}


# back-matter part: (how a question asks for it, how a paper heads it, how a sentence states it)
BACK_MATTER: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {
    "funding": (
        # who paid for the work, not funding as a topic ("how is funding shared across partners?", "the King's Fund")
        re.compile(
            r"\bwho\b[^?.]{0,40}(?<!'s )(?<!’s )\b(?-i:fund(?:s|ed)?|paid|pays?|sponsor(?:s|ed)?|financ(?:es|ed)|"
            r"bankroll\w*)\b"
            r"|\b(?:was|were|is|are)\b[^?.]{0,40}\b(?:funded|sponsored|financed|financially supported)\b"
            r"|\b(?:get|gets|got|receive[sd]?|obtain(?:ed)?)\b[^?.]{0,30}\b(?:funding|grants?|financial support)\b"
            r"|\b(?:funders?|sponsors?|grants?)\b"
            r"|\b(?:its|their|any) (?:funding|financial support)\b|\bgave (?:\w+ )?money\b"
            r"|\bfunding (?:source|body|bodies|statement|for (?:the|this|that|their|its) (?:study|research|work|paper|"
            r"project|report))\b",
            re.I,
        ),
        re.compile(r"\bfunding\b|\bfinancial (?:support|disclosure)|\bgrant|\backnowledge?ments?\b", re.I),
        re.compile(
            # ("supported by" a body or its money, not "supported by palpation during targeted movements")
            r"\b(?:fund(?:ed|ing|ers?)|grants?|supported (?:in part |partly |partially )?by (?:an? |the )?"
            r"(?:(?-i:[A-Z])[\w-]*|grants?|fund\w*)|support of|sponsor\w*|"
            r"financial (?:and \w+ )?(?:support|assistance)|scholarships?|fellowships?|awards?)\b",
            re.I,
        ),
    ),
    "competing interests": (
        re.compile(r"\b(?:competing|conflicting|conflicts? of) interests?\b", re.I),
        re.compile(r"\b(?:competing|conflicting|conflicts? of) interests?\b|\bdeclarations?\b|\bdisclosures?\b", re.I),
        re.compile(r"\b(?:competing|conflicting|conflicts? of) interests?\b", re.I),
    ),
    "ethics": (
        re.compile(r"\bethic\w*|\binformed consent\b|\breview board\b", re.I),
        re.compile(r"\bethic|\bconsent\b", re.I),
        # (not the authors' approval of their text: "All authors have read and approved the manuscript.")
        re.compile(
            r"\bethic\w*|\b(?:approved|approval)\b(?!\s+(?:of\s+)?(?:the\s+)?(?:final\s+)?(?:manuscript|version|"
            r"paper|draft|article|submission)\b)|\bconsent\w*|\breview board\b|\bcommittee\b",
            re.I,
        ),
    ),
    "availability": (
        re.compile(
            r"\b(?:code|software|source|data(?:sets?)?|implementation|tool|package)\b[^?.]{0,40}?"
            r"\b(?:availab\w*|released?|shared|public\w*|download\w*|repositor\w*|github|online)\b"
            r"|\b(?:availab\w*|release[sd]?|download\w*|get|find|access|obtain)\b[^?.]{0,40}?"
            r"\b(?:code|software|source code|data(?:sets?)?|implementation|package)\b|\bproject (?:site|page)\b",
            re.I,
        ),
        re.compile(r"\bavailab|\bsupplementary\b|\bsoftware\b|\bcode\b", re.I),
        # (where the code or data are: an address, or "available" said of code, data or software)
        re.compile(
            # (not a licence's address: "(http://creativecommons.org/licenses/by/2.0)" says how the paper may be
            # shared, not where its data are)
            r"(?:https?://|www\.)(?!(?:www\.)?creativecommons\.org)|\b(?:github|gitlab|zenodo|figshare|repository)\b"
            r"|\b(?:code|software|data(?:sets?)?|materials?|scripts?|implementation|package)\b[^.]{0,60}"
            r"\b(?:available|availability|released|shared|deposited)\b"
            # (not the availability of something else: "Availability of some logistics like the computer")
            r"|\bavailability\b(?!\s+of\s+(?!(?:the\s+|our\s+|all\s+)?(?:data|code|software|materials)\b))",
            re.I,
        ),
    ),
    # where, when and by whom the paper came out, as its pages print it ("Published: 2 January 2014", "Proceedings of
    # the 52nd Annual Meeting ...", "Date: March 28, 2015."): a line of record, quoted as printed though no sentence
    "publication": (
        re.compile(
            rf"\b(?:when|where|what date)\b[^?]{{0,60}}\b(?:{_CAME_OUT}|dated)\b"
            r"|\b(?:which|what) (?:journal|venue|conference|proceedings)\b|\bpublication date\b"
            # and by whom: "who published the report?", "which organisation published it?", its publisher, its ISBN
            r"|\bwho (?:published|publishes|issued)\b|\bpublisher\b|\bisbn\b"
            # and how to cite it: its DOI, volume, issue and pages, its full reference
            r"|"
            + CITATION_DETAILS.pattern
            + r"|\b(?:which|what) (?:organi[sz]ation|body|company|press|charity|institution)\b[^?]{0,20}\bpublished\b",
            re.I,
        ),
        re.compile(r"\bpublication details\b|\bhow to cite\b", re.I),
        re.compile(
            r"\b(?:Published|Accepted|Received)(?: online)?\s*:?\s*\d{1,2}\s+[A-Z][a-z]+\s+(?:19|20)\d\d"
            r"|\bProceedings of the\b[^.]*\b(?:19|20)\d\d\b|\bDate:\s*[A-Z][a-z]+ \d{1,2}, (?:19|20)\d\d"
            r"|\bconference paper at [A-Z]+ (?:19|20)\d\d|\bFirst published (?:in )?(?:[A-Z][a-z]+ )?(?:19|20)\d\d"
            r"|\bISBN:?\s*(?:97[89][- ]?)?\d"
            r"|\barXiv:\d{4}\.\d{4,5}\S*\s+\[[\w.-]+\]\s+\d{1,2} [A-Z][a-z]{2} (?:19|20)\d\d"
            r"|\bHow to cite this article\b|\b(?:DOI|doi)\s*:?\s*10\.\d{4,9}/\S"
            r"|" + _SENT_TO.pattern
        ),
    ),
    # where the authors work, as the front or back matter prints it ("¹Department of Women's and Children's Health,
    # University of Liverpool, Liverpool, UK"): a line of record too
    "affiliation": (
        re.compile(
            # (a person's name, not an organisation's acronym: "where do ICSs work best?" asks no affiliation)
            r"\baffiliat\w*|\bwhere (?:is|are|was|were|do|does|did) "
            r"(?:(?:the |its |their )?(?:[\w'’-]+ ){0,4}(?:authors?|researchers?)|"
            r"(?-i:[A-Z][a-z][\w'’-]*(?:(?: | and )[A-Z][a-z][\w'’-]*){0,3}))(?: of [^?.]{1,60}?)?"
            r" (?:based|work|working)\b"
            # "which university are Waring and his co-authors based at?", "what institution is she from?"
            r"|\b(?:which|what) (?:universit(?:y|ies)|institutions?)\b[^?.]{0,60}\b(?:based|from|work|working)\b",
            re.I,
        ),
        re.compile(r"\baffiliations?\b|\bauthor details\b|\babout the authors?\b", re.I),
        re.compile(
            r"\b(?:University|Institute|Department|Hospitals?|School|College|Faculty|Centre|Center|Laboratory)\b"
        ),
    ),
    # the terms a paper is indexed under, as it prints them after its abstract ("Keywords value-based health, health
    # care, ...", "Key words and phrases. Centrality measure; IC model; ..."): a line of record, with its label
    "keywords": (
        # (not the keywords of a literature search: "What keywords did Ng use in her search?")
        re.compile(
            r"^(?![^?]*\b(?:use[ds]?|using|search\w*|combin\w*|quer(?:y|ies))\b)"
            r"[^?]*(?:\bkey ?words?\b|\bindex(?:ing)? terms\b|\bsubject terms\b)",
            re.I,
        ),
        re.compile(r"\bkey ?words\b|\bindex terms\b", re.I),
        re.compile(r"\b(?:Key ?words|KEY ?WORDS|Index [Tt]erms)\b"),
    ),
    # a number the paper or its publisher is registered or approved under, as the imprint page prints it ("Charity
    # registration number: 1126980", "Trial registration: ISRCTN12345678"): a line of record, with its label
    "registration": (
        re.compile(
            r"\b(?:registration|registered|charity|company|trial|approval|reference)\s+(?:number|no\.?|code|id)\b",
            re.I,
        ),
        re.compile(r"\bregistration\b", re.I),
        re.compile(
            r"\b(?:[Rr]egistration|[Rr]egistered|[Cc]harity|[Cc]ompany|[Tt]rial|[Aa]pproval|[Rr]eference)"
            r"(?: [a-z]+)?(?: [Nn]umber| [Nn]o\.?| [Cc]ode| ID)?\s*:\s*[A-Z]{0,8}\s?\d[\dA-Z/ -]{3,}"
        ),
    ),
}
# Parts stated by a line of record rather than a sentence: such a line in front or back matter is quoted as printed
# (a funder too: acknowledgements may list one to a line, without full stops; where the code or data are, as a note
# prints it: "Project site with code: https://react-lm.github.io."; and a paper's keywords, wherever they stand, with
# the label saying what they are).
RECORD_ROLES = ("publication", "affiliation", "funding", "keywords", "registration", "availability")
LABELLED_RECORDS = ("keywords", "registration")


# A question about how a paper is laid out ("what chapters does the report have?", "how is the paper structured?"):
# its answer is the paper's own outline, and these words name its parts, not a topic it should mention.
LAYOUT = re.compile(
    # (plural: "what is in chapter 3?" or "what does the heading 'Where next?' cover?" asks what one part says)
    r"\b(?:chapters|sub-?headings|headings|table of contents|contents page)\b"
    r"|\bwhat (?:main )?(?:sections|parts) (?:does|do|has|have|make up)\b"
    r"|\b(?:sections|parts) of (?:the|this|that|their|its) (?:paper|report|study|article|document|book)\b"
    r"|\b(?:paper|report|study|article|document|book)\b(?:\s+\w+){0,2}\s+(?:laid out|structured|organi[sz]ed)\b",
    re.I,
)


def asks_layout(question: str) -> bool:
    """Does the question ask how a paper is laid out: its chapters, sections or headings?"""
    return bool(LAYOUT.search(question))


# asking which figures or tables a paper has ("which figures do these papers have?", "any diagrams I could reuse?",
# "list the tables in Aufegger"), not what one of them shows ("what does table 2 show?") nor a paper's numbers
# ("what figures does Ng give for engagement?")
_PICTURES = r"(?:diagrams|charts|graphs|illustrations|infographics|visuals|exhibits)"
_FIGURES = re.compile(
    rf"\b(?:which|what|any|list|how many)\b(?:\s+[\w'’-]+){{0,6}}?\s+{_PICTURES}\b"
    r"|\b(?:which|what|any|list|how many)\s+(?:[\w'’-]+\s+){0,2}?(?:figures|tables)\s+(?:(?:do|does|did)\s+"
    r"(?:[\w'’-]+\s+){0,4}?(?:have|has|include|contain|show)|are\s+(?:there|in)|in\s+(?:the|this|that|these|each|her"
    r"|his|their|its))\b"
    rf"|\b(?:are there|is there|does it have|do they have|include|includes|contain|contains)\s+(?:any\s+)?"
    rf"(?:[\w'’-]+\s+){{0,2}}?(?:figures|tables|{_PICTURES})\b(?!\s*\d)",
    re.I,
)


def asks_figures(question: str) -> bool:
    """Does the question ask which figures, tables or diagrams a paper has?"""
    return bool(_FIGURES.search(question))


# the heading of a part telling who a paper's authors are: "About the authors", "Biographies", "Notes on contributors"
_BIOGRAPHIES = re.compile(
    r"\babout the authors?\b|\bbiograph(?:y|ies)\b|\bnotes on (?:the )?contributors\b|\bauthors?['’]? profiles?\b", re.I
)


def about_its_authors(section: str, kind: str) -> bool:
    """Is a passage under this heading about the paper's authors (their posts, careers, affiliations) rather than
    its subject: their biographies, or the front or back matter's "Author details"?"""
    return bool(_BIOGRAPHIES.search(section)) or (kind != "body" and heading_has_role(section, ["affiliation"]))


def asks_of_authors(question: str, names: Collection[str]) -> bool:
    """Does the question speak of a paper's authors ("what did the two authors do before?"), or name one of them in
    full (`names`: "Nicola Walsh"), so that what the paper says of them may answer it?"""
    lowered = " ".join(question.lower().split())
    # (a full name: one word alone, "Ng", would be found inside others)
    full = [n.lower() for n in names if len(n.split()) > 1]
    return bool(AUTHORS.search(question)) or any(re.search(rf"\b{re.escape(n)}\b", lowered) for n in full)


def asks_authors(question: str) -> bool:
    """Does the question ask who wrote a paper ("Who are the ReAct paper's authors?"), rather than what its authors
    do ("What do the authors recommend?")?"""
    return bool(AUTHORS.search(question)) and not _AUTHORS_ACT.search(question)


# What a paper declares in its back matter, rather than finds
DECLARED = ["funding", "competing interests", "ethics", "availability"]
# asking for all a paper declares at its end ("what declarations does it make?", "the statements at the bottom of
# the article", "its back matter"): its funding, competing interests, ethics approval and data availability
ALL_DECLARATIONS = re.compile(
    r"\b(?:declarations?|disclosures?|back matter|end matter|declared statements)\b"
    r"|\bstatements?\b[^?.]{0,40}\b(?:end|bottom|close|foot)\b",
    re.I,
)


_ASKS_MEANING = re.compile(r"\bmean(?:s|t|ing)?\b|\bdefin(?:e|es|ed|ition|itions)\b", re.I)


def asked_roles(question: str) -> list[str]:
    """The roles of a paper's parts the question names ("what weaknesses ..." names its limitations; "who paid for
    it?" its funding; "what does it declare?" all it declares)."""
    # (a question asking what something means is answered by what defines it, not by a part the question names
    # on the way: "ng's recommendations table ends on 'distributed leadership' - what does she take that to mean?")
    means = _ASKS_MEANING.search(question) is not None and asked_term(question) is not None
    named = [] if means else [role for role, (asked, _) in ROLES.items() if asked.search(question)]
    if "methods" in named:  # (and the parts a request for its design lists by their names, as headings name them)
        named += [role for role in listed_parts(question) if role not in named]
    named += [role for role, (asked, _, _) in BACK_MATTER.items() if asked.search(question)]
    if ALL_DECLARATIONS.search(question):
        named += [role for role in DECLARED if role not in named]
    return named


def listed_parts(question: str) -> list[str]:
    """The roles of the parts a question lists by their names after it asks ("can you sum up its design?
    recruitment, sample, interviews and analysis": recruitment, participants, methods), each item named as a
    heading names a part."""
    asked = [part for part in re.split(r"[?:]", question) if part.strip()]
    listed = asked[-1] if len(asked) > 1 else ""
    items = [_DETERMINER.sub("", i.strip(" .-")) for i in re.split(r",|\band\b|;", listed)]
    if len([i for i in items if i]) < LISTED_LEAST:
        return []
    roles: list[str] = []
    for item in items:
        if not item or len(item.split()) > LISTED_WORDS:
            continue
        roles += [r for r, (_, heading) in ROLES.items() if heading.match(item) and r not in roles]
    return roles


_DETERMINER = re.compile(r"^(?:its|the|their|her|his)\s+", re.I)
LISTED_LEAST = 3  # a list names this many parts or more
LISTED_WORDS = 3  # each in this many words or fewer


_A_PAPER = frozenset(
    {"paper", "report", "studi", "articl", "work", "mainli", "realli", "actual", "give", "tell", "overal", "what"}
)


def asks_only_summary(question: str) -> bool:
    """Does the question (its names that chose a paper taken out) ask for nothing but what a paper says in brief
    ("What is the Aufegger paper about?", "main message of the report?")?"""
    asked = ROLES["summary"][0]
    if not asked.search(question):
        return False
    return not set(tokenize(asked.sub(" ", question))) - _A_PAPER


# asking for a study's aims in other words ("What did they set out to do?"), searched for as papers state them
_AIM_IDIOM = re.compile(r"\b(?:set out|sought) to\b", re.I)


def in_papers_words(question: str) -> str:
    """The question with its idioms for a study's aims put as papers put them ("set out to" -> "aimed to")."""
    return _AIM_IDIOM.sub("aimed to", question)


def heading_has_role(heading: str, roles: list[str]) -> bool:
    """Is the heading ("5. Conclusions and future directions") one of a part with one of these roles?"""
    return any((ROLES[role][1] if role in ROLES else BACK_MATTER[role][1]).search(heading) for role in roles)


def states_role(sentence: str, roles: list[str]) -> bool:
    """Does the sentence state a back-matter part of these roles ("The research was supported by ... grant")?"""
    return any(BACK_MATTER[role][2].search(sentence) for role in roles if role in BACK_MATTER)


_DECLARATION = re.compile(
    r"\b(?:with contributions from|contributed to (?:the )?(?:writing|manuscript|design)|(?:read|revised) and approved"
    r"|views expressed (?:are|in)|no role in (?:the )?(?:study )?design)\b",
    re.I,
)


# how a study's methods state that its participants agreed and its ethics were reviewed ("Written consent was
# obtained prior to interviews.", "The project was approved and reviewed by the research and ethics committee.")
_CONSENT = re.compile(
    r"\b(?:written|verbal|informed|oral) (?:and (?:written|verbal|informed|oral) )?consent\b|\bconsented to\b"
    r"|\b(?:approved|reviewed)\b[^.;]{0,40}?\bethics (?:committee|board|panel)\b"
    r"|\bethic(?:s|al) (?:approval|clearance)\b|\bno ethical issues\b",
    re.I,
)


def states_consent(sentence: str) -> bool:
    """Does the sentence state that participants consented or the study's ethics were approved?"""
    return bool(_CONSENT.search(sentence))


# how back matter says whose views a paper does not state, or what its funder did not do ("The views expressed are
# those of the author(s) and not necessarily those of the NIHR", "The funder had no role in study design ...")
_DISCLAIMS = re.compile(
    r"\b(?:views|opinions)\b[^.]{0,120}\b(?:are those of|not necessarily|do not (?:necessarily )?reflect)"
    r"|\bno role in\b",
    re.I,
)


def states_funding(sentence: str) -> bool:
    """Does the sentence say who paid for the work, or what its funder did not do or say?"""
    return states_role(sentence, ["funding"]) or bool(_DISCLAIMS.search(sentence))


def declares(sentence: str) -> bool:
    """Is the sentence one the back matter declares rather than a finding: its funding, competing interests, ethics
    approval or data availability, who wrote what ("... written by LA with contributions from all authors"), whose
    views it does not state?"""
    return states_role(sentence, DECLARED) or bool(_DECLARATION.search(sentence))


# a sentence saying where a part of the paper is, not what it says: "In Section 4, we compare our methods ..., and in
# the last section, we summarize the main conclusions and suggest possible future directions."
_ROADMAP = re.compile(
    r"\b(?:in|the)\s+(?:the\s+)?(?:last|next|final|following|remaining|previous)\s+sections?\b"
    r"|\b(?:in\s+)?Sections?\s+\d|\b(?:the\s+)?rest of (?:this|the) (?:paper|article|report) is\b",
    re.I,
)


def states_part(sentence: str, roles: list[str]) -> bool:
    """Does the sentence state a part of the paper of these roles (see `names_role`), rather than say where the
    paper sets it out ("... and in the last section, we ... suggest possible future directions")?"""
    return names_role(sentence, roles) and not _ROADMAP.search(sentence)


def names_role(sentence: str, roles: list[str]) -> bool:
    """Does the sentence name a part of the paper of these roles as a question would ("Further research into what
    influences engagement is needed", "A limitation of this study is ...")?"""
    # (a sentence saying "key messages" is no summary: "... helping us to refine our key messages")
    return any(
        (STATED.get(role) or ROLES[role][0]).search(sentence) for role in roles if role in ROLES and role != "summary"
    )
