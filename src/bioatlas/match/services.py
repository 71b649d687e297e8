"""Who offers a service (GMP production, clinical trials, regulatory...) in an area, and the proof of it.

One function for every answer that asks: `/pathway` lists the providers of each stage and `/land` scores a
location's services from the same offers, so the two never disagree about a place. An offer comes from a reference
row (`organisations.csv`, column `services`) or from an ingested sentence that names an organisation or place of the
area and says the service is there ("GMP production of short-lived PET tracers is available locally, while the
University of Liège ... offers imaging and clinical research capacity"): the sentence is cited.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache, lru_cache

from bioatlas.match.knowledge import Evidence, Knowledge
from bioatlas.sectors import sectors_match
from bioatlas.text.keywords import WordLists

# Words that show a service in a sentence, in every language the sources use (lower case; CJK as written).
SERVICE_WORDS: dict[str, tuple[str, ...]] = {
    "clinical-trials": (
        "clinical trial",
        "clinical stud",
        "clinical research",
        "essai clinique",
        "essais cliniques",
        "recherche clinique",
        "klinische studie",
        "klinische prüfung",
        "klinische forschung",
        "klinisch onderzoek",
        "临床试验",
        "臨床試驗",
        "临床研究",
        "臨床研究",
        "臨床試験",
        "治験",
        "임상",
    ),
    "gmp-production": (
        "gmp",
        "manufacturing",
        "production",
        "produktion",
        "productie",
        "生产",
        "生產",
        "製造",
        "생산",
    ),
    "wet-lab": ("laboratory", "lab space", "wet lab", "laboratoire", "labor", "实验室", "實驗室", "ラボ", "연구실"),
    "rd-support": ("r&d", "research", "recherche", "forschung", "onderzoek", "研发", "研發", "研究", "연구"),
    "incubation": ("incubator", "incubateur", "inkubator", "孵化", "インキュベー", "인큐베이"),
    "regulatory": ("regulatory", "réglementaire", "zulassung", "注册", "註冊", "承認", "인허가"),
    "preclinical": ("preclinical", "préclinique", "präklinisch", "临床前", "臨床前", "前臨床", "전임상"),
}
ORGANISATION_TYPES = {"company", "research", "park", "cluster", "agency", "investor"}


@dataclass(slots=True)
class Offer:
    """`entity_id` offers `service` (local: inside the area itself, else in the region or country around it)."""

    entity_id: str
    service: str
    local: bool
    evidence: Evidence


@cache
def _service_words() -> WordLists:
    """Every service's words; a Latin word must start a word ('labor' is in 'Labor', not in 'collaborations')."""
    return WordLists(SERVICE_WORDS, word_start=True)


def services_in(text: str, services: Collection[str]) -> set[str]:
    """The services among `services` whose words the sentence uses."""
    return {s for s in services if s in _services_said(text)}


@lru_cache(maxsize=100_000)
def _services_said(text: str) -> frozenset[str]:
    """Every service whose words the sentence uses (kept: each report is asked about for every area around it)."""
    return _service_words().names_in(text.lower())


def who_offers(
    kb: Knowledge, local: set[str], around: set[str], services: set[str] | None, sector: str | None = None
) -> list[Offer]:
    """Offers of `services` (every service when None) by the organisations of `local` (a location's scope) and of
    `around` (the regional and national bodies that serve it), from reference rows and from the sentences that name
    them.

    A sentence counts only when it names the organisation or place it is credited to (any of its names), so a report
    about something else that merely shares an event with the area proves nothing. Places around (a region, the
    country) are not credited with sentences: a sentence naming Belgium says nothing about services in Liège.
    What each entity offers is worked out once per loaded kb (`_reported`, `_mentioned`); an area only gathers it.
    """
    offers: list[Offer] = []
    wanted = {sector} if sector else set()
    for eid in sorted(local | around):
        ent = kb.entities.get(eid)
        if ent is None or ent.row is None or ent.type == "place":
            continue
        if wanted and ent.sectors and not sectors_match(wanted, ent.sectors):
            continue
        for service in sorted(ent.services if services is None else ent.services & services):
            evidence = Evidence("reference", f"{ent.name}: {service}", reference=ent.row.source)
            offers.append(Offer(eid, service, eid in local, evidence))
    named = sorted(
        eid
        for eid in local | around
        if eid in kb.entities and (kb.entities[eid].type in ORGANISATION_TYPES or eid in local)
    )
    seen: set[tuple[str, str, str | None, int | None]] = set()
    reported = [
        (event, at, eid, service, report)
        for eid in named
        for event, at, service, report in _reported(kb, eid)
        if services is None or service in services
    ]
    for _, _, eid, service, report in sorted(reported, key=lambda r: (r[0], r[1], r[2], r[3])):  # kb order
        key = (eid, service, report.document_id, report.start)
        if key not in seen:
            seen.add(key)
            offers.append(Offer(eid, service, eid in local, report))
    if kb.mentions is not None:
        kb.mentions.of(named, window_says=_says_a_service)  # every entity's sentences at once, not one by one
        for eid in named:
            for service, evidence in _mentioned(kb, eid):
                key = (eid, service, evidence.document_id, evidence.start)
                if (services is None or service in services) and key not in seen:
                    seen.add(key)
                    offers.append(Offer(eid, service, eid in local, evidence))
    return offers


def _says_a_service(text: str) -> bool:
    """Whether a stretch of text uses a service word at all (its sentences need not be found otherwise)."""
    return bool(_services_said(text))


def evidence_key(evidence: Evidence) -> tuple[str | None, int | None, str | None, str]:
    """One sentence (or reference row) however many providers it names."""
    return (evidence.document_id, evidence.start, evidence.reference, evidence.label)


def _mentioned(kb: Knowledge, entity_id: str) -> list[tuple[str, Evidence]]:
    """(service, sentence) for every sentence naming the entity that says a service, in document order: the same
    for every area asking, so kept with the loaded kb."""

    def build() -> list[tuple[str, Evidence]]:
        assert kb.mentions is not None
        return [
            (service, mention.evidence)
            for mention in kb.mentions.of([entity_id], window_says=_says_a_service)
            for service in sorted(_services_said(mention.evidence.label))
        ]

    return kb.once(f"services.mentioned:{entity_id}", build)


def _reported(kb: Knowledge, entity_id: str) -> list[tuple[int, int, str, Evidence]]:
    """(event's place in the kb, report's place in the event, service, report) for each report of the entity's
    events that names the entity and a service: the same for every area asking, so kept with the loaded kb."""

    def build() -> list[tuple[int, int, str, Evidence]]:
        positions = kb.once("services.event_positions", lambda: {id(e): p for p, e in enumerate(kb.events)})
        out = []
        for ev in kb.events_of([entity_id]):
            for r, report in enumerate(ev.reports):
                said = _services_said(report.label)
                if said and kb.mentioned_in(report.label, entity_id):
                    out += [(positions[id(ev)], r, service, report) for service in sorted(said)]
        return out

    return kb.once(f"services.reported:{entity_id}", build)
