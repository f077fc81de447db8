"""What keeps ``eezcheck serve`` safe by default: body limits, strict content types, a token,
security headers, and the error responses (the CLI's exit codes as HTTP statuses).

One pure ASGI middleware (:class:`Guard`) does the checks that must happen before a route reads
the body: the token, the request's size (``Content-Length`` and the bytes actually received)
and its content type. Every response gets the headers of :func:`security_headers`: the pages'
Content-Security-Policy allows scripts only from the app itself (``script-src 'self'``), and a
map page only the inline scripts whose sha256 the server computed from the map it built
(:func:`map_policy`), so no script arriving in user data ever runs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from eezcheck.errors import EezcheckError, TableFormatError

__all__ = [
    "PAGE_POLICY",
    "TOKEN_COOKIE",
    "Guard",
    "Limits",
    "error_body",
    "http_status",
    "map_policy",
    "security_headers",
]

TOKEN_COOKIE = "eezcheck_token"

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)
"""The Content-Security-Policy of the app's own page and of every API answer."""


def map_policy(page: str) -> str:
    """The CSP of a map page built by :mod:`eezcheck.mapping`: its own inline scripts (by
    sha256), the app's bridge script, inline styles and data: images; no connections."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'unsafe-inline'; "
        "img-src 'self' data:; font-src data:; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'self'"
    )


def security_headers(policy: str = PAGE_POLICY) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "X-Frame-Options": "SAMEORIGIN",
        "Cache-Control": "no-store",
    }


# --------------------------------------------------------------------------- errors


def http_status(exc: BaseException) -> int:
    """The CLI's exit codes as HTTP statuses: bad input (exit 2, and a table that cannot be
    read) 400; data integrity (exit 3) 503; any other eezcheck error (exit 1) 500."""
    if isinstance(exc, EezcheckError):
        if exc.exit_code == 2 or isinstance(exc, TableFormatError):
            return 400
        if exc.exit_code == 3:
            return 503
    return 500


def error_body(message: str, status: int, exit_code: int | None = None) -> bytes:
    """``{"error": message, "status": status, "exit_code": ...}``, the body of every error."""
    obj: dict[str, Any] = {"error": message, "status": status}
    if exit_code is not None:
        obj["exit_code"] = exit_code
    return json.dumps(obj, ensure_ascii=False, sort_keys=True).encode("utf-8")


# --------------------------------------------------------------------------- the guard


@dataclass(frozen=True)
class Limits:
    """Request limits: JSON and form bodies, uploads (``/api/batch``)."""

    body_bytes: int = 64 * 1024
    upload_bytes: int = 50 * 1024 * 1024


_CONTENT_TYPES = {
    "/api/check": "application/json",
    "/api/card": "application/json",
    "/api/reach": "application/json",
    "/api/batch": "multipart/form-data",
}


class _TooLarge(BaseException):
    """Raised from ``receive`` past the limit; a BaseException, so that no ``except Exception``
    on the way (FastAPI's body parsing has one) turns it into a 400."""


Scope = Mapping[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Guard:
    """ASGI middleware: token, size limits, content types, security headers on every answer."""

    def __init__(self, app: Any, limits: Limits, token: str | None) -> None:
        self.app = app
        self.limits = limits
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope["path"]
        method: str = scope["method"]
        if self.token is not None:
            verdict = self._token(scope, headers)
            if verdict == "redirect":
                await self._redirect_without_token(scope, send)
                return
            if verdict != "ok":
                await _send_error(
                    send, 401,
                    "this eezcheck server needs its token: open the address it printed "
                    "(…/?token=…) or send the header 'Authorization: Bearer TOKEN'",
                )  # fmt: skip
                return
        limit = self.limits.upload_bytes if path == "/api/batch" else self.limits.body_bytes
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                await _send_error(send, 400, f"Content-Length {length!r} is not a number of bytes")
                return
            if int(length) > limit:
                await _send_error(send, 413, _too_large(path, int(length), limit, exact=True))
                return
        if method == "POST" and path in _CONTENT_TYPES:
            want = _CONTENT_TYPES[path]
            got = headers.get("content-type", "").split(";")[0].strip().lower()
            if got != want:
                await _send_error(
                    send, 415,
                    f"{path} takes {want}, not {got or 'a body without Content-Type'}"
                    + (" (send the table as a file field named 'file')" if want.startswith("multipart") else ""),
                )  # fmt: skip
                return
        received = 0
        started = False

        async def counted() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge()
            return message

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.lower().encode(), v.encode())
                    for k, v in security_headers().items()
                    if k.lower().encode() not in present
                ]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        try:
            await self.app(scope, counted, send_with_headers)
        except _TooLarge:
            if not started:
                await _send_error(send, 413, _too_large(path, received, limit))

    def _token(self, scope: Scope, headers: Mapping[str, str]) -> str:
        assert self.token is not None
        given: list[str] = []
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given.append(auth[7:].strip())
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no token
            cookie = SimpleCookie()
        if TOKEN_COOKIE in cookie:
            given.append(cookie[TOKEN_COOKIE].value)
        if any(hmac.compare_digest(g.encode(), self.token.encode()) for g in given):
            return "ok"
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if scope["method"] == "GET" and "token" in query:
            if hmac.compare_digest(query["token"].encode(), self.token.encode()):
                return "redirect"
        return "no"

    async def _redirect_without_token(self, scope: Scope, send: Send) -> None:
        query = [
            (k, v)
            for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            if k != "token"
        ]
        location = scope["path"] + ("?" + urlencode(query) if query else "")
        assert self.token is not None
        cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        headers = [
            (b"location", location.encode("latin-1")),
            (b"set-cookie", cookie.encode("latin-1")),
            (b"content-length", b"0"),
        ] + [(k.lower().encode(), v.encode()) for k, v in security_headers().items()]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _too_large(path: str, size: int, limit: int, exact: bool = False) -> str:
    what = "upload" if path == "/api/batch" else "request body"
    return (
        f"the {what} of {_size(size)}{'' if exact else ' or more'} is larger than this "
        f"server's limit of {_size(limit)} for {path}"
        + (
            " (start eezcheck serve with --max-upload-mb to raise it)"
            if path == "/api/batch"
            else ""
        )
    )


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):,.1f} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):,.0f} kB"
    return f"{n} bytes"


async def _send_error(send: Send, status: int, message: str) -> None:
    body = error_body(message, status)
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ] + [(k.lower().encode(), v.encode()) for k, v in security_headers().items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
