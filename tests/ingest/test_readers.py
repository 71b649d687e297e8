"""Readers: every format, every encoding, and one test per kind of bad input."""

from __future__ import annotations

import gzip
import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bioatlas.ingest.readers import Skipped, read_path
from bioatlas.model import Document

LIMIT = 1_000_000
ZH_HANS = "苏州工业园区生物医药产业园三期正式开园，首批入驻企业二十一家，总投资五十亿元。"
ZH_HANT = "香港科技園公司與羅氏簽署戰略合作協議，共同推動大灣區生命健康科技發展。"


def _read(path) -> list:
    return list(read_path(path, LIMIT))


def test_plain_text_utf8(write):
    [doc] = _read(write("page.txt", "Lyonbiopôle rejoint MAGIA.\n" + ZH_HANS))
    assert isinstance(doc, Document)
    assert doc.id == "page" and "Lyonbiopôle" in doc.raw and doc.encoding == "utf-8"


def test_gbk_page_is_decoded(write):
    [doc] = _read(write("gbk.txt", ZH_HANS * 3, encoding="gbk"))
    assert isinstance(doc, Document) and ZH_HANS in doc.raw


def test_big5_page_is_decoded(write):
    [doc] = _read(write("big5.txt", ZH_HANT * 3, encoding="big5"))
    assert isinstance(doc, Document) and ZH_HANT in doc.raw


def test_shift_jis_and_latin1(write):
    ja = "神戸医療産業都市に新しい研究拠点が開設されました。進出企業は三百社を超えています。" * 3
    [doc] = _read(write("sjis.txt", ja, encoding="shift_jis"))
    assert isinstance(doc, Document) and ja in doc.raw
    fr = "Le pôle de compétitivité a annoncé une levée de fonds à Évry, près de Genopole. " * 3
    [doc] = _read(write("latin1.txt", fr, encoding="latin-1"))
    assert isinstance(doc, Document) and "Évry" in doc.raw


def test_html_declared_charset(write):
    html = f'<html><head><meta charset="gbk"><title>新闻</title></head><body><p>{ZH_HANS}</p></body></html>'
    [doc] = _read(write("page.html", html, encoding="gbk"))
    assert isinstance(doc, Document) and doc.meta["format"] == "html" and ZH_HANS in doc.raw


def test_jsonl_records_and_malformed_lines(write):
    lines = [
        json.dumps(
            {
                "id": "a1",
                "url": "https://x.org/1",
                "title": "Titel",
                "published": "2024-07-18",
                "text": "Die BioM und Osaka unterzeichnen eine Vereinbarung.",
            }
        ),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps(["a list"]),
        json.dumps({"text": ZH_HANT}),
    ]
    results = _read(write("feed.jsonl", "\n".join(lines)))
    docs = [r for r in results if isinstance(r, Document)]
    skipped = [r for r in results if isinstance(r, Skipped)]
    assert [d.id for d in docs] == ["a1", "feed-5"]
    assert docs[0].url == "https://x.org/1" and docs[0].meta["published"] == "2024-07-18"
    assert [s.source.rsplit(":", 1)[1] for s in skipped] == ["2", "3", "4"]
    assert "malformed JSON" in skipped[0].reason and "no 'text'" in skipped[1].reason


def _warc(records: list[tuple[str, bytes, str]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body, ctype in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


def test_warc_gz_records(write):
    html = f"<html><body><article><p>{ZH_HANT}</p></article></body></html>".encode("big5")
    data = _warc(
        [
            ("https://a.hk/1", html, "text/html; charset=big5"),
            ("https://a.hk/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
            ("https://a.de/2", "Der Technologiepark Heidelberg wächst weiter.".encode(), "text/plain"),
        ]
    )
    results = _read(write("crawl.warc.gz", data))
    docs = [r for r in results if isinstance(r, Document)]
    assert [d.url for d in docs] == ["https://a.hk/1", "https://a.de/2"]
    assert ZH_HANT in docs[0].raw and docs[0].id and "/" not in docs[0].id
    assert any(isinstance(r, Skipped) and "not a text record" in r.reason for r in results)


def test_truncated_warc_keeps_what_was_read(write):
    data = _warc([("https://a.fr/1", b"Genopole signe un accord avec Wuhan." * 20, "text/plain")] * 3)
    results = _read(write("cut.warc.gz", data[: len(data) - 40]))
    assert any(isinstance(r, Document) for r in results)
    assert isinstance(results[-1], Skipped) and "WARC" in results[-1].reason


def test_truncated_gzip_jsonl(write):
    data = gzip.compress(b'{"text": "hello"}\n' * 100)
    *before, result = _read(write("feed.jsonl.gz", data[:30]))
    assert all(isinstance(r, Document) for r in before)  # the records before the cut are kept
    assert isinstance(result, Skipped) and "gzip" in result.reason


def test_binary_file(write):
    [result] = _read(write("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4))
    assert isinstance(result, Skipped) and "binary" in result.reason


def test_empty_and_whitespace_files(write):
    [empty] = _read(write("empty.txt", b""))
    [blank] = _read(write("blank.txt", b"  \n\t\n"))
    assert isinstance(empty, Skipped) and empty.reason == "empty file"
    assert isinstance(blank, Skipped) and "whitespace" in blank.reason


def test_file_over_size_limit(write):
    path = write("huge.txt", "x" * 2000)
    [result] = list(read_path(path, max_bytes=1000))
    assert isinstance(result, Skipped) and "too large" in result.reason


def test_undecodable_bytes(write):
    [result] = _read(write("bad.txt", bytes([0x81, 0xFE, 0x07, 0x80, 0x9F] * 400)))
    assert isinstance(result, Skipped)


def test_missing_file(tmp_path):
    [result] = _read(tmp_path / "nope.txt")
    assert isinstance(result, Skipped) and "cannot open" in result.reason


def test_folder_walk_skips_data_and_documentation(tmp_path):
    from bioatlas.ingest.readers import expand_paths

    for name in ("page.txt", "page.html", "feed.jsonl", "INDEX.tsv", "notes.md", "gold.json", ".hidden.txt"):
        (tmp_path / name).write_text("Genopole à Évry. 列日。", encoding="utf-8")
    assert sorted(p.name for p in expand_paths([str(tmp_path)])) == ["feed.jsonl", "page.html", "page.txt"]
    assert [p.name for p in expand_paths([str(tmp_path / "INDEX.tsv")])] == ["INDEX.tsv"]  # named: read


def test_warc_response_without_target_uri_is_skipped_and_the_rest_read(write):
    data = _warc(
        [
            (None, ZH_HANS.encode("utf-8"), "text/plain; charset=utf-8"),
            ("https://a.tw/2", ZH_HANT.encode("big5"), "text/plain; charset=big5"),
            ("https://a.fr/3", b"Genopole signe un accord avec Wuhan.", "text/plain"),
        ]
    )
    results = _read(write("nouri.warc.gz", data))
    skipped = [r for r in results if isinstance(r, Skipped)]
    assert len(skipped) == 1 and "target URI" in skipped[0].reason
    assert [r.url for r in results if isinstance(r, Document)] == ["https://a.tw/2", "https://a.fr/3"]
