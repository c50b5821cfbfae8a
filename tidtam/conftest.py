"""Fixtures every app's tests share: the named personas of tidtam.test, and a browser."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import override_settings

from tidtam.test import Personas, make_personas

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
# Vendored for the tests only (see its README): never under static/, never served.
AXE_JS = Path(__file__).resolve().parent / "tests_assets" / "axe-core" / "axe.min.js"
# A phone (an iPhone 12-15 in portrait) and a laptop, the two widths every journey is seen at.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# The read replica's alias, a mirror of the test database as a replica mirrors the primary:
# the replica's own tests turn its reads on (READ_REPLICA); the others read the primary only.
if "replica" not in connections.settings:
    connections.settings["replica"] = {
        **connections.settings[DEFAULT_DB_ALIAS],
        "TEST": {**connections.settings[DEFAULT_DB_ALIAS].get("TEST", {}), "MIRROR": "default"},
    }

# Every persona has a password; the production hasher spends a second or more on each.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def public_pages_uncached(settings: Any) -> None:
    """Pages are rendered afresh: a test that changes rows without an action between two
    requests means the second to see them. The page cache's own tests ask for `page_cache`."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def page_cache(settings: Any) -> Iterator[None]:
    """The public pages' cache as in production, empty at the start and at the end."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away Redis server on a free loopback port (installed with apt-get by
    scripts/ensure-package.sh when missing): the shared cache and job queue of several servers."""
    ensure = Path(settings.BASE_DIR) / "scripts" / "ensure-package.sh"
    subprocess.run([ensure, "redis-server", "redis-server", "redis-server"], check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        server.kill()
        raise RuntimeError(f"redis-server did not answer on port {port}")
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def module_db(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """A transaction around a whole test module, rolled back at its end, for a world of rows
    built once (a module-scoped fixture that asks for this one).

    Each test of the module still runs in its own savepoint inside it (pytest-django's
    `django_db`), so what one test changes is undone before the next: every test sees the
    world as built. Uploaded files go to a folder of the module's own."""
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=FAST_HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Background tasks (e-mail notices) run as they are enqueued, so a test sees their effect;
    tests of the queue itself ask for `queued_tasks`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """The database queue of production: a task waits for a worker (`db_worker`)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def worker(queued_tasks: None) -> Iterator[Callable[[], None]]:
    """Run the database worker once over what is queued and due, as `make run` runs it for
    ever; it installs its own signal handlers, which are put back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (scripts/ensure-chromium.sh installs it)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("chromium is not installed: run scripts/ensure-chromium.sh")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the live-server
    # tests make between browser steps are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, base_url: str, username: str, password: str = "pw-for-tests") -> None:
    """Sign in through the real login form, as the person would."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()


# Controls a finger must hit (WCAG 2.5.5): links inside sentences and table cells are exempt.
TOUCH_TARGETS = (
    "button, summary, select, a.button, "
    "input:not([type=checkbox]):not([type=radio]):not([type=hidden]), "
    "header.site nav a, .tabs a, .pagination a, nav.sections a"
)
PHONE_MAX_WIDTH = 768


# The elements that stick out of the viewport, outside any box that scrolls or clips them.
_STICKING_OUT = """() => {
    const limit = window.innerWidth;
    const scrolls = (el) => getComputedStyle(el).overflowX !== "visible";
    const contained = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (scrolls(up)) return true;
        }
        return false;
    };
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (typeof el.className === "string" && el.className.trim()
            ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    return [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && el.checkVisibility())
        .filter((el) => !contained(el))
        .map((el) => name(el) + " right=" + Math.round(el.getBoundingClientRect().right))
        .slice(0, 8);
}"""


def assert_no_sideways_scroll(page: Any) -> None:
    """The page fits the viewport's width (document.documentElement.scrollWidth <=
    window.innerWidth): nothing makes the whole page scroll sideways; a wide table scrolls
    inside its own box instead. Names the elements sticking out when it fails."""
    scroll, viewport = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll > viewport:
        wide = page.evaluate(_STICKING_OUT)
        raise AssertionError(
            f"{page.url} scrolls sideways: {scroll} px wide in a {viewport} px viewport; "
            f"sticking out: {wide}"
        )


def preload_axe(context: Any) -> None:
    """Have every page of a browser context load axe-core as it opens: cheaper than injecting
    it after each navigation when a journey checks many pages."""
    context.add_init_script(path=str(AXE_JS))


def check_accessibility(page: Any) -> None:
    """Run axe-core on the page as it stands and fail listing every serious or critical
    violation (rule, help, and the elements at fault). Minor and moderate ones are left to
    review: they include judgement calls axe itself marks as such."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated rather than added as a <script> element, which the Content-Security-Policy
        # blocks as inline script.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            targets: v.nodes.map(n => n.target.join(" ")).slice(0, 10),
                            count: v.nodes.length}));
        }"""
    )
    lines = [
        f"- {v['id']} ({v['impact']}, {v['count']} elements): {v['help']}; "
        + ", ".join(v["targets"])
        for v in violations
    ]
    assert not violations, f"{page.url} has accessibility violations:\n" + "\n".join(lines)


def assert_touch_targets(page: Any, minimum: float = 44) -> None:
    """On a phone every visible button, field, menu link and tab is at least 44 px tall."""
    small = page.evaluate(
        """([selector, minimum]) => [...document.querySelectorAll(selector)]
            .filter(el => el.checkVisibility() && el.getBoundingClientRect().height + 0.5 < minimum)
            .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                 (el.name ? "[name=" + el.name + "]" : "") + " '" +
                 (el.innerText || el.value || "").trim().slice(0, 30) + "' " +
                 Math.round(el.getBoundingClientRect().height) + "px")
            .slice(0, 12)""",
        [TOUCH_TARGETS, minimum],
    )
    assert not small, f"{page.url} has touch targets under {minimum} px: {small}"


def check_page(page: Any, name: str | None = None, *, touch: bool = True) -> None:
    """The checks every journey runs on every page it reaches: a screenshot when named, no
    sideways scroll, no serious or critical axe violation and, on a phone, touch targets of
    44 px (touch=False for pages whose styles are not ours, such as Django's admin)."""
    if name:
        screenshot(page, name)
    assert_no_sideways_scroll(page)
    check_accessibility(page)
    if touch and page.viewport_size["width"] <= PHONE_MAX_WIDTH:
        assert_touch_targets(page)
