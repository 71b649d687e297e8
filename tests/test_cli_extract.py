"""`bioatlas extract` end to end: formats, the run summary, and bad inputs that never stop a run."""

from __future__ import annotations

import gzip
import json

from bioatlas.cli import main

ZH = "北京经济技术开发区宣布建设国际医药创新公园，吸引全球生物医药企业入驻，园区规划面积八公顷。"
FR = (
    "Genopole, le premier biocluster français installé à Évry, a signé un accord de partenariat avec "
    "le cluster Biolake de Wuhan pour accompagner les start-up des deux régions."
)


def test_json_per_document_and_summary(write, tmp_path, capsys):
    page = write("seite.txt", f"Sie sind hier: Startseite > News\n{ZH}\n{FR}\n")
    out = tmp_path / "out"
    code = main(["extract", str(page), "--format", "json", "--out", str(out)])
    assert code == 0
    data = json.loads((out / "seite.json").read_text(encoding="utf-8"))
    assert data["languages"] == ["zh-Hans", "fr"] or data["languages"] == ["fr", "zh-Hans"]
    assert "Sie sind hier: Startseite > News" in data["boilerplate"]
    assert {"entities", "events", "figures", "paragraphs", "text"} <= data.keys()
    for para in data["paragraphs"]:
        assert data["text"][para["start"] : para["end"]]
    assert "read 1 documents; skipped 0" in capsys.readouterr().err


def test_text_format_is_language_tagged(write, capsys):
    page = write("zh.txt", ZH + "\n\n" + FR)
    assert main(["extract", str(page), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "[zh-Hans] 北京经济技术开发区" in out and "[fr] Genopole" in out


def test_bad_inputs_are_reported_and_counted(write, tmp_path, capsys):
    good = write("good.txt", FR)
    inputs = [
        write("empty.txt", b""),
        write("binary.txt", b"\x00\x01\x02PK" * 500),
        write("cut.jsonl.gz", gzip.compress(b'{"text": "x"}\n' * 200)[:12]),  # cut before its first record
        write("feed.jsonl", '{"text": "' + FR + '"}\n{oops\n'),
        write("broken.html", "<html><body><div><p></div></span></body>"),
        good,
    ]
    code = main(["extract", *map(str, inputs), "--format", "jsonl", "--report", str(tmp_path / "r.json")])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert len(lines) == 2  # good.txt and the valid JSONL record
    assert code == 5
    assert "Traceback" not in captured.err
    for name in ("empty.txt", "binary.txt", "cut.jsonl.gz", "feed.jsonl:2", "broken.html"):
        assert f"skipped {tmp_path / name}" in captured.err
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["documents"] == 2 and len(report["skipped"]) == 5


def test_json_format_needs_out(write, capsys):
    assert main(["extract", str(write("a.txt", FR)), "--format", "json"]) == 2
