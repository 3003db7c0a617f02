"""Library management from the command line: `rag papers [--json]`, edit (sidecar), remove (moved aside), reread.

The index is built with the hash embedder (tests/fakes.py): these paths load no model.
"""

from __future__ import annotations

import json
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from fakes import HashEmbedder

from rag import cli
from rag.curation import edit_facts, forget_cached, paper_records
from rag.errors import RagError
from rag.index import build_index, load_index
from rag.settings import Settings, load_settings
from tests.fakes import clear_settings_environment

PDFS = Path(__file__).parent / "fixtures" / "pdfs"
MD = "# Ward huddles\n\nNurses met each morning for ten minutes.\n\n## Methods\n\nWe watched six wards for a month.\n"
TXT = "Budget reviews\n\nResults\n\nFinance directors met consultants monthly. Savings plans were agreed.\n"


class _HashAssistant:
    """Stands in for rag.assistant.Assistant on the CLI's build paths: the real index, a hash embedder."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def build(self, progress: bool = True, force: bool = False) -> Any:
        return build_index(self.settings, HashEmbedder, progress=False, force=force)


@pytest.fixture()
def library(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    clear_settings_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "huddles.md").write_text(MD, encoding="utf-8")
    (corpus / "budgets.txt").write_text(TXT, encoding="utf-8")
    shutil.copy(PDFS / "encrypted.pdf", corpus / "encrypted.pdf")
    monkeypatch.setattr(cli, "_assistant", _HashAssistant)
    settings = load_settings(index_dir=tmp_path / "index", corpus={"dir": corpus})
    build_index(settings, HashEmbedder, progress=False)

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["rag", *args])
        try:
            cli.main()
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run, settings


def test_papers_json_lists_facts_sections_passages_and_why_a_file_was_not_added(library: Any) -> None:
    run, _ = library
    code, out, _ = run("papers", "--json")
    rows = {r["doc"]: r for r in json.loads(out)}
    assert code == 0
    assert sorted(rows) == ["budgets.txt", "encrypted.pdf", "huddles.md"]
    huddles = rows["huddles.md"]
    assert (huddles["title"], huddles["authors"], huddles["year"], huddles["passages"]) == (
        "Ward huddles",
        [],
        None,
        2,
    )
    assert huddles["sections"] == [
        {"level": 1, "title": "Ward huddles", "page": None},
        {"level": 2, "title": "Methods", "page": None},
    ]
    assert huddles["problems"][:2] == [
        "no authors found: add them with `rag papers edit DOC --authors 'Surname, A.; ...'`",
        "no year found: add it with `rag papers edit DOC --year YYYY`",
    ]
    assert rows["encrypted.pdf"]["indexed"] is False
    assert rows["encrypted.pdf"]["problems"] == [
        "encrypted.pdf: the PDF is encrypted and shows only 10 words of text, a placeholder rather than a paper; "
        "add the paper's own PDF (unprotected, e.g. qpdf --decrypt) instead"
    ]


def test_papers_plain_listing_says_in_one_line_why_a_file_is_not_in_the_library(library: Any) -> None:
    run, _ = library
    code, out, _ = run("papers")
    assert code == 0
    assert "encrypted.pdf: not added: encrypted.pdf: the PDF is encrypted and shows only 10 words" in out
    assert "huddles.md: Ward huddles — (no authors) (n.d.)\n  2 passages; sections: Ward huddles | Methods\n" in out


def test_edit_writes_the_sidecar_and_the_next_build_uses_it(library: Any) -> None:
    run, settings = library
    code, out, _ = run("papers", "edit", "huddles.md", "--year", "2021", "--authors", "Smith, J.; Jones, K.")
    sidecar = settings.corpus.dir / "huddles.md.toml"
    assert (code, out) == (0, "wrote corpus/huddles.md.toml; run `rag index` to use it\n")
    assert tomllib.loads(sidecar.read_text(encoding="utf-8")) == {"authors": ["Smith, J.", "Jones, K."], "year": 2021}
    build_index(settings, HashEmbedder, progress=False)
    [row] = [r for r in paper_records(load_index(settings)) if r.doc == "huddles.md"]
    assert (row.authors, row.year, row.sources["year"], row.sources["authors"]) == (
        ("Smith, J.", "Jones, K."),
        2021,
        "sidecar",
        "sidecar",
    )
    edit_facts(settings.corpus.dir, "huddles.md", year="")  # an empty value clears the fact again
    assert tomllib.loads(sidecar.read_text(encoding="utf-8")) == {"authors": ["Smith, J.", "Jones, K."]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["edit", "huddles.md", "--year", "twenty"], "error: year 'twenty' is not a year: give it as four digits"),
        (["edit", "missing.pdf", "--year", "2020"], "error: no file 'missing.pdf' in corpus; files there: budgets"),
        (["edit", "huddles.md"], "error: nothing to edit: give at least one of --title"),
        (["remove", "../etc.txt"], "error: no file '../etc.txt' in corpus"),
    ],
)
def test_bad_edits_are_one_line_and_exit_2(library: Any, args: list[str], message: str) -> None:
    run, _ = library
    code, out, err = run("papers", *args)
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith(message)


def test_remove_moves_the_file_aside_and_its_passages_leave_the_index(library: Any) -> None:
    run, settings = library
    corpus = settings.corpus.dir
    code, out, _ = run("papers", "remove", "budgets.txt")
    assert code == 0
    assert not (corpus / "budgets.txt").exists()
    assert (corpus / ".removed" / "budgets.txt").read_text(encoding="utf-8") == TXT
    index = load_index(settings)  # not stale: the build after the move ran
    assert {c.doc for c in index.chunks} == {"huddles.md"}
    assert out == "moved budgets.txt to corpus/.removed/budgets.txt; 2 passages left in index\n"


def test_reread_drops_the_cached_passages_of_one_paper(library: Any) -> None:
    run, settings = library
    cache = settings.index_dir / "cache"
    before = sorted(p.name for p in cache.iterdir())
    # passages, their vectors, their sentences' vectors and spans
    assert forget_cached(settings.corpus.dir, settings.index_dir, "huddles.md") == 4
    code, out, _ = run("papers", "reread", "huddles.md")
    assert (code, sorted(p.name for p in cache.iterdir())) == (0, before)
    assert out == "re-read huddles.md; 4 passages in index\n"


def test_unknown_fact_names_the_editable_ones(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TXT, encoding="utf-8")
    with pytest.raises(RagError) as caught:
        edit_facts(tmp_path, "a.txt", colour="blue")
    assert str(caught.value) == (
        "cannot edit colour: the facts are title, authors, year, venue, volume, issue, pages, doi, work"
    )


def test_papers_json_lists_each_papers_references_kept_out_of_its_passages(library: Any) -> None:
    run, settings = library
    paper = MD + "\n## References\n\nSmith, J., & Jones, K. (2019). Huddles on the ward. Journal of Nursing, 12(3).\n"
    (settings.corpus.dir / "huddles.md").write_text(paper, encoding="utf-8")
    build_index(settings, HashEmbedder, progress=False)
    code, out, _ = run("papers", "--json")
    rows = {r["doc"]: r for r in json.loads(out)}
    assert code == 0
    assert rows["huddles.md"]["references"] == [
        {
            "text": "Smith, J., & Jones, K. (2019). Huddles on the ward. Journal of Nursing, 12(3).",
            "number": None,
            "authors": ["Smith, J.", "Jones, K."],
            "year": 2019,
            "title": "Huddles on the ward",
            "venue": "Journal of Nursing",
            "doi": "",
            "url": "",
            # (where the file prints it)
            "page": None,
            "start": paper.index("Smith, J."),
            "end": paper.index("Smith, J.")
            + len("Smith, J., & Jones, K. (2019). Huddles on the ward. Journal of Nursing, 12(3)."),
        }
    ]
    assert (rows["huddles.md"]["passages"], rows["budgets.txt"]["references"]) == (2, [])
    code, out, _ = run("papers")
    assert "  1 references (--json lists them)" in out.splitlines()


def test_the_library_page_lists_a_reference_as_parsed_or_as_printed() -> None:
    from ui.library import _reference_line

    parsed = {"text": "...", "number": 3, "authors": ["Ng L", "Patel R"], "year": 2021, "title": "Safety huddles",
              "venue": "BMJ Qual Saf", "doi": "10.1/x_y", "url": ""}  # fmt: skip
    unparsed = {"text": "Hospitals *2010*", "number": None, "authors": [], "year": None, "title": "", "venue": ""}
    assert _reference_line(3, parsed) == "3. Ng L; Patel R (2021). Safety huddles. *BMJ Qual Saf*. doi:10.1/x\\_y"
    assert _reference_line(7, unparsed) == "7. Hospitals \\*2010\\*"
