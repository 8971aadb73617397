"""Hidden tests for "Fail well in production" (Flask and Django): black-box HTTP checks
of the error pages and the health check, as a visitor and a load balancer see them."""

from duet_harness.html import links, page_text

MISSING_PAGE = "/this-page-does-not-exist/"
MISSING_TODO = "/todos/999999/"

# What debug pages show and a production error page must not.
LEAKS = {
    "Traceback": "a traceback",
    "Werkzeug Debugger": "Werkzeug's interactive debugger",
    "DEBUG = True": "Django's debug page",
    "URLconf": "your URL patterns",
    "SECRET_KEY": "your settings",
    "RuntimeError": "the exception's type",
    "Boom!": "the exception's message",
}


def _where(framework, flask, django):
    return flask if framework == "flask" else django


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _leaks(body):
    return [f"{marker!r} ({what})" for marker, what in LEAKS.items() if marker in body]


def _debug_advice(framework):
    return _where(
        framework,
        "Debug mode is still on: remove DEBUG=True from the configuration in create_app(). "
        "On your machine, turn it on with flask --app app run --debug instead.",
        "DEBUG is still True in todo/settings.py: set it to False (or read it from an environment "
        "variable that production never sets), and list the hosts in ALLOWED_HOSTS.",
    )


def _not_found_page_advice(framework):
    return _where(
        framework,
        "Write templates/404.html and register a handler for 404 in create_app(), with "
        "app.register_error_handler(404, ...) or @app.errorhandler(404), that renders it and "
        "returns status 404.",
        "Write templates/404.html: with DEBUG off, Django's default 404 view renders it.",
    )


def _status_advice(framework, status, otherwise="The app's log below shows what happened."):
    """Why a page answered with an unexpected status: Django's 400 has one usual cause."""
    if framework == "django" and status == 400:
        return (
            "Django refused the host name 127.0.0.1 (Bad Request). With DEBUG off, ALLOWED_HOSTS must "
            'list the hosts your site answers to: ["127.0.0.1", "localhost"] here.'
        )
    return otherwise


def _handler_status_advice(framework, code):
    """A friendly page that went out as 200 OK: the handler forgot its status code."""
    return _where(
        framework,
        f"Your error page went out as 200 OK: the handler must return the status too, as in "
        f'return render_template("{code}.html"), {code}.',
        f"Your error page went out as 200 OK: a handler{code} view must return a response with "
        f"status {code}, or leave it out and let Django render templates/{code}.html.",
    )


def _check_not_found_page(client, framework, path):
    response = client.get(path)
    status = response.status_code
    advice = _handler_status_advice(framework, 404) if status == 200 else _status_advice(framework, status)
    assert status == 404, f"GET {path} answered {status}, expected 404. {advice}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("text/html"), (
        f"GET {path} answered 404 with Content-Type {content_type!r}, expected an HTML page (text/html). "
        "Render your 404.html template for it."
    )
    if _leaks(response.text):
        raise AssertionError(
            f"GET {path} answered with a debug page, which shows {', '.join(_leaks(response.text))}. "
            + _debug_advice(framework)
        )
    text = page_text(response.text)
    assert "Page not found" in text, (
        f'GET {path} answered 404, but not with your friendly page: it should say "Page not found", '
        f"and it says {_snippet(text)!r}. {_not_found_page_advice(framework)}"
    )
    assert any(href.rstrip("/").endswith("/todos") for href in links(response.text)), (
        f'The 404 page for GET {path} says "Page not found" but has no link back to /todos/. '
        'Add one, such as <a href="/todos/">Back to your todos</a>.'
    )


def test_the_app_still_works(client, framework):
    """GET /todos/ answers 200 OK with debug off"""
    response = client.get("/todos/")
    status = response.status_code
    assert status == 200, f"GET /todos/ answered {status}, expected 200. {_status_advice(framework, status)}"


def test_an_unknown_url_gets_the_friendly_404_page(client, framework):
    """GET /this-page-does-not-exist/ answers 404 with your "Page not found" page"""
    _check_not_found_page(client, framework, MISSING_PAGE)


def test_an_unknown_todo_gets_the_friendly_404_page(client, framework):
    """GET /todos/999999/ (no such todo) answers 404 with the same "Page not found" page"""
    _check_not_found_page(client, framework, MISSING_TODO)


def test_a_crash_gets_the_friendly_500_page(client, framework):
    """GET /boom/ answers 500 with your "Something went wrong" page"""
    response = client.get("/boom/")
    status = response.status_code
    advice = _handler_status_advice(framework, 500) if status == 200 else _status_advice(framework, status, "")
    assert status == 500, (
        f"GET /boom/ answered {status}, expected 500: that view raises an exception on purpose, "
        f"so leave it as it is. {advice}"
    )
    content_type = response.headers.get("Content-Type", "")
    if framework == "flask" and "(generated by" in response.text:
        raise AssertionError(
            "GET /boom/ answered the WSGI server's own plain-text error, not a page from your app: "
            "the exception escaped Flask. In debug mode Flask re-raises exceptions instead of "
            "calling your 500 handler. " + _debug_advice(framework)
        )
    assert content_type.startswith("text/html"), (
        f"GET /boom/ answered 500 with Content-Type {content_type!r}, expected an HTML page (text/html)."
    )
    if _leaks(response.text):
        raise AssertionError(
            f"GET /boom/ answered with a debug page, which shows {', '.join(_leaks(response.text))}. "
            + _debug_advice(framework)
        )
    text = page_text(response.text)
    advice = _where(
        framework,
        "Write templates/500.html and register a handler for 500 in create_app(), with "
        "app.register_error_handler(500, ...), that renders it and returns status 500.",
        "Write templates/500.html: with DEBUG off, Django's default 500 view renders it.",
    )
    assert "Something went wrong" in text, (
        f'GET /boom/ answered 500, but not with your friendly page: it should say "Something went wrong", '
        f"and it says {_snippet(text)!r}. {advice}"
    )


def test_error_pages_give_nothing_away(client, framework):
    """The 404 and 500 pages show no traceback, settings or debugger"""
    for path in (MISSING_PAGE, MISSING_TODO, "/boom/"):
        body = client.get(path).text
        found = _leaks(body)
        danger = _where(
            framework,
            "an attacker learns how your app is built, and Werkzeug's debugger even lets anyone run code "
            "on your server.",
            "an attacker learns how your project is built: its code, its URLs and its settings.",
        )
        assert not found, f"GET {path} shows {', '.join(found)}: {danger} {_debug_advice(framework)}"


def test_the_health_check_answers(client, framework):
    """GET /healthz answers 200 with the JSON {"status": "ok"}"""
    response = client.get("/healthz")
    where = _where(
        framework,
        'Add a view for "/healthz" to the blueprint in app.py that returns {"status": "ok"}.',
        'Add a view that returns JsonResponse({"status": "ok"}) and route "healthz" to it in todos/urls.py.',
    )
    status = response.status_code
    assert status == 200, f"GET /healthz answered {status}, expected 200. {_status_advice(framework, status, where)}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), (
        f"GET /healthz answered with Content-Type {content_type!r}, expected application/json. {where}"
    )
    data = response.json()
    assert data == {"status": "ok"}, f'GET /healthz answered {data!r}, expected exactly {{"status": "ok"}}. {where}'
