"""Hidden tests for the capstone, step 2: signing in, and writing and editing posts with
a form. Black-box HTTP checks, shared by the Flask and the Django exercise.

The users alice and bob come from the setup step. Checking a password is slow on
purpose (Django's PBKDF2 most of all), so each is signed in once, on first use, and that
session is reused; the tests that need a sign-in of their own make a new session."""

import os
import re
import uuid
from urllib.parse import parse_qs, urlsplit

from duet_harness.client import AppClient
from duet_harness.html import find_form, forms, page_text

PASSWORDS = {"alice": "alice-writes-2026", "bob": "bob-writes-2026"}
SEEDED = {"alice": "Hello, Duet", "bob": "Why I write tests first"}  # one post of each
POST_PAGE = re.compile(r'href="(?:https?://[^/"]+)?(/posts/(\d+)/)"[^>]*>\s*([^<]*?)\s*<')

_sessions = {}


def _snippet(text, limit=200):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _new_session():
    """A browser of its own: a session with no cookies yet."""
    return AppClient(os.environ["DUET_APP_URL"], float(os.environ.get("DUET_REQUEST_TIMEOUT", "5")))


def _crashed(status, framework):
    if status < 500:
        return ""
    advice = " Your app raised an error: read the traceback in your app's log below."
    if framework == "django":
        advice += (
            " NoReverseMatch for 'login' or 'logout' means mysite/urls.py does not route login/ and logout/ with "
            "those names yet."
        )
    else:
        advice += (
            " A BuildError for 'auth.login' means the auth blueprint is not registered; 'current_user' is undefined "
            "until login_manager.init_app(app) runs."
        )
    return advice


def _post_links(session):
    """{title: (path, id)} of the posts linked from the home page."""
    return {title: (path, int(pk)) for path, pk, title in POST_PAGE.findall(session.get("/").text)}


def _seeded(session, author):
    """The path of a post of the setup step written by author."""
    title = SEEDED[author]
    found = _post_links(session)
    assert title in found, f"The home page should link the post {title!r} to /posts/<id>/ (step 1)."
    return found[title][0]


def _sign_in(session, framework, username, password, next_page):
    """Open /login/?next=..., fill in the form, send it; the answer, not followed."""
    url = "/login/?next=" + next_page
    page = session.get(url)
    assert page.status_code == 200, (
        f"GET {url} answered {page.status_code}, expected 200 with the sign-in form."
        f"{_crashed(page.status_code, framework)}"
    )
    form = find_form(page.text, field="username")
    assert form is not None and "password" in form.fields, (
        f"GET {url} has no form with the fields username and password."
    )
    return session.post(
        form.action or url, data=form.filled(username=username, password=password), allow_redirects=False
    )


def _as(name, framework):
    """A session where name is signed in."""
    if name not in _sessions:
        session = _new_session()
        response = _sign_in(session, framework, name, PASSWORDS[name], "/")
        assert response.status_code in (302, 303), (
            f"Signing in as {name!r} with the right password answered {response.status_code}, expected a redirect."
            f"{_crashed(response.status_code, framework)}"
            + (f" The page says: {_snippet(page_text(response.text))!r}" if response.status_code == 200 else "")
        )
        _sessions[name] = session
    return _sessions[name]


def _form(session, url, framework):
    page = session.get(url)
    assert page.status_code == 200, (
        f"GET {url}, signed in, answered {page.status_code}, expected 200 with the post form."
        f"{_crashed(page.status_code, framework)}"
    )
    form = find_form(page.text, field="title")
    assert form is not None and "body" in form.fields, f"GET {url} has no form with the fields title and body."
    return form


def _write(session, framework, url="/posts/new/", **values):
    form = _form(session, url, framework)
    return session.post(form.action or url, data=form.filled(**values), allow_redirects=False)


def test_anonymous_visitors_are_sent_to_sign_in(client, framework):
    """Without signing in, GET /posts/new/ and GET /posts/<id>/edit/ redirect to /login/?next=..."""
    for url in ("/posts/new/", _seeded(client, "alice") + "edit/"):
        response = client.get(url, allow_redirects=False)
        assert response.status_code in (302, 303), (
            f"GET {url} without signing in answered {response.status_code}, expected a redirect to the sign-in "
            "page. "
            + (
                "Flask-Login answers 401 when it does not know the login view: set login_manager.login_view."
                if response.status_code == 401
                else _crashed(response.status_code, framework) or "Protect the view with @login_required."
            )
        )
        target = urlsplit(response.headers.get("Location", ""))
        assert target.path == "/login/" and parse_qs(target.query).get("next") == [url], (
            f"GET {url} redirected to {response.headers.get('Location')!r}, expected /login/?next={url}. "
            + ('Set LOGIN_URL = "login" in mysite/settings.py.' if framework == "django" else "")
        )


