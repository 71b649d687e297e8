"""Events: what happened, who did it, where and when, from trigger words and the entities around them.

Reads `Document.text`, `paragraphs`, `entities`; writes `Document.events`. A sentence with a trigger
word for an event type becomes an event when the entities it names can fill the type's key role;
several sentences about the same event in one document (an article and its translation) become one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bioatlas.extract.event_dates import YEAR, event_date
from bioatlas.extract.lang.triggers import TRIGGERS, trigger_hits
from bioatlas.ingest.dates import find_dates
from bioatlas.model import EVENT_KEY_ROLES, Document, Entity, Event
from bioatlas.text.sentences import sentence_spans

if TYPE_CHECKING:
    from bioatlas.learn.event_model import EventModel

ORG_TYPES = {"company", "park", "cluster", "agency", "research", "alliance", "investor"}
_PHASE_NAME = re.compile(r"[一二三四五六七八九十0-9]期|Phase|Phase [IVX0-9]+", re.I)
_DELEGATION_WORD = re.compile(r"代表团|代表團|考察团|考察團|访问团|訪問團|参访团|參訪團|代表団|視察団|대표단|방문단")
_FOUNDING = re.compile(r"成立|创立|創立|创办|創辦|founded|established|gegründet|fondée?|opgericht", re.I)
_DELEGATION_FROM = re.compile(
    r"\b(?:delegation|délégation|delegatie|Delegation)\b[^.;]{0,80}?\b(?:from|de|du|aus|uit)\b", re.I
)
_FROM = re.compile(r"\b(?:from|by|led by|von|auprès d[eu]|de la part d[eu]|door|van)\b|由|获得|獲得|から|より", re.I)


_CLAUSE = re.compile(
    r"[;；]\s*|,\s+(?=(?:(?:und|and|et|en)\s+(?:die|der|das|the|la|le|de|het)|die|der|das|while|whereas|"
    r"tandis que|alors que|terwijl)\s+[A-ZÀ-Þ])"
)


def _sentences(doc: Document) -> list[tuple[int, int]]:
    """Sentences, cut further into clauses that report things of their own ('…, die Leukocare AG sammelte…')."""
    spans = []
    for para in doc.paragraphs:
        chunk = doc.text[para.start : para.end]
        for s, e in sentence_spans(chunk):
            at = s
            for m in _CLAUSE.finditer(chunk, s, e):
                if m.start() > at:
                    spans.append((para.start + at, para.start + m.start()))
                at = m.end()
            if e > at:
                spans.append((para.start + at, para.start + e))
    return spans


def _mentions_in(doc: Document, start: int, end: int) -> list[tuple[int, Entity]]:
    found: dict[str, tuple[int, Entity]] = {}
    for ent in doc.entities:
        for m in ent.mentions:
            if start <= m.start < end and (ent.id not in found or m.start < found[ent.id][0]):
                found[ent.id] = (m.start, ent)
    return sorted(found.values(), key=lambda x: x[0])


def _long_before(doc: Document, sentence: str) -> bool:
    """The sentence's date (or a year it names: 於2001年, in 1999) is years before the page was published."""
    if not doc.published:
        return False
    dates = find_dates(sentence)
    year = int(dates[0].value[:4]) if dates else None
    if year is None:
        m = YEAR.search(sentence)
        year = int(m.group(0)) if m else None
    return year is not None and year < int(doc.published[:4]) - 1


def _first(
    items: list[tuple[int, Entity]], types: set[str], before: int | None = None, after: int | None = None
) -> Entity | None:
    for pos, ent in items:
        if ent.type in types and (before is None or pos < before) and (after is None or pos >= after):
            return ent
    return None


