"""Who is asking, and may they: authentication, the read/CSRF guard, and the login, account and user pages.

- `Authentication` (ASGI middleware) finds the viewer of every request: `Authorization: Bearer <token>` for
  scripts, else the session cookie of a web login, else anonymous. It puts the viewer on `request.state`.
- `guard` (a dependency of every route) lets anonymous readers in only when BIOATLAS_PUBLIC_READ is on, and checks
  every state-changing request: no other site's Origin, and, for a cookie login, the session's CSRF token (form
  field `csrf_token` or header `X-CSRF-Token`). A browser never sends a bearer token by itself, so those requests
  need no CSRF token.
- Pages: `/login` (protected by a pre-session double-submit token, failed attempts limited per name and client),
  `/logout`, `/account` (who am I, my API tokens), `/admin/users` (admins), and `/api/me`.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bioatlas import accounts
from bioatlas.access import ANONYMOUS, ROLES, Viewer
from bioatlas.api.deps import AdminDep, LoginRequired, SettingsDep, StoreDep, ViewerDep, get_settings
from bioatlas.api.forms import is_form, safe_next
from bioatlas.kb.store import Store
from bioatlas.settings import Settings
from bioatlas.web.i18n import Translator
from bioatlas.web.render import Render, Renderer

SESSION_COOKIE = "bioatlas_session"
LOGIN_COOKIE = "bioatlas_login"  # the pre-session CSRF token of the login form (double submit)
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN_PATHS = ("/login", "/static/", "/favicon.ico")  # reachable without logging in, whatever the settings
MAX_FAILURES = 10  # failed logins per user name and client ...
FAILURE_WINDOW = 15 * 60  # ... within this many seconds


# ------------------------------------------------------------------------------------------------ who is asking


def _json_401(message: str) -> JSONResponse:
    body = {"error": {"status": 401, "code": "unauthorized", "message": message}}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})


class Authentication:
    """ASGI middleware: sets `request.state.viewer`, `.auth` ("token", "session" or None) and `.csrf`."""

    def __init__(self, app: ASGIApp, store: Store):
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = scope.setdefault("state", {})
        state.update(viewer=ANONYMOUS, auth=None, csrf=None)
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                await _json_401("use the header `Authorization: Bearer <token>` with an API token")(
                    scope, receive, send
                )
                return
            viewer = await run_in_threadpool(accounts.viewer_for_token, self.store, token.strip())
            if viewer is None:
                await _json_401("this API token is unknown or revoked, or its user is disabled")(scope, receive, send)
                return
            state.update(viewer=viewer, auth="token")
        elif cookie := request.cookies.get(SESSION_COOKIE):
            found = await run_in_threadpool(accounts.viewer_for_session, self.store, cookie)
            if found is not None:
                state.update(viewer=found[0], auth="session", csrf=found[1])
        await self.app(scope, receive, send)


# --------------------------------------------------------------------------------------------------- the guard


def _is_open(path: str) -> bool:
    return any(path == p.rstrip("/") or path.startswith(p) for p in OPEN_PATHS)


def check_origin(request: Request) -> None:
    """A state-changing request must come from one of our own pages (or from a program, which sends no Origin)."""
    origin = request.headers.get("origin")
    host = request.headers.get("host", "").lower()
    if origin is not None and (origin == "null" or urlsplit(origin).netloc.lower() != host):
        raise HTTPException(403, "this request was sent from another site's page; it was refused")
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise HTTPException(403, "this request was sent from another site's page; it was refused")


def _same(given: str | None, expected: str | None) -> bool:
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


async def check_csrf(request: Request) -> None:
    """A request made with the session cookie must prove it comes from our page: it carries the session's token."""
    expected = getattr(request.state, "csrf", None)
    given = request.headers.get(CSRF_HEADER)
    if given is None and is_form(request):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not _same(given, expected):
        raise HTTPException(
            403, "the form is missing its security token or it has expired: reload the page and try again"
        )


async def guard(request: Request) -> None:
    """Every route depends on this: reading needs a login unless public reading is on; writes need our own page."""
    settings: Settings = get_settings(request)
    viewer: Viewer = getattr(request.state, "viewer", ANONYMOUS)
    path = request.url.path
    if request.method not in SAFE_METHODS:
        check_origin(request)
        if getattr(request.state, "auth", None) == "session" and path != "/login":
            await check_csrf(request)
    if viewer.user is None and not settings.public_read and not _is_open(path):
        raise LoginRequired("log in to use this bioatlas (or send an API token)")


