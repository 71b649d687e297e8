"""Concept to market: for each stage a project goes through, who in or around a location offers it."""

from __future__ import annotations

from typing import Any

from bioatlas.match.knowledge import KbEntity, Knowledge
from bioatlas.match.services import Offer, who_offers
from bioatlas.sectors import expand_sectors

PATHWAY = [
    ("rd-support", "R&D support", {"rd-support", "wet-lab", "incubation"}),
    ("preclinical", "Preclinical", {"preclinical", "wet-lab"}),
    ("clinical", "Clinical trials", {"clinical-trials"}),
    ("production", "Production (GMP)", {"gmp-production"}),
    (
        "market-access",
        "Regulatory and market access",
        {"regulatory", "market-access-eu", "market-access-cn", "market-access-us", "market-access-asean"},
    ),
]


class LocationNotFound(LookupError):
    pass


PLACE_FIRST = ("place", "park", "cluster", "agency", "research", "alliance")


def find_named(kb: Knowledge, name: str, types: tuple[str, ...] = PLACE_FIRST, what: str | None = None) -> KbEntity:
    """The entity of one of `types` called `name` by any of its names (any language or script), the earlier types
    preferred: `Lüttich` and `列日` are Liège, `AWEX` and `Invest in Wallonia` the Walloon agency."""
    matches = [kb.entities[i] for i in kb.named(name) if kb.entities[i].type in types]
    if not matches:
        raise LocationNotFound(f"no {what or 'place, park or cluster'} called {name!r} in the knowledge base")
    return sorted(matches, key=lambda e: (types.index(e.type), e.row is None, e.id))[0]


def find_location(kb: Knowledge, name: str) -> KbEntity:
    return find_named(kb, name)


def serving_bodies(kb: Knowledge, place_id: str) -> set[str]:
    """Organisations of the region and country around a place (located there or serving it): Walloon and Belgian
    bodies for Liège, never Flemish ones; EU-wide or continental bodies serve every place alike and are left out."""
    levels = [a for a in kb.geo.ancestors(place_id) if not kb.geo.is_area(a)]
    return {
        o for level in levels for o in kb.geo.down.get(level, ()) if o in kb.entities and kb.entities[o].type != "place"
    }


def _provider(kb: Knowledge, entity_id: str, offers: list[Offer]) -> dict[str, Any]:
    return {
        "entity": kb.entities[entity_id].to_json(),
        "services": sorted({o.service for o in offers}),
        "local": any(o.local for o in offers),
        "from_reports": any(o.evidence.kind == "document" for o in offers),
        "evidence": [o.evidence.to_json() for o in offers],
    }


def pathway(kb: Knowledge, location: str, sector: str | None = None) -> dict[str, Any]:
    """Each stage with who offers it in or around the location: reference rows and ingested reports together,
    through the same `who_offers` that scores services in `/land`."""
    place = find_location(kb, location)
    local = kb.inside(place.id)
    around = serving_bodies(kb, place.id) - local
    wanted = {s for _, _, services in PATHWAY for s in services}
    offers = who_offers(kb, local, around, wanted, sector)
    stages = []
    for key, label, services in PATHWAY:
        by_entity: dict[str, list[Offer]] = {}
        for offer in offers:
            if offer.service in services:
                by_entity.setdefault(offer.entity_id, []).append(offer)
        providers = [_provider(kb, eid, found) for eid, found in by_entity.items()]
        reports: dict[tuple[str | None, int | None], dict[str, Any]] = {}
        for found in by_entity.values():
            for o in found:
                if o.evidence.kind == "document":
                    reports.setdefault((o.evidence.document_id, o.evidence.start), o.evidence.to_json())
        stages.append(
            {
                "stage": key,
                "label": label,
                "covered": bool(providers),
                "providers": sorted(providers, key=lambda p: (not p["local"], p["entity"]["name"])),
                "reports": list(reports.values())[:5],
            }
        )
    uncovered = [s["label"] for s in stages if not s["covered"]]
    return {
        "question": "concept to market",
        "location": place.to_json(),
        "sector": sector,
        "sectors_considered": sorted(expand_sectors({sector})) if sector else [],
        "stages": stages,
        "uncovered": uncovered,
    }
