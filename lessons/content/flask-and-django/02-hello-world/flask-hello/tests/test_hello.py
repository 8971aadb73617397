"""Hidden tests for "Hello, Flask": black-box HTTP checks against the running app."""

GREETING = "Web App with Python Flask!"


def _snippet(text, limit=120):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _advice(status):
    """What to look at when GET / did not answer 200."""
    if status == 404:
        return ('Flask has no route for "/". A function only becomes a view when a route connects '
                'it to a URL: does the line above def hello() say @app.route("/")?')
    if status == 405:
        return 'The route for "/" does not accept GET: remove any methods=[...] that leaves GET out.'
    if status >= 500:
        return "Your view raised an error: the traceback is in your app's log below."
    return 'Make the view for "/" return the greeting as a plain string.'


def test_home_page_answers(client):
    """GET / answers 200 OK"""
    response = client.get("/")
    assert response.status_code == 200, (
        f"GET / answered {response.status_code}, expected 200. {_advice(response.status_code)}"
    )


def test_home_page_shows_the_greeting(client):
    '''GET / shows the text "Web App with Python Flask!"'''
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
        f"but your page was: {_snippet(body)!r}. Check the string your view returns."
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
        "Return a plain string from the view and Flask sends it as HTML."
    )


def test_unknown_page_is_not_found(client):
    """GET /nope answers 404 Not Found"""
    response = client.get("/nope")
    assert response.status_code == 404, (
        f"GET /nope answered {response.status_code}, expected 404. "
        "Only the home page \"/\" should have a view: remove any catch-all route."
    )
