from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Each test starts with no request counted against any token or address."""
    cache.clear()
