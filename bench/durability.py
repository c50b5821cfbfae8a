"""Acknowledged writes under kill -9, and concurrent editors (issue 12 §6): `make bench` figures.

On the throw-away database of DATABASE_URL (bench/run.py gives one, on SQLite and on
PostgreSQL): PROJECTS projects of this fiscal year in one agency, each with its operating plan,
and CLIENTS officers of that agency. gunicorn serves them in production settings, as the
serving figures do (bench/serving.py: deploy/gunicorn.conf.py, 2 workers). Then, RUNS times:

- CLIENTS officers at once submit SUBMISSIONS monthly reports through the report form ("save
  and submit for review"), each for a project of its own. A submission is acknowledged when
  the answer redirects to the new report. When half of them are acknowledged, gunicorn's
  whole process group (master and workers) is killed with SIGKILL mid-request, and started
  again; the officers go on, trying once more a submission the kill cut (it is refused as a
  second report of the month when it had been committed before the kill: it was never
  acknowledged, and counts nowhere).
- Then, read here with Django: every acknowledged report is in the database with its project,
  date, percent and narrative, submitted for review, and its audit trail is whole (history
  rows of its creation and its submission, each naming the officer). Targets: 0 acknowledged
  writes lost, 0 audit trails incomplete, 0 server errors apart from requests the kill cut.
- The run's reports are removed (by the bench, not through the product) for the next run.

Then EDITORS officers at once add a line of their own to one project's objectives through its
edit form, which carries the record's version: a save refused because another was saved in
between reads the form again and tries again. Target: 0 lost updates (every acknowledged
line is in the project at the end).

    python bench/run.py durability             # this part alone, on a throw-away SQLite file
    BENCH_DURABILITY_RUNS=1 BENCH_DURABILITY_SUBMISSIONS=200 …
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import serving
from django.core.management import call_command
from django.db import connections
from figures import check, miss, note

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_DURABILITY_RUNS", "5"))
SUBMISSIONS = int(os.environ.get("BENCH_DURABILITY_SUBMISSIONS", "1000"))
CLIENTS = 32
EDITORS = 16
PROJECTS = SUBMISSIONS
AGENCY = "99970000"
PASSWORD = "durability-" + os.urandom(6).hex()


# The data ------------------------------------------------------------------------------------


def prepare() -> tuple[list[str], str]:
    """The agency's projects and officers; the projects' codes and the edited project's."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tidtam.accounts.models import Membership, Role
    from tidtam.lib.fiscal import fiscal_year_bounds, fiscal_year_of
    from tidtam.projects.models import FiscalYear, PlanStep, Project, ProjectItem
    from tidtam.test import make_agency

    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0, stdout=quiet)
    today = timezone.localdate()
    year = FiscalYear.ensure(fiscal_year_of(today))
    start, end = fiscal_year_bounds(year.pk)
    agency = make_agency(AGENCY, name_th="สำนักทดสอบความทนทาน", name_key="สำนักทดสอบความทนทาน")
    projects = Project.objects.bulk_create(
        Project(
            code=f"{AGENCY}-{n:05d}",
            name=f"โครงการทดสอบความทนทาน {n}",
            agency=agency,
            fiscal_year=year,
            published=True,
            origin="manual",
        )
        for n in range(1, PROJECTS + 2)
    )
    # The edited project: what its form requires, a rationale, an objective and a target.
    edited = projects[-1]
    edited.rationale = "เพื่อทดสอบการแก้ไขพร้อมกันหลายคน"
    edited.save(update_fields=["rationale"])
    ProjectItem.objects.bulk_create(
        ProjectItem(project=edited, kind=kind, order=1, text=text)
        for kind, text in (("objective", "เป้าหมายตั้งต้น"), ("target", "ผลผลิตตั้งต้น"))
    )
    middle = start + (end - start) / 2
    PlanStep.objects.bulk_create(
        PlanStep(project=project, order=n, text=f"ขั้นตอนที่ {n}", weight=Decimal(50), start=a, end=b)
        for project in projects
        for n, (a, b) in enumerate(((start, middle), (middle + timedelta(days=1), end)), 1)
    )
    for n in range(max(CLIENTS, EDITORS)):
        user = get_user_model().objects.create_user(
            f"durability{n}", email=f"durability{n}@example.test", password=PASSWORD
        )
        Membership.objects.create(user=user, role=Role.OFFICER, agency=agency)
    connections.close_all()
    return [p.code for p in projects[:-1]], projects[-1].code


