"""The page: one self-contained HTML file with Leaflet, eezcheck's runtime and the map's data.

The page is assembled from package files (``page.html``, ``runtime.js``, ``style.css``) by
plain substitution of fixed markers in one pass, never by a template engine. Everything the
map shows (user strings included) is in one ``<script type="application/json">`` block that
the runtime reads with ``JSON.parse``: no user string is ever template or script source.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import unicodedata
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from eezcheck.errors import EezcheckError
from eezcheck.mapping.events import MapInfo, clean_text
from eezcheck.outputs import check_destination, write_atomic

TILES: dict[str, tuple[str, str, str, int]] = {
    "osm": (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Map tiles: (c) OpenStreetMap contributors, ODbL (openstreetmap.org/copyright)",
        19,
    ),
    "esri-ocean": (
        "Esri Ocean Basemap",
        "https://server.arcgisonline.com/ArcGIS/rest/services/Ocean/World_Ocean_Base/MapServer/tile/{z}/{y}/{x}",
        "Tiles: (c) Esri; sources: GEBCO, NOAA, CHS, OSU, UNH, CSUMB, National Geographic, "
        "DeLorme, NAVTEQ and Esri",
        13,
    ),
}
"""Online tile layers for ``tiles=``: name -> (label, URL template, attribution, max zoom)."""

_LEAFLET_MARK = "/* eezcheck: Leaflet {version} inlined from django-js-lib-leaflet */"
_MARKER = re.compile(r"@@([A-Z_]+)@@")


class MapDependencyError(EezcheckError, ImportError):
    """django-js-lib-leaflet (the ``maps`` extra) is not installed."""


def _leaflet_dir() -> Path:
    try:
        from importlib.resources import files

        d = Path(str(files("js_lib_leaflet"))) / "static" / "js_lib_leaflet"
    except (ModuleNotFoundError, TypeError) as exc:
        raise MapDependencyError(
            "Maps need Leaflet from the PyPI package django-js-lib-leaflet: "
            "pip install 'eezcheck[maps]' (or pip install django-js-lib-leaflet==1.9.4.1)"
        ) from exc
    if not (d / "leaflet.js").is_file():
        raise MapDependencyError(
            f"Leaflet is missing from {str(d)!r}: reinstall django-js-lib-leaflet==1.9.4.1"
        )
    return d


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str, str]:
    """``(version, js, css)`` of the installed Leaflet, images inlined as data URIs."""
    d = _leaflet_dir()
    js = (d / "leaflet.js").read_text(encoding="utf-8")
    m = re.search(r"Leaflet (\d+\.\d+\.\d+)", js[:300])
    version = m.group(1) if m else "unknown"
    js = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", js)
    css = (d / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        p = d / match.group(1)
        if not p.is_file():
            return "none"
        return "url(data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii") + ")"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # comments (browser bug links) only
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover - vendored file
        raise MapDependencyError(
            "the installed leaflet.js cannot be inlined (it contains '</script')"
        )
    return version, js, css


@lru_cache(maxsize=4)
def package_file(name: str) -> str:
    """The text of one of the page's package files (``runtime.js``, ``style.css``, ...)."""
    return files("eezcheck.mapping").joinpath(name).read_text(encoding="utf-8")


def script_json(obj: Any) -> str:
    """JSON for a ``<script type="application/json">`` block: no '<', '>', '&' or line
    separator survives unescaped, so the text can neither close the block nor open a comment.

    >>> "<" in script_json({"a": "</script>"}), json.loads(script_json({"a": "</script>"}))
    (False, {'a': '</script>'})
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )  # fmt: skip


def render_page(data: dict[str, Any], title: str) -> str:
    """The whole page: the package's ``page.html`` with Leaflet, the runtime, the styles, the
    escaped ``<title>`` and the map's data (JSON) substituted in one pass."""
    version, js, css = leaflet_assets()
    parts = {
        "TITLE": html.escape(clean_text(title), quote=True),
        "LEAFLET_CSS": css,
        "CSS": package_file("style.css"),
        "LEAFLET_JS": _LEAFLET_MARK.format(version=version) + "\n" + js,
        "RUNTIME": package_file("runtime.js"),
        "DATA": script_json(data),
    }
    return _MARKER.sub(lambda m: parts[m.group(1)], package_file("page.html"))


class MapPage:
    """A built map: the data of a self-contained Leaflet page, and what it holds.

    ``html()`` is the page; ``save(path)`` writes it (as :func:`eezcheck.mapping.save_map`);
    in Jupyter it displays inline (an ``<iframe srcdoc>``). ``data`` is the JSON the page's
    runtime draws from; ``eezcheck_info`` (:class:`MapInfo`) says what is on the map.
    """

    def __init__(self, data: dict[str, Any], title: str, info: MapInfo) -> None:
        self.data = data
        self.title = title
        self.eezcheck_info = info
        self._html: str | None = None

    def html(self) -> str:
        """The page as one HTML document."""
        if self._html is None:
            self._html = render_page(self.data, self.title)
        return self._html

    def save(self, path: str | os.PathLike[str], overwrite: bool = False) -> Path:
        """Write the page atomically; see :func:`write_page`."""
        return write_page(self.html(), path, overwrite=overwrite)

    def _repr_html_(self) -> str:
        doc = html.escape(self.html(), quote=True)
        return (
            f'<iframe srcdoc="{doc}" style="width:100%;height:600px;border:none" '
            'sandbox="allow-scripts allow-popups"></iframe>'
        )

    def __repr__(self) -> str:
        i = self.eezcheck_info
        return f"<MapPage {self.title!r}: {i.drawn} of {i.events} event(s) drawn>"


def write_page(text: str, path: str | os.PathLike[str], overwrite: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically (a temporary file in the same folder, then
    ``os.replace``), creating parent folders. Raises
    :class:`~eezcheck.errors.FileOverwriteError` if ``path`` exists and ``overwrite`` is False.
    """
    return write_atomic(check_destination(path, overwrite, "map.html"), text)


def slugify(text: str, default: str = "map", max_len: int = 60) -> str:
    """A file-name-safe slug: ASCII letters, digits and dashes ("Hwasong-15 2017" ->
    "hwasong-15-2017"). Text with no ASCII letters (Japanese, emoji) gives ``default`` plus a
    short hash, so different names still get different files.

    >>> slugify("Hwasong-15 <ICBM> 2017-11-29")
    'hwasong-15-icbm-2017-11-29'
    """
    import hashlib

    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:max_len].strip("-")
    if not s:
        if not str(text).strip():
            return default
        return f"{default}-{hashlib.sha1(str(text).encode('utf-8', 'replace')).hexdigest()[:8]}"
    return s


# --------------------------------------------------------------------------- tables
