"""Surabaya Pagi (surabayapagi.com).

The page shows the site's name as author ("author surabayapagi.com") above a "- Pewarta" line and
the date ("Selasa, 13 Agu 2024 18:13 WIB"). The profile's selectors cover the plausible layouts;
this class only reads the byline block, where the reporter's name (when there is one) follows
"Pewarta".
"""

from __future__ import annotations

import re

from newscrawl.pages.generic import GenericPage, _clean

#: "- Pewarta Name" / "Pewarta: Name" in the byline block; the name may be absent.
_PEWARTA_RE = re.compile(r"^\W*Pewarta\s*:?\s*(?P<name>[^\d|]{3,60})?$", re.I)
#: "author surabayapagi.com": the byline label in front of the (site) name.
_AUTHOR_LABEL_RE = re.compile(r"^\s*(author|oleh|penulis)\s*:?\s*", re.I)


class SurabayaPagiPage(GenericPage):
    def authors(self) -> list[str]:
        return [_AUTHOR_LABEL_RE.sub("", a) for a in super().authors()]

    def reporter(self) -> str | None:
        found = super().reporter()
        if found:
            return found
        h1 = self.sel.xpath("//h1")
        if not h1:
            return None
        for text in h1[0].xpath("following::text()[normalize-space()][position() <= 12]").getall():
            m = _PEWARTA_RE.match(_clean(text) or "")
            if m:
                return _clean(m["name"]) if m["name"] else None
        return None
