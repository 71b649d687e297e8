"""Limits that keep one hostile input from taking the machine: decompressed size and time per document.

Size: `BoundedStream` reads a (decompressing) stream up to a byte budget and remembers whether there
was more, so a gzip bomb is read in small pieces, cut at the limit, and the cut is reported.

Time: `time_limit(seconds)` bounds the work on one document in whatever thread runs it (the CLI's main
thread, or a web server's worker thread). A watchdog timer raises `DocumentTimeout` in the working
thread when time is up, through CPython's `PyThreadState_SetAsyncExc`; the exception surfaces at the
next Python instruction of that thread, like Ctrl-C does. `SIGALRM` would only work in the main thread,
and running each document in a child process would mean forking a threaded server (unsafe) and
copying every model into each child (slow). The limit cannot cut into one long call of C code (an lxml
parse, one regular expression); `ingest.html` defuses the page shapes that make those slow before
parsing. `check_deadline()` is the cooperative half: the pipeline calls it between steps, so a
document over its time stops at a known point whenever it can.
"""

from __future__ import annotations

import ctypes
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, Protocol

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 64 * 1024


class GunzipStream:
    """A gzip file (every member of it) decompressed as it is read, never more than asked for.

    `zlib` with `max_length` keeps memory to one chunk whatever the compression ratio. Unlike
    `gzip.GzipFile`, the data decompressed before a truncation is returned; the next read raises
    EOFError.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self._truncated = False
        self._done = False

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            parts = []
            while part := self.read(_CHUNK * 16):
                parts.append(part)
            return b"".join(parts)
        if self._truncated:
            raise EOFError("compressed file ended before the end of the gzip stream")
        out: list[bytes] = []
        got = 0
        while got < size and not self._done:
            if self._inflate.eof:  # end of one member (what follows it is in unused_data): another may follow
                rest = self._inflate.unused_data or self._raw.read(_CHUNK)
                while rest and not rest.strip(b"\0"):  # zero padding after the last member
                    rest = self._raw.read(_CHUNK)
                if not rest:
                    self._done = True
                    break
                self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
                data = self._inflate.decompress(rest, size - got)
            elif self._inflate.unconsumed_tail:  # input left over when the output reached max_length
                data = self._inflate.decompress(self._inflate.unconsumed_tail, size - got)
            else:
                chunk = self._raw.read(_CHUNK)
                if not chunk:
                    self._truncated = True
                    break
                data = self._inflate.decompress(chunk, size - got)
            out.append(data)
            got += len(data)
        if self._truncated and not out:
            raise EOFError("compressed file ended before the end of the gzip stream")
        return b"".join(out)

    def readable(self) -> bool:
        return True


class DocumentTimeout(BaseException):
    """One document took longer than its limit.

    A BaseException (like KeyboardInterrupt) so that library code which catches `Exception` around
    its own work, as HTML extraction does, cannot swallow it.
    """


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class BoundedStream:
    """Reads at most `limit` bytes from `stream`; `cut` tells whether the stream had more.

    `error` keeps the first read error (a truncated or corrupt gzip) instead of raising it, so the
    caller keeps what it read before and reports the rest. Has the `read` of a binary file, so it can
    be handed to readers that expect one (warcio).
    """

    def __init__(self, stream: Readable, limit: int) -> None:
        self._stream = stream
        self.limit = limit
        self.consumed = 0
        self.cut = False
        self.error: str | None = None

    def read(self, size: int = -1) -> bytes:
        if self.cut or self.error is not None:
            return b""
        remaining = self.limit - self.consumed
        want = remaining if size is None or size < 0 else min(size, remaining)
        if want <= 0:
            return b""
        try:
            data = self._stream.read(want)
            self.consumed += len(data)
            # at the limit: one byte more tells whether the input went on (then it is cut)
            if self.consumed >= self.limit and self._stream.read(1):
                self.cut = True
        except (OSError, EOFError, ValueError, zlib.error) as exc:
            self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return b""
        return data

    def readable(self) -> bool:
        return True


def cut_reason(consumed: int, limit: int) -> str:
    return f"cut after {consumed:,} bytes decompressed (limit {limit:,}; see BIOATLAS_MAX_DECOMPRESSED_BYTES)"


def timeout_reason(seconds: float) -> str:
    return f"took over {seconds:g} s to read (limit {seconds:g} s; see BIOATLAS_MAX_SECONDS_PER_DOCUMENT)"


# ------------------------------------------------------------------------------------------------ time

_local = threading.local()


def check_deadline() -> None:
    """Raise `DocumentTimeout` when the current thread's document is over its time (cheap: call it in loops)."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise DocumentTimeout


def _raise_in_thread(thread_id: int, exc: type[BaseException] | None) -> None:
    """Make `exc` pending in thread `thread_id`; None clears a pending one."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


class _Watchdog:
    """Raises DocumentTimeout in one thread after `seconds`, unless disarmed first."""

    def __init__(self, thread_id: int, seconds: float) -> None:
        self._thread_id = thread_id
        self._lock = threading.Lock()
        self._armed = True
        self._fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._armed:
                self._fired = True
                _raise_in_thread(self._thread_id, DocumentTimeout)

    def disarm(self) -> None:
        """After this returns, no DocumentTimeout from this watchdog can reach the thread any more."""
        self._timer.cancel()
        with self._lock:
            self._armed = False
            if self._fired:  # fired but perhaps not delivered yet: take it back
                _raise_in_thread(self._thread_id, None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Bound the work in the `with` body to `seconds` (None or <= 0: no limit); raises DocumentTimeout.

    Catch DocumentTimeout outside the `with` statement: it can surface anywhere in the body, and
    even while the limit is being taken down.
    """
    if not seconds or seconds <= 0:
        yield
        return
    previous = getattr(_local, "deadline", None)
    _local.deadline = time.monotonic() + seconds
    watchdog = _Watchdog(threading.get_ident(), seconds)
    watchdog.start()
    try:
        yield
    finally:
        _local.deadline = previous
        watchdog.disarm()


__all__ = [
    "GZIP_MAGIC",
    "BoundedStream",
    "DocumentTimeout",
    "GunzipStream",
    "check_deadline",
    "cut_reason",
    "time_limit",
    "timeout_reason",
]
