"""Accounts: organisations, users with a role, password logins (sessions) and API tokens, over the kb's store.

Passwords are hashed with argon2 (argon2-cffi); session cookies and API tokens are random strings from `secrets`
of which the store keeps only the SHA-256, so a copy of the database lets nobody log in. Every function here is
plain and typed so the CLI, the web pages and the API call the same ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata
import uuid
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, func, insert, select, update

from bioatlas.access import ROLES, Viewer
from bioatlas.kb import schema as t
from bioatlas.kb.store import Store, insert_ignore
from bioatlas.model import content_id

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # hashing is deliberately slow: a megabyte "password" must not tie up the server
MAX_USER_NAME = 80
MAX_ORG_NAME = 200
MAX_TOKEN_NAME = 200
SESSION_DAYS = 14
SESSION_MAX_AGE = SESSION_DAYS * 24 * 3600  # seconds, for the cookie
TOKEN_PREFIX = "bat_"  # makes a leaked token easy to recognise (and to search for in logs)
TOKEN_ID_CHARS = 12  # the part of a token's hash shown as its id (enough to tell tokens apart, useless to log in)
_TOUCH_SECONDS = 60  # last_used_at is written at most once a minute per token, not on every request


class AccountError(ValueError):
    """A request about accounts that cannot be done as asked; the message says why, for the person who asked."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(at: dt.datetime | None = None) -> str:
    return (at or _now()).isoformat(timespec="seconds")


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so a wrong name takes as long as a wrong password."""
    return _hasher().hash(secrets.token_urlsafe(16))


def _clean_name(value: str, what: str, limit: int) -> str:
    """NFC-normalised, trimmed; 1..limit characters, no control or format characters (which hide in logs)."""
    if not isinstance(value, str):
        raise AccountError(f"the {what} must be text")
    name = unicodedata.normalize("NFC", value).strip()
    if not name:
        raise AccountError(f"the {what} is empty")
    if len(name) > limit:
        raise AccountError(f"the {what} is {len(name)} characters long; at most {limit} are allowed")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for ch in name):
        raise AccountError(f"the {what} contains a control character; use letters, digits, spaces and punctuation")
    return name


def check_password(password: str) -> str:
    """The password as given, when it is acceptable; otherwise an error that says what to change."""
    if not isinstance(password, str):
        raise AccountError("the password must be text")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password is too long: use at most {MAX_PASSWORD} characters")
    if "\x00" in password:
        raise AccountError("the password contains a NUL character")
    return password


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    return role


def generate_password() -> str:
    """A strong random password (about 120 bits), for `--generate-password` and `bioatlas setup`."""
    return secrets.token_urlsafe(15)


# ------------------------------------------------------------------------------------------------ organisations


def create_org(store: Store, name: str) -> str:
    """The id of the organisation called `name`, created when missing (two callers at once get the same id)."""
    clean = _clean_name(name, "organisation name", MAX_ORG_NAME)
    org_id = content_id("organisation", clean)
    with store.engine.begin() as conn:
        found = conn.execute(select(t.organisations.c.id).where(t.organisations.c.name == clean)).scalar()
        if found:
            return str(found)
        insert_ignore(conn, t.organisations, [{"id": org_id, "name": clean, "created_at": _stamp()}])
    return org_id


def list_orgs(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.organisations).order_by(t.organisations.c.name)).mappings().all()
    return [dict(r) for r in rows]


# ------------------------------------------------------------------------------------------------------- users


def _user_row(conn: Connection, name: str) -> dict[str, Any] | None:
    query = (
        select(t.users, t.organisations.c.name.label("org_name"))
        .select_from(t.users.outerjoin(t.organisations, t.users.c.org_id == t.organisations.c.id))
        .where(t.users.c.name == name)
    )
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def _require_user(conn: Connection, name: str) -> dict[str, Any]:
    clean = unicodedata.normalize("NFC", name).strip() if isinstance(name, str) else name
    row = _user_row(conn, clean)
    if row is None:
        raise AccountError(f"there is no user called {clean!r}")
    return row


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """What may be shown about a user: never the password hash."""
    return {
        "id": row["id"],
        "name": row["name"],
        "role": row["role"],
        "org_id": row["org_id"],
        "org": row.get("org_name"),
        "created_at": row["created_at"],
        "disabled_at": row["disabled_at"],
        "disabled": row["disabled_at"] is not None,
        "has_password": row["password_hash"] is not None,
    }


def _viewer(row: dict[str, Any]) -> Viewer:
    return Viewer(user=row["name"], role=row["role"], org=row["org_id"], org_name=row.get("org_name"))


def create_user(store: Store, name: str, password: str | None, role: str, org: str | None = None) -> dict[str, Any]:
    """A new user; `org` is an organisation's name (created when missing); no password: API tokens only."""
    clean = _clean_name(name, "user name", MAX_USER_NAME)
    _check_role(role)
    hashed = _hasher().hash(check_password(password)) if password is not None else None
    org_id = create_org(store, org) if org is not None else None
    with store.engine.begin() as conn:
        if _user_row(conn, clean) is not None:
            raise AccountError(f"a user called {clean!r} already exists")
        conn.execute(
            insert(t.users),
            {
                "id": uuid.uuid4().hex,
                "name": clean,
                "password_hash": hashed,
                "role": role,
                "org_id": org_id,
                "created_at": _stamp(),
                "disabled_at": None,
            },
        )
        row = _user_row(conn, clean)
    assert row is not None
    return _public(row)


