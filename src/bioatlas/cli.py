"""Command line: parses arguments, calls the service functions, prints. No logic of its own."""

from __future__ import annotations

import argparse
import html
import itertools
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bioatlas.ingest.readers import ReadResult, Skipped
from bioatlas.model import Document
from bioatlas.pipeline import default_jobs, process_all, read_inputs
from bioatlas.settings import get_settings

MAX_EXIT = 125


def _err(message: str) -> None:
    print(message, file=sys.stderr)


class RunReport:
    """What a run read, skipped and found: printed at the end, and the exit code."""

    def __init__(self) -> None:
        self.documents = 0
        self.skipped: list[Skipped] = []
        self.languages: Counter[str] = Counter()

    def add(self, result: ReadResult) -> None:
        if isinstance(result, Skipped):
            self.skipped.append(result)
            _err(f"skipped {result.source}: {result.reason}")
        else:
            self.documents += 1
            self.languages.update(result.languages[:1])

    def summary(self) -> str:
        langs = ", ".join(f"{lang} {n}" for lang, n in self.languages.most_common()) or "none"
        lines = [f"read {self.documents} documents; skipped {len(self.skipped)}; main languages: {langs}"]
        reasons = Counter(s.reason.split(" (")[0].split(":")[0] for s in self.skipped)
        lines += [f"  skipped {n} x {reason}" for reason, n in reasons.most_common()]
        return "\n".join(lines)

    @property
    def exit_code(self) -> int:
        return min(len(self.skipped), MAX_EXIT)


def _progress(items: Iterator[ReadResult], show: bool) -> Iterator[ReadResult]:
    """A progress bar (records read so far) once a run passes 20 records; records stream, never all in memory."""
    first = list(itertools.islice(items, 20))
    if not show or len(first) < 20:
        yield from first
        yield from items
        return
    from rich.progress import Progress

    with Progress(transient=True, console=None) as bar:
        task = bar.add_task("reading", total=None)
        for item in itertools.chain(first, items):
            yield item
            bar.advance(task)


def run_pipeline(inputs: list[str], with_extraction: bool, show_progress: bool, jobs: int = 1) -> Iterator[ReadResult]:
    settings = get_settings()
    records = _progress(read_inputs(inputs, settings), show_progress and sys.stderr.isatty())
    yield from process_all(records, settings, with_extraction, jobs=jobs)


def render_text(doc: Document) -> str:
    out = [f"# {doc.id}  languages={','.join(doc.languages)}  title={doc.title!r}  published={doc.published}"]
    for para in doc.paragraphs:
        out.append(f"[{para.language}] {doc.text[para.start : para.end]}")
    return "\n\n".join(out)


