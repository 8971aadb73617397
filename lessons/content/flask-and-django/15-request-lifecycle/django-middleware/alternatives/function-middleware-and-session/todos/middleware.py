"""The project's own middleware."""

import re
import time
import uuid

VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def request_lifecycle(get_response):
    """Label every response, error pages included, with its request id and timing."""

    def middleware(request):
        started = time.perf_counter()
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = sent if VALID_REQUEST_ID.fullmatch(sent) else str(uuid.uuid4())
        response = get_response(request)
        response["X-Request-ID"] = request_id
        response["Server-Timing"] = "app;dur=%.3f" % ((time.perf_counter() - started) * 1000)
        return response

    return middleware