def test_a_user_signs_in_and_lands_on_next(framework):
    """Signing in at /login/?next=/posts/new/ with the right password redirects to /posts/new/"""
    session = _new_session()
    response = _sign_in(session, framework, "alice", PASSWORDS["alice"], "/posts/new/")
    assert response.status_code in (302, 303), (
        f"Signing in as 'alice' with the right password answered {response.status_code}, expected a redirect to "
        f"/posts/new/.{_crashed(response.status_code, framework)}"
        + (f" The page says: {_snippet(page_text(response.text))!r}" if response.status_code == 200 else "")
    )
    assert urlsplit(response.headers["Location"]).path == "/posts/new/", (
        f"After signing in from /login/?next=/posts/new/, the app redirected to {response.headers['Location']!r}, "
        "expected /posts/new/, the page in next."
    )
    page = session.get("/posts/new/", allow_redirects=False)
    assert page.status_code == 200, (
        f"After signing in, GET /posts/new/ answered {page.status_code}, expected 200 with the form: the sign-in "
        "did not last to the next request."
    )


def test_a_wrong_password_is_refused_with_a_message(framework):
    """Signing in with a wrong password shows the form again with a message, and signs no one in"""
    session = _new_session()
    response = _sign_in(session, framework, "alice", "not-her-password", "/posts/new/")
    assert response.status_code == 200, (
        f"Signing in as 'alice' with a wrong password answered {response.status_code}, expected 200: the sign-in "
        f"page again, with a message.{_crashed(response.status_code, framework)}"
    )
    text = page_text(response.text)
    assert re.search(r"correct|invalid|wrong", text, re.IGNORECASE), (
        f'After a wrong password the page should say so ("Invalid username or password."); it says: {_snippet(text)!r}'
    )
    still_out = session.get("/posts/new/", allow_redirects=False)
    assert still_out.status_code in (302, 303), (
        f"After a wrong password, GET /posts/new/ answered {still_out.status_code} instead of a redirect to sign in."
    )


def test_signing_in_never_leads_to_another_site(framework):
    """Signing in from /login/?next=<another site> redirects within the blog, and signing out works"""
    for evil in ("https://evil.example/", "//evil.example/"):
        session = _new_session()
        response = _sign_in(session, framework, "bob", PASSWORDS["bob"], evil)
        assert response.status_code in (302, 303), (
            f"Signing in as 'bob' from /login/?next={evil} answered {response.status_code}, expected a redirect."
            f"{_crashed(response.status_code, framework)}"
        )
        location = response.headers["Location"]
        target = urlsplit(location)
        assert (
            target.netloc in ("", urlsplit(os.environ["DUET_APP_URL"]).netloc)
            and location.startswith(("/", os.environ["DUET_APP_URL"]))
            and not location.startswith("//")
        ), (
            f"Signing in from /login/?next={evil} redirected to {location!r}: a link to your sign-in page would send "
            "your users to another site, signed in and trusting it. Follow next only when it is a path on your "
            "site (not https://…, not //host/…); else go to the home page."
        )
    page = session.get("/")
    form = next(
        (f for f in forms(page.text) if urlsplit(f.action).path.rstrip("/") == "/logout" and f.method == "post"),
        None,
    )
    assert form is not None, "Signed in, the home page should have a form that posts to /logout/ (a Sign out button)."
    session.post(form.action, data=form.filled())
    after = session.get("/posts/new/", allow_redirects=False)
    assert after.status_code in (302, 303), (
        f"After posting the sign-out form, GET /posts/new/ answered {after.status_code}: the user is still signed in."
    )


def test_an_author_writes_a_post(framework):
    """Signed in, the form at /posts/new/ creates a post by its author and redirects to its page"""
    session = _as("alice", framework)
    title, body = f"Notes {uuid.uuid4().hex[:8]}", f"Written in the capstone {uuid.uuid4().hex[:8]}."
    response = _write(session, framework, title=title, body=body)
    assert response.status_code in (302, 303), (
        f"Posting the form at /posts/new/ with a title and a body answered {response.status_code}, expected a "
        f"redirect to the new post's page.{_crashed(response.status_code, framework)}"
        + (f" The page says: {_snippet(page_text(response.text))!r}" if response.status_code == 200 else "")
    )
    url = urlsplit(response.headers["Location"]).path
    assert re.fullmatch(r"/posts/\d+/", url), (
        f"After creating a post, the app redirected to {url!r}, expected /posts/<id>/."
    )
    text = page_text(session.get(url).text)
    assert title in text and body in text and "alice" in text, (
        f"GET {url} should show the new post's title {title!r}, its body and its author 'alice' (the signed-in "
        f"user, not a field of the form). It says: {_snippet(text)!r}"
    )
    first = next(iter(_post_links(session)), None)
    assert first == title, f"The newest post should come first on GET /; the first is {first!r}, expected {title!r}."