def cmd_extract(args: argparse.Namespace) -> int:
    report = RunReport()
    out_dir = Path(args.out) if args.out else None
    if args.format == "json" and out_dir is None:
        _err("--format json writes one file per document: give --out DIR (or use --format jsonl)")
        return 2
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    jobs = args.jobs or default_jobs()
    for result in run_pipeline(args.inputs, with_extraction=args.format != "text", show_progress=True, jobs=jobs):
        report.add(result)
        if isinstance(result, Skipped):
            continue
        if args.format == "json":
            assert out_dir is not None
            path = out_dir / f"{result.id}.json"
            path.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        elif args.format == "jsonl":
            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(render_text(result) + "\n\n")
    if args.report:
        Path(args.report).write_text(
            json.dumps(
                {
                    "documents": report.documents,
                    "skipped": [{"source": s.source, "reason": s.reason} for s in report.skipped],
                    "languages": dict(report.languages),
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    _err(report.summary())
    return report.exit_code


def cmd_explain(args: argparse.Namespace) -> int:
    from bioatlas.explain import explain_document

    report = RunReport()
    for result in run_pipeline(args.inputs, with_extraction=True, show_progress=False):
        report.add(result)
        if isinstance(result, Document):
            sys.stdout.write(explain_document(result) + "\n")
    _err(report.summary())
    return report.exit_code


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bioatlas.kb.store import Store

    return Store(args.db or get_settings().db)


def _viewer(args: argparse.Namespace, store):  # type: ignore[no-untyped-def]
    """Who the read commands read as: the command line sees every organisation; `--org NAME` sees as that
    organisation's readers do (the shared kb plus its uploads)."""
    from bioatlas.access import COMMAND_LINE
    from bioatlas.kb.visibility import organisation_viewer

    if not getattr(args, "org", None):
        return COMMAND_LINE
    with store.engine.connect() as conn:
        return organisation_viewer(conn, args.org)


def cmd_ingest(args: argparse.Namespace) -> int:
    from bioatlas.kb.ingest import ingest_paths

    store = _store(args)

    def show(result: ReadResult, status: str) -> None:
        if isinstance(result, Skipped):
            _err(f"skipped {result.source}: {result.reason}")
        elif args.verbose:
            _err(f"{status} {result.source}")

    report = ingest_paths(store, args.inputs, show, jobs=args.jobs or default_jobs())
    _err(report.summary())
    return min(len(report.skipped), MAX_EXIT)


def cmd_search(args: argparse.Namespace) -> int:
    from bioatlas.kb.queries import search
    from bioatlas.kb.search import QueryError

    store = _store(args)
    try:
        result = search(store, args.query, limit=args.limit, viewer=_viewer(args, store))
    except (QueryError, LookupError) as exc:
        _err(f"search: {exc}")
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    if result["notice"]:
        _err(f"note: {result['notice']}")
    for ent in result["entities"][:8]:
        print(f"[{ent['type']}] {ent['name']} ({ent['country'] or '?'})  id={ent['id']}")
    if result["entities"]:
        print()
    for doc in result["documents"]:
        plain = html.unescape(re.sub(r"</?mark>", "*", doc["snippet"]))  # the web page's highlight, as *stars*
        print(f"{doc['title'] or '(no title)'}  [{doc['published'] or 'undated'}]  {doc['source']}")
        print(f"    {plain}")
    print(f"\n{result['total']} documents")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bioatlas.kb.export import export

    counts = export(_store(args), Path(args.out), args.format)
    for table, n in counts.items():
        _err(f"{table}: {n} rows")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bioatlas.web.app import create_app

    settings = get_settings()
    workers = args.answer_workers if args.answer_workers is not None else min(4, os.cpu_count() or 1)
    app = create_app(args.db or settings.db, answer_workers=workers)
    from bioatlas.commands.users import admin_warning

    for line in admin_warning(app.state.store, args.host or settings.host):
        _err(line)
    print(f"bioatlas is serving on http://{args.host or settings.host}:{args.port or settings.port}", flush=True)
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port, log_level="warning")
    return 0


def _knowledge(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bioatlas.match.knowledge import load_knowledge

    store = _store(args)
    return load_knowledge(store, _viewer(args, store))


def _print_ranking(result: dict, as_json: bool) -> None:  # type: ignore[type-arg]
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for item in result["results"]:
        low, high = item["rank_range"]
        stability = f"rank {low}-{high} under ±25% weights" if low != high else "stable under ±25% weights"
        tags = ", ".join(
            t for t in (item.get("kind") or item.get("type"), item.get("country")) if t and t != item["name"]
        )
        label = f"{item['name']} [{tags}]" if tags else item["name"]
        print(f"{item['rank']:>3}. {label}  score {item['score']:.2f}  ({stability})")
        for ind in item["indicators"]:
            value = "missing" if ind["missing"] else f"{ind['value']:.2f}"
            print(f"       {ind['label']:<44} {value:>7}  x{ind['weight']:g}  {ind['detail']}")
            for ev in ind["evidence"][:2]:
                where = ev.get("reference") or ev.get("source") or ""
                print(f"           - {ev['label'][:110]}  <{where}>")
    for left in result.get("excluded", []):
        why = f"in the country of origin ({left['country']})" if left["reason"] == "origin" else "outside your markets"
        print(f"\nleft out, {why}: {left['count']} ({', '.join(left['names'][:8])})")
    print(f"\n{result['count']} candidates; method: {result.get('method', 'weighted indicators')}")


def _ask(command: str, args: argparse.Namespace, answer, form) -> dict | None:  # type: ignore[no-untyped-def,type-arg]
    """An answer asked as the API asks it (`bioatlas.api.answers`): the same checks, the same message for a bad
    parameter or an unknown name, printed with the command's name (exit code 2)."""
    from bioatlas.match.knowledge import load_knowledge

    try:
        store = _store(args)
        viewer = _viewer(args, store)
        return answer(store, form, load_knowledge(store, viewer), viewer=viewer)  # type: ignore[no-any-return]
    except (ValueError, LookupError) as exc:  # BadInput, AnswerNotFound, or no such --org
        _err(f"{command}: {exc}")
        return None


def cmd_land(args: argparse.Namespace) -> int:
    from bioatlas.api.answers import LandForm, land_answer, split_values

    form = LandForm(
        sectors=split_values([args.sector] if args.sector else []),
        stage=args.stage,
        origin=args.origin,
        needs=split_values([args.needs] if args.needs else []),
        weights=args.weights,
        limit=str(args.limit),
        include_origin=bool(getattr(args, "include_origin", False)),
    )
    result = _ask("land", args, land_answer, form)
    if result is None:
        return 2
    _print_ranking(result, args.json)
    return 0


def cmd_pathway(args: argparse.Namespace) -> int:
    from bioatlas.api.answers import PathwayForm, pathway_answer_for

    result = _ask("pathway", args, pathway_answer_for, PathwayForm(args.location, args.sector))
    if result is None:
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"Concept to market in {result['location']['name']}" + (f" for {args.sector}" if args.sector else ""))
    for stage in result["stages"]:
        mark = "covered" if stage["covered"] else "NOT COVERED"
        print(f"  {stage['label']:<32} {mark}")
        for p in stage["providers"][:6]:
            where = "" if p["local"] else " (regional/national)"
            source = p["evidence"][0].get("reference") or p["evidence"][0].get("source") or ""
            print(f"      {p['entity']['name']}{where}: {', '.join(p['services'])}  <{source}>")
        for r in stage["reports"][:2]:
            print(f"      report: {r['label'][:100]}  <{r.get('source')}>")
    if result["uncovered"]:
        print(f"Stages this location leaves uncovered: {', '.join(result['uncovered'])}")
    return 0


def cmd_prospects(args: argparse.Namespace) -> int:
    from bioatlas.api.answers import ProspectsForm, prospects_answer
    from bioatlas.api.exports import PROSPECT_COLUMNS
    from bioatlas.match.prospects import prospects_csv_rows
    from bioatlas.tabular import to_csv

    form = ProspectsForm(args.for_name, args.since, args.weights, {}, str(args.limit))
    result = _ask("prospects", args, prospects_answer, form)
    if result is None:
        return 2
    if args.csv:
        rows = prospects_csv_rows(result)  # the same file as the web's download: BOM, formulas kept as text
        Path(args.csv).write_bytes(to_csv(rows, PROSPECT_COLUMNS))
        _err(f"wrote {len(rows)} prospects to {args.csv}")
    _print_ranking(result, args.json)
    if not args.json:
        if result.get("notice"):
            print(f"\n{result['notice']['message']}")
        if result["already_here"]:
            print(f"\nAlready here ({result['already_here_count']}, not prospects):")
            for item in result["already_here"]:
                first = item["evidence"][0] if item["evidence"] else {}
                where = first.get("reference") or first.get("source") or ""
                label = str(first.get("label", ""))[:90]
                print(f"  {item['name']} [{', '.join(item['reasons'])}]  {label}  <{where}>")
    return 0


def cmd_markets(args: argparse.Namespace) -> int:
    from bioatlas.api.answers import MarketsForm, markets_answer

    form = MarketsForm(args.alliance, args.sector, args.weights, {}, str(args.limit))
    result = _ask("markets", args, markets_answer, form)
    if result is None:
        return 2
    if not args.json:
        print("Alliance members: " + ", ".join(m["name"] for m in result["members"]))
    _print_ranking(result, args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bioatlas", description="Multilingual life-science intelligence.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read pages and print or write what they say")
    p.add_argument("inputs", nargs="+", help="files or folders: .txt, .html, .warc(.gz), .jsonl")
    p.add_argument("--format", choices=("json", "jsonl", "text"), default="jsonl")
    p.add_argument("--out", help="folder for --format json (one <id>.json per document)")
    p.add_argument("--report", help="write a JSON report of what was read and skipped")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core; 1: none)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("explain", help="show each extracted claim with its sentence and the method that found it")
    p.add_argument("inputs", nargs="+")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("ingest", help="read, extract and store pages in the knowledge base")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--db", help="database URL or SQLite path (default BIOATLAS_DB or ./bioatlas.db)")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument(
        "--jobs", type=int, default=0, help="worker processes reading and extracting (default: one per core)"
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="search documents and entities in any language")
    p.add_argument("query")
    p.add_argument("--db")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.add_argument("--org", help="see as this organisation's readers do (the shared kb plus its uploads)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export", help="export entities, claims, events, figures and documents")
    p.add_argument("out", help="output folder")
    p.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    p.add_argument("--db")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("land", help="where should we land? locations ranked for a company")
    p.add_argument("--sector", help="comma-separated sector ids (data/reference/sectors.csv), e.g. radiopharma")
    p.add_argument("--stage", help="discovery, preclinical, clinical, manufacturing or market")
    p.add_argument("--origin", help="the company's country (ISO code, e.g. AU)")
    p.add_argument(
        "--include-origin", action="store_true", help="also rank places in the country of origin (left out by default)"
    )
    p.add_argument("--needs", help="e.g. gmp,clinical-trials,wet-lab,funding,talent,eu-market,cn-market,us-market")
    p.add_argument("--weights", help="indicator weights, e.g. track_record=2,sector=0.5")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.add_argument("--db")
    p.add_argument("--org", help="see as this organisation's readers do (the shared kb plus its uploads)")
    p.set_defaults(func=cmd_land)

    p = sub.add_parser("pathway", help="concept to market: who offers each stage at a location")
    p.add_argument("--location", required=True)
    p.add_argument("--sector")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db")
    p.add_argument("--org", help="see as this organisation's readers do (the shared kb plus its uploads)")
    p.set_defaults(func=cmd_pathway)

    p = sub.add_parser("prospects", help="whom should we court? companies ranked for a park or agency")
    p.add_argument("--for", dest="for_name", required=True, help="place, park, cluster or agency, in any language")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--since", help="only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--weights", help="e.g. fit=2,funding=1")
    p.add_argument("--csv", help="also write the list to this CSV file (for a CRM)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db")
    p.add_argument("--org", help="see as this organisation's readers do (the shared kb plus its uploads)")
    p.set_defaults(func=cmd_prospects)

    p = sub.add_parser("markets", help="which markets first? target countries for a cluster alliance")
    p.add_argument("--alliance", required=True)
    p.add_argument("--sector")
    p.add_argument("--weights")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.add_argument("--db")
    p.add_argument("--org", help="see as this organisation's readers do (the shared kb plus its uploads)")
    p.set_defaults(func=cmd_markets)

    p = sub.add_parser("serve", help="web UI and JSON API")
    p.add_argument("--db")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument(
        "--answer-workers",
        type=int,
        help="processes computing the answers (land, prospects, markets, pathway) beside the server, so searches "
        "never wait for them; default: the number of CPUs, at most 4; 0: in the server's process",
    )
    p.set_defaults(func=cmd_serve)

    from bioatlas.commands import backup, users

    backup.register(sub)
    users.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
