"""Hidden tests for "Follow a request through the app" (Flask and Django).

Black box, over HTTP: every answer (a page, a redirect, a 404, a 500) must carry an
X-Request-ID (the client's own when it is 1-64 letters, digits and hyphens, else a fresh
one) and a Server-Timing header with the app's duration; adding a todo must redirect and
leave a one-time message for the next page."""

import re

from duet_harness.html import find_form, page_text

VALID_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
NUMBER = re.compile(r"\d+(\.\d+)?")


def _where(framework, flask, django):
    return flask if framework == "flask" else django


def _hook_advice(framework):
    return _where(
        framework,
        "Set the headers in an after_request function registered on the app (app.after_request inside "
        "create_app()), not on the blueprint: a blueprint's hooks never see a URL that no blueprint has.",
        "Set the headers in todos/middleware.py's RequestLifecycleMiddleware, after it calls "
        "self.get_response(request), and list it in MIDDLEWARE in todo/settings.py.",
    )


def _request_id(response, what, framework):
    value = response.headers.get("X-Request-ID")
    assert value is not None, (
        f"{what} answered {response.status_code} with no X-Request-ID header. {_hook_advice(framework)}"
    )
    assert VALID_ID.fullmatch(value), (
        f"{what} answered with X-Request-ID {value!r}; a request id is 1 to 64 letters, digits and hyphens "
        f"(uuid.uuid4().hex is one)."
    )
    return value


def _server_timing(response, what, framework):
    """The duration of the "app" metric of Server-Timing, as in "app;dur=12.3"."""
    header = response.headers.get("Server-Timing")
    assert header is not None, (
        f"{what} answered {response.status_code} with no Server-Timing header. {_hook_advice(framework)}"
    )
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        if name != "app":
            continue
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "dur" and NUMBER.fullmatch(value.strip()):
                return float(value)
    raise AssertionError(
        f"{what} answered with Server-Timing {header!r}; expected a metric named app with its duration in "
        f"milliseconds, a plain number: 'app;dur=12.3' (no unit)."
    )


def _check_headers(response, what, framework):
    request_id = _request_id(response, what, framework)
    _server_timing(response, what, framework)
    return request_id


def test_every_answer_gets_a_fresh_request_id(client, framework):
    """Two GET /todos/ without an X-Request-ID each get a valid X-Request-ID, and not the same one"""
    first = client.get("/todos/")
    assert first.status_code == 200, f"GET /todos/ answered {first.status_code}, expected 200. The app's log says why."
    second = client.get("/todos/")
    one = _request_id(first, "GET /todos/", framework)
    two = _request_id(second, "GET /todos/ (again)", framework)
    assert one != two, (
        f"Two requests to /todos/ both got X-Request-ID {one!r}: each request needs its own id. "
        + _where(
            framework,
            "Make it inside a before_request function (it runs once per request) and keep it in g, not when "
            "the app is created.",
            "Make it in __call__ (once per request), not in __init__, which runs once when the server loads "
            "the project.",
        )
    )


def test_a_valid_id_from_the_client_is_kept(client, framework):
    """A request that sends a valid X-Request-ID (up to 64 letters, digits and hyphens) gets the same one back"""
    for sent in ("checkout-7f3a9c", "A" * 64):
        response = client.get("/todos/", headers={"X-Request-ID": sent})
        got = response.headers.get("X-Request-ID")
        assert got == sent, (
            f"GET /todos/ with X-Request-ID: {sent!r} answered with X-Request-ID {got!r}; expected the client's own "
            f"id back, so that the proxy's log line and yours can be matched. Read it with "
            f'request.headers.get("X-Request-ID") and keep it when it is valid.'
        )


def test_an_invalid_id_from_the_client_is_replaced(client, framework):
    """An X-Request-ID that is too long or has other characters is replaced by a fresh valid one"""
    bad_ids = ("a" * 65, "id with spaces", "<script>alert(1)</script>", "semi;colon")
    seen = set()
    for sent in bad_ids:
        response = client.get("/todos/", headers={"X-Request-ID": sent})
        got = response.headers.get("X-Request-ID")
        assert got != sent, (
            f"GET /todos/ with X-Request-ID: {sent!r} got the same value back. Anyone can send that header: an "
            f"id that is not 1 to 64 letters, digits and hyphens must be replaced by a fresh one, or a client "
            f'can write what it likes into your logs. Check it with re.fullmatch(r"[A-Za-z0-9-]{{1,64}}", sent).'
        )
        seen.add(_request_id(response, f"GET /todos/ with X-Request-ID: {sent!r}", framework))
    assert len(seen) == len(bad_ids), (
        f"{len(bad_ids)} requests with invalid ids got only {len(seen)} different fresh ids: {sorted(seen)}. "
        "Each replacement must be new."
    )


def test_every_answer_says_how_long_the_app_took(client, framework):
    """GET /todos/ carries Server-Timing: app;dur=<milliseconds>, a number under a minute"""
    response = client.get("/todos/")
    duration = _server_timing(response, "GET /todos/", framework)
    assert duration < 60_000, (
        f"GET /todos/ says Server-Timing app;dur={duration:g}, more than a minute. Start the clock when the request "
        f"starts (time.perf_counter()), and give the difference in milliseconds, not a time of day."
    )


