"""Where should we land? Locations ranked for a company's sectors, stage, origin and needs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bioatlas.geo import Link
from bioatlas.match.bits import first_bits
from bioatlas.match.knowledge import Evidence, KbEntity, Knowledge
from bioatlas.match.ranking import Indicator, Scored, parse_weights, rank
from bioatlas.match.services import evidence_key, who_offers
from bioatlas.sectors import expand_sectors, sector_tree, sectors_match, sectors_said

STAGES = ("discovery", "preclinical", "clinical", "manufacturing", "market")
STAGE_SERVICES = {
    "discovery": {"rd-support", "wet-lab", "incubation"},
    "preclinical": {"preclinical", "wet-lab"},
    "clinical": {"clinical-trials", "regulatory"},
    "manufacturing": {"gmp-production"},
    "market": {"regulatory"},
}
NEED_SERVICES = {
    "gmp": "gmp-production",
    "gmp-production": "gmp-production",
    "production": "gmp-production",
    "clinical-trials": "clinical-trials",
    "clinical": "clinical-trials",
    "wet-lab": "wet-lab",
    "lab-space": "wet-lab",
    "lab": "wet-lab",
    "incubation": "incubation",
    "funding": "funding",
    "talent": "talent",
    "regulatory": "regulatory",
    "preclinical": "preclinical",
    "rd": "rd-support",
    "rd-support": "rd-support",
    "soft-landing": "soft-landing",
}
MARKET_NEEDS = {
    "eu-market": "eu",
    "eu": "eu",
    "cn-market": "cn",
    "china-market": "cn",
    "cn": "cn",
    "us-market": "us",
    "us": "us",
    "asean-market": "asean",
    "asean": "asean",
}
DEFAULT_WEIGHTS = {
    "sector": 1.0,
    "ecosystem": 1.0,
    "track_record": 1.0,
    "services": 1.0,
    "support": 1.0,
    "market_access": 1.0,
}
LABELS = {
    "sector": "Sector specialisation",
    "ecosystem": "Ecosystem size",
    "track_record": "Track record of landings",
    "services": "Services for your stage and needs",
    "support": "Support bodies and soft landing",
    "market_access": "Access to your target markets",
}
LOCATION_TYPES = {"park", "cluster"}
PLACE_KINDS = {"city", "region", "district"}
SUPPORT_TYPES = ("agency", "cluster", "park")
ECOSYSTEM_TYPES = ("place", "park", "cluster", "research")  # what a place's ecosystem figures may be about
NOT_WHERE_ROLES = ("origin",)  # where a company comes from is not where the event happened


@dataclass(slots=True)
class CompanyProfile:
    sectors: set[str] = field(default_factory=set)
    stage: str | None = None
    origin: str | None = None  # ISO country code
    needs: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    include_origin: bool = False  # rank places in the origin country too (left out by default)

    def required_services(self) -> set[str]:
        wanted = set(STAGE_SERVICES.get(self.stage or "", set()))
        wanted |= {NEED_SERVICES[n] for n in self.needs if n in NEED_SERVICES}
        return wanted

    def markets(self) -> set[str]:
        return {MARKET_NEEDS[n] for n in self.needs if n in MARKET_NEEDS}

    def validate(self) -> None:
        tree = sector_tree()
        unknown = sorted(s for s in self.sectors if s not in tree)
        if unknown:
            raise ValueError(f"unknown sector(s) {', '.join(unknown)}; see data/reference/sectors.csv")
        if self.stage and self.stage not in STAGES:
            raise ValueError(f"unknown stage {self.stage!r}; choose from {', '.join(STAGES)}")
        odd = sorted(n for n in self.needs if n not in NEED_SERVICES and n not in MARKET_NEEDS)
        if odd:
            known = sorted(set(NEED_SERVICES) | set(MARKET_NEEDS))
            raise ValueError(f"unknown need(s) {', '.join(odd)}; choose from {', '.join(known)}")


def is_network(kb: Knowledge, ent: KbEntity) -> bool:
    """A cluster or association serving a whole country or more (BIO, BIO Deutschland): a network, not a place to
    land in. Its area is its `covers` (or `place`) in organisations.csv."""
    area = kb.geo.area_of(ent.id)
    if area is None:
        return False
    return kb.geo.kind.get(area) == "country" or kb.geo.is_area(area) or kb.geo.country_place(ent.country) == area


def is_location(kb: Knowledge, ent: KbEntity) -> bool:
    """Parks, clusters below country level, and places (cities, districts, regions; or known only from
    documents). Never agencies, associations or companies; never a country or a multi-country area."""
    if ent.type == "park":
        return True
    if ent.type == "cluster":
        return not is_network(kb, ent)
    if ent.type != "place":
        return False
    if ent.row is None:
        return True
    return bool(ent.country) and ent.row.data.get("kind") in PLACE_KINDS


def where_of(kb: Knowledge, event: Any) -> set[str]:
    """Where an event happened: its locations, and the places, parks and clusters taking part (not its origin)."""
    where = set(event.roles.get("location", []))
    for role, ids in event.roles.items():
        if role not in NOT_WHERE_ROLES:
            where.update(i for i in ids if i in kb.entities and kb.entities[i].type in ("place", "park", "cluster"))
    return where


def events_by_area(kb: Knowledge) -> dict[str, list[Any]]:
    """Each event under every place, park or area that contains where it happened (Liège's landing counts for
    Liège, Wallonia, Belgium and the EU), once."""
    out: dict[str, list[Any]] = {}
    for event in kb.events:
        areas: set[str] = set()
        for w in where_of(kb, event):
            areas.add(w)
            areas.update(kb.geo.ancestors(w))
        for area in areas:
            out.setdefault(area, []).append(event)
    return out


def candidate_locations(kb: Knowledge, by_area: dict[str, list[Any]] | None = None) -> list[KbEntity]:
    """Parks, clusters and places the kb knows something about (an event or a figure inside them)."""
    by_area = events_by_area(kb) if by_area is None else by_area
    with_figures = {
        a
        for f in kb.figures
        if f.entity_id in kb.entities and kb.entities[f.entity_id].type in ECOSYSTEM_TYPES
        for a in (f.entity_id, *kb.geo.ancestors(f.entity_id))
    }
    return [
        ent for ent in kb.entities.values() if is_location(kb, ent) and (ent.id in by_area or ent.id in with_figures)
    ]


@dataclass(slots=True)
class LocationFacts:
    """What the kb says about one candidate location whatever the question, worked out once per loaded kb; a
    question only weighs it (`rank_locations`). Everything a land answer cites comes from here."""

    ent: KbEntity
    subject: dict[str, Any]
    sector_refs: list[tuple[frozenset[str], Evidence]]  # organisations inside with a sector focus (reference rows)
    offered: frozenset[str]  # the sectors of those organisations
    sector_reports: list[Evidence]  # reports of events there that name a sector, in kb order
    sector_masks: dict[str, int]  # sector -> bit i set when sector_reports[i] uses one of its words
    ecosystem: Indicator
    events: int
    landings: int
    landing_origins: dict[str, int]  # country -> landings with a company or origin from it
    landing_sectors: dict[frozenset[str], int]  # the sectors of a landing's companies -> landings
    track_evidence: list[Evidence]
    services: dict[str, list[Evidence]]  # service -> the first sentences or rows showing it (two at most)
    services_listed: bool  # some organisation there has a reference row listing services
    support: Indicator


EVIDENCE_KEPT = 12  # what an indicator shows (`Scored.to_json`)


def location_facts(kb: Knowledge, ent: KbEntity, events: list[Any]) -> LocationFacts:
    """The facts of one location: what lies inside it (`Knowledge.inside`), the events there (`events_by_area`)
    and the bodies serving it (`serving_bodies`)."""
    scope = kb.inside(ent.id)
    bodies = serving_bodies(kb, ent)
    sector_refs: list[tuple[frozenset[str], Evidence]] = []
    offered: set[str] = set()
    for eid in sorted(scope):
        other = kb.entities.get(eid)
        if other and other.row and other.sectors and other.type in ("park", "cluster", "agency", "research"):
            offered |= other.sectors
            sector_refs.append(
                (frozenset(other.sectors), Evidence("reference", other.name, reference=other.row.source))
            )
    reports: list[Evidence] = []
    masks: dict[str, int] = {}
    for ev in events:
        for report in ev.reports:
            said = sectors_said(report.label)
            if said:
                for sid in said:
                    masks[sid] = masks.get(sid, 0) | (1 << len(reports))
                reports.append(report)
    landings = [e for e in events if e.type in ("landing", "expansion")]
    origins: dict[str, int] = {}
    landing_sectors: dict[frozenset[str], int] = {}
    track_evidence: list[Evidence] = []
    for ev in landings:
        companies = ev.roles.get("company", [])
        countries = {kb.country_of(o) for o in ev.roles.get("origin", [])} | {kb.country_of(c) for c in companies}
        for country in countries:
            if country:
                origins[country] = origins.get(country, 0) + 1
        sectors = frozenset(s for c in companies for s in _company_sectors(kb, c))
        landing_sectors[sectors] = landing_sectors.get(sectors, 0) + 1
        if len(track_evidence) < EVIDENCE_KEPT:
            track_evidence += ev.reports[:2]
    around = {b.id for b in bodies} - scope
    services: dict[str, list[Evidence]] = {}
    seen: set[tuple[str, Any]] = set()
    for offer in who_offers(kb, scope, around, None):
        found = services.setdefault(offer.service, [])
        key = (offer.service, evidence_key(offer.evidence))
        if len(found) < 2 and key not in seen:  # one sentence can name two providers
            seen.add(key)
            found.append(offer.evidence)
    listed = any(
        (other := kb.entities.get(eid)) is not None
        and other.row is not None
        and other.type != "place"
        and other.services
        for eid in scope | around
    )
    return LocationFacts(
        ent=ent,
        subject={
            **ent.to_json(),
            "country": kb.country_of(ent.id),
            "kind": ent.row.data.get("kind") if ent.row and ent.type == "place" else ent.type,
        },
        sector_refs=sector_refs,
        offered=frozenset(offered),
        sector_reports=reports,
        sector_masks=masks,
        ecosystem=_ecosystem_indicator(kb, scope, ent),
        events=len(events),
        landings=len(landings),
        landing_origins=origins,
        landing_sectors=landing_sectors,
        track_evidence=track_evidence[:EVIDENCE_KEPT],
        services=services,
        services_listed=listed,
        support=_support_indicator(kb, ent, events, bodies),
    )


def all_location_facts(kb: Knowledge) -> list[LocationFacts]:
    """The facts of every candidate location, once per loaded kb (reloaded after every ingest, merge or undo)."""

    def build() -> list[LocationFacts]:
        by_area = kb.once("land.events_by_area", lambda: events_by_area(kb))
        candidates = kb.once("land.candidates", lambda: candidate_locations(kb, by_area))
        return [location_facts(kb, ent, by_area.get(ent.id, [])) for ent in candidates]

    return kb.once("land.facts", build)


def _sector_indicator(facts: LocationFacts, profile: CompanyProfile) -> Indicator:
    if not profile.sectors:
        return Indicator("sector", None, "no sector given", code="sector_not_given")
    evidence: list[Evidence] = []
    for sectors, ref in facts.sector_refs:
        hits = sectors_match(profile.sectors, set(sectors))
        if hits:
            label = f"{ref.label}: focus on {', '.join(sorted(hits))}"
            evidence.append(Evidence("reference", label, reference=ref.reference))
    mask = 0
    for sid in expand_sectors(profile.sectors):
        mask |= facts.sector_masks.get(sid, 0)
    text_hits = mask.bit_count()
    evidence += [facts.sector_reports[i] for i in first_bits(mask, 6)]
    if not facts.offered and not text_hits:
        return Indicator("sector", None, "no sector data for this location", code="sector_no_data")
    matched = sectors_match(profile.sectors, set(facts.offered))
    value = len(matched) / len(profile.sectors)
    value = min(1.0, value + 0.15 * min(text_hits, 2))
    return Indicator(
        "sector",
        value,
        f"{len(matched)}/{len(profile.sectors)} sectors in the focus of local organisations; "
        f"{text_hits} reports mention the sector",
        evidence,
        code="sector_focus",
        values={"matched": len(matched), "wanted": len(profile.sectors), "reports": text_hits},
    )


def _ecosystem_indicator(kb: Knowledge, scope: set[str], ent: KbEntity) -> Indicator:
    """Figures about the location itself and what lies inside it (its places, parks, clusters and research
    centres); never a company's own headcount, an agency's or an association's figures."""
    best: dict[str, tuple[float, Evidence]] = {}
    for fig in kb.figures_of(scope):
        subject = kb.entities.get(fig.entity_id)
        if subject is None or subject.type not in ECOSYSTEM_TYPES or fig.entity_id not in scope:
            continue
        if fig.unit in ("companies", "members", "researchers", "jobs", "people"):
            if fig.unit not in best or fig.value > best[fig.unit][0]:
                best[fig.unit] = (fig.value, fig.evidence)
    for eid in sorted(scope):
        other = kb.entities.get(eid)
        if other and other.row and other.type in ECOSYSTEM_TYPES:
            for column, unit in (("companies", "companies"), ("members", "members")):
                raw = other.row.data.get(column)
                if raw and raw.isdigit() and (unit not in best or float(raw) > best[unit][0]):
                    best[unit] = (
                        float(raw),
                        Evidence("reference", f"{other.name}: {raw} {unit}", reference=other.row.source),
                    )
    if not best:
        return Indicator("ecosystem", None, "no figures on companies, members or researchers", code="ecosystem_none")
    scale = {"companies": 1000, "members": 500, "researchers": 20000, "jobs": 20000, "people": 20000}
    values = [min(1.0, math.log10(1 + v) / math.log10(1 + scale[u])) for u, (v, _) in best.items()]
    detail = ", ".join(f"{int(v):,} {u}" for u, (v, _) in sorted(best.items()))
    figures = {u: int(v) for u, (v, _) in sorted(best.items())}
    return Indicator(
        "ecosystem", max(values), detail, [e for _, e in best.values()], code="ecosystem_figures", values=figures
    )