def _roles(
    kind: str,
    items: list[tuple[int, Entity]],
    trigger: int,
    sentence: str,
    offset: int,
    main_company: Entity | None,
    doc_entities: list[Entity] | None = None,
) -> dict[str, str | list[str]] | None:
    roles: dict[str, str | list[str]] = {}
    if kind in ("landing", "expansion"):
        company = _first(items, {"company"}) or _first(items, {"research"})
        if company is None and kind == "expansion":
            company = _first(items, {"cluster", "park"})  # "Lyonbiopôle renforce sa présence à Boston"
        if company is None and main_company is not None and _BACK_REFERENCE.search(sentence):
            company = main_company  # "the company will open…", "该公司…", "同社は…"
        if company is None:
            return None
        roles["company"] = company.id
        origin = _origin(items, sentence, offset)
        places = [(p, e) for p, e in items if e.type == "place" and e is not origin]
        location = _first(items, {"park"}) or _most_specific(places) or _seat_of(doc_entities, items, company)
        if location:
            roles["location"] = location.id
        else:
            return None  # a landing or an expansion happens somewhere: without a place it is a description
        if origin is not None and kind == "landing":
            roles["origin"] = origin.id
        if kind == "landing":
            facilitator = _first(items, {"agency"})
            if facilitator:
                roles["facilitator"] = facilitator.id
        return roles
    if kind == "launch":
        phases = [e for _, e in items if e.type == "park" and _PHASE_NAME.search(e.name)]
        subject = (
            (phases[0] if phases else None)
            or _first(items, {"park"})
            or _first(items, {"research", "alliance", "cluster"})
        )
        if subject is None:
            return None
        roles["subject"] = subject.id
        location = _first(items, {"place"})
        by = _first(items, {"agency"})
        if location:
            roles["location"] = location.id
        if by and by.id != subject.id:
            roles["by"] = by.id
        return roles
    if kind == "partnership":
        members = [e.id for _, e in items if e.type in ORG_TYPES]
        members = list(dict.fromkeys(members))
        if len(members) < 2:
            return None
        roles["members"] = members
        return roles
    if kind == "funding":
        company = _first(items, {"company"}, before=trigger) or _first(items, {"company"}) or main_company
        if company is None:
            return None
        roles["company"] = company.id
        m = _FROM.search(sentence)
        cut = offset + m.start() if m else trigger
        investors = [
            e.id
            for p, e in items
            if e.id != company.id and (e.type == "investor" or (e.type in ("company", "agency") and p >= cut))
        ]
        if investors:
            roles["investors"] = list(dict.fromkeys(investors))
        return roles
    if kind == "acquisition":
        acquirer = _first(items, {"company", "investor"}, before=trigger)
        target = _first(items, {"company"}, after=trigger)
        if target is None and acquirer is not None:  # verb last: "X hat … der Orpegen Pharma übernommen"
            target = next((e for _, e in items if e.type == "company" and e is not acquirer), None)
        if target is None or acquirer is None or target.id == acquirer.id:
            return None
        return {"acquirer": acquirer.id, "target": target.id}
    if kind == "visit":
        m = _DELEGATION_FROM.search(sentence)
        after_from = offset + m.end() if m else None
        group = _DELEGATION_WORD.search(sentence)
        named: Entity | None = None
        if group:  # "臺北市生物産業協會廣州經貿考察團": the body right before the delegation word
            at = offset + group.start()
            bodies = [(p, e) for p, e in items if p < at and e.type in ORG_TYPES | {"person"}]
            if bodies:
                p, body = bodies[-1]
                gap = sentence[p - offset + len(body.mentions[0].text) : group.start()]
                named = body if len(gap) <= 8 and not re.search(r"[、，,。；;]", gap) else None
        visitor = (
            (_first(items, ORG_TYPES | {"place"}, after=after_from) if after_from is not None else None)
            or named
            or _first(items, ORG_TYPES | {"person"}, before=trigger)
            or _first(items, {"place"}, before=trigger)
        )
        host = _first(items, ORG_TYPES - {"alliance"}, after=trigger) or _first(items, {"place"}, after=trigger)
        noun = any(c in "团團団" for c in sentence[trigger - offset : trigger - offset + 4])
        if host is None and not noun:  # "到英國阿斯利康總部訪問": in Chinese the host stands before the verb
            before = [e for p, e in items if p < trigger and e is not visitor and e.type in ORG_TYPES]
            host = before[-1] if before else None
        if visitor is None or host is None or visitor.id == host.id:
            return None
        return {"visitor": visitor.id, "host": host.id}
    return None


_BASED_IN = re.compile(
    r"(?:based in|headquartered in|from|basée? à|basée? en|originaire d[e']|mit Sitz in|aus|uit|"
    r"gevestigd in|来自|來自|総本社|本社)\s*$",
    re.I,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:the company|the firm|it|la société|l'entreprise|das unternehmen|die firma|"
    r"het bedrijf)\b|该公司|該公司|公司将|同社|회사는",
    re.I,
)
_FOUNDED_AGO = re.compile(r"^(?:成立|創立|创立|設立)\s*\d+\s*(?:周?年|週年)")
_BASED_AFTER = re.compile(r"-(?:based|basierte[nrs]?|basée?)\b", re.I)
_KIND_RANK = {"district": 0, "city": 1, "region": 2, "country": 3}


