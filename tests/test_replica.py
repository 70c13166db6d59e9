"""The Surabaya Pagi replica portal (served on 127.0.0.1) and the portal's fixture pages."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from newscrawl.demo.server import ReplicaServer, Response
from newscrawl.demo.surabayapagi import SurabayaPagiReplica

FIXTURES = Path(__file__).parent / "fixtures" / "surabayapagi"
ARTICLE_CASES = sorted(p.name for p in FIXTURES.iterdir() if p.name.startswith("article-"))
ALL_CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
ARTICLE_KEYS = {
    "title", "published_at", "editor", "reporter", "authors", "dateline_city", "related_links",
    "section", "tags", "captions", "description", "canonical_url", "body",
}  # fmt: skip

# an article path of the portal: /news-<id>-<slug>
ARTICLE_PATH_RE = re.compile(r"^/news-\d+-[a-z0-9-]+$")
# an ISO 8601 instant with seconds and the WIB offset
ISO_WIB_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
# runs of whitespace, NBSP included
SPACES_RE = re.compile(r"[\s\u00a0]+")


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------
def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """GET (or HEAD) a URL on 127.0.0.1 without following redirects."""
    assert urlsplit(url).hostname == "127.0.0.1"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, method=method), timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def page_links(html: bytes, base: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    return [urljoin(base, a.get("href")) for a in doc.iter("a") if a.get("href")]


def decode_cfemail(hexstr: str) -> str:
    """Cloudflare's obfuscated e-mail: first byte is the XOR key."""
    key = int(hexstr[:2], 16)
    return "".join(chr(int(hexstr[i : i + 2], 16) ^ key) for i in range(2, len(hexstr), 2))


def visible_text(html: bytes | str) -> str:
    """The page text with single spaces (Cloudflare e-mails decoded, scripts dropped)."""
    doc = lxml.html.fromstring(html)
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for span in doc.xpath("//*[@data-cfemail]"):
        span.text = decode_cfemail(span.get("data-cfemail"))
    for br in doc.iter("br"):
        br.tail = " " + (br.tail or "")
    return SPACES_RE.sub(" ", doc.text_content())


# ------------------------------------------------------------------------------------------
# the replica, served
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served():
    replica = SurabayaPagiReplica()
    with ReplicaServer(replica) as server:
        yield replica, server


def test_server_sets_base_url_and_binds_loopback(served):
    replica, server = served
    assert server.base_url.startswith("http://127.0.0.1:")
    assert replica.base_url == server.base_url
    assert all(a["url"].startswith(server.base_url + "/news-") for a in replica.articles)