def _company_sectors(kb: Knowledge, company_id: str) -> set[str]:
    ent = kb.entities.get(company_id)
    return ent.sectors if ent else set()


def _track_indicator(facts: LocationFacts, profile: CompanyProfile) -> Indicator:
    if not facts.landings and not facts.events:
        return Indicator("track_record", None, "no reports about this location", code="track_none")
    same_origin = facts.landing_origins.get(profile.origin, 0) if profile.origin else 0
    same_sector = sum(n for sectors, n in facts.landing_sectors.items() if sectors_match(profile.sectors, set(sectors)))
    strength = facts.landings + 2 * same_origin + 2 * same_sector
    value = 1 - math.exp(-strength / 3)
    detail = (
        f"{facts.landings} landings or expansions reported; {same_origin} from {profile.origin or 'your country'},"
        f" {same_sector} in your sectors"
    )
    counts = {"landings": facts.landings, "same_origin": same_origin, "same_sector": same_sector}
    return Indicator(
        "track_record",
        value,
        detail,
        facts.track_evidence,
        code="track_record" if profile.origin else "track_record_no_origin",
        values={**counts, "origin": profile.origin},
    )


def serving_bodies(kb: Knowledge, ent: KbEntity, types: tuple[str, ...] = SUPPORT_TYPES) -> list[KbEntity]:
    """Organisations whose area contains the location, from the location itself up to its country: Walloon and
    Belgian bodies for Liège, never Flemish or Brussels-only ones; EU-wide or continental bodies serve every
    place alike and are left out. An organisation's area is its `covers` (else `place`) in organisations.csv."""
    country = kb.country_of(ent.id)
    home = kb.geo.country_place(country)
    levels = [ent.id, *(a for a in kb.geo.ancestors(ent.id) if not kb.geo.is_area(a))]
    if home in levels:
        levels = levels[: levels.index(home) + 1]
    out: dict[str, KbEntity] = {}
    for level in levels:
        for child in kb.geo.down.get(level, ()):
            other = kb.entities.get(child)
            if other is not None and other.type in types and kb.geo.area_of(child) == level:
                out.setdefault(child, other)
    for eid in kb.inside(ent.id):  # and everything inside the location itself (a park in Liège serves Liège)
        other = kb.entities.get(eid)
        if other is not None and other.type in types:
            out.setdefault(eid, other)
    return [out[k] for k in sorted(out)]


