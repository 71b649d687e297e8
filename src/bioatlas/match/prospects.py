"""Whom should we court? Companies ranked for a place, park, cluster or agency by fit and by signs of expansion.

A company already present in, partnered with or landed at the asker is not a prospect: it is listed apart as
"already here", each with its proof (the event and its sentence, or the reference row). Only companies are
prospects: a name the kb typed as a company but that is a place or a person ("Fleurus", "Matt Harris") is not one.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bioatlas.extract.reference import gazetteer
from bioatlas.match import prospect_table
from bioatlas.match.knowledge import Evidence, KbEntity, KbEvent, Knowledge, lookup_keys
from bioatlas.match.pathway import find_named
from bioatlas.match.ranking import Indicator, Scored, rank_table, score
from bioatlas.sectors import expand_sectors, sectors_match, sectors_said

DEFAULT_WEIGHTS = {"fit": 1.0, "funding": 1.0, "expansion": 1.0, "ties": 1.0}
LABELS = {
    "fit": "Fit with your focus sectors",
    "funding": "Recent funding",
    "expansion": "Landings and expansions elsewhere",
    "ties": "Ties with your region",
}
ASKER_TYPES = ("park", "cluster", "agency", "place", "alliance", "research")
COMPANY_ROLES = ("company", "members", "target", "acquirer", "visitor", "subject", "by")
PRESENCE_EVENTS = ("landing", "expansion", "launch", "acquisition")


@dataclass(slots=True)
class Presence:
    """Why a company is already at the asker: `reason` is landed | partner | listed."""

    reason: str
    date: str | None = None
    event_type: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "date": self.date,
            "event_type": self.event_type,
            "evidence": [e.to_json() for e in self.evidence],
        }


def served_places(kb: Knowledge, asker: KbEntity) -> set[str]:
    """The places an asker stands for. A place is itself; an agency or cluster the area it covers (`covers` in
    organisations.csv, else its place), else the places its names name ('Invest in Wallonia'), else its country; a
    park is a site: nothing beyond itself and what is located in it."""
    if asker.type == "place":
        return {asker.id}
    if asker.type not in ("agency", "cluster"):
        return set()
    area = kb.geo.area_of(asker.id)  # `covers` in organisations.csv, else its place
    covers = {area} if area else set()
    if not covers:
        for name in kb.names_of(asker.id):
            covers |= {f"ref:{hit.row.id}" for hit in gazetteer().find(name) if hit.row.type == "place"}
    if not covers and asker.country:
        covers = {f"ref:{asker.country.lower()}"}
    return {c for c in covers if c in kb.entities}


def asker_area(kb: Knowledge, asker: KbEntity) -> set[str]:
    """Everything that counts as 'here' for the asker: itself, the places it stands for and the places and
    organisations inside them, and what is located in it (a park's tenants in the reference data)."""
    area = kb.inside(asker.id)
    for place in served_places(kb, asker):
        area |= kb.inside(place)
    return area


def _not_a_company_keys(kb: Knowledge) -> set[str]:
    """Lookup keys of every place and person name (kb and reference data): a 'company' called so is not one.
    Built once per loaded kb."""

    def build() -> set[str]:
        keys: set[str] = set()
        for ent in kb.entities.values():
            if ent.type in ("place", "person"):
                for name in kb.names_of(ent.id):
                    keys |= lookup_keys(name)
        for row in gazetteer().rows.values():
            if row.type == "place":
                for name in row.all_names():
                    keys |= lookup_keys(name)
        return keys

    return kb.once("not_company_keys", build)


def is_prospect(kb: Knowledge, ent: KbEntity, not_companies: set[str]) -> bool:
    """A company, and not a place or person the extraction typed as a company (reference companies are trusted)."""
    if ent.type != "company":
        return False
    verdicts: dict[str, bool] = kb.once("prospects.is_prospect", dict)  # the same for every asker
    if ent.id not in verdicts:
        verdicts[ent.id] = ent.row is not None or not (lookup_keys(ent.name) & not_companies)
    return verdicts[ent.id]


def _reports_naming(kb: Knowledge, event: KbEvent, company_id: str) -> list[Evidence]:
    """The event's reports that name the company, or its first report when none does by a known name."""
    naming = [r for r in event.reports if kb.mentioned_in(r.label, company_id)]
    return naming[:2] or event.reports[:1]


def presence(kb: Knowledge, asker: KbEntity, area: set[str], company_id: str, events: list[KbEvent]) -> list[Presence]:
    """The proof that a company is already at the asker: it landed, expanded or opened in its area, it has an
    agreement (any event) with the asker itself, or the reference data lists it there."""
    found: list[Presence] = []
    if company_id in area:
        ent = kb.entities[company_id]
        where = kb.name(ent.place) if ent.place else asker.name
        evidence = [Evidence("reference", f"{ent.name}: {where}", reference=ent.row.source)] if ent.row else []
        found.append(Presence("listed", evidence=evidence))
    for ev in events:
        involved = {i for ids in ev.roles.values() for i in ids}
        if company_id not in involved:
            continue
        if ev.type in PRESENCE_EVENTS and area & set(ev.roles.get("location", [])):
            found.append(Presence("landed", ev.date, ev.type, _reports_naming(kb, ev, company_id)))
        elif asker.id in involved:
            found.append(Presence("partner", ev.date, ev.type, _reports_naming(kb, ev, company_id)))
    return found


def _distinct(evidence: list[Evidence]) -> list[dict[str, Any]]:
    """Each sentence or row once, in order (one sentence can prove a landing and a partnership)."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for e in evidence:
        out.setdefault((e.document_id, e.start, e.reference, e.label), e.to_json())
    return list(out.values())


def _fit(kb: Knowledge, ent: KbEntity, focus: set[str], events: list[KbEvent], host: KbEntity) -> Indicator:
    if not focus:
        return Indicator(
            "fit",
            None,
            f"{host.name} has no focus sectors on record",
            code="fit_no_focus",
            values={"host": {"id": host.id, "name": host.name}},
        )
    matched = sectors_match(ent.sectors, focus) if ent.sectors else set()
    wanted = expand_sectors(focus)  # a report in the focus uses a word of one of these (`sectors_said`)
    text_hits = [r for ev in events for r in ev.reports if sectors_said(r.label) & wanted]
    if not ent.sectors and not text_hits:
        return Indicator("fit", None, "the company's sectors are unknown", code="fit_unknown")
    value = (1.0 if matched else 0.0) * 0.7 + min(len(text_hits), 3) * 0.1
    evidence = (
        [Evidence("reference", f"{ent.name}: {', '.join(sorted(ent.sectors))}", reference=ent.row.source)]
        if ent.row
        else []
    )
    return Indicator(
        "fit",
        min(1.0, value),
        f"sectors in common: {', '.join(sorted(matched)) or 'none'}; {len(text_hits)} reports in your sectors",
        evidence + text_hits[:3],
        code="fit_sectors",
        values={"sectors": sorted(matched), "reports": len(text_hits)},
    )


def _focus(kb: Knowledge, host: KbEntity, area: set[str]) -> set[str]:
    """The asker's sectors; a place's are those of its parks, clusters and agencies."""
    focus = set(host.sectors)
    if host.type == "place":
        for eid in area:
            other = kb.entities.get(eid)
            if other is not None and other.type in ("park", "cluster", "agency"):
                focus |= other.sectors
    return focus


def _company_events(kb: Knowledge, not_companies: set[str]) -> dict[str, list[KbEvent]]:
    """Each company's events, in kb order (the same for every asker: kept with the loaded kb, read-only)."""
    out: dict[str, list[KbEvent]] = {}
    for ev in kb.events:
        for role in COMPANY_ROLES:
            for cid in ev.roles.get(role, []):
                ent = kb.entities.get(cid)
                if ent is not None and is_prospect(kb, ent, not_companies):
                    found = out.setdefault(cid, [])
                    if not found or found[-1] is not ev:  # an event lists a company once, however many roles
                        found.append(ev)
    return out


def prospects(
    kb: Knowledge,
    for_name: str,
    weights: dict[str, float] | None = None,
    limit: int = 50,
    since: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    host = find_named(kb, for_name, ASKER_TYPES, "place, park, cluster or agency")
    weights = weights or dict(DEFAULT_WEIGHTS)
    area = asker_area(kb, host)
    home = area | set(kb.ancestors(host.id))
    home_country = host.country
    focus = _focus(kb, host, area)
    not_companies = _not_a_company_keys(kb)
    table = prepare(kb)
    all_events = dict(kb.once("prospects.company_events", lambda: _company_events(kb, not_companies)))
    for eid in area:  # companies the reference data lists here, with or without events
        ent = kb.entities.get(eid)
        if ent is not None and is_prospect(kb, ent, not_companies):
            all_events.setdefault(eid, [])
    here = _here(kb, host, area, all_events)
    already: list[dict[str, Any]] = []
    for cid in sorted(here, key=lambda c: (kb.name(c).casefold(), c))[:ALREADY_SHOWN]:  # the first, with proof
        proof = presence(kb, host, area, cid, all_events.get(cid, []))
        already.append(
            {
                **kb.entities[cid].to_json(),
                "reasons": sorted({p.reason for p in proof}),
                "presence": [p.to_json() for p in proof],
                "evidence": _distinct([e for p in proof for e in p.evidence])[:6],
            }
        )
    notice: dict[str, Any] | None = None
    counted = prospect_table.dated_since(table, since)
    left_out_undated = 0
    if since:
        now = (today or dt.date.today()).isoformat()
        if since > now[: len(since)]:
            notice = {
                "code": "since_in_future",
                "since": since,
                "message": f"no event can be dated on or after {since}: that is after today ({now})",
            }
            counted[:] = False
        else:
            undated = (table.event_date == "").astype(float)
            left_out_undated = int(prospect_table.per_company(table, undated)[_rows(table, here, keep=False)].sum())
    numbers = _numbers(kb, table, counted, focus, home, home_country)
    keep = numbers.pop("keep") & _rows(table, here, keep=False)
    if since:
        keep &= numbers["events"] > 0
    rows = np.flatnonzero(keep)
    ids = table.id_array[rows].tolist()
    values = np.column_stack([numbers[name][rows] for name in INDICATORS]) if len(rows) else np.zeros((0, 4))
    count, placed = rank_table(ids, list(INDICATORS), values, weights, limit, ids_sorted=True)  # table order
    rows_of = kb.once("prospects.event_rows", lambda: _event_rows(table))
    shown = []
    for place in placed:
        cid = ids[place.row]
        mine = rows_of[cid]
        events = [table.events[e] for e in mine[counted[mine]].tolist()]
        item = _scored(kb, kb.entities[cid], events, focus, home, home_country, host)
        item.score, item.raw, item.coverage = score(item.indicators, weights)
        item.rank, item.rank_range = place.rank, place.rank_range
        shown.append(item)
    return {
        "question": "whom to court",
        "for": host.to_json(),
        "area": sorted(served_places(kb, host)),
        "focus_sectors": sorted(focus),
        "weights": weights,
        "since": since,
        "notice": notice,
        "undated_events_left_out": left_out_undated,
        "count": count,
        "results": [i.to_json(weights, LABELS) for i in shown],
        "already_here": already,
        "already_here_count": len(here),
    }


INDICATORS = ("fit", "funding", "expansion", "ties")
EVIDENCE_SHOWN = 12  # reports an indicator shows (`Scored.to_json`): the sentences of later events are not read
ALREADY_SHOWN = 200  # companies listed as already here, by name, each with its proof (all are counted)


def prepare(kb: Knowledge) -> prospect_table.CompanyTable:
    """What every prospects question reads, worked out once per loaded kb: each company's events, and the table
    of companies x events (`prospect_table`)."""
    not_companies = _not_a_company_keys(kb)
    company_events = kb.once("prospects.company_events", lambda: _company_events(kb, not_companies))
    table = kb.once("prospects.table", lambda: prospect_table.build_table(kb, company_events))
    kb.once("prospects.event_rows", lambda: _event_rows(table))
    prospect_table.prepare(kb, table)
    return table


def _here(kb: Knowledge, host: KbEntity, area: set[str], all_events: dict[str, list[KbEvent]]) -> set[str]:
    """The companies `presence` finds at the asker, found from the events there rather than company by company:
    listed in its area, or taking part (as a company) in a landing, expansion, launch or acquisition located
    there, or in any event with the asker itself."""
    table = prepare(kb)
    landed = prospect_table.events_with(table, area, location_only=True) & table.of_type(PRESENCE_EVENTS)
    there = landed | prospect_table.events_with(table, [host.id])
    companies = np.unique(table.pair_company[there[table.pair_event]])
    return {cid for cid in area if cid in all_events} | {table.ids[c] for c in companies.tolist()}


def _rows(table: prospect_table.CompanyTable, ids: set[str], keep: bool) -> np.ndarray:
    """A mask over the table's companies: those in `ids` (keep=True) or those not in it."""
    position = kb_rows(table)
    mask = np.zeros(len(table.ids), dtype=bool)
    for cid in ids:
        row = position.get(cid)
        if row is not None:
            mask[row] = True
    return mask if keep else ~mask


def kb_rows(table: prospect_table.CompanyTable) -> dict[str, int]:
    return table.row_of_company


def _numbers(
    kb: Knowledge,
    table: prospect_table.CompanyTable,
    counted: np.ndarray,
    focus: set[str],
    home: set[str],
    home_country: str | None,
) -> dict[str, np.ndarray]:
    """The four indicator values of every company at once (NaN: no data), whether it has any evidence, and how many
    of its events count: the same numbers `_scored` gives one company."""
    c = counted.astype(float)
    has_report = (table.event_reports > 0).astype(float)
    funding_events = table.of_type(("funding",)).astype(float) * c
    move_events = table.of_type(("landing", "expansion")).astype(float) * c
    funding = prospect_table.per_company(table, funding_events)
    moves = prospect_table.per_company(table, move_events)
    tied_events = prospect_table.tied_events(kb, table, home, home_country)
    tied = prospect_table.per_pair(table, tied_events & counted[table.pair_event])
    events = prospect_table.per_company(table, c)
    evidence = (
        (prospect_table.per_company(table, funding_events * has_report) > 0)
        | (prospect_table.per_company(table, move_events * has_report) > 0)
        | (prospect_table.per_pair(table, tied_events & (counted & (table.event_reports > 0))[table.pair_event]) > 0)
    )
    if focus:
        hits = prospect_table.per_company(table, prospect_table.reports_in_sectors(table, expand_sectors(focus)) * c)
        matched = np.zeros(len(table.ids), dtype=bool)
        for row in np.flatnonzero(table.has_sectors).tolist():  # only reference companies have sectors
            matched[row] = bool(sectors_match(kb.entities[table.ids[row]].sectors, focus))
        fit = np.where(
            ~table.has_sectors & (hits == 0), np.nan, np.minimum(1.0, 0.7 * matched + 0.1 * np.minimum(hits, 3))
        )
        evidence |= ~np.isnan(fit) & (table.has_row | (hits > 0))
    else:
        fit = np.full(len(table.ids), np.nan)
    return {
        "fit": fit,
        "funding": 1 - np.exp(-funding),
        "expansion": 1 - np.exp(-moves),
        "ties": 1 - np.exp(-tied),
        "events": events,
        "keep": evidence,
    }


def _event_rows(table: prospect_table.CompanyTable) -> dict[str, np.ndarray]:
    """Each company's events as rows of the table, in kb order."""
    out: dict[str, list[int]] = {}
    for c, e in zip(table.pair_company.tolist(), table.pair_event.tolist(), strict=True):
        out.setdefault(table.ids[c], []).append(e)
    return {cid: np.array(rows, dtype=np.int64) for cid, rows in out.items()}


def _scored(
    kb: Knowledge,
    ent: KbEntity,
    events: list[KbEvent],
    focus: set[str],
    home: set[str],
    home_country: str | None,
    host: KbEntity,
) -> Scored:
    """One company's indicators with their evidence (the reports that name it)."""
    cid = ent.id
    funding = [ev for ev in events if ev.type == "funding"]
    moves = [ev for ev in events if ev.type in ("landing", "expansion")]
    ties = [
        ev
        for ev in events
        if any(home & set(ids) for ids in ev.roles.values())
        or (
            home_country and any(kb.country_of(i) == home_country for ids in ev.roles.values() for i in ids if i != cid)
        )
    ]
    raised = [f"{ev.amount:,.0f} {ev.currency}" for ev in funding if ev.amount]
    indicators = [
        _fit(kb, ent, focus, events, host),
        Indicator(
            "funding",
            1 - math.exp(-len(funding)),
            f"{len(funding)} funding events" + (f" ({', '.join(raised)})" if raised else ""),
            [r for ev in funding[:EVIDENCE_SHOWN] for r in _reports_naming(kb, ev, cid)[:1]],
            code="funding_events",
            values={
                "n": len(funding),
                "raised": [{"amount": ev.amount, "currency": ev.currency} for ev in funding if ev.amount],
            },
        ),
        Indicator(
            "expansion",
            1 - math.exp(-len(moves)),
            f"{len(moves)} landings or expansions",
            [r for ev in moves[:EVIDENCE_SHOWN] for r in _reports_naming(kb, ev, cid)[:1]],
            code="expansion_events",
            values={"n": len(moves)},
        ),
        Indicator(
            "ties",
            1 - math.exp(-len(ties)),
            f"{len(ties)} events with your region or country",
            [r for ev in ties[:EVIDENCE_SHOWN] for r in _reports_naming(kb, ev, cid)[:1]],
            code="ties_events",
            values={"n": len(ties)},
        ),
    ]
    return Scored(cid, {**ent.to_json(), "events": len(events)}, indicators)


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
