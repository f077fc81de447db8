"""``eezcheck batch -o results.xlsx``: read back with openpyxl as Excel would open it.

Asserts what an editor sees: the sheet names, the input's columns first (Japanese names
intact), one row per input row in order with its error, text that looks like a formula kept as
text, the summary sheet's counts, and that the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import time

import openpyxl
import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.cli.main import cli

CSV_IN = (
    "名前,緯度,経度,備考\n"
    '甲,28,138,=HYPERLINK("http://x";"click")\n'
    "乙,28,147,沖ノ鳥島の北\n"
    "丙,x,1,\n"
    "丁,33,144.5,+1\n"
)


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


def _batch(square: str, src, out, *extra: str):
    res = CliRunner().invoke(
        cli, ["batch", str(src), "-o", str(out), "--boundaries", square, *extra]
    )
    assert res.exit_code == 0, res.output
    return res


def test_excel_output_reads_back(square, tmp_path):
    src = tmp_path / "events.csv"
    src.write_text(CSV_IN, encoding="utf-8")
    _batch(square, src, tmp_path / "out.csv")
    _batch(square, src, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["results", "summary"]
    ws = book["results"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["名前", "緯度", "経度", "備考"]
    want = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8"))))
    assert header == list(want[0])  # the same columns as the CSV, in the same order
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 4
    assert [r[0] for r in rows] == ["甲", "乙", "丙", "丁"]
    got = [dict(zip(header, r)) for r in rows]
    assert got[0]["備考"] == '=HYPERLINK("http://x";"click")'
    assert ws.cell(row=2, column=4).data_type == "s"  # text, not a formula
    assert got[3]["備考"] == "+1"
    for g, w in zip(got, want):
        assert (g["japan_eez"] or "") == w["japan_eez"]
        assert (g["error"] or "") == w["error"]
        if w["distance_to_eez_limit_km"]:
            assert g["distance_to_eez_limit_km"] == pytest.approx(
                float(w["distance_to_eez_limit_km"])
            )
    assert got[2]["error"] and "x" in got[2]["error"]
    summary = dict(book["summary"].iter_rows(values_only=True))
    assert summary["rows"] == 4
    assert summary["errors"] == 1
    assert summary["inside"] + summary["outside"] + summary["disputed"] + summary["uncertain"] == 3
    assert "boundary data: claims_policy" in summary


def test_excel_bytes_do_not_depend_on_when(square, tmp_path):
    src = tmp_path / "events.csv"
    src.write_text(CSV_IN, encoding="utf-8")
    _batch(square, src, tmp_path / "a.xlsx")
    time.sleep(1.1)
    _batch(square, src, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_excel_refused_extension_is_now_accepted_with_format(square, tmp_path):
    src = tmp_path / "events.csv"
    src.write_text(CSV_IN, encoding="utf-8")
    _batch(square, src, tmp_path / "out.bin", "--format", "xlsx")
    with open(tmp_path / "out.bin", "rb") as fh:
        assert openpyxl.load_workbook(fh).sheetnames == ["results", "summary"]
