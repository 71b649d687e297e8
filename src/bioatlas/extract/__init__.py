"""Extraction: entities, figures and events over a prepared document."""

from __future__ import annotations

from bioatlas.model import Document


def run_extractors(doc: Document) -> Document:
    from bioatlas.extract.entities import extract_entities

    doc.entities = extract_entities(doc)
    from bioatlas.extract.figures import extract_figures

    doc.figures = extract_figures(doc)
    from bioatlas.extract.events import extract_events

    doc.events = extract_events(doc)
    return doc
