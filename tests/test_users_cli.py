"""`bioatlas setup` and `bioatlas users …` on a real SQLite kb, through `bioatlas.cli.main` as a person runs them."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from bioatlas import accounts
from bioatlas.cli import main
from bioatlas.kb.store import Store


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/users.db"


def run(args: list[str], capsys: pytest.CaptureFixture[str], stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
    try:
        code = main(args)
    finally:
        if stdin is not None:
            sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def test_setup_creates_the_first_admin_once(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["setup", "--admin", "管理員", "--db", db], capsys)
    password = re.search(r"password \(shown once.*?\): (\S+)", out)
    assert code == 0 and password
    store = Store(db)
    viewer = accounts.authenticate(store, "管理員", password.group(1))
    assert viewer and viewer.role == "admin"
    code, out, err = run(["setup", "--db", db], capsys)
    assert code == 1 and "admin exists" in err and not out  # a second admin is refused, nothing printed
    assert run(["setup", "--if-needed", "--db", db], capsys) == (0, "", "")  # make demo: quiet when done
    assert [u["name"] for u in accounts.list_users(store)] == ["管理員"]


def test_users_add_list_set_role_disable_enable(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    org = ["--org", "Société Générale de Biotech"]
    code, _, err = run(
        ["users", "add", "Müller", "--role", "analyst", *org, "--password-stdin", "--db", db],
        capsys,
        stdin="Passwort-für-Müller\n",
    )
    assert code == 0 and "Société Générale de Biotech" in err
    code, out, _ = run(["users", "add", "陳美玲", "--role", "viewer", "--generate-password", "--db", db], capsys)
    generated = re.search(r"\(shown once\): (\S+)", out)
    assert code == 0 and generated and len(generated.group(1)) >= 16
    store = Store(db)
    assert accounts.authenticate(store, "陳美玲", generated.group(1))
    code, out, _ = run(["users", "list", "--db", db], capsys)
    assert "Müller\tanalyst\tSociété Générale de Biotech\tactive" in out and "陳美玲\tviewer" in out
    assert "argon2" not in out
    assert run(["users", "set-role", "陳美玲", "analyst", "--db", db], capsys)[0] == 0
    assert run(["users", "disable", "Müller", "--db", db], capsys)[0] == 0
    assert accounts.authenticate(store, "Müller", "Passwort-für-Müller") is None
    assert "disabled" in run(["users", "list", "--db", db], capsys)[1]
    assert run(["users", "enable", "Müller", "--db", db], capsys)[0] == 0
    viewer = accounts.authenticate(store, "Müller", "Passwort-für-Müller")
    assert viewer and viewer.org_name == "Société Générale de Biotech"
    assert accounts.get_user(store, "陳美玲")["role"] == "analyst"  # type: ignore[index]


def test_bad_requests_are_one_clear_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["users", "add", "Kurz", "--role", "viewer", "--password-stdin", "--db", db], capsys, "kurz\n")
    assert code == 1 and err.strip() == "bioatlas: the password is too short: use at least 10 characters"
    code, _, err = run(["users", "add", "Niemand", "--role", "viewer", "--db", db], capsys, stdin="")
    assert code == 1 and "--password-stdin" in err  # no terminal to ask on
    code, _, err = run(["users", "add", "a\u0007b", "--role", "viewer", "--no-password", "--db", db], capsys)
    assert code == 1 and "control character" in err
    run(["users", "add", "李明", "--role", "viewer", "--no-password", "--db", db], capsys)
    code, _, err = run(["users", "add", "李明", "--role", "viewer", "--no-password", "--db", db], capsys)
    assert code == 1 and "already exists" in err
    code, _, err = run(["users", "disable", "王五", "--db", db], capsys)
    assert code == 1 and "no user called" in err
    with pytest.raises(SystemExit):
        main(["users", "add", "x", "--role", "superuser", "--db", db])


def test_tokens_are_printed_once_listed_by_id_and_revoked(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["users", "add", "Dupont", "--role", "analyst", "--no-password", "--db", db], capsys)
    code, out, err = run(["users", "token", "Dupont", "--name", "script de veille", "--db", db], capsys)
    token = out.strip()
    assert code == 0 and token.startswith("bat_") and "shown once" in err
    store = Store(db)
    viewer = accounts.viewer_for_token(store, token)
    assert viewer and viewer.user == "Dupont" and viewer.role == "analyst"
    code, out, _ = run(["users", "list", "--tokens", "--db", db], capsys)
    token_id = accounts.token_id(token)
    assert f"token {token_id}\tDupont\tscript de veille" in out and token not in out
    assert run(["users", "revoke", "abc", "--db", db], capsys)[0] == 1  # too short to be sure which
    code, _, err = run(["users", "revoke", token_id, "--db", db], capsys)
    assert code == 0 and "Dupont" in err
    assert accounts.viewer_for_token(store, token) is None
    assert "revoked" in run(["users", "list", "--tokens", "--db", db], capsys)[1]


def test_set_password_ends_sessions(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["users", "add", "Weber", "--role", "viewer", "--password-stdin", "--db", db], capsys, "erstes-Passwort\n")
    store = Store(db)
    viewer = accounts.authenticate(store, "Weber", "erstes-Passwort")
    assert viewer
    cookie, _ = accounts.start_session(store, viewer)
    assert accounts.viewer_for_session(store, cookie)
    code, _, _ = run(["users", "set-password", "Weber", "--password-stdin", "--db", db], capsys, "zweites-Passwort\n")
    assert code == 0 and accounts.viewer_for_session(store, cookie) is None
    assert accounts.authenticate(store, "Weber", "erstes-Passwort") is None
    assert accounts.authenticate(store, "Weber", "zweites-Passwort")


def test_serve_warns_without_an_admin(db: str) -> None:
    from bioatlas.commands.users import admin_warning

    store = Store(db)
    assert any("bioatlas setup" in line for line in admin_warning(store, "127.0.0.1"))
    accounts.create_user(store, "root", "ein-langes-Passwort", "admin")
    assert admin_warning(store, "127.0.0.1") == []
    assert any("BIOATLAS_ALLOWED_HOSTS" in line for line in admin_warning(store, "0.0.0.0"))
