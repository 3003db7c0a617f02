"""Cold start of the page, as a user meets it: `streamlit run app.py` from nothing to the first cited answer.

Starts the server on the project's index (build it first with `rag index`), opens the page in Debian's Chromium
through Playwright, asks a question as soon as the chat box shows, and prints: seconds until the server listens,
until the chat box is usable, until the first answer's highlighted source is on screen, and the time of a second
question. With --baseline it also times a one-line Streamlit page holding only a chat box, on the same machine:
the part of the cold start that is Streamlit and the browser, not this project.
Usage: python bench/page.py [--runs 1] [--baseline]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PLACEHOLDER = "Ask a question about shared leadership"
BASELINE_PAGE = f"import streamlit as st\nst.chat_input({PLACEHOLDER!r})\n"
QUESTIONS = (
    "How many clinical and non-clinical leaders were interviewed in the Aufegger study?",
    "What do clinical leaders contribute to the governance of integrated care systems?",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("localhost", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"streamlit did not listen on port {port} within {timeout:.0f}s")


def ask(page, question: str, answers_before: int) -> None:
    box = page.get_by_placeholder(PLACEHOLDER)
    box.fill(question)
    box.press("Enter")
    page.locator(".src-card mark").nth(0).wait_for(timeout=180_000)
    page.wait_for_function(
        f"document.querySelectorAll('[data-testid=stChatMessage]').length >= {answers_before + 2}", timeout=180_000
    )


def one_run(port: int, script: str = "app.py") -> dict[str, float]:
    """One cold start of `script`; for the baseline page only the first two timings are taken."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
               "--server.headless", "true"]  # fmt: skip
    t0 = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        listening = time.perf_counter() - t0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.goto(f"http://localhost:{port}", timeout=120_000)
            page.get_by_placeholder(PLACEHOLDER).wait_for(timeout=120_000)
            ready = time.perf_counter() - t0
            if script != "app.py":
                browser.close()
                return {"listening": listening, "chat box ready": ready}
            ask(page, QUESTIONS[0], 0)
            first = time.perf_counter() - t0
            t1 = time.perf_counter()
            ask(page, QUESTIONS[1], 2)
            second = time.perf_counter() - t1
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    return {"listening": listening, "chat box ready": ready, "first answer shown": first, "second question": second}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--baseline", action="store_true", help="also time a one-line Streamlit page")
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing: install it with `make browser-deps`")
    runs = [one_run(free_port()) for _ in range(args.runs)]
    print(f"page cold start, {args.runs} run(s), seconds from `streamlit run` (median):")
    for key in runs[0]:
        print(f"  {key:20s} {statistics.median(r[key] for r in runs):6.1f}")
    if args.baseline:
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "baseline.py"
            script.write_text(BASELINE_PAGE, encoding="utf-8")
            base = [one_run(free_port(), str(script)) for _ in range(args.runs)]
        print("a one-line Streamlit page with only a chat box (the floor):")
        for key in base[0]:
            print(f"  {key:20s} {statistics.median(r[key] for r in base):6.1f}")


if __name__ == "__main__":
    main()
