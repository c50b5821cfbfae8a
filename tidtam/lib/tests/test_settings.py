import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Read from the environment by the settings; the tests give each one they need.
SETTINGS_ENV = {
    "TIDTAM_DEV",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DB_CONN_MAX_AGE",
    "DB_PREPARED_STATEMENTS",
    "STATIC_ROOT",
    "REDIS_URL",
    "DATABASE_REPLICA_URL",
    "TASKS_BACKEND",
}
PRODUCTION = {"SECRET_KEY": "k" * 40, "ALLOWED_HOSTS": "tidtam.example"}


def run_check(code: str = "import tidtam.settings", **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_to_start_outside_development_without_a_secret_key() -> None:
    result = run_check(ALLOWED_HOSTS="tidtam.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_refuse_a_short_secret_key_or_missing_hosts() -> None:
    assert "at least 32" in run_check(SECRET_KEY="short", ALLOWED_HOSTS="x").stderr
    assert "ALLOWED_HOSTS" in run_check(SECRET_KEY="k" * 40).stderr


def test_settings_start_in_production_with_a_key_and_hosts() -> None:
    assert run_check(SECRET_KEY="k" * 40, ALLOWED_HOSTS="tidtam.example").returncode == 0


def test_debug_must_be_a_clear_boolean() -> None:
    assert "DEBUG must be a boolean" in run_check(DEBUG="maybe").stderr


SHOWN = [
    "DEBUG",
    "DEVELOPMENT",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "STATIC_ROOT",
    "WHITENOISE_USE_FINDERS",
    "STORAGES",
    "DATABASES",
]


def settings_under(**env: str) -> dict[str, Any]:
    """The settings (SHOWN) a process started with this environment gets."""
    result = run_check(
        "import json, tidtam.settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {SHOWN!r}}}, default=str))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_debug_alone_does_not_switch_on_development_or_the_built_in_secret_key() -> None:
    refused = run_check(DEBUG="1", ALLOWED_HOSTS="tidtam.example")
    assert refused.returncode != 0
    assert "SECRET_KEY" in refused.stderr
    assert "ALLOWED_HOSTS" in run_check(DEBUG="1", SECRET_KEY="k" * 40).stderr


def test_debug_with_a_key_keeps_every_production_setting() -> None:
    debug = settings_under(DEBUG="1", **PRODUCTION)
    production = settings_under(**PRODUCTION)
    assert debug["DEBUG"] is True
    assert debug["DEVELOPMENT"] is False
    for name in SHOWN[2:]:
        assert debug[name] == production[name], name
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] == 31536000


def test_only_tidtam_dev_switches_on_development() -> None:
    development = settings_under(TIDTAM_DEV="1")
    assert development["DEVELOPMENT"] is True
    assert development["DEBUG"] is False
    assert development["SECRET_KEY"].startswith("dev-only")
    assert development["SESSION_COOKIE_SECURE"] is False
    assert development["STATIC_ROOT"] is None


def test_production_serves_collected_static_files_with_hashed_names() -> None:
    production = settings_under(**PRODUCTION)
    assert production["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert production["STATIC_ROOT"] == str(ROOT / "staticfiles")
    assert production["WHITENOISE_USE_FINDERS"] is False
    assert settings_under(STATIC_ROOT="/srv/static", **PRODUCTION)["STATIC_ROOT"] == "/srv/static"
    development = settings_under(TIDTAM_DEV="1")
    assert development["STORAGES"]["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def test_production_keeps_database_connections_open_with_health_checks() -> None:
    database = settings_under(**PRODUCTION)["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 600
    assert database["CONN_HEALTH_CHECKS"] is True
    tuned = settings_under(DB_CONN_MAX_AGE="30", **PRODUCTION)["DATABASES"]["default"]
    assert tuned["CONN_MAX_AGE"] == 30
    # The development server's threads would each keep one open.
    assert settings_under(TIDTAM_DEV="1")["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_postgresql_prepares_the_queries_a_connection_runs_again_unless_told_not_to() -> None:
    url = "postgres://tidtam@127.0.0.1:5432/tidtam"
    options = settings_under(DATABASE_URL=url, **PRODUCTION)["DATABASES"]["default"]["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 2
    assert options["options"] == "-c jit=off"
    off = settings_under(DATABASE_URL=url, DB_PREPARED_STATEMENTS="0", **PRODUCTION)
    assert "server_side_binding" not in off["DATABASES"]["default"]["OPTIONS"]
    assert "prepare_threshold" not in off["DATABASES"]["default"]["OPTIONS"]
    sqlite = settings_under(DATABASE_URL="sqlite:////tmp/x.sqlite3", **PRODUCTION)
    assert "server_side_binding" not in sqlite["DATABASES"]["default"]["OPTIONS"]
