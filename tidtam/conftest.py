"""Fixtures every app's tests share: the named personas of tidtam.test."""

from __future__ import annotations

import pytest

from tidtam.test import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()
