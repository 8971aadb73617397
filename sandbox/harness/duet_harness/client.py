"""The HTTP client hidden tests use to reach the learner's app."""

from __future__ import annotations

from urllib.parse import urljoin

import requests


class AppDidNotAnswer(AssertionError):
    """The app could not be reached or took too long: a failure the learner can act on."""


class AppClient(requests.Session):
    """A ``requests`` session bound to the app's base URL, with a timeout per request.

    ``client.get("/")`` returns a ``requests.Response``; cookies persist between calls,
    so a test can log in and then visit a page, in Flask and Django alike.
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
