"""The HTTP client hidden tests use to reach the learner's app, and the record of what
it asked and was answered (``transcript``), kept per test for the learner to read."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests
from requests.utils import default_headers

from . import transcript


class AppDidNotAnswer(AssertionError):
    """The app could not be reached or took too long: a failure the learner can act on."""


@dataclass
class _Pending:
    """One request as it was sent; its response is read when the test is over, so a
    test's own use of the response (a stream, say) is left as it was."""

    request: requests.PreparedRequest
    response: requests.Response | None = None
    error: str = ""


@dataclass
class Recorder:
    """The exchanges of one test: the first and the last ``MAX_EXCHANGES // 2`` of them,
    and how many there were."""

    base_url: str = ""
    head: list[_Pending] = field(default_factory=list)
    tail: deque[_Pending] = field(default_factory=lambda: deque(maxlen=transcript.MAX_EXCHANGES // 2))
    count: int = 0

    def add(self, pending: _Pending) -> None:
        self.count += 1
        if len(self.head) < transcript.MAX_EXCHANGES // 2:
            self.head.append(pending)
        else:
            self.tail.append(pending)

    def finish(self) -> tuple[list[dict], str]:
        """The exchanges as the report keeps them, and a note when some were left out."""
        shown = [*self.head, *self.tail]
        exchanges = []
        for pending in shown:
            try:
                exchanges.append(_as_exchange(pending, self.base_url))
            except Exception:  # noqa: S112 - a record that cannot be made is left out, never a failed test
                continue
        note = ""
        if self.count > len(shown):
            half = transcript.MAX_EXCHANGES // 2
            note = f"This test made {self.count} requests: the first {half} and the last {half} are shown."
        return exchanges, note


_recorder: Recorder | None = None


def start_recording(base_url: str) -> Recorder:
    """Record every AppClient's exchanges into a new Recorder until ``stop_recording``."""
    global _recorder
    _recorder = Recorder(base_url=base_url)
    return _recorder


def stop_recording() -> None:
    global _recorder
    _recorder = None


class AppClient(requests.Session):
    """A ``requests`` session bound to the app's base URL, with a timeout per request.

    ``client.get("/")`` returns a ``requests.Response``; cookies persist between calls,
    so a test can log in and then visit a page, in Flask and Django alike. Each request
    sent, a redirect followed included, is recorded for the test's transcript.
    """

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.trust_env = False  # no proxies or netrc from the environment

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout)
        full = urljoin(self.base_url, str(url).lstrip("/")) if not str(url).startswith("http") else url
        try:
            return super().request(method, full, *args, **kwargs)
        except requests.Timeout:
            raise AppDidNotAnswer(
                f"{method} {url} got no answer within {self.timeout:g} s: "
                "is the view stuck in a loop or waiting on something?"
            ) from None
        except requests.ConnectionError:
            raise AppDidNotAnswer(
                f"{method} {url} could not reach your app: it may have crashed (see its log below)."
            ) from None

    def send(self, request, **kwargs):  # type: ignore[override]
        # Session.send is called once per request on the wire, each redirect followed
        # too (with allow_redirects=False), so recording here keeps them in order.
        recorder = _recorder
        pending = _Pending(request=request)
        if recorder is not None:
            recorder.add(pending)
        try:
            response = super().send(request, **kwargs)
        except requests.RequestException as exc:
            pending.error = _why_no_answer(exc, kwargs.get("timeout"))
            raise
        # The first response is this request's; any later ones were recorded by the
        # sends that followed its redirects.
        pending.response = response.history[0] if response.history else response
        return response


def _why_no_answer(exc: requests.RequestException, timeout) -> str:
    if isinstance(exc, requests.Timeout):
        return f"no answer within {timeout:g} s" if isinstance(timeout, int | float) else "no answer in time"
    if isinstance(exc, requests.ConnectionError):
        return "the connection failed: the app may have crashed"
    return f"the request failed ({type(exc).__name__})"


_DEFAULT_HEADERS = {name.lower(): value for name, value in default_headers().items()}
_RESPONSE_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Location",
    "Allow",
    "WWW-Authenticate",
    "Retry-After",
    "Content-Disposition",
)


def _request_headers(request: requests.PreparedRequest) -> list[tuple[str, str]]:
    """The headers the test chose: not requests' defaults, cookies by name only."""
    shown = []
    for name, value in request.headers.items():
        lower = name.lower()
        if lower == "content-length" or _DEFAULT_HEADERS.get(lower) == value:
            continue
        if lower == "cookie":
            value = "; ".join(part.split("=", 1)[0].strip() + "=…" for part in value.split(";"))
        shown.append((name, value))
    return shown


def _response_headers(response: requests.Response) -> list[tuple[str, str]]:
    shown = [(name, response.headers[name]) for name in _RESPONSE_HEADERS if name in response.headers]
    raw_headers = getattr(response.raw, "headers", None)
    cookies = raw_headers.getlist("Set-Cookie") if hasattr(raw_headers, "getlist") else []
    for cookie in cookies:
        name, _, rest = cookie.partition("=")
        attributes = rest.partition(";")[2].strip()
        shown.append(("Set-Cookie", f"{name.strip()}=…" + (f"; {attributes}" if attributes else "")))
    return shown


def _request_body(request: requests.PreparedRequest) -> bytes | None:
    data = request.body
    if data is None:
        return None
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    return b"(streamed from a file or generator: not recorded)"


def _response_body(response: requests.Response) -> bytes | None:
    if not getattr(response, "_content_consumed", True) or response._content is False:
        return None  # the test streamed it and did not read it: reading it now could hang
    return response.content


def _as_exchange(pending: _Pending, base_url: str) -> dict:
    request, response = pending.request, pending.response
    fields = dict(
        method=request.method or "GET",
        url=request.url or "",
        base_url=base_url,
        request_headers=_request_headers(request),
        request_body=_request_body(request),
        request_type=request.headers.get("Content-Type", ""),
        error=pending.error,
    )
    if response is not None:
        fields.update(
            status=response.status_code,
            reason=response.reason or "",
            response_headers=_response_headers(response),
            response_body=_response_body(response),
            response_type=response.headers.get("Content-Type", ""),
            elapsed_ms=response.elapsed.total_seconds() * 1000,
        )
    elif not pending.error:
        fields["error"] = "no answer"
    return transcript.exchange(**fields)
