"""The pages under the Content-Security-Policy in a real browser: nothing they need is
blocked, as the public, an officer and a superuser (Django's admin) read them; HTMX still
swaps without eval; the API documentation still lists its operations. Screenshots under
var/screenshots (csp-*)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tidtam.conftest import DESKTOP, PHONE, screenshot, sign_in
from tidtam.lib.tests.site_pages import World, build_world, site_pages
from tidtam.test import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation of the policy a page meets, reported to the test as it happens (an init
# script runs in every document before the page's own, and is itself outside the policy).
LISTEN = """document.addEventListener("securitypolicyviolation", (e) => {
    window.cspViolation([e.violatedDirective, e.blockedURI || "inline", e.sourceFile || "",
                         e.lineNumber, (e.sample || "").slice(0, 80)].join(" "));
});"""


class Watcher:
    """What went wrong in the browser: policy violations, the console's errors about the
    policy, and uncaught script errors."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.where = ""

    def note(self, kind: str, text: str) -> None:
        self.problems.append(f"{self.where}: {kind}: {text}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)


@pytest.fixture
def watched(chromium: Any) -> Iterator[tuple[Any, Watcher]]:
    """A factory of watched browser tabs, one context (one person's session) each."""
    watcher = Watcher()
    contexts: list[Any] = []

    def open_tab(viewport: dict[str, int] = DESKTOP) -> Any:
        context = chromium.new_context(viewport=viewport, locale="th-TH")
        contexts.append(context)
        context.expose_function("cspViolation", lambda text: watcher.note("violation", text))
        context.add_init_script(script=LISTEN)
        tab = context.new_page()
        tab.on(
            "console",
            lambda m: (
                watcher.note("console", m.text)
                if m.type == "error" and "Content Security Policy" in m.text
                else None
            ),
        )
        tab.on("pageerror", lambda error: watcher.note("script error", str(error)))
        return tab

    yield open_tab, watcher
    for context in contexts:
        context.close()


def visit(tab: Any, watcher: Watcher, url: str, name: str) -> None:
    watcher.where = name
    tab.goto(url)
    tab.wait_for_load_state("load")
    if name.endswith("api-docs"):
        # Swagger UI draws the operations from openapi.json after the page has loaded.
        tab.wait_for_selector(".opblock", timeout=15_000)
    # A violation is reported as an event after the fact: give it a moment to arrive.
    tab.wait_for_timeout(150)


def test_no_page_meets_a_policy_violation_as_anyone_reads_it(
    watched: tuple[Any, Watcher], live_server: Any, world: World
) -> None:
    open_tab, watcher = watched
    pages = site_pages(world)
    for who in dict.fromkeys(page.who for page in pages):
        tab = open_tab()
        if who:
            sign_in(tab, live_server.url, who)
        for page in (p for p in pages if p.who == who):
            visit(tab, watcher, live_server.url + page.url, page.name)
        tab.context.close()
    assert watcher.take() == []


def test_htmx_swaps_the_plan_rows_without_eval(
    watched: tuple[Any, Watcher], live_server: Any, world: World
) -> None:
    open_tab, watcher = watched
    tab = open_tab()
    sign_in(tab, live_server.url, "officer_a")
    visit(tab, watcher, f"{live_server.url}/projects/{world.project.code}/plan/", "plan")
    assert tab.evaluate("() => [htmx.config.allowEval, htmx.config.includeIndicatorStyles]") == [
        False,
        False,
    ]
    rows = tab.locator("#plan-rows input[name$='-weight']")
    assert rows.count() == 3
    tab.click("button[value=add]")
    tab.wait_for_selector("input[name=step-3-weight]")
    assert rows.count() == 4
    # The script file of the page still works on the rows HTMX drew.
    tab.fill("input[name=step-3-weight]", "10")
    tab.wait_for_function("() => document.getElementById('plan-total').textContent === '110.00'")
    tab.wait_for_timeout(150)
    assert watcher.take() == []


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_timeline_and_the_api_documentation_look_as_before(
    watched: tuple[Any, Watcher], live_server: Any, world: World, width: dict[str, int]
) -> None:
    open_tab, watcher = watched
    tab = open_tab(width)
    size = width["width"]
    visit(tab, watcher, f"{live_server.url}/projects/{world.project.code}/", "project")
    # The positions are classes of positions.css: the bars sit where the plan puts them.
    track = tab.locator("li.step .track").first.bounding_box()
    bar = tab.locator("li.step .bar").first.bounding_box()
    assert track and bar
    assert abs(bar["x"] - track["x"]) <= 1  # the first step starts with the axis
    assert 0.2 < bar["width"] / track["width"] < 0.3  # 1 October to 31 December of 366 days
    whole = screenshot(tab, f"csp-project-{size}")
    timeline = whole.with_name(f"csp-timeline-{size}.png")
    tab.locator("section.step-timeline").screenshot(path=str(timeline))
    visit(tab, watcher, f"{live_server.url}/projects/{world.project.code}/print/", "print")
    assert tab.locator(".chart-label").count() > 0
    screenshot(tab, f"csp-print-{size}")
    visit(tab, watcher, f"{live_server.url}/api/v1/docs", "api-docs")
    assert tab.locator(".opblock").count() >= 3
    screenshot(tab, f"csp-api-docs-{size}")
    assert watcher.take() == []


def test_the_watcher_sees_what_the_policy_blocks(
    watched: tuple[Any, Watcher], live_server: Any, world: World
) -> None:
    """The check above can fail: an inline script and a style attribute added to a page of
    the site are blocked and reported."""
    open_tab, watcher = watched
    tab = open_tab()
    visit(tab, watcher, f"{live_server.url}/", "home")
    tab.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ran = true";
            document.body.append(script);
            document.querySelector("main").setAttribute("style", "color: red");
        }"""
    )
    tab.wait_for_timeout(300)
    assert tab.evaluate("() => window.ran") is None
    problems = watcher.take()
    assert any("violation: script-src" in p for p in problems), problems
    assert any("violation: style-src" in p for p in problems), problems


def test_the_api_documentation_runs_an_operation(
    watched: tuple[Any, Watcher], live_server: Any, world: World
) -> None:
    """Swagger UI's own scripts (its requests, its highlighted answer) work under the policy."""
    open_tab, watcher = watched
    tab = open_tab()
    visit(tab, watcher, f"{live_server.url}/api/v1/docs", "api-docs")
    operation = tab.locator(".opblock", has_text="/api/v1/agencies").first
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    answer = operation.locator(".live-responses-table tbody .response-col_status").first
    answer.wait_for(timeout=15_000)
    assert answer.inner_text().strip() == "200"
    assert "สำนักทดสอบเอ" in operation.locator(".live-responses-table tbody").inner_text()
    screenshot(tab, "csp-api-docs-operation")
    tab.wait_for_timeout(150)
    assert watcher.take() == []
