"""The project's own middleware."""


def content_security_policy(get_response):
    """TODO: add a Content-Security-Policy header to every response."""

    def middleware(request):
        return get_response(request)

    return middleware
