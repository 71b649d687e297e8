"""`create_app(db_url)`: the web UI and the JSON API in one FastAPI app, over one `Store`.

Pages live at `/`, `/search`, `/entity/{id}`, `/events`, `/document/{id}`, `/map`, `/ingest` and, for the four
answers, `/land`, `/pathway`, `/prospects`, `/markets`; each has a JSON twin under `/api`. API docs are at `/docs`,
served from vendored Swagger UI files: nothing is loaded from the internet.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bioatlas import __version__
from bioatlas.api import answer_pool
from bioatlas.api.answers import BadInput
from bioatlas.api.deps import LoginRequired
from bioatlas.api.errors import ApiError, json_error, to_api_error
from bioatlas.api.forms import is_form
from bioatlas.api.routes import router as api_router
from bioatlas.kb.queries import NotFound
from bioatlas.kb.search import QueryError
from bioatlas.kb.store import Store
from bioatlas.settings import Settings, get_settings
from bioatlas.web.auth import Authentication, LoginAttempts, guard, login_required_response
from bioatlas.web.auth import router as auth_router
from bioatlas.web.catalogs import english_keys
from bioatlas.web.i18n import Translator, ui_language
from bioatlas.web.pages import router as pages_router
from bioatlas.web.render import Renderer
from bioatlas.web.security import (
    HostAllowList,
    SecurityHeaders,
    content_security_policy,
    script_hash,
    security_headers,
)

STATIC = Path(__file__).resolve().parent / "static"
OPENAPI_URL = "/api/openapi.json"

DESCRIPTION = """Every page of the bioatlas web UI has a JSON twin here, built from the same data.

All errors have one shape: `{"error": {"status": 404, "code": "not_found", "message": "..."}}`.
Ids contain `:` (e.g. `ent:801df60565efb67f`); use them in paths as they are.
Write endpoints (`POST /api/merges`, `POST /api/ingest`) also accept plain HTML form posts. They need a user with
the role analyst or admin: send `Authorization: Bearer <token>` (make a token on `/account` or with
`bioatlas users token NAME`). JSON bodies need `Content-Type: application/json`.

The four answers (`/api/land`, `/api/pathway`, `/api/prospects`, `/api/markets`) cite every number: each piece of
evidence is a document sentence (`document_id`, `start`, `end`, and `page`, the document page with the span marked)
or a reference-data row (`reference`, e.g. `organisations.csv:awex`, and `entity_id`/`page` when that row is an
entity). Weights are one parameter per indicator (`w_track_record=2`) or `weights=track_record=2,sector=0.5`."""


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    if request.url.path.startswith("/api"):
        return not (is_form(request) and "text/html" in accept)  # a page's form posted to /api: answer with a page
    return "application/json" in accept and "text/html" not in accept


def _error_response(request: Request, error: ApiError, policy: str) -> Response:
    headers = security_headers(policy) if error.status >= 500 else None
    if _wants_json(request):
        return json_error(error, headers)
    try:
        t = Translator(ui_language(request))
        key = f"error_{error.code}"
        heading = t(key) if key in english_keys() else t("error_title")
        response: Response = Renderer(request, t.lang).page(
            "error.html",
            status=error.status,
            error=error,
            heading=heading,
            query=request.query_params.get("q", ""),
            json_url=None,
        )
    except Exception:  # the error page itself failed: still answer in the one error shape
        return json_error(error, headers)
    if headers:
        response.headers.update(headers)
    return response


def _install_error_handlers(app: FastAPI, policy: str) -> None:
    async def handle(request: Request, exc: Exception) -> Response:
        return _error_response(request, to_api_error(exc, request.url.path), policy)

    async def login_first(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return login_required_response(request, exc)

    app.add_exception_handler(LoginRequired, login_first)
    for kind in (StarletteHTTPException, RequestValidationError, NotFound, QueryError, BadInput, Exception):
        app.add_exception_handler(kind, handle)


def _install_docs(app: FastAPI, tile_url: str) -> None:
    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        response = get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title="bioatlas API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )
        # Swagger UI starts from one inline script: allow exactly that script by its hash, and nothing else inline.
        body = bytes(response.body).decode("utf-8")
        hashes = tuple(script_hash(s) for s in re.findall(r"<script>(.*?)</script>", body, flags=re.S))
        response.headers["Content-Security-Policy"] = content_security_policy(tile_url, hashes)
        return response


def create_app(db_url: str, settings: Settings | None = None, answer_workers: int = 0) -> FastAPI:
    """The app over `db_url`; with `answer_workers`, the four answers run in that many worker processes
    (`api.answer_pool`), so searches and pages are served while a long answer is computed."""
    settings = settings or get_settings()
    app = FastAPI(
        title="bioatlas API",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_URL,
        swagger_ui_oauth2_redirect_url=None,
        dependencies=[Depends(guard)],  # every route: reading needs a login unless public; writes need our own page
    )
    app.state.store = Store(db_url)
    if answer_workers:
        pool = answer_pool.attach(app.state.store, answer_workers)
        store = app.state.store
        app.router.on_startup.append(lambda: pool.watch(store) and None)  # load the kb in the workers ahead
        app.router.on_shutdown.append(pool.shutdown)
    app.state.settings = settings
    app.state.login_attempts = LoginAttempts()
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(auth_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_docs(app, settings.tile_url)
    policy = content_security_policy(settings.tile_url)
    _install_error_handlers(app, policy)
    app.add_middleware(Authentication, store=app.state.store)
    app.add_middleware(SecurityHeaders, policy=policy)
    app.add_middleware(HostAllowList, allowed_hosts=settings.allowed_hosts)  # outermost: unknown hosts get nothing
    return app