def _services_indicator(facts: LocationFacts, profile: CompanyProfile) -> Indicator:
    """Who offers the services asked for, inside the location or among the bodies serving it: the offers of
    `services.who_offers`, the same that `/pathway` lists (reference rows, and sentences naming the provider)."""
    wanted = profile.required_services()
    if not wanted:
        return Indicator("services", None, "no stage or needs given", code="services_not_given")
    covered = {s: facts.services[s] for s in sorted(wanted) if s in facts.services}
    if not covered and not facts.services_listed:
        return Indicator("services", None, "no service data for this location", code="services_no_data")
    value = len(covered) / len(wanted)
    missing = sorted(wanted - set(covered))
    detail = f"{len(covered)}/{len(wanted)} services found" + (f"; not found: {', '.join(missing)}" if missing else "")
    return Indicator(
        "services",
        value,
        detail,
        [e for s in sorted(covered) for e in covered[s][:2]],
        code="services_found",
        values={"found": len(covered), "wanted": len(wanted), "missing": missing},
    )


def _support_indicator(kb: Knowledge, ent: KbEntity, events: list[Any], bodies: list[KbEntity]) -> Indicator:
    support: dict[str, Evidence] = {}
    for other in bodies:
        helps = other.services & {"soft-landing", "funding"}
        if other.row is not None and helps:
            area = kb.geo.area_of(other.id)
            where = f" ({kb.name(area)})" if area and area != other.id else ""
            support[other.id] = Evidence(
                "reference", f"{other.name}{where}: {', '.join(sorted(helps))}", reference=other.row.source
            )
    for ev in events:
        if ev.type == "landing":
            for fac in ev.roles.get("facilitator", []):
                support.setdefault(fac, ev.reports[0])
    if not support:
        return Indicator("support", None, "no support body known", code="support_none")
    value = 1 - math.exp(-len(support) / 2)
    shown = sorted(support, key=kb.name)[:5]
    names = ", ".join(kb.name(b) for b in shown)
    return Indicator(
        "support",
        value,
        f"{len(support)} support bodies: {names}",
        list(support.values()),
        code="support_bodies",
        values={"n": len(support), "bodies": [{"id": b, "name": kb.name(b)} for b in shown]},
    )