def _origin(items: list[tuple[int, Entity]], sentence: str, offset: int) -> Entity | None:
    """The place a company comes from: 'based in Sydney', 'basée à Sydney', 'aus München'."""
    for pos, ent in items:
        if ent.type != "place":
            continue
        end = next((m.end for m in ent.mentions if m.start == pos), pos + len(ent.name)) - offset
        after = sentence[end : end + 12]
        if _BASED_IN.search(sentence[max(0, pos - offset - 25) : pos - offset]) or _BASED_AFTER.match(after):
            return ent
    return None


def _seat_of(doc_entities: list[Entity] | None, items: list[tuple[int, Entity]], company: Entity) -> Entity | None:
    """No place named: the town of a known organisation in the sentence ('a spinout from NUI Galway'), when the
    page names that town."""
    from bioatlas.extract.reference import gazetteer

    rows = gazetteer().rows
    by_reference = {e.reference: e for e in doc_entities or [] if e.type == "place" and e.reference}
    for _, ent in items:
        if ent is company or ent.type in ("place", "person") or not ent.reference:
            continue
        row = rows.get(ent.reference.split(":", 1)[1])
        place = row.data.get("place") if row else None
        if place and f"places.csv:{place}" in by_reference:
            return by_reference[f"places.csv:{place}"]
    return None


def _most_specific(places: list[tuple[int, Entity]]) -> Entity | None:
    """Liège before Wallonia before Belgium: the landing place is the most precise one named."""
    if not places:
        return None
    from bioatlas.extract.reference import gazetteer

    rows = gazetteer().rows

    def rank(item: tuple[int, Entity]) -> tuple[int, int]:
        ref = item[1].reference.split(":", 1)[1] if item[1].reference else None
        kind = rows[ref].data.get("kind", "city") if ref in rows else "city"
        return (_KIND_RANK.get(kind, 1), item[0])

    return min(places, key=rank)[1]


# Trigger words that mean something else in one language: 設立 founds a company in Japanese.
_NOT_IN = {"ja": {"landing": ("設立", "设立")}}

_KEY = EVENT_KEY_ROLES


def _main_company(doc: Document) -> Entity | None:
    companies = [e for e in doc.entities if e.type == "company"]
    if not companies:
        return None
    return max(companies, key=lambda e: len(e.mentions))


def _add(events: list[Event], seen: dict[tuple[str, str], Event], event: Event) -> None:
    """One event per type and key participant in a document; later sentences add roles, date and amount."""
    key_value = event.roles[_KEY[event.type]]
    key = (event.type, ",".join(sorted(key_value)) if isinstance(key_value, list) else key_value)
    kept = seen.get(key)
    if kept is None and event.type == "partnership":  # the same deal retold with one more party
        members = set(key_value)
        kept = next(
            (e for e in events if e.type == "partnership" and len(members & set(e.roles["members"])) >= 2), None
        )
        if kept is not None:
            merged = list(dict.fromkeys([*kept.roles["members"], *key_value]))
            kept.roles["members"] = merged
            return
    if kept is None:
        seen[key] = event
        events.append(event)
        return
    for role, value in event.roles.items():
        kept.roles.setdefault(role, value)
    kept.date = kept.date or event.date
    if kept.amount is None and event.amount is not None:
        kept.amount, kept.currency = event.amount, event.currency
    kept.confidence = min(0.9, kept.confidence + 0.1)


def _listed_companies(
    doc: Document, items: list[tuple[int, Entity]], roles: dict[str, str | list[str]], kind: str
) -> list[dict[str, str | list[str]]]:
    """'Tech Hub is now home to A, B and C': every company listed with the first one gets the same event."""
    if kind not in ("landing", "expansion") or "company" not in roles:
        return []
    companies = [(p, e) for p, e in items if e.type == "company"]
    first = next((i for i, (_, e) in enumerate(companies) if e.id == roles["company"]), None)
    if first is None:
        return []
    out: list[dict[str, str | list[str]]] = []
    previous = companies[first]
    for pos, ent in companies[first + 1 :]:
        prev_end = max(m.end for m in previous[1].mentions if m.start == previous[0])
        gap = doc.text[prev_end:pos]
        if not _LIST_GAP.fullmatch(gap):
            break
        extra = {k: v for k, v in roles.items() if k not in ("company", "investors")}
        extra["company"] = ent.id
        out.append(extra)
        previous = (pos, ent)
    return out


_LIST_GAP = re.compile(r"\s*(?:,|、|，|;|-|–)?\s*(?:(?:and|und|et|en|or|sowie|ou|as well as)\s+)?")


def extract_events(doc: Document) -> list[Event]:
    """The learned reader when a model file is there (the rules' reading is one of its features), else the rules."""
    from bioatlas.learn.event_model import current_model

    rules = rule_events(doc)
    model = current_model()
    if model is None:
        return rules
    return learned_events(doc, model, rules)


