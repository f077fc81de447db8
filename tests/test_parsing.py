"""Tests for eezcheck.parsing: coordinates as people write them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eezcheck.errors import InvalidCoordinateError
from eezcheck.parsing import (
    LonLat,
    format_coordinates,
    parse_coordinates,
    parse_lat_lon,
)

# --------------------------------------------------------------------------------------------
# Coordinates


@pytest.mark.parametrize(
    "text",
    [
        "41.3 138.5",
        "41.3,138.5",
        "41.3, 138.5",
        "(41.3, 138.5)",
        "41.3N 138.5E",
        "41.3n 138.5e",
        "41.3 N, 138.5 E",
        "N41.3 E138.5",
        "N 41.3, E 138.5",
        "41.3N138.5E",
        "138.5E 41.3N",
        "E138.5 N41.3",
        "41°18'N 138°30'E",
        "41°18′00″N 138°30′00″E",
        "41° 18' 00\" N, 138° 30' 00\" E",
        "41 18 00 N 138 30 00 E",
        "41 18 N 138 30 E",
        "41 18 138 30",
        "41 18 00 138 30 00",
        "41°18' 138°30'",
        "北緯41.3度 東経138.5度",
        "北緯41度18分 東経138度30分",
        "北緯41度18分00秒 東経138度30分00秒",
        "東経138.5度 北緯41.3度",
        "lat 41.3 lon 138.5",
        "lat=41.3, lon=138.5",
        "lon 138.5 lat 41.3",
        "４１．３ １３８．５",  # full width
        "41.3 1.385e2",  # an exponent, as float() reads it
    ],
)
def test_parse_coordinates_forms(text):
    lon, lat = parse_coordinates(text)
    assert lat == pytest.approx(41.3, abs=1e-9)
    assert lon == pytest.approx(138.5, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "lon", "lat"),
    [
        ("-33.9 151.2", 151.2, -33.9),
        ("33.9S 151.2E", 151.2, -33.9),
        ("33°54'S 151°12'E", 151.2, -33.9),
        ("南緯33.9度 東経151.2度", 151.2, -33.9),
        ("40.7128 -74.006", -74.006, 40.7128),
        ("40.7128N 74.006W", -74.006, 40.7128),
        ("西経74.006度 北緯40.7128度", -74.006, 40.7128),
        ("-0.5 -0.5", -0.5, -0.5),
        ("41.3 190", -170.0, 41.3),
        ("41.3 180", -180.0, 41.3),
        ("90 0", 0.0, 90.0),
        ("41.3N 138.5", 138.5, 41.3),  # one letter is enough
    ],
)
def test_parse_coordinates_values(text, lon, lat):
    got = parse_coordinates(text)
    assert (
        isinstance(got, LonLat) and got.lon == pytest.approx(lon) and got.lat == pytest.approx(lat)
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("95 138", "latitude 95 is outside -90..90"),
        ("-90.5 10", "outside -90..90"),
        ("138.5 41.3", "did you write longitude first"),
        ("41.3 400", "longitude 400 is outside -180..180 (or 0..360 east of Greenwich)"),
        ("41.3 -181", "longitude -181 is outside -180..180"),
        ("nan 138", "NaN"),
        ("41.3 inf", "NaN and infinity"),
        ("NaN, NaN", "NaN"),
        ("junk", "is not a number"),
        ("--", "is not a number"),
        ("", "nothing to read"),
        ("   ", "nothing to read"),
        ("41.3", "expected 2"),
        ("1 2 3", "expected 2"),
        ("41.3N 42.0N", "both parts are latitudes"),
        ("138E 139W", "both parts are longitudes"),
        ("41 70 00 N 138 30 00 E", "minutes and seconds"),
        ("41.5 18 N 138 E", "decimal degrees"),
        ("-41.3S 138.5E", "minus sign"),
        ("41.3, 138.5, 7", "more than one separator"),
        ("41.3N 138.5E 7N", "expected latitude and longitude"),
        ("41°°18 138", "does not follow a number"),
    ],
)
def test_parse_coordinates_errors(text, reason):
    with pytest.raises(InvalidCoordinateError) as info:
        parse_coordinates(text)
    msg = str(info.value)
    assert reason in msg
    assert repr(text) in msg  # quotes what was read
    assert "latitude then longitude" in msg  # and says how to write it
    assert isinstance(info.value, ValueError)


def test_parse_coordinates_rejects_non_strings():
    with pytest.raises(InvalidCoordinateError):
        parse_coordinates(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (41.3, 138.5, (138.5, 41.3)),
        ("41.3", "138.5", (138.5, 41.3)),
        ("41.3N", "138.5E", (138.5, 41.3)),
        ("41°18'N", "138°30'E", (138.5, 41.3)),
        ("33.9S", 200, (-160.0, -33.9)),
        (-90, 360, (0.0, -90.0)),
        ("41.3", "14e1", (140.0, 41.3)),
        ("北緯41.3度", "東経138.5度", (138.5, 41.3)),
    ],
)
def test_parse_lat_lon(lat, lon, expected):
    assert parse_lat_lon(lat, lon) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("lat", "lon", "reason"),
    [
        (float("nan"), 138, "not a finite number"),
        (41, float("inf"), "not a finite number"),
        (91, 0, "latitude 91 is outside"),
        (41, 361, "outside -180..180"),
        (41, -360, "outside -180..180"),
        ("-41.3N", 138, "a minus sign and 'N' together"),
        ("41N", "42N", "is not a longitude"),
        ("138E", "41N", "is not a latitude"),
        ("", 1, "empty"),
        ("x", 1, "is not a number"),
        (True, 1, "is not a number"),
        (None, 1, "empty or not a number"),
        ("41, 2", 1, "single value"),
    ],
)
def test_parse_lat_lon_errors(lat, lon, reason):
    with pytest.raises(InvalidCoordinateError, match=reason):
        parse_lat_lon(lat, lon)


_STYLES = ("decimal", "hemisphere", "dms", "ja")


@settings(max_examples=150, deadline=None)
@given(
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 179.9999, allow_nan=False),
    style=st.sampled_from(_STYLES),
)
def test_format_then_parse_round_trips(lat, lon, style):
    text = format_coordinates(lon, lat, style=style, digits=6)
    got = parse_coordinates(text)
    tol = 1.5e-5 if style == "dms" else 1e-6  # dms keeps 0.1" = 2.8e-5 deg
    assert got.lat == pytest.approx(lat, abs=tol)
    dlon = (got.lon - lon + 180.0) % 360.0 - 180.0
    assert abs(dlon) <= tol


@settings(max_examples=60, deadline=None)
@given(lat=st.floats(-89, 89, allow_nan=False), lon=st.floats(-180, 180, allow_nan=False))
def test_lon_and_lon_plus_360_agree(lat, lon):
    """The 0..360 convention: a western longitude + 360 is the same point; below -180 or above
    360 is an error, never wrapped."""
    a = parse_coordinates(f"{lat:.9f} {lon:.9f}")
    if lon <= 0:
        b = parse_coordinates(f"{lat:.9f} {lon + 360.0:.9f}")
        assert abs((a.lon - b.lon + 180) % 360 - 180) < 1e-8 and a.lat == b.lat
    shifted = f"{lon - 360.0:.9f}"  # the text a user would type: compare what it says
    if float(shifted) < -180.0:
        with pytest.raises(InvalidCoordinateError, match="outside -180..180"):
            parse_coordinates(f"{lat:.9f} {shifted}")


def test_format_coordinates_unknown_style():
    with pytest.raises(ValueError, match="unknown style"):
        format_coordinates(138.5, 41.3, style="mgrs")


@pytest.mark.parametrize("text", ["67,", "41.3, ", ", 138.5"])
def test_a_separator_with_one_side_empty_is_a_message(text):
    with pytest.raises(InvalidCoordinateError, match="no number (before|after) the separator"):
        parse_coordinates(text)
