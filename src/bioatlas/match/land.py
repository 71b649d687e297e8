"""Where should we land? Locations ranked for a company's sectors, stage, origin and needs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bioatlas.match.knowledge import MARKET_COUNTRIES, Evidence, KbEntity, Knowledge
from bioatlas.match.ranking import Indicator, Scored, parse_weights, rank
from bioatlas.sectors import expand_sectors, sector_tree, sectors_match

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
# Words that show a service in a report's sentence, in every language the sources use.
SERVICE_WORDS = {
    "clinical-trials": (
        "clinical trial",
        "clinical stud",
        "essai clinique",
        "essais cliniques",
        "klinische studie",
        "klinische prüfung",
        "临床试验",
        "臨床試驗",
        "臨床試験",
        "임상",
    ),
    "gmp-production": ("gmp", "manufacturing", "production", "produktion", "productie", "生产", "生產", "製造", "생산"),
    "wet-lab": ("laboratory", "lab space", "wet lab", "laboratoire", "labor", "实验室", "實驗室", "ラボ", "연구실"),
    "rd-support": ("r&d", "research", "recherche", "forschung", "onderzoek", "研发", "研發", "研究", "연구"),
    "incubation": ("incubator", "incubateur", "inkubator", "孵化", "インキュベー", "인큐베이"),
    "regulatory": ("regulatory", "réglementaire", "zulassung", "注册", "註冊", "承認", "인허가"),
    "preclinical": ("preclinical", "préclinique", "präklinisch", "临床前", "臨床前", "前臨床", "전임상"),
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


@dataclass(slots=True)
class CompanyProfile:
    sectors: set[str] = field(default_factory=set)
    stage: str | None = None
    origin: str | None = None  # ISO country code
    needs: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)

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


def candidate_locations(kb: Knowledge) -> list[KbEntity]:
    """Parks, clusters and places (cities, regions) the kb knows something about."""
    active: set[str] = set()
    for event in kb.events:
        for role in ("location", "subject", "host"):
            active.update(event.roles.get(role, []))
    active.update(f.entity_id for f in kb.figures)
    out = []
    for ent in kb.entities.values():
        if (
            ent.type in LOCATION_TYPES
            or (ent.type == "place" and (ent.row is None or (ent.country and ent.row.data.get("kind") in PLACE_KINDS)))
        ) and (ent.id in active or (ent.type == "place" and any(o in active for o in kb.scope(ent.id)))):
            out.append(ent)
    return out


def _sector_indicator(kb: Knowledge, scope: set[str], profile: CompanyProfile, events: list[Any]) -> Indicator:
    if not profile.sectors:
        return Indicator("sector", None, "no sector given")
    offered: set[str] = set()
    evidence: list[Evidence] = []
    for eid in sorted(scope):
        ent = kb.entities.get(eid)
        if ent and ent.row and ent.sectors and ent.type in ("park", "cluster", "agency", "research"):
            hits = sectors_match(profile.sectors, ent.sectors)
            offered |= ent.sectors
            if hits:
                evidence.append(
                    Evidence("reference", f"{ent.name}: focus on {', '.join(sorted(hits))}", reference=ent.row.source)
                )
    words = {k for s in expand_sectors(profile.sectors) for k in sector_tree().get(s, {}).get("keywords", [])}
    text_hits = [r for ev in events for r in ev.reports if any(w in r.label.lower() for w in words)]
    evidence += text_hits[:6]
    if not offered and not text_hits:
        return Indicator("sector", None, "no sector data for this location")
    matched = sectors_match(profile.sectors, offered)
    value = len(matched) / len(profile.sectors)
    value = min(1.0, value + 0.15 * min(len(text_hits), 2))
    return Indicator(
        "sector",
        value,
        f"{len(matched)}/{len(profile.sectors)} sectors in the focus of local organisations; "
        f"{len(text_hits)} reports mention the sector",
        evidence,
    )


def _ecosystem_indicator(kb: Knowledge, scope: set[str], ent: KbEntity) -> Indicator:
    best: dict[str, tuple[float, Evidence]] = {}
    for fig in kb.figures:
        subject = kb.entities.get(fig.entity_id)
        if subject is None or subject.type in ("company", "person", "investor"):
            continue  # a company's own headcount says nothing about the place's ecosystem
        if fig.entity_id in scope and fig.unit in ("companies", "members", "researchers", "jobs", "people"):
            if fig.unit not in best or fig.value > best[fig.unit][0]:
                best[fig.unit] = (fig.value, fig.evidence)
    for eid in sorted(scope):
        other = kb.entities.get(eid)
        if other and other.row:
            for column, unit in (("companies", "companies"), ("members", "members")):
                raw = other.row.data.get(column)
                if raw and raw.isdigit() and (unit not in best or float(raw) > best[unit][0]):
                    best[unit] = (
                        float(raw),
                        Evidence("reference", f"{other.name}: {raw} {unit}", reference=other.row.source),
                    )
    if not best:
        return Indicator("ecosystem", None, "no figures on companies, members or researchers")
    scale = {"companies": 1000, "members": 500, "researchers": 20000, "jobs": 20000, "people": 20000}
    values = [min(1.0, math.log10(1 + v) / math.log10(1 + scale[u])) for u, (v, _) in best.items()]
    detail = ", ".join(f"{int(v):,} {u}" for u, (v, _) in sorted(best.items()))
    return Indicator("ecosystem", max(values), detail, [e for _, e in best.values()])


def _company_sectors(kb: Knowledge, company_id: str) -> set[str]:
    ent = kb.entities.get(company_id)
    return ent.sectors if ent else set()


def _track_indicator(kb: Knowledge, scope: set[str], profile: CompanyProfile, events: list[Any]) -> Indicator:
    landings = [e for e in events if e.type in ("landing", "expansion") and scope & set(e.roles.get("location", []))]
    if not landings and not events:
        return Indicator("track_record", None, "no reports about this location")
    same_origin = same_sector = 0
    evidence: list[Evidence] = []
    for ev in landings:
        companies = ev.roles.get("company", [])
        origins = {kb.country_of(o) for o in ev.roles.get("origin", [])} | {kb.country_of(c) for c in companies}
        if profile.origin and profile.origin in origins:
            same_origin += 1
        if any(sectors_match(profile.sectors, _company_sectors(kb, c)) for c in companies):
            same_sector += 1
        evidence += ev.reports[:2]
    strength = len(landings) + 2 * same_origin + 2 * same_sector
    value = 1 - math.exp(-strength / 3)
    detail = (
        f"{len(landings)} landings or expansions reported; {same_origin} from {profile.origin or 'your country'},"
        f" {same_sector} in your sectors"
    )
    return Indicator("track_record", value, detail, evidence)


def _services_indicator(
    kb: Knowledge, scope: set[str], profile: CompanyProfile, events: list[Any], ancestors: list[str]
) -> Indicator:
    wanted = profile.required_services()
    if not wanted:
        return Indicator("services", None, "no stage or needs given")
    covered: dict[str, list[Evidence]] = {}
    has_data = False
    for eid in sorted(scope | set(ancestors)):
        ent = kb.entities.get(eid)
        if ent and ent.row and ent.type != "place" and ent.services:
            has_data = True
            for service in wanted & ent.services:
                covered.setdefault(service, []).append(
                    Evidence("reference", f"{ent.name} offers {service}", reference=ent.row.source)
                )
    for ev in events:
        for report in ev.reports:
            text = report.label.lower()
            for service in wanted:
                if any(w in text for w in SERVICE_WORDS.get(service, ())):
                    has_data = True
                    covered.setdefault(service, []).append(report)
    if not has_data:
        return Indicator("services", None, "no service data for this location")
    value = len(covered) / len(wanted)
    missing = sorted(wanted - set(covered))
    detail = f"{len(covered)}/{len(wanted)} services found" + (f"; not found: {', '.join(missing)}" if missing else "")
    return Indicator("services", value, detail, [e for s in sorted(covered) for e in covered[s][:2]])


def _support_indicator(kb: Knowledge, scope: set[str], ent: KbEntity, events: list[Any]) -> Indicator:
    country = ent.country
    bodies: dict[str, Evidence] = {}
    for other in kb.entities.values():
        if other.row is None or other.type not in ("agency", "cluster", "park"):
            continue
        helps = other.services & {"soft-landing", "funding"}
        if helps and (other.id in scope or (other.type == "agency" and country and other.country == country)):
            bodies[other.id] = Evidence(
                "reference", f"{other.name}: {', '.join(sorted(helps))}", reference=other.row.source
            )
    for ev in events:
        if ev.type == "landing" and scope & set(ev.roles.get("location", [])):
            for fac in ev.roles.get("facilitator", []):
                bodies.setdefault(fac, ev.reports[0])
    if not bodies:
        return Indicator("support", None, "no support body known")
    value = 1 - math.exp(-len(bodies) / 2)
    names = ", ".join(sorted(kb.name(b) for b in bodies)[:5])
    return Indicator("support", value, f"{len(bodies)} support bodies: {names}", list(bodies.values()))


def _market_indicator(kb: Knowledge, scope: set[str], ent: KbEntity, profile: CompanyProfile) -> Indicator:
    markets = profile.markets()
    if not markets:
        return Indicator("market_access", None, "no target market given")
    if not ent.country:
        return Indicator("market_access", None, "country unknown")
    reached: dict[str, list[Evidence]] = {}
    for market in markets:
        if ent.country in MARKET_COUNTRIES[market]:
            label = f"{ent.name} is in {'the EU' if market == 'eu' else market.upper()} ({ent.country})"
            reached.setdefault(market, []).append(
                Evidence("reference", label, reference=ent.row.source if ent.row else None)
            )
        for eid in sorted(scope):
            other = kb.entities.get(eid)
            if other and other.row and f"market-access-{market}" in other.services:
                reached.setdefault(market, []).append(
                    Evidence("reference", f"{other.name} offers access to {market.upper()}", reference=other.row.source)
                )
    value = len(reached) / len(markets)
    return Indicator(
        "market_access",
        value,
        f"{len(reached)}/{len(markets)} target markets: " + ", ".join(sorted(reached))
        if reached
        else "none of your target markets",
        [e for m in sorted(reached) for e in reached[m][:2]],
    )


def rank_locations(
    kb: Knowledge, profile: CompanyProfile, weights: dict[str, float] | None = None, limit: int = 20
) -> dict[str, Any]:
    profile.validate()
    weights = weights or dict(DEFAULT_WEIGHTS)
    items = []
    for ent in candidate_locations(kb):
        scope = kb.scope(ent.id)
        events = [e for e in kb.events if any(scope & set(ids) for ids in e.roles.values())]
        indicators = [
            _sector_indicator(kb, scope, profile, events),
            _ecosystem_indicator(kb, scope, ent),
            _track_indicator(kb, scope, profile, events),
            _services_indicator(kb, scope, profile, events, kb.ancestors(ent.id)),
            _support_indicator(kb, scope, ent, events),
            _market_indicator(kb, scope, ent, profile),
        ]
        subject = {**ent.to_json(), "kind": ent.row.data.get("kind") if ent.row and ent.type == "place" else ent.type}
        items.append(Scored(ent.id, subject, indicators))
    ranked = rank(items, weights)
    return {
        "question": "where to land",
        "profile": {
            "sectors": sorted(profile.sectors),
            "stage": profile.stage,
            "origin": profile.origin,
            "needs": sorted(profile.needs),
        },
        "weights": weights,
        "method": "weighted mean of the indicators with data, times (0.5 + 0.5 x share of weight with data); "
        "rank_range: best and worst rank when every weight moves by ±25%",
        "count": len(ranked),
        "results": [item.to_json(weights, LABELS) for item in ranked[:limit]],
    }


def profile_from_args(sectors: str | None, stage: str | None, origin: str | None, needs: str | None) -> CompanyProfile:
    split = lambda text: {p.strip().lower() for p in (text or "").split(",") if p.strip()}  # noqa: E731
    return CompanyProfile(
        sectors=split(sectors), stage=(stage or None), origin=(origin or "").upper() or None, needs=split(needs)
    )


__all__ = ["DEFAULT_WEIGHTS", "CompanyProfile", "parse_weights", "profile_from_args", "rank_locations"]
