"""HTML pages: main content through trafilatura; what it leaves out is reported as boilerplate."""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.html
import trafilatura
from htmldate import find_date
from trafilatura.settings import use_config

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


def extract_html(html: str) -> HtmlContent:
    """Main text of a page; an unparseable page gives empty text (the caller reports it)."""
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
        meta = trafilatura.extract_metadata(html)
        everything = visible_text(html)
        date = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:
        return HtmlContent(text="")
    kept = set(_lines(text))
    furniture: list[str] = []
    seen: set[str] = set()
    for line in _lines(everything):
        if line not in kept and line not in seen and not any(line in k for k in kept):
            furniture.append(line)
            seen.add(line)
    return HtmlContent(
        text=text,
        title=(meta.title if meta and meta.title else None),
        date=date or None,
        url=(meta.url if meta and meta.url else None),
        furniture=furniture,
    )
