"""Time the Streamlit app as a user meets it: server start, page open, first and later answers.

    python bench/bench_app.py [--index-dir DIR] [--rounds 3]

Each round starts a fresh server (cold process: imports, index and assistant loaded by the
first page), opens the chat page in headless Chromium and asks the questions below in turn.
Needs chromium + chromedriver (make browser); without them it says so and exits 0.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.settings  # noqa: E402

core.settings.apply_offline_environment()  # before any HF / chroma import
from core.settings import settings  # noqa: E402

QUESTIONS = ["晋城经济技术开发区管理委员会2026年“三公”经费预算是多少？", "其中公务接待费呢？",
             "晋城市城市管理局2025年政府采购预算总额是多少？"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
         "--window-size=1400,1800"]
TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir: Path, port: int, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "BUDGET_INDEX_DIR": str(index_dir)}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)


def wait_healthy(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("streamlit did not become healthy")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


def settled(browser, messages: int) -> bool:
    from selenium.webdriver.common.by import By

    shown = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")
    return (len(shown) >= messages and bool(shown[-1].text.strip())
            and not browser.find_elements(By.CSS_SELECTOR, "[data-stale='true']")
            and not browser.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidgetRunningIcon']"))


def one_round(index_dir: Path, chromium: str, driver_path: str) -> dict[str, float | list[float]]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as scratch:
        with open(Path(scratch) / "server.log", "wb") as log:
            started = time.perf_counter()
            server = start_server(index_dir, port, log)
        try:
            wait_healthy(url, server)
            server_ready = time.perf_counter() - started
            options = webdriver.ChromeOptions()
            options.binary_location = chromium
            for flag in FLAGS + [f"--user-data-dir={Path(scratch) / 'profile'}"]:
                options.add_argument(flag)
            browser = webdriver.Chrome(service=Service(driver_path), options=options)
            try:
                opened = time.perf_counter()
                browser.get(url)
                box = WebDriverWait(browser, TIMEOUT, 0.05).until(
                    lambda b: b.find_element(By.CSS_SELECTOR, "[data-testid='stChatInput'] textarea"))
                page_ready = time.perf_counter() - opened
                answers = []
                for n, question in enumerate(QUESTIONS, 1):
                    box.send_keys(question)
                    asked = time.perf_counter()
                    box.send_keys(Keys.ENTER)
                    WebDriverWait(browser, TIMEOUT, 0.05).until(lambda b, n=n: settled(b, 2 * n))
                    answers.append(time.perf_counter() - asked)
                    box = browser.find_element(By.CSS_SELECTOR, "[data-testid='stChatInput'] textarea")
                first_answer_from_open = page_ready + answers[0]
            finally:
                browser.quit()
        finally:
            stop(server)
    return {"server_ready_s": server_ready, "page_ready_s": page_ready, "first_answer_s": answers[0],
            "page_open_to_first_answer_s": first_answer_from_open, "later_answers_s": answers[1:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=settings().index_dir)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        print("bench_app: skipped (no chromium/chromedriver; run make browser)")
        return 0
    if not (args.index_dir / "CURRENT").exists():
        print(f"bench_app: no index in {args.index_dir} (run make index)")
        return 1
    rounds = [one_round(args.index_dir, chromium, driver_path) for _ in range(args.rounds)]
    for name in ("server_ready_s", "page_ready_s", "first_answer_s", "page_open_to_first_answer_s"):
        values = [r[name] for r in rounds]
        print(f"{name}\tmedian {statistics.median(values):.2f}\tmax {max(values):.2f}\ts")
    later = [v for r in rounds for v in r["later_answers_s"]]
    print(f"later_answers_s\tmedian {statistics.median(later):.2f}\tmax {max(later):.2f}\ts")
    print(f"load_average\t{os.getloadavg()[0]:.1f}\t(1 min, {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
