"""Bad and hostile input: bombs, slow pages, odd encodings, cut archives, odd folders and upload names.

Each never crashes a run, never takes the machine, and is reported with a reason.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bioatlas.ingest.encoding import InputError, decode_bytes
from bioatlas.ingest.html import MAX_ATTRIBUTES, defuse_html
from bioatlas.ingest.limits import DocumentTimeout, time_limit
from bioatlas.ingest.readers import Skipped, expand_paths, read_bytes_as, read_path, upload_name
from bioatlas.kb.ingest import ingest_paths, ingest_records
from bioatlas.kb.store import Store
from bioatlas.model import Document
from bioatlas.pipeline import process, read_inputs
from bioatlas.settings import Settings

MAX_BYTES = 50_000_000
MB = 1_000_000
ZH_HANS = "苏州工业园区生物医药产业园三期正式开园，首批入驻企业二十一家，总投资五十亿元。"
ZH_HANT = "香港科技園公司與羅氏簽署戰略合作協議，共同推動大灣區生命健康科技發展。"
FR = "L'Université de Liège a réalisé une levée de fonds à Liège, près du parc scientifique du Sart-Tilman."
DE = "Die Universität Düsseldorf gründet mit der Stadt Köln ein Zentrum für Biotechnologie; Größe: 5.000 m²."
NL = "De Universiteit Gent opent een nieuw centrum in België, dicht bij 's-Hertogenbosch en Zwijnaarde."


def _docs(results: list) -> list[Document]:
    return [r for r in results if isinstance(r, Document)]


def _skipped(results: list) -> list[Skipped]:
    return [r for r in results if isinstance(r, Skipped)]


def _peak_bytes(work) -> tuple[list, int]:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        result = list(work())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


# ------------------------------------------------------------------------------------------ decompression


def test_gzip_of_newlines_is_cut_at_the_limit_in_bounded_memory(write):
    bomb = write("newlines.jsonl.gz", gzip.compress(b"\n" * (50 * MB), 9))
    results, peak = _peak_bytes(lambda: read_path(bomb, MAX_BYTES, max_decompressed=MB))
    [cut] = results
    assert isinstance(cut, Skipped) and cut.source == str(bomb)
    assert "cut after 1,000,000 bytes decompressed" in cut.reason and "BIOATLAS_MAX_DECOMPRESSED_BYTES" in cut.reason
    assert peak < 16 * MB  # the whole bomb would be 50 MB


def test_gzip_of_records_keeps_the_records_before_the_cut(write):
    line = json.dumps({"text": ZH_HANT + " " + FR}, ensure_ascii=False).encode() + b"\n"
    bomb = write("records.jsonl.gz", gzip.compress(line * (50 * MB // len(line)), 9))
    results, peak = _peak_bytes(lambda: read_path(bomb, MAX_BYTES, max_decompressed=MB))
    docs, skipped = _docs(results), _skipped(results)
    assert len(docs) == MB // len(line)  # every complete line before the cut
    assert [s.reason.split(" (")[0] for s in skipped] == ["cut after 1,000,000 bytes decompressed"]
    assert results[-1] is skipped[0]
    assert peak < 24 * MB


def test_the_run_goes_on_with_the_next_file_after_a_bomb(write, monkeypatch):
    bomb = write("a-bomb.txt.gz", gzip.compress(("Genopole à Évry. " * 10).encode() * 300_000, 9))
    good = write("b-good.txt", ZH_HANS)
    results = list(read_inputs([str(bomb), str(good)], Settings(max_decompressed_bytes=MB)))
    assert isinstance(results[0], Skipped) and "cut after" in results[0].reason
    assert isinstance(results[1], Document) and results[1].raw == ZH_HANS


def _warc(records: list[tuple[str | None, bytes, str]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body, ctype in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


def test_warc_gz_bomb_keeps_the_records_before_and_reports_the_cut(write):
    data = _warc(
        [
            ("https://a.hk/1", ZH_HANT.encode("big5"), "text/plain; charset=big5"),
            ("https://a.fr/bomb", b"Genopole " * (6 * MB), "text/plain"),
        ]
    )
    assert len(data) < MB  # 54 MB of text in a small file
    results = list(read_path(write("bomb.warc.gz", data), MAX_BYTES, max_decompressed=2 * MB))
    assert [d.url for d in _docs(results)] == ["https://a.hk/1"]
    assert any("cut after 2,000,000 bytes decompressed" in s.reason for s in _skipped(results))


def test_warc_record_over_the_size_limit_is_skipped_and_the_next_read(write):
    data = _warc(
        [
            ("https://a.fr/big", b"Genopole " * 300_000, "text/plain"),
            ("https://a.de/2", DE.encode(), "text/plain; charset=utf-8"),
        ]
    )
    results = list(read_path(write("big.warc.gz", data), 1_000_000, max_decompressed=50 * MB))
    [too_large] = _skipped(results)
    assert too_large.source.endswith(tuple("0123456789abcdef")) and "WARC record too large" in too_large.reason
    assert [d.url for d in _docs(results)] == ["https://a.de/2"]


def test_upload_bomb_is_cut_too():
    data = gzip.compress(b"\n" * (20 * MB), 9)
    [cut] = list(read_bytes_as("feed.jsonl.gz", data, MAX_BYTES, max_decompressed=MB))
    assert isinstance(cut, Skipped) and cut.source == "feed.jsonl.gz" and "cut after" in cut.reason


# ------------------------------------------------------------------------------------------ truncation


def test_truncated_multi_record_warc_gz(write):
    bodies = [ZH_HANS, ZH_HANT, FR, DE, NL, ZH_HANS + FR]
    data = _warc([(f"https://x.org/{i}", b.encode() * 20, "text/plain; charset=utf-8") for i, b in enumerate(bodies)])
    results = list(read_path(write("cut.warc.gz", data[: len(data) // 2]), MAX_BYTES))
    docs, skipped = _docs(results), _skipped(results)
    assert 1 <= len(docs) < len(bodies)
    assert [d.url for d in docs] == [f"https://x.org/{i}" for i in range(len(docs))]
    assert any("truncated" in s.reason and "WARC" in s.reason for s in skipped)


def test_truncated_jsonl_gz_keeps_the_records_before(write):
    lines = "".join(json.dumps({"id": f"r{i}", "text": ZH_HANT + FR}, ensure_ascii=False) + "\n" for i in range(300))
    data = gzip.compress(lines.encode())
    results = list(read_path(write("cut.jsonl.gz", data[: len(data) * 2 // 3]), MAX_BYTES))
    docs = _docs(results)
    assert docs and [d.id for d in docs] == [f"r{i}" for i in range(len(docs))]
    assert isinstance(results[-1], Skipped) and "truncated or corrupt gzip" in results[-1].reason
    assert f"after {len(docs)} records" in results[-1].reason


def test_truncated_txt_gz_is_reported(write):
    data = gzip.compress(((DE + "\n") * 500).encode())
    [result] = list(read_path(write("seite.txt.gz", data[: len(data) // 2]), MAX_BYTES))
    assert isinstance(result, Skipped) and "truncated" in result.reason


def test_txt_gz_and_html_gz_are_read(write):
    [doc] = list(read_path(write("seite.txt.gz", gzip.compress(DE.encode())), MAX_BYTES))
    assert isinstance(doc, Document) and doc.raw == DE and doc.id == "seite" and doc.meta["format"] == "text"
    html = f"<html><body><p>{ZH_HANS}</p></body></html>"
    [page] = list(read_path(write("页面.html.gz", gzip.compress(html.encode())), MAX_BYTES))
    assert isinstance(page, Document) and page.meta["format"] == "html"


def test_jsonl_lines_that_break_the_json_parser_are_skipped(write):
    lines = [
        '{"id": ' + "9" * 5000 + ', "text": "x"}',  # over Python's digit limit: ValueError, not JSONDecodeError
        "[" * 100_000 + "]" * 100_000,  # too deep: RecursionError
        json.dumps({"text": ZH_HANS}, ensure_ascii=False),
    ]
    results = list(read_path(write("odd.jsonl", "\n".join(lines)), MAX_BYTES))
    assert [type(r).__name__ for r in results] == ["Skipped", "Skipped", "Document"]
    assert all("malformed JSON" in s.reason or "not an object" in s.reason for s in _skipped(results))


# ------------------------------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Université de Liège … à Liège, le projet réalisé près de la gare. " * 3, "cp1252"),
        ("Université de Liège à Liège réalisé près", "latin-1"),
        ("L’Université de Liège a réalisé « un projet » près d’ici — coût 5 €.", "cp1252"),
        (DE, "latin-1"),
        ("Zürich übernimmt Müller AG für 5 Mio. € – Größe unbekannt.", "cp1252"),
        (NL + " Coöperatie ’s-Hertogenbosch: één idee.", "cp1252"),
        (ZH_HANS * 2, "gbk"),
        (ZH_HANT * 2, "big5"),
        ("神戸医療産業都市に新しい研究拠点が開設されました。進出企業は三百社を超えています。", "shift_jis"),
        ("오송생명과학단지에 새로운 바이오 기업이 입주했습니다. 입주 기업은 삼백 곳이 넘습니다.", "euc-kr"),
    ],
)
def test_undeclared_encodings_are_decoded(write, text, codec):
    [doc] = list(read_path(write("page.txt", text.encode(codec)), MAX_BYTES))
    assert isinstance(doc, Document) and doc.raw == text


def test_latin1_html_page_without_charset(write):
    html = f"<html><head><title>Liège</title></head><body><p>{FR}</p><p>{FR[:60]} près.</p></body></html>"
    [doc] = list(read_path(write("page.html", html.encode("latin-1")), MAX_BYTES))
    assert isinstance(doc, Document) and FR in doc.raw and doc.encoding == "cp1252"


@pytest.mark.parametrize(
    ("prefix", "codec"),
    [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8"), (b"", "utf-16-le")],
)
def test_unicode_pages_with_and_without_byte_order_mark(write, prefix, codec):
    html = f"<html><body><p>{FR}</p><p>{ZH_HANT}</p><p>{DE}</p></body></html>"
    [doc] = list(read_path(write("page.html", prefix + html.encode(codec)), MAX_BYTES))
    assert isinstance(doc, Document) and doc.raw == html and doc.meta["format"] == "html"


def test_utf16_big_endian_without_bom():
    text, codec = decode_bytes((DE + " " + ZH_HANT).encode("utf-16-be"))
    assert codec == "utf-16-be" and ZH_HANT in text


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        bytes(8000),
        b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8,
        bytes([0, 1, 2, 3, 65, 0, 66, 0]) * 500,
        b"\xff\xfe" + bytes(range(256)) * 8,  # a UTF-16 mark on binary: controls everywhere
    ],
)
def test_binary_is_still_rejected_with_a_reason(data):
    with pytest.raises(InputError, match=r"binary|undecodable"):
        decode_bytes(data)


# ------------------------------------------------------------------------------------------ time per document


def _warm_up() -> None:
    """Load the models before a tight limit, so the limit measures reading, not loading."""
    doc = Document(id="warm", source="warm", raw=FR + "\n\n" + ZH_HANS, encoding="utf-8")
    doc.meta["format"] = "text"
    assert isinstance(process(doc, Settings(max_seconds_per_document=0)), Document)


def _long_document(name: str) -> Document:
    paragraphs = [f"{FR} {i}" if i % 3 == 0 else f"{DE} {i}" if i % 3 == 1 else ZH_HANT + str(i) for i in range(3000)]
    doc = Document(id=name, source=name, raw="\n\n".join(paragraphs), encoding="utf-8")
    doc.meta["format"] = "text"
    return doc


def test_a_document_over_its_time_is_skipped_and_the_next_one_read():
    _warm_up()
    slow = process(_long_document("slow"), Settings(max_seconds_per_document=0.05))
    assert isinstance(slow, Skipped) and slow.source == "slow"
    assert slow.reason == "took over 0.05 s to read (limit 0.05 s; see BIOATLAS_MAX_SECONDS_PER_DOCUMENT)"
    time.sleep(0.2)  # no stray timeout arrives later
    small = Document(id="next", source="next", raw=ZH_HANS + "\n\n" + FR, encoding="utf-8")
    small.meta["format"] = "text"
    assert isinstance(process(small, Settings(max_seconds_per_document=60)), Document)


def test_the_time_limit_works_in_a_worker_thread_as_the_web_server_uses():
    _warm_up()
    results: list = []
    worker = threading.Thread(
        target=lambda: results.append(process(_long_document("upload"), Settings(max_seconds_per_document=0.05)))
    )
    worker.start()
    worker.join(120)
    [slow] = results
    assert isinstance(slow, Skipped) and "took over 0.05 s" in slow.reason


@pytest.mark.parametrize("in_thread", [False, True])
def test_the_hard_limit_stops_code_that_never_checks(in_thread):
    outcome: list[str] = []

    def spin() -> None:
        try:
            with time_limit(0.1):
                while True:  # pure Python that never calls check_deadline()
                    sum(range(1000))
        except DocumentTimeout:
            outcome.append("stopped")
        time.sleep(0.2)  # nothing pending is delivered after the limit is taken down
        outcome.append("went on")

    if in_thread:
        worker = threading.Thread(target=spin)
        worker.start()
        worker.join(30)
    else:
        spin()
    assert outcome == ["stopped", "went on"]


def test_a_page_with_100000_attributes_is_read_or_skipped_with_a_reason(write):
    attributes = " ".join(f'data-a{i}="v"' for i in range(100_000))
    html = f"<html><body><article><div {attributes}><p>{FR}</p><p>{ZH_HANS}</p></div></article></body></html>"
    assert defuse_html(html).count('="v"') == MAX_ATTRIBUTES
    [record] = list(read_path(write("attrs.html", html), MAX_BYTES))
    result = process(record, Settings(max_seconds_per_document=120), with_extraction=False)
    if isinstance(result, Skipped):
        assert result.reason
    else:
        assert "Liège" in result.text and ZH_HANS[:10] in result.text


def test_defusing_leaves_ordinary_pages_alone():
    html = (
        '<html lang="fr"><head><meta charset="utf-8"><script>if (a<b && c>d) {}</script></head>'
        f'<body class="x" data-id=\'3\'><img src="data:image/png;base64,{"A" * 5000}" alt="logo">'
        f'<p style="a>b">{FR}</p><br/><a href="/zh?q=列日&x=1">{ZH_HANS}</a></body></html>'
    )
    assert defuse_html(html) == html


# ------------------------------------------------------------------------------------------ folders


def test_folder_problems_are_reported_and_the_walk_ends(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "page.txt").write_text(FR, encoding="utf-8")
    (root / "sub" / "seite.txt").write_text(DE, encoding="utf-8")
    (root / "loop-a").symlink_to(root / "loop-b")
    (root / "loop-b").symlink_to(root / "loop-a")
    (root / "sub" / "up").symlink_to(root)  # a folder link to its parent
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    (root / "again.txt").symlink_to(root / "page.txt")  # the same file twice
    locked = root / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text(ZH_HANS, encoding="utf-8")
    locked.chmod(0)
    try:
        items = list(expand_paths([str(root), str(tmp_path / "missing")]))
    finally:
        locked.chmod(0o755)
    files = [p for p in items if isinstance(p, Path)]
    problems = {Path(s.source).name: s.reason for s in items if isinstance(s, Skipped)}
    assert len({p.resolve() for p in files}) == len(files)  # never a file twice
    assert {p.name for p in files} - {"secret.txt"} == {"page.txt", "seite.txt"}
    assert problems["loop-a"] == problems["loop-b"] == "symbolic link loop"
    assert "already read" in problems["up"]
    assert problems["dangling.txt"].startswith("broken symbolic link")
    assert "same file as" in problems["again.txt"]
    assert problems["missing"] == "no such file or folder"
    if os.geteuid() == 0:  # root reads any folder: only the other half can be checked
        assert any(p.name == "secret.txt" for p in files)
    else:
        assert problems["locked"].startswith("cannot read folder")


def test_folder_problems_reach_the_run(tmp_path):
    (tmp_path / "page.txt").write_text(NL, encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    results = list(read_inputs([str(tmp_path)]))
    assert [type(r).__name__ for r in results] == ["Skipped", "Document"]


# ------------------------------------------------------------------------------------------ upload names


HOSTILE_NAMES = ["x" * 300 + ".txt", "re\x00port.txt", "../../escape.txt", "a/b\\..\\c.html", "", "..", " \u202e.txt"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_upload_names_are_read_under_a_safe_name(name):
    before = set(os.listdir(tempfile.gettempdir()))
    [doc] = list(read_bytes_as(name, FR.encode("cp1252"), MAX_BYTES))
    assert isinstance(doc, Document) and "Liège" in doc.raw
    shown = doc.source
    assert shown == upload_name(name) and 0 < len(shown) <= 120
    assert not any(c in shown for c in "/\\\x00\u202e") and shown not in (".", "..")
    assert "escape.txt" not in set(os.listdir(tempfile.gettempdir())) - before


def test_long_upload_names_keep_the_suffix_that_chooses_the_reader():
    name = "页面" * 200 + ".jsonl.gz"
    shown = upload_name(name)
    assert len(shown) <= 120 and shown.endswith(".jsonl.gz")
    data = gzip.compress(json.dumps({"id": "z1", "text": ZH_HANS}, ensure_ascii=False).encode())
    [doc] = list(read_bytes_as(name, data, MAX_BYTES))
    assert isinstance(doc, Document) and doc.identity == "id:z1" and doc.source == f"{shown}:1"


def test_upload_name_chooses_the_reader_and_the_document_id():
    html = f"<html><body><p>{ZH_HANT}</p></body></html>".encode("big5")
    [doc] = list(read_bytes_as("../新聞/Seite 1.HTML", html, MAX_BYTES))
    assert isinstance(doc, Document) and doc.meta["format"] == "html" and doc.source == "Seite 1.HTML"
    assert doc.id == "Seite-1"


# ------------------------------------------------------------------------------------------ end to end into the kb


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sql(f"select count(*) from {table}")).scalar_one())


def test_odd_records_do_not_stop_an_ingest(tmp_path):
    records = [
        {"id": "big", "text": "Der Park hat " + "9" * 309 + " Mitglieder. " + DE},
        {"id": "date", "published": "2014-06-31", "text": "Am 31.06.2014 eröffnet. 2014年6月31日开园。" + ZH_HANS},
        {"id": "good", "url": "https://example.org/liege", "text": FR + " " + ZH_HANT},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines[2:2] = ['{"id": ' + "7" * 5000 + ', "text": "x"}', "{oops"]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines), encoding="utf-8")
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(
        _warc(
            [
                (None, ZH_HANS.encode(), "text/plain; charset=utf-8"),
                ("https://a.tw/1", ZH_HANT.encode("big5"), "text/plain; charset=big5"),
            ]
        )
    )
    store = Store(f"sqlite:///{tmp_path}/kb.db")
    report = ingest_paths(store, [str(feed), str(crawl)])
    assert report.statuses["added"] == 4 and report.statuses["skipped"] == 3
    reasons = sorted(s.reason.split(":")[0] for s in report.skipped)
    assert reasons == [
        "WARC response record without a target URI (WARC-Target-URI)",
        "malformed JSON line",
        "malformed JSON line",
    ]
    with store.engine.connect() as conn:
        urls = {row[0] for row in conn.execute(sql("select url from documents"))}
    assert {"https://example.org/liege", "https://a.tw/1"} <= urls
    assert _count(store, "documents") == 4


def test_200_records_without_urls_are_200_documents(tmp_path):
    feed = tmp_path / "notes.jsonl"
    texts = [f"{ZH_HANS if i % 2 else ZH_HANT} 第{i}号。" for i in range(200)]
    feed.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path}/kb.db")
    report = ingest_paths(store, [str(feed)])
    assert report.statuses == {"added": 200}
    assert _count(store, "documents") == 200


def test_two_uploads_named_report_txt_are_two_documents(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/kb.db")
    first = list(read_bytes_as("report.txt", FR.encode("utf-8"), MAX_BYTES))
    second = list(read_bytes_as("report.txt", ZH_HANT.encode("big5"), MAX_BYTES))
    report = ingest_records(store, first + second)
    assert report.statuses == {"added": 2}
    assert _count(store, "documents") == 2


def test_the_jsonl_id_is_honoured(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/kb.db")

    def feed(name: str, records: list[dict]) -> str:
        path = tmp_path / name
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
        return str(path)

    first = ingest_paths(store, [feed("a.jsonl", [{"id": "n1", "text": FR}, {"id": "n2", "text": FR}])])
    assert first.statuses == {"added": 2}  # same text, two ids: two documents
    again = ingest_paths(store, [feed("b.jsonl", [{"id": "n1", "text": FR + " " + ZH_HANS}])])
    assert again.statuses == {"updated": 1}  # the same id in another file: a new version of that document
    assert _count(store, "documents") == 2


def test_a_jsonl_of_blank_lines_is_reported_not_dropped(write):
    [result] = list(read_path(write("blank.jsonl.gz", gzip.compress(b"\n \n\t\n" * 1000)), MAX_BYTES))
    assert isinstance(result, Skipped) and result.reason == "no JSON lines (only whitespace)"
