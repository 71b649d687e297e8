"""Check annotated pages (`<id>.txt` + `<id>.gold.json`) against the corpus format and its hard cases.

    python -m bioatlas.learn.check_pages data/training            # every page under the folder
    python -m bioatlas.learn.check_pages data/training/fr/fr-003.gold.json

Prints one line per problem and exits non-zero when there is any. It checks what a machine can:
every mention, evidence piece, boilerplate line and the title occur verbatim in the text; ids, types,
roles, units and dates are valid. Whether the annotation is *right* is for a reviewer.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from bioatlas.model import ENTITY_TYPES, FIGURE_UNITS, LANGUAGES

ROLES: dict[str, dict[str, bool]] = {  # role -> is a list
    "landing": {"company": False, "location": False, "origin": False, "facilitator": False},
    "expansion": {"company": False, "location": False},
    "launch": {"subject": False, "location": False, "by": False},
    "partnership": {"members": True},
    "funding": {"company": False, "investors": True},
    "acquisition": {"acquirer": False, "target": False},
    "visit": {"visitor": False, "host": False},
}
REQUIRED = {
    "landing": "company",
    "expansion": "company",
    "launch": "subject",
    "partnership": "members",
    "funding": "company",
    "acquisition": "target",
    "visit": "host",
}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_page(gold_path: Path) -> list[str]:
    problems: list[str] = []
    txt_path = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".txt")
    if not txt_path.exists():
        return [f"{gold_path}: no text file {txt_path.name}"]
    text = txt_path.read_text(encoding="utf-8")
    lines = {line.strip() for line in text.splitlines()}
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{gold_path}: invalid JSON: {exc}"]

    def bad(msg: str) -> None:
        problems.append(f"{gold_path.name}: {msg}")

    if gold.get("id") != gold_path.name[: -len(".gold.json")]:
        bad(f"id {gold.get('id')!r} is not the file name")
    langs = gold.get("languages") or []
    if not langs or any(lang not in LANGUAGES for lang in langs):
        bad(f"languages {langs!r}")
    title = gold.get("title")
    if title is not None and title.strip() not in text:
        bad(f"title is not in the text: {title!r}")
    published = gold.get("published")
    if published is not None and not _DATE.match(str(published)):
        bad(f"published {published!r}")
    for line in gold.get("boilerplate") or []:
        if line.strip() not in lines:
            bad(f"boilerplate is not a line of the text: {line!r}")
    ids: dict[str, str] = {}
    for ent in gold.get("entities") or []:
        eid = ent.get("id")
        if not eid or eid in ids:
            bad(f"entity id missing or repeated: {eid!r}")
            continue
        ids[eid] = ent.get("type", "")
        if ent.get("type") not in ENTITY_TYPES:
            bad(f"{eid}: type {ent.get('type')!r}")
        if not ent.get("name"):
            bad(f"{eid}: no name")
        mentions = ent.get("mentions") or []
        if not mentions:
            bad(f"{eid}: no mentions")
        for m in mentions:
            if m not in text:
                bad(f"{eid}: mention not in text: {m!r}")
        country = ent.get("country")
        if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
            bad(f"{eid}: country {country!r}")
    for i, ev in enumerate(gold.get("events") or []):
        kind = ev.get("type")
        if kind not in ROLES:
            bad(f"event {i}: type {kind!r}")
            continue
        roles = ev.get("roles") or {}
        for role, value in roles.items():
            if role not in ROLES[kind]:
                bad(f"event {i} ({kind}): unknown role {role!r}")
                continue
            values = value if isinstance(value, list) else [value]
            if ROLES[kind][role] != isinstance(value, list) and not (role == "by" and isinstance(value, list)):
                bad(f"event {i} ({kind}): role {role!r} should be {'a list' if ROLES[kind][role] else 'one id'}")
            for v in values:
                if v not in ids:
                    bad(f"event {i} ({kind}): role {role!r} points at unknown entity {v!r}")
        if REQUIRED[kind] not in roles:
            bad(f"event {i} ({kind}): no {REQUIRED[kind]!r} role")
        if kind == "partnership" and len(roles.get("members") or []) < 2:
            bad(f"event {i}: a partnership needs at least two members")
        date = ev.get("date")
        if date is not None and not _DATE.match(str(date)):
            bad(f"event {i}: date {date!r}")
        evidence = ev.get("evidence") or ""
        if not evidence:
            bad(f"event {i}: no evidence")
        for piece in evidence.split("..."):
            if piece.strip() and piece.strip() not in text:
                bad(f"event {i}: evidence piece not in text: {piece.strip()!r}")
    for i, fig in enumerate(gold.get("figures") or []):
        if fig.get("subject") not in ids:
            bad(f"figure {i}: subject {fig.get('subject')!r} is not an entity")
        if fig.get("unit") not in FIGURE_UNITS:
            bad(f"figure {i}: unit {fig.get('unit')!r}")
        if not isinstance(fig.get("value"), int | float):
            bad(f"figure {i}: value {fig.get('value')!r} is not a number")
        evidence = fig.get("evidence") or ""
        for piece in evidence.split("..."):
            if piece.strip() and piece.strip() not in text:
                bad(f"figure {i}: evidence piece not in text: {piece.strip()!r}")
    for key in ("events", "entities", "figures", "boilerplate"):
        if not isinstance(gold.get(key, []), list):
            bad(f"{key} is not a list")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    paths: list[Path] = []
    for arg in args or ["data/training"]:
        p = Path(arg)
        paths.extend(sorted(p.rglob("*.gold.json")) if p.is_dir() else [p])
    problems = [msg for path in paths for msg in check_page(path)]
    for msg in problems:
        print(msg)
    print(f"{len(paths)} pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