# The people ----------------------------------------------------------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    # Requests cut by the kill, and connections refused while the server was starting again.
    cut: int = 0
    acknowledged: dict[int, tuple[str, str, str, str]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)


class Officer:
    """One officer's connection to gunicorn, with their cookies."""

    def __init__(self, port: int, username: str, tally: Tally) -> None:
        self.port, self.username, self.tally = port, username, tally
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: dict[str, str | list[str]] | None = None
    ) -> tuple[int, str, str]:
        """The status, the redirect and the page; status 0 when the connection failed (the
        server was killed or is not back yet)."""
        body = urlencode(form, doseq=True) if form is not None else None
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (ConnectionError, http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = None
            with self.tally.lock:
                self.tally.cut += 1
            return 0, "", ""
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        with self.tally.lock:
            self.tally.statuses[response.status] += 1
            if response.status >= 500:
                self.tally.server_errors.append(f"{response.status} {method} {path}")
        return response.status, response.headers.get("Location", ""), text

    def sign_in(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status, _, page = self.request("GET", "/accounts/login/")
            if status == 200:
                form = {"username": self.username, "password": PASSWORD}
                status, location, _ = self.request(
                    "POST", "/accounts/login/", with_csrf(form, page)
                )
                if status == 302 and "/accounts/login" not in location:
                    return
            time.sleep(0.3)
        raise SystemExit(f"bench: {self.username} could not sign in")


def with_csrf(form: dict[str, str | list[str]], page: str) -> dict[str, str | list[str]]:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return {**form, "csrfmiddlewaretoken": found[1] if found else ""}


def submit(officer: Officer, code: str, run: int, n: int, deadline: float) -> None:
    """One monthly report, saved and submitted; tried again while the server is away."""
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))  # Bangkok's day
    percent = str(1 + n % 90)
    narrative = f"รายงานทดสอบความทนทาน รอบ {run} ฉบับที่ {n}"
    path = f"/projects/{code}/reports/new/"
    while time.monotonic() < deadline:
        status, _, page = officer.request("GET", path)
        if status != 200:
            time.sleep(0.2)
            continue
        form: dict[str, str | list[str]] = {
            "report_date": day,
            "percent": percent,
            "spent": "",
            "narrative": narrative,
            "decrease_reason": "",
            "problem-TOTAL_FORMS": "0",
            "problem-INITIAL_FORMS": "0",
            "problem-MIN_NUM_FORMS": "0",
            "problem-MAX_NUM_FORMS": "20",
            "and_submit": "1",
        }
        status, location, page = officer.request("POST", path, with_csrf(form, page))
        made = re.search(r"/reports/(\d+)/", location)
        if status == 302 and made:
            with officer.tally.lock:
                officer.tally.acknowledged[int(made[1])] = (code, day, percent, narrative)
            return
        if status == 0:
            time.sleep(0.2)  # cut by the kill: once the server is back, again
            continue
        errors = re.findall(r'role="alert">([^<]+)', page)
        with officer.tally.lock:
            officer.tally.refused.append(f"{code}: {status} {errors[:1]}")
        return


# A run ---------------------------------------------------------------------------------------


