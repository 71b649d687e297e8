"""Regenerate the golden reading results of the example corpus: `python tests/golden/regenerate.py`.

Review the diff before committing: goldens are produced by the code, never edited by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bioatlas.ingest.readers import Document  # noqa: E402
from bioatlas.pipeline import process, read_inputs  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "example-corpus.json"


def reading_view(doc: Document) -> dict:
    return {
        "languages": doc.languages,
        "title": doc.title,
        "published": doc.published,
        "boilerplate": doc.boilerplate,
        "paragraphs": len(doc.paragraphs),
        "paragraph_languages": sorted({p.language or "" for p in doc.paragraphs}),
    }


def compute() -> dict:
    out = {}
    for record in read_inputs([str(ROOT / "examples" / "corpus")]):
        result = process(record, with_extraction=False)
        if isinstance(result, Document):
            out[result.id] = reading_view(result)
        else:
            out[f"skipped:{result.source}"] = {"reason": result.reason}
    return out


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(compute(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
