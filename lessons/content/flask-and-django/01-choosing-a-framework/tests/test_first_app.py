"""Hidden tests for the first Flask app and the first Django project: one file grades both.

The two apps answer the same URLs with the same words, so only the advice differs.
"""

HOME_TEXT = "Welcome to Todo!"
ABOUT_TEXT = "Todo keeps track of things to do."


def _snippet(text, limit=120):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _advice(framework, url, status):
    """What to look at when a page that should exist did not answer 200."""
    if framework == "flask":
        if status == 404:
            return (
                f"The application the server imported (the object named app in app.py) has no route for {url}. "
                "A route belongs to the Flask object it was registered on, and every Flask(__name__) call makes "
                "a new, empty application: is app assigned more than once? And the rule must match the URL "
                'exactly, trailing slash included: @app.route("/about") does not answer /about/. '
                "`flask --app app routes` lists the routes of the app the server really gets."
            )
        if status >= 500:
            return "A view raised an error: the traceback is in your app's log below."
        return f"Make the view for {url} return its text as a plain string."
    if status >= 500:
        return (
            "Django failed before it could even look for a view: the traceback in your app's log below says why. "
            "Django finds the project's URL patterns through the ROOT_URLCONF setting in todo/settings.py. "
            "Like DJANGO_SETTINGS_MODULE, it names a Python module by its import path, not a file."
        )
    if status == 404:
        return (
            f"No URL pattern matched {url}. Is ROOT_URLCONF in todo/settings.py the module "
            "that holds this project's urlpatterns?"
        )
    if status == 400:
        return (
            "Django refused the request (Bad Request): ALLOWED_HOSTS in todo/settings.py must "
            'include "127.0.0.1", as the starter had it.'
        )
    return "The views in todo/views.py are given: they should not need any change."


def _get_page(client, framework, url):
    response = client.get(url)
    assert response.status_code == 200, (
        f"GET {url} answered {response.status_code}, expected 200 OK. {_advice(framework, url, response.status_code)}"
    )
    return response


def _check_text(response, url, expected):
    body = response.text
    if expected not in body and expected.lower() in body.lower():
        raise AssertionError(
            f"GET {url} shows the text with different capitals: expected exactly {expected!r}. "
            f"Your page: {_snippet(body)!r}"
        )
    assert expected in body, (
        f"GET {url} should contain exactly {expected!r} (same capitals, spaces and punctuation), "
        f"but your page was: {_snippet(body)!r}."
    )


def test_home_page_answers(client, framework):
    """GET / answers 200 OK"""
    _get_page(client, framework, "/")


def test_home_page_welcomes(client, framework):
    '''GET / shows "Welcome to Todo!"'''
    response = _get_page(client, framework, "/")
    _check_text(response, "/", HOME_TEXT)


def test_about_page(client, framework):
    '''GET /about/ answers 200 OK and shows "Todo keeps track of things to do."'''
    response = _get_page(client, framework, "/about/")
    _check_text(response, "/about/", ABOUT_TEXT)


def test_both_pages_are_html(client, framework):
    """Both pages answer with content type text/html"""
    for url in ("/", "/about/"):
        response = _get_page(client, framework, url)
        content_type = response.headers.get("Content-Type", "")
        assert content_type.startswith("text/html"), (
            f"GET {url} answered with Content-Type {content_type!r}, expected text/html: "
            + (
                "a Flask view that returns a plain string is sent as HTML."
                if framework == "flask"
                else "HttpResponse sends text/html unless it is given another content_type."
            )
        )


def test_unknown_page_is_not_found(client, framework):
    """GET /nope/ answers 404 Not Found"""
    response = client.get("/nope/")
    where = "app.py" if framework == "flask" else "todo/urls.py"
    advice = (
        _advice(framework, "/nope/", response.status_code)
        if response.status_code >= 500 or (framework == "django" and response.status_code == 400)
        else f"Only / and /about/ should have views: look for a catch-all route in {where}."
    )
    assert response.status_code == 404, f"GET /nope/ answered {response.status_code}, expected 404. {advice}"
