"""HTML pages: one router per resource, each calling the same `bioatlas.kb.queries` function as its /api twin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bioatlas.access import Viewer
from bioatlas.api import answers
from bioatlas.api.charts import MapFiltersDep
from bioatlas.api.charts import page_router as flows_page
from bioatlas.api.deps import AnalystDep, SettingsDep, StoreDep, ViewerDep
from bioatlas.api.directory import page_router as directory_page
from bioatlas.api.exports import export_links
from bioatlas.api.forms import check_same_origin
from bioatlas.api.params import EventFiltersDep, PageDep
from bioatlas.api.uploads import ingest_uploads
from bioatlas.kb import directory, queries
from bioatlas.kb.map_points import map_points as filtered_map_points
from bioatlas.kb.queries import NotFound
from bioatlas.kb.search import QueryError
from bioatlas.kb.store import Store
from bioatlas.match import land, markets, prospects
from bioatlas.match.knowledge import load_knowledge
from bioatlas.model import EVENT_TYPES
from bioatlas.web import answer_view as view
from bioatlas.web import chart_view
from bioatlas.web.correction_pages import correction_pages
from bioatlas.web.highlight import mark_evidence, parse_span
from bioatlas.web.i18n import Translator
from bioatlas.web.mapview import layout
from bioatlas.web.paging import page_links
from bioatlas.web.render import Render

EVENTS_PER_PAGE = 50
ENTITY_EVENTS = 20  # on an entity's page; the rest on its paged event list
EXAMPLES = ("Liège", "列日", "罗氏", "Clarity Pharmaceuticals", "Genopole", "바이오")

search_pages = APIRouter()
entity_pages = APIRouter()
event_pages = APIRouter()
document_pages = APIRouter()
map_pages = APIRouter()
ingest_pages = APIRouter()
answer_pages = APIRouter()


@search_pages.get("/", response_class=HTMLResponse)
def home(store: StoreDep, viewer: ViewerDep, render: Render) -> HTMLResponse:
    documents = queries.ingest_log(store, limit=1, viewer=viewer)["documents"]
    return render.page("home.html", examples=EXAMPLES, documents=documents)


def _pager(request: Request, offset: int, limit: int, total: int) -> tuple[str | None, str | None]:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]

    def url(at: int) -> str:
        return "/search?" + urlencode([*params, ("offset", str(at))])

    prev_url = url(max(0, offset - limit)) if offset > 0 else None
    next_url = url(offset + limit) if offset + limit < total else None
    return prev_url, next_url


@search_pages.get("/search", response_class=HTMLResponse)
def search(
    request: Request, store: StoreDep, viewer: ViewerDep, render: Render, page: PageDep, q: str | None = None
) -> Response:
    if q is None:
        return RedirectResponse("/", status_code=303)
    data = queries.search(store, q, limit=page.limit, offset=page.offset, viewer=viewer)
    prev_url, next_url = _pager(request, page.offset, page.limit, data["total"])
    downloads = export_links("/search", request.query_params.multi_items(), per_page=None)  # the page shown
    return render.page(
        "search.html", data=data, offset=page.offset, prev_url=prev_url, next_url=next_url, downloads=downloads
    )


def merge_candidates(store: Store, entity: dict[str, Any], viewer: Viewer) -> list[dict[str, Any]]:
    """Entities whose names contain this one's name: the likeliest duplicates to offer in the merge form."""
    try:
        found = queries.search(store, entity["name"], limit=1, viewer=viewer)["entities"]
    except QueryError:
        return []
    return [e for e in found if e["id"] != entity["id"]]


@entity_pages.get("/entity/{entity_id:path}", response_class=HTMLResponse)
def entity(entity_id: str, store: StoreDep, viewer: ViewerDep, render: Render) -> Response:
    data = queries.entity_page(store, entity_id, viewer=viewer)
    if data["entity"]["id"] != entity_id:  # merged into another entity: show that one, under its own address
        return RedirectResponse("/entity/" + quote(data["entity"]["id"], safe=":"), status_code=307)
    data["profile"] = directory.profile(store, entity_id, viewer=viewer)  # headquarters, funding, members…
    return render.page(
        "entity.html",
        data=data,
        candidates=merge_candidates(store, data["entity"], viewer),
        entity_events=ENTITY_EVENTS,
        timeline=chart_view.entity_timeline(store, data["entity"]["id"], viewer, render.lang),
    )


