from __future__ import annotations

import pytest

from bioatlas.model import Document
from bioatlas.pipeline import extract, prepare


@pytest.fixture
def read():
    """Run a piece of text through the whole pipeline, as `bioatlas extract` does."""

    def _read(text: str, published: str | None = None) -> Document:
        doc = Document(id="t", raw=text, meta={"format": "text"})
        if published:
            doc.meta["published"] = published
        prepare(doc)
        extract(doc)
        return doc

    return _read


def by_name(doc: Document) -> dict[str, object]:
    return {e.name: e for e in doc.entities}
