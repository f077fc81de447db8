"""``eezcheck serve``: the local web application (page, map, JSON API, table uploads)."""

from __future__ import annotations

import ipaddress
import os
import secrets

import click

from eezcheck.cli import terminal
from eezcheck.cli.errors import handle_errors
from eezcheck.cli.options import CONTEXT, boundaries_option

TOKEN_ENV = "EEZCHECK_SERVE_TOKEN"

EPILOG = f"""\b
Examples:
  $ eezcheck serve
  eezcheck serve: open http://127.0.0.1:8000/ (Ctrl-C to stop)
  $ eezcheck serve --port 8080 --boundaries World_EEZ_v12_20231025.gpkg
  $ eezcheck serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"

\b
The page takes anything 'eezcheck check' takes (coordinates, MoD wording in English or
Japanese, a launch site + range + bearing), shows the verdict in English and Japanese beside
the map, and checks tables (CSV, Excel, GeoJSON, Parquet) with downloads in every format
'eezcheck batch' writes. The address of a query can be shared. JSON API: /api/check,
/api/reach, /api/batch; its description at /openapi.json.

\b
Safe by default: listens on 127.0.0.1 only; --host 0.0.0.0 (a shared desk machine) prints a
warning and requires a token (--token, ${TOKEN_ENV}, or a random one printed at start).
Bodies are limited (--max-upload-mb for tables); nothing from a request is written outside
a temporary folder, which is removed when the server stops.

\b
Exit codes: 0 stopped, 1 error (port in use ...), 2 bad option, 3 data integrity.
"""


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command(
    "serve",
    context_settings=CONTEXT,
    epilog=EPILOG,
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port."
)
@click.option(
    "--token", envvar=TOKEN_ENV, default=None, metavar="TOKEN",
    help=f"Require this token on every request (also ${TOKEN_ENV}).",
)  # fmt: skip
@click.option(
    "--max-upload-mb", "max_upload_mb", type=click.FloatRange(min=0.001), default=50.0,
    show_default=True, help="Largest table upload, MB (larger: 413).",
)  # fmt: skip
@boundaries_option
@handle_errors
def serve(
    host: str, port: int, token: str | None, max_upload_mb: float, boundaries: str | None
) -> None:
    """Start the local web application: one page and a JSON API on the same library."""
    try:
        import uvicorn

        from eezcheck.serve.app import create_app
        from eezcheck.serve.security import Limits
    except ModuleNotFoundError as exc:
        raise click.ClickException(
            f"eezcheck serve needs {exc.name}: pip install 'eezcheck[serve]'"
        ) from exc
    local = _loopback(host)
    if token is not None and not token.strip():
        raise click.UsageError(f"--token (or ${TOKEN_ENV}) is empty")
    if not local:
        terminal.echo(
            f"Warning: listening on {host}: anyone who can reach this machine on port {port} "
            "can use this server (a token is required on every request).",
            err=True,
        )
        if token is None:
            token = secrets.token_urlsafe(16)
    allowed = None if not local else ["127.0.0.1", "localhost", "::1", "[::1]", host]
    app = create_app(
        boundaries,
        token=token,
        limits=Limits(upload_bytes=int(max_upload_mb * (1 << 20))),
        allowed_hosts=allowed,
    )
    shown = "localhost" if local else (host if host not in ("0.0.0.0", "::") else "THIS-MACHINE")
    url = f"http://{shown if not local else host}:{port}/" + (f"?token={token}" if token else "")
    terminal.echo(f"eezcheck serve: open {url} (Ctrl-C to stop)", err=True)
    uvicorn.run(
        app, host=host, port=port, log_level=os.environ.get("EEZCHECK_SERVE_LOG", "warning")
    )
