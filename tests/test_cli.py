"""The `clientela` command runs Django's management commands and Clientela's own."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CLIENTELA = Path(sys.executable).with_name("clientela")


def clientela(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CLIENTELA_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_SETTINGS_MODULE", None)  # the command sets it itself
    clean.update(CLIENTELA_DATA_DIR=str(tmp_path / "data"), **env)
    command = [str(CLIENTELA)] if CLIENTELA.exists() else [sys.executable, "-m", "clientela"]
    return subprocess.run(
        [*command, *args],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_passes(tmp_path):
    result = clientela(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_clientela_commands_are_listed(tmp_path):
    result = clientela(tmp_path, "help")
    assert result.returncode == 0, result.stderr
    for command in ("serve", "worker", "demo", "createadmin", "migrate"):
        assert f"    {command}\n" in result.stdout, command


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = clientela(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CLIENTELA_HTTPS="true",
        CLIENTELA_DEBUG="false",
        CLIENTELA_SECRET_KEY="p" + os.urandom(40).hex(),
        CLIENTELA_ALLOWED_HOSTS="crm.example.com",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_deploy_check_warns_without_https(tmp_path):
    result = clientela(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W" in result.stderr + result.stdout


def test_a_bad_setting_stops_the_command(tmp_path):
    result = clientela(tmp_path, "check", CLIENTELA_PHONE_REGION="Narnia")
    assert result.returncode != 0
    assert "CLIENTELA_PHONE_REGION" in result.stderr


def test_createadmin_makes_an_administrator_who_can_log_in(tmp_path):
    assert clientela(tmp_path, "migrate", "--no-input").returncode == 0
    result = clientela(tmp_path, "createadmin", "root", "--password", "a-long-admin-password")
    assert result.returncode == 0, result.stderr
    check = clientela(
        tmp_path,
        "shell",
        "-c",
        "from clientela.accounts.models import User; u = User.objects.get(username='root'); "
        "print(u.is_admin, u.check_password('a-long-admin-password'))",
    )
    assert check.stdout.strip().endswith("True True"), check.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_serve_answers_and_stops_with_its_worker_on_sigterm(tmp_path):
    # given a server on a free port
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIENTELA_")}
    env.pop("DATABASE_URL", None)
    env["CLIENTELA_DATA_DIR"] = str(tmp_path / "data")
    server = subprocess.Popen(
        [str(CLIENTELA), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = None
        page = ""
        deadline = time.monotonic() + 90
        while status is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=5
                ) as r:
                    status = r.status
                    page = r.read().decode()
            except OSError:
                time.sleep(0.5)
        # the first start serves the stylesheet and scripts it links to
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
        asset_status = {}
        for asset in assets:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{asset}", timeout=5) as r:
                asset_status[asset] = r.status
        workers = children(server.pid)

        # when
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()

    # then
    assert status == 200, output
    assert any(a.endswith(".css") for a in assets), page
    assert set(asset_status.values()) == {200}, asset_status
    assert f"Clientela is running at http://127.0.0.1:{port}/" in output
    assert "Clientela stopped." in output
    assert workers, "serve did not start a worker"
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists(), "the worker outlived the server"
