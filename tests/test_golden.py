"""Every README command, batch on the CNS and MoD tables in every format and the maps give the
recorded outputs (tests/golden/, written by ``python tests/golden/make_golden.py --write``)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_golden", HERE / "golden" / "make_golden.py")
assert _spec is not None and _spec.loader is not None
golden = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_golden", golden)
_spec.loader.exec_module(golden)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not golden.CNS.exists() or not golden.MOD.exists(), reason="../shared event tables not available"),
]


@pytest.mark.parametrize("group", list(golden.cases()))
def test_outputs_match_the_golden_files(group: str) -> None:
    recorded = json.loads(golden.golden_path(group).read_text(encoding="utf-8"))
    produced = golden.produce(group)
    diffs = golden.differences(recorded, produced)
    assert not diffs, (
        "outputs differ from tests/golden (a deliberate change? run "
        "'python tests/golden/make_golden.py --write' and list it in the commit):\n\n" + "\n\n".join(diffs)
    )


def test_golden_files_hold_no_copy_of_shared_tables() -> None:
    """The recorded outputs embed no row of ../shared data (digests and verdicts only)."""
    text = "".join(golden.golden_path(g).read_text(encoding="utf-8") for g in golden.cases())
    for table in (golden.CNS, golden.MOD):
        lines = table.read_text(encoding="utf-8").splitlines()[1:]
        assert not [line for line in lines if len(line) > 40 and line in text]
