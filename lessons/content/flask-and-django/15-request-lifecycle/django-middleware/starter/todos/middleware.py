"""The project's own middleware."""


class RequestLifecycleMiddleware:
    """TODO: give every response an X-Request-ID and a Server-Timing header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
