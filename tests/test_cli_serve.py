"""``eezcheck serve`` options: loopback by default, the warning and the token for a shared host.

uvicorn is replaced by a recorder (nothing listens); the app it would serve is then asked,
in process, whether it wants the token.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")

from fastapi.testclient import TestClient  # noqa: E402

from eezcheck.cli.main import cli  # noqa: E402


@pytest.fixture
def served(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.delenv("EEZCHECK_SERVE_TOKEN", raising=False)
    return calls


def test_default_is_loopback_without_token(served):
    res = CliRunner().invoke(cli, ["serve", "--port", "8123"])
    assert res.exit_code == 0, res.output
    assert served[0]["host"] == "127.0.0.1" and served[0]["port"] == 8123
    assert "open http://127.0.0.1:8123/ (Ctrl-C to stop)" in res.stderr
    assert "Warning" not in res.stderr


def test_shared_host_warns_and_requires_a_token(served):
    res = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8124"])
    assert res.exit_code == 0, res.output
    assert "Warning: listening on 0.0.0.0" in res.stderr
    line = next(ln for ln in res.stderr.splitlines() if "open http://" in ln)
    token = line.split("?token=")[1].split()[0]
    assert len(token) >= 16
    with TestClient(served[0]["app"], follow_redirects=False) as c:
        assert c.get("/").status_code == 401
        assert c.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_token_from_the_environment(served, monkeypatch):
    monkeypatch.setenv("EEZCHECK_SERVE_TOKEN", "desk-token-123")
    res = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert res.exit_code == 0, res.output
    assert "?token=desk-token-123" in res.stderr
    with TestClient(served[0]["app"]) as c:
        assert c.get("/api/check", params={"q": "41.3 138.5"}).status_code == 401
        ok = c.get("/api/check", params={"q": "41.3 138.5"}, headers={"Authorization": "Bearer desk-token-123"})
        assert ok.status_code == 200


def test_loopback_refuses_other_host_headers(served):
    res = CliRunner().invoke(cli, ["serve"])
    assert res.exit_code == 0
    with TestClient(served[0]["app"], base_url="http://evil.example") as c:
        assert c.get("/").status_code == 400  # DNS rebinding: a foreign Host header
    with TestClient(served[0]["app"], base_url="http://127.0.0.1:8000") as c:
        assert c.get("/").status_code == 200


def test_help_has_an_example():
    res = CliRunner().invoke(cli, ["serve", "--help"])
    assert res.exit_code == 0 and "$ eezcheck serve" in res.output and "--token" in res.output
