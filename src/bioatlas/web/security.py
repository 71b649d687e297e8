"""Security headers: a Content-Security-Policy that allows this site's own files only (no inline scripts).

The one exception is opt-in: with BIOATLAS_TILE_URL set, map tiles may come from that server.
"""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bioatlas.sources import public_source

__all__ = ["public_source"]


def tile_source(tile_url: str) -> str | None:
    """The CSP source for a tile URL template (`https://{s}.tile.example.org/{z}/{x}/{y}.png`)."""
    parts = urlsplit(tile_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None  # a path on this site: 'self' covers it
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str = "", script_hashes: tuple[str, ...] = ()) -> str:
    images = ["'self'", "data:"]
    source = tile_source(tile_url) if tile_url else None
    if source:
        images.append(source)
    scripts = ["'self'", *(f"'sha256-{h}'" for h in script_hashes)]
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {' '.join(scripts)}",
            "style-src 'self'",
            f"img-src {' '.join(images)}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def script_hash(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


class SecurityHeaders:
    """ASGI middleware: adds the headers to every response that does not set its own policy."""

    def __init__(self, app: ASGIApp, policy: str):
        self.app = app
        self.headers = [
            (b"content-security-policy", policy.encode("latin-1")),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((n, v) for n, v in self.headers if n not in present),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def security_headers(policy: str) -> dict[str, str]:
    """The same headers for responses made outside the middleware (the last-resort error handler)."""
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }


# ------------------------------------------------------------------------------------------ Host allow-list


def host_name(header: str) -> str:
    """The host of a Host header without its port, lower-case: `[::1]:8000` -> `[::1]`, `Example.org:80` ->
    `example.org`."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[: end + 1] if end > 0 else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostAllowList:
    """ASGI middleware: answer 400 to a request whose Host is not one of ours (ports ignored).

    A DNS-rebinding page makes the browser send its own host name to our address; refusing unknown hosts keeps
    such a page from reading or changing the kb through the victim's browser.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]):
        self.app = app
        self.allowed = {host_name(h) for h in allowed_hosts}
        self.any_host = "*" in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.any_host:
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if host in self.allowed:
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {
                "error": {
                    "status": 400,
                    "code": "unknown_host",
                    "message": "this server does not answer to that host name (see BIOATLAS_ALLOWED_HOSTS)",
                }
            }
        ).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
