"""Which markets first? Target countries ranked for a cluster alliance and a sector, with the reasons."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bioatlas.match.bits import first_bits
from bioatlas.match.knowledge import Evidence, KbEvent, KbFigure, Knowledge
from bioatlas.match.pathway import find_named
from bioatlas.match.ranking import Indicator, Scored, rank
from bioatlas.sectors import expand_sectors, sector_bits, sectors_mask, sectors_said

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
    for ev in kb.events_of([alliance_id], roles=("members",)):
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


# An alliance first, then a cluster or any organisation asking for itself (its own partnerships and landings).
ASKER_TYPES = ("alliance", "cluster", "park", "agency", "research", "company", "investor", "place")
SIZE_UNITS = {"companies", "members", "researchers", "people", "jobs", "m2", "hectares"}
BODY_TYPES = ("cluster", "agency", "park")
ECOSYSTEM_TYPES = {"place", "park", "cluster", "research", "agency"}  # a company's own headcount is not an ecosystem


def member_regions(kb: Knowledge, members: set[str]) -> set[str]:
    """The places the members stand for, and everything in them: a member's place, and the region above it when
    that place is a city (BioWin sits in Wallonia, Lyonbiopôle in Lyon, so Auvergne-Rhône-Alpes)."""
    regions: set[str] = set()
    for m in members:
        ent = kb.entities.get(m)
        place = kb.entities.get(ent.place) if ent is not None and ent.place else None
        if place is None:
            continue
        regions.add(place.id)
        parent = kb.entities.get(place.place) if place.place else None
        kind = place.row.data.get("kind") if place.row else None
        parent_kind = parent.row.data.get("kind") if parent is not None and parent.row else None
        if parent is not None and kind in ("city", "district") and parent_kind == "region":
            regions.add(parent.id)
    return {i for r in regions for i in kb.inside(r)}


def is_ecosystem_figure(kb: Knowledge, fig: KbFigure) -> bool:
    """A size (companies, people, researchers, floor area, land, funding) of a place, park, cluster or institute,
    in a sentence that names it: not any number of any sentence."""
    subject = kb.entities.get(fig.entity_id)
    if subject is None or subject.type not in ECOSYSTEM_TYPES:
        return False
    sized = fig.unit in SIZE_UNITS or (len(fig.unit) == 3 and fig.unit.isupper() and fig.what.startswith("funding"))
    return sized and kb.mentioned_in(fig.evidence.label, fig.entity_id)


def _ecosystem_figures(kb: Knowledge) -> dict[str, list[Evidence]]:
    """The evidence of every ecosystem figure by country, in kb order (the same for every alliance: kept with the
    kb; read-only)."""
    out: dict[str, list[Evidence]] = defaultdict(list)
    for fig in kb.figures:
        if (country := kb.country_of(fig.entity_id)) and is_ecosystem_figure(kb, fig):
            out[country].append(fig.evidence)
    return dict(out)


def _inbound(kb: Knowledge) -> dict[str, dict[str, list[tuple[int, Evidence]]]]:
    """Place -> country -> (event position, report) for each landing or expansion located there of a company (or
    from an origin) of that country, with the event's first report naming the arrivals; events no report of which
    names them are left out. Kept with the kb: an alliance only gathers the places of its regions."""
    out: dict[str, dict[str, list[tuple[int, Evidence]]]] = defaultdict(lambda: defaultdict(list))
    countries = _countries_of_events(kb)
    for position, ev in enumerate(kb.events):
        locations = set(ev.roles.get("location", []))
        if ev.type not in ("landing", "expansion") or not locations:
            continue
        for country, theirs in countries[id(ev)].items():
            arriving = {c for c in ev.roles.get("company", []) if kb.country_of(c) == country}
            if arriving or theirs & set(ev.roles.get("origin", [])):
                for report in _first_naming(kb, ev, arriving or theirs):
                    for place in locations:
                        out[place][country].append((position, report))
    return {place: dict(by_country) for place, by_country in out.items()}


def _sector_reports(kb: Knowledge) -> dict[str, tuple[list[list[tuple[Evidence, int]]], dict[str, int]]]:
    """Country -> (its events with a report naming a participant from there and using a sector's words: for each,
    those reports with their sectors as bits; sector -> bit i set when event i has such a report). Kept with the kb,
    so a question with a sector weighs every event of the kb without reading them again."""
    bits = sector_bits()
    out: dict[str, tuple[list[list[tuple[Evidence, int]]], dict[str, int]]] = {}
    countries = _countries_of_events(kb)
    for ev in kb.events:
        said = [(r, sectors) for r in ev.reports if (sectors := sectors_said(r.label))]
        if not said:
            continue
        for country, theirs in countries[id(ev)].items():
            naming = [(r, sectors) for r, sectors in said if any(kb.mentioned_in(r.label, i) for i in theirs)]
            if not naming:
                continue
            country_events, masks = out.setdefault(country, ([], {}))
            row = len(country_events)
            reports = []
            for r, sectors in naming:
                mask = 0
                for sid in sectors:
                    mask |= bits.get(sid, 0)
                    masks[sid] = masks.get(sid, 0) | (1 << row)
                reports.append((r, mask))
            country_events.append(reports)
    return out


def _countries_of_events(kb: Knowledge) -> dict[int, dict[str, set[str]]]:
    """For each event (by id()), the countries of its participants and who is from each (kept with the kb)."""

    def build() -> dict[int, dict[str, set[str]]]:
        out: dict[int, dict[str, set[str]]] = {}
        for ev in kb.events:
            by_country: dict[str, set[str]] = defaultdict(set)
            for i in {i for v in ev.roles.values() for i in v}:
                if country := kb.country_of(i):
                    by_country[country].add(i)
            out[id(ev)] = dict(by_country)
        return out

    return kb.once("markets.event_countries", build)


def _position(kb: Knowledge) -> Callable[[KbEvent], int]:
    positions = kb.once("markets.event_positions", lambda: {id(e): p for p, e in enumerate(kb.events)})
    return lambda ev: positions[id(ev)]


def _naming(kb: Knowledge, reports: list[Evidence], ids: set[str]) -> list[Evidence]:
    """The reports that name one of `ids` (the sentence must be about them, not only share an event with them)."""
    return [r for r in reports if any(kb.mentioned_in(r.label, i) for i in ids)]


def _first_naming(kb: Knowledge, ev: KbEvent, ids: set[str]) -> list[Evidence]:
    """The event's first report naming one of `ids`, if any; kept with the kb (alliances of one region ask about
    the same events)."""
    kept: dict[tuple[int, frozenset[str]], list[Evidence]] = kb.once("markets.first_naming", dict)
    key = (id(ev), frozenset(ids))
    if key not in kept:
        kept[key] = _naming(kb, ev.reports, ids)[:1]
    return kept[key]


def prepare(kb: Knowledge) -> None:
    """What every markets question reads, worked out once per loaded kb."""
    _countries_of_events(kb)
    kb.once("markets.inbound", lambda: _inbound(kb))
    kb.once("markets.sector_reports", lambda: _sector_reports(kb))
    kb.once("markets.ecosystem_figures", lambda: _ecosystem_figures(kb))


def markets(
    kb: Knowledge, alliance: str, sector: str | None = None, weights: dict[str, float] | None = None, limit: int = 15
) -> dict[str, Any]:
    host = find_named(kb, alliance, ASKER_TYPES, "alliance, cluster or organisation")
    weights = weights or dict(DEFAULT_WEIGHTS)
    members = alliance_members(kb, host.id) if host.type == "alliance" else {host.id}
    if not members:
        raise LookupError(f"no members of {host.name} are known: ingest reports of its partnership first")
    home_countries = {kb.country_of(m) for m in members} - {None}
    alliance_side = members | {host.id}
    regions = member_regions(kb, members) | alliance_side
    per_country: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    # partnerships of the alliance's side with someone from there
    countries = _countries_of_events(kb)
    for ev in sorted({id(ev): ev for ev in kb.events_of(alliance_side)}.values(), key=_position(kb)):
        partners = {i for v in ev.roles.values() for i in v} & alliance_side if ev.type == "partnership" else set()
        if partners:
            for country in countries[id(ev)]:
                if country not in home_countries:
                    per_country[country]["partnerships"] += _first_naming(kb, ev, partners)
    # companies from there landing in the alliance's regions (each event once, however many of its places count)
    arrivals: dict[str, dict[int, Evidence]] = defaultdict(dict)
    landings = kb.once("markets.inbound", lambda: _inbound(kb))
    for place in regions:
        for country, landed in landings.get(place, {}).items():
            if country not in home_countries:
                for position, report in landed:
                    arrivals[country].setdefault(position, report)
    for country, by_position in arrivals.items():
        per_country[country]["inbound"] = [by_position[p] for p in sorted(by_position)]
    sector_counts: dict[str, int] = {}
    if sector:  # a sector report can tie any country: every event, from the index kept with the kb
        wanted = sectors_mask(expand_sectors({sector}))
        for country, (country_events, masks) in kb.once("markets.sector_reports", lambda: _sector_reports(kb)).items():
            if country in home_countries:
                continue
            hits = 0
            for sid, mask in masks.items():
                if wanted & sector_bits()[sid]:
                    hits |= mask
            if hits:  # counted over every event; the first ones cited
                sector_counts[country] = hits.bit_count()
                per_country[country]["sector"] = [
                    next(r for r, m in country_events[row] if m & wanted) for row in first_bits(hits, 8)
                ]
    for ent in kb.once("markets.bodies", lambda: [e for e in kb.entities.values() if e.type in BODY_TYPES]):
        if ent.country and ent.country not in home_countries and ent.row and ent.type in ("cluster", "agency", "park"):
            if not sector or not ent.sectors or expand_sectors({sector}) & expand_sectors(ent.sectors):
                per_country[ent.country]["partner_clusters"].append(
                    Evidence("reference", f"{ent.name} ({ent.type})", reference=ent.row.source)
                )
    for fig_country, figures in kb.once("markets.ecosystem_figures", lambda: _ecosystem_figures(kb)).items():
        if fig_country not in home_countries:
            per_country[fig_country]["ecosystem"] = figures
    items = []
    for country, signals in per_country.items():
        if not (signals.get("partnerships") or signals.get("inbound") or signals.get("sector")):
            continue  # a market needs at least one reported tie to be a candidate
        indicators = []
        for name in DEFAULT_WEIGHTS:
            found = signals.get(name, [])
            n = sector_counts.get(country, 0) if name == "sector" else len(found)
            scale = 8.0 if name == "partner_clusters" else 2.0
            value = 1 - math.exp(-n / scale) if (found or name != "ecosystem") else None
            indicators.append(
                Indicator(name, value, f"{n} {LABELS[name].lower()}", found[:8], code=f"count_{name}", values={"n": n})
            )
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
