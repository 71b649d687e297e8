"""`bioatlas backup` / `bioatlas restore` (filled in by the integrity work)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    del sub
