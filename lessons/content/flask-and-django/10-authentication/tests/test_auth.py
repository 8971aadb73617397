"""Hidden tests for "todos of one's own": registration, login, logout and per-user data.
Black-box HTTP checks, shared by the Flask and the Django exercise.

Hashing a password is slow on purpose, so the two users are registered once (on first
use) and reused; every test that needs a fresh login makes its own session."""

import os
import re
import uuid
from urllib.parse import parse_qs, quote, urlsplit

from duet_harness.client import AppClient
from duet_harness.html import find_form, forms, page_text

_users = {}


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _new_session():
    """A browser of its own: a session with no cookies yet."""
    return AppClient(os.environ["DUET_APP_URL"], float(os.environ.get("DUET_REQUEST_TIMEOUT", "3")))


def _crashed(status, framework):
    """Advice for an error page (500), or nothing."""
    if status < 500:
        return ""
    advice = "Your app raised an error: read the traceback in your app's log below."
    if framework == "django":
        advice += (
            " NoReverseMatch for 'login' or 'logout' means the templates link to URL names that accounts/urls.py "
            "does not define yet."
        )
    return advice


def _where_login(framework):
    if framework == "django":
        return (
            'Does accounts/urls.py route login/ to LoginView.as_view() with name="login", and does '
            'todo/settings.py set LOGIN_URL = "login"?'
        )
    return 'Does login() in app.py log the user in, and is login_manager.login_view = "login"?'


def _fill(form, username, password):
    """The form's own fields with the username, and the password in every other box."""
    typed = {name: password for name in form.fields if name != "username"}
    return form.filled(username=username, **typed)


def _submit(session, framework, url, username, password):
    """Open the page at url, fill in its form, submit it; return the answer (not followed)."""
    page = session.get(url)
    assert page.status_code == 200, (
        f"GET {url} answered {page.status_code}, expected 200. {_crashed(page.status_code, framework)}"
    )
    form = find_form(page.text, field="username")
    assert form is not None, f"GET {url} has no form with a field called username."
    return session.post(form.action or url, data=_fill(form, username, password), allow_redirects=False)


def _user(name, framework):
    """A registered user with one todo, and a session where they are logged in."""
    if name in _users:
        return _users[name]
    user = {"username": f"{name}_{uuid.uuid4().hex[:8]}", "password": f"pw-{uuid.uuid4().hex}"}
    session = _new_session()
    response = _submit(session, framework, "/register/", user["username"], user["password"])
    assert response.status_code in (302, 303), (
        f"Registering the user {user['username']!r} at /register/ answered {response.status_code}, expected a "
        f"redirect to /todos/. {_crashed(response.status_code, framework)}"
    )
    page = session.get("/todos/")
    assert page.status_code == 200, (
        f"Right after registering (which logs the new user in), GET /todos/ answered {page.status_code}, "
        f"expected 200. {_crashed(page.status_code, framework)}"
    )
    user["todo"] = f"Secret of {name} {uuid.uuid4().hex[:8]}"
    form = find_form(page.text, field="title")
    assert form is not None, "GET /todos/ has no form with a field called title to add a todo."
    added = session.post(form.action or "/todos/", data=form.filled(title=user["todo"]))
    assert added.status_code == 200 and user["todo"] in page_text(added.text), (
        f"After {user['username']!r} adds the todo {user['todo']!r}, the todo list should show it; "
        f"it answered {added.status_code}: {_snippet(page_text(added.text))!r}. {_crashed(added.status_code, framework)}"
    )
    found = re.search(r'<a\s[^>]*href="(/todos/\d+/)"[^>]*>\s*' + re.escape(user["todo"]), added.text)
    assert found, f"The todo list does not link {user['todo']!r} to its page /todos/<id>/."
    user["todo_url"] = found.group(1)
    user["session"] = session
    _users[name] = user
    return user


def _log_in(session, framework, username, password, next_page):
    return _submit(session, framework, "/login/?next=" + next_page, username, password)


def test_anonymous_visitors_are_sent_to_the_login_page(client, framework):
    """GET /todos/ without logging in redirects to /login/?next=/todos/"""
    response = client.get("/todos/", allow_redirects=False)
    assert response.status_code in (302, 303), (
        f"GET /todos/ without logging in answered {response.status_code}, expected a redirect to the login page. "
        + (
            "Flask-Login answers 401 when it does not know the login view: set login_manager.login_view."
            if response.status_code == 401
            else _crashed(response.status_code, framework) or "Protect the view with @login_required."
        )
    )
    target = urlsplit(response.headers.get("Location", ""))
    assert target.path == "/login/" and parse_qs(target.query).get("next") == ["/todos/"], (
        f"GET /todos/ redirected to {response.headers.get('Location')!r}, expected /login/?next=/todos/, so the "
        "user comes back to the page they wanted after logging in. "
        + (
            'Set LOGIN_URL = "login" in todo/settings.py.'
            if framework == "django"
            else 'Set login_manager.login_view = "login".'
        )
    )