def _market_indicator(kb: Knowledge, ent: KbEntity, profile: CompanyProfile) -> Indicator:
    """Access to a market comes from where the location is: Liège is in the EU because Liège ⊂ Wallonia ⊂
    Belgium ⊂ EU (each step a places.csv row). An organisation's offer never puts a place in a market."""
    markets = profile.markets()
    if not markets:
        return Indicator("market_access", None, "no target market given", code="market_not_given")
    if not kb.country_of(ent.id):
        return Indicator("market_access", None, "country unknown", code="market_country_unknown")
    reached: dict[str, list[Evidence]] = {}
    for market in sorted(markets):
        chain = kb.geo.in_market(ent.id, market)
        if chain is not None:
            own = Evidence("reference", f"{ent.name}: {market.upper()}", reference=ent.row.source if ent.row else None)
            reached[market] = [link_evidence(kb, link) for link in chain] or [own]
    value = len(reached) / len(markets)
    return Indicator(
        "market_access",
        value,
        f"{len(reached)}/{len(markets)} target markets: " + ", ".join(sorted(reached))
        if reached
        else "none of your target markets",
        [e for m in sorted(reached) for e in reached[m]],
        code="market_reached" if reached else "market_none_reached",
        values={"reached": len(reached), "wanted": len(markets), "markets": sorted(reached)},
    )


