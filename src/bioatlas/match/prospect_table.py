"""The numbers behind `/prospects`, as arrays over every company and event of the loaded kb.

A prospects answer weighs every company of the kb (tens of thousands at 100k documents) for one asker. What does not
depend on the asker (which events each company takes part in, their types, dates and the sectors their reports name)
is laid out once per loaded kb; a question then counts funding rounds, moves, reports in the asker's sectors and ties
with the asker's region for all companies at once (numpy), and only the companies shown get their evidence read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from bioatlas.match.knowledge import KbEvent, Knowledge
from bioatlas.sectors import sector_bits, sectors_mask, sectors_said


@dataclass(slots=True)
class CompanyTable:
    """Companies (rows) x the events they take part in, and the reports of those events."""

    ids: list[str]  # prospect companies with at least one event, sorted
    events: list[KbEvent]  # kb events with at least one such company, in kb order
    pair_company: np.ndarray  # (company, event) pairs: row of the company ...
    pair_event: np.ndarray  # ... and of the event
    pair_home_country: np.ndarray  # the company's own country code (object array, "" when unknown)
    event_type: np.ndarray  # object array of event types
    event_date: np.ndarray  # str array, "" when undated
    event_reports: np.ndarray  # how many reports each event has
    report_event: np.ndarray  # for each report of those events: its event row ...
    report_sectors: np.ndarray  # ... and the sectors whose words it uses, as bits (`sector_bits`)
    has_sectors: np.ndarray  # the company has sectors on record (a reference row)
    has_row: np.ndarray  # the company has a reference row
    row_of_event: dict[int, int]  # id() of a kb event -> its row
    entity_code: dict[str, int]  # every entity taking part in those events -> a number
    part_event: np.ndarray  # (event, participant) pairs, any role: row of the event ...
    part_entity: np.ndarray  # ... the participant's number ...
    part_location: np.ndarray  # ... and whether it is the event's location
    id_array: np.ndarray  # `ids` as an object array
    row_of_company: dict[str, int]
    _types: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)

    def of_type(self, types: tuple[str, ...]) -> np.ndarray:
        """For each event, whether its type is one of `types` (kept per set of types; read-only)."""
        if types not in self._types:
            wanted = set(types)
            self._types[types] = np.array([ev.type in wanted for ev in self.events], dtype=bool)
        return self._types[types]


def build_table(kb: Knowledge, company_events: dict[str, list[KbEvent]]) -> CompanyTable:
    ids = sorted(cid for cid, events in company_events.items() if events)
    row_of_event: dict[int, int] = {}
    events: list[KbEvent] = []
    pairs_c: list[int] = []
    pairs_e: list[int] = []
    homes: list[str] = []
    for c, cid in enumerate(ids):
        country = kb.country_of(cid) or ""
        for ev in company_events[cid]:
            row = row_of_event.get(id(ev))
            if row is None:
                row = row_of_event[id(ev)] = len(events)
                events.append(ev)
            pairs_c.append(c)
            pairs_e.append(row)
            homes.append(country)
    entity_code: dict[str, int] = {}
    part_event: list[int] = []
    part_entity: list[int] = []
    part_location: list[bool] = []
    for row, ev in enumerate(events):
        for role, members in ev.roles.items():
            for member in set(members):
                part_event.append(row)
                part_entity.append(entity_code.setdefault(member, len(entity_code)))
                part_location.append(role == "location")
    bits = sector_bits()
    report_event: list[int] = []
    report_sectors: list[int] = []
    for row, ev in enumerate(events):
        for report in ev.reports:
            said = sectors_said(report.label)
            if said:
                mask = 0
                for sid in said:
                    mask |= bits.get(sid, 0)
                report_event.append(row)
                report_sectors.append(mask)
    return CompanyTable(
        ids=ids,
        events=events,
        pair_company=np.array(pairs_c, dtype=np.int64),
        pair_event=np.array(pairs_e, dtype=np.int64),
        pair_home_country=np.array(homes, dtype=object),
        event_type=np.array([ev.type for ev in events], dtype=object),
        event_date=np.array([ev.date or "" for ev in events], dtype=str),
        event_reports=np.array([len(ev.reports) for ev in events], dtype=np.int64),
        report_event=np.array(report_event, dtype=np.int64),
        report_sectors=np.array(report_sectors, dtype=np.int64),
        has_sectors=np.array([bool(kb.entities[cid].sectors) for cid in ids], dtype=bool),
        has_row=np.array([kb.entities[cid].row is not None for cid in ids], dtype=bool),
        row_of_event=row_of_event,
        entity_code=entity_code,
        part_event=np.array(part_event, dtype=np.int64),
        part_entity=np.array(part_entity, dtype=np.int64),
        part_location=np.array(part_location, dtype=bool),
        id_array=np.array(ids, dtype=object),
        row_of_company={cid: row for row, cid in enumerate(ids)},
    )


def dated_since(table: CompanyTable, since: str | None) -> np.ndarray:
    """Which events count: all, or those dated on or after `since` (a coarser date that may fall after it, '2017'
    for 2017-05, counts; undated events do not)."""
    if not since:
        return np.ones(len(table.events), dtype=bool)
    dates = table.event_date
    coarse = {since[:n] for n in (4, 7) if n < len(since)}
    keep = (dates >= since) & (dates != "")
    for prefix in coarse:
        keep |= dates == prefix
    return keep


def per_company(table: CompanyTable, event_values: np.ndarray) -> np.ndarray:
    """Sum over each company's events of a per-event number."""
    return np.bincount(table.pair_company, weights=event_values[table.pair_event], minlength=len(table.ids))


