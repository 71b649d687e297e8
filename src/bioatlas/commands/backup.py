"""`bioatlas backup OUT` / `bioatlas restore FILE`: the whole kb in one file, and back (see `bioatlas.kb.backup`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bioatlas.settings import get_settings


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def cmd_backup(args: argparse.Namespace) -> int:
    from bioatlas.kb.backup import BackupError, backup
    from bioatlas.kb.store import Store

    out = Path(args.out)
    if out.is_dir():
        _say(f"backup: {out} is a folder; give a file name, e.g. {out / 'bioatlas-backup.zip'}")
        return 2
    try:
        manifest = backup(Store(args.db or get_settings().db), out)
    except (BackupError, OSError) as exc:
        _say(f"backup: {exc}")
        return 2
    for table in manifest.tables:
        _say(f"{table.name}: {table.rows} rows")
    _say(f"backup written to {out} (schema {manifest.revision}, bioatlas {manifest.bioatlas_version})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bioatlas.kb.backup import BackupError, read_manifest, restore
    from bioatlas.kb.store import Store

    path = Path(args.file)
    try:
        read_manifest(path)  # a damaged file is refused before the database is even opened
        manifest = restore(Store(args.db or get_settings().db), path, replace=args.replace)
    except BackupError as exc:
        _say(f"restore: {exc}")
        return 2
    for table in manifest.tables:
        _say(f"{table.name}: {table.rows} rows")
    _say(f"restored {path} (made {manifest.created_at} by bioatlas {manifest.bioatlas_version}); search index rebuilt")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help="write the whole knowledge base to one file (for `bioatlas restore`)")
    p.add_argument("out", help="the backup file to write, e.g. bioatlas-2026-01-31.zip")
    p.add_argument("--db", help="database URL or SQLite path (default BIOATLAS_DB or ./bioatlas.db)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty knowledge base")
    p.add_argument("file", help="a file written by `bioatlas backup`")
    p.add_argument("--db", help="database URL or SQLite path (default BIOATLAS_DB or ./bioatlas.db)")
    p.add_argument("--replace", action="store_true", help="clear a kb that is not empty first (in one transaction)")
    p.set_defaults(func=cmd_restore)
