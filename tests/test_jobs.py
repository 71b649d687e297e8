"""Reading and extraction in worker processes (`--jobs`): the same kb and the same extraction as one process, in
input order, with bad inputs reported in their place (zh-Hans, zh-Hant, French and German pages)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from bioatlas.ingest.readers import Skipped
from bioatlas.kb import schema as t
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.pipeline import process_all, read_inputs
from tests.conftest import EXAMPLES


def _pages(folder: Path) -> Path:
    folder.mkdir()
    texts = {
        "a-zh-hans.txt": "苏州工业园区宣布，礼来公司将在园区新建生产基地，投资约十亿元人民币。",
        "b-zh-hant.txt": "香港科學園與羅氏簽署合作協議，共同推動數據創新。",
        "c-fr.txt": "La société australienne Clarity Pharmaceuticals s'installe à Liège avec le soutien de l'AWEX.",
        "d-de.txt": "Die Firma Bavarian Nordic eröffnet in Martinsried ein neues Labor für Impfstoffe.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "e-binary.txt").write_bytes(b"\x00\x01\x02" * 200)
    return folder


def test_extraction_in_workers_is_the_extraction_in_one_process_in_input_order(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages")
    inputs = [str(pages), str(EXAMPLES)]
    one = list(process_all(read_inputs(inputs), jobs=1))
    two = list(process_all(read_inputs(inputs), jobs=2))
    assert len(one) == len(two) > 20
    for a, b in zip(one, two, strict=True):
        assert type(a) is type(b)
        if isinstance(a, Skipped):
            assert (a.source, a.reason) == (b.source, b.reason)
        else:
            assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
    assert any(isinstance(r, Skipped) and "e-binary" in r.source for r in two)


def _rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    with store.engine.connect() as conn:
        for table in (t.entities, t.claims, t.events, t.figures, t.aliases):
            columns = [c for c in table.columns if c.name not in ("id", "created_at", "at", "first_seen", "last_seen")]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*columns))), key=repr)
        out["documents"] = sorted(
            tuple(r) for r in conn.execute(select(t.documents.c.id, t.documents.c.title, t.documents.c.text))
        )
    return out


def test_an_ingest_with_two_workers_stores_the_kb_one_process_stores(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages")
    alone = Store(f"sqlite:///{tmp_path}/one.db")
    shared = Store(f"sqlite:///{tmp_path}/two.db")
    first = ingest_paths(alone, [str(pages)], jobs=1)
    second = ingest_paths(shared, [str(pages)], jobs=2)
    assert first.statuses == second.statuses and second.statuses["skipped"] == 1
    assert _rows(alone) == _rows(shared)
