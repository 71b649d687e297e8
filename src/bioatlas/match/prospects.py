"""Whom should we court? Companies ranked for a park, cluster or agency by fit and by signs of expansion."""

from __future__ import annotations

import math
from typing import Any

from bioatlas.match.knowledge import Evidence, Knowledge
from bioatlas.match.pathway import find_location
from bioatlas.match.ranking import Indicator, Scored, rank
from bioatlas.sectors import expand_sectors, sector_tree, sectors_match

DEFAULT_WEIGHTS = {"fit": 1.0, "funding": 1.0, "expansion": 1.0, "ties": 1.0}
LABELS = {
    "fit": "Fit with your focus sectors",
    "funding": "Recent funding",
    "expansion": "Landings and expansions elsewhere",
    "ties": "Ties with your region",
}


def _keywords(sectors: set[str]) -> set[str]:
    tree = sector_tree()
    return {k for s in expand_sectors(sectors) for k in tree.get(s, {}).get("keywords", [])}


def prospects(
    kb: Knowledge, for_name: str, weights: dict[str, float] | None = None, limit: int = 50, since: str | None = None
) -> dict[str, Any]:
    host = find_location(kb, for_name)
    weights = weights or dict(DEFAULT_WEIGHTS)
    home = {host.id} | set(kb.ancestors(host.id)) | kb.scope(host.id)
    home_country = host.country
    focus = set(host.sectors)
    for place in kb.ancestors(host.id):
        for org in kb.located.get(place, ()):
            if org == host.id:
                focus |= kb.entities[org].sectors
    words = _keywords(focus)
    by_company: dict[str, list[Any]] = {}
    for ev in kb.events:
        if since and ev.date and ev.date < since:
            continue
        for role in ("company", "members", "target", "acquirer", "visitor"):
            for cid in ev.roles.get(role, []):
                ent = kb.entities.get(cid)
                if ent is not None and ent.type == "company":
                    by_company.setdefault(cid, []).append(ev)
    items = []
    for cid, events in by_company.items():
        ent = kb.entities[cid]
        already_here = any(
            ev.type in ("landing", "expansion") and home & set(ev.roles.get("location", [])) for ev in events
        )
        if ent.id in home or already_here:
            continue  # already a tenant or member: not a prospect
        if focus:
            matched = sectors_match(ent.sectors, focus) if ent.sectors else set()
            text_hits = [r for ev in events for r in ev.reports if any(w in r.label.lower() for w in words)]
            if ent.sectors or text_hits:
                value = (1.0 if matched else 0.0) * 0.7 + min(len(text_hits), 3) * 0.1
                fit = Indicator(
                    "fit",
                    min(1.0, value),
                    f"sectors in common: {', '.join(sorted(matched)) or 'none'}; "
                    f"{len(text_hits)} reports in your sectors",
                    (
                        [
                            Evidence(
                                "reference", f"{ent.name}: {', '.join(sorted(ent.sectors))}", reference=ent.row.source
                            )
                        ]
                        if ent.row
                        else []
                    )
                    + text_hits[:3],
                )
            else:
                fit = Indicator("fit", None, "the company's sectors are unknown")
        else:
            fit = Indicator("fit", None, f"{host.name} has no focus sectors on record")
        funding = [ev for ev in events if ev.type == "funding"]
        moves = [ev for ev in events if ev.type in ("landing", "expansion")]
        ties = [
            ev
            for ev in events
            if any(home & set(ids) for ids in ev.roles.values())
            or (
                home_country
                and any(kb.country_of(i) == home_country for ids in ev.roles.values() for i in ids if i != cid)
            )
        ]
        raised = [f"{ev.amount:,.0f} {ev.currency}" for ev in funding if ev.amount]
        indicators = [
            fit,
            Indicator(
                "funding",
                1 - math.exp(-len(funding)),
                f"{len(funding)} funding events" + (f" ({', '.join(raised)})" if raised else ""),
                [r for ev in funding for r in ev.reports[:1]],
            ),
            Indicator(
                "expansion",
                1 - math.exp(-len(moves)),
                f"{len(moves)} landings or expansions",
                [r for ev in moves for r in ev.reports[:1]],
            ),
            Indicator(
                "ties",
                1 - math.exp(-len(ties)),
                f"{len(ties)} events with your region or country",
                [r for ev in ties for r in ev.reports[:1]],
            ),
        ]
        if not any(i.evidence for i in indicators):
            continue  # no signal worth a call
        items.append(Scored(cid, {**ent.to_json(), "events": len(events)}, indicators))
    ranked = rank(items, weights)
    return {
        "question": "whom to court",
        "for": host.to_json(),
        "focus_sectors": sorted(focus),
        "weights": weights,
        "count": len(ranked),
        "results": [i.to_json(weights, LABELS) for i in ranked[:limit]],
    }


def prospects_csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat rows for an agency's CRM: one per company, with the reasons and the source of each."""
    rows = []
    for r in result["results"]:
        evidence = [e for i in r["indicators"] for e in i["evidence"]]
        rows.append(
            {
                "rank": r["rank"],
                "company": r["name"],
                "country": r["country"] or "",
                "score": r["score"],
                "fit": next(i["detail"] for i in r["indicators"] if i["name"] == "fit"),
                "funding": next(i["detail"] for i in r["indicators"] if i["name"] == "funding"),
                "expansion": next(i["detail"] for i in r["indicators"] if i["name"] == "expansion"),
                "ties": next(i["detail"] for i in r["indicators"] if i["name"] == "ties"),
                "sources": " | ".join(sorted({e.get("source") or e.get("reference") or "" for e in evidence} - {""})),
                "kb_id": r["id"],
            }
        )
    return rows