def login_required_response(request: Request, exc: LoginRequired) -> Response:
    """401 in the one error shape for programs; for a person, the login page, then back to where they were."""
    browser_form = is_form(request) and "text/html" in request.headers.get("accept", "")  # a page's form, not curl
    if request.url.path.startswith("/api") and not browser_form:
        return _json_401(str(exc) or "log in first")
    if request.method in SAFE_METHODS:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        referer = urlsplit(request.headers.get("referer", ""))
        same = referer.netloc.lower() == request.headers.get("host", "").lower()
        back = safe_next(referer.path + (f"?{referer.query}" if referer.query else ""), "/") if same else "/"
    return RedirectResponse("/login?" + urlencode({"next": back}), status_code=303)


# ------------------------------------------------------------------------------------------ failed-login limit


class LoginAttempts:
    """Failed logins per (user name, client address) in a sliding window, in memory (one server process)."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW):
        self.limit = limit
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, name: str, client: str) -> bool:
        with self._lock:
            return len(self._recent((name.casefold(), client), time.monotonic())) >= self.limit

    def failed(self, name: str, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent((name.casefold(), client), now).append(now)
            if len(self._failures) > 100_000:  # a flood of made-up names: forget the stale ones
                for key in [k for k, v in self._failures.items() if not v or now - v[-1] > self.window]:
                    del self._failures[key]

    def succeeded(self, name: str, client: str) -> None:
        with self._lock:
            self._failures.pop((name.casefold(), client), None)


def _attempts(request: Request) -> LoginAttempts:
    attempts: LoginAttempts = request.app.state.login_attempts
    return attempts


# ------------------------------------------------------------------------------------------------------ cookies


def _set_cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )


def _login_token(request: Request) -> str:
    """The login form's token: the one already in the browser's cookie (several tabs), else a new one."""
    current = request.cookies.get(LOGIN_COOKIE, "")
    return current if 20 <= len(current) <= 100 and current.isascii() else secrets.token_urlsafe(32)


# ------------------------------------------------------------------------------------------------------- pages

router = APIRouter(include_in_schema=False)


def _login_page(
    request: Request, render: Renderer, settings: Settings, next_url: str, error: str | None = None, status: int = 200
) -> HTMLResponse:
    token = _login_token(request)
    response = render.page(
        "login.html", status=status, login_csrf=token, next_url=next_url, error=error, username="", json_url=None
    )
    _set_cookie(response, settings, LOGIN_COOKIE, token, 3600)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, render: Render, settings: SettingsDep, next: str = "/") -> HTMLResponse:
    return _login_page(request, render, settings, safe_next(next))


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    render: Render,
    store: StoreDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    next_url = safe_next(next)
    t = render_t(render)
    if not _same(csrf_token, request.cookies.get(LOGIN_COOKIE)):
        return _login_page(request, render, settings, next_url, t("login_expired"), 403)
    client = request.client.host if request.client else "?"
    attempts = _attempts(request)
    if attempts.blocked(username, client):
        return _login_page(request, render, settings, next_url, t("login_too_many"), 429)
    viewer = await run_in_threadpool(accounts.authenticate, store, username, password)
    if viewer is None:
        attempts.failed(username, client)
        return _login_page(request, render, settings, next_url, t("login_failed"), 401)
    attempts.succeeded(username, client)
    if old := request.cookies.get(SESSION_COOKIE):
        await run_in_threadpool(accounts.end_session, store, old)
    cookie, _csrf = await run_in_threadpool(accounts.start_session, store, viewer)
    response = RedirectResponse(next_url, status_code=303)
    _set_cookie(response, settings, SESSION_COOKIE, cookie, accounts.SESSION_MAX_AGE)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
async def logout(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    if cookie := request.cookies.get(SESSION_COOKIE):
        await run_in_threadpool(accounts.end_session, store, cookie)
    response = RedirectResponse("/" if settings.public_read else "/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies)
    return response


def render_t(render: Renderer) -> Translator:
    return Translator(render.lang)


def _me(store: Store, viewer: Viewer) -> dict[str, Any]:
    if viewer.user is None:
        raise LoginRequired("log in to see your account")
    return {
        "user": viewer.user,
        "role": viewer.role,
        "org_id": viewer.org,
        "org": viewer.org_name,
        "tokens": accounts.list_tokens(store, viewer.user),
    }


def _account_page(
    render: Renderer,
    store: Store,
    viewer: Viewer,
    new_token: str | None = None,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render.page(
        "account.html",
        status=status,
        me=_me(store, viewer),
        new_token=new_token,
        message=message,
        error=error,
        json_url="/api/me",
    )


@router.get("/account", response_class=HTMLResponse)
def account(store: StoreDep, render: Render, viewer: ViewerDep) -> HTMLResponse:
    return _account_page(render, store, viewer)


@router.get("/api/me", include_in_schema=True, tags=["accounts"], summary="Who am I: user, role, organisation, tokens")
def me(store: StoreDep, viewer: ViewerDep) -> dict[str, Any]:
    return _me(store, viewer)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    store: StoreDep, render: Render, viewer: ViewerDep, name: Annotated[str, Form(max_length=400)] = ""
) -> HTMLResponse:
    _me(store, viewer)
    try:
        token = accounts.create_token(store, viewer.user or "", name)
    except accounts.AccountError as exc:
        return _account_page(render, store, viewer, error=str(exc), status=400)
    return _account_page(render, store, viewer, new_token=token)


@router.post("/account/tokens/revoke")
def revoke_token(store: StoreDep, render: Render, viewer: ViewerDep, token_id: Annotated[str, Form()] = "") -> Response:
    _me(store, viewer)
    try:
        accounts.revoke_token(store, token_id, user_name=viewer.user)
    except accounts.AccountError as exc:
        return _account_page(render, store, viewer, error=str(exc), status=400)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    store: StoreDep,
    render: Render,
    viewer: ViewerDep,
    current: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)] = "",
    new: Annotated[str, Form(max_length=accounts.MAX_PASSWORD + 1)] = "",
    repeat: Annotated[str, Form(max_length=accounts.MAX_PASSWORD + 1)] = "",
) -> Response:
    _me(store, viewer)
    t = render_t(render)
    if accounts.authenticate(store, viewer.user or "", current) is None:
        return _account_page(render, store, viewer, error=t("password_current_wrong"), status=400)
    if new != repeat:
        return _account_page(render, store, viewer, error=t("password_mismatch"), status=400)
    try:
        accounts.set_password(store, viewer.user or "", new)
    except accounts.AccountError as exc:
        return _account_page(render, store, viewer, error=str(exc), status=400)
    return RedirectResponse("/login", status_code=303)  # every session of the user ended: log in again


# -------------------------------------------------------------------------------------------------- admin pages


def _users_page(
    render: Renderer, store: Store, message: str | None = None, error: str | None = None, status: int = 200
) -> HTMLResponse:
    return render.page(
        "users.html",
        status=status,
        users=accounts.list_users(store),
        roles=ROLES,
        message=message,
        error=error,
        json_url="/api/users",
    )


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(store: StoreDep, render: Render, admin: AdminDep) -> HTMLResponse:
    return _users_page(render, store)


@router.get("/api/users", include_in_schema=True, tags=["accounts"], summary="Every user (admins only)")
def users_json(store: StoreDep, admin: AdminDep) -> dict[str, Any]:
    return {"users": accounts.list_users(store)}


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    store: StoreDep,
    render: Render,
    admin: AdminDep,
    name: Annotated[str, Form(max_length=400)] = "",
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD + 1)] = "",
    role: Annotated[str, Form(max_length=20)] = "viewer",
    org: Annotated[str, Form(max_length=400)] = "",
) -> HTMLResponse:
    try:
        user = accounts.create_user(store, name, password, role, org.strip() or None)
    except accounts.AccountError as exc:
        return _users_page(render, store, error=str(exc), status=400)
    return _users_page(render, store, message=render_t(render)("user_added", name=user["name"]))


@router.post("/admin/users/change", response_class=HTMLResponse)
def change_user(
    store: StoreDep,
    render: Render,
    admin: AdminDep,
    name: Annotated[str, Form(max_length=400)] = "",
    action: Annotated[str, Form(max_length=20)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Set a user's role, disable or enable them; an admin cannot lock themselves out this way."""
    t = render_t(render)
    try:
        if name == admin.user and (action == "disable" or (action == "role" and role != "admin")):
            raise accounts.AccountError(t("not_yourself"))
        if action == "role":
            accounts.set_role(store, name, role)
        elif action == "disable":
            accounts.disable_user(store, name)
        elif action == "enable":
            accounts.enable_user(store, name)
        else:
            raise accounts.AccountError(f"unknown action {action!r}")
    except accounts.AccountError as exc:
        return _users_page(render, store, error=str(exc), status=400)
    return RedirectResponse("/admin/users", status_code=303)
