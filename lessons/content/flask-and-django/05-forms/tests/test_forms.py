"""Hidden tests for lesson 05 (forms): the "add a todo" form, in Flask and Django alike.

Each test fetches the form the way a browser does, so it sends back the page's own
hidden CSRF field, whatever the framework calls it.
"""

import uuid
from urllib.parse import urljoin, urlparse

from duet_harness.html import find_form, page_text

LIST_URL = "/todos/"
NEW_URL = "/todos/new/"
REQUIRED = "This field is required."
MAX_LENGTH = 100
REDIRECTS = (301, 302, 303, 307, 308)


def _unique(prefix="Buy milk"):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _files(framework):
    """Where the learner's view, form class and template live."""
    if framework == "django":
        return "todo_new() in todos/views.py", "todos/forms.py", "todos/templates/todos/new.html"
    return "todo_new() in app.py", "forms.py", "templates/todos/new.html"


def _token_advice(framework):
    if framework == "django":
        return "Put {% csrf_token %} inside the <form> in todos/templates/todos/new.html."
    return "Put {{ form.hidden_tag() }} (or {{ form.csrf_token }}) inside the <form> in templates/todos/new.html."


def _post_advice(framework):
    if framework == "django":
        return (
            "Handle POST in todo_new() in todos/views.py: bind TodoForm(request.POST), and if "
            'form.is_valid(), call add_todo() and return redirect("todo_list").'
        )
    return (
        'Handle POST in todo_new() in app.py: add methods=["GET", "POST"] to its route, and if '
        'form.validate_on_submit(), call add_todo() and return redirect(url_for("todo_list")).'
    )


def _refusal_advice(response, framework):
    """Why a POST of the form did not do what a browser's would."""
    status, body = response.status_code, response.text
    if status == 405:
        return f"The view does not accept POST yet (405 Method Not Allowed). {_post_advice(framework)}"
    if status in (400, 403) and "csrf" in body.lower():
        return f"The CSRF check refused it ({_snippet(page_text(body), 100)!r}). {_token_advice(framework)}"
    if status >= 500:
        return "Your view raised an error: the traceback is in your app's log below."
    return _post_advice(framework)


def _fetch_form(client, framework):
    """GET the page with the form, as a browser would (this also sets the cookies the CSRF check needs)."""
    response = client.get(NEW_URL)
    assert response.status_code == 200, (
        f"GET {NEW_URL} answered {response.status_code}, expected 200 with the form. "
        f"Look at {_files(framework)[0]} and its URL."
    )
    form = find_form(response.text, field="title")
    assert form is not None, (
        f'GET {NEW_URL} shows no <form> with a field named "title". Render the form\'s title field '
        f"in {_files(framework)[2]}. Your page: {_snippet(page_text(response.text))!r}"
    )
    return form


def _submit(client, framework, title):
    """Fill in the form with ``title`` and send it with its hidden fields; redirects are not followed."""
    form = _fetch_form(client, framework)
    assert form.csrf_field and form.hidden[form.csrf_field], (
        f"The form on {NEW_URL} has no hidden CSRF token, so every browser's POST would be refused "
        f"before your view runs. {_token_advice(framework)}"
    )
    return client.post(urljoin(NEW_URL, form.action), data=form.filled(title=title), allow_redirects=False)


def _listed(client, title):
    return title in page_text(client.get(LIST_URL).text)


def test_form_page_shows_a_form(client, framework):
    """GET /todos/new/ shows a form with a "title" field that is sent with POST"""
    form = _fetch_form(client, framework)
    assert form.method == "post", (
        f'The form on {NEW_URL} has method="{form.method}", expected method="post": a form that changes '
        f"data is sent with POST, never GET. Fix the <form> tag in {_files(framework)[2]}."
    )


def test_form_has_a_csrf_token(client, framework):
    """The form carries a hidden CSRF token"""
    form = _fetch_form(client, framework)
    assert form.csrf_field, (
        f"The form on {NEW_URL} has no hidden field with a CSRF token (hidden fields found: "
        f"{sorted(form.hidden) or 'none'}). {_token_advice(framework)}"
    )
    assert form.hidden[form.csrf_field], (
        f"The hidden field {form.csrf_field!r} on {NEW_URL} is empty: it should hold the token. "
        f"{_token_advice(framework)}"
    )


def test_valid_title_redirects_to_the_list(client, framework):
    """Submitting a title redirects to /todos/ (Post/Redirect/Get)"""
    title = _unique()
    response = _submit(client, framework, title)
    if response.status_code == 200:
        raise AssertionError(
            f"POST {NEW_URL} with title={title!r} answered 200 with a page, expected a redirect (302) to "
            f"{LIST_URL}. If the form was valid, return a redirect instead of rendering a page, so that "
            "reloading does not send the form again; if it was not, check its validators. "
            f"Your page: {_snippet(page_text(response.text))!r}"
        )
    assert response.status_code in (302, 303), (
        f"POST {NEW_URL} with title={title!r} answered {response.status_code}, expected a redirect "
        f"(302 Found) to {LIST_URL}. {_refusal_advice(response, framework)}"
    )
    location = urlparse(response.headers.get("Location", "")).path
    assert location == LIST_URL, (
        f"POST {NEW_URL} redirected to {response.headers.get('Location')!r}, expected {LIST_URL}: "
        "after adding a todo, send the browser back to the list."
    )


