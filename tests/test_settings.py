"""Settings come from the environment and fail loudly on a value they cannot use."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clientela.env import env_bool, env_choice, env_int, env_list, env_str

SRC = Path(__file__).resolve().parent.parent / "src"

# Prints the settings a fresh process ends up with; run in a subprocess so each test gets its
# own environment and its own first import of the settings module.
SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
db = settings.DATABASES["default"]
print(json.dumps({
    "secret_key": settings.SECRET_KEY,
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST"),
    "port": str(db.get("PORT")),
    "user": db.get("USER"),
    "phone_region": settings.DEFAULT_PHONE_REGION,
    "site_url": settings.SITE_URL,
    "journal_mode": (
        connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
        if connection.vendor == "sqlite" else None
    ),
}))
"""


def settings_process(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CLIENTELA_") and k != "DATABASE_URL"
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="clientela.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        CLIENTELA_DATA_DIR=str(tmp_path / "data"),
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def shown(tmp_path: Path, **env: str) -> dict:
    result = settings_process(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the readers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("CLT_TEST_FLAG", raw)
    assert env_bool("CLT_TEST_FLAG", not value) is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("CLT_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CLT_TEST_FLAG='maybe' is not a boolean"):
        env_bool("CLT_TEST_FLAG", False)


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("CLT_TEST_FLAG", raising=False)
    assert env_bool("CLT_TEST_FLAG", True) is True


@pytest.mark.parametrize("raw", ["ten", "1.5", "0x10"])
def test_env_int_refuses_what_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv("CLT_TEST_INT", raw)
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("CLT_TEST_INT", 3)


def test_env_int_enforces_its_minimum(monkeypatch):
    monkeypatch.setenv("CLT_TEST_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="must be at least 1"):
        env_int("CLT_TEST_INT", 3, minimum=1)
    monkeypatch.setenv("CLT_TEST_INT", " 42 ")
    assert env_int("CLT_TEST_INT", 3, minimum=1) == 42


def test_env_choice_refuses_an_unknown_value(monkeypatch):
    monkeypatch.setenv("CLT_TEST_LANG", "de")
    with pytest.raises(ImproperlyConfigured, match="is not one of: en, ru, uk"):
        env_choice("CLT_TEST_LANG", "uk", {"uk", "ru", "en"})
    monkeypatch.setenv("CLT_TEST_LANG", "ru")
    assert env_choice("CLT_TEST_LANG", "uk", {"uk", "ru", "en"}) == "ru"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("CLT_TEST_HOSTS", " crm.example.com, ,10.0.0.5 ")
    assert env_list("CLT_TEST_HOSTS", []) == ["crm.example.com", "10.0.0.5"]


def test_a_file_variant_supplies_the_value(monkeypatch, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("s3cret-from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("CLT_TEST_PASSWORD", "from-the-variable")
    monkeypatch.setenv("CLT_TEST_PASSWORD_FILE", str(secret))
    assert env_str("CLT_TEST_PASSWORD") == "s3cret-from-a-file"


def test_a_file_variant_works_for_typed_readers(monkeypatch, tmp_path):
    (tmp_path / "port").write_text("2525", encoding="utf-8")
    monkeypatch.setenv("CLT_TEST_PORT_FILE", str(tmp_path / "port"))
    assert env_int("CLT_TEST_PORT", 25) == 2525


def test_a_missing_file_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv("CLT_TEST_PASSWORD_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match=r"CLT_TEST_PASSWORD_FILE=.* cannot be read"):
        env_str("CLT_TEST_PASSWORD")


# --- the settings module, in a fresh process ------------------------------------------------------


def test_secret_key_is_generated_into_the_data_dir_once(tmp_path):
    # when
    first = shown(tmp_path)
    second = shown(tmp_path)

    # then
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first["secret_key"]) >= 50
    assert (
        first["secret_key"] == second["secret_key"] == key_file.read_text(encoding="utf-8").strip()
    )


def test_given_secret_key_wins_and_nothing_is_written(tmp_path):
    key = "k" * 60
    assert shown(tmp_path, CLIENTELA_SECRET_KEY=key)["secret_key"] == key
    assert not (tmp_path / "data" / "secret_key").exists()


def test_secret_key_can_come_from_a_file(tmp_path):
    (tmp_path / "key").write_text("from-a-mounted-secret-" + "x" * 40 + "\n", encoding="utf-8")
    result = shown(tmp_path, CLIENTELA_SECRET_KEY_FILE=str(tmp_path / "key"))
    assert result["secret_key"] == "from-a-mounted-secret-" + "x" * 40


def test_defaults_are_safe_and_local(tmp_path):
    result = shown(tmp_path)
    assert result["debug"] is False
    assert set(result["allowed_hosts"]) <= {"localhost", "127.0.0.1", "[::1]"}
    assert result["engine"] == "django.db.backends.sqlite3"
    assert result["name"] == str(tmp_path / "data" / "clientela.sqlite3")
    assert result["journal_mode"] == "wal"
    assert result["phone_region"] == "UA"


def test_data_dir_defaults_to_var_in_the_working_directory(tmp_path):
    result = settings_process(tmp_path, CLIENTELA_DATA_DIR="")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "secret_key").exists()


def test_database_url_selects_postgresql(tmp_path):
    # Settings are read without connecting, so no server is needed for this.
    result = shown(tmp_path, DATABASE_URL="postgres://crm:pw@db.internal:5433/clientela")
    assert result["engine"] == "django.db.backends.postgresql"
    assert (result["name"], result["host"], result["port"], result["user"]) == (
        "clientela",
        "db.internal",
        "5433",
        "crm",
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CLIENTELA_PHONE_REGION", "XX", "CLIENTELA_PHONE_REGION='XX' is not a region code"),
        ("CLIENTELA_DEBUG", "sometimes", "CLIENTELA_DEBUG='sometimes' is not a boolean"),
        ("CLIENTELA_HTTPS", "yes please", "CLIENTELA_HTTPS='yes please' is not a boolean"),
        (
            "CLIENTELA_LOGIN_FAILURE_LIMIT",
            "0",
            "CLIENTELA_LOGIN_FAILURE_LIMIT=0 must be at least 1",
        ),
        ("CLIENTELA_LANGUAGE", "de", "CLIENTELA_LANGUAGE='de' is not one of"),
        ("DATABASE_URL", "not-a-url", "DATABASE_URL is not a database URL"),
        ("CLIENTELA_SECRET_KEY_FILE", "/nonexistent/key", "CLIENTELA_SECRET_KEY_FILE="),
        ("CLIENTELA_SITE_URL", "crm.example.com", "CLIENTELA_SITE_URL='crm.example.com' must be"),
    ],
)
def test_a_bad_setting_stops_the_process_with_its_name(tmp_path, name, value, message):
    result = settings_process(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_site_address_loses_its_trailing_slash(tmp_path):
    assert shown(tmp_path)["site_url"] == "http://127.0.0.1:8000"
    given = shown(tmp_path, CLIENTELA_SITE_URL="https://crm.example.com/")
    assert given["site_url"] == "https://crm.example.com"
