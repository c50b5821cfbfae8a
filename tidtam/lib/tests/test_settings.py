import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"TIDTAM_DEV", "DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import tidtam.settings"],
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
