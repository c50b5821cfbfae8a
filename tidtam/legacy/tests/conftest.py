"""Where the legacy pages lie. The seeds are real pages kept outside the repository: they are
read in place (../shared/seeds, or $TIDTAM_SEEDS) and found by the project code they hold."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples" / "legacy"
FIXTURES = Path(__file__).parent / "fixtures"
_PROJECT_CODE = re.compile(r"^.* : ([0-9]{8}-[0-9]+)\s*$", re.MULTILINE)


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    seeds = Path(os.environ.get("TIDTAM_SEEDS", REPO.parent / "shared" / "seeds"))
    texts: dict[str, str] = {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if found := _PROJECT_CODE.search(text):
            texts[found[1]] = text
    return texts


@pytest.fixture(scope="session")
def seed(seed_texts: dict[str, str]) -> Callable[[str], str]:
    def read(code: str) -> str:
        if code not in seed_texts:
            pytest.skip(f"no seed page holds {code}: set TIDTAM_SEEDS to the seeds folder")
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
