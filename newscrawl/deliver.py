"""Alert delivery: one payload (a JSON-able dict) to one target.

Targets, as strings (from settings, schedules or saved searches):

``print`` or ``-``
    one JSON line on standard output.
``file:PATH``
    one JSON line appended to ``PATH`` (a JSONL file; created with its directory).
``http://...`` / ``https://...``
    a POST with the payload as a JSON body (``Content-Type: application/json``).
``mailto:ADDR[,ADDR...]``
    an e-mail through SMTP. Settings come from :class:`SmtpSettings` (arguments), else the
    environment: ``NEWSCRAWL_SMTP_HOST`` (default ``localhost``), ``NEWSCRAWL_SMTP_PORT`` (25),
    ``NEWSCRAWL_SMTP_USER``, ``NEWSCRAWL_SMTP_PASSWORD``, ``NEWSCRAWL_SMTP_FROM``,
    ``NEWSCRAWL_SMTP_STARTTLS`` (``1`` to upgrade), ``NEWSCRAWL_SMTP_SSL`` (``1`` for SMTPS).

:func:`deliver` never raises for a failed delivery: it returns a :class:`Delivery` saying what
happened, and the caller counts or logs it. The payload's ``subject`` (if any) becomes the mail
subject; ``text`` (if any) leads the mail body, followed by the JSON.
"""

from __future__ import annotations

import json
import os
import smtplib
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TextIO

from newscrawl import __version__

DEFAULT_TIMEOUT = 10.0
USER_AGENT = f"newscrawl/{__version__} (alerts)"


@dataclass(frozen=True)
class Delivery:
    """The outcome of one delivery: ``ok``, and an explanation when not."""

    target: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "newscrawl@localhost"
    starttls: bool = False
    ssl: bool = False
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        """SMTP settings from ``NEWSCRAWL_SMTP_*`` variables.

        >>> s = SmtpSettings.from_env({"NEWSCRAWL_SMTP_HOST": "mail", "NEWSCRAWL_SMTP_PORT": "587",
        ...                            "NEWSCRAWL_SMTP_STARTTLS": "1"})
        >>> s.host, s.port, s.starttls, s.ssl
        ('mail', 587, True, False)
        """
        env = os.environ if env is None else env

        def flag(name: str) -> bool:
            return env.get(name, "").strip().lower() in ("1", "true", "yes", "on")

        try:
            port = int(env.get("NEWSCRAWL_SMTP_PORT", "") or 25)
        except ValueError:
            port = 25
        return cls(
            host=env.get("NEWSCRAWL_SMTP_HOST", "") or "localhost",
            port=port,
            user=env.get("NEWSCRAWL_SMTP_USER") or None,
            password=env.get("NEWSCRAWL_SMTP_PASSWORD") or None,
            sender=env.get("NEWSCRAWL_SMTP_FROM") or "newscrawl@localhost",
            starttls=flag("NEWSCRAWL_SMTP_STARTTLS"),
            ssl=flag("NEWSCRAWL_SMTP_SSL"),
        )


def target_kind(target: str) -> str | None:
    """``"print"``, ``"file"``, ``"http"`` or ``"mailto"`` for a target string; None if unknown.

    >>> [target_kind(t) for t in ("print", "-", "file:/tmp/a.jsonl", "https://h/x", "mailto:a@b",
    ...                           "ftp://x", "")]
    ['print', 'print', 'file', 'http', 'mailto', None, None]
    """
    t = (target or "").strip()
    if t in ("print", "-", "stdout"):
        return "print"
    if t.startswith("file:") and len(t) > 5:
        return "file"
    if t.lower().startswith(("http://", "https://")):
        return "http"
    if t.lower().startswith("mailto:") and "@" in t:
        return "mailto"
    return None


def to_json(payload: Mapping[str, Any]) -> str:
    """The payload as one JSON line (non-JSON values as strings).

    >>> to_json({"b": 1, "a": "é"})
    '{"b": 1, "a": "é"}'
    """
    return json.dumps(payload, ensure_ascii=False, default=str)


def mail_message(payload: Mapping[str, Any], sender: str, recipients: list[str]) -> EmailMessage:
    """The e-mail for a payload: subject from ``subject`` (or ``kind``), text then JSON."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = str(payload.get("subject") or f"newscrawl: {payload.get('kind', 'alert')}")
    text = str(payload.get("text") or "")
    body = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
    msg.set_content((text + "\n\n" if text else "") + body + "\n")
    return msg


def deliver(
    target: str,
    payload: Mapping[str, Any],
    *,
    smtp: SmtpSettings | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    stdout: TextIO | None = None,
) -> Delivery:
    """Deliver ``payload`` to ``target`` (see the module docs); never raises."""
    kind = target_kind(target)
    target = (target or "").strip()
    try:
        if kind == "print":
            print(to_json(payload), file=stdout or sys.stdout, flush=True)
            return Delivery(target, True)
        if kind == "file":
            path = Path(os.path.expanduser(target[5:]))
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(to_json(payload) + "\n")
            return Delivery(target, True)
        if kind == "http":
            request = urllib.request.Request(
                target,
                data=to_json(payload).encode("utf-8"),
                method="POST",
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "User-Agent": USER_AGENT,
                },
            )
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status = response.status
            return Delivery(target, 200 <= status < 300, f"HTTP {status}")
        if kind == "mailto":
            settings = smtp or SmtpSettings.from_env()
            recipients = [a.strip() for a in target[7:].split("?")[0].split(",") if a.strip()]
            msg = mail_message(payload, settings.sender, recipients)
            cls = smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP
            with cls(settings.host, settings.port, timeout=settings.timeout) as client:
                if settings.starttls and not settings.ssl:
                    client.starttls()
                if settings.user:
                    client.login(settings.user, settings.password or "")
                client.send_message(msg)
            return Delivery(target, True)
    except urllib.error.HTTPError as exc:
        return Delivery(target, False, f"HTTP {exc.code}")
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        return Delivery(target, False, f"{exc.__class__.__name__}: {exc}")
    return Delivery(
        target, False, "unknown target (expected print, file:PATH, http(s)://, mailto:)"
    )


def deliver_all(
    targets: Iterable[str] | str | None, payload: Mapping[str, Any], **kwargs: Any
) -> list[Delivery]:
    """Deliver to every target (a list, or one whitespace-separated string); returns outcomes.

    >>> deliver_all(None, {"kind": "x"})
    []
    """
    if not targets:
        return []
    if isinstance(targets, str):
        targets = [t for t in targets.split() if t]
    return [deliver(t, payload, **kwargs) for t in targets]
