"""The web app with FastAPI's TestClient, on SQLite and PostgreSQL: pages, API, export, safety."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from archive.db import open_archive
from archive.store import upsert_article
from newscrawl.web import create_app
from newscrawl.web.app import CONTENT_SECURITY_POLICY
from tests.monitor_corpus import HOSTILE_TITLE, build_archive, item


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    ids = build_archive(url)
    # a second version of one article, and an article with a hostile related link
    engine, session_factory = open_archive(url)
    with session_factory.begin() as session:
        changed = item(
            "banjir-ayani",
            "surabayapagi",
            date(2024, 8, 13),
            "Ralat: Banjir Rendam Jalan Ahmad Yani dan Darmo",
            "Koreksi jumlah korban banjir.",
        )
        upsert_article(session, changed)
        evil = item("tautan", "detik", date(2024, 8, 19), "Tautan Banjir", "Banjir kiriman.")
        evil["related_links"] = [{"title": "klik", "url": "javascript:window.__pwned=6"}]
        ids["tautan"] = upsert_article(session, evil).article_id
    engine.dispose()
    return url, ids


@pytest.fixture
def client(db):
    url, _ = db
    with TestClient(create_app(url, page_size=2)) as c:
        yield c


def hits(html: str) -> list[str]:
    return re.findall(r'<a class="title" href="/articles/(\d+)">', html)


# --- the search page ----------------------------------------------------------------------------


def test_search_page(client):
    r = client.get("/", params={"q": "banjir"})
    assert r.status_code == 200
    assert "<strong>5</strong> articles, showing 1–2" in r.text
    assert "<mark>" in r.text.lower()
    assert len(hits(r.text)) == 2
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="trend"' in r.text
    assert 'id="top-portals"' in r.text and '<span class="portal">surabayapagi</span>' in r.text
    assert 'href="/export.csv?q=banjir"' in r.text


def test_empty_search_lists_newest(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "<strong>46</strong> articles" in r.text


@pytest.mark.parametrize(
    ("params", "total"),
    [
        ({"source": "kompas"}, 1),
        ({"source": "detik"}, 1),
        ({"since": "2024-08-16"}, 3),
        ({"until": "2024-08-13"}, 1),
        ({"since": "2024-08-14", "until": "2024-08-15"}, 1),
        ({"source": "", "since": "", "until": ""}, 5),
    ],
)
def test_filters(client, params, total):
    r = client.get("/", params={"q": "banjir", **params})
    assert r.status_code == 200
    assert f"<strong>{total}</strong> article" in r.text


def test_paging(client):
    seen = []
    for page in (1, 2, 3):
        r = client.get("/", params={"q": "banjir", "sort": "newest", "page": page})
        seen += hits(r.text)
        assert f"page {page} of 3" in r.text
    assert len(seen) == len(set(seen)) == 5
    first = client.get("/", params={"q": "banjir", "sort": "newest"}).text
    assert 'id="next" href="/?q=banjir&amp;sort=newest&amp;page=2"' in first
    assert 'id="prev"' not in first
    last = client.get("/", params={"q": "banjir", "sort": "newest", "page": 3}).text
    assert 'id="next"' not in last and 'id="prev"' in last


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": '"banjir'}, "unbalanced quote"),
        ({"q": "banjir OR"}, "OR at the end"),
        ({"q": "banjir", "since": "13-08-2024"}, "not a date"),
    ],
)
def test_bad_query_is_a_friendly_message(client, params, message):
    r = client.get("/", params=params)
    assert r.status_code == 400
    assert 'id="error"' in r.text and message in r.text
    assert "Traceback" not in r.text


# --- the article page ---------------------------------------------------------------------------


def test_article_page(client, db):
    _, ids = db
    r = client.get(f"/articles/{ids['banjir-ayani']}")
    assert r.status_code == 200
    assert "Ralat: Banjir Rendam Jalan Ahmad Yani dan Darmo" in r.text
    assert "<p>Koreksi jumlah korban banjir.</p>" in r.text
    assert 'id="original" href="https://surabayapagi.example/2024-08-13/banjir-ayani"' in r.text
    versions = r.text.split('id="versions"')[1]
    assert versions.count("<tr><td>") == 2
    assert "headline changed" in versions and "correction" in versions
    assert "2024-08-13 11:00 WIB" in r.text  # fetched an hour after 10:00 WIB


def test_unknown_article_is_404(client):
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/api/articles/999999").status_code == 404


# --- untrusted text -----------------------------------------------------------------------------

RAW_PAYLOADS = ("<script>window.__pwned", "<img src=x", "<svg onload", 'onerror="window')


@pytest.mark.parametrize("where", ["search", "article"])
def test_hostile_article_is_escaped(client, db, where):
    _, ids = db
    if where == "search":
        r = client.get("/", params={"q": "gubeng"})
        assert hits(r.text) == [str(ids["hostile"])]
    else:
        r = client.get(f"/articles/{ids['hostile']}")
    for payload in RAW_PAYLOADS:
        assert payload not in r.text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in r.text
    assert "<script" not in r.text.replace('<script src="/static/app.js" defer></script>', "")


def test_javascript_links_are_not_linked(client, db):
    _, ids = db
    r = client.get(f"/articles/{ids['tautan']}")
    assert "javascript:" not in r.text.split('id="body"')[1].split("</ul>")[0].split("href=")[-1]
    assert 'href="javascript:' not in r.text


@pytest.mark.parametrize(
    "path", ["/", "/?q=banjir", "/articles/1", "/api/search?q=banjir", "/export.csv?q=x", "/nope"]
)
def test_security_headers_everywhere(client, path):
    r = client.get(path)
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_templates_have_no_inline_script_or_style():
    from newscrawl.web.app import HERE

    for template in (HERE / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert re.search(r"<script(?![^>]*\bsrc=)", text) is None, template
        assert re.search(r"\son[a-z]+=", text) is None, template
        assert "style=" not in text, template


def test_archive_is_opened_read_only(client, db):
    url, _ = db
    engine = client.app.state.engine
    if engine.dialect.name == "sqlite":
        assert dict(engine.url.query).get("mode") == "ro"
    import sqlalchemy as sa

    with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
        conn.execute(sa.text("UPDATE articles SET title = 'x'"))


# --- export -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/export.csv", "/api/export.csv"])
def test_export_csv(client, path):
    r = client.get(path, params={"q": "banjir", "source": "surabayapagi"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeffid,source,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert len(rows) == 2
    assert {r["source"] for r in rows} == {"surabayapagi"}


def test_export_bad_query(client):
    assert client.get("/api/export.csv", params={"q": "(x"}).status_code == 400
    r = client.get("/export.csv", params={"q": "(x"})
    assert r.status_code == 400 and "Bad query" in r.text


# --- API ----------------------------------------------------------------------------------------


def test_api_search(client):
    r = client.get("/api/search", params={"q": "banjir", "limit": 3, "sort": "newest"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 5 and len(body["hits"]) == 3
    hit = body["hits"][0]
    assert {"id", "url", "source", "title", "published_at", "snippet", "snippet_html"} <= set(hit)
    assert "\x02" not in hit["snippet"]
    dates = [h["published_at"] for h in body["hits"]]
    assert dates == sorted(dates, reverse=True)
    r = client.get("/api/search", params={"q": "banjir", "offset": 4})
    assert len(r.json()["hits"]) == 1


def test_api_escapes_snippet_html(client):
    (hit,) = client.get("/api/search", params={"q": "gubeng"}).json()["hits"]
    assert "<script" not in hit["snippet_html"] and "<img" not in hit["snippet_html"]
    assert "<mark>Gubeng</mark>" in hit["snippet_html"]
    assert hit["title"] == HOSTILE_TITLE  # JSON carries the text as archived


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": '"banjir'}, 400),
        ({"q": "banjir", "since": "kemarin"}, 400),
        ({"q": "banjir", "limit": 1000}, 422),
        ({"q": "banjir", "sort": "random"}, 422),
    ],
)
def test_api_search_errors(client, params, status):
    r = client.get("/api/search", params=params)
    assert r.status_code == status
    if status == 400:
        assert r.json()["error"] == "bad_query" and r.json()["message"]


def test_api_article(client, db):
    _, ids = db
    r = client.get(f"/api/articles/{ids['banjir-ayani']}")
    assert r.status_code == 200
    body = r.json()
    assert body["source"] == "surabayapagi" and body["authors"] == ["Moch Ilham"]
    assert [v["version_no"] for v in body["versions"]] == [1, 2]
    assert body["versions"][1]["headline_changed"] is True


def test_api_trend(client):
    r = client.get(
        "/api/trend",
        params={"q": "banjir", "by": "day", "since": "2024-08-12", "until": "2024-08-19"},
    )
    assert r.status_code == 200
    table = r.json()
    assert len(table["rows"]) == 8 and table["total"] == 5
    row = next(x for x in table["rows"] if x["period"] == "2024-08-16")
    assert row["surabayapagi"] == 1 and row["tribunnews"] == 1 and row["total"] == 2
    assert client.get("/api/trend", params={"q": "(", "by": "day"}).status_code == 400
    assert client.get("/api/trend", params={"q": "x", "by": "year"}).status_code == 422


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/search", "/api/articles/{article_id}", "/api/trend", "/api/export.csv"} <= set(
        spec["paths"]
    )
    assert "/" not in spec["paths"]


def test_static_script_is_served(client):
    r = client.get("/static/app.js")
    assert r.status_code == 200 and "autosubmit" in r.text
