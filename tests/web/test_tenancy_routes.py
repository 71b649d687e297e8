"""Organisations through every route: one organisation's uploads never reach another organisation's user, nor an
anonymous reader, by any GET route of the API or the web pages, and its entities cannot be merged or unmerged by
others. The routes are enumerated from `app.routes`, so a route added later without a probe here fails the test.

The kb: a few pages of examples/corpus (the shared kb, ingested from the command line), then, through
`POST /api/ingest`, org "Agence wallonne" (user amélie) uploads a French and a Traditional Chinese page about a
made-up company (Zyphorax Biologics / 澤弗拉斯生技公司) and a made-up project (Quokkavax / 夸卡疫苗), and org
"苏州生物园" (user 博文) uploads a Simplified Chinese page (云杉瑞生物科技) and a German one (Wolkenbeer Therapeutics).
博文 reads the API with a token and the pages with a password login; the anonymous reader with neither.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from bioatlas import accounts
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.web.app import create_app
from tests.web.conftest import EXAMPLES, web_settings

SHARED_FILES = [
    "en-clarity-wallonia-radiopharma.txt",
    "fr-clarity-liege.txt",
    "zh-hant-en-liege-bilingual.txt",
    "de-magia-medtech-allianz.txt",
    "fr-magia-lyonbiopole.txt",
]
AMELIE, BOWEN = "amélie", "博文"
PASSWORDS = {AMELIE: "mot-de-passe-d-amélie-assez-long", BOWEN: "博文的密码足够长足够长足够长"}
A_FILES = {
    "zyphorax-note-confidentielle.txt": "Zyphorax Biologics s'installe à Liège\n\n"
    "La société Zyphorax Biologics s'installe à Liège avec le soutien de l'AWEX. Son projet secret Quokkavax vise "
    "un vaccin contre la grippe aviaire. Zyphorax Biologics a levé 12 millions d'euros auprès de Noctavia Capital.",
    "澤弗拉斯-內部簡報.txt": "澤弗拉斯生技進駐列日\n\n"
    "澤弗拉斯生技公司在瓦隆尼亞外貿投資總署協助下進駐列日，專注疫苗研發。該公司的秘密項目名為夸卡疫苗計畫。",
}
B_FILES = {
    "云杉瑞-内部简报.txt": "云杉瑞生物落户苏州工业园区\n\n"
    "云杉瑞生物科技有限公司正式落户苏州工业园区，将建设抗体药物研发中心。苏州工业园区管委会表示欢迎。",
    "wolkenbeer-intern.txt": "Wolkenbeer Therapeutics eröffnet in Suzhou\n\n"
    "Das Biotech-Unternehmen Wolkenbeer Therapeutics GmbH eröffnet ein Labor im Suzhou Industrial Park. "
    "Das Projekt heißt Glimmerfuchs.",
}
# Org A's words in both Chinese scripts, its file names and its organisation's name: none may reach another org.
A_MARKS = [
    "Quokkavax",
    "Zyphorax",
    "Noctavia",
    "澤弗拉斯",
    "泽弗拉斯",
    "夸卡",
    "zyphorax-note-confidentielle",
    "內部簡報",  # org A's Traditional file name (org B's own file is 内部简报, in Simplified)
]
B_MARKS = ["云杉瑞", "雲杉瑞", "Wolkenbeer", "Glimmerfuchs", "wolkenbeer-intern"]

# GET routes that show no kb content, each with the reason it needs no organisation probe.
NOT_KB_CONTENT = {
    "/login": "the login form",
    "/docs": "the API documentation",
    "/api/openapi.json": "the API schema",
    "/account": "the user's own account and tokens",
    "/api/me": "the user's own account and tokens",
    "/admin/users": "user management (admins only)",
    "/api/users": "user management (admins only)",
}
# State-changing routes that are not about kb content (accounts), each with the reason.
WRITES_NOT_KB_CONTENT = {
    "/login": "logging in",
    "/logout": "logging out",
    "/account/tokens": "the user's own tokens",
    "/account/tokens/revoke": "the user's own tokens",
    "/account/password": "the user's own password",
    "/admin/users": "user management (admins only)",
    "/admin/users/change": "user management (admins only)",
}
WRITES_PROBED = {
    "/api/ingest",
    "/ingest",
    "/api/merges",
    "/api/merges/{merge_id}/undo",
    "/api/corrections",
    "/api/corrections/{correction_id}/undo",
}
A_REASON = "Quokkavax : date confirmée par la note interne"  # org A's private correction, in its own words


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _upload(client: TestClient, token: str, files: dict[str, str]) -> dict[str, Any]:
    parts = [("files", (name, text.encode("utf-8"), "text/plain")) for name, text in files.items()]
    response = client.post("/api/ingest", files=parts, headers=bearer(token))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["statuses"] == {"added": len(files)}, body
    return body


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("tenancy-web")
    url = f"sqlite:///{folder}/kb.db"
    store = Store(url)
    report = ingest_paths(store, [str(EXAMPLES / name) for name in SHARED_FILES])
    assert report.statuses["added"] == len(SHARED_FILES), report.summary()
    accounts.create_user(store, AMELIE, PASSWORDS[AMELIE], "analyst", org="Agence wallonne")
    accounts.create_user(store, BOWEN, PASSWORDS[BOWEN], "analyst", org="苏州生物园")
    tokens = {name: accounts.create_token(store, name, "tests") for name in (AMELIE, BOWEN)}
    app = create_app(url, settings=web_settings(public_read=True))
    with TestClient(app) as client:
        uploads = {AMELIE: _upload(client, tokens[AMELIE], A_FILES), BOWEN: _upload(client, tokens[BOWEN], B_FILES)}
        a_docs = sorted({e["document_id"] for e in uploads[AMELIE]["entries"]})
        found = client.get("/api/search", params={"q": "Zyphorax Biologics"}, headers=bearer(tokens[AMELIE])).json()
        zyphorax = [e["id"] for e in found["entities"] if e["type"] == "company"]
        found = client.get("/api/search", params={"q": "澤弗拉斯生技公司"}, headers=bearer(tokens[AMELIE])).json()
        zh_company = [e["id"] for e in found["entities"] if e["type"] == "company"]
        assert len(a_docs) == 2 and zyphorax and zh_company, (a_docs, zyphorax, zh_company)
        a_event = client.get("/api/events", params={"place": zyphorax[0]}, headers=bearer(tokens[AMELIE]))
        corrected = client.post(  # org A's own correction of its own event: private to org A
            "/api/corrections",
            json={"event": a_event.json()["events"][0]["id"], "field": "date", "value": "2024-02", "reason": A_REASON},
            headers=bearer(tokens[AMELIE]),
        )
        assert corrected.status_code == 201, corrected.text
        yield {
            "app": app,
            "client": client,
            "store": store,
            "tokens": tokens,
            "uploads": uploads,
            "a_docs": a_docs,
            "zyphorax": zyphorax[0],
            "zh_company": zh_company[0],
            "a_event": a_event.json()["events"][0]["id"],
            "a_correction": corrected.json()["corrections"][0]["id"],
        }
    store.engine.dispose()


@pytest.fixture(scope="module")
def bowen_pages(world: dict[str, Any]) -> Iterator[TestClient]:
    """博文 logged in through the login form: the HTML pages read with a session cookie."""
    with TestClient(world["app"]) as client:
        form = client.get("/login")
        csrf = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = client.post(
            "/login",
            data={"username": BOWEN, "password": PASSWORDS[BOWEN], "csrf_token": csrf, "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text[:300]
        assert client.get("/api/me").json()["user"] == BOWEN
        yield client


def _probes(world: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    """For every GET route showing kb content: URLs that try to reach org A's data, with the status expected."""
    zyphorax, doc = quote(world["zyphorax"], safe=":"), world["a_docs"][0]
    words = ["Quokkavax", "Zyphorax Biologics", "澤弗拉斯", "泽弗拉斯", "夸卡疫苗", "Noctavia"]
    search = [(urlencode({"q": w}), 200) for w in words] + [(urlencode({"q": "Liège"}), 200)]
    entity = [(zyphorax, 404), (quote(world["zh_company"], safe=":"), 404), ("ref:liege", 200), ("ref:awex", 200)]
    events = ["", f"place={zyphorax}", "place=ref:liege", "type=funding", "type=landing&sector=vaccines"]
    events += ["page=2&limit=1"]
    land = "sector=vaccines&need=eu-market"
    prospects = [(urlencode({"for": "Suzhou Industrial Park"}), 200), (urlencode({"for": "Liège"}), 200)]
    pathway = [(urlencode({"location": "Liège"}), 200), (urlencode({"location": "Zyphorax Biologics"}), 404)]
    markets = [(urlencode({"alliance": "MAGIA"}), 200), (urlencode({"alliance": "Zyphorax Biologics"}), 404)]
    directory = [
        "",
        "q=Zyphorax",
        "q=%E6%BE%A4%E5%BC%97",  # 澤弗
        "type=company&place=Li%C3%A8ge&per_page=200",
        "type=company&sort=events&per_page=200",
        "type=company&sort=funding&event=funding&per_page=200",
    ]
    downloads = {  # the API's lists as files (the pages link to them)
        "/api/search": [
            urlencode({"q": w, "format": f}) for w in ("Zyphorax Biologics", "澤弗拉斯") for f in ("csv", "json")
        ],
        "/api/events": ["format=csv&limit=1000", f"place={zyphorax}&format=json"],
        "/api/directory": ["q=Zyphorax&format=csv", "type=company&format=json&per_page=5000"],
        "/api/prospects": [urlencode({"for": "Suzhou Industrial Park", "format": "csv"})],
        "/api/land": [f"{land}&format=csv"],
    }
    out: dict[str, list[tuple[str, int]]] = {}
    for prefix in ("/api", ""):
        out[f"{prefix}/search"] = [(f"{prefix}/search?{q}", s) for q, s in search]
        out[f"{prefix}/entity/{{entity_id:path}}"] = [(f"{prefix}/entity/{e}", s) for e, s in entity]
        out[f"{prefix}/events"] = [(f"{prefix}/events?{q}", 200) for q in events]
        out[f"{prefix}/document/{{doc_id:path}}"] = [(f"{prefix}/document/{d}", 404) for d in world["a_docs"]] + [
            (f"{prefix}/document/{doc}?mark=0-20", 404)
        ]
        out[f"{prefix}/map"] = [(f"{prefix}/map", 200)]
        out[f"{prefix}/ingest"] = [(f"{prefix}/ingest", 200), (f"{prefix}/ingest?limit=1000", 200)]
        out[f"{prefix}/land"] = [(f"{prefix}/land?{land}", 200)]
        out[f"{prefix}/pathway"] = [(f"{prefix}/pathway?{q}", s) for q, s in pathway]
        out[f"{prefix}/prospects"] = [(f"{prefix}/prospects?{q}", s) for q, s in prospects]
        out[f"{prefix}/markets"] = [(f"{prefix}/markets?{q}", s) for q, s in markets]
        out[f"{prefix}/directory"] = [(f"{prefix}/directory?{q}", 200) for q in directory]
        out[f"{prefix}/corrections"] = [  # corrections history: another organisation's entity is unknown
            (f"{prefix}/corrections", 200),
            (f"{prefix}/corrections?entity={zyphorax}", 400),
            (f"{prefix}/corrections?entity=ref:liege", 200),
        ]
    timeline = [("", 200), ("place=ref:liege", 200), (f"place={zyphorax}", 200), ("sector=vaccines", 200)]
    timeline += [(f"entity={zyphorax}", 404), (f"entity={quote(world['zh_company'], safe=':')}", 404)]
    timeline += [("entity=ref:liege", 200), (urlencode({"place": "Suzhou", "type": "landing"}), 200)]
    out["/api/timeline"] = [(f"/api/timeline?{q}", s) for q, s in timeline]
    flows = ["", "by=region", "type=landing&type=expansion", urlencode({"place": "Suzhou"}), "sector=vaccines"]
    for prefix in ("/api", ""):
        out[f"{prefix}/flows"] = [(f"{prefix}/flows?{q}", 200) for q in flows]
        out[f"{prefix}/map"] += [(f"{prefix}/map?type=landing", 200), (f"{prefix}/map?sector=vaccines&from=2000", 200)]
    out["/api/entities/suggest"] = [(f"/api/entities/suggest?{urlencode({'q': w})}", 200) for w in words]
    out["/api/prospects.csv"] = [(f"/api/prospects.csv?{q}", s) for q, s in prospects]
    for route, queries in downloads.items():
        out[route] += [(f"{route}?{q}", 200) for q in queries]
    out["/"] = [("/", 200)]
    return out


