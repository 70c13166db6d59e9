"""Input at the edges of types: dates outside 1900-2100 and integers beyond what an id column
holds are a 400 ``bad_query`` from the web app and a one-line usage error (exit 2) from the CLI,
never a 500 or a traceback, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from archive.models import ID_MAX
from newscrawl.cli import main
from newscrawl.web import create_app
from tests.monitor_corpus import build_archive

PAGE_SIZE = 2
BIG = str(2**63)  # beyond SQLite's integers
HUGE = str(2**70)
OVER_ID = str(ID_MAX + 1)  # beyond PostgreSQL's integer ids
EARLY, LATE = "0001-01-01", "9999-12-31"
JUST_BEFORE, JUST_AFTER = "1899-12-31", "2101-01-01"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def url(request, tmp_path_factory):
    """One archive per database for the whole module (the tests only read it)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('edges') / 'archive.sqlite3'}"
        build_archive(url)
        yield url
        return
    import uuid

    import sqlalchemy as sa

    from tests.conftest import PG_BASE_URL, _missing, _port_open

    if not _port_open("127.0.0.1", 5432):
        _missing("PostgreSQL", "127.0.0.1:5432")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_BASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_BASE_URL else "?"
    url = f"{PG_BASE_URL}{sep}options=-csearch_path%3D{schema}"
    try:
        build_archive(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def client(url):
    with TestClient(create_app(url, page_size=PAGE_SIZE), raise_server_exceptions=False) as c:
        yield c


# --- the web app --------------------------------------------------------------------------------
API_CASES = [
    ("/api/search", {"q": "banjir", "since": EARLY}),
    ("/api/search", {"q": "banjir", "until": LATE}),
    ("/api/search", {"q": "banjir", "since": JUST_BEFORE}),
    ("/api/search", {"q": "banjir", "until": JUST_AFTER}),
    ("/api/search", {"q": "banjir", "since": "0001-01-01T00:00"}),
    ("/api/search", {"q": "", "until": "9999-12-31T23:59:59"}),
    ("/api/search", {"q": "banjir", "offset": BIG}),
    ("/api/search", {"q": "banjir", "offset": OVER_ID}),
    ("/api/search", {"q": "banjir", "offset": HUGE}),
    ("/api/trend", {"q": "banjir", "since": EARLY}),
    ("/api/trend", {"q": "banjir", "until": LATE}),
    ("/api/trend", {"q": "banjir", "by": "month", "since": JUST_BEFORE}),
    ("/api/export.csv", {"q": "banjir", "since": EARLY}),
    ("/api/export.csv", {"q": "", "until": LATE}),
    (f"/api/articles/{BIG}", {}),
    (f"/api/articles/{OVER_ID}", {}),
    (f"/api/articles/{HUGE}", {}),
]


@pytest.mark.parametrize(("path", "params"), API_CASES)
def test_api_refuses_values_beyond_the_edges(client, path, params) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 400, r.text[:300]
    body = r.json()
    assert body["error"] == "bad_query" and "out of range" in body["message"]


PAGE_CASES = [
    ("/", {"q": "banjir", "since": EARLY}),
    ("/", {"q": "banjir", "until": LATE}),
    ("/", {"q": "", "since": JUST_BEFORE}),
    ("/", {"q": "banjir", "page": BIG}),
    ("/", {"q": "banjir", "page": str(ID_MAX // PAGE_SIZE + 2)}),
    ("/", {"q": "banjir", "page": HUGE}),
    ("/export.csv", {"q": "banjir", "since": EARLY}),
    ("/export.csv", {"q": "banjir", "until": LATE}),
    (f"/articles/{BIG}", {}),
    (f"/articles/{OVER_ID}", {}),
]


@pytest.mark.parametrize(("path", "params"), PAGE_CASES)
def test_pages_refuse_values_beyond_the_edges(client, path, params) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 400, r.text[:300]
    assert "out of range" in r.text or "Bad article id" in r.text


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/search", {"q": "", "since": "1900-01-01", "until": "2100-12-31"}),
        (
            "/api/trend",
            {"q": "banjir", "by": "month", "since": "1900-01-01", "until": "2100-12-31"},
        ),
        ("/api/search", {"q": "banjir", "offset": str(ID_MAX)}),
        (f"/api/articles/{ID_MAX}", {}),
        ("/", {"q": "banjir", "since": "1900-01-01", "until": "2100-12-31"}),
        ("/", {"q": "banjir", "page": str(ID_MAX // PAGE_SIZE + 1)}),
        (f"/articles/{ID_MAX}", {}),
    ],
)
def test_the_edges_themselves_are_accepted(client, path, params) -> None:
    r = client.get(path, params=params)
    assert r.status_code in (200, 404), r.text[:300]


# --- the command line ---------------------------------------------------------------------------
CLI_CASES = [
    ["search", "banjir", "--since", EARLY],
    ["search", "banjir", "--until", LATE],
    ["search", "banjir", "--since", JUST_BEFORE],
    ["search", "banjir", "--offset", BIG],
    ["search", "banjir", "--offset", OVER_ID],
    ["search", "banjir", "--limit", BIG],
    ["trend", "banjir", "--since", EARLY],
    ["trend", "banjir", "--until", LATE],
    ["export", "banjir", "--since", EARLY],
    ["export", "", "--until", JUST_AFTER],
    ["stats", "--since", EARLY],
    ["stats", "--until", LATE],
    ["show", BIG],
    ["show", OVER_ID],
    ["show", "1", "--diff", "1", BIG],
    ["runs", "--limit", BIG],
    ["reprocess", "--since", EARLY, "--dry-run"],
    ["crawl", "surabayapagi", "--since", EARLY],
    ["crawl", "surabayapagi", "--until", LATE],
    ["crawl", "surabayapagi", "--max-articles", BIG],
]


@pytest.mark.parametrize("argv", CLI_CASES, ids=lambda a: " ".join(a)[:40])
def test_cli_refuses_values_beyond_the_edges(url, argv, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        code = main([*argv, "--db", url])
        raise SystemExit(code)
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2, (out, err)
    assert "Traceback" not in err
    assert err.count("\n") == 1 and "error:" in err and "out of range" in err, err
