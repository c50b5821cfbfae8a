"""Where the legacy pages lie. The seeds are real pages kept outside the repository: they are
read in place (../shared/seeds, or $TIDTAM_SEEDS) and found by the project code they hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tidtam.test import seeds_dir

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples" / "legacy"
FIXTURES = Path(__file__).parent / "fixtures"
_PROJECT_CODE = re.compile(r"^.* : ([0-9]{8}-[0-9]+)\s*$", re.MULTILINE)


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in sorted(seeds_dir().glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if found := _PROJECT_CODE.search(text):
            texts[found[1]] = text
    return texts


@pytest.fixture(scope="session")
def seed(seed_texts: dict[str, str]) -> Callable[[str], str]:
    def read(code: str) -> str:
        if code not in seed_texts:
            # The seeds are present for every developer and in CI: their absence is a failure.
            pytest.fail(f"no seed page holds {code} in {seeds_dir()}: set TIDTAM_SEEDS")
        return seed_texts[code]

    return read


@pytest.fixture(scope="session")
def sample() -> Callable[[str], str]:
    def read(code: str) -> str:
        return (SAMPLES / f"{code}.txt").read_text(encoding="utf-8")

    return read


@pytest.fixture(scope="session")
def fixture_text() -> Callable[[str], str]:
    def read(name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8")

    return read
