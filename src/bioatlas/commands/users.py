"""`bioatlas users …` (add, list, disable, enable, set-role, set-password, token, revoke) and `bioatlas setup`.

Whoever runs these holds the database, so they need no login. Passwords are read with getpass (twice) on a
terminal, from stdin with `--password-stdin`, or generated and printed once with `--generate-password`; a token is
printed once and only its hash is kept.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from bioatlas.access import ROLES
from bioatlas.settings import get_settings

DB_HELP = "database URL or SQLite path (default BIOATLAS_DB or ./bioatlas.db)"


def _store(args: argparse.Namespace) -> Any:
    from bioatlas.kb.store import Store

    return Store(args.db or get_settings().db)


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _read_password(args: argparse.Namespace) -> tuple[str | None, bool]:
    """(password, generated): from stdin, generated, or asked twice on the terminal."""
    from bioatlas.accounts import AccountError, check_password, generate_password

    if getattr(args, "no_password", False):
        return None, False
    if args.generate_password:
        return generate_password(), True
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        return check_password(password), False
    if not sys.stdin.isatty():
        raise AccountError("no terminal to ask for a password: use --password-stdin or --generate-password")
    first = getpass.getpass("Password (at least 10 characters): ")
    check_password(first)
    if getpass.getpass("The same password again: ") != first:
        raise AccountError("the two passwords differ; nothing was changed")
    return first, False


def _password_options(p: argparse.ArgumentParser, allow_none: bool = False) -> None:
    how = p.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    how.add_argument("--generate-password", action="store_true", help="make a strong password and print it once")
    if allow_none:
        how.add_argument("--no-password", action="store_true", help="no password login: API tokens only")


def _run(action: Any) -> Any:
    """Run a command; a refused request (AccountError) is one line on stderr and exit code 1, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        from bioatlas.accounts import AccountError

        try:
            result: int = action(args)
            return result
        except AccountError as exc:
            _err(f"bioatlas: {exc}")
            return 1

    return run


