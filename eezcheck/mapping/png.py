"""Static images of a map: the same page rendered by headless Chromium and captured as PNG.

The image is the page itself (same layers, verdict colours, legend and title), not a second
drawing of it: Chromium is driven by Playwright (``pip install playwright``) using an installed
Chromium (``/usr/bin/chromium`` from Debian, or ``$EEZCHECK_CHROMIUM``); no browser is
downloaded and every request that is not the page itself is refused, so nothing is fetched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from eezcheck.errors import EezcheckError
from eezcheck.mapping.page import MapDependencyError, MapPage, write_page
from eezcheck.outputs import check_destination, write_atomic

PNG_SIZE = (1400, 1000)
"""Default image size in CSS pixels (width, height)."""


class MapRenderError(EezcheckError, RuntimeError):
    """The browser could not render the map."""


def chromium_path() -> str:
    """The Chromium executable: ``$EEZCHECK_CHROMIUM``, else ``chromium`` on the PATH."""
    given = os.environ.get("EEZCHECK_CHROMIUM")
    found = given or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).exists():
        raise MapDependencyError(
            "PNG maps need Chromium: install it (Debian: apt-get install chromium) or set "
            "EEZCHECK_CHROMIUM to its path"
        )
    return found


def save_png(
    m: MapPage,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    size: tuple[int, int] = PNG_SIZE,
    scale: float = 1.0,
) -> Path:
    """Render ``m`` in headless Chromium and write a PNG of ``size`` CSS pixels (times
    ``scale`` device pixels), atomically; parent folders are made."""
    out = check_destination(path, overwrite, "map.png")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError as exc:
        raise MapDependencyError("PNG maps need Playwright: pip install playwright") from exc
    exe = chromium_path()
    with tempfile.TemporaryDirectory(prefix="eezcheck-png-") as tmp:
        page_path = write_page(m.html(), Path(tmp) / "map.html")
        shot = Path(tmp) / "map.png"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"]
                )
                try:
                    page = browser.new_page(
                        viewport={"width": int(size[0]), "height": int(size[1])},
                        device_scale_factor=scale,
                    )
                    page.route(
                        "**/*",
                        lambda r: (
                            r.continue_()
                            if r.request.url.startswith(("file:", "data:"))
                            else r.abort()
                        ),
                    )
                    page.goto(page_path.resolve().as_uri())
                    page.wait_for_function("window.EZ && window.EZ.map && window.EZ.map._loaded")
                    page.wait_for_timeout(400)  # fitBounds and fonts settle
                    page.screenshot(path=str(shot))
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise MapRenderError(f"Chromium ({exe}) could not render the map: {exc}") from exc
        return write_atomic(out, shot.read_bytes())