def rule_events(doc: Document) -> list[Event]:
    """Events from trigger words and the entities around them."""
    from bioatlas.extract.numbers import find_amounts

    events: list[Event] = []
    seen: dict[tuple[str, str], Event] = {}
    main_company = _main_company(doc)
    for start, end in _sentences(doc):
        sentence = doc.text[start:end]
        items = _mentions_in(doc, start, end)
        if not items:
            continue
        language = doc.language_at(start)
        hits = trigger_hits(sentence)
        for kind in TRIGGERS:
            roles = None
            for at, _, words in hits.get(kind, ()):
                if words in _NOT_IN.get(language or "", {}).get(kind, ()):
                    continue
                if kind == "launch" and _FOUNDED_AGO.match(sentence[at:]):
                    continue  # "成立20年": founded twenty years ago, not launched now
                if kind == "launch" and _FOUNDING.fullmatch(words) and _long_before(doc, sentence):
                    continue  # "於2001年成立" in a 2023 article is history, not news
                roles = _roles(kind, items, start + at, sentence, start, main_company, doc.entities)
                if roles is not None:
                    break
            if roles is None:
                continue
            amounts = find_amounts(sentence, language) if kind == "funding" else []
            if kind == "funding" and "investors" not in roles and not amounts:
                continue  # "融資方便" (easy financing) is no funding round: a round has an amount or investors
            date = event_date(doc, sentence, language, kind)
            event = Event(
                type=kind,
                roles=roles,
                evidence=sentence.strip()[:300],
                start=start,
                end=end,
                date=date,
                method="pattern",
                confidence=0.5,
            )
            if amounts:
                event.amount, event.currency = amounts[0].value, amounts[0].currency
            _add(events, seen, event)
            for extra in _listed_companies(doc, items, roles, kind):
                _add(
                    events,
                    seen,
                    Event(
                        type=kind,
                        roles=extra,
                        evidence=event.evidence,
                        start=start,
                        end=end,
                        date=date,
                        method="pattern",
                        confidence=0.4,
                    ),
                )
    return events


def _other_roles(
    doc: Document, kind: str, key: Entity, items: list[tuple[int, Entity]], sentence: str, offset: int
) -> dict[str, str | list[str]]:
    """The roles besides the key one, by the rules: where, from where, with whose help, with whose money."""
    roles: dict[str, str | list[str]] = {}
    others = [(p, e) for p, e in items if e.id != key.id]
    if kind in ("landing", "expansion"):
        origin = _origin(others, sentence, offset)
        places = [(p, e) for p, e in others if e.type == "place" and e is not origin]
        location = _first(others, {"park"}) or _most_specific(places) or _seat_of(doc.entities, others, key)
        if location:
            roles["location"] = location.id
        if kind == "landing":
            if origin is not None:
                roles["origin"] = origin.id
            facilitator = _first(others, {"agency"})
            if facilitator:
                roles["facilitator"] = facilitator.id
    elif kind == "launch":
        location = _first(others, {"place"})
        by = _first(others, {"agency"})
        if location:
            roles["location"] = location.id
        if by:
            roles["by"] = by.id
    elif kind == "funding":
        m = _FROM.search(sentence)
        cut = offset + m.start() if m else offset
        investors = [e.id for p, e in others if e.type == "investor" or (e.type in ("company", "agency") and p >= cut)]
        if investors and m:
            roles["investors"] = list(dict.fromkeys(investors))
    return roles


# How the model and the rules combine (chosen on cross-validation: equal F1 for 1-3x, precision rising with it).
ONE_KIND_PER_CLAUSE = True  # one entity, one clause, one event type: the likeliest
MODEL_KINDS = frozenset({"landing", "expansion", "launch", "funding", "acquisition", "partnership"})
ADD_SCALE = 2.0  # the model's own events need this multiple of the slot's threshold (tuned for F1 out of fold)
RULE_KEEP = 0.0  # a rule's event is dropped when the model scores it under this share of the slot's threshold


