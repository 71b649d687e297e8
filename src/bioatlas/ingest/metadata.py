"""Title and publication date of a cleaned document."""

from __future__ import annotations

import re

from bioatlas.ingest.dates import find_dates, parse_date, valid_iso
from bioatlas.model import Document

_DATELINE_WINDOW = 40
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def normalise_published(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if _ISO.match(value[:10]):
        return valid_iso(value[:10])
    return parse_date(value)


def _most_precise(values: list[str]) -> str:
    """The first date of a line, or a later one that says the same more precisely
    ("date 2017-11 2017-11-14 06:59" is 2017-11-14)."""
    best = values[0]
    for value in values[1:]:
        if value.startswith(best) and len(value) > len(best):
            best = value
    return best


def find_published(doc: Document, date_lines: list[str]) -> str | None:
    """The stated publication date: a date/byline line near the headline, else a dateline in the lead."""
    for line in date_lines:
        found = find_dates(line, doc.languages[0] if doc.languages else None)
        if found:
            return _most_precise([d.value for d in found])
    if doc.paragraphs:
        # A dateline opens the lead: "(香港,2023年1月18日)—", "LIÈGE, 18 janvier 2023 –".
        for para in doc.paragraphs[:3]:
            head = doc.text[para.start : min(para.end, para.start + _DATELINE_WINDOW)]
            found = find_dates(head)
            if found and found[0].start <= 20 and len(found[0].value) == 10:
                after = head[found[0].end :].lstrip(" )）]")
                if after[:1] in ("—", "–", "-", ":", "：", "/") or head[found[0].end : found[0].end + 1] in ")）":
                    return found[0].value
    return None
