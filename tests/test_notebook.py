"""What an analyst sees in Jupyter: reprs, HTML cards, indexing, DataFrames, enums, the map,
and the example notebook executed end to end (nbclient, a real kernel)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import eezcheck
from eezcheck.zones import JapanEEZ, Zone

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "launch_morning.ipynb"


def test_enums_print_as_their_values():
    r = eezcheck.check(41.3, 138.5)
    assert str(r.japan_eez) == "inside" and f"{r.japan_eez}" == "inside"
    assert f"{r.zone}" == "eez" and f"{Zone.HIGH_SEAS:>10}" == " high_seas"
    assert r.japan_eez == "inside" and r.japan_eez is JapanEEZ.INSIDE


def test_result_repr_is_one_readable_line():
    r = eezcheck.check(41.3, 138.5)
    text = repr(r)
    assert text.startswith("CheckResult(japan_eez='inside', zone='eez', lat=41.3, lon=138.5, ")
    assert "distance_to_eez_limit_km=162.5" in text and "Oshima-Oshima" in text
    assert "\n" not in text and "claims" not in text  # no claims-policy paragraph
    html = r._repr_html_()
    assert "INSIDE" in html and "162.5 km inside the limit" in html
    assert "渡島大島" in html and "claims policy" in html


def test_result_html_escapes_every_string():
    from dataclasses import replace

    r = eezcheck.check(41.3, 138.5)
    evil = replace(r, description_en="<img src=x onerror=alert(1)>", warnings=("<script>x</script>",))
    html = evil._repr_html_()
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_results_index_iterate_slice_and_frames():
    rs = eezcheck.check_many([41.3, 30.0, 37.3], [138.5, 150.0, 131.95])
    assert rs[0].to_dict() == eezcheck.check(41.3, 138.5).to_dict()
    assert rs[-1].lat == 37.3
    assert [str(r.japan_eez) for r in rs] == ["inside", "outside", "disputed"]
    part = rs[1:]
    assert len(part) == 2 and part[0].to_dict() == rs[1].to_dict()
    assert list(rs["japan_eez"]) == ["inside", "outside", "disputed"]
    with pytest.raises(IndexError, match="result 3 of 3"):
        rs[3]
    assert repr(rs).startswith("CheckResults(3 points: 1 inside, 1 outside, 1 disputed, 0 uncertain;")
    html = rs._repr_html_()
    assert "<th>disputed</th>" in html and "Oshima-Oshima" in html
    df = rs.to_pandas()
    assert list(df["japan_eez"]) == ["inside", "outside", "disputed"]
    gpd = pytest.importorskip("geopandas")
    g = rs.to_geopandas()
    assert isinstance(g, gpd.GeoDataFrame) and g.crs.to_epsg() == 4326
    assert g.geometry.iloc[0].x == 138.5 and g.geometry.iloc[0].y == 41.3


def test_dataframe_in_dataframe_out_with_its_own_columns():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"event": ["a", "b"], "lat": [41.3, 30.0], "lon": [138.5, 150.0]}, index=["x", "y"])
    out = eezcheck.check_many(df)
    assert list(out.columns[:3]) == ["event", "lat", "lon"]
    assert "lat_result" in out.columns and list(out.index) == ["x", "y"]
    assert out.loc["x", "japan_eez"] == "inside" and out.loc["y", "event"] == "b"
    gpd = pytest.importorskip("geopandas")
    g = gpd.GeoDataFrame(
        {"event": ["a", "b"]}, geometry=gpd.points_from_xy([138.5, 150.0], [41.3, 30.0]), crs=4326
    ).to_crs(3857)
    got = eezcheck.check_many(g)
    assert isinstance(got, gpd.GeoDataFrame) and got.crs.to_epsg() == 3857
    assert list(got["japan_eez"]) == ["inside", "outside"]
    assert got["lat"].tolist() == pytest.approx([41.3, 30.0])


def test_map_returns_a_map_that_displays_inline():
    from eezcheck.mapping import MapPage

    m = eezcheck.map(eezcheck.check(41.3, 138.5))
    assert isinstance(m, MapPage)
    html = m._repr_html_()
    assert "iframe" in html and "leaflet" in html.lower()


@pytest.mark.slow
def test_example_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(EXAMPLE, as_version=4)
    root = str(Path(__file__).resolve().parents[1])
    env_before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = root + (os.pathsep + env_before if env_before else "")
    try:
        nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    finally:
        if env_before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = env_before
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("eezcheck-result" in h for h in html)  # the verdict card
    assert any("eezcheck-results" in h for h in html)  # the summary table
    assert any("<table" in h and "distance_to_eez_limit_km" in h for h in html)  # DataFrames
    assert any("iframe" in h for h in html)  # the map inline
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "JapanEEZ." not in text and "km to the limit" in text
