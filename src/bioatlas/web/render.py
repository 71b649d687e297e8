"""Server-side rendering: one Jinja2 environment (autoescape on), a few display filters, and the page renderer."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from bioatlas.access import ANONYMOUS
from bioatlas.web.formats import format_day, format_number
from bioatlas.web.i18n import COOKIE, LANGUAGE_NAMES, Translator, UiLanguage, match_language
from bioatlas.web.security import public_source

TEMPLATES = Path(__file__).resolve().parent / "templates"
NAV = (
    ("search", "/"),
    ("events", "/events"),
    ("directory", "/directory"),
    ("map", "/map"),
    ("flows", "/flows"),
    ("land", "/land"),
    ("pathway", "/pathway"),
    ("prospects", "/prospects"),
    ("markets", "/markets"),
    ("ingest", "/ingest"),
)


def path_id(value: str) -> str:
    """An id as one URL path segment (ids look like `ent:abc123`; ':' may stay)."""
    return quote(str(value), safe=":")


def http_url(value: Any) -> str | None:
    """The value if it is a web address; None for file paths and for `javascript:` and other schemes."""
    if isinstance(value, str) and urlsplit(value.strip()).scheme.lower() in ("http", "https"):
        return value.strip()
    return None


def number(value: Any) -> str:
    """875000.0 -> '875 000' (a thin space groups digits in every language); 2.5 -> '2.5'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"
    return text.replace(",", "\u202f")


def score(value: Any) -> str:
    """A score or indicator value between 0 and 1, with two decimals: 0.8144 -> '0.81'."""
    if value is None:
        return ""
    return f"{float(value):.2f}"


@pass_context
def local_number(context: Context, value: Any) -> str:
    """`|number` in templates: 1234.5 as the page's language writes it (1,234.5; 1 234,5; 1.234,5)."""
    return format_number(value, context.get("lang"))


@pass_context
def local_date(context: Context, value: Any) -> str:
    """`|local_date`: a date or partial date (2024-03) as the page's language writes it; `|iso` stays ISO 8601."""
    return format_day(value, context.get("lang"))


def distinct(items: Any) -> list[Any]:
    """Evidence once each: several events can rest on the same sentence of the same report."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for item in items or []:
        key = tuple(item.get(k) for k in ("kind", "document_id", "start", "end", "reference", "label"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def iso(value: Any) -> str:
    """Dates and times in ISO 8601, whatever the UI language."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def languages(value: Any) -> list[str]:
    """Search results carry their languages as a JSON string, documents as a list: both become a list."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        path_id=path_id,
        http_url=http_url,
        number=local_number,
        local_date=local_date,
        score=score,
        distinct=distinct,
        iso=iso,
        languages=languages,
        public_source=public_source,
    )
    return env


ENV = _environment()


def _query_without(request: Request, *names: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k not in names]


@dataclass(slots=True)
class Renderer:
    request: Request
    lang: str

    def json_twin(self) -> str | None:
        """The /api URL that returns this page's data."""
        path = self.request.url.path
        if path == "/" or self.request.method != "GET":
            return None
        query = urlencode(_query_without(self.request, "lang"))
        return "/api" + path + (f"?{query}" if query else "")

    def switcher(self) -> list[dict[str, Any]]:
        base = _query_without(self.request, "lang")
        return [
            {
                "code": code,
                "name": name,
                "current": code == self.lang,
                "url": self.request.url.path + "?" + urlencode([*base, ("lang", code)]),
            }
            for code, name in LANGUAGE_NAMES.items()
        ]

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        path = self.request.url.path
        section = next((name for name, prefix in reversed(NAV) if path.startswith(prefix)), "search")
        if path.startswith(("/entity", "/document", "/login", "/account", "/admin")):
            section = ""
        html = ENV.get_template(template).render(
            t=Translator(self.lang),
            lang=self.lang,
            languages_menu=self.switcher(),
            nav=NAV,
            section=section,
            json_url=context.pop("json_url", self.json_twin()),
            viewer=getattr(self.request.state, "viewer", ANONYMOUS),  # set by bioatlas.web.auth
            csrf_token=getattr(self.request.state, "csrf", None) or "",  # goes into every form that posts
            here=self.request.url.path + (f"?{self.request.url.query}" if self.request.url.query else ""),
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        if match_language(self.request.query_params.get("lang")):
            response.set_cookie(COOKIE, self.lang, max_age=365 * 24 * 3600, samesite="lax")
        return response


def renderer(request: Request, lang: UiLanguage) -> Renderer:
    return Renderer(request, lang)


Render = Annotated[Renderer, Depends(renderer)]
