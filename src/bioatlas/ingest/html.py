"""HTML pages: main content through trafilatura; what it leaves out is reported as boilerplate."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from htmldate import find_date
from trafilatura.settings import use_config

from bioatlas.ingest.limits import check_deadline

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


@dataclass(slots=True)
class HtmlContent:
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    furniture: list[str] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "figure",
    "figcaption",
    "form",
    "title",
}


# Defusing: page shapes that make the HTML parser itself slow (C code, which no time limit can cut
# into) are cut down before parsing. Measured: lxml takes time quadratic in the attributes of one
# element (10,000: 0.09 s; 20,000: 0.4 s; 100,000: over 10 s, and trafilatura parses several times).
MAX_ATTRIBUTES = 100
# A start tag as the parser reads it: quoted values may hold "<" and ">". Possessive quantifiers and
# no unquoted "<" keep every attempt short, so the scan is linear even on hostile text.
_START_TAG = re.compile(r"""<[A-Za-z][^\s/<>]*+(?:\s++|"[^"]*+"|'[^']*+'|[^\s"'<>]++)*+>""")
_ATTRIBUTE = re.compile(r"""[^\s"'<>=/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]*))?""")
_LONG_TAG = 2 * MAX_ATTRIBUTES  # shorter tags cannot hold more attributes than the cap


def _cap_attributes(match: re.Match[str]) -> str:
    tag = match.group(0)
    if len(tag) < _LONG_TAG:
        return tag
    name_end = re.match(r"<[^\s/<>]+", tag)
    assert name_end is not None
    end = name_end.end()
    for count, attribute in enumerate(_ATTRIBUTE.finditer(tag, end, len(tag) - 1), 1):
        if count > MAX_ATTRIBUTES:
            return tag[: attribute.start()].rstrip() + ">"
    return tag


def defuse_html(html: str) -> str:
    """The page with at most MAX_ATTRIBUTES attributes per element; nothing a reader sees changes."""
    return _START_TAG.sub(_cap_attributes, html)


def visible_text(html: str) -> str:
    """All text a reader would see, one block per line (used to list what extraction left out)."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
    return str(tree.text_content())


# Listing what extraction left out compares every visible line with the kept text; past this many
# characters compared, the remaining lines are compared by equality only (a 200,000-cell table once
# took 200 s here).
_FURNITURE_BUDGET = 200_000_000


def leftover_lines(everything: str, kept_text: str) -> list[str]:
    """Visible lines that are neither a kept line nor part of one, each once, in page order."""
    kept_lines = _lines(kept_text)
    kept = set(kept_lines)
    # pieces of kept lines: table cells come back from trafilatura as "a | b | c"
    kept.update(piece.strip() for line in kept_lines if " | " in line for piece in line.split(" | "))
    joined = "\n".join(kept_lines)
    budget = _FURNITURE_BUDGET
    furniture: list[str] = []
    seen: set[str] = set()
    for line in _lines(everything):
        if line in kept or line in seen:
            continue
        if budget > 0:
            budget -= len(joined)
            if line in joined:
                continue
            check_deadline()
        furniture.append(line)
        seen.add(line)
    return furniture


def extract_html(html: str) -> HtmlContent:
    """Main text of a page; an unparseable page gives empty text (the caller reports it)."""
    html = defuse_html(html)
    try:
        text = (
            trafilatura.extract(
                html,
                config=_CONFIG,
                include_comments=False,
                include_tables=True,
                favor_precision=False,
                with_metadata=False,
                deduplicate=False,
            )
            or ""
        )
        check_deadline()
        meta = trafilatura.extract_metadata(html)
        check_deadline()
        everything = visible_text(html)
        check_deadline()
        date = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:
        return HtmlContent(text="")
    furniture = leftover_lines(everything, text)
    return HtmlContent(
        text=text,
        title=(meta.title if meta and meta.title else None),
        date=date or None,
        url=(meta.url if meta and meta.url else None),
        furniture=furniture,
    )
