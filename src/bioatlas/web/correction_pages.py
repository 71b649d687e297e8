"""The corrections history page (`/corrections`, filterable by event or entity, with undo), the twin of
`GET /api/corrections`; and what the "Correct" forms on event and figure rows need to offer (template globals)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from bioatlas.api.corrections import correction_history
from bioatlas.api.deps import StoreDep, ViewerDep
from bioatlas.kb.corrections import ROLES_OF_TYPE
from bioatlas.model import EVENT_TYPES, FIGURE_UNITS
from bioatlas.web.render import ENV, Render

ENV.globals.update(  # the choices of the "Correct" forms (templates/_corrections.html), on every page with events
    correction_event_types=EVENT_TYPES,
    correction_roles=ROLES_OF_TYPE,
    correction_units=FIGURE_UNITS,
)

correction_pages = APIRouter()


@correction_pages.get("/corrections", response_class=HTMLResponse)
def corrections_page(
    store: StoreDep,
    viewer: ViewerDep,
    render: Render,
    event: Annotated[str | None, Query()] = None,
    entity: Annotated[str | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> HTMLResponse:
    data = correction_history(store, viewer, event, entity, limit)
    return render.page("corrections.html", data=data)
