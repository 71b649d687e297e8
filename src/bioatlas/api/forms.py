"""Write endpoints take JSON (programs) or a plain HTML form (the web pages, no JavaScript needed).

A form post is answered with a redirect back to the page it came from; JSON is answered with JSON.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_form(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() in FORM_TYPES


def is_json(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def check_same_origin(request: Request) -> None:
    """Refuse form posts sent by another site's page (a browser always sends Origin with a POST)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise HTTPException(403, "this form was sent from another site")


def safe_next(value: Any, default: str = "/") -> str:
    """Only a path on this site: never another host, so a form cannot be used to redirect elsewhere."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


async def read_payload(request: Request) -> dict[str, Any]:
    if is_form(request):
        check_same_origin(request)
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    if not await request.body():
        return {}
    if not is_json(request):  # e.g. text/plain, which a browser may send from any site without asking
        raise HTTPException(415, "send JSON with `Content-Type: application/json`, or post an HTML form")
    try:
        data = await request.json()
    except ValueError as exc:
        raise HTTPException(400, "the request body is not valid JSON") from exc
    if not isinstance(data, dict):
        raise HTTPException(400, "the request body must be a JSON object")
    return data


def validate(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc
