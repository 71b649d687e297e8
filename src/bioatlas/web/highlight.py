"""A document's text with one evidence span marked (`/document/{id}?mark=120-240`), mentions still linked.

The span is cut into the text as two private-use characters before the mentions are turned into links by
`kb.queries.highlight_mentions` (which escapes everything), then the characters become `<mark>` tags. The span is
widened to whole mentions so a link is never cut in two, and closed and reopened at paragraph breaks.
"""

from __future__ import annotations

import re
from typing import Any

from bioatlas.kb.queries import highlight_mentions

OPEN, CLOSE = "\ue000", "\ue001"
MARK = '<mark class="evidence">'
_SPAN = re.compile(r"(\d{1,9})-(\d{1,9})")


def parse_span(value: str | None) -> tuple[int, int] | None:
    found = _SPAN.fullmatch((value or "").strip())
    if not found:
        return None
    start, end = int(found.group(1)), int(found.group(2))
    return (start, end) if start < end else None


def _shift(position: int, start: int, end: int, closing: bool) -> int:
    """Where a mention boundary lands once the two marker characters are in the text."""
    if closing:
        return position + (position > start) + (position > end)
    return position + (position >= start) + (position >= end)


def mark_evidence(text: str, mentions: list[dict[str, Any]], start: int, end: int) -> str | None:
    """The document HTML with text[start:end] in `<mark id="evidence">`; None when the span does not fit."""
    if not 0 <= start < end <= len(text) or OPEN in text or CLOSE in text:
        return None
    spans = [m for m in mentions if m.get("start") is not None and m.get("end") is not None]
    for m in spans:  # never cut a mention's link in two: take the whole mention into the mark
        if m["start"] < start < m["end"]:
            start = m["start"]
        if m["start"] < end < m["end"]:
            end = m["end"]
    marked = text[:start] + OPEN + text[start:end] + CLOSE + text[end:]
    shifted = [
        (
            _shift(m["start"], start, end, closing=False),
            _shift(m["end"], start, end, closing=True),
            m["entity_id"],
            m["type"],
            m["method"],
        )
        for m in spans
    ]
    page = highlight_mentions(marked, shifted)
    head, _, rest = page.partition(OPEN)
    inside, _, tail = rest.partition(CLOSE)
    inside = inside.replace("</p><p>", f"</mark></p><p>{MARK}")
    return f'{head}<mark class="evidence" id="evidence">{inside}</mark>{tail}'