class Server(serving.Server):
    """gunicorn as the serving figures start it, with a SIGKILL of its whole process group."""

    def kill9(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def restart_on(self, port: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.__enter__()


def one_run(server: Server, codes: list[str], run: int) -> Tally:
    tally = Tally()
    officers = [Officer(server.port, f"durability{n}", tally) for n in range(CLIENTS)]
    deadline = time.monotonic() + 600
    for officer in officers:
        officer.sign_in(deadline)
    work = list(enumerate(codes))
    taken = threading.Lock()
    killed = threading.Event()

    def officer_at_work(officer: Officer) -> None:
        while True:
            with taken:
                if not work:
                    return
                n, code = work.pop()
            submit(officer, code, run, n, deadline)

    threads = [threading.Thread(target=officer_at_work, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads) and not killed.is_set():
        if len(tally.acknowledged) >= len(codes) // 2:
            server.kill9()
            killed.set()
            server.restart_on(server.port)
        time.sleep(0.01)
    for thread in threads:
        thread.join()
    if not killed.is_set():
        miss(f"run {run}: the server was not killed (the submissions ended first)")
    return tally


def verify(tally: Tally) -> tuple[int, int]:
    """Acknowledged reports not in the database as acknowledged; audit trails not whole."""
    from tidtam.reporting.models import ProgressReport, ReportStatus

    lost = incomplete = 0
    found = ProgressReport.objects.select_related("project").in_bulk(list(tally.acknowledged))
    trails: dict[int, list[tuple[str, str, int | None]]] = {}
    history = ProgressReport.history.filter(id__in=list(tally.acknowledged)).order_by(
        "history_date", "history_id"
    )
    for row in history.values_list("id", "history_type", "status", "history_user_id"):
        trails.setdefault(row[0], []).append(row[1:])
    for key, (code, day, percent, narrative) in tally.acknowledged.items():
        report = found.get(key)
        if (
            report is None
            or report.project.code != code
            or report.report_date.isoformat() != day
            or report.percent != Decimal(percent)
            or report.narrative != narrative
            or report.status != ReportStatus.SUBMITTED
        ):
            lost += 1
            continue
        trail = trails.get(key, [])
        created = any(kind == "+" for kind, _, _ in trail)
        submitted = any(status == ReportStatus.SUBMITTED for _, status, _ in trail)
        named = all(user == report.created_by_id for _, _, user in trail)
        if not (created and submitted and named):
            incomplete += 1
    return lost, incomplete


def clear(codes: list[str]) -> None:
    from tidtam.reporting.models import ProgressReport

    ProgressReport.objects.filter(project__code__in=codes).delete()
    connections.close_all()


# The editors ---------------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields of the page's form with the given action, as a browser would post them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action", "") in ("", self.action) and a.get("method") == "post"
        elif not self.inside or "name" not in a:
            if tag == "option" and self.select and "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                # A checked box without a value is sent as "on", as a browser sends it.
                default = "on" if kind in ("checkbox", "radio") else ""
                self.fields.append((a["name"], a.get("value", default)))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self.select = a["name"]

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
            name, text = self.fields[-1]
            self.fields[-1] = (name, text.removeprefix("\n"))
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def stale_words() -> re.Pattern[str]:
    """The start of the refusal of a stale form, in Thai and in English."""
    from django.utils import translation

    from tidtam.projects.actions import StaleEdit

    starts = []
    for lang in ("th", "en"):
        with translation.override(lang):
            starts.append(re.escape(str(StaleEdit().messages[0])[:24]))
    return re.compile("|".join(starts))


STALE = re.compile("$^")  # set by editors()


def edit(officer: Officer, code: str, line: str, deadline: float, saved: list[str]) -> int:
    """Add `line` to the project's objectives through its form, again after a stale refusal;
    the attempts made."""
    path = f"/projects/{code}/edit/"
    attempts = 0
    while time.monotonic() < deadline:
        attempts += 1
        status, _, page = officer.request("GET", path)
        if status != 200:
            time.sleep(0.1)
            continue
        parser = FormFields(path)
        parser.feed(page)
        form: dict[str, str | list[str]] = {}
        for name, value in parser.fields:
            if name in form:
                previous = form[name]
                form[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                form[name] = value
        objectives = str(form.get("objectives", "")).replace("\r\n", "\n").rstrip("\n")
        form["objectives"] = f"{objectives}\n{line}"
        form["reason"] = "ทดสอบผู้แก้ไขพร้อมกัน"
        status, location, page = officer.request("POST", path, form)
        if status == 302 and location.rstrip("/").endswith(code):
            with officer.tally.lock:
                saved.append(line)
            return attempts
        if status == 200 and 'name="version"' not in page:
            break
        if status == 200 and not STALE.search(page):
            with officer.tally.lock:
                officer.tally.refused.append(
                    f"{line}: {re.findall(r'role=.alert.>([^<]+)', page)[:2]}"
                )
            return attempts
    return attempts


def editors(server: Server, code: str) -> None:
    from tidtam.projects.models import Project, ProjectItem

    global STALE
    STALE = stale_words()
    tally = Tally()
    officers = [Officer(server.port, f"durability{n}", tally) for n in range(EDITORS)]
    deadline = time.monotonic() + 120
    for officer in officers:
        officer.sign_in(deadline)
    saved: list[str] = []
    attempts: list[int] = []
    start = threading.Barrier(EDITORS)

    def one(n: int, officer: Officer) -> None:
        start.wait()
        attempts.append(edit(officer, code, f"เป้าหมายของผู้แก้ไขคนที่ {n + 1}", deadline, saved))

    threads = [threading.Thread(target=one, args=(n, o)) for n, o in enumerate(officers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    project = Project.objects.get(code=code)
    kept = set(
        ProjectItem.objects.filter(project=project, kind="objective").values_list("text", flat=True)
    )
    lost = [line for line in saved if line not in kept]
    what = (
        f"{len(saved)} of {EDITORS} editors' saves acknowledged, in {sum(attempts)} attempts "
        f"(a stale form refused and read again), {len(tally.server_errors)} server errors; "
    )
    check(
        f"{EDITORS} concurrent editors of one project: lost updates",
        len(lost),
        target=0,
        what=what,
        digits=0,
    )
    if len(saved) != EDITORS:
        miss(f"{EDITORS} concurrent editors: only {len(saved)} saves acknowledged")
    if tally.server_errors:
        miss(f"{EDITORS} concurrent editors: server errors {tally.server_errors[:3]}")
    if tally.refused:
        miss(f"{EDITORS} concurrent editors: refused for another reason: {tally.refused[:2]}")


# The figures ---------------------------------------------------------------------------------


def main() -> None:
    note(
        f"-- durability: {RUNS} runs of {SUBMISSIONS:,} report submissions by {CLIENTS} officers "
        f"at once, gunicorn killed with SIGKILL when half are acknowledged; {EDITORS} editors --"
    )
    serving.WORK = ROOT / "var" / "bench" / "durability"
    shutil.rmtree(serving.WORK, ignore_errors=True)
    (serving.WORK / "logs").mkdir(parents=True)
    started = time.perf_counter()
    codes, edited = prepare()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "serve_preflight.py")],
        env=serving.server_env(cache=True),
        cwd=ROOT,
        check=True,
    )
    took = time.perf_counter() - started
    note(f"data: {len(codes) + 1:,} projects, {CLIENTS} officers, in {took:.0f} s")
    totals = Counter[str]()
    with Server(cache=True) as server:
        for run in range(1, RUNS + 1):
            began = time.perf_counter()
            tally = one_run(server, codes, run)
            lost, incomplete = verify(tally)
            acknowledged = len(tally.acknowledged)
            totals.update(
                acknowledged=acknowledged,
                lost=lost,
                incomplete=incomplete,
                errors=len(tally.server_errors),
                cut=tally.cut,
            )
            note(
                f"run {run}: {acknowledged:,} of {len(codes):,} submissions acknowledged, "
                f"{lost} lost, {incomplete} audit trails incomplete, "
                f"{len(tally.refused)} refused when tried again after the kill, "
                f"{tally.cut} requests cut or refused while the server was away, "
                f"{len(tally.server_errors)} server errors, "
                f"in {time.perf_counter() - began:.0f} s"
            )
            if tally.server_errors:
                note(f"  server errors: {tally.server_errors[:3]}")
            if tally.refused:
                note(f"  refused: {tally.refused[:3]}")
            clear(codes)
        editors(server, edited)
    label = f"kill -9 during {SUBMISSIONS:,} concurrent report submissions, {RUNS} runs"
    what = f"{totals['acknowledged']:,} acknowledged in all, "
    check(f"{label}: acknowledged writes lost", totals["lost"], target=0, what=what, digits=0)
    check(f"{label}: audit trails incomplete", totals["incomplete"], target=0, digits=0)
    check(
        f"{label}: server errors (requests cut by the kill apart)",
        totals["errors"],
        target=0,
        digits=0,
    )
    with contextlib.suppress(OSError):
        shutil.rmtree(serving.WORK / "static")
