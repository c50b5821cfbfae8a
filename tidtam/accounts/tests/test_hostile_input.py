"""No input gives a server error: every URL of the permission matrix, as anonymous and as each
persona, with generated hostile values in every query parameter, every field of every form
the page shows, and every number of its path.

Huge and negative integers, digits of other scripts (`²`, `٣`; Thai `๓` is legitimate),
Buddhist-Era years where the Common Era is expected, far dates, empty values, long strings, NUL
bytes, bytes that are not UTF-8 and repeated (list) values. A 404, 403, 400 or a form's error is
fine; a 500 (or an exception escaping the view) fails the test, naming the request.

The world of `test_permission_matrix` is built once for the module and each URL's test runs in
a savepoint of it, so the few seconds of examples per URL stay within a minute on SQLite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidtam.accounts.tests.test_permission_matrix import CASES, Case, World, build_world
from tidtam.test import ROLES

# Every query parameter a page reads (the filters of the lists, paging, the dashboard's year
# and quarter, a report's starting point, the sign-in's next page).
QUERY_PARAMETERS = (
    "fy",
    "quarter",
    "plan",
    "page",
    "q",
    "agency",
    "group",
    "district",
    "node",
    "status",
    "kpi_type",
    "kpis",
    "problems",
    "problem_category",
    "missing",
    "sample",
    "late_finish",
    "sort",
    "category",
    "kind",
    "start",
    "next",
)

# The fields that the buttons of a page post to another URL (submit, approve, return, delete):
# that URL's own case posts them hostile.
BUTTON_FIELDS = ("version", "comment", "reason", "op", "confirm_removal", "and_submit")

HOSTILE_WORDS = (
    "99999999999999999999",
    "-99999999999999999999",
    "9" * 400,
    "2147483648",
    "9223372036854775808",
    "-1",
    "0",
    "²",
    "٣",
    "๓",
    "๒๕๖๓",
    "１２",
    "1e999",
    "NaN",
    "-Infinity",
    "",
    " ",
    "1.5",
    "1,000",
    "2568-10-01",
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "1/1/1",
    "29/2/2567",
    "1/10/2568",
    "x" * 5000,
    "\x00",
    "1\x00",
    "<script>",
    "../../etc/passwd",
    "all",
    "add-²",
    "up-99999999999999999999",
)
# Spelled as a query string or a form body: bytes that are not UTF-8 and percent signs that
# do not escape anything.
RAW_BYTES = ("%FF%FE", "%C0%AF", "%", "%zz", "%00")

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    st.text(max_size=12),
    st.integers().map(str),
)
# A field's value: one hostile word, or several (a list where one value is expected).
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    # Submit buttons that carry a value (the plan editor's add, remove and move buttons).
    buttons: list[tuple[str, str]] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)


class _Forms(HTMLParser):
    """The forms of a page and their fields with the values the page fills in."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form((a.get("method") or "get").upper(), a.get("action") or self.url))
            return
        if not self.forms:
            return
        fields = self.forms[-1].fields
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                self.forms[-1].hidden.add(name)
            if kind in ("checkbox", "radio") and "checked" not in a:
                fields.setdefault(name, [])
            elif kind != "file":
                fields.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "button" and name:
            self.forms[-1].buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.setdefault(name, [""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] = [data]


def forms_of(html: str, url: str) -> list[Form]:
    parser = _Forms(url)
    parser.feed(html)
    return parser.forms


@pytest.fixture(scope="module")
def world(module_db: None) -> World:
    """The permission matrix's world, built once; every test's changes are rolled back."""
    return build_world()


def _client(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    user = world.personas.by_name()[role]
    if user is not None:
        client.force_login(user)
    return client


def _send(client: Client, method: str, url: str, **kwargs: Any) -> None:
    try:
        response = client.get(url, **kwargs) if method == "GET" else client.post(url, **kwargs)
    except Exception as error:  # a test client that raises instead of answering 500
        raise AssertionError(f"{method} {url} {kwargs!r} raised {error!r}") from error
    assert response.status_code != 500, f"{method} {url} {kwargs!r} answered 500"


_NUMBER = re.compile(r"/(\d+)(?=/)")


def _urls_with_numbers(url: str, number: str) -> list[str]:
    """The URL with each number of its path replaced, one at a time."""
    return [url[: m.start(1)] + quote(number) + url[m.end(1) :] for m in _NUMBER.finditer(url)]


def _encode(data: dict[str, Any]) -> str:
    return urlencode(data, doseq=True)


# What every field of a form and every query parameter is set to at once, besides the
# generated examples: each is a kind of input that once gave a server error.
EVERY_FIELD = (
    "99999999999999999999",
    "²",
    "1/10/2020",
    "2568-10-01",
    "0001-01-01",
    "",
    "a\x00b",
)
# The formset's bookkeeping fields keep their values, so that the rows are read at all.
KEEP = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS", "csrfmiddlewaretoken")


def _body(form: Form, word: str, *, hidden: bool) -> dict[str, Any]:
    """The form with the word in every field one can type into (hidden=False), the hidden
    fields keeping their values (a version, so that the rest is read), or the other way round."""
    data: dict[str, Any] = {}
    for name, values in form.fields.items():
        if name.endswith(KEEP) or (name in form.hidden) != hidden:
            data[name] = values
        else:
            data[name] = word
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.name}[{c.label}]" if c.label else c.name)
def test_no_input_gives_a_server_error(world: World, case: Case) -> None:
    url = case.url(world)
    path = urlsplit(url).path
    pages: dict[str, list[Form]] = {}
    clients = {role: _client(world, role) for role in ROLES}
    # Every persona reads the page and sends hostile query parameters; what the page offers
    # past its access check (a path, a form) is sent by the first persona that gets each
    # answer or form, not by each of those who get the same.
    answers: set[int] = set()
    seen_forms: set[tuple[str, ...]] = set()
    for role, client in clients.items():
        response = client.get(url)
        assert response.status_code != 500, f"GET {url} as {role}"
        html = (
            response.content.decode()
            if response.get("Content-Type", "").startswith("text/html") and not response.streaming
            else ""
        )
        pages[role] = [
            form
            for form in forms_of(html, path)
            # The site-wide header's forms (search, language, sign out) are tested as the
            # pages they lead to.
            if urlsplit(form.action).path == path
        ]
        first = response.status_code not in answers
        answers.add(response.status_code)
        # A page's parameters and a form's fields are sent by every persona. A file's (a PDF,
        # a spreadsheet) parameters are read alike whoever asks, the reader changing only
        # which rows it holds: sent by the first persona of each answer, as the paths below
        # (a PDF takes half a second).
        file = case.method == "GET" and not response.get("Content-Type", "").startswith("text/html")
        for word in ("99999999999999999999", "²", "") if first or not file else ():
            query = dict.fromkeys(QUERY_PARAMETERS, word)
            posted = {**case.data, **dict.fromkeys(BUTTON_FIELDS, word)}
            _send(client, case.method, f"{path}?{_encode(query)}", data=posted)
        if first:
            _send(client, "GET", f"{path}?fy=%FF%FE&page=%C0%AF&q=%00&quarter=%")
            for other in _urls_with_numbers(path, "99999999999999999999"):
                _send(client, case.method, other)
        for form in pages[role]:
            signature = (form.method, *sorted(form.fields), *(b for b, _v in form.buttons))
            if signature in seen_forms:
                continue
            seen_forms.add(signature)
            for word in EVERY_FIELD:
                _send(client, form.method, path, data=_body(form, word, hidden=False))
                if form.hidden:
                    _send(client, form.method, path, data=_body(form, word, hidden=True))
    readers = [role for role in ROLES if pages[role]] or ["public"]

    @settings(
        max_examples=3,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        role=st.sampled_from(readers),
        query=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), hostile_value, max_size=6),
        changes=st.lists(st.tuples(st.integers(0, 10**6), hostile_value), max_size=6),
        press=st.integers(0, 10**6),
    )
    def examples(
        role: str, query: dict[str, Any], changes: list[tuple[int, Any]], press: int
    ) -> None:
        client = clients[role]
        _send(client, "GET", f"{path}?{_encode(query)}")
        for form in pages[role]:
            data: dict[str, Any] = {k: v for k, v in form.fields.items() if v}
            if form.buttons:
                name, value = form.buttons[press % len(form.buttons)]
                data[name] = value
            names = sorted(form.fields)
            for index, value in changes:
                if names:
                    data[names[index % len(names)]] = value
            if form.method == "GET":
                _send(client, "GET", f"{path}?{_encode(data)}")
            else:
                _send(client, "POST", path, data=data)
        for form in pages[role][:1]:
            if form.method == "POST":
                _send(
                    client,
                    "POST",
                    path,
                    data=_encode(form.fields) + "&version=%FF&x=%00",
                    content_type="application/x-www-form-urlencoded",
                )

    examples()
