"""The page in a real Chromium: `streamlit run app.py` in a subprocess, driven through Playwright's sync API.

One question is asked as a user would; then: its highlighted span and [1] link, the conversation's Markdown
export (every in-text citation matched to one reference), a reload and a server restart that keep the
conversation, the course-pack flow down to the Word file, keyboard reach, and axe-core (WCAG 2.2 A/AA, from npm
via `make axe`) on every page, failing on serious or critical violations. Screenshots go to tests/artifacts/.
Needs /usr/bin/chromium (`make browser-deps`); skips, saying so, without it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from test_app import AUFEGGER_Q, AUFEGGER_TITLE, build_ui_index
from test_export import check_agreement, docx_parts, markdown_parts

from rag.conversations import ConversationStore
from tests.fakes import clean_environment

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_S = 90
ANSWER_MS = 180_000  # the server loads the embedding model on the first question
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BARRIERS_Q = "What barriers to shared leadership did clinical and non-clinical managers report?"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("localhost", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"streamlit did not listen on port {port} within {SERVER_START_S}s:\n{log.read_text()}")


@contextmanager
def serve(env: dict[str, str], log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port; yields its URL; the server is always stopped."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.headless", "true"]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_for_port(port, server, log)
            yield f"http://localhost:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="module")
def app_env(tmp_path_factory: pytest.TempPathFactory, seed_index: Any) -> dict[str, str]:
    if not CHROMIUM.is_file():
        pytest.skip(f"chromium not installed: {CHROMIUM} is missing; install it with `make browser-deps`")
    env = clean_environment()
    env.update(build_ui_index(tmp_path_factory.getbasetemp() / "ui", seed_index))
    return env


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("streamlit") / "server.log"


@pytest.fixture(scope="module")
def page_url(app_env: dict[str, str], server_log: Path) -> Iterator[str]:
    with serve(app_env, server_log) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():  # asked for before the page's fixture in some tests: skip here too
        pytest.skip(f"chromium not installed: {CHROMIUM} is missing; install it with `make browser-deps`")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def ask(page: Any, question: str, turn: int) -> Any:
    box = page.get_by_placeholder("Ask a question about shared leadership")
    box.fill(question)
    box.press("Enter")
    card = page.locator(f"#src-{turn}-1")
    card.locator("mark").first.wait_for(timeout=ANSWER_MS)
    return card


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical WCAG 2.2 A/AA violations on the page as drawn, one line each."""
    if not AXE.is_file():
        pytest.skip(f"axe-core not installed: {AXE} is missing; run `make axe` (needs npm)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[(n['target'], n['html'][:160]) for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def download(page: Any, name: str, scope: Any = None) -> bytes:
    with page.expect_download() as info:
        (scope or page).get_by_role("button", name=name, exact=True).first.click()
    return Path(info.value.path()).read_bytes()


@pytest.fixture(scope="module")
def asked(browser: Any, page_url: str, app_env: dict[str, str]) -> Iterator[tuple[Any, str]]:
    """A page with one conversation of two answers (the only one saved); yields it and the conversation's URL."""
    store = ConversationStore.beside_index(Path(app_env["RAG_INDEX_DIR"]))
    for conversation in store.conversations():
        store.delete(conversation.id)
    page = browser.new_page(viewport={"width": 1400, "height": 1500}, accept_downloads=True)
    page.goto(page_url, timeout=60_000)
    ask(page, AUFEGGER_Q, 0)
    ask(page, BARRIERS_Q, 1)
    page.wait_for_url("**?c=*")
    yield page, page.url
    page.close()


def test_answer_highlights_the_cited_span(asked: tuple[Any, str]) -> None:
    page, _ = asked
    card = page.locator("#src-0-1")
    marks = [" ".join(m.split()) for m in card.locator("mark").all_inner_texts()]
    passage = " ".join(card.locator(".src-text").inner_text().split())
    # A number question opens with the sentence holding the number; its source is card 1, highlighted.
    assert any(m.startswith("Twenty participants were interviewed (age range") for m in marks)
    assert all(m in passage for m in marks)
    assert card.locator(".src-head").inner_text().endswith(AUFEGGER_TITLE)
    link = page.locator('a.cite[href="#src-0-1"]').first
    assert link.inner_text().startswith("Aufegger et al., 2020")  # the page cites papers, as the exports do
    link.click()
    page.wait_for_url("**#src-0-1")
    page.wait_for_timeout(500)  # let the cards settle before the picture
    page.screenshot(path=str(ARTIFACTS / "ui-answer.png"))


def test_conversation_export_cites_what_its_references_list(asked: tuple[Any, str]) -> None:
    page, _ = asked
    sidebar = page.locator('[data-testid="stSidebar"]')
    markdown = download(page, "Markdown", sidebar).decode("utf-8")
    body, references = markdown_parts(markdown)
    check_agreement(body, references, "apa", works=len(references))
    assert markdown.startswith("# How many clinical and non-clinical leaders were interviewed")
    assert f"## {BARRIERS_Q}" in markdown


def test_keyboard_reaches_question_box_citations_cards_and_exports(asked: tuple[Any, str]) -> None:
    page, _ = asked
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    reached: list[str] = []
    for _ in range(140):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "() => { const e = document.activeElement; return (e.className || '') + '|' + "
                "(e.getAttribute('placeholder') || e.innerText || '').slice(0, 40) }"
            )
        )
    assert any(r.startswith("cite|") for r in reached), "no citation link took focus"
    assert any(r.startswith("src-card|") for r in reached), "no source card took focus"
    assert any("Markdown" in r for r in reached), "no export button took focus"
    page.get_by_placeholder("Ask a question about shared leadership").focus()
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"


