"""Command line: parses arguments, calls the service functions, prints. No logic of its own."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from bioatlas.ingest.readers import ReadResult, Skipped
from bioatlas.model import Document
from bioatlas.pipeline import process, read_inputs
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


def _progress(items: list[ReadResult], show: bool) -> Iterator[ReadResult]:
    if not show:
        yield from items
        return
    from rich.progress import Progress

    with Progress(transient=True, console=None) as bar:
        task = bar.add_task("reading", total=len(items))
        for item in items:
            yield item
            bar.advance(task)


def run_pipeline(inputs: list[str], with_extraction: bool, show_progress: bool) -> Iterator[ReadResult]:
    settings = get_settings()
    records = list(read_inputs(inputs, settings))
    show = show_progress and len(records) >= 20 and sys.stderr.isatty()
    for record in _progress(records, show):
        yield process(record, settings, with_extraction)


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
    for result in run_pipeline(args.inputs, with_extraction=args.format != "text", show_progress=True):
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


def cmd_ingest(args: argparse.Namespace) -> int:
    from bioatlas.kb.ingest import ingest_paths

    store = _store(args)

    def show(result: ReadResult, status: str) -> None:
        if isinstance(result, Skipped):
            _err(f"skipped {result.source}: {result.reason}")
        elif args.verbose:
            _err(f"{status} {result.source}")

    report = ingest_paths(store, args.inputs, show)
    _err(report.summary())
    return min(len(report.skipped), MAX_EXIT)


def cmd_search(args: argparse.Namespace) -> int:
    from bioatlas.kb.queries import search
    from bioatlas.kb.search import QueryError

    store = _store(args)
    try:
        result = search(store, args.query, limit=args.limit)
    except QueryError as exc:
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
    import re as _re

    for doc in result["documents"]:
        plain = _re.sub(r"</?mark>", "*", doc["snippet"])
        import html as _html

        print(f"{doc['title'] or '(no title)'}  [{doc['published'] or 'undated'}]  {doc['source']}")
        print(f"    {_html.unescape(plain)}")
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
    app = create_app(args.db or settings.db)
    print(f"bioatlas is serving on http://{args.host or settings.host}:{args.port or settings.port}", flush=True)
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port, log_level="warning")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bioatlas", description="Multilingual life-science intelligence.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read pages and print or write what they say")
    p.add_argument("inputs", nargs="+", help="files or folders: .txt, .html, .warc(.gz), .jsonl")
    p.add_argument("--format", choices=("json", "jsonl", "text"), default="jsonl")
    p.add_argument("--out", help="folder for --format json (one <id>.json per document)")
    p.add_argument("--report", help="write a JSON report of what was read and skipped")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("explain", help="show each extracted claim with its sentence and the method that found it")
    p.add_argument("inputs", nargs="+")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("ingest", help="read, extract and store pages in the knowledge base")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--db", help="database URL or SQLite path (default BIOATLAS_DB or ./bioatlas.db)")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="search documents and entities in any language")
    p.add_argument("query")
    p.add_argument("--db")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export", help="export entities, claims, events, figures and documents")
    p.add_argument("out", help="output folder")
    p.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    p.add_argument("--db")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="web UI and JSON API")
    p.add_argument("--db")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