def test_home_lists_latest_ten(served):
    replica, server = served
    status, headers, body = fetch(server.base_url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    links = set(page_links(body, server.base_url))
    newest = sorted(replica.articles, key=lambda a: a["published_at"], reverse=True)
    assert {a["url"] for a in newest[:10]} <= links
    assert len(page_links(body, server.base_url)) > 120  # nav, sidebars, footer noise


def test_feed_is_rss_with_latest_twenty(served):
    replica, server = served
    status, headers, body = fetch(server.base_url + "/feed")
    assert status == 200 and "rss" in headers["Content-Type"]
    items = ET.fromstring(body).findall("./channel/item")
    newest = sorted(replica.articles, key=lambda a: a["published_at"], reverse=True)[:20]
    assert [i.findtext("link") for i in items] == [a["url"] for a in newest]
    assert all(i.findtext("pubDate").endswith(" +0700") for i in items)


@pytest.mark.parametrize(
    ("path", "expected_next"),
    [
        ("/tag/jawa-timur?page=1", "/tag/jawa-timur?page=2"),
        ("/tag/jawa-timur?page=2", "/tag/jawa-timur?page=3"),
        ("/tag/jawa-timur?page=3", None),
        ("/tag/pilkada", None),
    ],
)
def test_tag_pages_paginate(served, path, expected_next):
    _, server = served
    status, _, body = fetch(server.base_url + path)
    assert status == 200
    doc = lxml.html.fromstring(body)
    items = doc.cssselect("div.list-news h2 a")
    assert 1 <= len(items) <= 10
    nxt = doc.cssselect('ul.pagination a[rel="next"]')
    if expected_next is None:
        assert not nxt
    else:
        assert nxt[0].get("href") == server.base_url + expected_next
        assert nxt[0].text_content() == "Next"


def test_tag_pages_cover_every_tagged_article_once(served):
    replica, server = served
    seen: list[str] = []
    for page in (1, 2, 3):
        _, _, body = fetch(f"{server.base_url}/tag/jawa-timur?page={page}")
        doc = lxml.html.fromstring(body)
        seen += [a.get("href") for a in doc.cssselect("div.list-news h2 a")]
    tagged = [a["url"] for a in replica.articles if "Jawa Timur" in a["tags"]]
    assert sorted(seen) == sorted(tagged) and len(set(seen)) == len(seen)


def test_article_page_shows_its_entry(served):
    replica, server = served
    for entry in replica.articles:
        status, headers, body = fetch(entry["url"])
        assert status == 200 and "Last-Modified" in headers
        doc = lxml.html.fromstring(body)
        assert doc.cssselect("h1")[0].text_content() == entry["title"]
        meta = doc.cssselect('meta[property="article:published_time"]')[0].get("content")
        assert meta == entry["published_at"]
        assert doc.cssselect('link[rel="canonical"]')[0].get("href") == entry["url"]
        text = visible_text(body)
        for paragraph in entry["body"].split("\n\n"):
            assert paragraph in text
        assert f"Editor : {entry['editor']}" in text
        assert f"SURABAYAPAGI.COM, {entry['dateline_city']}" in text
        assert entry["reporter_code"] in text
        links = page_links(body, entry["url"])
        for rel in entry["related_links"]:
            assert rel["url"] in links
        assert 150 <= len(links) <= 230


def test_articles_entries_are_clean_and_varied(served):
    replica, _ = served
    articles = replica.articles
    assert len(articles) >= 36
    assert len({a["id"] for a in articles}) == len(articles)
    assert {"modern", "itemprop", "oldcms"} == {a["layout"] for a in articles}
    assert {"Malang", "Surabaya", "Sidoarjo", "Gresik", "Kediri", "Jember"} <= {
        a["dateline_city"] for a in articles
    }
    for a in articles:
        assert ISO_WIB_RE.match(a["published_at"]) and a["published_at"].startswith("2024-08-")
        assert ARTICLE_PATH_RE.match(a["path"])
        assert 2 <= len(a["related_titles"]) <= 3
        body = a["body"]
        assert "Baca Juga" not in body and "SURABAYAPAGI.COM" not in body
        assert a["reporter_code"] not in body and "Editor" not in body
        assert "  " not in body and "\n\n\n" not in body and "\u00a0" not in body
        assert 5 <= len(body.split("\n\n")) <= 8


def test_every_article_reachable_from_feed_and_tag_pages(served):
    """Follow feed items, tag links and tag pagination only (as a crawler would)."""
    replica, server = served
    _, _, feed = fetch(server.base_url + "/feed")
    queue = deque(i.findtext("link") for i in ET.fromstring(feed).findall("./channel/item"))
    seen = set(queue)
    found = set()
    while queue:
        url = queue.popleft()
        status, _, body = fetch(url)
        assert status == 200, url
        path = urlsplit(url).path
        if ARTICLE_PATH_RE.match(path):
            found.add(url)
        for link in page_links(body, url):
            parts = urlsplit(link)
            if parts.netloc != urlsplit(server.base_url).netloc:
                continue
            follow = parts.path.startswith("/tag/") or (
                ARTICLE_PATH_RE.match(parts.path) and path.startswith("/tag/")
            )
            if follow and link not in seen:
                seen.add(link)
                queue.append(link)
    assert found == {a["url"] for a in replica.articles}


@pytest.mark.parametrize(
    "path",
    [
        "/nope",
        "/news-1-tidak-ada",
        "/tag/tidak-ada-tag",
        "/tag/pilkada?page=9",
        "/assets/css/style.css",
        "/kanal/tidak-ada",
    ],
)
def test_unknown_paths_are_404(served, path):
    _, server = served
    status, _, _ = fetch(server.base_url + path)
    assert status == 404


def test_wrong_slug_redirects_to_canonical(served):
    replica, server = served
    entry = replica.articles[0]
    status, headers, _ = fetch(f"{server.base_url}/news-{entry['id']}-judul-lama")
    assert status == 301 and headers["Location"] == entry["url"]


@pytest.mark.parametrize(
    ("path", "status"),
    [("/robots.txt", 200), ("/sitemap.xml", 200), ("/search?q=persebaya", 302),
     ("/kanal/jatim/malang", 200), ("/indeks?page=2", 200), ("/redaksi", 200),
     ("/amp/news-240650-kemarau-panjang-12-desa-di-bojonegoro-krisis-air-bersih", 200),
     ("/search/persebaya/1", 200), ("/search/tidak-ada-hasil/1", 200),
     ("/search/persebaya/9", 404), ("/feed", 200), ("/penulis/surabayapagi", 200)],
)  # fmt: skip
def test_other_pages(served, path, status):
    _, server = served
    assert fetch(server.base_url + path)[0] == status


def test_search_finds_matching_articles(served):
    replica, server = served
    _, _, body = fetch(server.base_url + "/search/persebaya/1")
    doc = lxml.html.fromstring(body)
    found = {a.get("href") for a in doc.cssselect("div.list-news h2 a")}
    expected = {
        a["url"] for a in replica.articles if "persebaya" in (a["title"] + " " + a["body"]).lower()
    }
    assert found == expected and found


def test_head_and_request_log(served):
    _, server = served
    before = len(server.requests)
    status, headers, body = fetch(server.base_url + "/robots.txt", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    assert server.requests[before].path == "/robots.txt"
    assert server.paths()[-1] == "/robots.txt"


def test_edit_article_changes_page():
    replica = SurabayaPagiReplica()
    with ReplicaServer(replica):
        entry = replica.articles[7]
        _, _, before = fetch(entry["url"])
        updated = replica.edit_article(
            entry["id"], title="Judul Baru Setelah Revisi", append_paragraph="Paragraf  tambahan."
        )
        _, _, after = fetch(entry["url"])
    assert updated["url"] == entry["url"]
    assert updated["title"] == "Judul Baru Setelah Revisi"
    assert updated["body"] == entry["body"] + "\n\nParagraf tambahan."
    assert updated["modified_at"] > entry["modified_at"]
    assert before != after
    doc = lxml.html.fromstring(after)
    assert doc.cssselect("h1")[0].text_content() == "Judul Baru Setelah Revisi"
    assert "Paragraf tambahan." in visible_text(after)


def test_replica_is_deterministic():
    a, b = SurabayaPagiReplica("http://x.test"), SurabayaPagiReplica("http://x.test")
    assert a.articles == b.articles
    for path in ("/", "/feed", a.articles[3]["path"], "/tag/pilkada"):
        assert a.respond("GET", path, {}).body == b.respond("GET", path, {}).body


def test_links_follow_the_host_header_without_base_url():
    replica = SurabayaPagiReplica()
    resp = replica.respond("GET", "/feed", {"Host": "127.0.0.1:9999"})
    assert b"http://127.0.0.1:9999/news-" in resp.body


def test_server_survives_a_broken_site():
    class Broken:
        def respond(self, method, path, headers):
            if path == "/ok":
                return Response(200, {"Content-Type": "text/plain"}, b"ok")
            raise RuntimeError("boom")

    with ReplicaServer(Broken()) as server:
        assert fetch(server.base_url + "/x")[0] == 500
        assert fetch(server.base_url + "/ok")[2] == b"ok"


# ------------------------------------------------------------------------------------------
# fixture pages
# ------------------------------------------------------------------------------------------
def load(case: str, name: str):
    return json.loads((FIXTURES / case / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", ALL_CASES)
def test_fixture_dir_has_three_valid_files(case):
    d = FIXTURES / case
    page = d / ("feed.xml" if case == "feed" else "page.html")
    assert page.is_file() and page.read_bytes().decode("utf-8")
    meta = load(case, "meta.json")
    assert set(meta) == {"url", "fetched_at", "status", "headers"}
    assert meta["fetched_at"] == "2024-08-13T12:30:00+00:00" and meta["status"] == 200
    assert meta["url"].startswith("https://surabayapagi.com/")
    assert isinstance(load(case, "expected.json"), dict)


def test_there_are_at_least_five_article_fixtures():
    assert len(ARTICLE_CASES) >= 5


@pytest.mark.parametrize("case", ARTICLE_CASES)
def test_article_fixture_expected_matches_page(case):
    expected = load(case, "expected.json")
    raw = (FIXTURES / case / "page.html").read_bytes()
    assert set(expected) == ARTICLE_KEYS
    assert ISO_WIB_RE.match(expected["published_at"])
    assert expected["canonical_url"] == load(case, "meta.json")["url"]
    body = expected["body"]
    assert "  " not in body and "\n\n\n" not in body and not body.startswith("SURABAYAPAGI")
    text = visible_text(raw)
    for paragraph in body.split("\n\n"):
        assert paragraph in text, paragraph
    for caption in expected["captions"]:
        assert caption in text and caption not in body
    links = page_links(raw, expected["canonical_url"])
    for rel in expected["related_links"]:
        assert rel["url"].startswith("https://surabayapagi.com/news-") and rel["url"] in links
        assert rel["title"] in text and rel["title"] not in body
    assert f"Editor{' :' if case != 'article-ogonly' else ':'} {expected['editor']}" in text
    assert 120 <= len(links) <= 230


@pytest.mark.parametrize(
    ("case", "jsonld_valid"),
    [("article-modern", True), ("article-itemprop", True), ("article-ogonly", False)],
)
def test_fixture_jsonld_validity(case, jsonld_valid):
    doc = lxml.html.fromstring((FIXTURES / case / "page.html").read_bytes())
    scripts = doc.xpath('//script[@type="application/ld+json"]')
    assert scripts
    valid = True
    for s in scripts:
        try:
            json.loads(s.text)
        except ValueError:
            valid = False
    assert valid is jsonld_valid


def test_nometa_fixture_has_only_the_visible_date():
    raw = (FIXTURES / "article-nometa" / "page.html").read_text(encoding="utf-8")
    assert "application/ld+json" not in raw and "published_time" not in raw
    assert "Jumat, 09 Agu 2024 19:34 WIB" in raw


def test_listing_fixture():
    expected = load("listing-tag", "expected.json")
    raw = (FIXTURES / "listing-tag" / "page.html").read_bytes()
    page_url = load("listing-tag", "meta.json")["url"]
    links = page_links(raw, page_url)
    assert len(expected["article_urls"]) == 10
    assert set(expected["article_urls"]) <= set(links)
    assert expected["next_pages"] == [page_url.replace("page=2", "page=3")]
    assert set(expected["next_pages"]) <= set(links)


def test_feed_fixture():
    expected = load("feed", "expected.json")
    items = ET.parse(FIXTURES / "feed" / "feed.xml").getroot().findall("./channel/item")
    assert len(items) == 10
    assert [i.findtext("link") for i in items] == expected["article_urls"]
    assert expected["next_pages"] == []
    assert all(re.search(r" \+0700$", i.findtext("pubDate")) for i in items)
