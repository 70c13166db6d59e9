"""Alert delivery: print, JSONL file, webhook POST and SMTP mail, all against local endpoints."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newscrawl.deliver import SmtpSettings, deliver, deliver_all

PAYLOAD = {
    "kind": "crawl_degraded",
    "subject": "crawl #7 degraded",
    "text": "Tanggal hilang",
    "run_id": 7,
}


def test_print_writes_one_json_line(capsys) -> None:
    result = deliver("print", PAYLOAD)
    assert result.ok
    assert json.loads(capsys.readouterr().out) == PAYLOAD


def test_file_target_appends_json_lines(tmp_path) -> None:
    path = tmp_path / "alerts" / "out.jsonl"
    assert deliver(f"file:{path}", PAYLOAD).ok
    assert deliver(f"file:{path}", {**PAYLOAD, "run_id": 8}).ok
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["run_id"] for line in lines] == [7, 8]


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, self.headers["Content-Type"], body))  # type: ignore[attr-defined]
        status = 500 if self.path == "/broken" else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_webhook_gets_a_json_post(webhook) -> None:
    url = f"http://127.0.0.1:{webhook.server_address[1]}/hook"
    result = deliver(url, PAYLOAD)
    assert result.ok, result.detail
    path, ctype, body = webhook.received[0]
    assert path == "/hook"
    assert ctype.startswith("application/json")
    assert json.loads(body) == PAYLOAD


def test_webhook_error_status_is_a_failed_delivery(webhook) -> None:
    result = deliver(f"http://127.0.0.1:{webhook.server_address[1]}/broken", PAYLOAD)
    assert not result.ok
    assert "500" in result.detail


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "target",
    [
        "ftp://example.invalid/x",
        "mailto:",
        "",
        "file:",
    ],
)
def test_unknown_targets_fail_without_raising(target: str) -> None:
    assert not deliver(target, PAYLOAD).ok


def test_unreachable_webhook_fails_without_raising() -> None:
    result = deliver(f"http://127.0.0.1:{_free_port()}/hook", PAYLOAD, timeout=2)
    assert not result.ok
    assert result.detail


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test SMTP")
        rcpts: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode().strip().split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b""):
                        break
                    data += chunk
                self.server.mails.append((rcpts, data))  # type: ignore[attr-defined]
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.daemon_threads = True
    server.mails = []  # type: ignore[attr-defined]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_mailto_sends_through_smtp(smtp_server) -> None:
    smtp = SmtpSettings(
        host="127.0.0.1", port=smtp_server.server_address[1], sender="crawler@localhost", timeout=5
    )
    result = deliver("mailto:redaksi@example.org,arsip@example.org", PAYLOAD, smtp=smtp)
    assert result.ok, result.detail
    rcpts, data = smtp_server.mails[0]
    assert rcpts == ["redaksi@example.org", "arsip@example.org"]
    message = message_from_bytes(data)
    assert message["Subject"] == "crawl #7 degraded"
    text = message.get_payload(decode=True).decode()
    assert text.startswith("Tanggal hilang")
    assert '"run_id": 7' in text


def test_mailto_settings_come_from_the_environment(smtp_server, monkeypatch) -> None:
    monkeypatch.setenv("NEWSCRAWL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSCRAWL_SMTP_PORT", str(smtp_server.server_address[1]))
    monkeypatch.setenv("NEWSCRAWL_SMTP_FROM", "env@localhost")
    assert deliver("mailto:a@example.org", PAYLOAD).ok
    assert message_from_bytes(smtp_server.mails[0][1])["From"] == "env@localhost"


def test_deliver_all_reports_each_target(tmp_path, capsys) -> None:
    results = deliver_all(["print", f"file:{tmp_path / 'a.jsonl'}", "gopher://x"], PAYLOAD)
    assert [r.ok for r in results] == [True, True, False]
    assert capsys.readouterr().out.strip()
