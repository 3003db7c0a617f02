"""Find acronyms the papers define ("integrated care system (ICS)") and expand questions with them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from rag.lexical import tokenize

_DEFINITION = re.compile(r"((?:[A-Za-z][\w'-]*\s+){1,8}?)\(([A-Z][A-Za-z]{1,7}?)(s?)\)")
# Searching from every word is slow on long texts; only the text just before an "(ABC)" can define it.
_PAREN = re.compile(r"\(([A-Z][A-Za-z]{1,7}?)(s?)\)")
_RENAMED_HINT = re.compile(r",\s+(?:later|now|subsequently)\s")
_WINDOW = 240
# A renamed long form: "Sustainability and Transformation Plans, later Partnerships (STPs)".
_RENAMED = re.compile(
    r"((?:[A-Za-z][\w'-]*\s+){1,7}?[A-Za-z][\w'-]*),\s+(?:later|now|subsequently)\s+([A-Za-z][\w'-]*)\s+"
    r"\(([A-Z][A-Za-z]{1,7}?)(s?)\)"
)
# A key entry opening a text, line or sentence, or following another entry: "GP, General Practitioner; STP, ...".
_KEY_ENTRY = re.compile(
    r"(?:^|(?<=[.;]\s)|(?<=\n))([A-Z][A-Za-z]{1,7}?)(s?),\s+([A-Za-z][\w'& -]{2,80}?)(?=\s*(?:[.;\n]|$))", re.M
)
NAME_USES = 5  # passages using an acronym, and how many for each that spells it out, before it is a paper's name
NAME_RATIO = 6
_MEANING = re.compile(
    r"\b(?:stands?|stood) for\b|\bshort for\b|\babbreviat|\bacronym|\bmeaning of\b|\bmeant by\b|\bspell(?:s|ed)? out"
    r"|\bfull (?:name|form)\b|\bwhat (?:does|do|did) \S+ (?:mean|denote)\b",
    re.I,
)
_SKIP = {"and", "of", "for", "the", "in", "to", "on", "&"}
# An acronym spelled out after it in its own sentence, in capitals ("ALCE, a benchmark for Automatic LLMs' Citation
# Evaluation") or in brackets ("NLI (natural language inference)").
_LATER = re.compile(r"\b([A-Z](?=[a-z]{0,6}[A-Z])[A-Za-z]{1,7}?)(s?)\b(?=[,:]?\s+\S|\s*\()")
_FOLLOWING = re.compile(r"(?:[^.!?;\n]|\n(?!\n)){0,160}")  # the rest of the sentence, wrapped lines joined
_WORD = re.compile(r"[A-Za-z][\w'’-]*|&")


def initials(words: Sequence[str]) -> str:
    """The capitals a run of words abbreviates to, small words left out ("sustainability and transformation
    partnerships" -> "STP")."""
    return "".join(w[0].upper() for w in words if w.lower() not in _SKIP)


def _long_form(words: list[str], acronym: str) -> str | None:
    """The shortest run of trailing words whose initials spell the acronym (small words may be skipped)."""
    letters = acronym.upper()
    for size in range(1, min(len(words), 8) + 1):
        tail = words[-size:]
        if initials(tail) == letters:
            return " ".join(tail)
    return None


def _spelled_by(words: list[str], acronym: str, whole: bool = False) -> str | None:
    """The long form by Schwartz and Hearst's match, where the initials alone do not spell it: the acronym's
    letters found right to left in the trailing words, its first letter opening a word or a hyphenated part
    ('adjective-noun (AN)', 'Very large-scale Evolutionary and Selective Pressure Analyses (VESPA)'). With
    `whole`, the first letter must open the first word (a long form in brackets after its acronym)."""
    letters = [c.lower() for c in acronym if c.isalnum()]
    text = " ".join(words[-min(len(letters) + 5, 2 * len(letters)) :])
    i = len(text) - 1
    for k in range(len(letters) - 1, -1, -1):
        while i >= 0 and (text[i].lower() != letters[k] or (k == 0 and i > 0 and text[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    long_form = text[i + 1 :]
    if (whole and i >= 0) or len(re.findall(r"[A-Za-z]+", long_form)) < 2 or long_form.lower() == acronym.lower():
        return None
    return long_form


def _is_acronym(candidate: str) -> bool:
    return sum(ch.isupper() for ch in candidate) >= 2


def _singular(long_form: str) -> str:
    return long_form.lower().removesuffix("s")


def _definitions(text: str) -> Iterable[tuple[str, str, str | None]]:
    """(acronym, long form, long form it replaced or None) for each definition in one text."""
    for paren in _PAREN.finditer(text):
        lo = max(0, paren.start() - _WINDOW)
        m = _DEFINITION.search(text, lo, paren.end())
        while m is not None and m.end() < paren.end():
            m = _DEFINITION.search(text, m.end(), paren.end())
        if m is None or m.end() != paren.end():
            continue
        words = m.group(1).split()
        long_form = _long_form(words, m.group(2)) or _spelled_by(words, m.group(2))
        if long_form:
            yield m.group(2), long_form, None
    renamed = _RENAMED.finditer(text) if _RENAMED_HINT.search(text) else ()
    for m in renamed:
        earlier = m.group(1).split()
        long_form = _long_form([*earlier[:-1], m.group(2)], m.group(3))
        if long_form:
            superseded = " ".join(earlier[len(earlier) - len(long_form.split()) :])
            yield m.group(3), long_form, superseded
    yield from _later_definitions(text)
    for m in _KEY_ENTRY.finditer(text):
        words = m.group(3).split()
        if len(words) <= 8 and initials(words) == m.group(1).upper():
            yield m.group(1), " ".join(words), None


def _later_definitions(text: str) -> Iterable[tuple[str, str, str | None]]:
    """An acronym followed in its sentence by a run of capitalised words that spells it, or by its long form in
    brackets: the run is whole (a lower-case word on either side ends it), so a title's words never half-match."""
    for m in _LATER.finditer(text):
        acronym = m.group(1)
        if not _is_acronym(acronym):
            continue
        after = _FOLLOWING.match(text, m.end()).group(0)  # type: ignore[union-attr]
        bracket = re.match(r"\s*\(([^()]{3,80})\)", after)
        if bracket:
            words = _WORD.findall(bracket.group(1))
            long_form = " ".join(words) if initials(words) == acronym.upper() else _spelled_by(words, acronym, True)
            if long_form and len(words) <= 2 * len(acronym):
                yield acronym, long_form, None
            continue
        run: list[str] = []
        for word in [*_WORD.findall(after), "."]:
            if (word[:1].isupper() and len(word) > 2) or (run and word.lower() in _SKIP):  # not 'As and Ns'
                run.append(word)
                continue
            while run and run[-1].lower() in _SKIP:
                run.pop()
            if len(run) >= 2 and acronym not in run and initials(run) == acronym.upper():
                yield acronym, " ".join(run), None
                break
            run = []


class Acronyms(dict[str, str]):
    """Acronym -> long form, and the acronyms that are one paper's own name for a thing (`names`, see `_names`)."""

    names: frozenset[str] = frozenset()


def find_acronyms(texts: Iterable[str], papers: Sequence[str] | None = None) -> Acronyms:
    """Acronym -> long form, as the texts define them (the most frequent definition wins); `papers` names the paper
    of each text (all one paper if not given).

    A long form the texts say was renamed ("Plans, later Partnerships") gives way to its new name.
    """
    texts = list(texts)
    seen: dict[str, Counter[str]] = {}
    replaced: dict[str, set[str]] = {}
    for text in texts:
        for acronym, long_form, superseded in _definitions(text):
            if not _is_acronym(acronym):
                continue
            seen.setdefault(acronym, Counter())[long_form.lower()] += 1
            if superseded:
                replaced.setdefault(acronym, set()).add(_singular(superseded))
    found = Acronyms()
    for acronym, counts in seen.items():
        old = replaced.get(acronym, set())
        current = Counter({f: n for f, n in counts.items() if _singular(f) not in old}) or counts
        found[acronym] = current.most_common(1)[0][0]
    long_forms = {a: {_singular(f) for f in forms} for a, forms in seen.items() if a in found}
    found.names = _names(texts, papers or [""] * len(texts), long_forms)
    return found


def _names(texts: list[str], papers: Sequence[str], long_forms: Mapping[str, set[str]]) -> frozenset[str]:
    """The acronyms that one paper coins for a thing it is about ('We propose ALCE, a benchmark for ...',
    'VESPA: Very large-scale ...'): used in one paper only, in NAME_USES passages or more, and NAME_RATIO times
    as many as spell it out. Its long form marks little more than where it is defined, so searching with it pulls
    every question about the thing there; an acronym that several papers use may be spelled out by another."""
    if not long_forms:
        return frozenset()
    used: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in long_forms) + r")s?\b")
    for text, paper in zip(texts, papers, strict=True):
        for acronym in set(pattern.findall(text)):
            used[acronym] += 1
            where.setdefault(acronym, set()).add(paper)
    often = [a for a in long_forms if used[a] >= NAME_USES and len(where[a]) == 1]
    spelled: Counter[str] = Counter()
    for text in texts if often else ():
        lowered = text.lower()
        spelled.update(a for a in often if any(f in lowered for f in long_forms[a]))
    return frozenset(a for a in often if used[a] >= NAME_RATIO * spelled[a])


def asks_meaning(question: str) -> bool:
    """Whether a question asks what an acronym stands for or what a term means."""
    return bool(_MEANING.search(question))


def spelt_acronyms(question: str, acronyms: Mapping[str, str]) -> list[tuple[str, str]]:
    """The acronyms the question uses (or their plurals) that the papers spell out, with their long forms."""
    return [(a, long) for a, long in acronyms.items() if long and re.search(rf"\b{re.escape(a)}s?\b", question)]


def spells_out(sentence: str, acronym: str, long_form: str) -> bool:
    """Does the sentence write the acronym with its long form ("SIDD (Second Improvement of DegreeDistance)", "we have
    designed VESPA (Very large-scale Evolutionary and Selective Pressure Analyses)")?"""
    return bool(re.search(rf"\b{re.escape(acronym)}\b", sentence)) and set(tokenize(long_form)) <= set(
        tokenize(sentence)
    )


_SPELLING_ASKED = re.compile(
    r"(?i:\b(?:stands?|stood) for\b|\bshort for\b|\babbreviat\w*|\bacronym\b|\bspell(?:s|ed)? out\b"
    r"|\bfull (?:name|form)\b)"
    r"|\b(?i:what (?:does|do|did)) [A-Z][A-Z&]{1,7}s? (?i:mean|denote)\b"
)
_CAPITALS = re.compile(r"\b([A-Z][A-Z&]{1,7}?)s?\b")


def unspelled_acronyms(question: str, acronyms: Mapping[str, str]) -> list[str]:
    """The acronyms a question asks the meaning of ("What does VCSE stand for?") that no paper spells out."""
    if not _SPELLING_ASKED.search(question):
        return []
    return [m.group(1) for m in _CAPITALS.finditer(question) if m.group(1) not in acronyms and m.group(1) != "I"]


_OWN_ACRONYM = re.compile(r"\b([A-Z][A-Z&]{2,7})(s?)\b")  # three letters at least: shorter ones spell chance runs


def defined_in(question: str) -> dict[str, str]:
    """The acronyms a question spells out itself, anywhere in it, and their long forms: a run of its words (small
    words skipped inside it) whose initials spell one ("i work in urgent and emergency care - does UEC come up?")."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(question)]
    found: dict[str, str] = {}
    for m in _OWN_ACRONYM.finditer(question):
        runs = (_spelling_run(words, i, m) for i in range(len(words)))
        run = next((r for r in runs if r is not None), None)
        if run is not None:
            found[m.group(1)] = question[run[0] : run[1]]
    return found


def capitals_in(question: str) -> list[str]:
    """The acronyms (three capitals or more, a plural's "s" left off) a question uses, in order."""
    return list(dict.fromkeys(m.group(1) for m in _OWN_ACRONYM.finditer(question)))


def _spelling_run(words: Sequence[tuple[int, int, str]], i: int, acronym: re.Match[str]) -> tuple[int, int] | None:
    """Where the run of words from the i-th that spells the acronym starts and ends (not the acronym itself, not
    opening or closing on a small word), or None."""
    letters = acronym.group(1)
    if words[i][2].lower() in _SKIP:
        return None
    for j in range(i + 1, len(words) + 1):
        run = words[i:j]
        spelled = initials([w for _, _, w in run])
        if run[0][0] <= acronym.start() < run[-1][1] or not letters.startswith(spelled):
            return None
        if spelled == letters and run[-1][2].lower() not in _SKIP:
            return run[0][0], run[-1][1]
    return None


def spell_out(question: str, long_forms: Mapping[str, str]) -> str:
    """The question with each of these acronyms (or its plural) written as its long form."""
    for acronym, long_form in long_forms.items():
        question = re.sub(rf"\b{re.escape(acronym)}s?\b", long_form.replace("\\", r"\\"), question)
    return question


def expand_query(question: str, acronyms: Mapping[str, str], spell_out: bool = True) -> str:
    """The question plus the long form of each acronym it uses and the acronym of each long form it spells out.
    An acronym that is a paper's name for a thing (`Acronyms.names`) is spelled out only when the question asks
    what it stands for. With `spell_out` off, acronyms are added but long forms are not (what a sentence's word
    overlap is measured with: "NHS" is one word of the question, not the three of "National Health Service"),
    except for a question asking what the acronym stands for: there the long form is the answer sought."""
    extra: list[str] = []
    lowered = question.lower()
    names: frozenset[str] = getattr(acronyms, "names", frozenset())
    for acronym, long_form in acronyms.items():
        if re.search(rf"\b{re.escape(acronym)}s?\b", question):
            meaning = asks_meaning(question)
            if meaning or (spell_out and acronym not in names):
                extra.append(long_form)
        elif long_form in lowered or long_form.rstrip("s") in lowered:
            extra.append(acronym)
    return question if not extra else f"{question} ({'; '.join(extra)})"


WRITTEN_PAPERS = 2  # papers writing a run of words spelling an acronym, or ...
WRITTEN_TIMES = 3  # ... times one paper writes it, before it is taken for the acronym's long form


def written_long_form(acronym: str, texts: Iterable[tuple[str, str]], stopwords: Collection[str]) -> str | None:
    """The long form that papers write, without ever defining or using the acronym, for an acronym of three
    letters or more: a run of words (small words skipped inside it, no punctuation across it, none of them a stop
    word, no other acronym in it) whose initials spell it, written by WRITTEN_PAPERS papers or WRITTEN_TIMES times
    by one ("clinical commissioning groups" for "CCGs", which no paper writes). Chance runs ("clinical managers
    showed") are written once (where passages overlap, once in all). `texts` are (paper, text) pairs; the most
    written form wins, or None."""
    letters = [c for c in acronym if c.isalpha()]
    if len(letters) < 3:
        return None
    stop = "|".join(sorted((re.escape(w) for w in stopwords), key=len, reverse=True))
    space = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"  # (a line may wrap inside the run, a paragraph may not)
    small = rf"(?:(?:{'|'.join(re.escape(w) for w in sorted(_SKIP))}){space})"
    words = [rf"(?!(?:{stop})\b){c}[\w'’-]*" for c in letters]
    pattern = re.compile(r"(?<![\w'’-])" + f"{space}{small}{{0,2}}".join(words) + r"(?![\w'’-])", re.I)
    seen: dict[str, Counter[str]] = {}
    forms: Counter[str] = Counter()
    places: set[tuple[str, str]] = set()
    for paper, text in texts:
        for m in pattern.finditer(text):
            # (counted once where passages overlap, or two renderings of a paper write the same words)
            place = (paper, " ".join(text[max(0, m.start() - 40) : m.end() + 40].split()))
            if place in places:
                continue
            places.add(place)
            if re.search(r"\w[A-Z]", m.group()):
                continue  # (a run holding another acronym, "standard and CoT methods", abbreviates to neither)
            form = " ".join(m.group().split()).lower()
            key = re.sub(r"s$", "", form)
            seen.setdefault(key, Counter())[paper] += 1
            forms[form] += 1
    written = [
        k for k, papers in seen.items() if len(papers) >= WRITTEN_PAPERS or max(papers.values()) >= WRITTEN_TIMES
    ]
    if not written:
        return None
    best = max(written, key=lambda k: sum(seen[k].values()))
    return max((f for f in forms if re.sub(r"s$", "", f) == best), key=lambda f: forms[f])