def learned_events(doc: Document, model: EventModel, rules: list[Event]) -> list[Event]:
    """Events read by the learned model: a (type, entity) pair is an event when its best clause scores over the
    slot's threshold; visits pair a visitor with a host and partnerships gather members clause by clause."""
    from bioatlas.extract.numbers import find_amounts
    from bioatlas.learn.event_model import SLOTS, candidates

    floor = min(RULE_KEEP, ADD_SCALE) if RULE_KEEP > 0 else ADD_SCALE  # no candidate under it can matter
    units, cands = candidates(doc, rules, model, floor=floor)
    scores = model.scores(cands, units)
    best: dict[tuple[str, str], tuple[float, int, Entity]] = {}
    per_unit: dict[tuple[str, int], list[tuple[float, Entity]]] = {}
    for cand, score in zip(cands, scores, strict=True):
        s = float(score)
        key = (cand.slot, cand.entity.id)
        if key not in best or s > best[key][0]:
            best[key] = (s, cand.unit, cand.entity)
        per_unit.setdefault((cand.slot, cand.unit), []).append((s, cand.entity))
    found: list[tuple[str, int, dict[str, str | list[str]], float]] = []
    for (slot, _), (s, ui, ent) in best.items():
        kind, role, _ = SLOTS[slot]
        if kind in ("visit", "partnership") or role == "acquirer" or kind not in MODEL_KINDS:
            continue
        if s < ADD_SCALE * model.thresholds.get(slot, 0.5):
            continue
        roles: dict[str, str | list[str]] = {role: ent.id}
        if kind == "acquisition":
            buyers = sorted(per_unit.get(("acquisition.acquirer", ui), []), key=lambda x: -x[0])
            buyer = next((e for _, e in buyers if e.id != ent.id), None)
            if buyer is not None:
                roles["acquirer"] = buyer.id
        found.append((kind, ui, roles, s))
    if ONE_KIND_PER_CLAUSE:  # one entity, one clause: the likeliest of landing, expansion, launch, funding
        top: dict[tuple[int, str], float] = {}
        for kind, ui, roles, s in found:
            key_id = str(roles.get(_KEY[kind]))
            top[(ui, key_id)] = max(top.get((ui, key_id), 0.0), s)
        found = [f for f in found if f[3] >= top[(f[1], str(f[2].get(_KEY[f[0]])))]]
    for (slot, ui), scored in per_unit.items():
        if slot == "visit.host" and "visit" in MODEL_KINDS:
            hosts = sorted(scored, key=lambda x: -x[0])
            visitors = sorted(per_unit.get(("visit.visitor", ui), []), key=lambda x: -x[0])
            if not hosts or not visitors:
                continue
            host = hosts[0]
            visitor = next((v for v in visitors if v[1].id != host[1].id), None)
            # the host decides (hosts are named more plainly); any visitor the model saw a role for goes with it
            if visitor is None or host[0] < ADD_SCALE * model.thresholds.get("visit.host", 0.5):
                continue
            found.append(("visit", ui, {"visitor": visitor[1].id, "host": host[1].id}, min(host[0], visitor[0])))
        elif slot == "partnership.members":
            members = [e.id for s, e in scored if s >= ADD_SCALE * model.thresholds.get(slot, 0.5)]
            members = list(dict.fromkeys(members))
            if len(members) >= 2:
                found.append(("partnership", ui, {"members": members}, min(s for s, _ in scored)))
    events: list[Event] = []
    seen: dict[tuple[str, str], Event] = {}
    # the rules' events stay unless the model finds their key participant unlikely
    slot_of = {kind: slot for slot, (kind, role, _) in SLOTS.items() if role == _KEY[kind]}
    for ev in rules:
        key_value = ev.roles[_KEY[ev.type]]
        ids = key_value if isinstance(key_value, list) else [key_value]
        slot = slot_of.get(ev.type, "")
        score = max((best.get((slot, i), (0.0,))[0] for i in ids), default=0.0)
        if score >= RULE_KEEP * model.thresholds.get(slot, 0.5):
            ev.confidence = round(max(ev.confidence, score), 3)
            _add(events, seen, ev)
    for kind, ui, roles, score in sorted(found, key=lambda f: (f[1], f[0])):
        unit = units[ui]
        key_value = roles[_KEY[kind]]
        key_ent = doc.entity(key_value if isinstance(key_value, str) else key_value[0])
        if key_ent is not None and kind not in ("visit", "partnership", "acquisition"):
            for role, value in _other_roles(doc, kind, key_ent, unit.items, unit.text, unit.start).items():
                roles.setdefault(role, value)
        event = Event(
            type=kind,
            roles=roles,
            evidence=unit.text.strip()[:300],
            start=unit.start,
            end=unit.end,
            date=event_date(doc, unit.text, unit.language, kind),
            method="model",
            confidence=round(score, 3),
        )
        if kind == "funding":
            amounts = find_amounts(unit.text, unit.language)
            if amounts:
                event.amount, event.currency = amounts[0].value, amounts[0].currency
        _add(events, seen, event)
    return events
