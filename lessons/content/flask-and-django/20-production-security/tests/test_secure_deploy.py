"""Hidden tests for "Go live behind a TLS proxy" (Flask and Django).

The checks play the proxy in front of https://todos.example.com: each request carries
the visitor's Host header and an X-Forwarded-Proto of "https" or "http", as a proxy that
terminates TLS sends them. They read what a browser would act on: redirects, the
Strict-Transport-Security and other security headers, and the attributes of cookies."""

import re

from duet_harness.html import find_form, page_text

SITE = "todos.example.com"
ORIGIN = f"https://{SITE}"
ONE_YEAR = 31_536_000
SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
SESSION_COOKIES = {"session", "sessionid"}


def _where(framework, flask, django):
    return flask if framework == "flask" else django


def _via(proto, **headers):
    return {"Host": SITE, "X-Forwarded-Proto": proto, **headers}


def _https_get(client, path, **headers):
    return client.get(path, headers=_via("https", **headers), allow_redirects=False)


def _set_cookies(response):
    """Every Set-Cookie header of the answer, as sent (requests joins them otherwise)."""
    return response.raw.headers.getlist("Set-Cookie")


def _attributes(set_cookie):
    name = set_cookie.split("=", 1)[0].strip()
    attributes = {}
    for part in set_cookie.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value
    return name, attributes


def _host_advice(framework):
    return _where(
        framework,
        f'Set TRUSTED_HOSTS = ["{SITE}"] in the app\'s configuration (Flask 3.1 checks the Host header then).',
        f'Set ALLOWED_HOSTS to ["{SITE}"] in todo/settings.py.',
    )


def _proxy_advice(framework):
    return _where(
        framework,
        "Your app does not know that the visitor's request came over HTTPS: the proxy says so in "
        "X-Forwarded-Proto, and Flask reads it only behind werkzeug's ProxyFix "
        "(app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)); then request.is_secure is true.",
        "Django does not know that the visitor's request came over HTTPS: the proxy says so in "
        'X-Forwarded-Proto, and Django trusts it only with SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", '
        '"https"); then request.is_secure() is true and SECURE_SSL_REDIRECT stops redirecting.',
    )


def _check_served(client, framework, path="/todos/"):
    response = _https_get(client, path)
    status = response.status_code
    if status == 400:
        raise AssertionError(
            f"GET {path} (Host: {SITE}, over HTTPS) answered 400 Bad Request. {_host_advice(framework)}"
        )
    if status in (301, 302, 307, 308):
        location = response.headers.get("Location", "")
        raise AssertionError(
            f"GET {path} over HTTPS answered {status}, a redirect to {location!r}: a browser that follows it "
            f"comes back the same way, for ever. {_proxy_advice(framework)}"
        )
    assert status == 200, f"GET {path} over HTTPS answered {status}, expected 200. The app's log below says why."
    return response


def test_only_the_sites_own_host_name_is_answered(client, framework):
    """A request for another host name (Host: evil.example) answers 400 Bad Request"""
    response = client.get(
        "/todos/", headers={"Host": "evil.example", "X-Forwarded-Proto": "https"}, allow_redirects=False
    )
    assert response.status_code == 400, (
        f"GET /todos/ with Host: evil.example answered {response.status_code}, expected 400. A site that answers "
        f"any host name can be made to write links and redirects to someone else's (host header poisoning). "
        f"{_host_advice(framework)}"
    )
    _check_served(client, framework)


def test_a_plain_http_visit_is_sent_to_https(client, framework):
    """GET /todos/?page=2 over plain HTTP answers a permanent redirect to https://todos.example.com/todos/?page=2"""
    response = client.get("/todos/?page=2", headers=_via("http"), allow_redirects=False)
    status, location = response.status_code, response.headers.get("Location", "")
    advice = _where(
        framework,
        "In a before_request hook, when request.is_secure is false, return "
        'redirect(request.url.replace("http://", "https://", 1), code=301).',
        "Set SECURE_SSL_REDIRECT = True (SecurityMiddleware then redirects).",
    )
    if status == 400:
        raise AssertionError(f"GET /todos/?page=2 (Host: {SITE}) answered 400 Bad Request. {_host_advice(framework)}")
    assert status in (301, 308), (
        f"GET /todos/?page=2 over plain HTTP answered {status}, expected a permanent redirect (301 or 308) to "
        f"HTTPS. "
        + (
            f"A {status} is temporary: browsers and search engines keep asking over HTTP. "
            if status in (302, 303, 307)
            else ""
        )
        + advice
    )
    assert location == f"https://{SITE}/todos/?page=2", (
        f"GET /todos/?page=2 over plain HTTP redirected to {location!r}, expected "
        f"'https://{SITE}/todos/?page=2': the same host, path and query, over HTTPS."
    )