@event_pages.get("/events", response_class=HTMLResponse)
def events(
    request: Request, store: StoreDep, viewer: ViewerDep, render: Render, filters: EventFiltersDep
) -> HTMLResponse:
    if "limit" not in request.query_params:  # a page a person can read; the API answers 200 unless asked
        filters.limit = EVENTS_PER_PAGE
    data = queries.events_list(store, **filters.as_kwargs(), viewer=viewer)
    places = [p for p in queries.map_points(store, viewer=viewer) if p["type"] in ("place", "park")]
    return render.page(
        "events.html",
        data=data,
        event_types=EVENT_TYPES,
        selected_types=filters.types or [],
        places=places,
        pager=page_links(request, data["page"], data["pages"]),
        downloads=export_links("/events", request.query_params.multi_items(), per_page="limit", most=1000),
        json_url="/api/events?" + urlencode([*_without(request, "lang", "limit"), ("limit", str(filters.limit))]),
        timeline=chart_view.events_timeline(store, filters, viewer, render.lang),
    )


def _without(request: Request, *names: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k not in names]


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
def document(
    doc_id: str,
    store: StoreDep,
    viewer: ViewerDep,
    render: Render,
    mark: Annotated[str | None, Query(description="a span of the text to mark, e.g. 120-240")] = None,
) -> HTMLResponse:
    data = queries.document_page(store, doc_id, viewer=viewer)
    span = parse_span(mark)
    marked = mark_evidence(data["document"]["text"], data["mentions"], *span) if span else None
    if marked is not None:
        data["html"] = marked
    return render.page(
        "document.html", data=data, mentioned=mentioned_entities(data["mentions"]), marked=marked is not None
    )


@map_pages.get("/map", response_class=HTMLResponse)
def map_page(
    store: StoreDep, viewer: ViewerDep, settings: SettingsDep, render: Render, filters: MapFiltersDep
) -> HTMLResponse:
    points = filtered_map_points(store, **asdict(filters), viewer=viewer)  # kb.map_points: counts as /events has
    return render.page(
        "map.html",
        points=points,
        layout=layout(points),
        tile_url=settings.tile_url or None,
        filters=filters,
        event_types=EVENT_TYPES,
        events_query=urlencode(filters.query()),
    )