def test_a_404_page_carries_both_headers(client, framework):
    """GET /no-such-page/ answers 404, with X-Request-ID (the client's own if valid) and Server-Timing"""
    response = client.get("/no-such-page/", headers={"X-Request-ID": "lost-404"})
    assert response.status_code == 404, f"GET /no-such-page/ answered {response.status_code}, expected 404."
    what = "GET /no-such-page/ (a 404)"
    advice = _where(
        framework,
        " A 404 for a URL no route matches belongs to no blueprint: register the hooks on the app.",
        " Django does not call process_view for a URL that does not resolve: do the work in __call__.",
    )
    got = response.headers.get("X-Request-ID")
    assert got is not None, f"{what} has no X-Request-ID header.{advice}"
    assert got == "lost-404", (
        f"{what} sent with X-Request-ID: 'lost-404' answered with X-Request-ID {got!r}; expected 'lost-404'."
    )
    assert "Server-Timing" in response.headers, f"{what} has no Server-Timing header.{advice}"
    _server_timing(response, what, framework)


def test_a_view_that_raises_gets_the_500_page_with_both_headers(client, framework):
    """GET /boom/ (a view that raises) answers 500 with the site's error page, X-Request-ID and Server-Timing"""
    response = client.get("/boom/", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500, (
        f"GET /boom/ answered {response.status_code}, expected 500: its view raises on purpose. Leave the view as "
        f"it is."
    )
    assert "Something went wrong" in page_text(response.text), (
        "GET /boom/ answered 500, but not with the site's own error page (templates/500.html, 'Something went "
        "wrong'). Keep the 500 page the starter has."
    )
    what = "GET /boom/ (a 500)"
    advice = _where(
        framework,
        " In production Flask turns the exception into the 500 page first, then runs the after_request "
        "functions on it; a blueprint's after_request runs too, but only for its own views.",
        " Django turns the view's exception into the 500 response inside the middleware chain, so every "
        "middleware's __call__ gets that response back from get_response(request).",
    )
    got = response.headers.get("X-Request-ID")
    assert got is not None, f"{what} has no X-Request-ID header.{advice}"
    assert got == "boom-1", f"{what} sent with X-Request-ID: 'boom-1' answered with X-Request-ID {got!r}."
    assert "Server-Timing" in response.headers, f"{what} has no Server-Timing header.{advice}"
    _server_timing(response, what, framework)


def _add_todo(client, framework, title):
    page = client.get("/todos/")
    form = find_form(page.text, field="title")
    assert form is not None, "GET /todos/ has no form with a title field to add a todo."
    return client.post("/todos/", data=form.filled(title=title), allow_redirects=False)


def test_adding_a_todo_redirects_and_the_next_page_says_so_once(client, framework):
    """POST /todos/ redirects (303 or 302); the page it leads to says "Added <title>." and the reload does not"""
    title = "Water the plants"
    message = f"Added {title}."
    response = _add_todo(client, framework, title)
    assert response.status_code in (302, 303), (
        f"POST /todos/ with title {title!r} answered {response.status_code}, expected a redirect (303 or 302): "
        f"after a POST, redirect, so that reloading the next page does not post the form again "
        f"(Post/Redirect/Get). "
        + _where(
            framework,
            'flash(...) the message, then return redirect(url_for("todos.todo_list"), code=303).',
            'Add the message with messages.success(request, ...), then return redirect("todos:list").',
        )
    )
    _check_headers(response, f"POST /todos/ (a {response.status_code} redirect)", framework)
    location = response.headers.get("Location", "")
    landed = client.get(location)
    assert landed.status_code == 200, f"The redirect to {location!r} answered {landed.status_code}, expected 200."
    text = page_text(landed.text)
    assert title in text, f"After adding {title!r}, the page at {location!r} does not list it."
    assert message in text, (
        f"After adding {title!r}, the page the redirect leads to ({location!r}) does not say {message!r}. "
        + _where(
            framework,
            'Call flash(f"Added {title}.") before redirecting, and show get_flashed_messages() in templates/base.html.',
            'Call messages.success(request, f"Added {todo.title}.") before redirecting, and loop over messages in '
            "templates/base.html (it needs django.contrib.messages installed, its middleware and its context "
            "processor).",
        )
    )
    reloaded = page_text(client.get(location).text)
    assert message not in reloaded, (
        f"Reloading {location!r} still says {message!r}: the message must be shown once. "
        + _where(
            framework,
            "get_flashed_messages() takes the messages out of the session; a value you keep in session yourself "
            "stays there until you remove it.",
            "Django's messages go once they are looped over in a template; keep the loop over messages.",
        )
    )
    assert title in reloaded, f"Reloading {location!r}, the todo {title!r} is no longer listed."


def test_a_second_todo_gets_its_own_message(client, framework):
    """Adding two todos one after the other, each next page says only its own "Added <title>." """
    for title, other in (("Buy stamps", "Water the plants"), ("Post the letter", "Buy stamps")):
        response = _add_todo(client, framework, title)
        assert response.status_code in (302, 303), (
            f"POST /todos/ with title {title!r} answered {response.status_code}, expected 303 or 302."
        )
        text = page_text(client.get(response.headers.get("Location", "")).text)
        assert f"Added {title}." in text, f"After adding {title!r}, the next page does not say 'Added {title}.'"
        assert f"Added {other}." not in text, (
            f"After adding {title!r}, the next page still says 'Added {other}.' from an earlier request."
        )