def test_a_post_without_the_csrf_token_is_refused(framework):
    """Posting the new-post form without its CSRF token is refused and creates nothing"""
    session = _as("alice", framework)
    form = _form(session, "/posts/new/", framework)
    title = f"Forged {uuid.uuid4().hex[:8]}"
    data = {k: v for k, v in form.filled(title=title, body="From another site.").items() if "csrf" not in k.lower()}
    response = session.post(form.action or "/posts/new/", data=data, allow_redirects=False)
    assert title not in _post_links(session), (
        f"A POST to /posts/new/ without the CSRF token (answered {response.status_code}) created the post {title!r}: "
        "any site could make your users post. "
        + (
            "Keep CsrfViewMiddleware and never mark the view @csrf_exempt."
            if framework == "django"
            else "Call csrf.init_app(app) in create_app()."
        )
    )
    assert response.status_code in (400, 403), (
        f"A POST to /posts/new/ without the CSRF token answered {response.status_code}, expected 400 or 403."
    )


def test_bad_input_is_refused_with_a_message(framework):
    """An empty or blank title, a title over 200 characters, or an empty body shows the form again with a message"""
    session = _as("alice", framework)
    before = len(_post_links(session))
    cases = [
        ({"title": "", "body": "A body."}, "an empty title", r"required"),
        ({"title": "   ", "body": "A body."}, "a title of spaces", r"required"),
        ({"title": "A title", "body": ""}, "an empty body", r"required"),
        ({"title": "x" * 201, "body": "A body."}, "a title of 201 characters", r"200"),
    ]
    for values, what, message in cases:
        response = _write(session, framework, **values)
        assert response.status_code == 200, (
            f"Posting the form at /posts/new/ with {what} answered {response.status_code}, expected 200: the form "
            f"again, with a message, and no post.{_crashed(response.status_code, framework)}"
        )
        text = page_text(response.text)
        assert re.search(message, text, re.IGNORECASE), (
            f"After posting {what}, the form should say what is wrong (a message with {message!r} in it, such as "
            f'"This field is required." or one about 200 characters); the page says: {_snippet(text)!r}. '
            + (
                "Show each field's errors in the template."
                if framework == "django"
                else "Use DataRequired() and Length(max=200): InputRequired() lets a title of spaces through."
            )
        )
    assert len(_post_links(session)) == before, "A form with bad input created a post anyway."


def test_an_author_edits_their_own_post(framework):
    """The author's form at /posts/<id>/edit/ shows the post, and saving it changes it"""
    session = _as("alice", framework)
    url = _seeded(session, "alice")
    form = _form(session, url + "edit/", framework)
    assert form.fields.get("title") == SEEDED["alice"], (
        f"GET {url}edit/ should show the form filled with the post's title {SEEDED['alice']!r}; the title box holds "
        f"{form.fields.get('title')!r}."
    )
    title = f"Hello again {uuid.uuid4().hex[:8]}"
    response = session.post(form.action or url + "edit/", data=form.filled(title=title), allow_redirects=False)
    assert response.status_code in (302, 303) and urlsplit(response.headers.get("Location", "")).path == url, (
        f"Posting the edit form at {url}edit/ answered {response.status_code} "
        f"{response.headers.get('Location', '')!r}, expected a redirect to {url}.{_crashed(response.status_code, framework)}"
    )
    text = page_text(session.get(url).text)
    assert title in text, f"After the edit, GET {url} should show the new title {title!r}; it says: {_snippet(text)!r}"
    SEEDED["alice"] = title


def test_nobody_else_may_edit_a_post(framework):
    """Another signed-in user gets 403 at /posts/<id>/edit/, for GET and POST alike, and the post stays as it was"""
    session = _as("alice", framework)
    url = _seeded(session, "bob")
    response = session.get(url + "edit/", allow_redirects=False)
    assert response.status_code == 403, (
        f"GET {url}edit/ (a post of bob's) as alice answered {response.status_code}, expected 403 Forbidden. "
        + (
            "Compare post.author with request.user and raise PermissionDenied."
            if framework == "django"
            else "Compare post.author_id with current_user.id and abort(403)."
        )
    )
    form = _form(session, "/posts/new/", framework)  # a valid CSRF token of alice's session
    response = session.post(
        url + "edit/", data=form.filled(title="Taken over", body="By alice."), allow_redirects=False
    )
    assert response.status_code == 403, (
        f"POST {url}edit/ (a post of bob's) as alice answered {response.status_code}, expected 403 Forbidden: the "
        "check must come before the form is saved, for POST as for GET."
    )
    text = page_text(session.get(url).text)
    assert "Taken over" not in text and SEEDED["bob"] in text, (
        f"After alice's POST to {url}edit/, bob's post was changed: {_snippet(text)!r}"
    )


def test_editing_an_unknown_post_is_not_found(framework):
    """GET /posts/999999/edit/, signed in, answers 404"""
    response = _as("alice", framework).get("/posts/999999/edit/", allow_redirects=False)
    assert response.status_code == 404, (
        f"GET /posts/999999/edit/ (no such post), signed in, answered {response.status_code}, expected 404."
        f"{_crashed(response.status_code, framework)}"
    )
