"""``eezcheck serve``: a local web application on the same library (FastAPI + uvicorn).

One page (the verdict card in English and Japanese beside the interactive map of
:mod:`eezcheck.mapping`, table uploads checked by the batch engine) and a JSON API
(``/api/check``, ``/api/reach``, ``/api/batch``; ``/openapi.json``). Offline: Leaflet comes
from the installed ``django-js-lib-leaflet`` inside the map pages, nothing from a CDN. See
:func:`eezcheck.serve.app.create_app`; the safety measures are in :mod:`eezcheck.serve.security`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """See :func:`eezcheck.serve.app.create_app` (FastAPI is imported only here)."""
    from eezcheck.serve.app import create_app as make

    return make(*args, **kwargs)