def link_evidence(kb: Knowledge, link: Link) -> Evidence:
    """'Liège is in Wallonia', citing the row (or the report) that says so."""
    label = f"{kb.name(link.child)} is in {kb.name(link.parent)}"
    if link.reference.startswith("document:"):
        return Evidence("document", label, document_id=link.reference.split(":", 1)[1])
    return Evidence("reference", label, reference=link.reference)


def _excluded(kb: Knowledge, ent: KbEntity, profile: CompanyProfile) -> str | None:
    """Why a location is left out of the ranking: in the origin country (unless asked for), or outside every
    target market (a company needing the EU gets EU places only)."""
    if profile.origin and not profile.include_origin and kb.country_of(ent.id) == profile.origin:
        return "origin"
    markets = profile.markets()
    if markets and all(kb.geo.in_market(ent.id, m) is None for m in markets):
        return "outside_markets"
    return None


def rank_locations(
    kb: Knowledge, profile: CompanyProfile, weights: dict[str, float] | None = None, limit: int = 20
) -> dict[str, Any]:
    """Parks, clusters and places ranked for the company; each indicator counts only what lies inside the
    location (events there, figures about it and what is in it), support bodies are those serving it, and the
    origin country and places outside the target markets are left out (listed under `excluded`)."""
    profile.validate()
    weights = weights or dict(DEFAULT_WEIGHTS)
    items = []
    excluded: dict[str, list[str]] = {"origin": [], "outside_markets": []}
    for facts in all_location_facts(kb):
        reason = _excluded(kb, facts.ent, profile)
        if reason:
            excluded[reason].append(facts.ent.id)
            continue
        indicators = [
            _sector_indicator(facts, profile),
            facts.ecosystem,
            _track_indicator(facts, profile),
            _services_indicator(facts, profile),
            facts.support,
            _market_indicator(kb, facts.ent, profile),
        ]
        items.append(Scored(facts.ent.id, facts.subject, indicators))
    ranked = rank(items, weights)
    return {
        "question": "where to land",
        "profile": {
            "sectors": sorted(profile.sectors),
            "stage": profile.stage,
            "origin": profile.origin,
            "needs": sorted(profile.needs),
            "include_origin": profile.include_origin,
        },
        "weights": weights,
        "method": "weighted mean of the indicators with data, times (0.5 + 0.5 x share of weight with data); "
        "rank_range: best and worst rank when every weight moves by ±25%",
        "excluded": [
            {
                "reason": reason,
                **({"country": profile.origin} if reason == "origin" else {"markets": sorted(profile.markets())}),
                "count": len(ids),
                "names": sorted(kb.name(i) for i in ids)[:20],
            }
            for reason, ids in excluded.items()
            if ids
        ],
        "count": len(ranked),
        "results": [item.to_json(weights, LABELS) for item in ranked[:limit]],
    }


def profile_from_args(
    sectors: str | None,
    stage: str | None,
    origin: str | None,
    needs: str | None,
    include_origin: bool = False,
) -> CompanyProfile:
    split = lambda text: {p.strip().lower() for p in (text or "").split(",") if p.strip()}  # noqa: E731
    return CompanyProfile(
        sectors=split(sectors),
        stage=(stage or None),
        origin=(origin or "").upper() or None,
        needs=split(needs),
        include_origin=include_origin,
    )


__all__ = ["DEFAULT_WEIGHTS", "CompanyProfile", "parse_weights", "profile_from_args", "rank_locations"]
