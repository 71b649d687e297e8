"""How fast the four answers are, and whether searches stay fast while answers run (SQLite).

    python bench/answers_latency.py [--sizes 10000,100000] [--rounds 3] [--answer-workers 2] [--no-serve]

For each size, a kb of that many documents is built by bench/generate_kb.py (real pages extracted once, then
varied: companies, places, organisations, years and figures; cached under out/bench/). Then:

* in process: `land`, `prospects`, `markets` and `pathway` over a set of questions (several sectors, origins and
  needs; prospects for several parks and agencies; markets for MAGIA): *cold* is the first question after the
  kb changed (loading the kb included), *warm* the p50/p95 of every question asked `--rounds` times;
* served: `bioatlas serve` on loopback (public reading), searches from client threads alone, then with other client
  threads asking the answers at the same time: search p50/p95 in both cases and the answers' served latency.

1M documents only on request (`--sizes 10000,100000,1000000`): building that kb takes hours.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from generate_kb import OUT, build_kb  # noqa: E402

from bioatlas.access import ANONYMOUS  # noqa: E402
from bioatlas.api import answers  # noqa: E402
from bioatlas.kb.store import Store  # noqa: E402
from bioatlas.match import knowledge  # noqa: E402
from bioatlas.match.prepare import prepare  # noqa: E402

LAND = [
    {"sector": ["radiopharma"], "origin": "AU", "need": ["eu-market", "gmp"], "stage": "clinical"},
    {"sector": ["biologics"], "origin": "CN", "need": ["eu-market"], "stage": "manufacturing"},
    {"sector": ["medtech"], "origin": "US", "need": ["cn-market", "clinical-trials"]},
    {"sector": ["cell-and-gene-therapy"], "origin": "KR", "need": ["us-market", "wet-lab"], "stage": "preclinical"},
    {"sector": ["in-vitro-diagnostics"], "origin": "DE", "need": ["asean-market"]},
    {"sector": ["oncology", "small-molecule"], "origin": "JP", "need": ["funding", "eu-market"]},
]
PROSPECTS = ["Hong Kong Science Park", "AWEX", "BioBAY", "Genopole", "Leiden Bio Science Park", "Eurasanté"]
MARKETS = [{"alliance": "MAGIA"}, {"alliance": "MAGIA", "sector": "medtech"}]
PATHWAY = [{"location": "Liège"}, {"location": "苏州"}, {"location": "Kobe", "sector": "biologics"}]
SEARCHES = ["Liège", "列日", "clinical trials", "essais cliniques", "生物医药", "GMP", "Roche", "神戸", "임상시험"]


def questions(store: Store) -> dict[str, list[Callable[[], Any]]]:
    """One call per question, as the API asks it (parsing, the answer, the evidence links)."""
    v = ANONYMOUS
    return {
        "land": [
            lambda q=q: answers.land_answer(  # type: ignore[misc]
                store,
                answers.LandForm(q["sector"], q.get("stage"), q["origin"], q["need"]),
                viewer=v,
            )
            for q in LAND
        ],
        "prospects": [
            lambda n=n: answers.prospects_answer(store, answers.ProspectsForm(n), viewer=v)  # type: ignore[misc]
            for n in PROSPECTS
        ],
        "markets": [
            lambda q=q: answers.markets_answer(  # type: ignore[misc]
                store, answers.MarketsForm(q["alliance"], q.get("sector")), viewer=v
            )
            for q in MARKETS
        ],
        "pathway": [
            lambda q=q: answers.pathway_answer_for(  # type: ignore[misc]
                store, answers.PathwayForm(q["location"], q.get("sector")), viewer=v
            )
            for q in PATHWAY
        ],
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    try:
        result = call()
    except LookupError as exc:  # a name the generated kb does not know: counted, shown
        result = exc
    return (time.perf_counter() - start) * 1000, result


def summary(values: list[float]) -> str:
    return f"p50 {statistics.median(values):8.1f} ms  p95 {percentile(values, 0.95):8.1f} ms  (n={len(values)})"


def in_process(db: Path, rounds: int) -> None:
    store = Store(f"sqlite:///{db}")
    asked = questions(store)
    knowledge.forget_loaded()
    load_ms, _ = timed(lambda: knowledge.load_knowledge(store, ANONYMOUS))
    print(f"  load the kb (cold, once per kb change): {load_ms:,.0f} ms")
    kb = knowledge.load_knowledge(store, ANONYMOUS)
    prepare_ms, _ = timed(lambda: prepare(kb))
    print(f"  aggregates for the answers (cold, once per kb change; ahead in serving workers): {prepare_ms:,.0f} ms")
    for name, calls in asked.items():
        cold, first = timed(calls[0])
        warm: list[float] = []
        failures = 0
        for _ in range(rounds):
            for call in calls:
                ms, result = timed(call)
                warm.append(ms)
                failures += isinstance(result, Exception)
        note = f"; {failures} not found" if failures else ""
        count = first.get("count") if isinstance(first, dict) else first
        print(f"  {name:<10} first {cold:8.1f} ms | warm {summary(warm)} | results {count}{note}")
    store.engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _client_loop(
    client: httpx.Client, paths: list[str], stop: threading.Event, out: list[float], errors: list[str]
) -> None:
    i = 0
    while not stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        start = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - start) * 1000)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {path}")


def _answer_paths() -> list[str]:
    paths = []
    for q in LAND:
        params = [("sector", s) for s in q["sector"]] + [("need", n) for n in q["need"]] + [("origin", q["origin"])]
        paths.append("/api/land?" + str(httpx.QueryParams(params)))
    paths += ["/api/prospects?" + str(httpx.QueryParams({"for": n})) for n in PROSPECTS[:3]]
    paths += ["/api/markets?" + str(httpx.QueryParams(q)) for q in MARKETS]
    return paths


def served(db: Path, seconds: float, workers: int | None) -> None:
    """Search latency through a real server, alone and while other clients ask answers."""
    port = _free_port()
    env = dict(os.environ, BIOATLAS_PUBLIC_READ="1")
    command = [sys.executable, "-m", "bioatlas.cli", "serve", "--db", f"sqlite:///{db}", "--port", str(port)]
    if workers is not None:
        command += ["--answer-workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    searches = ["/api/search?" + str(httpx.QueryParams({"q": q})) for q in SEARCHES]
    try:
        with httpx.Client(base_url=base, timeout=3600) as client:
            for _ in range(600):
                try:
                    if client.get("/api/search?q=x").status_code < 500:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("the server did not start")
            first_ms, _ = timed(lambda: client.get(_answer_paths()[0]))
            where = "the server" if workers == 0 else "a worker"
            label = "default" if workers is None else workers
            print(f"  served (answer workers: {label}): first land request, kb loaded in {where}: {first_ms:,.0f} ms")
        for label, answering in (("searches alone", 0), ("searches while 2 clients ask answers", 2)):
            stop = threading.Event()
            search_ms: list[float] = []
            answer_ms: list[float] = []
            errors: list[str] = []
            clients = [httpx.Client(base_url=base, timeout=600) for _ in range(2 + answering)]
            threads = [
                threading.Thread(target=_client_loop, args=(c, searches, stop, search_ms, errors)) for c in clients[:2]
            ] + [
                threading.Thread(target=_client_loop, args=(c, _answer_paths()[k::2], stop, answer_ms, errors))
                for k, c in enumerate(clients[2:])
            ]
            for thread in threads:
                thread.start()
            time.sleep(seconds)
            stop.set()
            for thread in threads:
                thread.join()
            for c in clients:
                c.close()
            line = f"  served, {label:<38}: search {summary(search_ms)}"
            if answer_ms:
                line += f" | answers {summary(answer_ms)}"
            print(line + (f" | {len(errors)} errors, e.g. {errors[0]}" if errors else ""), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="kb sizes in documents, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked warm")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each served measurement")
    parser.add_argument(
        "--answer-workers", type=int, default=None, help="passed to `bioatlas serve` (0: answers in the server process)"
    )
    parser.add_argument("--no-serve", action="store_true", help="in-process latencies only")
    parser.add_argument("--served-only", action="store_true", help="served latencies only")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    print(
        "documents: real pages (examples/corpus, data/training) extracted once, then varied per document "
        "(companies, places, organisations, years, figures) and stored with Store.ingest; see bench/generate_kb.py"
    )
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        db = build_kb(size, args.out)
        print(f"{size:,} documents ({db.stat().st_size / 1e6:,.0f} MB SQLite)", flush=True)
        if not args.served_only:
            in_process(db, args.rounds)
        if not args.no_serve:
            served(db, args.seconds, args.answer_workers)
    if "1000000" not in args.sizes:
        print("1M documents: not run (ask with --sizes 1000000).")


if __name__ == "__main__":
    main()
