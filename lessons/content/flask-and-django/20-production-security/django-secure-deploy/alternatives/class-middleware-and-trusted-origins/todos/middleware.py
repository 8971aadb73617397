"""The project's own middleware."""


class ContentSecurityPolicyMiddleware:
    """Sends a strict Content-Security-Policy with every response."""

    policy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; object-src 'none'"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Content-Security-Policy"] = self.policy
        return response


# The name settings.py lists.
content_security_policy = ContentSecurityPolicyMiddleware
