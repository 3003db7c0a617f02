"""Tests of building and loading the index (rag.index_build, rag.index) with the hash embedder: manifest,
incremental cache, staleness, skips, atomic swaps."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes import HashEmbedder

import rag.index_build
import rag.readers
import rag.sentence_layout
from rag.adapt import switch_off
from rag.errors import CorpusError, IndexMissingError, IndexNotWritableError, StaleIndexError
from rag.index import load_index
from rag.index_build import BuildReport, build_index
from rag.manifest import read_manifest, staleness
from rag.sentence_layout import passage_sentences
from rag.sentences import split_sentences
from rag.settings import CLEANING_VERSION, Settings, load_settings
from rag.vector_store import FaissStore
from tests.fakes import clear_settings_environment

ROOT = Path(__file__).resolve().parents[1]
PDF_FOLDERS = (ROOT / "tests" / "fixtures" / "pdfs", Path("/work/shared/peer-pdfs"))
SCANNED = next(f / "scanned-no-text.pdf" for f in PDF_FOLDERS if (f / "scanned-no-text.pdf").is_file())
READABLE_PDF = SCANNED.parent / "encrypted.pdf"  # opens with the empty password: one placeholder page of text
CHUNKING = {"target_chars": 900, "max_tokens": 200, "overlap_sentences": 1}

A_INTRO = "Shared leadership spreads influence across a team. Members lead one another to a goal."
A_METHODS = "We interviewed twelve ward managers in two hospitals. Each interview lasted an hour."
B_RESULTS = "Finance directors held monthly budget reviews with consultants. Savings plans were agreed."
C_DISCUSSION = "Rota gaps were filled by agency nurses on night shifts. Matrons kept a weekly staffing log."
PAPERS = {
    "a-shared.txt": f"Shared leadership in teams\n\nIntroduction\n\n{A_INTRO}\n\nMethods\n\n{A_METHODS}\n",
    "b-budgets.txt": f"Budgets and clinical engagement\n\nResults\n\n{B_RESULTS}\n",
    "c-wards.txt": f"Nursing rotas on acute wards\n\nDiscussion\n\n{C_DISCUSSION}\n",
}
CHUNKS = 7  # one body passage per section, and each title line as front matter


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clear_settings_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)


class CountingFactory:
    """An embedder factory that hands out one HashEmbedder and counts how often it was asked for one."""

    def __init__(self) -> None:
        self.embedder = HashEmbedder()
        self.made = 0

    def __call__(self) -> HashEmbedder:
        self.made += 1
        return self.embedder


def _corpus(root: Path, papers: dict[str, str] = PAPERS) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in papers.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def _settings(root: Path, **chunking: int) -> Settings:
    return load_settings(index_dir=root / "index", corpus={"dir": root / "corpus"}, chunking={**CHUNKING, **chunking})


def _build(settings: Settings) -> tuple[BuildReport, CountingFactory]:
    factory = CountingFactory()
    return build_index(settings, factory, progress=False), factory


def _ids(settings: Settings) -> list[str]:
    return [c.chunk_id for c in load_index(settings, check_corpus=False).chunks]


def _fix(settings: Settings) -> str:
    return f"run `rag index --corpus {settings.corpus.dir} --index {settings.index_dir}`"


def test_build_records_files_and_fingerprint(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    settings = _settings(tmp_path)
    report, factory = _build(settings)
    assert (report.indexed, report.reused, report.skipped, report.chunks) == (sorted(PAPERS), [], {}, CHUNKS)
    assert factory.made == 1
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    assert manifest.files == {n: hashlib.sha256((corpus / n).read_bytes()).hexdigest() for n in PAPERS}
    assert (manifest.fingerprint, manifest.model, manifest.cleaning_version) == (
        settings.index_fingerprint(),
        settings.embedding.model,
        CLEANING_VERSION,
    )
    assert (manifest.chunking, manifest.skipped, manifest.chunks) == (CHUNKING, {}, CHUNKS)
    assert manifest.docs == {name: name.removesuffix(".txt") for name in PAPERS}
    assert {w: m["title"] for w, m in manifest.papers.items()} == {
        "a-shared": "Shared leadership in teams",
        "b-budgets": "Budgets and clinical engagement",
        "c-wards": "Nursing rotas on acute wards",
    }


def test_loaded_index_holds_the_passages(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    index = load_index(settings)
    assert [(c.doc, c.section, c.kind, c.text) for c in index.chunks] == [
        ("a-shared.txt", "Front matter", "front", "Shared leadership in teams"),
        ("a-shared.txt", "Introduction", "body", A_INTRO),
        ("a-shared.txt", "Methods", "body", A_METHODS),
        ("b-budgets.txt", "Front matter", "front", "Budgets and clinical engagement"),
        ("b-budgets.txt", "Results", "body", B_RESULTS),
        ("c-wards.txt", "Front matter", "front", "Nursing rotas on acute wards"),
        ("c-wards.txt", "Discussion", "body", C_DISCUSSION),
    ]
    assert len(index.vectors) == CHUNKS
    for chunk in index.chunks:
        raw = (corpus / chunk.doc).read_text(encoding="utf-8")
        assert raw[chunk.start : chunk.end] == chunk.text


def test_sentence_layout_is_stored_and_loads_as_split(tmp_path: Path) -> None:
    """Loading reads the sentence spans written at build time; an index without them is split again, alike."""
    _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    index = load_index(settings)
    _, spans, rows = passage_sentences(index.chunks)
    assert index.sentence_spans == tuple(tuple(s) for s in spans)
    assert index.sentence_rows == tuple(tuple(r) for r in rows)
    assert [(a, b) for a, b in index.sentence_spans[1]] == split_sentences(A_INTRO)
    stored = next(settings.index_dir.glob("gen-*")) / "sentences.json"
    stored.unlink()
    again = load_index(settings)
    assert again.sentence_spans == index.sentence_spans and again.sentence_rows == index.sentence_rows


def test_rebuild_embeds_nothing(tmp_path: Path) -> None:
    _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    before = _ids(settings)
    report, factory = _build(settings)
    assert (report.indexed, report.reused) == ([], sorted(PAPERS))
    assert (factory.made, factory.embedder.calls) == (0, [])
    assert _ids(settings) == before


def test_rebuild_with_nothing_changed_reads_no_paper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    generation = (tmp_path / "index" / "CURRENT").read_text()

    def no_reading(path: Path) -> None:
        raise AssertionError(f"{path.name} was read although nothing changed")

    monkeypatch.setattr(rag.readers, "read_source", no_reading)  # rag.index_build imports it when a file needs reading
    report, _ = _build(settings)
    assert (report.indexed, report.reused, report.chunks) == ([], sorted(PAPERS), CHUNKS)
    assert (tmp_path / "index" / "CURRENT").read_text() == generation  # no new generation written


def test_changed_file_is_the_only_one_split_into_sentences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    before = load_index(settings)
    split: list[str] = []

    def counting_split(text: str) -> list[tuple[int, int]]:
        split.append(text)
        return split_sentences(text)

    monkeypatch.setattr(rag.sentence_layout, "split_sentences", counting_split)
    (corpus / "c-wards.txt").write_text(PAPERS["c-wards.txt"] + "\nNight shifts were covered. \n", encoding="utf-8")
    _build(settings)
    after = load_index(settings)
    wards = {c.text for c in after.chunks if c.doc == "c-wards.txt"}
    assert (len(split) > 0, set(split) <= wards) == (True, True)  # the other papers' spans came from the cache
    spans_before = {c.chunk_id: before.sentence_spans[i] for i, c in enumerate(before.chunks)}
    spans_after = {c.chunk_id: after.sentence_spans[i] for i, c in enumerate(after.chunks) if c.doc != "c-wards.txt"}
    assert spans_after == {cid: spans_before[cid] for cid in spans_after}


def test_changed_file_is_the_only_one_embedded(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    changed = PAPERS["b-budgets.txt"] + "\nCapital spending was frozen. Bids were deferred.\n"
    (corpus / "b-budgets.txt").write_text(changed, encoding="utf-8")
    report, factory = _build(settings)
    assert (report.indexed, report.reused) == (["b-budgets.txt"], ["a-shared.txt", "c-wards.txt"])
    # Exactly what indexing that one file on its own embeds, nothing more.
    alone = tmp_path / "alone"
    _corpus(alone, {"b-budgets.txt": changed})
    _, reference = _build(_settings(alone))
    assert factory.embedder.texts == reference.embedder.texts
    files = load_index(settings).manifest.files
    assert files["b-budgets.txt"] == hashlib.sha256(changed.encode()).hexdigest()


def test_changed_chunking_leaves_a_stale_index_that_answers(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _corpus(tmp_path)
    _build(_settings(tmp_path))
    other = _settings(tmp_path, max_tokens=100)
    reason = "the index was built with other model, chunking or cleaning settings"
    assert staleness(other) == reason
    assert len(load_index(other).chunks) == CHUNKS
    assert [r.getMessage() for r in caplog.records] == [
        f"{reason}; answers come from the index as it was built: {_fix(other)} to update it"
    ]


def test_another_model_is_refused(tmp_path: Path) -> None:
    """Vectors of another model cannot be compared with the question's: that index is not searched."""
    _corpus(tmp_path)
    _build(_settings(tmp_path))
    other = load_settings(
        index_dir=tmp_path / "index",
        corpus={"dir": tmp_path / "corpus"},
        chunking=CHUNKING,
        embedding={"model": "other-model"},
    )
    with pytest.raises(StaleIndexError) as error:
        load_index(other)
    assert str(error.value) == (f"the index was built with the model all-MiniLM-L6-v2, not other-model: {_fix(other)}")


