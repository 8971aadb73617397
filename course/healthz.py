"""/healthz, answered first of all middleware: a health check comes from a load
balancer or compose's health check, by an address or a container's own name that
ALLOWED_HOSTS need not list, over plain HTTP behind a TLS proxy. So it is answered
before the host check, the HTTPS redirect, the session and the page cache's cookies
see it. It reads nothing of anyone's, and answers JSON (``sandbox.health.site_health``):
200 when the site can serve (database and Redis), 503 when it cannot."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

PATH = "/healthz"


class HealthzMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"error": "GET or HEAD only"}, status=405, headers={"Allow": "GET, HEAD"})
        from sandbox.health import site_health

        report, serving = site_health()
        return JsonResponse(report, status=200 if serving else 503, headers={"Cache-Control": "no-store"})