def test_conversation_survives_reload_and_restart(
    asked: tuple[Any, str], browser: Any, app_env: dict[str, str], tmp_path: Path
) -> None:
    page, url = asked
    page.reload()
    page.locator("#src-1-1").wait_for(timeout=60_000)
    assert page.get_by_text(BARRIERS_Q).count() >= 1
    query = url.split("?", 1)[1].split("#")[0]
    with serve(app_env, tmp_path / "restarted.log") as restarted:  # a second server: the first one's state is gone
        fresh = browser.new_page(viewport={"width": 1400, "height": 1500}, accept_downloads=True)
        fresh.goto(f"{restarted}/?{query}", timeout=60_000)
        fresh.locator("#src-1-1").wait_for(timeout=60_000)
        assert fresh.locator(".answer").count() == 2
        word = download(fresh, "Word", fresh.locator('[data-testid="stSidebar"]'))
        fresh.close()
    _document, body, entries = docx_parts(word)
    check_agreement(body, [p.text for p in entries], "apa", works=len(entries))
    assert all(p.hyperlinks for p in entries)


def test_course_pack_from_the_page(asked: tuple[Any, str], page_url: str) -> None:
    page, _ = asked
    page.goto(f"{page_url}/pack", timeout=60_000)
    page.get_by_role("heading", name="Course pack").wait_for()
    adds = page.get_by_role("button", name="Add")
    adds.first.wait_for()
    adds.nth(1).click()  # the barriers answer first ...
    page.get_by_label("Heading of answer 1").wait_for()
    page.get_by_role("button", name="Add").nth(0).click()  # ... then the count answer
    page.get_by_label("Heading of answer 2").wait_for()
    heading = page.get_by_label("Heading of answer 1")
    heading.fill("Barriers to shared leadership")
    heading.press("Enter")
    page.get_by_label("Note for answer 1 (optional)").fill("Discuss in pairs.")
    page.get_by_label("Title of the handout").fill("Week 1 handout")
    page.get_by_label("Title of the handout").press("Enter")
    page.wait_for_timeout(1500)
    assert serious_violations(page) == []
    document, body, entries = docx_parts(download(page, "Word"))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name in ("Title", "Heading 1")]
    assert headings[:3] == ["Week 1 handout", "Barriers to shared leadership", AUFEGGER_Q]
    assert headings[-2:] == ["Appendix: quoted passages", "References"]
    assert "Discuss in pairs." in body
    check_agreement(body, [p.text for p in entries], "apa", works=len(entries))
    page.screenshot(path=str(ARTIFACTS / "ui-pack.png"), full_page=True)


@pytest.mark.parametrize("path", ["", "library", "evaluation"])
def test_no_serious_accessibility_violations(asked: tuple[Any, str], page_url: str, path: str) -> None:
    page, url = asked
    page.goto(url if not path else f"{page_url}/{path}", timeout=60_000)
    page.locator("h1").first.wait_for()
    if not path:
        page.locator("#src-1-1").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert serious_violations(page) == []


def test_server_log_has_no_deprecation_warning(asked: tuple[Any, str], server_log: Path) -> None:
    log = server_log.read_text(errors="replace")
    assert "deprecat" not in log.lower(), log
