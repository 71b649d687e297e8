"""The charts of the pages, from the same JSON the API returns: words in the UI language, SVG from `web.charts`.

Each function takes an answer (`kb.timeline`, `kb.flows`, `match.pathway`, `match.land`) and the `Translator`, and
returns what a template shows: the SVG (already escaped, as `Markup`), and the rows of the table that gives the same
numbers to people who cannot see the chart.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup

from bioatlas.kb.timeline import events_per_year
from bioatlas.web import charts
from bioatlas.web.i18n import Translator
from bioatlas.web.render import number


def _count(value: float) -> str:
    return number(int(value)) if float(value).is_integer() else number(round(float(value), 2))


def timeline_view(data: dict[str, Any], t: Translator, json_url: str, chart_id: str = "timeline") -> dict[str, Any]:
    """The timeline of a `kb.timeline.events_per_year` answer, and its table (a row per year with events)."""
    series = [charts.Series(kind, t.label("event", kind)) for kind in data["types"]]
    counts = {(c["year"], c["type"]): c["count"] for c in data["counts"]}
    svg = charts.timeline_svg(
        data["years"],
        series,
        counts,
        title=t("chart_timeline_title"),
        desc=t("chart_timeline_desc", n=number(data["total"])),
        axis_years=t("chart_axis_years"),
        axis_count=t("chart_axis_events"),
        empty=t("chart_no_events"),
        number=_count,
        chart_id=chart_id,
    )
    rows = [
        {"year": y, "counts": [counts.get((y, s.key), 0) for s in series]}
        for y in data["years"]
        if any(counts.get((y, s.key)) for s in series)
    ]
    for row in rows:
        row["total"] = sum(row["counts"])
    return {
        "svg": Markup(svg),
        "series": series,
        "rows": rows,
        "undated": data["undated"],
        "total": data["total"],
        "json_url": json_url,
    }


def timeline_url(**filters: Any) -> str:
    """`/api/timeline?...` for the filters given (lists repeat their parameter; empty values are left out)."""
    pairs: list[tuple[str, str]] = []
    for name, value in filters.items():
        for v in value if isinstance(value, list | tuple) else [value]:
            if v not in (None, ""):
                pairs.append((name, str(v)))
    return "/api/timeline" + (f"?{urlencode(pairs)}" if pairs else "")


def flows_view(data: dict[str, Any], t: Translator, countries: dict[str, str]) -> dict[str, Any]:
    """The flow chart of a `kb.flows.landing_flows` answer: bands link to `/events` for their destination."""

    def origin_name(code: str | None) -> str:
        return countries.get(code, code) if code else t("flows_unknown")

    def destination_name(d: dict[str, Any] | None) -> str:
        if d is None:
            return t("flows_unknown")
        return countries.get(d["id"], d["id"]) if len(d["id"]) == 2 else str(d["name"])

    types = data["filters"]["type"]
    base = [("type", k) for k in types] + [
        (name, data["filters"][name]) for name in ("sector", "from", "to") if data["filters"][name]
    ]

    def events_link(d: dict[str, Any] | None) -> str | None:
        if d is None:
            return None
        return "/events?" + urlencode([*base, ("place", d["id"])])

    flows = [
        charts.Flow(
            origin_name(f["origin"]), destination_name(f["destination"]), f["count"], events_link(f["destination"])
        )
        for f in data["flows"]
    ]
    svg = charts.flow_svg(
        flows,
        title=t("flows_title"),
        desc=t(
            "flows_desc",
            n=number(data["events"]),
            origins=number(len(data["origins"])),
            destinations=number(len(data["destinations"])),
        ),
        origin_title=t("flows_origin"),
        destination_title=t("flows_destination"),
        empty=t("flows_none"),
        other=t("flows_other"),
        number=_count,
    )
    return {
        "svg": Markup(svg),
        "rows": [{"origin": f.origin, "destination": f.destination, "count": f.count, "href": f.href} for f in flows],
        "destinations": [
            {"name": destination_name(d["destination"]), "count": d["count"], "href": events_link(d["destination"])}
            for d in data["destinations"]
        ],
    }


def pathway_view(data: dict[str, Any], t: Translator) -> dict[str, Any]:
    """The pathway's stages as a row of arrows (and a column for narrow screens)."""
    stages = [
        charts.Stage(
            key=s["stage"],
            label=t.text_or("pathway_" + s["stage"], s["label"]),
            covered=bool(s["covered"]),
            providers=len(s["providers"]),
            status=t("covered") if s["covered"] else t("not_covered"),
            detail=t.plural("providers_n", len(s["providers"])),
            href="#stage-" + quote(s["stage"]),
        )
        for s in data["stages"]
    ]
    title = t("pathway_chart_title")
    desc = t(
        "pathway_chart_desc",
        covered=sum(s.covered for s in stages),
        n=len(stages),
        place=data["location"]["name"],
    )
    return {
        "wide": Markup(charts.pathway_svg(stages, title=title, desc=desc, chart_id="pathway-row")),
        "narrow": Markup(charts.pathway_svg(stages, title=title, desc=desc, vertical=True, chart_id="pathway-column")),
    }


