"""Which markets first? Target countries ranked for a cluster alliance and a sector, with the reasons."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from bioatlas.match.knowledge import Evidence, Knowledge
from bioatlas.match.pathway import find_location
from bioatlas.match.ranking import Indicator, Scored, rank
from bioatlas.sectors import expand_sectors, sector_tree

DEFAULT_WEIGHTS = {"partnerships": 1.0, "inbound": 1.0, "partner_clusters": 1.0, "ecosystem": 1.0, "sector": 1.0}
LABELS = {
    "partnerships": "Partnerships with the alliance's members",
    "inbound": "Companies from there landing in the alliance's regions",
    "partner_clusters": "Clusters and agencies present",
    "ecosystem": "Ecosystem figures",
    "sector": "Reports in your sector",
}


def alliance_members(kb: Knowledge, alliance_id: str) -> set[str]:
    members = set()
    for ev in kb.events:
        ids = set(ev.roles.get("members", []))
        if ev.type == "partnership" and alliance_id in ids:
            members |= {
                i
                for i in ids
                if i != alliance_id
                and kb.entities.get(i) is not None
                and kb.entities[i].type in ("cluster", "park", "agency")
            }
    return members


def markets(
    kb: Knowledge, alliance: str, sector: str | None = None, weights: dict[str, float] | None = None, limit: int = 15
) -> dict[str, Any]:
    host = find_location(kb, alliance)
    weights = weights or dict(DEFAULT_WEIGHTS)
    members = alliance_members(kb, host.id) if host.type == "alliance" else {host.id}
    if not members:
        raise LookupError(f"no members of {host.name} are known: ingest reports of its partnership first")
    home_countries = {kb.country_of(m) for m in members} - {None}
    regions = set(members)
    for m in members:
        regions |= set(kb.ancestors(m))
    for m in list(regions):
        regions |= kb.scope(m)
    words = {
        k for s in expand_sectors({sector} if sector else set()) for k in sector_tree().get(s, {}).get("keywords", [])
    }
    per_country: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for ev in kb.events:
        ids = {i for v in ev.roles.values() for i in v}
        countries = {c for c in (kb.country_of(i) for i in ids) if c} - home_countries
        touches_home = bool(ids & (regions | {host.id}))
        for country in countries:
            if ev.type == "partnership" and touches_home:
                per_country[country]["partnerships"] += ev.reports[:1]
            if (
                ev.type in ("landing", "expansion")
                and touches_home
                and any(kb.country_of(c) == country for c in ev.roles.get("company", []) + ev.roles.get("origin", []))
            ):
                per_country[country]["inbound"] += ev.reports[:1]
            if words and any(w in r.label.lower() for r in ev.reports for w in words):
                per_country[country]["sector"] += ev.reports[:1]
    for ent in kb.entities.values():
        if ent.country and ent.country not in home_countries and ent.row and ent.type in ("cluster", "agency", "park"):
            if not sector or not ent.sectors or expand_sectors({sector}) & expand_sectors(ent.sectors):
                per_country[ent.country]["partner_clusters"].append(
                    Evidence("reference", f"{ent.name} ({ent.type})", reference=ent.row.source)
                )
    for fig in kb.figures:
        fig_country = kb.country_of(fig.entity_id)
        if fig_country and fig_country not in home_countries and fig.unit in ("companies", "researchers", "members"):
            per_country[fig_country]["ecosystem"].append(fig.evidence)
    items = []
    for country, signals in per_country.items():
        if not (signals.get("partnerships") or signals.get("inbound") or signals.get("sector")):
            continue  # a market needs at least one reported tie to be a candidate
        indicators = []
        for name in DEFAULT_WEIGHTS:
            found = signals.get(name, [])
            scale = 8.0 if name == "partner_clusters" else 2.0
            value = 1 - math.exp(-len(found) / scale) if (found or name != "ecosystem") else None
            indicators.append(Indicator(name, value, f"{len(found)} {LABELS[name].lower()}", found[:8]))
        items.append(Scored(country, {"id": country, "country": country, "name": country}, indicators))
    ranked = rank(items, weights)
    return {
        "question": "which markets first",
        "alliance": host.to_json(),
        "members": sorted(
            ({"id": m, "name": kb.name(m), "country": kb.country_of(m)} for m in members), key=lambda x: x["name"]
        ),
        "sector": sector,
        "weights": weights,
        "count": len(ranked),
        "results": [i.to_json(weights, LABELS) for i in ranked[:limit]],
    }
