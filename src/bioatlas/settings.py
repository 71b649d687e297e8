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
    # Decompressed size limit for .gz inputs and uploads (a gzip bomb is cut there and reported).
    max_decompressed_bytes: int = field(
        default_factory=lambda: int(_env("MAX_DECOMPRESSED_BYTES", str(200 * 1024 * 1024)))
    )
    # Time limit for reading one document (cleaning and extraction); a document over it is skipped and reported.
    max_seconds_per_document: float = field(default_factory=lambda: float(_env("MAX_SECONDS_PER_DOCUMENT", "60")))
    # "1": anyone who reaches the server may read the shared kb without logging in (writes always need a user).
    public_read: bool = field(default_factory=lambda: _env("PUBLIC_READ", "0").strip().lower() in ("1", "true", "yes"))
    # Host names the server answers to (comma-separated; a DNS-rebinding page sends another Host and is refused).
    allowed_hosts: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            h.strip().lower() for h in _env("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()
        )
    )
    # Session cookies only over HTTPS ("1" behind a TLS proxy).
    secure_cookies: bool = field(
        default_factory=lambda: _env("SECURE_COOKIES", "0").strip().lower() in ("1", "true", "yes")
    )
    # Where the learned models are read from (empty: the ones shipped inside the package).
    model_dir: str = field(default_factory=lambda: _env("MODEL_DIR", ""))
    # The shared annotated corpus used by `make train` / `make score` (empty: ../shared/corpus beside the repo).
    corpus_dir: str = field(default_factory=lambda: _env("CORPUS_DIR", ""))


def get_settings() -> Settings:
    return Settings()
