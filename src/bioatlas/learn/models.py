"""Where learned model files live, and one cache for loading them.

Steps call `load(name, reader)`: the reader turns the file into a model object once per model folder.
`using_models(folder)` points every step at another folder (cross-validation trains into one per fold).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from bioatlas.settings import get_settings

T = TypeVar("T")
PACKAGE_MODELS = Path(__file__).resolve().parent.parent / "models"
_cache: dict[tuple[str, str], Any] = {}


def model_dir() -> Path:
    configured = get_settings().model_dir
    return Path(configured) if configured else PACKAGE_MODELS


def model_path(name: str) -> Path | None:
    path = model_dir() / name
    return path if path.exists() else None


def load(name: str, reader: Callable[[Path], T]) -> T | None:
    """The model in file `name` of the current model folder, read once; None when there is no such file."""
    folder = model_dir()
    key = (str(folder), name)
    if key not in _cache:
        path = folder / name
        _cache[key] = reader(path) if path.exists() else None
    return _cache[key]  # type: ignore[no-any-return]


@contextmanager
def using_models(folder: Path) -> Iterator[None]:
    """Every step reads its models from `folder` inside the block."""
    before = os.environ.get("BIOATLAS_MODEL_DIR")
    os.environ["BIOATLAS_MODEL_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("BIOATLAS_MODEL_DIR", None)
        else:
            os.environ["BIOATLAS_MODEL_DIR"] = before
