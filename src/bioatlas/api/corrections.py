"""Corrections in the JSON API: record one (`POST /api/corrections`), undo one, list the history.

Writes take JSON or a plain HTML form (the "Correct" forms of the event rows) and need an analyst or an admin;
a session's requests carry its CSRF token like every other write. Bad input is a 400 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError

from bioatlas.api.deps import AnalystDep, StoreDep, ViewerDep
from bioatlas.api.errors import ERROR_RESPONSES
from bioatlas.api.forms import is_form, read_payload, safe_next
from bioatlas.api.params import BadInput, known_parameters
from bioatlas.kb import correcting, entity_names, queries
from bioatlas.kb.corrections import BadCorrection, CorrectionNotFound

corrections_router = APIRouter(tags=["corrections"])


class CorrectionRequest(BaseModel):
    event: str | None = Field(None, description="the event's id (as /api/events gives it); or `figure`")
    figure: str | None = Field(None, description="the figure's id (as an entity or document gives it)")
    field: str = Field(
        description="event: `date`, `type`, `role` or `reject`; figure: `value`, `unit`, `entity` or `reject`"
    )
    value: str | float | None = Field(
        None, description="the new date (2021, 2021-03, 2021-03-07), type, value, unit or entity id"
    )
    role: str | None = Field(None, description="`role` only: the role to edit (company, location, investors…)")
    remove: str | None = Field(None, description="`role` only: the entity id to take out of the role")
    add: str | None = Field(None, description="`role` only: the entity id to put in the role")
    reason: str | None = Field(None, description="why (shown beside the corrected value), at most 2000 characters")
    scope: Literal["organisation", "everyone"] | None = Field(
        None,
        description="whom it applies to: a user of an organisation corrects its own view (`organisation`, the "
        "default); `everyone` (admins only) applies it to all. A user without an organisation corrects the shared kb.",
    )
    next: str | None = Field(None, description="form posts only: the page to go back to")


class UndoRequest(BaseModel):
    next: str | None = Field(None, description="form posts only: the page to go back to")


def _parse(model: type[BaseModel], payload: dict[str, Any]) -> Any:
    """The request as `model`; a field of the wrong kind is a 400 naming it (like every bad input here)."""
    cleaned = {k: (v if v != "" else None) for k, v in payload.items()}
    try:
        return model.model_validate(cleaned)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        raise BadInput(f"{where}: {str(err.get('msg', 'invalid')).removeprefix('Value error, ')}") from None


def _form_body(model: type[BaseModel], required: bool = True) -> dict[str, Any]:
    schema = model.model_json_schema()
    content = {kind: {"schema": schema} for kind in ("application/json", "application/x-www-form-urlencoded")}
    return {"requestBody": {"required": required, "content": content}}


@corrections_router.post(
    "/corrections",
    status_code=201,
    responses={**ERROR_RESPONSES, 403: {"description": "a viewer, or `everyone` asked by a non-admin"}},
    openapi_extra=_form_body(CorrectionRequest),
    summary="Correct an event (date, type, a role) or a figure (value, unit, entity), or reject it",
)
async def create_correction(request: Request, store: StoreDep, writer: AnalystDep) -> Response:
    body: CorrectionRequest = _parse(CorrectionRequest, await read_payload(request))
    try:
        result = await run_in_threadpool(
            lambda: correcting.correct(
                store,
                writer,
                event=body.event,
                figure=body.figure,
                field=body.field.strip(),
                value=body.value,
                role=body.role,
                remove=body.remove,
                add=body.add,
                reason=body.reason,
                everyone=body.scope == "everyone",
            )
        )
    except BadCorrection as exc:
        raise BadInput(str(exc)) from None
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    if is_form(request):
        return RedirectResponse(safe_next(body.next, "/corrections"), status_code=303)
    return JSONResponse(result, status_code=201)


@corrections_router.post(
    "/corrections/{correction_id}/undo",
    responses={**ERROR_RESPONSES, 403: {"description": "not allowed to undo this correction"}},
    openapi_extra=_form_body(UndoRequest, required=False),
    summary="Undo a correction (it stays on record, marked undone, with who undid it)",
)
async def undo_correction(request: Request, store: StoreDep, writer: AnalystDep, correction_id: str) -> Response:
    body: UndoRequest = _parse(UndoRequest, await read_payload(request))
    try:
        row = await run_in_threadpool(correcting.undo, store, writer, correction_id)
    except CorrectionNotFound as exc:
        raise queries.NotFound(str(exc)) from None
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    if is_form(request):
        return RedirectResponse(safe_next(body.next, "/corrections"), status_code=303)
    return JSONResponse(row)


def correction_history(store: Any, viewer: Any, event: str | None, entity: str | None, limit: int) -> dict[str, Any]:
    """The history as the API and the page show it; an unknown entity is a 400 naming `entity`."""
    entity_ids = None
    if entity:
        try:
            entity_ids = queries.entity_group(store, entity.strip(), viewer=viewer)
        except queries.NotFound:
            raise BadInput(f"entity: no entity with id {entity!r}") from None
    result = correcting.history(store, viewer, event=event or None, entity_ids=entity_ids, limit=limit)
    result["filters"] = {"event": event or None, "entity": entity or None}
    return result


@corrections_router.get(
    "/corrections",
    responses=ERROR_RESPONSES,
    dependencies=[Depends(known_parameters)],
    summary="The corrections you see (yours, your organisation's and the shared ones), newest first",
)
def list_corrections(
    store: StoreDep,
    viewer: ViewerDep,
    event: Annotated[str | None, Query(description="only this event's (its id)")] = None,
    entity: Annotated[str | None, Query(description="only those about this entity (its id)")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    return correction_history(store, viewer, event, entity, limit)


@corrections_router.get(
    "/entities/suggest",
    dependencies=[Depends(known_parameters)],
    summary="Entities whose name (in any spelling the kb has met) starts with or contains the text typed",
)
def suggest_entities(
    store: StoreDep,
    viewer: ViewerDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="part of a name, any language")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    found = entity_names.suggest_for(store, viewer, q, limit)
    return {"q": q, "count": len(found), "entities": found}