def reports_in_sectors(table: CompanyTable, sectors: set[str]) -> np.ndarray:
    """For each event, how many of its reports use a word of one of `sectors`."""
    mask = sectors_mask(sectors)
    hit = (table.report_sectors & mask) != 0
    return np.bincount(table.report_event, weights=hit, minlength=len(table.events))


def events_with(table: CompanyTable, ids: Collection[str], location_only: bool = False) -> np.ndarray:
    """For each event, whether one of `ids` takes part in it (as its location only, with `location_only`)."""
    marked = np.zeros(len(table.entity_code), dtype=bool)
    for i in ids:
        code = table.entity_code.get(i)
        if code is not None:
            marked[code] = True
    hit = marked[table.part_entity]
    if location_only:
        hit &= table.part_location
    return np.bincount(table.part_event[hit], minlength=len(table.events)) > 0


def tied_events(kb: Knowledge, table: CompanyTable, home: set[str], home_country: str | None) -> np.ndarray:
    """For each (company, event) pair, whether the event involves the asker's region (anything in `home`) or
    someone other than the company from the asker's country."""
    tied = events_with(table, home)[table.pair_event]
    if home_country:
        from_country = np.zeros(len(table.events), dtype=np.int64)
        for event_row, n in _events_with_country(kb, table).get(home_country, ()):
            from_country[event_row] = n
        own = (table.pair_home_country == home_country).astype(np.int64)
        tied = tied | ((from_country[table.pair_event] - own) > 0)
    return tied


def per_pair(table: CompanyTable, pairs: np.ndarray) -> np.ndarray:
    """For each company, how many of its (company, event) pairs are set."""
    return np.bincount(table.pair_company, weights=pairs, minlength=len(table.ids))


def _events_with_country(kb: Knowledge, table: CompanyTable) -> dict[str, list[tuple[int, int]]]:
    """Country -> (event row, how many distinct participants of the event are from it)."""

    def build() -> dict[str, list[tuple[int, int]]]:
        out: dict[str, list[tuple[int, int]]] = {}
        for row, ev in enumerate(table.events):
            counts: dict[str, int] = {}
            for i in {i for ids in ev.roles.values() for i in ids}:
                country = kb.country_of(i)
                if country:
                    counts[country] = counts.get(country, 0) + 1
            for country, n in counts.items():
                out.setdefault(country, []).append((row, n))
        return out

    return kb.once("prospects.events_with_country", build)


def prepare(kb: Knowledge, table: CompanyTable) -> None:
    """Build what `tied_events` reads, ahead of the first question."""
    _events_with_country(kb, table)