COMPARED = 5  # locations in the comparison chart: more bars than this per panel are hard to read on a phone


def land_view(data: dict[str, Any], t: Translator, prefix: str = "land_w_") -> dict[str, Any] | None:
    """The top locations' indicator values side by side, one panel per indicator, the score first."""
    results = data.get("results") or []
    if not results:
        return None
    top = results[:COMPARED]
    names = [str(r["name"]) for r in top]
    measures = [charts.Measure("score", t("land_chart_score"), [r.get("score") for r in top])]
    order = [i["name"] for i in top[0].get("indicators", [])]
    for key in order:
        values: list[float | None] = []
        label = key
        for r in top:
            found = next((i for i in r.get("indicators", []) if i["name"] == key), None)
            if found is not None:
                label = t.text_or(prefix + key, found.get("label") or key)
            values.append(None if found is None or found.get("missing") else found.get("value"))
        measures.append(charts.Measure(key, label, values))
    svg = charts.comparison_svg(
        names,
        measures,
        title=t("land_chart_title"),
        desc=t("land_chart_desc", n=len(top)),
        missing=t("missing_data"),
        empty=t("no_answer"),
        number=lambda v: f"{float(v):.2f}",
        top=1.0,  # scores and indicator values lie between 0 and 1: the same scale in every panel
    )
    return {"svg": Markup(svg), "names": names, "measures": measures}


def entity_timeline(store: Any, entity_id: str, viewer: Any, lang: str) -> dict[str, Any] | None:
    """An entity page's timeline (its events and those of what was merged into it); None when it has none."""
    data = events_per_year(store, entity=entity_id, viewer=viewer)
    if not data["total"]:
        return None
    return timeline_view(data, Translator(lang), timeline_url(entity=entity_id))


def events_timeline(store: Any, filters: Any, viewer: Any, lang: str) -> dict[str, Any] | None:
    """The event list's timeline for its current filters (`api.params.EventFilters`): every matching event, not
    only the page shown; None when nothing matches."""
    asked = {
        "place": filters.place,
        "sector": filters.sector,
        "types": filters.types,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
    }
    data = events_per_year(store, **asked, viewer=viewer)
    if not data["total"]:
        return None
    url = timeline_url(
        place=filters.place,
        sector=filters.sector,
        type=filters.types,
        **{"from": filters.date_from, "to": filters.date_to},
    )
    return timeline_view(data, Translator(lang), url)


__all__ = [
    "entity_timeline",
    "events_timeline",
    "flows_view",
    "land_view",
    "pathway_view",
    "timeline_url",
    "timeline_view",
]
