"""Hidden tests for "The Django admin for todos": black-box HTTP checks against the running project."""

import os
from html.parser import HTMLParser

import pytest
from duet_harness.client import AppClient
from duet_harness.html import find_form, page_text

USERNAME, PASSWORD = "ada", "lovelace-1815"
CHANGELIST = "/admin/todos/todo/"
LOGIN = f"/admin/login/?next={CHANGELIST}"
REDIRECTS = {301, 302, 303, 307, 308}


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _log_in(client):
    """Log in through the admin's login form; None when it worked, else what went wrong."""
    page = client.get(LOGIN, allow_redirects=False)
    if page.status_code == 404:
        return (
            f"GET {LOGIN} answered 404: the admin site has no URLs. In todo/urls.py, add "
            'path("admin/", admin.site.urls) to urlpatterns (import admin from django.contrib).'
        )
    if page.status_code != 200:
        return f"GET {LOGIN} answered {page.status_code}, expected the admin's login form (200)."
    form = find_form(page.text, field="username")
    if form is None or form.csrf_field is None:
        return f"GET {LOGIN} shows no login form with a CSRF token: {_snippet(page_text(page.text))!r}"
    response = client.post(
        form.action or LOGIN, data=form.filled(username=USERNAME, password=PASSWORD), allow_redirects=False
    )
    if response.status_code not in REDIRECTS:
        return (
            f"Logging in as {USERNAME!r} at {LOGIN} answered {response.status_code} instead of a redirect. "
            f"The page said: {_snippet(page_text(response.text))!r}. The user is created by the migration "
            "todos/migrations/0002_ada_and_first_todos.py: keep it as given."
        )
    return None


@pytest.fixture(scope="module")
def staff():
    """One session logged in as ada, shared by the tests that read the admin's pages
    (a password check takes a noticeable part of a second: once is enough)."""
    session = AppClient(os.environ["DUET_APP_URL"], float(os.environ.get("DUET_REQUEST_TIMEOUT", "3")))
    session.login_problem = _log_in(session)
    yield session
    session.close()


def _changelist(staff, query=""):
    assert staff.login_problem is None, staff.login_problem
    url = CHANGELIST + query
    response = staff.get(url, allow_redirects=False)
    assert response.status_code == 200, (
        f"Logged in as ada (a superuser), GET {url} answered {response.status_code}, expected the list of "
        "todos (200). "
        + (
            "The admin has no page for the Todo model: register it in todos/admin.py with "
            "@admin.register(Todo) on a ModelAdmin subclass (or admin.site.register(Todo, TodoAdmin))."
            if response.status_code == 404
            else "The traceback is in your app's log below."
        )
    )
    return response.text


class _ResultHeaders(HTMLParser):
    """The column headers of the change list's table (id="result_list")."""

    def __init__(self):
        super().__init__()
        self.headers, self._in_table, self._in_th = [], False, False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "result_list") in attrs:
            self._in_table = True
        elif tag == "th" and self._in_table:
            self._in_th = True
            self.headers.append("")

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_table = False
        elif tag == "th":
            self._in_th = False

    def handle_data(self, data):
        if self._in_th:
            self.headers[-1] += data


def _column_headers(html):
    reader = _ResultHeaders()
    reader.feed(html)
    return [" ".join(h.split()) for h in reader.headers if h.strip()]


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    """An anonymous GET /admin/todos/todo/ redirects to the admin's login page"""
    response = client.get(CHANGELIST, allow_redirects=False)
    location = response.headers.get("Location", "")
    assert response.status_code in REDIRECTS and location.startswith("/admin/login/"), (
        f"GET {CHANGELIST} without logging in answered {response.status_code}"
        f"{' to ' + location if location else ''}, expected a redirect to /admin/login/. "
        + (
            'No URL reaches the admin site: add path("admin/", admin.site.urls) to urlpatterns in todo/urls.py, '
            'with the trailing slash ("admin" without it makes the URLs /adminlogin/, /admintodos/todo/).'
            if response.status_code == 404
            else "Keep the admin behind its login: do not replace admin.site.urls with views of your own."
        )
    )


def test_staff_user_can_log_in_to_the_admin(client):
    """ada logs in through /admin/login/ and is sent on to the todo list"""
    problem = _log_in(client)
    assert problem is None, problem
    response = client.get(CHANGELIST, allow_redirects=False)
    assert response.status_code != 302 or "/admin/login/" not in response.headers.get("Location", ""), (
        f"After logging in as ada, GET {CHANGELIST} still redirects to the login page: the session "
        "was not kept. Keep SessionMiddleware and AuthenticationMiddleware in MIDDLEWARE."
    )


def test_todo_list_shows_the_todos(staff):
    """Logged in as ada, GET /admin/todos/todo/ lists the todos"""
    text = page_text(_changelist(staff))
    assert "Buy milk" in text, (
        f"GET {CHANGELIST} answered 200 but does not list the todo 'Buy milk'. The page: {_snippet(text)!r}"
    )


def test_todo_list_has_title_done_and_created_columns(staff):
    """The todo list has the columns Title, Done and Created at"""
    headers = _column_headers(_changelist(staff))
    expected = ["Title", "Done", "Created at"]
    missing = [h for h in expected if h not in headers]
    assert not missing, (
        f"The list at {CHANGELIST} has the columns {headers}, expected {expected} (missing: {missing}). "
        'Without list_display the admin shows one column, str(todo). Set list_display = ["title", "done", '
        '"created_at"] on your ModelAdmin.'
    )


def test_todo_list_search_filters_by_title(staff):
    """GET /admin/todos/todo/?q=milk lists Buy milk and not Walk the dog"""
    text = page_text(_changelist(staff, "?q=milk"))
    assert "Buy milk" in text, (
        f"GET {CHANGELIST}?q=milk should list 'Buy milk', but the page was: {_snippet(text)!r}. "
        'Search the title: search_fields = ["title", ...]. A plain field name finds the word anywhere in '
        'the title; "^title" only at its start and "=title" only as the whole title.'
    )
    assert "Walk the dog" not in text, (
        f"GET {CHANGELIST}?q=milk still lists 'Walk the dog': the search was ignored. The admin only "
        'searches, and only shows its search box, when the ModelAdmin sets search_fields, e.g. ["title", "notes"].'
    )


def test_todo_list_can_be_filtered_by_done(staff):
    """The todo list has a "By done" filter in its sidebar"""
    html = _changelist(staff)
    assert "?done__exact=1" in html, (
        f"The list at {CHANGELIST} has no filter on done (no link to ?done__exact=1 in the sidebar). "
        'Add list_filter = ["done"] to your ModelAdmin.'
    )
