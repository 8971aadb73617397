"""pytest plugin loaded into the grader's test process: the ``client`` fixture and the
collection of results in the spirit of Exercism's results.json (version 2)."""

from __future__ import annotations

import os
import re

import pytest

from . import client as app_client
from . import transcript
from .client import AppClient

OUTPUT_LIMIT = 500  # characters of per-test output, as Exercism does


@pytest.fixture
def client() -> AppClient:
    """An HTTP session bound to the learner's running app."""
    session = AppClient(os.environ["DUET_APP_URL"], float(os.environ.get("DUET_REQUEST_TIMEOUT", "3")))
    yield session
    session.close()


@pytest.fixture
def app_url() -> str:
    return os.environ["DUET_APP_URL"]


@pytest.fixture
def framework() -> str:
    """The framework of the submission under test: "flask" or "django". A test file
    shared by a Flask and a Django exercise uses it to word its advice."""
    return os.environ.get("DUET_FRAMEWORK", "")


def _display_name(item: pytest.Item) -> str:
    doc = getattr(getattr(item, "function", None), "__doc__", None)
    if doc and doc.strip():
        return doc.strip().splitlines()[0]
    name = item.name.removeprefix("test_").replace("_", " ")
    return name[:1].upper() + name[1:]


def _failure_message(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    # "AssertionError: the author's sentence\nassert 404 == 200" -> the author's sentence,
    # which is written for learners; pytest's own explanation only when there is none.
    text = re.sub(r"^(duet_harness\.client\.)?(AssertionError|AppDidNotAnswer): ", "", text)
    head, sep, _ = text.partition("\nassert ")
    message = head if sep and head.strip() else text
    return _truncate(message.strip())


def _truncate(text: str, limit: int = OUTPUT_LIMIT) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"… [truncated, {len(text) - limit} more characters]"


class Results:
    """Collects one entry per test, in file order."""

    def __init__(self) -> None:
        self.tests: dict[str, dict] = {}
        self.order: list[str] = []
        self.collection_errors: list[str] = []
        self.collected = 0

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.collected = len(items)
        for item in items:
            self.order.append(item.nodeid)
            self.tests[item.nodeid] = {
                "name": _display_name(item),
                "test": item.nodeid.split("::", 1)[-1],
                "status": "error",
                "message": "The test did not finish.",
                "output": "",
                "http": [],
            }

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(_truncate(str(report.longrepr), 2000))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item):
        """Record the HTTP exchanges of the test's setup, call and teardown."""
        recorder = app_client.start_recording(os.environ.get("DUET_APP_URL", ""))
        try:
            return (yield)
        finally:
            app_client.stop_recording()
            entry = self.tests.get(item.nodeid)
            if entry is not None:
                entry["http"], note = recorder.finish()
                if note:
                    entry["http_note"] = note

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        """Mark a report whose exception is an AssertionError (AppDidNotAnswer is one):
        raised in a fixture, it is a check the learner's app failed, not a broken test."""
        report = yield
        report.duet_assertion = call.excinfo is not None and call.excinfo.errisinstance(AssertionError)
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.tests.get(report.nodeid)
        if entry is None:
            return
        output = "".join(content for _, content in report.sections if content)
        if output:
            entry["output"] = _truncate(entry["output"] + output)
        if report.when == "call":
            if report.passed:
                entry.update(status="pass", message="")
            elif report.failed:
                entry.update(status="fail", message=_failure_message(report))
            elif report.skipped:
                entry.update(status="error", message="The test was skipped.")
        elif report.failed and getattr(report, "duet_assertion", False):
            # A fixture's assertion ("the database has no rows yet"): the app failed it.
            entry.update(status="fail", message=_failure_message(report))
        elif report.failed:  # setup or teardown broke: not the learner's fault alone
            entry.update(status="error", message=_failure_message(report))
        elif report.when == "setup" and report.skipped:
            entry.update(status="error", message="The test was skipped.")

    def as_list(self) -> list[dict]:
        """The entries in file order, their transcripts within the run's bound."""
        tests = [self.tests[nodeid] for nodeid in self.order]
        transcript.keep_within(tests)
        return tests
