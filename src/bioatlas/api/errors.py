"""One error shape for the whole API: `{"error": {"status": 404, "code": "not_found", "message": "..."}}`.

Every failure (HTTP errors, invalid input, kb lookups that find nothing, malformed searches, questions asked
with values they cannot take, bugs) is turned
into an `ApiError` first; the JSON API sends it as is and the web pages show the same message on an error page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from bioatlas.api.answers import BadInput
from bioatlas.kb.queries import NotFound
from bioatlas.kb.search import QueryError

log = logging.getLogger("bioatlas.api")


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error response (documented in the OpenAPI schema)."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorBody,
        "description": "The request cannot be answered as asked (e.g. a malformed search, an unknown sector)",
    },
    404: {"model": ErrorBody, "description": "Nothing with that id or name"},
    422: {"model": ErrorBody, "description": "A parameter is missing or invalid"},
}


@dataclass(frozen=True, slots=True)
class ApiError:
    status: int
    code: str
    message: str

    def body(self) -> dict[str, Any]:
        return {"error": {"status": self.status, "code": self.code, "message": self.message}}


def _code_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body", "form"))
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid input"


def to_api_error(exc: Exception, path: str = "") -> ApiError:
    """Classify any exception raised while answering a request (`path`: the address asked for)."""
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", str(exc) or "not found")
    if isinstance(exc, QueryError):
        return ApiError(400, "bad_query", str(exc))
    if isinstance(exc, BadInput):
        return ApiError(400, "bad_input", str(exc))
    if isinstance(exc, RequestValidationError):
        return ApiError(422, "invalid_input", _validation_message(exc))
    if isinstance(exc, StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404:
            return ApiError(
                404, "not_found", f"there is nothing at {path}" if detail == "Not Found" and path else detail
            )
        return ApiError(exc.status_code, _code_for(exc.status_code), detail)
    log.exception("unexpected error while answering a request", exc_info=exc)
    return ApiError(500, "internal_error", "something went wrong on the server; the error was logged")


def json_error(error: ApiError, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=headers)