def _asked(url: str) -> list[str]:
    """What the request itself says (a page may echo it: the search box, 'no entity with id …')."""
    parts = urlsplit(url)
    said = [unquote(p) for p in parts.path.split("/") if p]
    for pair in parts.query.split("&"):
        said.extend(unquote(v.replace("+", " ")) for v in pair.split("=")[1:])
    return sorted(said, key=len, reverse=True)


def _leaks(text: str, url: str, world: dict[str, Any], marks: list[str]) -> list[str]:
    for echo in (quote(url, safe="/"), quote(url, safe=""), url):  # e.g. the login link's ?next=
        text = text.replace(echo, "")
    for said in _asked(url):
        text = text.replace(said, "").replace(json.dumps(said)[1:-1], "")
    ids = [world["zyphorax"], world["zh_company"], *world["a_docs"]]
    return [m for m in [*marks, *ids] if m in text]


def _routes(app: FastAPI, reading: bool) -> set[str]:
    """The paths of the app's GET routes (reading) or of its state-changing ones, included routers flattened."""
    out = set()
    for route in iter_route_contexts(app.routes):
        methods = route.methods or set()
        if route.path and ("GET" in methods if reading else methods - {"GET", "HEAD", "OPTIONS"}):
            out.add(route.path)
    return out


