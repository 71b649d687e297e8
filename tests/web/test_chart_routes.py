"""The chart APIs and pages over HTTP on the example corpus: `/api/timeline`, `/api/flows`, the filtered map, and
the pages that draw them. The numbers must be the ones `/api/events` gives for the same filters; a place named
in either Chinese script, in French or in German gives the same answer; a bad parameter is a 400 naming it."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bioatlas.web.catalogs import STRINGS


def events_count(client: TestClient, **params: Any) -> int:
    response = client.get("/api/events", params={**params, "limit": 1})
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


def timeline(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/timeline", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"place": "Belgium"},
        {"place": "ref:liege"},
        {"type": "landing"},
        {"type": ["landing", "partnership"], "from": "2017", "to": "2019"},
        {"sector": "radiopharma"},
        {"place": "ref:sg", "type": "landing"},
    ],
)
def test_timeline_counts_what_the_event_list_counts(client: TestClient, params: dict[str, Any]) -> None:
    data = timeline(client, **params)
    assert data["total"] == events_count(client, **params)
    assert data["total"] == sum(c["count"] for c in data["counts"]) + data["undated"]
    assert data["years"] == sorted(data["years"])
    for c in data["counts"]:  # each bar is the list of that year and type
        year_params = {**params, "type": c["type"], "from": c["year"], "to": c["year"]}
        if "from" in params and (c["year"] < params["from"] or c["year"] > params["to"]):
            pytest.fail(f"{c} lies outside the years asked")
        assert c["count"] == events_count(client, **year_params), c


@pytest.mark.parametrize("name", ["比利时", "比利時", "Belgique", "Belgien", "BE"])
def test_a_place_in_any_script_or_language_gives_the_same_timeline(client: TestClient, name: str) -> None:
    belgium = timeline(client, place="Belgium")
    assert belgium["total"] >= 3  # Liège, Gosselies: landings of 2017
    same = timeline(client, place=name)
    assert (same["counts"], same["total"]) == (belgium["counts"], belgium["total"])


def test_entity_timeline_counts_the_events_on_its_page(client: TestClient, clarity: dict[str, Any]) -> None:
    page = client.get(f"/api/entity/{clarity['id']}").json()
    data = timeline(client, entity=clarity["id"])
    assert data["total"] == len(page["events"]) >= 1
    years = {(e["date"] or "")[:4] for e in page["events"] if e["date"]}
    assert set(data["years"]) == years


def test_flows_count_the_landings_the_event_list_counts(client: TestClient) -> None:
    data = client.get("/api/flows").json()
    assert data["events"] == events_count(client, type="landing") >= 10
    assert sum(d["count"] for d in data["destinations"]) >= data["events"]  # each event counted at least once
    au = [f for f in data["flows"] if f["origin"] == "AU"]  # Clarity, from Sydney, to Liège
    assert au and au[0]["destination"]["id"] == "BE"
    for d in data["destinations"]:  # a destination's count is the list its link opens
        if d["destination"] is not None:
            assert d["count"] == events_count(client, type="landing", place=d["destination"]["id"]), d


def test_flows_by_region_and_for_a_destination(client: TestClient) -> None:
    data = client.get("/api/flows", params={"by": "region", "place": "瓦隆"}).json()  # Wallonia, in Chinese
    assert data["events"] == events_count(client, type="landing", place="瓦隆") >= 1
    regions = {d["destination"]["id"] for d in data["destinations"] if d["destination"]}
    assert regions == {"ref:wallonia"}
    both = client.get("/api/flows", params={"type": ["landing", "expansion"], "from": "2017", "to": "2017"}).json()
    assert both["events"] == events_count(client, type=["landing", "expansion"], **{"from": "2017", "to": "2017"})


@pytest.mark.parametrize("params", [{"type": "landing"}, {"from": "2015", "to": "2020"}, {"sector": "radiopharma"}])
def test_map_counts_under_filters_are_the_event_lists(client: TestClient, params: dict[str, Any]) -> None:
    everything = {p["id"]: p for p in client.get("/api/map").json()["points"]}
    points = client.get("/api/map", params=params).json()["points"]
    assert points, params
    for p in points[:12]:
        assert p["events"] == events_count(client, place=p["id"], **params), (p["name"], params)
        assert p["events"] <= everything[p["id"]]["events"]


def test_map_shows_parks_at_the_place_around_them(client: TestClient) -> None:
    points = client.get("/api/map").json()["points"]
    parks = [p for p in points if p["type"] in ("park", "cluster")]
    assert parks, "no park on the map"
    by_id = {p["id"]: p for p in points}
    for park in parks:
        assert park["events"] == events_count(client, place=park["id"])
        if park["placed_at"]:  # the place it is drawn at contains it, so counts its events too
            assert by_id[park["placed_at"]]["events"] >= park["events"]
            assert (park["lat"], park["lon"]) == (by_id[park["placed_at"]]["lat"], by_id[park["placed_at"]]["lon"])
    page = client.get("/map").text
    assert page.count('class="point park square') + page.count('class="point cluster square') == len(parks)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/timeline?from=2017-13", "from"),
        ("/api/timeline?type=bogus", "type"),
        ("/api/timeline?place=Belgium&entity=ref:liege", "entity"),
        ("/api/timeline?years=2017", "years"),
        ("/api/timeline?from=2020&to=2019", "from"),
        ("/api/flows?by=state", "by"),
        ("/api/flows?type=funding", "type"),
        ("/api/flows?to=yesterday", "to"),
        ("/api/map?type=nothing", "type"),
        ("/api/map?from=20x7", "from"),
    ],
)
def test_bad_parameters_are_400s_naming_them(client: TestClient, path: str, parameter: str) -> None:
    response = client.get(path)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"].startswith(f"{parameter}:")


def test_unknown_entity_timeline_is_404(client: TestClient) -> None:
    response = client.get("/api/timeline", params={"entity": "ent:0000000000000000"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def _svg_titles(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<title id="[^"]+-title">([^<]*)</title>', page)]


@pytest.mark.parametrize("lang", ["fr", "de", "zh-Hans", "zh-Hant"])
def test_chart_pages_in_the_ui_language(client: TestClient, lang: str, clarity: dict[str, Any]) -> None:
    words = STRINGS[lang]
    events = client.get("/events", params={"place": "Belgium", "lang": lang})
    assert events.status_code == 200
    assert words["chart_timeline_title"] in _svg_titles(events.text)
    assert html.unescape(words["chart_axis_years"]) in html.unescape(events.text)
    entity = client.get(f"/entity/{clarity['id']}", params={"lang": lang})
    assert words["chart_timeline_title"] in _svg_titles(entity.text)
    flows = client.get("/flows", params={"lang": lang})
    assert flows.status_code == 200
    text = html.unescape(flows.text)
    assert words["flows_title"] in _svg_titles(flows.text)
    assert words["flows_origin"] in text and words["nav_flows"] in text
    assert "/api/flows" in flows.text  # the JSON twin of the page
    land = client.get("/land", params={"sector": "radiopharma", "lang": lang})
    assert words["land_chart_title"] in _svg_titles(land.text)
    pathway = client.get("/pathway", params={"location": "Liège", "lang": lang})
    assert words["pathway_chart_title"] in _svg_titles(pathway.text)
    mapped = html.unescape(client.get("/map", params={"lang": lang, "type": "landing"}).text)
    assert words["map_zoom_reset"] in mapped and words["map_legend_park"] in mapped


def test_flows_page_bad_input_shows_the_form_with_the_message(client: TestClient) -> None:
    response = client.get("/flows", params={"by": "planet", "lang": "fr"})
    assert response.status_code == 400
    assert "by: " in html.unescape(response.text) and 'id="flows-form"' in response.text


def test_flow_links_open_the_events_they_count(client: TestClient) -> None:
    page = client.get("/flows", params={"lang": "de"}).text
    links = sorted(set(re.findall(r'href="(/events\?[^"]+)"', page)))
    assert links
    for link in links[:5]:
        url = html.unescape(link)
        listed = client.get("/api" + url + "&limit=1").json()["count"]
        shown = re.search(re.escape(link) + r'">[^<]*</a></span>\s*<meter[^>]*value="(\d+)"', page)
        if shown:
            assert int(shown.group(1)) == listed, url
