"""Dependencies shared by the JSON API and the web pages, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.kb.store import Store
from bioatlas.settings import Settings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_viewer(request: Request) -> Viewer:
    """Who is asking: set on the request by the authentication layer; anonymous when nobody logged in."""
    viewer: Viewer = getattr(request.state, "viewer", ANONYMOUS)
    return viewer


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]


class LoginRequired(Exception):
    """Nobody is logged in and this needs someone: 401 for programs, the login page for people."""


def require_analyst(request: Request) -> Viewer:
    """Changing the kb (ingest, merge, undo) needs an analyst or an admin."""
    viewer = get_viewer(request)
    if viewer.user is None:
        raise LoginRequired("log in (or send an API token) to change the knowledge base")
    if not viewer.can("analyst"):
        raise HTTPException(
            403, f"your role ({viewer.role}) may read but not change the knowledge base; an admin can make you analyst"
        )
    return viewer


def require_admin(request: Request) -> Viewer:
    viewer = get_viewer(request)
    if viewer.user is None:
        raise LoginRequired("log in as an admin to manage users")
    if not viewer.can("admin"):
        raise HTTPException(403, "only an admin can manage users")
    return viewer


AnalystDep = Annotated[Viewer, Depends(require_analyst)]
AdminDep = Annotated[Viewer, Depends(require_admin)]