def test_every_get_route_is_probed_or_shows_no_kb_content(world: dict[str, Any]) -> None:
    routes = _routes(world["app"], reading=True)
    probed = set(_probes(world))
    assert routes - probed - set(NOT_KB_CONTENT) == set(), "a GET route without an organisation probe"
    assert probed <= routes, probed - routes
    writes = _routes(world["app"], reading=False)
    assert writes >= WRITES_PROBED, WRITES_PROBED - writes
    assert writes - WRITES_PROBED - set(WRITES_NOT_KB_CONTENT) == set(), "a write route without an organisation probe"


@pytest.mark.parametrize("who", ["token", "session", "anonymous"])
def test_nothing_of_another_organisation_reaches_any_route(
    world: dict[str, Any], bowen_pages: TestClient, who: str
) -> None:
    client = bowen_pages if who == "session" else world["client"]
    headers = bearer(world["tokens"][BOWEN]) if who == "token" else {}
    marks = A_MARKS + (B_MARKS if who == "anonymous" else [])
    failures = []
    for route, probes in _probes(world).items():
        for url, status in probes:
            response = client.get(url, headers=headers)
            leaked = _leaks(response.text, url, world, marks)
            if response.status_code != status or leaked:
                around = [response.text[max(0, i - 80) : i + 40] for m in leaked for i in [response.text.find(m)]]
                failures.append((route, url, response.status_code, leaked, around))
    assert not failures, failures


