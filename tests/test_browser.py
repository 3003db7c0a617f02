"""The page in a real Chromium: `streamlit run app.py` in a subprocess, driven through Playwright's sync API.

It asks a question as a user would, waits for the highlighted span in a source card, checks the span is part
of that card's passage and that the answer's [1] marker leads to the card, and saves a screenshot to
tests/artifacts/ui-answer.png. Needs /usr/bin/chromium (`make browser-deps`); skips, saying so, without it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_app import AUFEGGER_Q, build_ui_index

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
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


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the app served from a subprocess over the test index; the server is always stopped."""
    if not CHROMIUM.is_file():
        pytest.skip(f"chromium not installed: {CHROMIUM} is missing; install it with `make browser-deps`")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(build_ui_index(tmp_path_factory.getbasetemp() / "ui"))
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
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


def test_answer_highlights_the_cited_span(page_url: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.goto(page_url, timeout=60_000)
            box = page.get_by_placeholder("Ask a question about shared leadership")
            box.fill(AUFEGGER_Q)
            box.press("Enter")
            card = page.locator("#src-0-1")
            card.locator("mark").first.wait_for(timeout=ANSWER_MS)
            marks = [" ".join(m.split()) for m in card.locator("mark").all_inner_texts()]
            passage = " ".join(card.locator(".src-text").inner_text().split())
            # A number question opens with the sentence holding the number; its source is card 1, highlighted.
            assert any(m.startswith("Twenty participants were interviewed (age range") for m in marks)
            assert all(m in passage for m in marks)
            assert card.locator(".src-head").inner_text().endswith("UK's integrated care system")
            page.locator('a.cite[href="#src-0-1"]').first.click()
            page.wait_for_url("**#src-0-1")
            page.wait_for_timeout(500)  # let the cards settle before the picture
            page.screenshot(path=str(ARTIFACTS / "ui-answer.png"))
        finally:
            browser.close()
