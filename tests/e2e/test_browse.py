"""End to end: `scrapy browse` on the demo archive, looked at in a real headless Chromium (Selenium).

Chromium and its driver are system packages that `make setup` installs when missing; this test is never
skipped without them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from tests.conftest import ROOT, db_rows, run_crawl, write_seeds
from tests.mockserver import MockServer

DEMO_SITE = ROOT / "demo" / "site"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's archive, made as `make demo` makes it: the demo site crawled by `scrapy crawl news`."""
    tmp = tmp_path_factory.mktemp("demo")
    with MockServer(root=DEMO_SITE) as server:
        seeds = write_seeds(tmp / "demo.toml", server, template=DEMO_SITE / "seeds.toml")
        result = run_crawl(seeds, tmp / "demo-news.db")
    assert result.returncode == 0, result.log[-3000:]
    return tmp / "demo-news.db"


@pytest.fixture(scope="module")
def browse(demo_archive: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "scrapy", "browse", "--port", str(port), "-s", f"INGEST_DB_PATH={demo_archive}"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            assert time.monotonic() < deadline, "datasette did not start"
            time.sleep(0.3)
    yield f"{base}/demo-news"
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def chromium() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def cells(driver: webdriver.Chrome, column: str) -> list[str]:
    """The column's cells as shown, once the page has them (a submitted form loads a new page)."""
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"td.col-{column}"))
    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, f"td.col-{column}")]


def test_a_person_searches_opens_a_story_and_an_article(
    browse: str, chromium: webdriver.Chrome, demo_archive: Path, tmp_path: Path
) -> None:
    expected = db_rows(demo_archive, "SELECT id, title, story_id FROM articles WHERE title LIKE '%library%'")[0]
    caption = db_rows(
        demo_archive, "SELECT text, credit FROM captions WHERE article_id = ? AND credit != ''", (expected["id"],)
    )[0]

    chromium.get(f"{browse}/search")
    box = chromium.find_element(By.CSS_SELECTOR, "input[name=q]")
    box.send_keys("library")
    box.submit()
    assert cells(chromium, "title") == [expected["title"]]
    assert "«Library»" in cells(chromium, "snippet")[0]  # the match, marked
    chromium.save_screenshot(str(tmp_path / "search.png"))

    story_id = cells(chromium, "story_id")[0]
    chromium.get(f"{browse}/story?story_id={story_id}")
    assert "One story" in chromium.find_element(By.TAG_NAME, "h1").text
    assert next(zip(cells(chromium, "role"), cells(chromium, "title"), strict=True)) == ("original", expected["title"])

    chromium.get(f"{browse}/article?article_id={expected['id']}")
    page = chromium.find_element(By.TAG_NAME, "body").text
    assert expected["title"] in page
    assert f"{caption['text']} (Credit: {caption['credit']})" in cells(chromium, "captions")[0]
    chromium.save_screenshot(str(tmp_path / "article.png"))
    assert (tmp_path / "article.png").stat().st_size > 10_000

    chromium.get(f"{browse}/source_health")
    assert set(cells(chromium, "source")) == {r["name"] for r in db_rows(demo_archive, "SELECT name FROM sources")}


def test_latest_articles_as_an_atom_feed(browse: str, demo_archive: Path) -> None:
    feed = urllib.request.urlopen(f"{browse}/latest_articles.atom", timeout=10).read().decode()
    titles = [r["title"] for r in db_rows(demo_archive, "SELECT title FROM articles")]
    assert feed.startswith("<?xml") and "<feed" in feed
    assert all(title.replace("’", "’") in feed or title in feed for title in titles)
    assert feed.count("<entry>") == len(titles)


def test_the_archive_cannot_be_changed_through_it(browse: str, demo_archive: Path) -> None:
    before = db_rows(demo_archive, "SELECT count(*) AS n FROM articles")
    query = urllib.parse.urlencode({"sql": "DELETE FROM articles"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{browse}.json?{query}", timeout=10).read()
    assert db_rows(demo_archive, "SELECT count(*) AS n FROM articles") == before
    assert browse.startswith("http://127.0.0.1:")