def test_an_https_visit_is_served_not_redirected(client, framework):
    """GET /todos/ over HTTPS (X-Forwarded-Proto: https) answers 200, not a redirect"""
    _check_served(client, framework)


def test_the_load_balancers_health_check_answers_over_plain_http(client, framework):
    """GET /healthz over plain HTTP, as the load balancer asks, answers 200 with {"status": "ok"}"""
    response = client.get("/healthz", headers=_via("http"), allow_redirects=False)
    advice = _where(
        framework,
        'Leave /healthz out of your redirect to HTTPS (for example: request.endpoint != "todos.healthz").',
        'Leave it out of the redirect with SECURE_REDIRECT_EXEMPT = [r"^healthz$"] (paths there have no leading slash).',
    )
    assert response.status_code == 200, (
        f"GET /healthz over plain HTTP answered {response.status_code}, expected 200. The load balancer asks over "
        f"HTTP and does not follow redirects: it would take the server out of service. {advice}"
    )
    assert response.json() == {"status": "ok"}, (
        f'GET /healthz answered {response.text[:200]!r}, expected {{"status": "ok"}}.'
    )


def test_https_answers_tell_browsers_to_use_https_for_a_year(client, framework):
    """Over HTTPS, Strict-Transport-Security has a max-age of at least a year and includeSubDomains"""
    response = _check_served(client, framework)
    header = response.headers.get("Strict-Transport-Security", "")
    advice = _where(
        framework,
        'Set response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains" in an '
        "after_request hook, when request.is_secure.",
        "Set SECURE_HSTS_SECONDS = 31536000 and SECURE_HSTS_INCLUDE_SUBDOMAINS = True.",
    )
    assert header, f"GET /todos/ over HTTPS has no Strict-Transport-Security header. {advice}"
    found = re.search(r"max-age=\"?(\d+)", header, re.IGNORECASE)
    assert found and int(found[1]) >= ONE_YEAR, (
        f"Strict-Transport-Security is {header!r}: its max-age must be at least a year ({ONE_YEAR} seconds). {advice}"
    )
    assert "includesubdomains" in header.lower().replace(" ", ""), (
        f"Strict-Transport-Security is {header!r}: it must also say includeSubDomains. {advice}"
    )


def test_cookies_go_over_https_only_and_not_with_other_sites_requests(client, framework):
    """Over HTTPS, every cookie the form page sets is Secure and SameSite=Lax (or Strict), the session cookie HttpOnly"""
    response = _check_served(client, framework)
    cookies = _set_cookies(response)
    what = _where(framework, "the session cookie (Flask-WTF keeps the form's token there)", "the csrftoken cookie")
    assert cookies, f"GET /todos/ (a page with a form) set no cookie; it should set {what}."
    for set_cookie in cookies:
        name, attributes = _attributes(set_cookie)
        secure_advice = _where(
            framework,
            "Set SESSION_COOKIE_SECURE = True.",
            "Set SESSION_COOKIE_SECURE = True and CSRF_COOKIE_SECURE = True.",
        )
        assert "secure" in attributes, (
            f"The cookie {name!r} is not Secure ({set_cookie.split(';', 1)[-1].strip()!r}): a browser would also send it "
            f"over plain HTTP, where anyone on the network can read it. {secure_advice}"
        )
        samesite = attributes.get("samesite", "").lower()
        assert samesite in ("lax", "strict"), (
            f"The cookie {name!r} has SameSite={attributes.get('samesite') or '(none)'}; expected Lax (or Strict), so "
            f"that requests other sites make do not carry it. "
            + _where(
                framework,
                'Set SESSION_COOKIE_SAMESITE = "Lax" (Flask sends none by default).',
                'Leave CSRF_COOKIE_SAMESITE and SESSION_COOKIE_SAMESITE at their default, "Lax".',
            )
        )
        if name in SESSION_COOKIES:
            assert "httponly" in attributes, (
                f"The session cookie {name!r} is not HttpOnly: a script on the page (an XSS) could read it. "
                "Keep SESSION_COOKIE_HTTPONLY = True."
            )


