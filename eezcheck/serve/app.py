"""The ``eezcheck serve`` application (FastAPI): one page, its map, a JSON API, table uploads.

Routes
------
``GET /``                          the page (static HTML; the query is read by its script)
``GET /static/...``                the page's script, styles and the map bridge
``GET|POST /api/check``            what ``eezcheck check --json`` prints, byte for byte
``POST /api/card``                 the verdict card: the same object plus the EN/JA headlines
``POST /api/reach``                what ``eezcheck reach --json`` prints
``GET /map.html``                  the map of a check (``embed=1`` in the page, ``download=1``)
``POST /api/batch``                upload a table (multipart, field ``file``): 202 and a job
``GET /api/batch/{id}``            the job's progress; when done its summary and preview
``GET /api/batch/{id}/download/F`` the checked table as ``eezcheck batch`` writes it (F: csv,
                                   xlsx, geojson, parquet); ``.../map.html`` the table's map
``GET /openapi.json``              the API's OpenAPI description

Every check goes through the CLI's own entry points (:func:`eezcheck.cli.check.evaluate`,
:func:`eezcheck.cli.reach.evaluate`, :func:`eezcheck.batch.run_batch`), so the app answers
whatever the CLI answers, with the same messages. Library errors become HTTP statuses in
one place (:func:`eezcheck.serve.security.http_status`): bad input 400 with the CLI's message.
Every check runs in one worker thread (:class:`eezcheck.serve.jobs.Worker`): the checker's
lazily built GEOS indexes are not thread-safe and other threads get copies of the polygons
(see DESIGN.md); a single check takes milliseconds.
"""

from __future__ import annotations

import json
import tempfile
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from eezcheck.errors import EezcheckError, InvalidInputError
from eezcheck.serve.card import card
from eezcheck.serve.jobs import DOWNLOADS, Job, Jobs, Worker
from eezcheck.serve.security import (
    Guard,
    Limits,
    error_body,
    http_status,
    map_policy,
    security_headers,
)

__all__ = ["CheckQuery", "ReachQuery", "create_app", "query_string"]

STATIC = Path(str(files("eezcheck.serve")))
ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "bridge.js": "text/javascript; charset=utf-8",
}
"""The page's files, served by name from the package (nothing else under /static/)."""
MAX_TEXT = 2000
"""Characters of a query (a whole MoD paragraph fits; a 10 MB string is refused)."""
_MAP_CACHE = 16
_JSON = "application/json; charset=utf-8"


class CheckQuery(BaseModel):
    """One input, as ``eezcheck check`` takes it: ``q`` (coordinates, MoD wording, a paragraph),
    or ``lat`` and ``lon``, or ``from`` with ``range_km`` (and ``bearing`` for an impact point)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    q: str | None = Field(
        None, max_length=MAX_TEXT, description="Anything `eezcheck check POINT` takes."
    )
    lat: float | str | None = Field(None, description="Latitude (41.3, 41.3N, 41°18'N).")
    lon: float | str | None = Field(None, description="Longitude (138.5, 138.5E).")
    launch: str | None = Field(
        None, alias="from", max_length=200, description="Launch site (--from)."
    )
    range_km: float | None = Field(None, description="Range flown from the launch site, km.")
    bearing: float | str | None = Field(
        None, description="Bearing from the launch site: degrees or a compass word."
    )
    apogee_km: float | None = Field(None, description="Reported apogee, km (adds the trajectory).")
    uncertainty_km: float | None = Field(None, description="95 % radius of the point, km.")


def query_string(
    q: str | None = Query(None, max_length=MAX_TEXT),
    lat: str | None = Query(None, max_length=200),
    lon: str | None = Query(None, max_length=200),
    launch: str | None = Query(None, alias="from", max_length=200),
    range_km: float | None = None,
    bearing: str | None = Query(None, max_length=200),
    apogee_km: float | None = None,
    uncertainty_km: float | None = None,
) -> CheckQuery:
    """The :class:`CheckQuery` of a query string (``GET /api/check`` and ``/map.html``)."""
    return CheckQuery.model_validate({
        "q": q, "lat": lat, "lon": lon, "from": launch, "range_km": range_km,
        "bearing": bearing, "apogee_km": apogee_km, "uncertainty_km": uncertainty_km,
    })  # fmt: skip


class ReachQuery(BaseModel):
    """``eezcheck reach --from SITE --range-km KM [--step DEG]``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    launch: str = Field(
        ..., alias="from", max_length=200, description="Launch site (name or coordinates)."
    )
    range_km: float = Field(..., description="Range, km.")
    step: float = Field(0.5, gt=0, le=10, description="Bearing grid, degrees.")