def test_new_todo_is_listed(client, framework):
    """The new todo appears on /todos/"""
    title = _unique()
    response = _submit(client, framework, title)
    assert response.status_code < 400, (
        f"POST {NEW_URL} with title={title!r} answered {response.status_code}, so nothing was added. "
        f"{_refusal_advice(response, framework)}"
    )
    assert _listed(client, title), (
        f"After POST {NEW_URL} with title={title!r}, GET {LIST_URL} does not show that title. "
        "Does your view store it with add_todo() before redirecting?"
    )


def test_empty_title_shows_an_error(client, framework):
    """An empty title shows the form again with "This field is required." """
    response = _submit(client, framework, "")
    validator = "DataRequired()" if framework == "flask" else "required=True (the default)"
    assert response.status_code not in REDIRECTS, (
        f"POST {NEW_URL} with an empty title was accepted (it answered {response.status_code}, a redirect). "
        f"A todo needs a title: give the title field {validator} in {_files(framework)[1]}, and redirect "
        "only when the form is valid."
    )
    assert response.status_code in (200, 400, 422), (
        f"POST {NEW_URL} with an empty title answered {response.status_code}, expected the form again "
        f"(200) with an error message. {_refusal_advice(response, framework)}"
    )
    assert find_form(response.text, field="title") is not None, (
        f"POST {NEW_URL} with an empty title should show the form again so it can be corrected, "
        f"but the page has no form with a title field: render the same template when the form is invalid. "
        f"Your page: {_snippet(page_text(response.text))!r}"
    )
    assert REQUIRED in page_text(response.text), (
        f"POST {NEW_URL} with an empty title showed the form again, but without the message "
        f"{REQUIRED!r}. Give the title field {validator} in {_files(framework)[1]}, render the form "
        f"that was validated (a new, empty one has no errors), and show form.title.errors in "
        f"{_files(framework)[2]}. Your page: {_snippet(page_text(response.text))!r}"
    )


def test_too_long_title_is_refused_and_kept(client, framework):
    """A title over 100 characters is refused, and what was typed is kept"""
    title = _unique("Too long").ljust(MAX_LENGTH + 1, "x")
    response = _submit(client, framework, title)
    validator = "Length(max=100)" if framework == "flask" else "max_length=100"
    assert response.status_code not in REDIRECTS, (
        f"POST {NEW_URL} with a title of {len(title)} characters was accepted (it answered "
        f"{response.status_code}, a redirect). Limit titles to {MAX_LENGTH} characters: give the title "
        f"field {validator} in {_files(framework)[1]}. (A maxlength in the HTML does not count: anyone can "
        "send a request without a browser.)"
    )
    assert response.status_code in (200, 400, 422), (
        f"POST {NEW_URL} with a title of {len(title)} characters answered {response.status_code}, "
        f"expected the form again (200) with an error message. {_refusal_advice(response, framework)}"
    )
    text = page_text(response.text)
    assert f"{MAX_LENGTH} characters" in text, (
        f"POST {NEW_URL} with a title of {len(title)} characters showed no error that mentions "
        f'"{MAX_LENGTH} characters". Give the title field {validator} in {_files(framework)[1]}, render the '
        f"form that was validated (a new, empty one has no errors), and show form.title.errors in "
        f"{_files(framework)[2]}. Your page: {_snippet(text)!r}"
    )
    form = find_form(response.text, field="title")
    kept = form.fields.get("title") if form else None
    assert kept == title, (
        f"The form shown again after the too-long title should still hold what was typed, "
        f"so it can be shortened rather than retyped; its title field holds {kept!r}. Render the "
        f"bound form (the one that was validated), not a new empty one."
    )
    assert not _listed(client, title), (
        f"The too-long title {title[:20]!r}… was refused, yet it appears on {LIST_URL}: "
        "store a todo only when the form is valid."
    )


def test_post_without_csrf_token_is_refused(client, framework):
    """A POST without the CSRF token is refused (400 or 403)"""
    form = _fetch_form(client, framework)
    title = _unique("Forged")
    data = {name: value for name, value in form.filled(title=title).items() if "csrf" not in name.lower()}
    response = client.post(urljoin(NEW_URL, form.action), data=data, allow_redirects=False)
    if framework == "django":
        advice = (
            "Django's CsrfViewMiddleware answers such a request with 403 Forbidden before your view runs: "
            "keep it in MIDDLEWARE in todo/settings.py, and do not mark todo_new() with @csrf_exempt."
        )
    else:
        advice = (
            "Flask has no CSRF protection of its own. Add CSRFProtect(app) (from flask_wtf.csrf) in app.py: "
            "it refuses every POST without a valid token with 400 Bad Request. A FlaskForm alone only makes "
            "validate_on_submit() return False, and the view then answers as if the title were wrong."
        )
    if response.status_code == 405:
        advice = f"The view does not accept POST yet (405 Method Not Allowed). {_post_advice(framework)}"
    assert response.status_code in (400, 403), (
        f"POST {NEW_URL} with title={title!r} but without the CSRF token answered "
        f"{response.status_code}, expected it to be refused with 400 Bad Request (Flask-WTF) or "
        f"403 Forbidden (Django). {advice}"
    )
    assert not _listed(client, title), (
        f"POST {NEW_URL} without a CSRF token was refused, yet {title!r} appears on {LIST_URL}."
    )
