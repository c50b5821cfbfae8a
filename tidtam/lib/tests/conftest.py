"""Fixtures of the lib tests."""

from __future__ import annotations

import pytest

from tidtam.lib.tests.site_pages import World, build_world
from tidtam.test import make_personas


@pytest.fixture(scope="module")
def site_world(module_db: None) -> World:
    """The records of site_pages, built once for a test module (rolled back at its end)."""
    return build_world(make_personas())