def test_the_searches_find_nothing_of_another_organisation_in_either_script(world: dict[str, Any]) -> None:
    client, tokens = world["client"], world["tokens"]
    for word in ("Quokkavax", "Zyphorax", "澤弗拉斯", "泽弗拉斯", "夸卡疫苗", "夸卡疫苗计画"):
        for headers in (bearer(tokens[BOWEN]), {}):
            result = client.get("/api/search", params={"q": word}, headers=headers).json()
            assert result["total"] == 0 and not result["documents"] and not result["entities"], (word, result)
        mine = client.get("/api/search", params={"q": word}, headers=bearer(tokens[AMELIE])).json()
        assert mine["documents"], word
    for word in ("云杉瑞", "雲杉瑞", "Glimmerfuchs"):
        assert client.get("/api/search", params={"q": word}, headers=bearer(tokens[BOWEN])).json()["documents"]
        assert not client.get("/api/search", params={"q": word}, headers=bearer(tokens[AMELIE])).json()["documents"]


def test_each_organisation_sees_its_own_uploads_and_the_shared_kb(world: dict[str, Any]) -> None:
    client, amelie = world["client"], bearer(world["tokens"][AMELIE])
    page = client.get(f"/api/entity/{world['zyphorax']}", headers=amelie)
    assert page.status_code == 200 and page.json()["events"]
    html = client.get(f"/entity/{world['zyphorax']}", headers=amelie)
    assert html.status_code == 200 and "Zyphorax Biologics" in html.text
    for doc in world["a_docs"]:
        assert client.get(f"/api/document/{doc}", headers=amelie).status_code == 200
        assert client.get(f"/document/{doc}", headers=amelie).status_code == 200
    log = client.get("/ingest", headers=amelie).text
    assert "zyphorax-note-confidentielle.txt" in log and "wolkenbeer-intern" not in log
    csv = client.get("/api/prospects.csv", params={"for": "Suzhou Industrial Park"}, headers=amelie).text
    assert "Zyphorax Biologics" in csv
    events = client.get("/api/events", params={"place": world["zyphorax"]}, headers=amelie).json()
    assert events["count"] >= 2
    for headers in (amelie, bearer(world["tokens"][BOWEN]), {}):  # the shared kb: the same for everyone
        found = client.get("/api/search", params={"q": "Clarity Pharmaceuticals"}, headers=headers).json()
        assert len(found["documents"]) >= 2, found
    counts = {
        name: client.get("/api/ingest", headers=headers).json()["documents"]
        for name, headers in (("a", amelie), ("b", bearer(world["tokens"][BOWEN])), ("anonymous", {}))
    }
    shared = len(SHARED_FILES)
    assert counts == {"a": shared + 2, "b": shared + 2, "anonymous": shared}