def cmd_add(args: argparse.Namespace) -> int:
    from bioatlas import accounts

    password, generated = _read_password(args)
    user = accounts.create_user(_store(args), args.name, password, args.role, args.org)
    where = f" in {user['org']}" if user["org"] else ""
    _err(f"added {user['name']} ({user['role']}{where})")
    if generated:
        print(f"password for {user['name']} (shown once): {password}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from bioatlas import accounts

    store = _store(args)
    users = accounts.list_users(store)
    tokens = accounts.list_tokens(store) if args.tokens else []
    if args.json:
        print(json.dumps({"users": users, "tokens": tokens} if args.tokens else users, ensure_ascii=False, indent=1))
        return 0
    if not users:
        _err("no users yet: `bioatlas setup` creates the first admin")
    for u in users:
        status = "disabled" if u["disabled"] else "active"
        print(f"{u['name']}\t{u['role']}\t{u['org'] or '-'}\t{status}\t{u['created_at']}")
    for tk in tokens:
        state = f"revoked {tk['revoked_at']}" if tk["revoked"] else f"last used {tk['last_used_at'] or 'never'}"
        print(f"token {tk['id']}\t{tk['user']}\t{tk['name']}\t{tk['created_at']}\t{state}")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    from bioatlas import accounts

    accounts.disable_user(_store(args), args.name)
    _err(f"disabled {args.name}: no more logins or tokens; their decisions stay on record")
    return 0


def cmd_enable(args: argparse.Namespace) -> int:
    from bioatlas import accounts

    accounts.enable_user(_store(args), args.name)
    _err(f"enabled {args.name}")
    return 0


def cmd_set_role(args: argparse.Namespace) -> int:
    from bioatlas import accounts

    accounts.set_role(_store(args), args.name, args.role)
    _err(f"{args.name} is now {args.role}")
    return 0


def cmd_set_password(args: argparse.Namespace) -> int:
    from bioatlas import accounts

    password, generated = _read_password(args)
    assert password is not None
    accounts.set_password(_store(args), args.name, password)
    _err(f"new password for {args.name}; their open sessions ended")
    if generated:
        print(f"password for {args.name} (shown once): {password}")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from bioatlas import accounts

    token = accounts.create_token(_store(args), args.name, args.label)
    _err(f"token {accounts.token_id(token)} for {args.name} ({args.label}); it is shown once:")
    print(token)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from bioatlas import accounts

    revoked = accounts.revoke_token(_store(args), args.token_id)
    _err(f"revoked token {revoked['id']} of {revoked['user']}")
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """The first admin, with a generated password printed once; refused when an admin exists."""
    from bioatlas import accounts

    store = _store(args)
    if accounts.has_admin(store):
        if args.if_needed:
            return 0
        raise accounts.AccountError(
            "an admin exists already; add more users with `bioatlas users add` or on the web page /admin/users"
        )
    password = accounts.generate_password()
    if accounts.get_user(store, args.admin) is not None:  # e.g. a disabled admin of the same name: reset it
        accounts.set_role(store, args.admin, "admin")
        accounts.enable_user(store, args.admin)
        accounts.set_password(store, args.admin, password)
    else:
        accounts.create_user(store, args.admin, password, "admin")
    print(f"created the admin {args.admin!r}; password (shown once, change it on /account): {password}")
    return 0


def admin_warning(store: Any, host: str) -> list[str]:
    """Lines `bioatlas serve` prints before it starts: no admin yet, or a public address with the default hosts."""
    from bioatlas import accounts

    lines = []
    if not accounts.has_admin(store):
        lines.append("warning: no admin yet, so nobody can log in; create one with `bioatlas setup --admin NAME`")
    settings = get_settings()
    if host not in ("127.0.0.1", "localhost", "::1") and settings.allowed_hosts == ("127.0.0.1", "localhost", "[::1]"):
        lines.append(
            f"warning: serving on {host}, but only 127.0.0.1/localhost are accepted as Host: set "
            "BIOATLAS_ALLOWED_HOSTS to the names people use to reach this server (e.g. bioatlas.example.org)"
        )
    return lines


def register(sub: Any) -> None:
    users = sub.add_parser("users", help="user accounts: add, list, disable, enable, set-role, token, revoke")
    commands = users.add_subparsers(dest="users_command", required=True, metavar="COMMAND")

    p = commands.add_parser("add", help="add a user (password asked twice, or --password-stdin, --generate-password)")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument("--org", help="the user's organisation (created if missing); none: the shared kb")
    _password_options(p, allow_none=True)
    p.set_defaults(func=_run(cmd_add))

    p = commands.add_parser("list", help="every user (and with --tokens, every API token)")
    p.add_argument("--tokens", action="store_true", help="also list API tokens (id, user, name, last use)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_run(cmd_list))

    for name, func, text in (
        ("disable", cmd_disable, "no more logins or tokens for this user (decisions stay on record)"),
        ("enable", cmd_enable, "let a disabled user in again"),
    ):
        p = commands.add_parser(name, help=text)
        p.add_argument("name")
        p.set_defaults(func=_run(func))

    p = commands.add_parser("set-role", help="change a user's role")
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    p.set_defaults(func=_run(cmd_set_role))

    p = commands.add_parser("set-password", help="give a user a new password (ends their sessions)")
    p.add_argument("name")
    _password_options(p)
    p.set_defaults(func=_run(cmd_set_password))

    p = commands.add_parser("token", help="make an API token for a user and print it once")
    p.add_argument("name")
    p.add_argument("--name", dest="label", default="cli", help="a label to recognise the token by (default: cli)")
    p.set_defaults(func=_run(cmd_token))

    p = commands.add_parser("revoke", help="revoke an API token by its id (see `users list --tokens`)")
    p.add_argument("token_id")
    p.set_defaults(func=_run(cmd_revoke))

    for p in commands.choices.values():
        p.add_argument("--db", help=DB_HELP)

    p = sub.add_parser("setup", help="create the first admin (prints a generated password once)")
    p.add_argument("--admin", default="admin", help="the admin's user name (default: admin)")
    p.add_argument("--if-needed", action="store_true", help="do nothing, silently, when an admin exists")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(func=_run(cmd_setup))
