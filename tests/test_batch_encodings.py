"""Text is never altered (issue 11, item 7): a table mixing encodings is an error naming the line
and byte; a bad byte in a later piece names its line and byte; a re-run on eezcheck's own output
does not read its ``error`` column as an uncertainty radius."""

from __future__ import annotations

import pytest
from fixtures import synthetic as S

from eezcheck.batch import run_batch
from eezcheck.errors import TableFormatError


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


def test_utf8_then_cp932_is_an_error_naming_the_line(tmp_path, square):
    src = tmp_path / "mixed.csv"
    src.write_bytes(
        "name,lat,lon\n日本,30.5,140.5\n".encode() + "東京,30.5,140.5\n".encode("cp932")
    )
    with pytest.raises(TableFormatError, match=r"mixes text encodings: line 2 is UTF-8, but line 3"):
        run_batch(str(src), str(tmp_path / "o.csv"), boundaries=square)
    assert not (tmp_path / "o.csv").exists()


def test_cp932_then_utf8_is_an_error_naming_the_line(tmp_path, square):
    src = tmp_path / "mixed.csv"
    src.write_bytes(
        "name,lat,lon\n東京,30.5,140.5\n".encode("cp932") + "日本,30.5,140.5\n".encode()
    )
    with pytest.raises(TableFormatError, match=r"line 3 is UTF-8, but line 2 \(byte 13\)"):
        run_batch(str(src), str(tmp_path / "o.csv"), boundaries=square)


def test_explicit_encoding_reads_it_all_in_one(tmp_path, square):
    src, out = tmp_path / "sjis.csv", tmp_path / "o.csv"
    src.write_bytes("name,lat,lon\n東京,30.5,140.5\n".encode("cp932"))
    run_batch(str(src), str(out), boundaries=square, encoding="cp932")
    assert "東京" in out.read_text(encoding="utf-8")


def test_bad_byte_in_a_later_piece_names_line_and_byte(tmp_path, square):
    src = tmp_path / "late.csv"
    good = "".join(f"r{i},30.5,140.5,日本\n" for i in range(60_000)).encode()  # past the 1 MB sample
    data = b"name,lat,lon,note\n" + good + b"bad,30.5,140.5,\x93\x8c\n"
    src.write_bytes(data)
    offset = data.index(b"\x93")
    with pytest.raises(TableFormatError, match=rf"not utf-8 text at line 60002, byte {offset}"):
        run_batch(str(src), str(tmp_path / "o.csv"), boundaries=square, range_bytes=100_000)


def test_rerun_on_own_output_ignores_its_error_column(tmp_path, square):
    src, first, second = tmp_path / "in.csv", tmp_path / "a.csv", tmp_path / "b.csv"
    src.write_text("id,lat,lon\n1,30.5,140.5\n2,x,140.5\n", encoding="utf-8")
    run_batch(str(src), str(first), boundaries=square)
    s = run_batch(str(first), str(second), boundaries=square, overwrite=True)
    assert s.columns.get("uncertainty") != "error"
    assert s.errors == 1 and s.first_errors[0]["row"] == 2
    assert "not a radius" not in second.read_text(encoding="utf-8")


def test_utf8_only_after_the_first_megabyte_of_shift_jis_is_an_error(tmp_path, square):
    """The first megabyte is Shift_JIS, so the file is read as Shift_JIS; UTF-8 lines after it
    were decoded as mojibake (日本 -> 譌･譛ｬ) with exit 0. Now: an error naming line and byte."""
    src = tmp_path / "late.csv"
    head = ("name,lat,lon\n" + "".join(f"{'東京' * 100}{i},30.5,140.5\n" for i in range(2_700))).encode("cp932")
    assert len(head) > 1 << 20
    src.write_bytes(head + "日本,30.5,140.5\n".encode())
    with pytest.raises(TableFormatError, match=rf"first megabyte is Shift_JIS \(CP932\), but line 2702 \(byte {len(head)}\) is UTF-8"):
        run_batch(str(src), str(tmp_path / "o.csv"), boundaries=square, range_bytes=200_000)
    assert not (tmp_path / "o.csv").exists()
    # the same file all in Shift_JIS is read, every row
    src.write_bytes(head + "日本,30.5,140.5\n".encode("cp932"))
    s = run_batch(str(src), str(tmp_path / "o.csv"), boundaries=square, range_bytes=200_000)
    assert s.rows == 2_701 and s.errors == 0
