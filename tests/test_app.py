"""The Streamlit page driven by streamlit.testing (slow: real model); the library operations behind it (fast).

The page tests run app.py against a copy of the project's corpus indexed in a temporary folder; the fast tests
check rag.library's upload rules, paper listing and eval-run lookup on tiny corpora with the hash embedder.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from fakes import HashEmbedder
from streamlit.testing.v1 import AppTest

from rag.assistant import Assistant
from rag.conversations import ConversationStore
from rag.errors import CorpusError, RagError, UnreadableFileError
from rag.export import answer_to_plain_text, answers_to_docx
from rag.index import staleness
from rag.library import (
    UploadRejectedError,
    add_paper,
    latest_eval_run,
    list_papers,
    passages_per_doc,
    safe_file_name,
    save_upload,
)
from rag.settings import Settings, load_settings
from tests.fakes import clear_settings_environment

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
SCANNED = ROOT / "tests" / "fixtures" / "pdfs" / "scanned-no-text.pdf"
MB = 2**20
ADD_TYPES = "add .pdf, .txt, .md or .html files"
NO_TEXT_LAYER = "the PDF has no text layer (a scan?); run OCR on it (e.g. ocrmypdf) and add the result"

AUFEGGER_Q = "How many clinical and non-clinical leaders were interviewed in the Aufegger study?"
AUFEGGER_TITLE = (
    "Sharing leadership: current attitudes, barriers and needs of clinical and non-clinical managers in "
    "UK's integrated care system"
)
STP_WOMEN_Q = "What proportion of the clinical leaders in the STP study were women?"
GENDER_Q = "What was the gender split of participants in the Aufegger ICS study?"
ABSTAIN = "The papers don't say."
VANCOUVER_AUFEGGER = (
    "1. Aufegger L, Alabi M, Darzi A, Bicknell C. Sharing leadership: current attitudes, barriers and needs "
    "of clinical and non-clinical managers in UK's integrated care system. BMJ Leader. 2020;4(3):128–34. "
    "doi:10.1136/leader-2020-000228"
)
APA_AUFEGGER = (
    "Aufegger, L., Alabi, M., Darzi, A., & Bicknell, C. (2020). Sharing leadership: current attitudes, "
    "barriers and needs of clinical and non-clinical managers in UK's integrated care system. BMJ Leader, "
    "4(3), 128–134. https://doi.org/10.1136/leader-2020-000228"
)


@pytest.fixture(autouse=True)
def _no_rag_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_settings_environment(monkeypatch)


def build_ui_index(base: Path, seed: Callable[[Path], None]) -> dict[str, str]:
    """A copy of the project's corpus and its index under `base` (built once, from the session's starter index:
    conftest.py), as the env vars the app reads. test_browser.py and test_pack.py use it too: they share one
    folder per test session, so the index is built once."""
    corpus, index = base / "corpus", base / "index"
    if not corpus.is_dir():
        shutil.copytree(ROOT / "corpus", corpus)
    settings = load_settings(index_dir=index, corpus={"dir": corpus})
    if staleness(settings) is not None:
        seed(index)
        Assistant(settings).build(progress=False)
    return {"RAG_CORPUS__DIR": str(corpus), "RAG_INDEX_DIR": str(index)}


@pytest.fixture(scope="session")
def ui_env(tmp_path_factory: pytest.TempPathFactory, seed_index: Callable[[Path], None]) -> dict[str, str]:
    return build_ui_index(tmp_path_factory.getbasetemp() / "ui", seed_index)


def _collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
class TestPage:
    """app.py as a user drives it: ask, read the sources, abstain, filter, export, add a paper."""

    @pytest.fixture(autouse=True)
    def _point_at_ui_index(self, ui_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
        for name, value in ui_env.items():
            monkeypatch.setenv(name, value)

    @pytest.fixture(autouse=True)
    def _no_saved_conversations(self, _point_at_ui_index: None) -> None:
        store = ConversationStore.beside_index(load_settings().index_dir)
        for conversation in store.conversations():
            store.delete(conversation.id)

    @pytest.fixture
    def asks(self, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str], list[str] | None]]:
        """Every (question, history, works) the page passes to Assistant.ask."""
        calls: list[tuple[str, list[str], list[str] | None]] = []
        original: Callable[..., Any] = Assistant.ask

        def recording(self: Assistant, question: str, history: Any = (), works: Any = None, **kw: Any) -> Any:
            calls.append((question, list(history), None if works is None else list(works)))
            return original(self, question, history, works, **kw)

        monkeypatch.setattr(Assistant, "ask", recording)
        return calls

    @staticmethod
    def saved(at: AppTest) -> list[dict[str, Any]]:
        """The answers of the conversation the page has open, as saved in the store beside the index."""
        store = ConversationStore.beside_index(load_settings().index_dir)
        return store.answers(TestPage.conversation(at))

    @staticmethod
    def conversation(at: AppTest) -> str:
        value = at.query_params["c"]
        return value if isinstance(value, str) else value[0]

    @classmethod
    def ask(cls, at: AppTest, question: str) -> dict[str, Any]:
        at.chat_input(key="question").set_value(question).run()
        assert [e.value for e in at.exception] == []
        assert [e.value for e in at.error] == []
        answers = cls.saved(at)
        assert answers[-1]["question"] == question
        return answers[-1]

    @staticmethod
    def markdown_with(at: AppTest, needle: str) -> str:
        found = [m.value for m in at.markdown if needle in m.value]
        assert len(found) == 1, f"{len(found)} markdown elements hold {needle!r}"
        return found[0]

    @pytest.fixture
    def app(self) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120).run()
        assert [e.value for e in at.exception] == []
        assert at.title[0].value == "Ask the papers"
        return at

    def test_answer_markers_link_to_highlighted_source_cards(self, app: AppTest) -> None:
        answer = self.ask(app, AUFEGGER_Q)
        assert answer["abstained"] is False
        assert {c["work"] for c in answer["citations"]} == {"aufegger-2020"}
        text = self.markdown_with(app, '<div class="answer">')
        assert '<a class="cite" href="#src-0-1" title="Aufegger, L., Alabi, M., Darzi, A., &amp; Bicknell' in text
        assert re.search(r'">Aufegger et al\., 2020, [^<]+</a>\)', text)  # (Aufegger et al., 2020, locator)
        cards = self.markdown_with(app, '<div class="panel-title">Sources</div>')
        assert '<div class="src-card" id="src-0-1" tabindex="0"' in cards
        assert html.escape(AUFEGGER_TITLE) in cards
        marks = [_collapse(html.unescape(m)) for m in re.findall(r"<mark>(.*?)</mark>", cards)]
        for cit in answer["citations"]:  # each cited span is highlighted in its passage
            assert any(_collapse(cit["quote"]) in m for m in marks), cit["quote"]
        modes = [c.value for c in app.main.caption if c.value.startswith("Answer mode")]
        sources = f"{len(answer['citations'])} source(s)"
        assert [m.split(" · ")[:2] for m in modes] == [["Answer mode: extractive", sources]]

    def test_follow_up_is_asked_with_the_earlier_question(self, app: AppTest, asks: list[Any]) -> None:
        self.ask(app, AUFEGGER_Q)
        self.ask(app, "And what barriers did they report?")
        assert asks == [(AUFEGGER_Q, [], None), ("And what barriers did they report?", [AUFEGGER_Q], None)]
        assert '<div class="src-card" id="src-1-1" tabindex="0"' in self.markdown_with(app, 'id="src-1-1"')

    def test_paper_filter_limits_the_search(self, app: AppTest, asks: list[Any]) -> None:
        app.sidebar.multiselect(key="works").set_value(["walsh-2023"]).run()
        answer = self.ask(app, AUFEGGER_Q)
        assert asks == [(AUFEGGER_Q, [], ["walsh-2023"])]
        assert {r["work"] for r in answer["retrieved"]} == {"walsh-2023"}

    def test_abstention_is_shown_with_related_passages(self, app: AppTest) -> None:
        answer = self.ask(app, GENDER_Q)
        assert answer["abstained"] is True
        assert app.info[0].value.startswith(ABSTAIN)
        related = self.markdown_with(app, "Related, but not an answer")
        assert '<div class="src-card related" id="rel-0-1" tabindex="0"' in related
        assert "<mark>" not in related

    def test_stp_women_question_abstains(self, app: AppTest) -> None:
        self.ask(app, STP_WOMEN_Q)
        assert app.info[0].value.startswith(ABSTAIN)

    def test_word_export_holds_the_references(self, app: AppTest) -> None:
        answer = self.ask(app, AUFEGGER_Q)
        buttons = [(b.key, b.label) for b in app.main.get("download_button")]
        assert buttons == [
            ("answer-1-md", "Markdown"),
            ("answer-1-docx", "Word"),
            ("answer-1-bib", "BibTeX"),
            ("answer-1-ris", "RIS"),
        ]
        # The Word button's data: answers_to_docx([answer], style, title=question), built on click.
        document = docx.Document(io.BytesIO(answers_to_docx([answer], "apa", title=AUFEGGER_Q)))
        paragraphs = [p.text for p in document.paragraphs]
        assert paragraphs.count(AUFEGGER_Q) == 1 and paragraphs[0] == AUFEGGER_Q
        assert paragraphs[paragraphs.index("References") + 1] == APA_AUFEGGER
        links = [link.url for p in document.paragraphs for link in p.hyperlinks]
        assert links == ["https://doi.org/10.1136/leader-2020-000228"]

    def test_conversation_is_saved_and_reopens_after_a_reload(self, app: AppTest) -> None:
        self.ask(app, AUFEGGER_Q)
        self.ask(app, "And what barriers did they report?")
        conversation = self.conversation(app)
        again = AppTest.from_file(str(APP), default_timeout=120)
        again.query_params["c"] = conversation  # a reload keeps the URL and nothing else
        again.run()
        assert [e.value for e in again.exception] == []
        asked = [message.markdown[0].value for message in again.main.chat_message if message.name == "user"]
        assert asked == [AUFEGGER_Q, "And what barriers did they report?"]
        title = again.sidebar.text_input(key=f"title-{conversation}")
        assert title.value == "How many clinical and non-clinical leaders were interviewed in the Aufegger …"
        title.set_value("Week 1").run()
        again.sidebar.button(key=f"rename-{conversation}").click().run()
        assert again.sidebar.selectbox(key=f"open-{conversation}").options[0].startswith("Week 1 · 2 questions · ")
        again.sidebar.checkbox(key=f"confirm-{conversation}").check().run()
        again.sidebar.button(key=f"delete-{conversation}").click().run()
        assert "c" not in again.query_params
        assert ConversationStore.beside_index(load_settings().index_dir).get(conversation) is None

    def test_reference_style_changes_the_copied_text(self, app: AppTest) -> None:
        answer = self.ask(app, AUFEGGER_Q)
        app.sidebar.selectbox(key="style").set_value("vancouver").run()
        copied = app.code[0].value
        assert copied == answer_to_plain_text(answer, "vancouver").rstrip("\n")  # st.code drops the last newline
        assert copied.endswith(f"References\n{VANCOUVER_AUFEGGER}")

    def test_unreadable_upload_leaves_the_library_unchanged(self, ui_env: dict[str, str]) -> None:
        corpus = Path(ui_env["RAG_CORPUS__DIR"])
        before = sorted(os.listdir(corpus))
        with pytest.raises(UnreadableFileError) as error:
            save_upload(corpus, "scanned.pdf", SCANNED.read_bytes(), 50 * MB)
        assert str(error.value) == f"scanned.pdf: {NO_TEXT_LAYER}"
        assert sorted(os.listdir(corpus)) == before
        assert staleness(load_settings()) is None


NASTY_PAPER = (
    "Ward leadership and <b>bold</b> claims\n\nFindings\n\n"
    "The matrons said <script>alert('x')</script> that rota gaps were filled by agency nurses on night shifts. "
    "Ward managers met the consultants every Monday <img src=x onerror=alert(1)> to agree the staffing plan.\n"
)


@pytest.mark.slow
def test_passage_html_is_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nasty.txt").write_text(NASTY_PAPER, encoding="utf-8")
    monkeypatch.setenv("RAG_CORPUS__DIR", str(corpus))
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    at = AppTest.from_file(str(APP), default_timeout=120).run()  # builds the index on first start
    at.chat_input(key="question").set_value("Who filled the rota gaps on night shifts?").run()
    assert [e.value for e in at.exception] == []
    drawn = "\n".join(m.value for m in at.markdown if "src-card" in m.value)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in drawn
    assert ("<script" in drawn, "<img" in drawn, "<b>" in drawn) == (False, False, False)
    assert "Ward leadership and &lt;b&gt;bold&lt;/b&gt; claims" in drawn


def _library_script() -> None:
    """The Library page alone (AppTest cannot switch pages that st.navigation builds from functions)."""
    from rag.settings import load_settings
    from ui import state
    from ui.library import library_page

    library_page(state.get_assistant(load_settings().model_dump_json()))


@pytest.mark.slow
def test_a_changed_library_answers_under_a_banner_then_papers_are_corrected_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ward.txt").write_text(NASTY_PAPER, encoding="utf-8")
    monkeypatch.setenv("RAG_CORPUS__DIR", str(corpus))
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    AppTest.from_file(str(APP), default_timeout=120).run()  # builds the index
    (corpus / "rota.txt").write_text("Rota planning\n\nFindings\n\nMatrons planned the rota weekly with HR staff.\n")
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert [w.value[:26] for w in at.warning] == ["The index is out of date: "]
    at.chat_input(key="question").set_value("Who filled the rota gaps on night shifts?").run()
    assert [e.value for e in at.exception] == [] and [e.value for e in at.error] == []
    assert any("agency nurses" in m.value for m in at.markdown)  # answered from the index as it was
    at.button(key="reindex").click().run()
    assert [w.value for w in at.warning] == []
    assert staleness(load_settings()) is None

    library = AppTest.from_function(_library_script, default_timeout=120).run()
    assert [e.value for e in library.exception] == []
    library.selectbox(key="manage-doc").set_value("rota.txt").run()
    library.text_input[0].set_value("Planning the ward rota")
    library.text_input[1].set_value("Jane Smith; Amir Khan")
    library.text_input[2].set_value("2021")
    library.button[0].click().run()  # the form's submit button
    assert [e.value for e in library.exception] == [] and [e.value for e in library.error] == []
    assert (corpus / "rota.txt.toml").read_text(encoding="utf-8").splitlines()[1:] == [
        'authors = ["Jane Smith", "Amir Khan"]', 'title = "Planning the ward rota"', "year = 2021",
    ]  # fmt: skip
    papers = {r.title: r.reference for r in list_papers(Assistant(load_settings()).index)}
    assert papers["Planning the ward rota"] == "Smith & Khan, 2021"
    library.selectbox(key="manage-doc").set_value("rota.txt").run()
    library.checkbox(key="sure-rota.txt").check().run()
    library.button(key="remove-rota.txt").click().run()
    assert sorted(p.name for p in corpus.iterdir()) == [".removed", "ward.txt"]
    assert sorted(r.docs[0] for r in list_papers(Assistant(load_settings()).index)) == ["ward.txt"]


# --- rag.library, fast -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "saved"),
    [
        ("paper.pdf", "paper.pdf"),
        ("../../etc/evil.txt", "evil.txt"),
        ("..\\..\\Windows\\Report.PDF", "Report.pdf"),
        ("My Paper (2021) final.pdf", "My-Paper-2021-final.pdf"),
        ("Ünïcödé café.md", "Unicode-cafe.md"),
        (".hidden.txt", "hidden.txt"),
        ("a..b.html", "a.b.html"),
        ("notes.HTM", "notes.htm"),
        ("  spaced name .txt ", "spaced-name.txt"),
    ],
)
def test_safe_file_name(uploaded: str, saved: str) -> None:
    assert safe_file_name(uploaded) == saved


@pytest.mark.parametrize(
    ("uploaded", "error", "message"),
    [
        ("setup.exe", UnreadableFileError, f"setup.exe: unsupported file type '.exe'; {ADD_TYPES}"),
        ("README", UnreadableFileError, f"README: unsupported file type (no suffix); {ADD_TYPES}"),
        ("catalog.toml", UnreadableFileError, f"catalog.toml: unsupported file type '.toml'; {ADD_TYPES}"),
        ("../", UnreadableFileError, f"../: unsupported file type (no suffix); {ADD_TYPES}"),
        ("(((.pdf", UploadRejectedError,
         "'(((.pdf' has no usable file name; rename it (letters and digits) and add it again"),
    ],
)  # fmt: skip
def test_safe_file_name_refuses(uploaded: str, error: type[RagError], message: str) -> None:
    with pytest.raises(error) as raised:
        safe_file_name(uploaded)
    assert str(raised.value) == message


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "paper.txt").write_text("Leaders share power.\n", encoding="utf-8")
    return folder


def test_save_upload_saves_under_the_clean_name(corpus: Path) -> None:
    path = save_upload(corpus, "New Paper.md", b"# Title\n\nClinicians and managers met weekly.\n", MB)
    assert path == corpus / "New-Paper.md"
    assert path.read_bytes() == b"# Title\n\nClinicians and managers met weekly.\n"
    assert sorted(os.listdir(corpus)) == ["New-Paper.md", "paper.txt"]


def test_save_upload_never_overwrites_a_paper(corpus: Path) -> None:
    path = save_upload(corpus, "paper.txt", b"Another paper about boards.\n", MB)
    again = save_upload(corpus, "PAPER.txt", b"A third paper about rotas.\n", MB)
    assert (path.name, again.name) == ("paper-2.txt", "PAPER-3.txt")
    assert (corpus / "paper.txt").read_text(encoding="utf-8") == "Leaders share power.\n"


def test_save_upload_keeps_clear_of_names_the_catalog_describes(corpus: Path) -> None:
    (corpus / "catalog.toml").write_text('[files."walsh.txt"]\ntitle = "A report"\n', encoding="utf-8")
    (corpus / "ng.txt.toml").write_text('title = "A sidecar without its paper"\n', encoding="utf-8")
    saved = [save_upload(corpus, n, f"Text of {n}.\n".encode(), MB).name for n in ("walsh.txt", "ng.txt")]
    assert saved == ["walsh-2.txt", "ng-2.txt"]


def test_save_upload_refuses_a_paper_already_there(corpus: Path) -> None:
    with pytest.raises(UploadRejectedError) as error:
        save_upload(corpus, "copy.txt", b"Leaders share power.\n", MB)
    assert str(error.value) == "copy.txt: this file is already in the library as paper.txt; nothing was added"
    assert sorted(os.listdir(corpus)) == ["paper.txt"]


def test_save_upload_refuses_a_file_over_the_limit(corpus: Path) -> None:
    with pytest.raises(UploadRejectedError) as error:
        save_upload(corpus, "big.txt", b"x" * (2 * MB), MB)
    assert str(error.value) == (
        "big.txt: 2.0 MB is over the upload limit of 1 MB; add a smaller file or raise corpus.max_upload_mb"
    )
    assert sorted(os.listdir(corpus)) == ["paper.txt"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", SCANNED.read_bytes(), f"scan.pdf: {NO_TEXT_LAYER}"),
        ("empty.txt", b"  \n", "empty.txt: the file holds no text; add a file with content or remove it"),
        ("blank.html", b"<html><script>x()</script></html>",
         "blank.html: the file holds no text; add a file with content or remove it"),
    ],
)  # fmt: skip
def test_save_upload_leaves_the_corpus_alone_for_an_unreadable_file(
    corpus: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(UnreadableFileError) as error:
        save_upload(corpus, name, data, 50 * MB)
    assert str(error.value) == message
    assert sorted(os.listdir(corpus)) == ["paper.txt"]  # nothing left behind, not even a hidden staging file


def test_save_upload_stays_inside_the_corpus(corpus: Path) -> None:
    path = save_upload(corpus, "../../outside.txt", b"Boards met monthly.\n", MB)
    assert path == corpus / "outside.txt"
    assert not (corpus.parent / "outside.txt").exists()


def test_save_upload_needs_the_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as error:
        save_upload(tmp_path / "missing", "paper.txt", b"Text.\n", MB)
    assert str(error.value) == f"corpus folder {tmp_path / 'missing'} not found: create it, or set RAG_CORPUS__DIR"


CATALOG = """
[files."ng-2022.txt"]
work = "ng-2022"
title = "Managers and clinicians"
authors = ["Sze May Ng"]
year = 2022
venue = "Health Services Management Research"
"""
NG_TEXT = (
    "Managers and clinicians\n\nResults\n\nFinance directors held monthly budget reviews with consultants. "
    "Savings plans were agreed with the clinical leads.\n"
)


@pytest.fixture
def small_library(tmp_path: Path) -> Assistant:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (folder / "ng-2022.txt").write_text(NG_TEXT, encoding="utf-8")
    settings: Settings = load_settings(index_dir=tmp_path / "index", corpus={"dir": folder})
    assistant = Assistant(settings, embedder_override=HashEmbedder())
    assistant.build(progress=False)
    return assistant


def test_add_paper_indexes_the_upload(small_library: Assistant) -> None:
    text = b"Ward leadership\n\nFindings\n\nMatrons kept a weekly staffing log. Agency staff filled rota gaps.\n"
    added = add_paper(small_library, "Ward Leadership.txt", text)
    assert (added.path.name, added.wanted, added.renamed) == (
        "Ward-Leadership.txt",
        "Ward-Leadership.txt",
        False,
    )
    assert added.report.indexed == ["Ward-Leadership.txt"]
    assert [(r.reference, r.title, r.docs) for r in list_papers(small_library.index)] == [
        ("Ng, 2022", "Managers and clinicians", ("ng-2022.txt",)),
        ("Ward Leadership, n.d.", "Ward leadership", ("Ward-Leadership.txt",)),
    ]
    assert staleness(small_library.settings) is None


def test_add_paper_takes_out_a_file_that_yields_no_passages(small_library: Assistant) -> None:
    corpus = small_library.settings.corpus.dir
    with pytest.raises(UnreadableFileError) as error:
        add_paper(small_library, "tiny.txt", b"Hello.")
    assert str(error.value) == "tiny.txt: no passages could be cut from its text; check the file"
    assert sorted(os.listdir(corpus)) == ["catalog.toml", "ng-2022.txt"]
    assert staleness(small_library.settings) is None
    assert sorted(small_library.index.manifest.files) == ["ng-2022.txt"]


def test_list_papers_and_passage_counts(small_library: Assistant) -> None:
    index = small_library.index
    rows = list_papers(index)
    assert [(r.work, r.reference, r.authors, r.year, r.venue, r.doi, r.docs) for r in rows] == [
        ("ng-2022", "Ng, 2022", "Sze May Ng", 2022, "Health Services Management Research", "", ("ng-2022.txt",)),
    ]
    counts = passages_per_doc(index)
    assert counts == {"ng-2022.txt": len(index.chunks)}
    assert rows[0].passages == counts["ng-2022.txt"]


def _write_run(folder: Path, recall: float, mtime: float) -> Path:
    folder.mkdir(parents=True)
    (folder / "metrics.json").write_text(json.dumps({"retrieval_recall@5": recall}), encoding="utf-8")
    (folder / "report.html").write_text(f"<h1>run {recall}</h1>", encoding="utf-8")
    os.utime(folder / "metrics.json", (mtime, mtime))
    return folder


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    return tmp_path / "evals" / "runs"


def test_latest_eval_run_is_the_newest_complete_one(runs: Path) -> None:
    _write_run(runs / "20240101-aaa", 0.5, 1_000)
    _write_run(runs / "20240301-bbb", 0.75, 3_000)
    (runs / "20240401-broken").mkdir()
    (runs / "20240401-broken" / "metrics.json").write_text("{}", encoding="utf-8")  # no report.html yet
    run = latest_eval_run(runs)
    assert run is not None
    assert (run.path.name, run.metrics, run.report_html) == (
        "20240301-bbb",
        {"retrieval_recall@5": 0.75},
        "<h1>run 0.75</h1>",
    )


def test_latest_eval_run_reads_evals_latest(runs: Path) -> None:
    _write_run(runs / "20240101-aaa", 0.5, 1_000)
    _write_run(runs.parent / "latest", 0.9, 2_000)
    run = latest_eval_run(runs)
    assert run is not None and run.path == runs.parent / "latest"


def test_latest_eval_run_is_none_without_runs(runs: Path) -> None:
    assert latest_eval_run(runs) is None


def test_evaluation_rows_show_each_metric_against_its_floor(tmp_path: Path) -> None:
    from ui.evaluation import limits, metric_rows, type_rows

    floors = tmp_path / "floors.toml"
    floors.write_text(
        "[floors]\nfaithfulness = 0.97\nmrr = 0.5\n[ceilings]\nanswer_words_p50 = 120\n", encoding="utf-8"
    )
    metrics = {"faithfulness": 0.99, "mrr": 0.4321, "answer_words_p50": 114.0, "by_type": {"list": {"mrr": 0.25}}}
    rows = {r["Metric"]: r for r in metric_rows(metrics, limits(floors))}
    assert rows["Faithfulness"] == {"Metric": "Faithfulness", "Value": "0.990", "Limit": "at least 0.970",
                                    "": "meets its floor"}  # fmt: skip
    assert (rows["Mean reciprocal rank"]["Value"], rows["Mean reciprocal rank"][""]) == ("0.432", "BELOW its floor")
    words = rows["Median answer length (words)"]
    assert (words["Value"], words["Limit"], words[""]) == ("114", "at most 120", "within its ceiling")
    assert rows["Citation recall"] == {"Metric": "Citation recall", "Value": "n/a", "Limit": "", "": ""}
    assert type_rows(metrics)[0]["Question type"] == "list"
    assert limits(tmp_path / "missing.toml") == {}