def test_a_new_user_is_logged_in_and_sees_their_todos(framework):
    """Registering at /register/ logs the new user in, and their todo list shows what they add"""
    alice = _user("alice", framework)
    page = alice["session"].get("/todos/")
    assert alice["todo"] in page_text(page.text) and alice["username"] in page_text(page.text), (
        f"GET /todos/ as {alice['username']!r} should show their name and their todo {alice['todo']!r}. "
        f"It says: {_snippet(page_text(page.text))!r}"
    )


def test_a_user_can_log_in_with_their_password(framework):
    """Logging in at /login/?next=/todos/ with the right password leads to the todo list"""
    alice = _user("alice", framework)
    session = _new_session()
    response = _log_in(session, framework, alice["username"], alice["password"], "/todos/")
    if response.status_code == 200:
        detail = f"The page says: {_snippet(page_text(response.text))!r}."
    else:
        detail = _crashed(response.status_code, framework) or _where_login(framework)
    if framework == "flask":
        detail += " Check the password with user.check_password(), then call login_user(user)."
    assert response.status_code in (302, 303), (
        f"Logging in as {alice['username']!r} with the right password answered {response.status_code}, expected a "
        f"redirect to /todos/. {detail}"
    )
    assert urlsplit(response.headers["Location"]).path == "/todos/", (
        f"After logging in from /login/?next=/todos/, the app redirected to {response.headers['Location']!r}, "
        "expected /todos/, the page in next."
    )
    page = session.get("/todos/", allow_redirects=False)
    assert page.status_code == 200 and alice["todo"] in page_text(page.text), (
        f"After logging in, GET /todos/ answered {page.status_code} without {alice['todo']!r}: the login did not "
        "last to the next request. "
        + ("Call login(request, user), or use LoginView." if framework == "django" else "Call login_user(user).")
    )


def test_a_wrong_password_is_refused_with_a_message(framework):
    """Logging in with a wrong password stays on the login page, says why, and logs no one in"""
    alice = _user("alice", framework)
    session = _new_session()
    response = _log_in(session, framework, alice["username"], "not-" + alice["password"], "/todos/")
    assert response.status_code == 200, (
        f"Logging in as {alice['username']!r} with a wrong password answered {response.status_code}, expected "
        f"200: the login page again, with a message. {_crashed(response.status_code, framework)}"
    )
    text = page_text(response.text)
    assert re.search(r"correct|invalid|wrong", text, re.IGNORECASE), (
        'After a wrong password, the login page should say so (such as "Invalid username or password."); '
        f"it says: {_snippet(text)!r}"
    )
    still_out = session.get("/todos/", allow_redirects=False)
    assert still_out.status_code in (302, 303), (
        f"After a wrong password, GET /todos/ answered {still_out.status_code} instead of a redirect to the login "
        "page: either the wrong password logged the user in, or /todos/ is not protected yet (see the first check)."
    )


def test_each_user_sees_only_their_own_todos(framework):
    """The todo list shows the logged-in user's todos and nobody else's"""
    alice, bob = _user("alice", framework), _user("bob", framework)
    text = page_text(bob["session"].get("/todos/").text)
    assert bob["todo"] in text, f"GET /todos/ as {bob['username']!r} should show their todo {bob['todo']!r}."
    assert alice["todo"] not in text, (
        f"GET /todos/ as {bob['username']!r} shows {alice['todo']!r}, a todo of {alice['username']!r}. "
        + (
            "List request.user's todos only: Todo.objects.filter(owner=request.user)."
            if framework == "django"
            else "List the current user's todos only: filter by owner_id=current_user.id."
        )
    )


def test_another_users_todo_page_is_not_found(framework):
    """GET /todos/<id>/ for another user's todo answers 404"""
    alice, bob = _user("alice", framework), _user("bob", framework)
    own = bob["session"].get(bob["todo_url"], allow_redirects=False)
    assert own.status_code == 200, f"GET {bob['todo_url']} as its owner answered {own.status_code}, expected 200."
    response = bob["session"].get(alice["todo_url"], allow_redirects=False)
    assert response.status_code == 404, (
        f"GET {alice['todo_url']} (a todo of {alice['username']!r}) as {bob['username']!r} answered "
        f"{response.status_code}, expected 404: a user must not reach someone else's todo by typing its URL. "
        + (
            "Look it up with get_object_or_404(Todo, id=todo_id, owner=request.user)."
            if framework == "django"
            else "Look it up with the owner too: filter_by(id=todo_id, owner_id=current_user.id)."
        )
    )


