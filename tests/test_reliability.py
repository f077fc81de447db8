"""The reliability suite (issue 11, item 10): a hostile corpus through every column batch
carries, its headers, and the CLI's text input.

For every (payload, field): the run ends with the contract's exit code and a message, never a
traceback; no file appears (the payloads try to create ``PWNED*``); the CSV output holds the
text exactly as it was given, one row per input row; and with ``--map`` the page's one data
block holds it literally (as JSON data, never as markup or script outside that block).
The count of attacks is ``len(CORPUS) * len(FIELDS)`` plus the CLI cases (see the README).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import synthetic as S

from eezcheck.batch import run_batch
from eezcheck.cli.main import cli

CORPUS = [
    "{{ lipsum.__globals__.os.mkdir('PWNED1') }}",  # Jinja
    "{% for x in range(3) %}{{x}}{% endfor %}",
    "{#3 of 2017}",
    "<img src=x onerror=\"document.title='PWNED2'\">",  # HTML
    "</script><script>document.title='PWNED3'</script>",
    "`${document.title='PWNED4'}`",  # template literal
    "$(touch PWNED5); `touch PWNED6`",  # shell
    "=HYPERLINK(\"http://x\",\"PWNED7\")",  # spreadsheet formula
    "\x1b[2J\x1b]0;PWNED8\x07",  # terminal escapes
    "a\u2028b\u2029c\x0cd\x85e\x1ef",  # line separators Python's splitlines cuts at
    "\u202eevil\u202c right-to-left",
    "%s %(x)s {0} {x!r}",  # format strings
    "../../../../etc/passwd",
    "height 5'3\" tall",  # a stray quote
    "multi\nline, \"quoted\"",
    "\ufeffBOM inside",
    "日本語 🚀 \u0000 NUL",
    "x" * 5000,
]

FIELDS = ["name", "notes", "date", "facility_name"]


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(S.make_user_dataset(tmp_path_factory.mktemp("square") / "set"))


def _clean(s: str) -> str:
    return s.replace("\x00", "")  # CSV cannot carry NUL: the test table leaves it out


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "hostile.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["lat", "lon", *FIELDS])
    for i, p in enumerate(CORPUS):
        w.writerow(["30.5", "140.5" if i % 2 else "147", *[_clean(p)] * len(FIELDS)])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _no_new_files(folder: Path, before: set[str]) -> None:
    new = {p.name for p in folder.iterdir()} - before
    assert not any(n.startswith("PWNED") for n in new), new
    assert not any(p.name.startswith("PWNED") for p in Path.cwd().iterdir())


def test_corpus_through_every_batch_column_keeps_the_text(tmp_path, square, table, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = {p.name for p in tmp_path.iterdir()}
    out, page = tmp_path / "out.csv", tmp_path / "map.html"
    s = run_batch(str(table), str(out), boundaries=square, map_path=str(page))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert s.rows == len(rows) == len(CORPUS)
    for row, p in zip(rows, CORPUS):
        for f in FIELDS:
            assert row[f] == _clean(p)
        assert row["error"] == "" and row["japan_eez"] in ("inside", "outside")
    _no_new_files(tmp_path, before | {"out.csv", "map.html"})
    if page.exists():
        from fixtures.mappage import page_data

        html = page.read_text(encoding="utf-8")
        data = repr(page_data(html))
        for p in CORPUS[:8]:
            assert repr(_clean(p))[1:-1] in data or _clean(p) in data
        outside = html.replace(html[html.find('<script type="application/json"'):], "")
        for p in ("PWNED2", "PWNED3", "PWNED4", 'onerror="document'):
            assert p not in outside


def test_corpus_as_headers(tmp_path, square, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src, out = tmp_path / "h.csv", tmp_path / "o.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["lat", "lon", *[_clean(p)[:200] for p in CORPUS]])
    w.writerow(["30.5", "140.5", *["v"] * len(CORPUS)])
    src.write_text(buf.getvalue(), encoding="utf-8")
    s = run_batch(str(src), str(out), boundaries=square)
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert s.rows == 1 and header[2 : 2 + len(CORPUS)][:3] == [_clean(p)[:200] for p in CORPUS][:3]
    _no_new_files(tmp_path, {"h.csv", "o.csv"})


@pytest.mark.parametrize("payload", CORPUS)
def test_corpus_as_cli_text_is_a_message_not_a_traceback(tmp_path, square, monkeypatch, payload):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["check", payload, "--boundaries", square])
    assert r.exit_code == 2, r.output
    assert r.output.startswith("Error: ") and "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert not any(p.name.startswith("PWNED") for p in tmp_path.iterdir())
    assert not os.path.exists("PWNED5")


ATTACKS = len(CORPUS) * len(FIELDS) + len(CORPUS) + len(CORPUS)
"""Batch columns, headers, CLI text."""


MANIFEST_FIELDS = ["dataset", "source", "licence", "claims_policy"]


def _literal_in_terminal(text: str, payload: str) -> None:
    from eezcheck.cli.terminal import shown

    assert " ".join(shown(payload).split()) in " ".join(text.split())  # runs of spaces may be one
    assert not any(c in text for c in "\x1b\x07\u202e\u2028\x85\x00")  # nothing the terminal obeys


@pytest.mark.parametrize("start", range(0, len(CORPUS), len(MANIFEST_FIELDS)))
def test_corpus_in_manifest_fields_is_shown_literally(tmp_path, monkeypatch, start):
    """Each payload in one manifest field of a data set (4 payloads a set): `check` prints it
    with its controls escaped, `--json` holds it exactly, the map page only as JSON data."""
    from fixtures.mappage import page_data

    monkeypatch.chdir(tmp_path)
    payloads = {f: _clean(p) for f, p in zip(MANIFEST_FIELDS, CORPUS[start : start + len(MANIFEST_FIELDS)])}
    d = S.make_user_dataset(tmp_path / "set", **payloads)
    r = CliRunner().invoke(cli, ["check", "30.5", "140.5", "--boundaries", str(d)])
    assert r.exit_code == 0, r.output
    if "dataset" in payloads:
        _literal_in_terminal(r.stdout, payloads["dataset"][:200])
    j = CliRunner().invoke(cli, ["check", "30.5", "140.5", "--boundaries", str(d), "--json"])
    import json as _json

    said = _json.loads(j.stdout)["boundaries"]
    for f, p in payloads.items():
        assert said[f] == p
    page = tmp_path / "m.html"
    m = CliRunner().invoke(cli, ["map", "30.5", "140.5", "--boundaries", str(d), "-o", str(page)])
    assert m.exit_code == 0, m.output
    html = page.read_text(encoding="utf-8")
    data = _json.dumps(page_data(html), ensure_ascii=False)
    import html as _html

    text = _json.dumps(payloads["dataset"], ensure_ascii=False)[1:-1]
    assert text in data or _json.dumps(_html.escape(payloads["dataset"]), ensure_ascii=False)[1:-1] in data
    outside = html.replace(html[html.find('<script type="application/json"'):], "")
    for marker in ("PWNED2", "PWNED3", "PWNED4", 'onerror="document'):
        assert marker not in outside
    assert not any(p.name.startswith("PWNED") for p in tmp_path.iterdir())


ATTACKS += len(CORPUS)
"""... and the manifest fields (each payload in one of them)."""