def test_an_upload_answers_with_the_uploaders_own_run_only(world: dict[str, Any]) -> None:
    for name, files in ((AMELIE, A_FILES), (BOWEN, B_FILES)):
        body = world["uploads"][name]
        assert {e["run_id"] for e in body["entries"]} == {body["run_id"]}
        assert sorted(e["source"] for e in body["entries"]) == sorted(files)
    assert not [m for m in A_MARKS if m in json.dumps(world["uploads"][BOWEN], ensure_ascii=False)]


def test_another_organisations_entities_cannot_be_merged_or_unmerged(world: dict[str, Any]) -> None:
    client, tokens = world["client"], world["tokens"]
    amelie, bowen = bearer(tokens[AMELIE]), bearer(tokens[BOWEN])
    zyphorax, zh_company = world["zyphorax"], world["zh_company"]
    refused = client.post("/api/merges", json={"from_id": zyphorax, "to_id": "ref:liege"}, headers=bowen)
    missing = client.post("/api/merges", json={"from_id": "ent:0000000000000000", "to_id": "ref:liege"}, headers=bowen)
    assert refused.status_code == missing.status_code == 404
    assert refused.json()["error"]["message"].replace(zyphorax, "X") == missing.json()["error"]["message"].replace(
        "ent:0000000000000000", "X"
    )
    assert client.post("/api/merges", json={"from_id": "ref:awex", "to_id": zyphorax}, headers=bowen).status_code == 404
    merged = client.post("/api/merges", json={"from_id": zh_company, "to_id": zyphorax}, headers=amelie)
    assert merged.status_code == 201, merged.text
    merge_id = merged.json()["id"]
    try:
        assert client.post(f"/api/merges/{merge_id}/undo", json={}, headers=bowen).status_code == 404
        assert client.get(f"/api/entity/{zh_company}", headers=bowen).status_code == 404
        seen_by_a = client.get(f"/api/entity/{zh_company}", headers=amelie).json()
        assert seen_by_a["entity"]["id"] == zyphorax and merge_id in json.dumps(seen_by_a["merges"])
    finally:
        undone = client.post(f"/api/merges/{merge_id}/undo", json={}, headers=amelie)
        assert undone.status_code == 200, undone.text