def test_logging_out_ends_the_session(framework):
    """Logging out with the form's POST to /logout/ ends the session"""
    bob = _user("bob", framework)
    session = _new_session()
    logged_in = _log_in(session, framework, bob["username"], bob["password"], "/todos/")
    assert logged_in.status_code in (302, 303), (
        f"Logging in as {bob['username']!r} answered {logged_in.status_code}, expected a redirect. "
        f"{_where_login(framework)}"
    )
    page = session.get("/todos/")
    form = next((f for f in forms(page.text) if f.action.endswith("/logout/")), None)
    assert form is not None and form.method == "post", (
        "The todo list should have a form that logs out with POST /logout/ (a link would be a GET, which "
        f"another site could trigger). Its forms post to: {[f.action for f in forms(page.text)]}"
    )
    response = session.post(form.action, data=form.filled(), allow_redirects=False)
    if framework == "django":
        detail = (
            'Route logout/ to LogoutView.as_view() and set LOGOUT_REDIRECT_URL = "login": without it, LogoutView '
            "renders registration/logged_out.html, which this project does not have (TemplateDoesNotExist)."
        )
    else:
        detail = "logout() should call logout_user() and redirect."
    assert response.status_code in (302, 303), (
        f"POST /logout/ answered {response.status_code}, expected a redirect. "
        + " ".join(filter(None, [_crashed(response.status_code, framework), detail]))
    )
    after = session.get("/todos/", allow_redirects=False)
    assert after.status_code in (302, 303), (
        f"After logging out, GET /todos/ answered {after.status_code}, expected a redirect to the login page."
    )


def test_a_todo_page_needs_a_login_too(framework):
    """GET /todos/<id>/ without logging in redirects to the login page, as /todos/ does"""
    alice = _user("alice", framework)
    response = _new_session().get(alice["todo_url"], allow_redirects=False)
    assert response.status_code in (302, 303), (
        f"GET {alice['todo_url']} (a todo's page) without logging in answered {response.status_code}, expected a "
        "redirect to the login page: every todo page needs a login, not only the list. "
        + (_crashed(response.status_code, framework) + " " if response.status_code >= 500 else "")
        + "Put @login_required on the todo page's view too"
        + ("." if framework == "django" else ", under its @app.get line.")
    )
    target = urlsplit(response.headers.get("Location", ""))
    assert target.path == "/login/" and parse_qs(target.query).get("next") == [alice["todo_url"]], (
        f"GET {alice['todo_url']} without logging in redirected to {response.headers.get('Location')!r}, expected "
        f"/login/?next={alice['todo_url']}."
    )


# Both are read by browsers as a URL on another site: the full URL, and a
# scheme-relative one, which starts with a slash. (Each login hashes the password,
# slow on purpose, so the checks try these two.)
_UNSAFE_NEXT = ["https://evil.example/", "//evil.example/"]


def test_login_does_not_redirect_to_another_site(framework):
    """Logging in from /login/?next=<another site> stays on this site, whichever way next is written"""
    alice = _user("alice", framework)
    for unsafe in _UNSAFE_NEXT:
        session = _new_session()
        response = _log_in(session, framework, alice["username"], alice["password"], quote(unsafe, safe=""))
        assert response.status_code in (302, 303), (
            f"Logging in as {alice['username']!r} from /login/?next={unsafe} answered {response.status_code}, "
            f"expected a redirect. {_where_login(framework)}"
        )
        location = response.headers["Location"]
        assert "evil.example" not in location, (
            f"Logging in from /login/?next={unsafe} redirected to {location!r}: an open redirect, which lets "
            "anyone send your users to their site right after they trust yours. "
            + (
                "LoginView checks next for you; keep it."
                if framework == "django"
                else (
                    "A next that starts with a slash is not always a path on this site: browsers read "
                    '"//evil.example/" and "/\\evil.example/" as another site. '
                    if unsafe.startswith("/")
                    else ""
                )
                + 'Only follow a next that is a path on this site: use safe_next_url(request.args.get("next")).'
            )
        )
        assert urlsplit(location).path == "/todos/", (
            f"With an unsafe next ({unsafe}), logging in should lead to the todo list, /todos/, but it redirected "
            f"to {location!r}. " + ('Set LOGIN_REDIRECT_URL = "todos:index".' if framework == "django" else "")
        )
