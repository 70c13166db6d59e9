"""The web app in headless Chromium (Playwright) against `newscrawl serve` on 127.0.0.1.

Skips when /usr/bin/chromium or Playwright is missing, except under NEWSCRAWL_REQUIRE_SERVICES=1
(CI), where that fails. Install: ``apt-get install -y chromium`` and ``pip install playwright``
(never ``playwright install``: the Debian browser is used).
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import services_required
from tests.monitor_corpus import build_archive

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _missing(what: str, how: str) -> None:
    msg = f"{what} is not installed ({how})"
    if services_required():
        pytest.fail(f"{msg} and NEWSCRAWL_REQUIRE_SERVICES=1 (CI) requires it")
    pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        _missing(CHROMIUM, "apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright", "pip install playwright")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`newscrawl serve` on a free port of 127.0.0.1 over a small archive; its base URL."""
    path = tmp_path_factory.mktemp("web") / "archive.sqlite3"
    ids = build_archive(f"sqlite:///{path}")
    port = _free_port()
    code = "import sys; from newscrawl.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port)]
        + ["--db", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.poll() is not None else ""
                    pytest.fail(f"newscrawl serve did not start: {err}")
                time.sleep(0.2)
        yield base, ids
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    page.errors = errors
    yield page
    context.close()


def test_search_filter_article_export(page, server, tmp_path):
    base, ids = server
    page.goto(base + "/")
    assert page.inner_text("#count").startswith("45 articles")  # no query: everything
    page.fill("#q", "banjir")
    with page.expect_navigation():
        page.click("#go")
    assert page.inner_text("#count").startswith("4 articles")
    assert page.locator("#hits mark").count() >= 4
    assert page.locator("svg.trend rect").count() > 0

    # choosing a portal submits the form (app.js)
    with page.expect_navigation():
        page.select_option("#source", "kompas")
    assert "source=kompas" in page.url
    assert page.inner_text("#count").startswith("1 article")

    with page.expect_navigation():
        page.click("#hits a.title")
    assert page.inner_text("#title") == "Pemkot Surabaya Siapkan Pompa Air Hadapi Banjir"
    assert page.get_attribute("#original", "href").startswith("https://kompas.example/")
    assert page.locator("#versions tbody tr").count() == 1

    page.go_back()
    page.wait_for_selector("#export")
    with page.expect_download() as info:
        page.click("#export")
    target = tmp_path / "export.csv"
    info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    assert [r["source"] for r in rows] == ["kompas"]
    assert page.errors == []


def test_hostile_article_never_runs(page, server):
    base, ids = server
    page.goto(base + "/?q=gubeng")
    page.wait_for_selector("#hits")
    assert "<script>window.__pwned = 1</script>" in page.inner_text("#hits a.title")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(f"{base}/articles/{ids['hostile']}")
    page.wait_for_selector("#body")
    assert "<img src=x" in page.inner_text("#body")
    page.wait_for_timeout(300)  # give an onerror handler its chance to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('#body img, #body script').length") == 0
    assert page.evaluate("document.documentElement.dataset.js") == "on"  # our own script ran
    assert page.errors == []


def test_bad_query_shows_a_message(page, server):
    base, _ = server
    response = page.goto(base + "/?q=%22banjir")
    assert response.status == 400
    assert "unbalanced quote" in page.inner_text("#error")
