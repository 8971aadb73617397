"""The project's own middleware."""

# The pages load nothing but their own files, so the policy can be strict: no inline
# scripts or styles, nothing from other sites, and no framing by any site.
POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"


def content_security_policy(get_response):
    """Add a Content-Security-Policy header to every response, error pages included."""

    def middleware(request):
        response = get_response(request)
        if response.status_code == 200:
            response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return middleware