class _State:
    def __init__(self, boundaries: str | None, root: Path) -> None:
        self.boundaries = boundaries
        self.worker = Worker()
        self.jobs = Jobs(root / "jobs", boundaries, self.worker)
        self.maps: OrderedDict[str, str] = OrderedDict()

    def checker(self) -> Any:
        from eezcheck.checker import get_checker

        return get_checker(self.boundaries)


def _short(value: Any, n: int = 200) -> str:
    text = str(value)
    return text if len(text) <= n else text[:n] + "…"


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and len(value) > 200:
        raise InvalidInputError(f"{name} of {len(value):,} characters is too long (at most 200)")
    return value if isinstance(value, str) else str(value)


def _answer(state: _State, query: CheckQuery) -> Any:
    from eezcheck.cli.check import evaluate

    text = (query.q or "").strip() or None
    forms = [
        name
        for name, given in (
            ("q", text is not None),
            ("lat/lon", query.lat is not None or query.lon is not None),
            ("from", query.launch is not None),
        )
        if given
    ]
    if len(forms) != 1:
        if not forms:
            raise InvalidInputError(
                "give a point: q (coordinates such as 41.3 138.5, or MoD wording such as "
                "'about 200 km W of Okushiri'), lat and lon, or from with range_km and bearing"
            )
        raise InvalidInputError(f"give the point one way only, not {' and '.join(forms)}")
    if (query.lat is None) != (query.lon is None):
        raise InvalidInputError("give both lat and lon")
    if query.launch is None and (query.range_km is not None or query.bearing is not None):
        raise InvalidInputError("range_km and bearing need from (the launch site)")
    if query.launch is not None and query.range_km is None:
        raise InvalidInputError("from needs range_km (and bearing for an impact point)")
    lat, lon, bearing = _text(query.lat, "lat"), _text(query.lon, "lon"), _text(query.bearing, "bearing")
    return state.worker.call(
        lambda: evaluate(
            state.checker(), text=text, lat=lat, lon=lon, launch=query.launch,
            range_km=query.range_km, bearing=bearing, apogee_km=query.apogee_km,
            uncertainty_km=query.uncertainty_km,
        )
    )  # fmt: skip


