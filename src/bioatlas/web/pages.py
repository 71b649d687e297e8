"""HTML pages: one router per resource, each calling the same `bioatlas.kb.queries` function as its /api twin."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bioatlas.api.deps import SettingsDep, StoreDep
from bioatlas.api.forms import check_same_origin
from bioatlas.api.params import EventFiltersDep, PageDep
from bioatlas.api.uploads import ingest_uploads
from bioatlas.kb import queries
from bioatlas.kb.search import QueryError
from bioatlas.kb.store import Store
from bioatlas.model import EVENT_TYPES
from bioatlas.web.mapview import layout
from bioatlas.web.render import Render

EXAMPLES = ("Liège", "列日", "罗氏", "Clarity Pharmaceuticals", "Genopole", "바이오")

search_pages = APIRouter()
entity_pages = APIRouter()
event_pages = APIRouter()
document_pages = APIRouter()
map_pages = APIRouter()
ingest_pages = APIRouter()


@search_pages.get("/", response_class=HTMLResponse)
def home(store: StoreDep, render: Render) -> HTMLResponse:
    return render.page("home.html", examples=EXAMPLES, documents=queries.ingest_log(store, limit=1)["documents"])


def _pager(request: Request, offset: int, limit: int, total: int) -> tuple[str | None, str | None]:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]

    def url(at: int) -> str:
        return "/search?" + urlencode([*params, ("offset", str(at))])

    prev_url = url(max(0, offset - limit)) if offset > 0 else None
    next_url = url(offset + limit) if offset + limit < total else None
    return prev_url, next_url


@search_pages.get("/search", response_class=HTMLResponse)
def search(request: Request, store: StoreDep, render: Render, page: PageDep, q: str | None = None) -> Response:
    if q is None:
        return RedirectResponse("/", status_code=303)
    data = queries.search(store, q, limit=page.limit, offset=page.offset)
    prev_url, next_url = _pager(request, page.offset, page.limit, data["total"])
    return render.page("search.html", data=data, offset=page.offset, prev_url=prev_url, next_url=next_url)


def merge_candidates(store: Store, entity: dict[str, Any]) -> list[dict[str, Any]]:
    """Entities whose names contain this one's name: the likeliest duplicates to offer in the merge form."""
    try:
        found = queries.search(store, entity["name"], limit=1)["entities"]
    except QueryError:
        return []
    return [e for e in found if e["id"] != entity["id"]]


@entity_pages.get("/entity/{entity_id:path}", response_class=HTMLResponse)
def entity(entity_id: str, store: StoreDep, render: Render) -> Response:
    data = queries.entity_page(store, entity_id)
    if data["entity"]["id"] != entity_id:  # merged into another entity: show that one, under its own address
        return RedirectResponse("/entity/" + quote(data["entity"]["id"], safe=":"), status_code=307)
    return render.page("entity.html", data=data, candidates=merge_candidates(store, data["entity"]))


@event_pages.get("/events", response_class=HTMLResponse)
def events(store: StoreDep, render: Render, filters: EventFiltersDep) -> HTMLResponse:
    data = queries.events_list(store, **filters.as_kwargs())
    places = [p for p in queries.map_points(store) if p["type"] in ("place", "park")]
    return render.page(
        "events.html", data=data, event_types=EVENT_TYPES, selected_types=filters.types or [], places=places
    )


def mentioned_entities(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions grouped by entity, in order of first mention, with the spellings the page used."""
    grouped: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        item = grouped.setdefault(
            mention["entity_id"],
            {"id": mention["entity_id"], "name": mention["name"], "type": mention["type"], "count": 0, "forms": []},
        )
        item["count"] += 1
        if mention["text"] != mention["name"] and mention["text"] not in item["forms"]:
            item["forms"].append(mention["text"])
    return list(grouped.values())


@document_pages.get("/document/{doc_id:path}", response_class=HTMLResponse)
def document(doc_id: str, store: StoreDep, render: Render) -> HTMLResponse:
    data = queries.document_page(store, doc_id)
    return render.page("document.html", data=data, mentioned=mentioned_entities(data["mentions"]))


@map_pages.get("/map", response_class=HTMLResponse)
def map_page(store: StoreDep, settings: SettingsDep, render: Render) -> HTMLResponse:
    points = queries.map_points(store)
    return render.page("map.html", points=points, layout=layout(points), tile_url=settings.tile_url or None)


@ingest_pages.get("/ingest", response_class=HTMLResponse)
def ingest_page(store: StoreDep, render: Render, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> HTMLResponse:
    return render.page("ingest.html", data=queries.ingest_log(store, limit=limit), result=None)


@ingest_pages.post("/ingest", response_class=HTMLResponse)
def ingest_upload(
    request: Request, store: StoreDep, settings: SettingsDep, render: Render, files: Annotated[list[UploadFile], File()]
) -> HTMLResponse:
    check_same_origin(request)
    result = ingest_uploads(store, files, settings.max_input_bytes)
    return render.page("ingest.html", data=queries.ingest_log(store), result=result, json_url="/api/ingest")


router = APIRouter(include_in_schema=False)
for _router in (search_pages, entity_pages, event_pages, document_pages, map_pages, ingest_pages):
    router.include_router(_router)
