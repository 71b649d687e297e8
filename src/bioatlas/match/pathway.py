"""Concept to market: for each stage a project goes through, who in or around a location offers it."""

from __future__ import annotations

from typing import Any

from bioatlas.match.knowledge import Evidence, KbEntity, Knowledge
from bioatlas.match.land import SERVICE_WORDS
from bioatlas.sectors import expand_sectors, sectors_match

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


def find_location(kb: Knowledge, name: str) -> KbEntity:
    from bioatlas.extract.entities import name_key

    wanted = name_key(name)
    matches = [e for e in kb.entities.values() if name_key(e.name) == wanted]
    if not matches:
        from bioatlas.extract.reference import gazetteer

        rows = gazetteer().lookup(name)
        matches = [kb.entities[f"ref:{r.id}"] for r in rows if f"ref:{r.id}" in kb.entities]
    if not matches:
        raise LocationNotFound(f"no place, park or cluster called {name!r} in the knowledge base")
    return sorted(matches, key=lambda e: (e.type != "place", e.type != "park", e.id))[0]


def pathway(kb: Knowledge, location: str, sector: str | None = None) -> dict[str, Any]:
    place = find_location(kb, location)
    scope = kb.scope(place.id)
    around = set(kb.ancestors(place.id))  # regional and national bodies serve the city too
    wanted_sectors = {sector} if sector else set()
    stages = []
    for key, label, services in PATHWAY:
        offers: list[dict[str, Any]] = []
        for eid in sorted(scope | around | {o for a in around for o in kb.located.get(a, ())}):
            ent = kb.entities.get(eid)
            if ent is None or ent.row is None or ent.type == "place":
                continue
            hit = sorted(ent.services & services)
            if not hit:
                continue
            if wanted_sectors and ent.sectors and not sectors_match(wanted_sectors, ent.sectors):
                continue
            offers.append(
                {
                    "entity": ent.to_json(),
                    "services": hit,
                    "local": eid in scope,
                    "evidence": [
                        Evidence("reference", f"{ent.name} offers {', '.join(hit)}", reference=ent.row.source).to_json()
                    ],
                }
            )
        reported = []
        for ev in kb.events:
            if not any(scope & set(ids) for ids in ev.roles.values()):
                continue
            for report in ev.reports:
                text = report.label.lower()
                if any(w in text for s in services for w in SERVICE_WORDS.get(s, ())):
                    reported.append(report.to_json())
        stages.append(
            {
                "stage": key,
                "label": label,
                "covered": bool(offers or reported),
                "providers": sorted(offers, key=lambda o: (not o["local"], o["entity"]["name"])),
                "reports": reported[:5],
            }
        )
    uncovered = [s["label"] for s in stages if not s["covered"]]
    return {
        "question": "concept to market",
        "location": place.to_json(),
        "sector": sector,
        "sectors_considered": sorted(expand_sectors(wanted_sectors)) if sector else [],
        "stages": stages,
        "uncovered": uncovered,
    }
