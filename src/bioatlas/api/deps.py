"""Dependencies shared by the JSON API and the web pages, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

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
