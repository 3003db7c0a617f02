"""The eighth evaluation file (written blind, about three real PDFs new to the project: an arXiv physics letter, a BMC
two-column article and an MDPI article; tests/fixtures/pdfs/SOURCES.md): every row well formed, every quote found
by the matcher in its paper's passages as indexed, and no question asked before."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from rag.chunking import chunk_source
from rag.evals.matching import normalise, passage_hits_quote
from rag.readers import read_source
from rag.schema import PaperMeta
from rag.settings import ChunkingSettings
from tests.blind_qa import FIELDS, repeats, rows

ROOT = Path(__file__).resolve().parents[1]
PDFS = ROOT / "tests" / "fixtures" / "pdfs"
EIGHTH = rows("eighth")
EARLIER = [
    item for name in ("dev", "second", "third", "fourth", "fifth", "sixth", "seventh", "pdf") for item in rows(name)
]
DOCS = {"atlascms-2015-higgs-mass.pdf", "demarchis-2016-hand-stimulation.pdf", "branchi-2014-smart-cities.pdf"}


@cache
def passages(doc: str) -> tuple[str, ...]:
    source = read_source(PDFS / doc)
    return tuple(c.text for c in chunk_source(source, PaperMeta(work=doc, title=doc), ChunkingSettings()))


def test_every_row_has_the_dev_schema() -> None:
    for item in EIGHTH:
        assert set(item) == FIELDS, item["id"]
        assert str(item["question"]).strip() and str(item["answer"]).strip(), item["id"]
        assert item["difficulty"] in {"easy", "medium", "hard"}, item["id"]
        assert item["answerable"] is (item["type"] != "unanswerable"), item["id"]
        assert all(set(e) == {"doc", "quote"} and e["doc"] in DOCS for e in item["evidence"]), item["id"]
        if item["answerable"]:
            assert item["evidence"] and item["key_points"], item["id"]
            for point in item["key_points"]:
                assert 2 <= len(str(point).split()) <= 6, (item["id"], point)
        else:
            assert item["evidence"] == [] and item["key_points"] == [], item["id"]


def test_every_quote_is_found_in_its_papers_passages() -> None:
    missing = [
        (item["id"], str(e["quote"])[:50])
        for item in EIGHTH
        for e in item["evidence"]
        if not any(passage_hits_quote(p, str(e["quote"])) for p in passages(str(e["doc"])))
    ]
    assert missing == []  # (g003 and g006 quote "H → ZZ → 4ℓ", whose TeX math-italic ell is read since cleaning 23)


def test_ids_are_g001_to_g030_and_no_question_repeats_an_earlier_one() -> None:
    assert [str(i["id"]) for i in EIGHTH] == [f"g{n:03d}" for n in range(1, 31)]
    assert repeats(EIGHTH, EARLIER) == []
    assert len({normalise(str(i["question"])) for i in EIGHTH}) == len(EIGHTH)


def test_type_mix_and_every_paper_asked_about() -> None:
    assert Counter(str(i["type"]) for i in EIGHTH) == {
        "factoid": 6, "numeric": 5, "list": 5, "methods": 4, "definition": 3, "comparison": 3, "unanswerable": 4
    }  # fmt: skip
    asked = Counter(str(e["doc"]) for i in EIGHTH for e in i["evidence"][:1])
    assert set(asked) == DOCS and min(asked.values()) >= 8
