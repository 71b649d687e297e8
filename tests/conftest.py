from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corpus"


@pytest.fixture
def write(tmp_path: Path):
    """Write bytes or text to a file in a temporary folder and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture(scope="session")
def postgres_server():
    from tests.pg import PostgresServer

    server = PostgresServer()
    server.start()
    yield server
    server.stop()


_DB_COUNTER = iter(range(10_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The same tests run against a SQLite file and a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/kb.db"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"t{next(_DB_COUNTER)}")


@pytest.fixture(scope="session")
def example_store(tmp_path_factory):
    """The bundled example corpus, ingested once into a SQLite knowledge base."""
    from bioatlas.kb.ingest import ingest_paths
    from bioatlas.kb.store import Store

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('kb')}/examples.db")
    report = ingest_paths(store, [str(EXAMPLES)])
    assert not report.skipped
    return store


@pytest.fixture(scope="session")
def example_kb(example_store):
    from bioatlas.match.knowledge import load_knowledge

    return load_knowledge(example_store)