def test_changed_corpus_leaves_a_stale_index_that_answers(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    corpus = _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    (corpus / "a-shared.txt").write_text(PAPERS["a-shared.txt"] + "\nOne more line.\n", encoding="utf-8")
    (corpus / "c-wards.txt").unlink()
    (corpus / "d-new.txt").write_text("A new paper\n\nResults\n\nNothing was found.\n", encoding="utf-8")
    reason = (
        "the corpus changed since the index was built (added: d-new.txt; removed: c-wards.txt; changed: a-shared.txt)"
    )
    assert staleness(settings) == reason
    assert len(load_index(settings).chunks) == CHUNKS
    assert [r.getMessage() for r in caplog.records] == [
        f"{reason}; answers come from the index as it was built: {_fix(settings)} to update it"
    ]


def test_fresh_index_is_not_stale(tmp_path: Path) -> None:
    _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    assert staleness(settings) is None


def test_missing_index(tmp_path: Path) -> None:
    _corpus(tmp_path)
    settings = _settings(tmp_path)
    assert staleness(settings) == f"no index in {settings.index_dir}"
    with pytest.raises(IndexMissingError) as error:
        load_index(settings)
    assert str(error.value) == f"no index in {settings.index_dir}: {_fix(settings)}"


def test_missing_corpus_folder(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with pytest.raises(CorpusError) as error:
        _build(settings)
    assert str(error.value) == (
        f"corpus folder {settings.corpus.dir} not found: create it and add papers, or pass --corpus DIR"
    )


SCAN_SKIP = "scanned-no-text.pdf: the PDF has no text layer (a scan?); run OCR on it (e.g. ocrmypdf) and add the result"
SKIPPED = {"scanned-no-text.pdf": SCAN_SKIP}


def test_unreadable_file_is_skipped_and_recorded(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    shutil.copy(SCANNED, corpus / "scanned-no-text.pdf")
    settings = _settings(tmp_path)
    report, _ = _build(settings)
    assert (report.indexed, report.skipped, report.chunks) == (sorted(PAPERS), SKIPPED, CHUNKS)
    index = load_index(settings)  # the skipped file does not make the index stale
    # Skipped files are hashed too, so fixing one under the same name makes the index stale.
    assert (sorted(index.manifest.files), index.manifest.skipped) == (sorted([*PAPERS, *SKIPPED]), SKIPPED)
    assert sorted({c.doc for c in index.chunks}) == sorted(PAPERS)


def test_replacing_a_skipped_file_makes_the_index_stale(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    shutil.copy(SCANNED, corpus / "scanned-no-text.pdf")
    settings = _settings(tmp_path)
    _build(settings)
    shutil.copy(READABLE_PDF, corpus / "scanned-no-text.pdf")  # e.g. the OCR'd version
    assert staleness(settings) == ("the corpus changed since the index was built (changed: scanned-no-text.pdf)")


def test_editing_the_catalog_makes_the_index_stale(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    catalog = corpus / "catalog.toml"
    catalog.write_text('[files."a-shared.txt"]\nwork = "smith-2021"\ntitle = "Old"\n', encoding="utf-8")
    settings = _settings(tmp_path)
    _build(settings)
    catalog.write_text('[files."a-shared.txt"]\nwork = "smith-2022"\ntitle = "New"\n', encoding="utf-8")
    assert staleness(settings) == ("the corpus changed since the index was built (changed: catalog.toml or a sidecar)")


def test_nothing_readable_to_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SCANNED, corpus / "scanned-no-text.pdf")
    with pytest.raises(CorpusError) as error:
        _build(_settings(tmp_path))
    assert str(error.value) == f"nothing to index: {SCAN_SKIP}"


def _fail_saving_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: FaissStore, path: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(FaissStore, "save", crash)


def _fail_swapping_current(monkeypatch: pytest.MonkeyPatch) -> None:
    real = rag.index_build.atomic_write

    def crash(path: Path, data: bytes) -> None:
        if path.name == "CURRENT":
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(rag.index_build, "atomic_write", crash)


@pytest.mark.parametrize("crash", [_fail_saving_vectors, _fail_swapping_current])
def test_crashed_build_leaves_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash: Callable[[pytest.MonkeyPatch], None]
) -> None:
    corpus = _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    before = _ids(settings)
    pointer = (settings.index_dir / "CURRENT").read_text(encoding="utf-8")
    (corpus / "c-wards.txt").write_text(PAPERS["c-wards.txt"] + "\nA ward closed.\n", encoding="utf-8")
    crash(monkeypatch)
    with pytest.raises(IndexNotWritableError) as error:
        _build(settings)
    assert str(error.value) == (
        f"could not write the index in {settings.index_dir} (disk full); the previous index is unchanged: "
        "free some space or fix the folder, then run `rag index` again"
    )
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    assert (settings.index_dir / "CURRENT").read_text(encoding="utf-8") == pointer
    assert _ids(settings) == before
    assert staleness(settings) == "the corpus changed since the index was built (changed: c-wards.txt)"
    # The next build succeeds and cleans up what the crashed one left behind.
    report, _ = _build(settings)
    assert (report.chunks, staleness(settings)) == (CHUNKS, None)
    assert sorted(p.name for p in settings.index_dir.iterdir() if p.name not in ("cache", ".lock")) == [
        "CURRENT",
        (settings.index_dir / "CURRENT").read_text(encoding="utf-8"),
    ]


def test_two_renderings_of_a_real_paper_index_as_one_work(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (
        "aufegger-2020-sharing-leadership.pdf.txt",
        "aufegger-2020-sharing-leadership.web.txt",
        "catalog.toml",
    ):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    settings = _settings(tmp_path)
    report, _ = _build(settings)
    index = load_index(settings)
    assert index.manifest.docs == {
        "aufegger-2020-sharing-leadership.pdf.txt": "aufegger-2020",
        "aufegger-2020-sharing-leadership.web.txt": "aufegger-2020",
    }
    assert list(index.papers) == ["aufegger-2020"]
    assert index.papers["aufegger-2020"].doi == "10.1136/leader-2020-000228"
    web = [c.section for c in index.chunks if c.doc.endswith(".web.txt")]
    assert (report.chunks, web) == (56, ["Front matter", "Acknowledgments", "Footnotes", "Footnotes"])


def test_an_adapted_model_embeds_the_papers_again_and_switching_back_reuses_the_cache(tmp_path: Path) -> None:
    _corpus(tmp_path)
    settings = _settings(tmp_path)
    _build(settings)
    models = settings.index_dir / "models"
    (models / "adapted-0123456789ab").mkdir(parents=True)
    (models / "adapted-0123456789ab" / "config.json").write_text("{}", encoding="utf-8")
    (models / "ADAPTED").write_text("0123456789ab\n", encoding="utf-8")
    assert staleness(settings) == (
        "the papers are to be embedded with a model adapted to the papers (`rag adapt` or `rag index` does it)"
    )
    report, factory = _build(settings)
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    assert (report.indexed, factory.made, manifest.adapted, staleness(settings)) == (
        sorted(PAPERS),
        1,
        "0123456789ab",
        None,
    )
    assert switch_off(settings.index_dir) is True
    assert staleness(settings) == (
        "the papers are to be embedded with the packaged model (`rag adapt` or `rag index` does it)"
    )
    report, factory = _build(settings)
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    assert (report.reused, factory.made, manifest.adapted) == (sorted(PAPERS), 0, "")
