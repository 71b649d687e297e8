"""All settings in one place: environment variables with the BIOATLAS_ prefix, read nowhere else."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BIOATLAS_{name}", default)


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = field(default_factory=lambda: _env("DB", "sqlite:///bioatlas.db"))
    max_input_bytes: int = field(default_factory=lambda: int(_env("MAX_INPUT_BYTES", str(50 * 1024 * 1024))))
    max_document_chars: int = field(default_factory=lambda: int(_env("MAX_DOCUMENT_CHARS", str(2_000_000))))
    host: str = field(default_factory=lambda: _env("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("PORT", "8000")))
    tile_url: str = field(default_factory=lambda: _env("TILE_URL", ""))
    # Where the learned models are read from (empty: the ones shipped inside the package).
    model_dir: str = field(default_factory=lambda: _env("MODEL_DIR", ""))
    # The shared annotated corpus used by `make train` / `make score` (empty: ../shared/corpus beside the repo).
    corpus_dir: str = field(default_factory=lambda: _env("CORPUS_DIR", ""))


def get_settings() -> Settings:
    return Settings()
