"""The project's own middleware."""

import re
import time
import uuid

# What a client may send as its own request id; anything else gets a fresh one, so that
# nobody can write what they like into the logs.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


class RequestLifecycleMiddleware:
    """Give every response an X-Request-ID and a Server-Timing header, error pages
    included: by the time get_response() returns, Django has turned a view's exception
    (or a URL that matched nothing) into its 500 (or 404) response."""

    def __init__(self, get_response):
        # Runs once, when the server loads the project: nothing per request here.
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        sent = request.headers.get("X-Request-ID", "")
        request.request_id = sent if VALID_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex

        response = self.get_response(request)

        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["X-Request-ID"] = request.request_id
        response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response
