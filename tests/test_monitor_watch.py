"""Watches: new matches reported once, crash recovery with the same delivery id, targets, CLI."""

from __future__ import annotations

import json
import socketserver
import threading
from datetime import date
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from archive.db import open_archive
from newscrawl.cli import main
from newscrawl.watch import (
    WatchError,
    add_watch,
    default_deliver,
    list_watches,
    make_targets,
    remove_watch,
    run_watches,
    watch_articles,
    watch_deliveries,
)
from tests.monitor_corpus import add_article, build_archive


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    build_archive(url, daily=False)
    return url


@pytest.fixture
def archive(db_url):
    engine, session_factory = open_archive(db_url)
    from newscrawl.watch import ensure_tables

    ensure_tables(engine)
    yield session_factory
    engine.dispose()


class Recorder:
    """A delivery function that records (target, payload) and can be told to fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []
        self.fail_on: set[str] = set()
        self.fail_after_send: set[str] = set()

    def __call__(self, target: str, payload: dict) -> None:
        if target in self.fail_on:
            raise ConnectionError(f"{target} is down")
        self.sent.append((target, payload))
        if target in self.fail_after_send:  # delivered, then the process "crashed"
            raise RuntimeError("crash after delivery")


def _add(session_factory, name="banjir", query="banjir", **kw):
    with session_factory.begin() as session:
        return add_watch(session, name, query, **kw)


def _new(url: str, key: str, title: str, source: str = "detik") -> int:
    return add_article(url, key, source, date(2024, 8, 18), title, f"{title}. Isi berita.")


def test_new_matches_are_reported_once(db_url, archive):
    _add(archive, targets=["-"])
    deliver = Recorder()
    assert [r.article_ids for r in run_watches(archive, deliver=deliver)] == [[]]
    new_id = _new(db_url, "baru", "Banjir Lagi di Wonokromo")
    _new(db_url, "lain", "Harga Bawang Turun")  # does not match
    (run,) = run_watches(archive, deliver=deliver)
    assert run.ok and run.article_ids == [new_id] and len(run.delivery_ids) == 1
    ((target, payload),) = deliver.sent
    assert target == "-"
    assert payload["delivery_id"] == run.delivery_ids[0]
    assert payload["watch"] == "banjir" and payload["count"] == 1
    assert payload["articles"][0]["title"] == "Banjir Lagi di Wonokromo"
    assert payload["articles"][0]["source"] == "detik"
    (again,) = run_watches(archive, deliver=deliver)
    assert again.article_ids == [] and len(deliver.sent) == 1


def test_backfill_and_source_filter(archive):
    _add(archive, "semua", "banjir", backfill=True)
    _add(archive, "kompas-saja", "banjir", source="kompas", backfill=True)
    deliver = Recorder()
    runs = {r.name: r for r in run_watches(archive, deliver=deliver)}
    assert len(runs["semua"].article_ids) == 4
    assert len(runs["kompas-saja"].article_ids) == 1


def test_batches_split_large_deliveries(archive):
    from newscrawl.watch import run_watch

    _add(archive, "semua", "banjir", backfill=True)
    deliver = Recorder()
    run = run_watch(archive, "semua", deliver=deliver, batch=3)
    assert len(run.delivery_ids) == 2 and len(run.article_ids) == 4
    assert [p["count"] for _, p in deliver.sent] == [3, 1]


def test_failed_delivery_is_resent_with_the_same_id(db_url, archive):
    _add(archive, targets=["https://hook.example/a"])
    new_id = _new(db_url, "baru", "Banjir Bandang")
    deliver = Recorder()
    deliver.fail_on.add("https://hook.example/a")
    (run,) = run_watches(archive, deliver=deliver)
    assert not run.ok and "is down" in run.error
    assert deliver.sent == []
    with archive() as session:
        (watch,) = list_watches(session)
        assert "is down" in watch.last_error
        pending = session.execute(sa.select(watch_deliveries)).all()
        assert len(pending) == 1 and pending[0].delivered_at is None
    deliver.fail_on.clear()
    (retry,) = run_watches(archive, deliver=deliver)
    assert retry.ok and retry.article_ids == [new_id]
    assert retry.redelivered == [pending[0].delivery_id]
    assert deliver.sent[0][1]["delivery_id"] == pending[0].delivery_id
    (third,) = run_watches(archive, deliver=deliver)
    assert third.article_ids == [] and len(deliver.sent) == 1


def test_crash_after_delivery_resends_same_id_only(db_url, archive):
    _add(archive, targets=["file:/x.jsonl"])
    _new(db_url, "baru", "Banjir Rob")
    deliver = Recorder()
    deliver.fail_after_send.add("file:/x.jsonl")
    (run,) = run_watches(archive, deliver=deliver)
    assert not run.ok
    deliver.fail_after_send.clear()
    _new(db_url, "baru2", "Banjir Susulan")
    (retry,) = run_watches(archive, deliver=deliver)
    ids = [p["delivery_id"] for _, p in deliver.sent]
    # the first delivery again (same id, same article), then the new article in a new delivery
    assert ids[0] == ids[1] and ids[2] != ids[0]
    assert [p["articles"][0]["title"] for _, p in deliver.sent] == [
        "Banjir Rob",
        "Banjir Rob",
        "Banjir Susulan",
    ]
    assert retry.ok and len(retry.redelivered) == 1


def test_only_failed_targets_are_retried(db_url, archive):
    _add(archive, targets=["-", "mailto:redaksi@example.id"])
    _new(db_url, "baru", "Banjir Kali Brantas")
    deliver = Recorder()
    deliver.fail_on.add("mailto:redaksi@example.id")
    run_watches(archive, deliver=deliver)
    assert [t for t, _ in deliver.sent] == ["-"]
    deliver.fail_on.clear()
    run_watches(archive, deliver=deliver)
    assert [t for t, _ in deliver.sent] == ["-", "mailto:redaksi@example.id"]
    assert deliver.sent[0][1]["delivery_id"] == deliver.sent[1][1]["delivery_id"]


def test_each_article_is_claimed_once_per_watch(db_url, archive):
    _add(archive, "a", "banjir")
    _add(archive, "b", "banjir OR longsor")
    _new(db_url, "baru", "Banjir dan Longsor")
    deliver = Recorder()
    run_watches(archive, deliver=deliver)
    run_watches(archive, deliver=deliver)
    with archive() as session:
        rows = session.execute(sa.select(watch_articles.c.watch_id)).all()
    assert len(rows) == 2 and len(deliver.sent) == 2


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("bad name!", "banjir", "bad watch name"),
        ("ok", '"banjir', "bad query"),
        ("ok", "", "bad query"),
    ],
)
def test_add_rejects(archive, name, query, message):
    with pytest.raises(WatchError, match=message), archive.begin() as session:
        add_watch(session, name, query)


def test_duplicate_and_remove(archive):
    _add(archive)
    with pytest.raises(WatchError, match="exists already"):
        _add(archive)
    with archive.begin() as session:
        remove_watch(session, "banjir")
    with pytest.raises(WatchError, match="no watch named"), archive.begin() as session:
        remove_watch(session, "banjir")
    with pytest.raises(WatchError, match="no watch named"):
        run_watches(archive, ["banjir"])


def test_make_targets_rejects_bad_ones():
    with pytest.raises(WatchError):
        make_targets(webhooks=["ftp://x"])
    with pytest.raises(WatchError):
        make_targets(emails=["bukan email"])


# --- a real webhook on 127.0.0.1 ----------------------------------------------------------------


class _Hook(BaseHTTPRequestHandler):
    received: list[tuple[dict, dict]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        self.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook():
    _Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Hook.received
    server.shutdown()
    server.server_close()


def test_webhook_delivery_to_a_local_server(db_url, archive, webhook):
    url, received = webhook
    _add(archive, targets=[url])
    new_id = _new(db_url, "baru", "Banjir Rendam Kampus")
    (run,) = run_watches(archive, deliver=default_deliver())
    assert run.ok, run.error
    ((headers, body),) = received
    assert body["delivery_id"] == run.delivery_ids[0]
    assert [a["id"] for a in body["articles"]] == [new_id]
    assert headers.get("Content-Type", "").startswith("application/json")
    run_watches(archive, deliver=default_deliver())
    assert len(received) == 1


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one message per connection (EHLO, MAIL, RCPT, DATA, QUIT)."""

    messages: list[tuple[list[str], bytes]] = []

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test SMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 localhost")
            elif verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip(" <>\r\n"))
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.messages.append((recipients, data))
                self.reply("250 OK queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RSET, NOOP
                self.reply("250 OK")


@pytest.fixture
def smtp_server(monkeypatch):
    _Smtp.messages = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("NEWSCRAWL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSCRAWL_SMTP_PORT", str(server.server_address[1]))
    yield _Smtp.messages
    server.shutdown()
    server.server_close()


def test_email_delivery_to_a_local_smtp_server(db_url, archive, smtp_server):
    _add(archive, targets=make_targets(emails=["redaksi@example.id"]))
    _new(db_url, "baru", "Banjir Rendam Pasar Turi")
    (run,) = run_watches(archive, deliver=default_deliver())
    assert run.ok, run.error
    ((recipients, data),) = smtp_server
    assert recipients == ["redaksi@example.id"]
    mail = message_from_bytes(data)
    assert "1 new article(s) for watch banjir" in mail["Subject"]
    text = mail.get_payload(decode=True).decode("utf-8")
    assert "Banjir Rendam Pasar Turi" in text and run.delivery_ids[0] in text


# --- CLI ----------------------------------------------------------------------------------------


def test_watch_cli_with_a_jsonl_target(db_url, tmp_path, capsys):
    out = tmp_path / "alerts.jsonl"
    assert (
        main(["watch", "add", "sby", "banjir surabaya", "--jsonl", str(out), "--db", db_url]) == 0
    )
    assert "watch 'sby' added" in capsys.readouterr().out
    assert main(["watch", "list", "--db", db_url]) == 0
    assert f"sby: 'banjir surabaya' -> file:{out}" in capsys.readouterr().out
    _new(db_url, "baru", "Banjir di Surabaya Barat", source="surabayapagi")
    assert main(["watch", "run", "--db", db_url]) == 0
    assert "sby: 1 new article(s) in 1 delivery(ies): ok" in capsys.readouterr().err
    assert main(["watch", "--db", db_url, "run", "sby"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["articles"][0]["title"] == "Banjir di Surabaya Barat"
    assert main(["watch", "list", "--json", "--db", db_url]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["name"] == "sby" and listed["last_error"] is None
    assert main(["watch", "remove", "sby", "--db", db_url]) == 0
    capsys.readouterr()
    assert main(["watch", "remove", "sby", "--db", db_url]) == 2
    assert "no watch named 'sby'" in capsys.readouterr().err


def test_watch_cli_errors(db_url, tmp_path, capsys):
    assert main(["watch", "add", "x", "(banjir", "--db", db_url]) == 2
    assert "bad query" in capsys.readouterr().err
    assert main(["watch", "run", "nope", "--db", db_url]) == 2
    assert main(["watch", "list", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no archive at" in capsys.readouterr().err
