"""`bioatlas users …` and `bioatlas setup` (filled in by the accounts work)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    del sub
