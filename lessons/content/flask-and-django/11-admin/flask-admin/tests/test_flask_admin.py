"""Hidden tests for "Flask-Admin, behind a login": black-box HTTP checks against the running app."""

import os
from html.parser import HTMLParser

import pytest
from duet_harness.client import AppClient
from duet_harness.html import find_form, page_text

ADMIN = ("ada", "lovelace-1815")
NOT_ADMIN = ("bob", "builder-1998")
REDIRECTS = {301, 302, 303, 307, 308}


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _log_in(client, username, password):
    """Log in through the app's own /login/ page, as a browser would; None when it
    worked, else what went wrong."""
    page = client.get("/login/", allow_redirects=False)
    if page.status_code != 200:
        return (
            f"GET /login/ answered {page.status_code}, expected the login page (200). The login view "
            'comes with the starter: keep the @app.route("/login/") view as it was.'
        )
    form = find_form(page.text, field="username")
    if form is None or form.csrf_field is None:
        return (
            "GET /login/ should show a form with a username field and a CSRF token; "
            f"the page was: {_snippet(page_text(page.text))!r}. Keep the starter's login.html."
        )
    response = client.post("/login/", data=form.filled(username=username, password=password), allow_redirects=False)
    if response.status_code not in REDIRECTS:
        return (
            f"Logging in as {username!r} at /login/ answered {response.status_code}, expected a redirect "
            f"after a successful login. The page said: {_snippet(page_text(response.text))!r}. "
            "The users are created by seed() in models.py: keep it as given."
        )
    return None


@pytest.fixture(scope="module")
def admin():
    """One session logged in as ada, shared by the tests that read the admin's list
    (a password check takes a noticeable part of a second: once is enough)."""
    session = AppClient(os.environ["DUET_APP_URL"], float(os.environ.get("DUET_REQUEST_TIMEOUT", "3")))
    session.login_problem = _log_in(session, *ADMIN)
    yield session
    session.close()


def _refused(response):
    """A request the app turned away: 401/403, or a redirect to the login page."""
    if response.status_code in {401, 403}:
        return True
    return response.status_code in REDIRECTS and "login" in response.headers.get("Location", "")


class _Headers(HTMLParser):
    """The texts of the list table's column headers."""

    def __init__(self):
        super().__init__()
        self.headers, self._depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "th":
            self.headers.append("")
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "th" and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.headers[-1] += data


def _column_headers(html):
    reader = _Headers()
    reader.feed(html)
    return [" ".join(h.split()) for h in reader.headers if h.strip()]


def _admin_list(admin, query=""):
    assert admin.login_problem is None, admin.login_problem
    response = admin.get(f"/admin/todo/{query}", allow_redirects=False)
    assert response.status_code == 200, (
        f"As the admin user ada, GET /admin/todo/{query} answered {response.status_code}, expected 200. "
        "is_accessible() should return True for a logged-in user whose is_admin is True: "
        "current_user.is_authenticated and current_user.is_admin."
    )
    return response.text


def test_anonymous_visitor_cannot_open_the_todo_list(client):
    """An anonymous GET /admin/todo/ is refused"""
    response = client.get("/admin/todo/", allow_redirects=False)
    assert _refused(response), (
        f"GET /admin/todo/ without logging in answered {response.status_code}"
        f"{' to ' + response.headers['Location'] if 'Location' in response.headers else ''}, "
        "expected a redirect to /login/ (or 403). "
        + (
            "A 500 for an anonymous visitor: is_accessible() probably reads current_user.is_admin, which "
            "an anonymous user does not have. Check current_user.is_authenticated first."
            if response.status_code == 500
            else "Flask-Admin has no login of its own and lets everyone in: subclass ModelView and override "
            'is_accessible() to check current_user, and inaccessible_callback() to redirect to url_for("login").'
        )
    )


def test_anonymous_visitor_cannot_open_the_create_form(client):
    """An anonymous GET /admin/todo/new/ is refused"""
    response = client.get("/admin/todo/new/", allow_redirects=False)
    assert _refused(response), (
        f"GET /admin/todo/new/ without logging in answered {response.status_code}, expected a redirect "
        "to /login/ (or 403): anyone could add todos. is_accessible() on your ModelView subclass guards "
        "every page of the view (list, create, edit, delete), so register that subclass, not ModelView."
    )


def test_logged_in_user_who_is_not_an_admin_is_refused(client):
    """A logged-in user who is not an admin (bob) is refused at /admin/todo/"""
    problem = _log_in(client, *NOT_ADMIN)
    assert problem is None, problem
    response = client.get("/admin/todo/", allow_redirects=False)
    if response.status_code == 200:
        advice = "Being logged in is not enough: is_accessible() should also require current_user.is_admin."
    elif response.status_code in REDIRECTS:
        advice = (
            f"It redirected to {response.headers.get('Location', '')!r}: bob is already logged in, and logging "
            "in again would not make him an admin. In inaccessible_callback(), answer abort(403) when "
            "current_user.is_authenticated, and redirect to the login page only the anonymous."
        )
    else:
        advice = "The traceback, if any, is in your app's log below."
    assert response.status_code == 403, (
        f"Logged in as bob (is_admin False), GET /admin/todo/ answered {response.status_code}, "
        f"expected 403 Forbidden. {advice}"
    )


def test_admin_sees_the_todo_list(admin):
    """Logged in as ada (an admin), GET /admin/todo/ lists the todos"""
    html = _admin_list(admin)
    assert "Buy milk" in page_text(html), (
        "As ada, GET /admin/todo/ answered 200 but does not list the todo 'Buy milk'. "
        f"The page: {_snippet(page_text(html))!r}. Register the view with "
        "admin.add_view(YourView(Todo, db))."
    )


def test_todo_list_shows_the_title_and_done_columns_only(admin):
    """The admin's todo list has the columns Title and Done, not Notes"""
    headers = _column_headers(_admin_list(admin))
    assert "Title" in headers and "Done" in headers, (
        f"The list at /admin/todo/ has the columns {headers}, expected Title and Done. "
        'Set column_list = ["title", "done"] on your ModelView subclass.'
    )
    assert "Notes" not in headers, (
        f"The list at /admin/todo/ has the columns {headers}: the long Notes column should not be in "
        'the list (it stays in the edit form). column_list = ["title", "done"] shows only those two.'
    )


def test_todo_list_search_finds_todos_by_title(admin):
    """GET /admin/todo/?search=milk lists Buy milk and not Walk the dog"""
    text = page_text(_admin_list(admin, "?search=milk"))
    assert "Buy milk" in text, (
        f"GET /admin/todo/?search=milk should list 'Buy milk', but the page was: {_snippet(text)!r}. "
        'Search the title column: column_searchable_list = ["title"].'
    )
    assert "Walk the dog" not in text, (
        "GET /admin/todo/?search=milk still lists 'Walk the dog': the search was ignored. Flask-Admin "
        'only searches when the view sets column_searchable_list, e.g. ["title"].'
    )
