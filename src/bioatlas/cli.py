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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bioatlas", description="Multilingual life-science intelligence.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="read pages and print or write what they say")
    p.add_argument("inputs", nargs="+", help="files or folders: .txt, .html, .warc(.gz), .jsonl")
    p.add_argument("--format", choices=("json", "jsonl", "text"), default="jsonl")
    p.add_argument("--out", help="folder for --format json (one <id>.json per document)")
    p.add_argument("--report", help="write a JSON report of what was read and skipped")
    p.set_defaults(func=cmd_extract)
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