def _json_response(obj: Any, status: int = 200, download: str | None = None) -> Response:
    body = (json.dumps(obj, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    headers = {"Content-Disposition": f'attachment; filename="{download}"'} if download else None
    return Response(body, status_code=status, media_type=_JSON, headers=headers)


def _html(page: str, *, download: str | None = None) -> HTMLResponse:
    headers = security_headers(map_policy(page))
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{download}"'
    return HTMLResponse(page, headers=headers)


def _bridge(page: str) -> str:
    """The map page with the click bridge, after Leaflet (in the head) and before the map."""
    tag = '<script src="/static/bridge.js"></script>\n'
    at = page.find("</head>")
    if at < 0:
        raise RuntimeError("the map page has no </head>: cannot add the click bridge")
    return page[:at] + tag + page[at:]


def create_app(
    boundaries: str | None = None,
    *,
    token: str | None = None,
    limits: Limits | None = None,
    allowed_hosts: list[str] | None = None,
    warm: bool = True,
) -> FastAPI:
    """The web application. ``boundaries`` as ``--boundaries``; ``token`` required on every
    request when given; ``allowed_hosts`` for the Host header (default: any)."""
    root = Path(tempfile.mkdtemp(prefix="eezcheck-serve-"))
    state = _State(boundaries, root)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:

            def warm_up() -> None:
                checker = state.checker()
                checker.check(41.3, 138.5)
                checker.check_many([41.3] * 64, [138.5] * 64)

            state.worker.call(warm_up)
        try:
            yield
        finally:
            state.jobs.close()
            state.worker.close()

    from eezcheck._version import __version__

    app = FastAPI(
        title="eezcheck",
        version=__version__,
        summary="Did that missile land inside Japan's EEZ? Geodesic verdicts, offline.",
        description=(
            "The JSON API of `eezcheck serve`. Bad input is answered 400 with the message "
            "`eezcheck` prints (exit code 2); a data integrity problem 503 (exit 3); other "
            "errors 500 (exit 1). Bodies are limited (413) and content types strict (415)."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.eezcheck = state

    @app.exception_handler(EezcheckError)
    async def _eezcheck_error(request: Request, exc: EezcheckError) -> Response:
        from eezcheck.cli.errors import error_message

        status = http_status(exc)
        return Response(
            error_body(error_message(exc), status, exc.exit_code), status, media_type=_JSON
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        if first.get("type") == "json_invalid":
            msg = f"malformed JSON body: {first.get('ctx', {}).get('error', first.get('msg'))}"
        elif first.get("type") == "extra_forbidden":
            names = [f.alias or k for k, f in CheckQuery.model_fields.items()]
            msg = f"unknown field {where!r}: the fields are {', '.join(names)}"
        elif first.get("type") in ("model_attributes_type", "dict_type"):
            msg = 'the body must be a JSON object such as {"q": "41.3 138.5"}'
        else:
            got = first.get("input")
            shown = (
                f" (got {_short(got)!r})" if got is not None and not isinstance(got, dict) else ""
            )
            msg = f"{where or 'body'}: {first.get('msg', 'invalid')}{shown}"
        return Response(error_body(msg, 400, 2), 400, media_type=_JSON)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return Response(
            error_body(str(exc.detail), exc.status_code), exc.status_code, media_type=_JSON
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        return Response(error_body(f"internal error: {exc!r}", 500, 1), 500, media_type=_JSON)

    # ------------------------------------------------------------------ the page
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/static/{name}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        if name not in ASSETS:
            raise StarletteHTTPException(404, f"no file {name!r} here")
        return FileResponse(STATIC / name, media_type=ASSETS[name])

    # ------------------------------------------------------------------ one point
    @app.post("/api/check", summary="Check one point (as `eezcheck check --json`)")
    def api_check(query: CheckQuery) -> Response:
        return _json_response(_answer(state, query).json)

    @app.get("/api/check", summary="Check one point from the query string")
    def api_check_get(
        query: Annotated[CheckQuery, Depends(query_string)], download: bool = False
    ) -> Response:
        return _json_response(
            _answer(state, query).json, download="eezcheck-check.json" if download else None
        )

    @app.post(
        "/api/card", summary="The verdict card: the check plus English and Japanese headlines"
    )
    def api_card(query: CheckQuery) -> Response:
        return _json_response(card(_answer(state, query)))

    @app.post("/api/reach", summary="Bearings that reach Japan's EEZ (as `eezcheck reach --json`)")
    def api_reach(query: ReachQuery) -> Response:
        from eezcheck.cli.reach import evaluate

        _, _, obj = state.worker.call(
            evaluate, query.launch, query.range_km, query.step, state.boundaries
        )
        return _json_response(obj)

    @app.get("/map.html", summary="The map of one check (self-contained HTML)")
    def map_page(
        query: Annotated[CheckQuery, Depends(query_string)],
        embed: bool = False,
        download: bool = False,
    ) -> Response:
        key = query.model_dump_json()
        page_text = state.maps.get(key)
        if page_text is None:
            answer = _answer(state, query)
            from eezcheck import mapping

            if answer.result is None:  # a range without a bearing: the footprint, as `map` draws it
                from eezcheck.mapping.launch import footprint_map

                if not (query.launch and query.range_km):
                    raise InvalidInputError("a map needs an impact point, or from and range_km")
                launch, range_km = query.launch, query.range_km
                page_text = state.worker.call(
                    lambda: footprint_map(
                        launch, range_km, apogee_km=query.apogee_km,
                        boundaries=state.checker().boundaries,
                    ).page.html()
                )  # fmt: skip
            else:
                # every impact of a text with several (one verdict each, as check prints them)
                events = [
                    mapping.MapEvent(
                        r, launch=query.launch, apogee_km=query.apogee_km,
                        name=str(r.input.get("matched_text") or (query.q or "").strip()),
                    )
                    for r in (answer.results or (answer.result,))
                ]
                page_text = state.worker.call(
                    lambda: mapping.build_map(events, boundaries=state.checker().boundaries).html()
                )
            state.maps[key] = page_text
            while len(state.maps) > _MAP_CACHE:
                state.maps.popitem(last=False)
        if download:
            return _html(page_text, download="eezcheck-map.html")
        return _html(_bridge(page_text) if embed else page_text)

    # ------------------------------------------------------------------ tables
    @app.post(
        "/api/batch", status_code=202, summary="Check an uploaded table (as `eezcheck batch`)"
    )
    def api_batch(
        file: Annotated[UploadFile, File(description="CSV/TSV, Excel, GeoJSON, (Geo)Parquet, GeoPackage or a zipped Shapefile (.zip).")],
        fields: Annotated[
            str, Form(max_length=400, description="verdict, zones, all or a comma list.")
        ] = "all",
    ) -> Response:
        job = state.jobs.new(file.filename or "table", fields)
        with open(job.input, "wb") as out:
            while chunk := file.file.read(1 << 20):
                out.write(chunk)
        state.jobs.start(job)
        job.started.wait(timeout=30)
        if job.state == "error":
            return Response(
                error_body(job.error or "error", job.status, 2 if job.status == 400 else 1),
                job.status,
                media_type=_JSON,
            )
        return _json_response(job.to_dict(), status=200 if job.state == "done" else 202)

    def _job(job_id: str) -> Job:
        try:
            return state.jobs.get(job_id)
        except KeyError:
            raise StarletteHTTPException(
                404,
                f"no table job {job_id!r} on this server (jobs are kept until it stops, the last 16)",
            ) from None

    @app.get(
        "/api/batch/{job_id}", summary="Progress of a table check; summary and preview when done"
    )
    def api_batch_status(job_id: str) -> Response:
        return _json_response(_job(job_id).to_dict())

    @app.get(
        "/api/batch/{job_id}/download/{fmt}",
        summary="The checked table (csv, xlsx, geojson, parquet)",
    )
    def api_batch_download(job_id: str, fmt: str) -> Response:
        job = _job(job_id)
        path = state.jobs.output(job, fmt)
        stem = Path(job.name).stem or "table"
        return FileResponse(
            path, media_type=DOWNLOADS[fmt][1], filename=f"{stem}-checked{Path(DOWNLOADS[fmt][0]).suffix}",
        )  # fmt: skip

    @app.get("/api/batch/{job_id}/map.html", summary="The map of a checked table")
    def api_batch_map(job_id: str, download: bool = False) -> Response:
        job = _job(job_id)
        if job.map_path is None:
            raise InvalidInputError(f"the table {job.name!r} has no map ({job.state})")
        page_text = job.map_path.read_text(encoding="utf-8")
        stem = Path(job.name).stem or "table"
        return _html(page_text, download=f"{stem}-map.html" if download else None)

    app.add_middleware(Guard, limits=limits or Limits(), token=token)
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    return app
