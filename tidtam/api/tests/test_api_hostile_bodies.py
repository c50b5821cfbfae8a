"""No body gives a server error: every write operation of the API matrix, as the persona it
lets write, on real records (schemathesis, in `make api-fuzz`, mostly meets unknown codes),
with each field of a valid body replaced by generated hostile values: huge and negative
numbers, numbers past a column's digits, far and Buddhist-Era dates, NUL bytes, digits of
other scripts, wrong types, nested values, and bodies that are not JSON at all. A 4xx with the
one error shape is fine; a 500 fails, naming the request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidtam.api.tests.test_api_matrix import CASES, ApiWorld, Case, api_world, headers
from tidtam.test import PERSONAS

__all__ = ["api_world"]  # the module-scoped world of the matrix, built once here too

WRITES = [case for case in CASES if case.json is not None]

HOSTILE_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "2567-10-01",
            "2020-02-30",
            "\x00",
            "a\x00b",
            "²",
            "๓๐",
            "1e400",
            "NaN",
            "-0",
            "99999999999999999999.999999",
            "0.000001",
            "x" * 25_000,
        ]
    ),
)
HOSTILE = st.one_of(
    HOSTILE_SCALARS,
    st.lists(HOSTILE_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=8), HOSTILE_SCALARS, max_size=3),
)


def writer_of(case: Case) -> str:
    """The first persona the matrix lets through (the agency's officer where nobody is: a
    report no longer theirs to submit, say)."""
    expected = dict(zip(PERSONAS, case.expect.split(), strict=True))
    allowed = [role for role, status in expected.items() if status.startswith("2")]
    return allowed[0] if allowed else "officer_a"


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a body a value sits: keys, and the items of its lists."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found += _paths(item, (*prefix, n))
    return found


def _replaced(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(body) if isinstance(body, dict) else list(body)
    copy[path[0]] = _replaced(body[path[0]], path[1:], value)
    return copy


@pytest.mark.django_db
@pytest.mark.parametrize("case", WRITES, ids=lambda c: f"{c.name}[{c.label}]")
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_body_gives_a_server_error(api_world: ApiWorld, case: Case, data: Any) -> None:
    world = api_world.world
    url = case.url(world) if callable(case.url) else case.url
    valid = case.json(world)  # type: ignore[misc]
    places = _paths(valid)
    body: Any = valid
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        if places:
            place = data.draw(st.sampled_from(places), label="field")
            body = _replaced(body, place, data.draw(HOSTILE, label="value"))
            places = _paths(body)
    raw = data.draw(
        st.one_of(
            st.just(json.dumps(body)),
            st.sampled_from(["", "{", "[]", "null", '{"a":NaN}', "\xff\xfe", '{"version": 1e999}']),
        ),
        label="raw",
    )
    response = Client(raise_request_exception=False).generic(
        case.method,
        url,
        raw.encode("utf-8", "surrogatepass"),
        content_type="application/json",
        headers=headers(api_world, writer_of(case)),
    )
    assert response.status_code < 500, f"{case.method} {url} {raw[:300]!r}"
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}