def test_another_organisations_events_and_corrections_cannot_be_corrected_or_undone(world: dict[str, Any]) -> None:
    client, bowen = world["client"], bearer(world["tokens"][BOWEN])
    body = {"field": "date", "value": "2020"}
    refused = client.post("/api/corrections", json={"event": world["a_event"], **body}, headers=bowen)
    missing = client.post("/api/corrections", json={"event": "0000000000000000", **body}, headers=bowen)
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["error"]["message"].replace(world["a_event"], "X") == missing.json()["error"][
        "message"
    ].replace("0000000000000000", "X")
    undo = client.post(f"/api/corrections/{world['a_correction']}/undo", json={}, headers=bowen)
    assert undo.status_code == 404
    role = {"field": "role", "role": "location", "add": world["zyphorax"]}
    shared_event = client.get("/api/events", params={"place": "ref:liege"}).json()["events"][0]["id"]
    named = client.post("/api/corrections", json={"event": shared_event, **role}, headers=bowen)
    assert named.status_code == 400 and named.json()["error"]["message"].startswith("add: no entity")


def _liege_on_the_map(text: str) -> int:
    found = re.search(r'href="/entity/ref:liege" class="point [^"]*" data-events="(\d+)"', text)
    assert found, "Liège is not on the map"
    return int(found.group(1))


# Routes that show org A's data only as numbers: how to read the number from each.
COUNTED = {
    "/api/map": lambda text: next(p["events"] for p in json.loads(text)["points"] if p["id"] == "ref:liege"),
    "/map": _liege_on_the_map,
    "/": lambda text: int(re.sub(r"\D", "", re.findall(r"<strong>([^<]+)</strong>", text)[0])),
    "/api/timeline": lambda text: int(json.loads(text)["total"]),
    "/api/flows": lambda text: int(json.loads(text)["events"]),
    "/flows": lambda text: int(re.sub(r"\D", "", re.findall(r'id="flows-heading">[^<]*<small>([^<]+)<', text)[0])),
}


def test_every_probed_route_shows_the_organisation_its_own_uploads(world: dict[str, Any]) -> None:
    """The other side of the probes: the same URLs, asked by org A's user, do show org A's data (so a route that
    forgot whom it answers, and showed only the shared kb, fails here)."""
    client, amelie = world["client"], bearer(world["tokens"][AMELIE])
    blind = []
    for route, probes in _probes(world).items():
        if route in COUNTED:
            url = probes[0][0]
            count = {
                who: COUNTED[route](client.get(url, headers=headers).text)
                for who, headers in (("a", amelie), ("anonymous", {}))
            }
            if not count["a"] > count["anonymous"]:
                blind.append((route, count))
            continue
        seen = []
        for url, _ in probes:
            response = client.get(url, headers=amelie)
            seen += _leaks(response.text, url, world, A_MARKS) if response.status_code == 200 else []
        if not seen:
            blind.append((route, seen))
    assert blind == [], blind


def test_in_a_real_browser_another_organisations_user_finds_nothing(
    world: dict[str, Any], browser: Any, serve_app: Any
) -> None:
    """博文 logs in with chromium and looks for org A's company, project word and files: nothing shows."""
    from tests.web.conftest import log_in_page

    with serve_app(world["app"]) as base_url:
        context = browser.new_context(base_url=base_url, locale="zh-CN")
        context.set_default_timeout(10_000)
        pg = context.new_page()
        try:
            log_in_page(pg, BOWEN, PASSWORDS[BOWEN])
            for word in ("Quokkavax", "澤弗拉斯", "泽弗拉斯"):
                pg.goto("/")
                pg.locator("input[name=q]").first.fill(word)
                pg.locator("input[name=q]").first.press("Enter")
                pg.wait_for_url(lambda url: "/search?" in url)
                assert pg.locator("a[href^='/document/']").count() == 0, word
                assert not _leaks(pg.content(), pg.url, world, A_MARKS), word
            response = pg.goto(f"/entity/{world['zyphorax']}")
            assert response is not None and response.status == 404
            for path in ("/ingest", "/map", "/events", "/prospects?for=Suzhou+Industrial+Park"):
                pg.goto(path)
                assert not _leaks(pg.content(), pg.url, world, A_MARKS), path
            pg.goto("/search?q=" + quote("云杉瑞"))  # its own upload, found in the script it was written in
            assert pg.locator("a[href^='/document/']").count() >= 1
        finally:
            context.close()