def get_user(store: Store, name: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        row = _user_row(conn, unicodedata.normalize("NFC", name).strip())
    return _public(row) if row else None


def list_users(store: Store) -> list[dict[str, Any]]:
    """Every user (disabled ones too), by name; never a password hash."""
    query = (
        select(t.users, t.organisations.c.name.label("org_name"))
        .select_from(t.users.outerjoin(t.organisations, t.users.c.org_id == t.organisations.c.id))
        .order_by(t.users.c.name)
    )
    with store.engine.connect() as conn:
        return [_public(dict(r)) for r in conn.execute(query).mappings()]


def set_password(store: Store, name: str, password: str) -> None:
    """A new password; the user's open sessions end (whoever knew the old one is logged out)."""
    hashed = _hasher().hash(check_password(password))
    with store.engine.begin() as conn:
        row = _require_user(conn, name)
        conn.execute(update(t.users).where(t.users.c.id == row["id"]).values(password_hash=hashed))
        conn.execute(delete(t.sessions).where(t.sessions.c.user_id == row["id"]))


def _keep_an_admin(conn: Connection, row: dict[str, Any]) -> None:
    """Refuse to leave the kb without an enabled admin (nobody could manage users any more)."""
    if row["role"] != "admin" or row["disabled_at"] is not None:
        return
    others = conn.execute(
        select(func.count())
        .select_from(t.users)
        .where(t.users.c.role == "admin", t.users.c.disabled_at.is_(None), t.users.c.id != row["id"])
    ).scalar()
    if not others:
        raise AccountError(f"{row['name']!r} is the last admin: make another admin first")


def set_role(store: Store, name: str, role: str) -> None:
    _check_role(role)
    with store.engine.begin() as conn:
        row = _require_user(conn, name)
        if role != "admin":
            _keep_an_admin(conn, row)
        conn.execute(update(t.users).where(t.users.c.id == row["id"]).values(role=role))


def disable_user(store: Store, name: str) -> None:
    """The user can no longer log in or use a token; open sessions end at once. Their decisions stay on record."""
    with store.engine.begin() as conn:
        row = _require_user(conn, name)
        _keep_an_admin(conn, row)
        if row["disabled_at"] is None:
            conn.execute(update(t.users).where(t.users.c.id == row["id"]).values(disabled_at=_stamp()))
        conn.execute(delete(t.sessions).where(t.sessions.c.user_id == row["id"]))


def enable_user(store: Store, name: str) -> None:
    with store.engine.begin() as conn:
        row = _require_user(conn, name)
        conn.execute(update(t.users).where(t.users.c.id == row["id"]).values(disabled_at=None))


def has_admin(store: Store) -> bool:
    """Whether an admin who may log in exists (`bioatlas setup` makes the first one)."""
    query = select(func.count()).select_from(t.users).where(t.users.c.role == "admin", t.users.c.disabled_at.is_(None))
    with store.engine.connect() as conn:
        return bool(conn.execute(query).scalar())


def authenticate(store: Store, name: str, password: str) -> Viewer | None:
    """The user when the name and password match and the account is enabled; None otherwise (never says which)."""
    if not isinstance(name, str) or not isinstance(password, str) or len(password) > MAX_PASSWORD:
        return None
    with store.engine.connect() as conn:
        row = _user_row(conn, unicodedata.normalize("NFC", name).strip())
    stored = row["password_hash"] if row else None
    try:
        _hasher().verify(stored or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or stored is None or row["disabled_at"] is not None:
        return None
    if _hasher().check_needs_rehash(stored):  # parameters got stronger since: store the stronger hash
        with store.engine.begin() as conn:
            conn.execute(
                update(t.users).where(t.users.c.id == row["id"]).values(password_hash=_hasher().hash(password))
            )
    return _viewer(row)


# ------------------------------------------------------------------------------------------------------ tokens


def create_token(store: Store, user_name: str, token_name: str) -> str:
    """A new API token for the user; the plaintext is returned once and never stored (only its SHA-256)."""
    label = _clean_name(token_name, "token name", MAX_TOKEN_NAME)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        row = _require_user(conn, user_name)
        conn.execute(
            insert(t.api_tokens),
            {"id": _sha256(token), "user_id": row["id"], "name": label, "created_at": _stamp()},
        )
    return token


def token_id(token: str) -> str:
    """The id under which a token is listed and revoked: the start of its hash (tells nothing about the token)."""
    return _sha256(token)[:TOKEN_ID_CHARS]


def list_tokens(store: Store, user_name: str | None = None) -> list[dict[str, Any]]:
    """API tokens (revoked ones too), newest first, each with its short id; all users' tokens when no name."""
    query = (
        select(t.api_tokens, t.users.c.name.label("user"))
        .select_from(t.api_tokens.join(t.users, t.api_tokens.c.user_id == t.users.c.id))
        .order_by(t.api_tokens.c.created_at.desc(), t.api_tokens.c.name)
    )
    if user_name is not None:
        query = query.where(t.users.c.name == unicodedata.normalize("NFC", user_name).strip())
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        {
            "id": r["id"][:TOKEN_ID_CHARS],
            "name": r["name"],
            "user": r["user"],
            "created_at": r["created_at"],
            "last_used_at": r["last_used_at"],
            "revoked_at": r["revoked_at"],
            "revoked": r["revoked_at"] is not None,
        }
        for r in rows
    ]


def revoke_token(store: Store, token_id: str, user_name: str | None = None) -> dict[str, Any]:
    """Revoke the token whose id starts with `token_id` (at least 8 characters; one match only); with
    `user_name`, only among that user's tokens (a user revoking their own). Returns the token's listing."""
    prefix = (token_id or "").strip().lower()
    if len(prefix) < 8 or any(ch not in "0123456789abcdef" for ch in prefix):
        raise AccountError("give a token id of at least 8 characters, as `bioatlas users list --tokens` shows it")
    query = (
        select(t.api_tokens.c.id, t.api_tokens.c.revoked_at, t.users.c.name)
        .select_from(t.api_tokens.join(t.users, t.api_tokens.c.user_id == t.users.c.id))
        .where(t.api_tokens.c.id.startswith(prefix, autoescape=True))
    )
    if user_name is not None:
        query = query.where(t.users.c.name == unicodedata.normalize("NFC", user_name).strip())
    with store.engine.begin() as conn:
        rows = conn.execute(query).all()
        if not rows:
            raise AccountError(f"no token has the id {prefix!r}")
        if len(rows) > 1:
            raise AccountError(f"several tokens start with {prefix!r}: give more characters of the id")
        full, revoked_at, owner = rows[0]
        if revoked_at is None:
            revoked_at = _stamp()
            conn.execute(update(t.api_tokens).where(t.api_tokens.c.id == full).values(revoked_at=revoked_at))
    return {"id": full[:TOKEN_ID_CHARS], "user": owner, "revoked_at": revoked_at}


def viewer_for_token(store: Store, token: str) -> Viewer | None:
    """The user a bearer token belongs to, when the token is known, not revoked and the user enabled."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    digest = _sha256(token)
    query = (
        select(t.api_tokens.c.last_used_at, t.users, t.organisations.c.name.label("org_name"))
        .select_from(
            t.api_tokens.join(t.users, t.api_tokens.c.user_id == t.users.c.id).outerjoin(
                t.organisations, t.users.c.org_id == t.organisations.c.id
            )
        )
        .where(t.api_tokens.c.id == digest, t.api_tokens.c.revoked_at.is_(None), t.users.c.disabled_at.is_(None))
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    now = _now()
    if row["last_used_at"] is None or (now - _parse(row["last_used_at"])).total_seconds() > _TOUCH_SECONDS:
        with store.engine.begin() as conn:
            conn.execute(update(t.api_tokens).where(t.api_tokens.c.id == digest).values(last_used_at=_stamp(now)))
    return _viewer(dict(row))


# ---------------------------------------------------------------------------------------------------- sessions


def start_session(store: Store, viewer_or_user_id: Viewer | str) -> tuple[str, str]:
    """A web login for a user (a `Viewer` from `authenticate`, or a user id): (cookie token, CSRF token).

    The cookie token is random and kept only as its SHA-256; the CSRF token goes into every form of the session.
    Expired sessions are cleared here, so the table does not grow without end.
    """
    with store.engine.begin() as conn:
        if isinstance(viewer_or_user_id, Viewer):
            row = _user_row(conn, viewer_or_user_id.user or "")
        else:
            found = conn.execute(select(t.users.c.name).where(t.users.c.id == viewer_or_user_id)).scalar()
            row = _user_row(conn, found) if found else None
        if row is None or row["disabled_at"] is not None:
            raise AccountError("no such user, or the account is disabled")
        now = _now()
        conn.execute(delete(t.sessions).where(t.sessions.c.expires_at < _stamp(now)))
        cookie = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        conn.execute(
            insert(t.sessions),
            {
                "id": _sha256(cookie),
                "user_id": row["id"],
                "csrf": csrf,
                "created_at": _stamp(now),
                "expires_at": _stamp(now + dt.timedelta(days=SESSION_DAYS)),
            },
        )
    return cookie, csrf


def viewer_for_session(store: Store, cookie_token: str) -> tuple[Viewer, str] | None:
    """(user, CSRF token) of a live session; None when unknown, expired, or the user is disabled."""
    if not isinstance(cookie_token, str) or not cookie_token or len(cookie_token) > 200:
        return None
    query = (
        select(t.sessions.c.csrf, t.sessions.c.expires_at, t.users, t.organisations.c.name.label("org_name"))
        .select_from(
            t.sessions.join(t.users, t.sessions.c.user_id == t.users.c.id).outerjoin(
                t.organisations, t.users.c.org_id == t.organisations.c.id
            )
        )
        .where(t.sessions.c.id == _sha256(cookie_token), t.users.c.disabled_at.is_(None))
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None or _parse(row["expires_at"]) <= _now():
        return None
    return _viewer(dict(row)), str(row["csrf"])


def end_session(store: Store, cookie_token: str) -> None:
    """Log out: the session is deleted, so the cookie is worthless even if it was copied."""
    if not isinstance(cookie_token, str) or not cookie_token:
        return
    with store.engine.begin() as conn:
        conn.execute(delete(t.sessions).where(t.sessions.c.id == _sha256(cookie_token)))
