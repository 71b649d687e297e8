"""The JSON API under /api: one router per resource, each a thin call of a `bioatlas.kb.queries` function.

Every HTML page of the web UI has its twin here, built from the same call, so what a person sees is what a
program gets.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, model_validator

from bioatlas.api import answers, exports
from bioatlas.api.charts import MapFiltersDep
from bioatlas.api.charts import api_router as charts_router
from bioatlas.api.corrections import corrections_router
from bioatlas.api.deps import AnalystDep, SettingsDep, StoreDep, ViewerDep
from bioatlas.api.directory import api_router as directory_router
from bioatlas.api.errors import ERROR_RESPONSES
from bioatlas.api.exports import ExportFormatDep
from bioatlas.api.forms import is_form, read_payload, safe_next, validate
from bioatlas.api.params import BadInput, EventFiltersDep, PageDep, known_parameters
from bioatlas.api.uploads import ingest_uploads
from bioatlas.kb import directory, entity_names, queries
from bioatlas.kb.map_points import map_points as filtered_map_points
from bioatlas.match.prospects import prospects_csv_rows

EntityId = Annotated[str, Path(description="entity id, e.g. `ent:801df60565efb67f` (the ':' needs no escaping)")]
DocumentId = Annotated[str, Path(description="document id")]

search_router = APIRouter(tags=["search"], dependencies=[Depends(known_parameters)])
entities_router = APIRouter(tags=["entities"])
events_router = APIRouter(tags=["events"], dependencies=[Depends(known_parameters)])
documents_router = APIRouter(tags=["documents"])
map_router = APIRouter(tags=["map"], dependencies=[Depends(known_parameters)])
ingest_router = APIRouter(tags=["ingest"])
merges_router = APIRouter(tags=["merges"])
answers_router = APIRouter(tags=["answers"], dependencies=[Depends(known_parameters)])


@search_router.get("/search", responses=ERROR_RESPONSES, summary="Search documents and entities in any language")
def search(
    store: StoreDep,
    viewer: ViewerDep,
    page: PageDep,
    q: Annotated[str, Query(description="words in any language; quotes and operators are read as words")],
    fmt: ExportFormatDep,
) -> Any:
    result = queries.search(store, q, limit=page.limit, offset=page.offset, viewer=viewer)
    rows = partial(exports.search_rows, offset=page.offset)
    return exports.export(fmt, result, rows, exports.SEARCH_COLUMNS, f"search-{q}")


@entities_router.get("/entity/{entity_id:path}", responses=ERROR_RESPONSES, summary="One entity with its evidence")
def entity(store: StoreDep, viewer: ViewerDep, entity_id: EntityId) -> dict[str, Any]:
    data = queries.entity_page(store, entity_id, viewer=viewer)
    return {**data, "profile": directory.profile(store, data["entity"]["id"], viewer=viewer)}


@events_router.get("/events", responses=ERROR_RESPONSES, summary="Events, filtered by type, place, sector, dates")
def events(store: StoreDep, viewer: ViewerDep, filters: EventFiltersDep, fmt: ExportFormatDep) -> Any:
    result = queries.events_list(store, **filters.as_kwargs(), viewer=viewer)
    return exports.export(fmt, result, exports.event_rows, exports.EVENT_COLUMNS, "events")


@documents_router.get("/document/{doc_id:path}", responses=ERROR_RESPONSES, summary="One document, mentions marked")
def document(store: StoreDep, viewer: ViewerDep, doc_id: DocumentId) -> dict[str, Any]:
    return queries.document_page(store, doc_id, viewer=viewer)


@map_router.get("/map", summary="Located entities with their event counts")
def map_points(store: StoreDep, viewer: ViewerDep, settings: SettingsDep, filters: MapFiltersDep) -> dict[str, Any]:
    points = filtered_map_points(store, **asdict(filters), viewer=viewer)  # kb.map_points: counts as /events has
    return {"count": len(points), "points": points, "tile_url": settings.tile_url or None}


@ingest_router.get("/ingest", summary="What was read, skipped and why (the shared runs and your organisation's)")
def ingest_status(
    store: StoreDep, viewer: ViewerDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> dict[str, Any]:
    return queries.ingest_log(store, limit=limit, viewer=viewer)


@ingest_router.post(
    "/ingest",
    status_code=201,
    responses=ERROR_RESPONSES,
    summary="Upload files (.txt, .html, .jsonl, .warc…) and ingest them",
)
def ingest_upload(
    store: StoreDep,
    settings: SettingsDep,
    writer: AnalystDep,
    files: Annotated[list[UploadFile], File(description="one or more files")],
) -> dict[str, Any]:
    return ingest_uploads(store, files, settings.max_input_bytes, org=writer.org, user=writer.user)


class MergeRequest(BaseModel):
    from_id: str = Field(min_length=1, description="the entity that is merged away (or judged not the same)")
    to_id: str = Field(min_length=1, description="the entity it is merged into")
    decision: Literal["merged", "rejected"] = Field("merged", description="`rejected` records 'not the same'")
    next: str | None = Field(None, description="form posts only: the page to go back to")

    @model_validator(mode="after")
    def _two_entities(self) -> MergeRequest:
        if self.from_id.strip() == self.to_id.strip():
            raise ValueError("an entity cannot be merged with itself: pick another entity")
        return self


def _form_body(model: type[BaseModel], required: bool = True) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {
        "requestBody": {
            "required": required,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    }


@merges_router.post(
    "/merges",
    status_code=201,
    responses=ERROR_RESPONSES,
    openapi_extra=_form_body(MergeRequest),
    summary="Record a merge (same entity) or a 'not the same' decision",
)
async def create_merge(request: Request, store: StoreDep, writer: AnalystDep) -> Response:
    payload = await read_payload(request)
    body = validate(MergeRequest, payload)
    by = writer.user or "?"  # the logged-in user decides; a `by` in the request is ignored
    try:  # the form offers names (`Name [id]`): read back as the entity id
        body.from_id = await run_in_threadpool(entity_names.resolve_for, store, writer, body.from_id)
    except entity_names.NameNotFound as exc:
        if not entity_names.looks_like_id(body.from_id):  # an id is checked below (not found: a 404)
            raise BadInput(f"from_id: {exc}") from None
    for entity_id in (body.from_id.strip(), body.to_id.strip()):  # another organisation's entity: not found
        await run_in_threadpool(queries.visible_entity, store, entity_id, viewer=writer)
    row = await run_in_threadpool(
        queries.decide_merge, store, body.from_id.strip(), body.to_id.strip(), by, body.decision
    )
    if is_form(request):
        return RedirectResponse(safe_next(body.next, "/entity/" + quote(row["to_id"], safe=":")), status_code=303)
    return JSONResponse(row, status_code=201)


class UndoRequest(BaseModel):
    next: str | None = Field(None, description="form posts only: the page to go back to")


@merges_router.post(
    "/merges/{merge_id}/undo",
    responses=ERROR_RESPONSES,
    openapi_extra=_form_body(UndoRequest, required=False),
    summary="Undo a merge decision (the decision stays on record, marked undone)",
)
async def undo_merge(request: Request, store: StoreDep, writer: AnalystDep, merge_id: str) -> Response:
    body = validate(UndoRequest, await read_payload(request))
    await run_in_threadpool(queries.visible_merge, store, merge_id, viewer=writer)  # on entities the user sees
    row = await run_in_threadpool(queries.undo_merge, store, merge_id, writer.user)
    if is_form(request):
        return RedirectResponse(safe_next(body.next, "/entity/" + quote(row["to_id"], safe=":")), status_code=303)
    return JSONResponse(row)


@answers_router.get(
    "/land", responses=ERROR_RESPONSES, summary="Where to land: locations ranked for a company, every number cited"
)
def land(store: StoreDep, viewer: ViewerDep, form: answers.LandFormDep, fmt: ExportFormatDep) -> Any:
    result = answers.land_answer(store, form, viewer=viewer)
    return exports.export(fmt, result, exports.land_rows, exports.land_columns(result), "land-ranking")


@answers_router.get(
    "/pathway", responses=ERROR_RESPONSES, summary="Concept to market: who offers each stage in or around a location"
)
def pathway(store: StoreDep, viewer: ViewerDep, form: answers.PathwayFormDep) -> dict[str, Any]:
    return answers.pathway_answer_for(store, form, viewer=viewer)


@answers_router.get(
    "/prospects", responses=ERROR_RESPONSES, summary="Whom to court: companies ranked for a park, cluster or agency"
)
def prospects(store: StoreDep, viewer: ViewerDep, form: answers.ProspectsFormDep, fmt: ExportFormatDep) -> Any:
    result = answers.prospects_answer(store, form, viewer=viewer)
    name = f"prospects-{result['for']['name']}"
    return exports.export(fmt, result, prospects_csv_rows, exports.PROSPECT_COLUMNS, name)


@answers_router.get(
    "/prospects.csv",
    responses={**ERROR_RESPONSES, 200: {"content": {"text/csv": {}}, "description": "one row per company"}},
    response_class=Response,
    summary="The same prospects as CSV, for a CRM",
)
def prospects_csv(store: StoreDep, viewer: ViewerDep, form: answers.ProspectsFormDep) -> Response:
    result = answers.prospects_answer(store, form, viewer=viewer)
    name = f"prospects-{result['for']['name']}"
    return exports.download("csv", result, prospects_csv_rows, exports.PROSPECT_COLUMNS, name)


@answers_router.get(
    "/markets", responses=ERROR_RESPONSES, summary="Which markets first: countries ranked for an alliance and a sector"
)
def markets(store: StoreDep, viewer: ViewerDep, form: answers.MarketsFormDep) -> dict[str, Any]:
    return answers.markets_answer(store, form, viewer=viewer)


router = APIRouter(prefix="/api")
for _router in (
    search_router,
    entities_router,
    events_router,
    documents_router,
    map_router,
    ingest_router,
    merges_router,
    corrections_router,
    answers_router,
    directory_router,
    charts_router,
):
    router.include_router(_router)
