"""End to end: the real Streamlit server on a copy of the built index, driven by headless Chromium.

Skipped only when no Chromium/chromedriver is installed and CI is not set; in CI a missing
browser fails. Every wait is bounded and the server is always stopped.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, TEXT_DIR

SCREENSHOTS = ROOT / "out" / "screenshots"
SERVER_START_SECONDS = 90
ANSWER_SECONDS = 90
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                "--window-size=1400,1800"]
INJECTION = "[x](javascript:alert(1))<img src=x onerror=alert(1)>"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_browser() -> tuple[str | None, str | None, list[str]]:
    """(chromium, chromedriver, names of what is missing)."""
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver = shutil.which("chromedriver")
    missing = [name for name, path in (("chromium", chromium), ("chromedriver", driver)) if not path]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium")
    return chromium, driver, missing


def missing_message(missing: list[str]) -> str:
    return f"end-to-end browser test needs {', '.join(missing)} (make browser)"


# Decided at collection, before the session index is built for nothing; in CI the browser
# fixture below turns a missing browser into a failure instead.
pytestmark = pytest.mark.skipif(bool(find_browser()[2]) and not in_ci(), reason=missing_message(find_browser()[2]))


def browser_paths() -> tuple[str, str]:
    chromium, driver, missing = find_browser()
    if missing:
        pytest.fail(missing_message(missing)) if in_ci() else pytest.skip(missing_message(missing))
    return chromium, driver


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"streamlit not healthy after {SERVER_START_SECONDS}s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(server: subprocess.Popen) -> None:
    """The server runs in its own process group (with the parse sandbox's forkserver, if any)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


@pytest.fixture()
def e2e_index(built_index, tmp_path):
    """A copy of the session index plus one document whose names carry markdown/HTML."""
    from index.checks import run_checks
    from index.store import FactStore
    from parsing.parse import parse_file
    from tools.catalog import facts_path

    index_dir = tmp_path / "index"
    shutil.copytree(built_index, index_dir)
    source = tmp_path / "injected-2027.md"
    source.write_text(injected_export(), encoding="utf-8")
    disclosure = parse_file(source)
    store = FactStore(facts_path(index_dir))  # the chat reads facts only; no vectors needed here
    try:
        store.save(disclosure, run_checks(disclosure))
    finally:
        store.close()
    return index_dir


def injected_export() -> str:
    """A real text export moved to 2027, with a project named in markdown/HTML."""
    text = (TEXT_DIR / "jincheng-etdz-approval-bureau-2026.md").read_text(encoding="utf-8").replace("2026", "2027")
    return text.replace("政府统一服务经费\t", f"政府统一服务经费{INJECTION}\t", 1)


@pytest.fixture()
def server(e2e_index, tmp_path):
    port = free_port()
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "BUDGET_INDEX_DIR": str(e2e_index)}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process, log)
        yield url
    finally:
        stop(process)


@pytest.fixture()
def browser(tmp_path):
    chromium, driver_path = browser_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp_path)
    for flag in CHROME_FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def ask(browser, question: str, answers_before: int) -> str:
    """Type a question into the chat and return the text of its answer once shown."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = WebDriverWait(browser, ANSWER_SECONDS).until(
        lambda b: b.find_element(By.CSS_SELECTOR, "[data-testid='stChatInput'] textarea"))
    box.send_keys(question)
    box.send_keys(Keys.ENTER)

    def settled(b) -> bool:
        """The answer's rerun has finished: the new messages are there and nothing is stale."""
        messages = b.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")
        return (len(messages) >= answers_before * 2 + 2 and bool(messages[-1].text.strip())
                and not b.find_elements(By.CSS_SELECTOR, "[data-stale='true']")
                and not b.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidgetRunningIcon']"))

    WebDriverWait(browser, ANSWER_SECONDS, poll_frequency=0.25).until(settled)
    time.sleep(0.5)  # let the data grid paint before a screenshot; settled() is then re-checked
    WebDriverWait(browser, ANSWER_SECONDS, poll_frequency=0.25).until(settled)
    return browser.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")[-1].text


def test_browser_chat_answers_and_shows_document_text_literally(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server)
    answer = ask(browser, "晋城经济技术开发区管理委员会2026年“三公”经费预算是多少？", answers_before=0)
    assert "32.60" in answer and "万元" in answer
    assert "数据来源" in answer
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "chat.png"))

    answer = ask(browser, "晋城经济技术开发区行政审批局2027年金额最大的项目是哪个？", answers_before=1)
    assert INJECTION in answer.replace("\u2060", ""), "the project name is shown as printed"
    last = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stChatMessage']")[-1]
    assert not last.find_elements(By.CSS_SELECTOR, "img, a[href^='javascript']"), "no markup from documents"
    browser.save_screenshot(str(SCREENSHOTS / "chat-literal.png"))