def _check_security_headers(response, path, framework):
    advice = _where(
        framework,
        "Set them in an @app.after_request hook (on the app, not on a blueprint: a blueprint's hooks do not run for "
        "URLs that no blueprint has).",
        "SecurityMiddleware and XFrameOptionsMiddleware set the first three; the Content-Security-Policy comes from "
        "your middleware in todos/middleware.py, listed in MIDDLEWARE.",
    )
    headers = response.headers
    assert headers.get("X-Content-Type-Options", "").lower() == "nosniff", (
        f"GET {path} over HTTPS: X-Content-Type-Options is {headers.get('X-Content-Type-Options')!r}, expected 'nosniff'. {advice}"
    )
    assert headers.get("X-Frame-Options", "").upper() == "DENY", (
        f"GET {path} over HTTPS: X-Frame-Options is {headers.get('X-Frame-Options')!r}, expected 'DENY'. {advice}"
    )
    policy = headers.get("Referrer-Policy", "")
    assert policy.lower() in SAFE_REFERRER_POLICIES, (
        f"GET {path} over HTTPS: Referrer-Policy is {policy!r}, expected one that keeps URLs from other sites: "
        f"{', '.join(sorted(SAFE_REFERRER_POLICIES))}. {advice}"
    )
    csp = headers.get("Content-Security-Policy", "")
    assert csp, f"GET {path} over HTTPS has no Content-Security-Policy header. {advice}"
    directives = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [word.lower() for word in words[1:]]
    assert directives.get("default-src") == ["'self'"], (
        f"Content-Security-Policy is {csp!r}: it must say default-src 'self' (only the site's own files)."
    )
    assert directives.get("frame-ancestors") == ["'none'"], (
        f"Content-Security-Policy is {csp!r}: it must say frame-ancestors 'none' (no site may frame these pages)."
    )
    loose = [
        word for words in directives.values() for word in words if word in ("'unsafe-inline'", "'unsafe-eval'", "*")
    ]
    assert not loose, (
        f"Content-Security-Policy is {csp!r}: {', '.join(loose)} would let injected scripts run; leave it out."
    )


def test_pages_and_error_pages_carry_the_security_headers(client, framework):
    """Over HTTPS, /todos/ and a 404 page both send nosniff, X-Frame-Options DENY, a Referrer-Policy and a strict CSP"""
    _check_security_headers(_check_served(client, framework), "/todos/", framework)
    missing = _https_get(client, "/no-such-page/")
    assert missing.status_code == 404, f"GET /no-such-page/ over HTTPS answered {missing.status_code}, expected 404."
    _check_security_headers(missing, "/no-such-page/ (a 404)", framework)


def _post_todo(client, title, origin):
    """Fetch the form over HTTPS and post it back as a browser on ``origin`` would: the
    cookies sent back by hand (the checks talk plain HTTP to the app, so their client
    would keep a Secure cookie to itself)."""
    page = _https_get(client, "/todos/")
    form = find_form(page.text, field="title")
    assert form is not None, "GET /todos/ over HTTPS has no form with a title field to add a todo."
    cookie = "; ".join(set_cookie.split(";", 1)[0] for set_cookie in _set_cookies(page))
    headers = _via("https", Origin=origin, Referer=f"{origin}/todos/")
    if cookie:
        headers["Cookie"] = cookie
    return client.post("/todos/", data=form.filled(title=title), headers=headers, allow_redirects=False)


def _listed(client, title):
    return title in page_text(_https_get(client, "/todos/").text)


def test_a_form_posted_on_the_site_over_https_is_accepted(client, framework):
    """The todo form, posted over HTTPS from https://todos.example.com with its token, adds the todo"""
    _check_served(client, framework)
    response = _post_todo(client, "Renew the certificate", ORIGIN)
    advice = _where(
        framework,
        "Flask-WTF checks, for a request over HTTPS, that the Referer is on the same host: it must see the request "
        "as HTTPS and the host as todos.example.com (ProxyFix with x_proto=1).",
        "Over HTTPS, Django's CSRF check compares the Origin header with https://<the host>: Django must see the "
        "request as HTTPS (SECURE_PROXY_SSL_HEADER), or the origin must be in CSRF_TRUSTED_ORIGINS.",
    )
    assert response.status_code in (302, 303), (
        f"POST /todos/ over HTTPS with Origin {ORIGIN} and the form's token answered {response.status_code}, expected "
        f"a redirect to the new todo. {advice}"
    )
    assert _listed(client, "Renew the certificate"), "The todo posted from the site was not in the list afterwards."


def test_a_form_posted_from_another_site_is_refused(client, framework):
    """The same form posted from https://evil.example is refused (400 or 403) and adds nothing"""
    _check_served(client, framework)
    response = _post_todo(client, "Posted from elsewhere", "https://evil.example")
    advice = _where(
        framework,
        "A FlaskForm checks the token only. Flask-WTF's CSRFProtect (csrf = CSRFProtect(); csrf.init_app(app)) also "
        "checks, for a request it sees as HTTPS (behind ProxyFix(x_proto=1)), that the Referer is on this host.",
        "Django compares the Origin with the site's own: keep CsrfViewMiddleware, and do not add other sites to "
        "CSRF_TRUSTED_ORIGINS.",
    )
    assert response.status_code in (400, 403), (
        f"POST /todos/ over HTTPS from Origin https://evil.example answered {response.status_code}, expected 400 or "
        f"403: a page on another site could add todos in a signed-in visitor's name. {advice}"
    )
    assert not _listed(client, "Posted from elsewhere"), "The todo posted from another site was added to the list."
