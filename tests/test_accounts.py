"""`bioatlas.accounts` on SQLite and on a real PostgreSQL server: users, organisations, passwords, tokens, sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from bioatlas import accounts
from bioatlas.kb import schema as t
from bioatlas.kb.store import Store


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


def test_users_in_organisations_and_their_passwords(store: Store) -> None:
    org = accounts.create_org(store, "Société Générale de Biotech")
    assert accounts.create_org(store, " Société Générale de Biotech ") == org  # idempotent by (trimmed) name
    user = accounts.create_user(store, "李明", "李明的密码足够长了吧", "analyst", org="Société Générale de Biotech")
    assert user["org_id"] == org and user["org"] == "Société Générale de Biotech" and "password_hash" not in user
    accounts.create_user(store, "陳美玲", None, "viewer", org="台北生技園區")  # tokens only; organisation created
    viewer = accounts.authenticate(store, "李明", "李明的密码足够长了吧")
    assert viewer and (viewer.user, viewer.role, viewer.org) == ("李明", "analyst", org)
    assert accounts.authenticate(store, "李明", "李明的密码不对不对不对") is None
    assert accounts.authenticate(store, "陳美玲", "任何密码都不行不行") is None  # no password: no password login
    assert accounts.authenticate(store, "Unbekannt", "irgendein-Passwort") is None
    with store.engine.connect() as conn:
        stored = conn.execute(select(t.users.c.password_hash).where(t.users.c.name == "李明")).scalar()
    assert stored and stored.startswith("$argon2id$") and "李明的密码" not in stored
    assert [u["name"] for u in accounts.list_users(store)] == sorted(["李明", "陳美玲"])
    assert not accounts.has_admin(store)
    accounts.set_role(store, "陳美玲", "admin")
    assert accounts.has_admin(store)


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("", "long-enough-password", "viewer", "empty"),
        ("x" * 81, "long-enough-password", "viewer", "at most 80"),
        ("Müller\nroot", "long-enough-password", "viewer", "control character"),
        ("Müller\u202e", "long-enough-password", "viewer", "control character"),
        ("Müller", "zu-kurz", "viewer", "at least 10"),
        ("Müller", "long-enough-password", "superuser", "unknown role"),
    ],
)
def test_bad_users_are_refused_with_a_reason(store: Store, name: str, password: str, role: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        accounts.create_user(store, name, password, role)
    assert accounts.list_users(store) == []


def test_a_name_is_taken_once(store: Store) -> None:
    accounts.create_user(store, "Müller", "long-enough-password", "viewer")
    with pytest.raises(ValueError, match="already exists"):
        accounts.create_user(store, "Mu\u0308ller", "long-enough-password", "viewer")  # the same name, decomposed


def test_tokens_are_stored_hashed_and_can_be_revoked(store: Store) -> None:
    accounts.create_user(store, "Dubois", None, "analyst", org="Société Générale de Biotech")
    token = accounts.create_token(store, "Dubois", "veille")
    with store.engine.connect() as conn:
        ids = conn.execute(select(t.api_tokens.c.id)).scalars().all()
    assert token not in ids and len(ids) == 1 and ids[0].startswith(accounts.token_id(token))
    viewer = accounts.viewer_for_token(store, token)
    assert viewer and viewer.user == "Dubois" and viewer.org_name == "Société Générale de Biotech"
    assert accounts.list_tokens(store, "Dubois")[0]["last_used_at"]
    assert accounts.viewer_for_token(store, token + "x") is None
    accounts.revoke_token(store, accounts.token_id(token))
    assert accounts.viewer_for_token(store, token) is None


def test_sessions_end_on_logout_expiry_and_disabling(store: Store) -> None:
    accounts.create_user(store, "Weber", "Webers-Passwort", "viewer")
    viewer = accounts.authenticate(store, "Weber", "Webers-Passwort")
    assert viewer
    cookie, csrf = accounts.start_session(store, viewer)
    assert accounts.viewer_for_session(store, cookie) == (viewer, csrf)
    accounts.end_session(store, cookie)
    assert accounts.viewer_for_session(store, cookie) is None
    cookie, _ = accounts.start_session(store, viewer)
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat(timespec="seconds")
    with store.engine.begin() as conn:
        conn.execute(update(t.sessions).values(expires_at=past))
    assert accounts.viewer_for_session(store, cookie) is None  # expired
    cookie, _ = accounts.start_session(store, viewer)
    accounts.disable_user(store, "Weber")
    assert accounts.viewer_for_session(store, cookie) is None
    with pytest.raises(ValueError, match="disabled"):
        accounts.start_session(store, viewer)


def test_the_last_admin_cannot_be_demoted_or_disabled(store: Store) -> None:
    accounts.create_user(store, "王管理", "一个足够长的口令-2026", "admin", org="苏州生物园")
    with pytest.raises(accounts.AccountError, match="last admin"):
        accounts.set_role(store, "王管理", "analyst")
    with pytest.raises(accounts.AccountError, match="last admin"):
        accounts.disable_user(store, "王管理")
    accounts.create_user(store, "Schäfer", "ein-langes-Passwort", "admin")
    accounts.set_role(store, "王管理", "analyst")  # another admin exists now
    with pytest.raises(accounts.AccountError, match="last admin"):
        accounts.disable_user(store, "Schäfer")
    assert accounts.has_admin(store)