@ingest_pages.get("/ingest", response_class=HTMLResponse)
def ingest_page(
    store: StoreDep, viewer: ViewerDep, render: Render, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> HTMLResponse:
    return render.page("ingest.html", data=queries.ingest_log(store, limit=limit, viewer=viewer), result=None)


@ingest_pages.post("/ingest", response_class=HTMLResponse)
def ingest_upload(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    render: Render,
    writer: AnalystDep,
    files: Annotated[list[UploadFile], File()],
) -> HTMLResponse:
    check_same_origin(request)
    result = ingest_uploads(store, files, settings.max_input_bytes, org=writer.org, user=writer.user)
    data = queries.ingest_log(store, viewer=writer)
    return render.page("ingest.html", data=data, result=result, json_url="/api/ingest")


# ------------------------------------------------------------------------------------------------- the answers


def asked(request: Request) -> bool:
    """A question was sent (the form was submitted, or a link to an answer followed), not just the page opened."""
    return any(key != "lang" for key in request.query_params)


def answer(request: Request, compute: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None, int]:
    """(answer, message, status): a wrong value or an unknown name gives the form back with the message."""
    if not asked(request):
        return None, None, 200
    try:
        return compute(), None, 200
    except answers.BadInput as exc:
        return None, str(exc), 400
    except NotFound as exc:
        return None, str(exc), 404


def _twin(request: Request, path: str) -> str | None:
    """The JSON twin of an answer page; none for the empty form."""
    if not asked(request):
        return None
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    return f"{path}?{query}"


@answer_pages.get("/land", response_class=HTMLResponse)
def land_page(
    request: Request, store: StoreDep, viewer: ViewerDep, render: Render, form: answers.LandFormDep
) -> HTMLResponse:
    data, error, status = answer(request, lambda: answers.land_answer(store, form, viewer=viewer))
    return render.page(
        "land.html",
        status=status,
        form=form,
        data=data,
        error=error,
        sector_groups=view.sector_groups(render.lang),
        countries=view.country_names(render.lang),
        stages=land.STAGES,
        needs=view.need_options(),
        chosen=view.chosen_needs(form.needs),
        weights=view.weight_rows(
            land.DEFAULT_WEIGHTS, land.LABELS, form.weight_fields, data["weights"] if data else None
        ),
        json_url=_twin(request, "/api/land"),
        comparison=chart_view.land_view(data, Translator(render.lang)) if data else None,
    )


@answer_pages.get("/pathway", response_class=HTMLResponse)
def pathway_page(
    request: Request, store: StoreDep, viewer: ViewerDep, render: Render, form: answers.PathwayFormDep
) -> HTMLResponse:
    kb = load_knowledge(store, viewer)
    data, error, status = answer(request, lambda: answers.pathway_answer_for(store, form, viewer=viewer))
    return render.page(
        "pathway.html",
        status=status,
        form=form,
        data=data,
        error=error,
        sectors=view.sector_names(render.lang),
        sector_groups=view.sector_groups(render.lang),
        suggestions=view.location_suggestions(kb),
        json_url=_twin(request, "/api/pathway"),
        stages_chart=chart_view.pathway_view(data, Translator(render.lang)) if data else None,
    )


@answer_pages.get("/prospects", response_class=HTMLResponse)
def prospects_page(
    request: Request, store: StoreDep, viewer: ViewerDep, render: Render, form: answers.ProspectsFormDep
) -> HTMLResponse:
    kb = load_knowledge(store, viewer)
    data, error, status = answer(request, lambda: answers.prospects_answer(store, form, viewer=viewer))
    json_url = _twin(request, "/api/prospects")
    return render.page(
        "prospects.html",
        status=status,
        form=form,
        data=data,
        error=error,
        sectors=view.sector_names(render.lang),
        sector_groups=view.sector_groups(render.lang),
        suggestions=view.host_suggestions(kb),
        weights=view.weight_rows(
            prospects.DEFAULT_WEIGHTS, prospects.LABELS, form.weight_fields, data["weights"] if data else None
        ),
        csv_url=json_url.replace("/api/prospects?", "/api/prospects.csv?", 1) if data and json_url else None,
        json_url=json_url,
    )


@answer_pages.get("/markets", response_class=HTMLResponse)
def markets_page(
    request: Request, store: StoreDep, viewer: ViewerDep, render: Render, form: answers.MarketsFormDep
) -> HTMLResponse:
    kb = load_knowledge(store, viewer)
    data, error, status = answer(request, lambda: answers.markets_answer(store, form, viewer=viewer))
    return render.page(
        "markets.html",
        status=status,
        form=form,
        data=data,
        error=error,
        sectors=view.sector_names(render.lang),
        sector_groups=view.sector_groups(render.lang),
        countries=view.country_names(render.lang),
        suggestions=view.alliance_suggestions(kb),
        weights=view.weight_rows(
            markets.DEFAULT_WEIGHTS, markets.LABELS, form.weight_fields, data["weights"] if data else None
        ),
        json_url=_twin(request, "/api/markets"),
    )


router = APIRouter(include_in_schema=False)
for _router in (search_pages, entity_pages, event_pages, document_pages, map_pages, ingest_pages, answer_pages):
    router.include_router(_router)
router.include_router(correction_pages)  # /corrections (web.correction_pages)
router.include_router(directory_page)  # /directory (api.directory, with its JSON twin)
router.include_router(flows_page)  # /flows (api.charts, with its JSON twin)
