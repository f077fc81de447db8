"""eezcheck: did that missile land inside Japan's exclusive economic zone (EEZ)?

Coordinates in the API are ``lon, lat`` (degrees, WGS84) unless a name says otherwise;
distances are geodesic on WGS84.
"""

from __future__ import annotations

import logging

from eezcheck._version import __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
