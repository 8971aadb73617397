"""Hidden tests for "Hello, Django": black-box HTTP checks against the running project."""

GREETING = "Hello from Django!"


def _snippet(text, limit=120):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _advice(status):
    """What to look at when GET / did not answer 200."""
    if status == 404:
        return ('No URL pattern matches "/". Django only calls a view that a pattern points to: '
                'does urlpatterns in hello/urls.py contain path("", views.home)? A route string never starts with '
                'a slash: the root is "", not "/".')
    if status == 400:
        return ("Django refused the request (Bad Request). hello/settings.py should stay as given: "
                "its ALLOWED_HOSTS must include 127.0.0.1.")
    if status >= 500:
        return ("Your view raised an error, or returned something that is not an HttpResponse (a Django view "
                "cannot return a plain string): the traceback is in your app's log below.")
    return "Make home() in hello/views.py return HttpResponse with the greeting."


def test_home_page_answers(client):
    """GET / answers 200 OK"""
    response = client.get("/")
    assert response.status_code == 200, (
        f"GET / answered {response.status_code}, expected 200. {_advice(response.status_code)}"
    )


def test_home_page_shows_the_greeting(client):
    '''GET / shows the text "Hello from Django!"'''
    response = client.get("/")
    assert response.status_code == 200, (
        f"GET / answered {response.status_code} instead of 200, so there is no greeting to check yet. "
        f"{_advice(response.status_code)}"
    )
    body = response.text
    if GREETING not in body and GREETING.lower() in body.lower():
        raise AssertionError(
            f"GET / shows the greeting with different capitals: expected exactly {GREETING!r}. "
            f"Your page: {_snippet(body)!r}"
        )
    assert GREETING in body, (
        f"GET / should contain exactly {GREETING!r} (same capitals, spaces and \"!\"), "
        f"but your page was: {_snippet(body)!r}. Check the HttpResponse that home() "
        "in hello/views.py returns."
    )


def test_home_page_is_html(client):
    """GET / answers with content type text/html"""
    response = client.get("/")
    assert response.status_code == 200, (
        f"GET / answered {response.status_code} instead of 200, so there is no page to check yet. "
        f"{_advice(response.status_code)}"
    )
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("text/html"), (
        f"GET / answered with Content-Type {content_type!r}, expected text/html. "
        "Return HttpResponse(\"...\") without a content_type argument."
    )


def test_unknown_page_is_not_found(client):
    """GET /nope answers 404 Not Found"""
    response = client.get("/nope")
    assert response.status_code == 404, (
        f"GET /nope answered {response.status_code}, expected 404. "
        "Only the home page should have a view: the route for it is the empty string \"\", "
        "not a pattern that matches every URL."
    )
