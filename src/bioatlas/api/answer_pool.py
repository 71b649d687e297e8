"""The answers computed in worker processes, so a long `land` never holds the server while others search.

An answer is seconds of pure-Python work on a large kb; in the server's own process it holds the GIL and every
search waits. `AnswerPool` runs them in a bounded pool of worker processes instead: each worker opens its own
`Store` on the same database and keeps its own loaded kb (`load_knowledge` caches it per set of visible
organisations until the kb changes). The asking viewer is sent along with the question, so a worker filters by
organisation exactly as the server would. Errors (`BadInput`, not found) come back as they were raised.

Each worker loads the kb and lays out the answers' aggregates (`match.prepare`) ahead of the questions: when the
pool starts and whenever the kb changes (`watch` looks every few seconds), so the first user after an ingest does
not wait for it.

A pool belongs to one `Store` (`attach`); `answers.*_answer` use it when their store has one and no loaded kb
was passed in, so the API, the pages and the command line call the same functions.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.kb.store import Store

log = logging.getLogger(__name__)
WATCH_SECONDS = 10.0  # how often a serving pool looks whether the kb changed

Answer = Callable[..., dict[str, Any]]

_POOLS: weakref.WeakKeyDictionary[Store, AnswerPool] = weakref.WeakKeyDictionary()
_WORKER_STORES: dict[str, Store] = {}  # in a worker: one store per database URL, opened on first use


class AnswerPool:
    """A bounded pool of processes computing answers for one database (spawned: no forked server threads)."""

    def __init__(self, db_url: str, workers: int):
        if workers < 1:
            raise ValueError("an answer pool needs at least one worker")
        self.db_url = db_url
        self.workers = workers
        self._executor = self._start()
        self._stop = threading.Event()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"))

    def run(self, answer: Answer, form: Any, viewer: Viewer) -> dict[str, Any]:
        """`answer(store, form, viewer=viewer)` in a worker; waits (without the GIL) for its result."""
        for attempt in range(2):
            try:
                return self._executor.submit(_in_worker, self.db_url, answer, form, viewer).result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): start a new pool, ask once more
                if attempt:
                    raise
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._start()
        raise AssertionError("unreachable")

    def warm(self) -> None:
        """Ask every worker to load the kb as the shared viewer sees it, with the answers' aggregates (best effort:
        a failure is logged; the question that follows would load it anyway)."""
        for _ in range(self.workers):
            try:
                future = self._executor.submit(_warm_in_worker, self.db_url)
            except RuntimeError:  # shut down meanwhile
                return
            future.add_done_callback(_log_failure)

    def watch(self, store: Store, every: float = WATCH_SECONDS) -> threading.Thread:
        """Warm the workers now and again whenever the kb has changed (checked every `every` seconds), until
        `shutdown`; ingests by other processes (the command line, another server) are seen too."""
        from bioatlas.match.knowledge import kb_version

        def loop() -> None:
            seen: tuple[Any, ...] | None = None
            while not self._stop.is_set():
                version: tuple[Any, ...] | None = seen
                try:
                    version = kb_version(store)
                except Exception:  # the database is away for a moment: look again later
                    log.exception("could not read the kb version")
                if version != seen:
                    seen = version
                    self.warm()
                self._stop.wait(every)

        thread = threading.Thread(target=loop, name="answer-pool-warmer", daemon=True)
        thread.start()
        return thread

    def shutdown(self) -> None:
        self._stop.set()
        self._executor.shutdown(wait=True, cancel_futures=True)


def attach(store: Store, workers: int) -> AnswerPool:
    """Give `store` a pool of `workers` processes for its answers (replacing one it had)."""
    old = _POOLS.pop(store, None)
    if old is not None:
        old.shutdown()
    pool = _POOLS[store] = AnswerPool(store.url, workers)
    return pool


def pool_of(store: Store) -> AnswerPool | None:
    return _POOLS.get(store)


def _worker_store(db_url: str) -> Store:
    store = _WORKER_STORES.get(db_url)
    if store is None:
        store = _WORKER_STORES[db_url] = Store(db_url)
    return store


def _in_worker(db_url: str, answer: Answer, form: Any, viewer: Viewer) -> dict[str, Any]:
    return answer(_worker_store(db_url), form, viewer=viewer)


def _warm_in_worker(db_url: str) -> str:
    """Load the kb for the shared viewer and lay out the aggregates; returns the process id (tests look)."""
    from bioatlas.match.knowledge import load_knowledge
    from bioatlas.match.prepare import prepare

    prepare(load_knowledge(_worker_store(db_url), ANONYMOUS))
    return str(multiprocessing.current_process().pid)


def _log_failure(future: Any) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("warming the answer workers failed: %s", future.exception())
