"""Scoring extraction against a reference: token F1 of bodies, field-by-field comparison.

Used by ``newscrawl sites check`` and the benchmarks.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

#: Word tokens (letters and digits, Unicode-aware).
_TOKEN_RE = re.compile(r"\w+", re.U)


def tokens(text: str | None) -> list[str]:
    """Lower-case word tokens of a text.

    >>> tokens("Harga cabai naik, kata Budi.")
    ['harga', 'cabai', 'naik', 'kata', 'budi']
    """
    return _TOKEN_RE.findall((text or "").lower())


def token_f1(got: str | None, expected: str | None) -> float:
    """Bag-of-words F1 between an extracted text and the reference (1.0 when both are empty).

    >>> token_f1("a b c d", "a b c d"), token_f1("a b", "a b c d"), token_f1("", "a")
    (1.0, 0.6666666666666666, 0.0)
    """
    g, e = Counter(tokens(got)), Counter(tokens(expected))
    if not g and not e:
        return 1.0
    common = sum((g & e).values())
    if not common:
        return 0.0
    precision = common / sum(g.values())
    recall = common / sum(e.values())
    return 2 * precision * recall / (precision + recall)


def short(value: Any, limit: int = 80) -> str:
    """A one-line rendering of a field value for reports.

    >>> short("x" * 100, 10)
    "'xxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
