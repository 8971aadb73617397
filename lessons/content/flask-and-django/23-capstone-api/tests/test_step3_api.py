"""Hidden tests for the capstone, step 3: the blog's JSON API. Black-box HTTP checks,
shared by the Flask and the Django exercise.

The setup step gives alice and bob each an API token; the tests send it as
"Authorization: Token <key>" and never sign in with a password. The first test reads
the twelve posts of the setup step before any other test adds one."""

import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from duet_harness.html import page_text

TOKENS = {
    "alice": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
    "bob": "6d7c3e0f2b8a41c59e1d0a7b3c6f9e2d4a8b1c5e",
}
# The posts of the setup step, newest first, with their authors and dates (UTC).
NEWEST_FIRST = [
    ("Shipping it", "bob", "2026-02-05T17:20:00"),
    ("Paginating a list", "alice", "2026-02-02T13:00:00"),
    ("Blueprints or apps?", "bob", "2026-01-28T11:00:00"),
    ("Sessions and cookies", "bob", "2026-01-25T09:30:00"),
    ("Forms and CSRF", "bob", "2026-01-20T12:00:00"),
    ("The admin site", "alice", "2026-01-18T16:45:00"),
    ("A week with SQLite", "bob", "2026-01-15T18:00:00"),
    ("Migrations, explained", "alice", "2026-01-12T10:00:00"),
    ("Why I write tests first", "bob", "2026-01-10T14:30:00"),
    ("Templates without tears", "alice", "2026-01-07T08:15:00"),
    ("Hello, Duet", "alice", "2026-01-03T09:00:00"),
    ("An old post, imported", "alice", "2025-12-20T07:00:00"),
]
PAGE_SIZE = 5
FIELDS = {"id", "title", "body", "author", "published"}
SECRET_WORDS = ("password", "email", "token")
LIST = "/api/posts/"


def _where(framework, flask, django):
    return flask if framework == "flask" else django


def _snippet(text, limit=200):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _call(client, method, path, who=None, token=None, json=None):
    """One API request, as alice or bob (their token), with a token given, or with none."""
    headers = {"Accept": "application/json"}
    if who is not None:
        token = TOKENS[who]
    if token is not None:
        headers["Authorization"] = f"Token {token}"
    return client.request(method, path, headers=headers, json=json, allow_redirects=False)


def _json(response, what):
    try:
        return response.json()
    except ValueError:
        raise AssertionError(
            f"{what} answered {response.status_code} with {response.headers.get('Content-Type')!r}, not JSON: "
            f"{_snippet(page_text(response.text) if '<' in response.text else response.text)!r}"
        ) from None


def _crashed(response, framework):
    if response.status_code < 500:
        return ""
    return " Your app raised an error: read the traceback in your app's log below." + _where(
        framework,
        " Is @auth.login_required on this method? Without it auth.current_user() is None.",
        "",
    )


def _page(client, framework, url):
    response = client.get(url, headers={"Accept": "application/json"}, allow_redirects=False)
    assert response.status_code == 200, (
        f"GET {url} answered {response.status_code}, expected 200 with a page of posts."
        + (
            _where(
                framework,
                " Route /posts/ on the api blueprint (its url_prefix is /api) with bp.add_url_rule().",
                " Route posts/ in blog/api_urls.py (mysite/urls.py includes it under api/).",
            )
            if response.status_code == 404
            else _crashed(response, framework)
        )
    )
    data = _json(response, f"GET {url}")
    assert isinstance(data, dict) and {"count", "next", "previous", "results"} <= set(data), (
        f"GET {url} should answer a page as {{'count': …, 'next': …, 'previous': …, 'results': […]}} "
        f"(PageNumberPagination's shape); it answered {_snippet(data)!r}."
        + _where(
            framework,
            "",
            " A plain list means the list is not paginated: DEFAULT_PAGINATION_CLASS needs PAGE_SIZE too.",
        )
    )
    return data


def _titles(data):
    return [post.get("title") for post in data["results"]]


def _find(client, framework, title):
    """The JSON of the post with this title, looked up through the list."""
    url = LIST
    while url:
        data = _page(client, framework, url)
        for post in data["results"]:
            if post.get("title") == title:
                return post
        url = data["next"]
    raise AssertionError(f"The post {title!r} is on no page of GET {LIST}.")


def _create(client, framework, who="alice", **values):
    values = {"title": f"Notes {uuid.uuid4().hex[:8]}", "body": "Written through the API.", **values}
    response = _call(client, "POST", LIST, who=who, json=values)
    assert response.status_code == 201, (
        f"POST {LIST} as {who} (a valid token) with {values!r} answered {response.status_code}, expected 201 "
        f"Created with the new post: {_snippet(response.text)!r}.{_crashed(response, framework)}"
    )
    post = _json(response, f"POST {LIST}")
    assert isinstance(post.get("id"), int), f"POST {LIST} answered {_snippet(post)!r}, which has no integer id."
    return post


def _keys(value, path="post"):
    """Every key of a JSON value and of the objects nested in it, as (path, key)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key
            yield from _keys(inner, f"{path}[{key!r}]")
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner, path)


def _utc(value):
    when = datetime.fromisoformat(value)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def test_the_list_is_paginated_newest_first(client, framework):
    """GET /api/posts/ gives 5 posts a page, newest first, with count, next and previous"""
    seen = []
    url = LIST
    previous_url = None
    for number in (1, 2, 3):
        data = _page(client, framework, url)
        assert data["count"] == len(NEWEST_FIRST), (
            f"GET {url} says count {data['count']!r}; the setup step made {len(NEWEST_FIRST)} posts."
        )
        expected = [title for title, _, _ in NEWEST_FIRST[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]]
        assert _titles(data) == expected, (
            f"Page {number} of the list (GET {url}) has the titles {_titles(data)!r}; expected {expected!r}: "
            f"{PAGE_SIZE} posts a page, the newest first by publication date (not by id)."
            + _where(
                framework,
                " Order by Post.published.desc(), and give db.paginate() per_page=PAGE_SIZE.",
                ' Order the queryset by "-published", and set PAGE_SIZE to 5.',
            )
        )
        seen += _titles(data)
        if number == 1:
            assert data["previous"] is None, f"Page 1 has previous {data['previous']!r}, expected null."
        else:
            back = urlsplit(data["previous"] or "")
            assert back.path == LIST and parse_qs(back.query).get("page", ["1"]) == [str(number - 1)], (
                f"Page {number} has previous {data['previous']!r}, expected the address of page {number - 1} "
                f"({previous_url})."
            )
        if number == 3:
            assert data["next"] is None, f"Page 3 is the last one, but its next is {data['next']!r}, not null."
            break
        ahead = urlsplit(data["next"] or "")
        assert ahead.scheme in ("http", "https") and ahead.netloc, (
            f"Page {number} has next {data['next']!r}, expected the absolute address of page {number + 1} "
            "(http://…/api/posts/?page=…)." + _where(framework, " url_for(..., _external=True) writes one.", "")
        )
        assert ahead.path == LIST and parse_qs(ahead.query).get("page") == [str(number + 1)], (
            f"Page {number} has next {data['next']!r}, expected {LIST}?page={number + 1}."
        )
        previous_url, url = url, f"{ahead.path}?{ahead.query}"
    assert seen == [title for title, _, _ in NEWEST_FIRST]


def test_each_post_has_its_fields_and_no_secrets(client, framework):
    """A post in the list has id, title, body, author (a username) and published (ISO 8601), and nothing secret"""
    data = _page(client, framework, LIST)
    assert data["results"], f"GET {LIST} has no results."
    post = data["results"][0]
    for path, key in _keys(post):
        assert not any(word in str(key).lower() for word in SECRET_WORDS), (
            f"A post in GET {LIST} has the key {key!r} (in {path}): the API shows it to anyone. Show the author "
            "as the username alone."
            + _where(
                framework,
                ' fields.String(attribute="author.username", dump_only=True) does that, not a nested schema of '
                "the whole user.",
                ' serializers.ReadOnlyField(source="author.username") does that, not a nested serializer with '
                'fields = "__all__".',
            )
        )
    assert set(post) >= FIELDS, (
        f"A post in GET {LIST} has the keys {sorted(post)!r}; expected at least {sorted(FIELDS)!r}."
    )
    title, author, published = NEWEST_FIRST[0]
    assert post["author"] == author, (
        f"The post {title!r} has author {post['author']!r}, expected the username {author!r} (a string)."
    )
    try:
        when = _utc(post["published"])
    except (TypeError, ValueError):
        raise AssertionError(
            f"The post {title!r} has published {post['published']!r}, expected a date in ISO 8601 "
            f"({published}, with or without a time zone)."
        ) from None
    assert when == datetime.fromisoformat(published), (
        f"The post {title!r} has published {post['published']!r}, expected {published} (UTC)."
    )
    assert post["body"] == "Waitress, a real secret key and DEBUG off.", (
        f"The post {title!r} has body {post['body']!r}, expected its text from the setup step."
    )


def test_a_page_past_the_end_or_not_a_number_is_not_found(client, framework):
    """GET /api/posts/?page=4, ?page=0 and ?page=abc answer 404 with a JSON detail"""
    for page in ("4", "0", "abc"):
        url = f"{LIST}?page={page}"
        response = _call(client, "GET", url)
        assert response.status_code == 404, (
            f"GET {url} answered {response.status_code}, expected 404: there is no such page of "
            f"{len(NEWEST_FIRST)} posts, {PAGE_SIZE} a page.{_crashed(response, framework)}"
        )
        data = _json(response, f"GET {url}")
        assert isinstance(data, dict) and "detail" in data, (
            f"GET {url} answered 404 with {_snippet(data)!r}; expected JSON such as {{'detail': 'Invalid page.'}}."
        )


def test_one_post_and_an_unknown_one(client, framework):
    """GET /api/posts/<id>/ gives the post; an unknown id answers 404 with a JSON detail"""
    listed = _find(client, framework, "Hello, Duet")
    url = f"{LIST}{listed['id']}/"
    response = _call(client, "GET", url)
    assert response.status_code == 200, (
        f"GET {url} answered {response.status_code}, expected 200 with the post 'Hello, Duet'."
        f"{_crashed(response, framework)}"
    )
    post = _json(response, f"GET {url}")
    assert post.get("title") == "Hello, Duet" and post.get("author") == "alice", (
        f"GET {url} answered {_snippet(post)!r}, expected the post 'Hello, Duet' by 'alice', as in the list."
    )
    url = f"{LIST}999999/"
    response = _call(client, "GET", url)
    assert response.status_code == 404, f"GET {url} (no such post) answered {response.status_code}, expected 404."
    data = _json(response, f"GET {url}")
    assert isinstance(data, dict) and "detail" in data, (
        f"GET {url} answered 404 with {_snippet(data)!r}; expected JSON such as {{'detail': 'Not found.'}}."
    )


def test_writes_without_a_valid_token_are_refused(client, framework):
    """POST, PATCH and DELETE without a token, or with a wrong one, answer 401 with WWW-Authenticate: Token"""
    target = _find(client, framework, "Migrations, explained")
    url = f"{LIST}{target['id']}/"
    wrong = "0" * 40
    attempts = [
        ("POST", LIST, None, {"title": "Anonymous", "body": "No token."}),
        ("POST", LIST, wrong, {"title": "Anonymous", "body": "A wrong token."}),
        ("PATCH", url, None, {"title": "Anonymous"}),
        ("PATCH", url, wrong, {"title": "Anonymous"}),
        ("DELETE", url, None, None),
        ("DELETE", url, wrong, None),
    ]
    for method, path, token, body in attempts:
        what = f"{method} {path} " + ("without a token" if token is None else "with a token no one has")
        response = _call(client, method, path, token=token, json=body)
        assert response.status_code == 401, (
            f"{what} answered {response.status_code}, expected 401 Unauthorized.{_crashed(response, framework)}"
            + _where(
                framework,
                " Put @auth.login_required on every method that writes.",
                " Use TokenAuthentication alone in DEFAULT_AUTHENTICATION_CLASSES (SessionAuthentication first "
                "answers 403), and IsAuthenticatedOrReadOnly.",
            )
            if response.status_code != 401
            else ""
        )
        challenge = response.headers.get("WWW-Authenticate", "")
        assert challenge.split(" ")[0].lower() == "token", (
            f"{what} answered 401 with WWW-Authenticate {challenge!r}; expected 'Token', the scheme a client "
            "must use."
            + _where(framework, ' HTTPTokenAuth(scheme="Token") sends it.', " TokenAuthentication sends it.")
        )
    after = _call(client, "GET", url)
    assert after.status_code == 200 and _json(after, f"GET {url}").get("title") == target["title"], (
        f"After the refused PATCH and DELETE, GET {url} answered {after.status_code} {_snippet(after.text)!r}: "
        "the post was changed or deleted anyway."
    )
    assert "Anonymous" not in _titles(_page(client, framework, LIST)), "A POST without a valid token made a post."


def test_a_client_writes_a_post_with_its_token(client, framework):
    """POST /api/posts/ with alice's token answers 201 with the post by alice; the list and the home page show it"""
    title = f"Through the API {uuid.uuid4().hex[:8]}"
    post = _create(client, framework, title=title, body="Sent as JSON.")
    assert post.get("title") == title and post.get("body") == "Sent as JSON." and post.get("author") == "alice", (
        f"POST {LIST} as alice answered {_snippet(post)!r}, expected the new post with author 'alice'."
    )
    url = f"{LIST}{post['id']}/"
    response = _call(client, "GET", url)
    assert response.status_code == 200 and _json(response, f"GET {url}").get("title") == title, (
        f"GET {url}, the post just made, answered {response.status_code} {_snippet(response.text)!r}."
    )
    first = _page(client, framework, LIST)["results"][0]
    assert first.get("title") == title, (
        f"The newest post should be the first of GET {LIST}; the first is {first.get('title')!r}."
    )
    home = client.get("/")
    assert home.status_code == 200 and title in page_text(home.text), (
        f"GET / answered {home.status_code}; the home page of steps 1 and 2 should still list the posts, the "
        f"new one {title!r} included."
    )


def test_the_author_is_never_taken_from_the_client(client, framework):
    """A client that sends "author": "bob" with alice's token writes alice's post, and cannot hand it to bob"""
    title = f"Signed by bob {uuid.uuid4().hex[:8]}"
    response = _call(client, "POST", LIST, who="alice", json={"title": title, "body": "Really?", "author": "bob"})
    if response.status_code == 201:
        post = _json(response, f"POST {LIST}")
        assert post.get("author") == "alice", (
            f"POST {LIST} with alice's token and 'author': 'bob' made a post by {post.get('author')!r}: the "
            "author must be the token's user, never what the client sends. Make author read-only."
        )
    else:
        assert response.status_code == 400, (
            f"POST {LIST} with alice's token and 'author': 'bob' answered {response.status_code}, expected 201 "
            f"(author ignored) or 400 (author refused).{_crashed(response, framework)}"
        )
        assert title not in _titles(_page(client, framework, LIST)), f"A refused POST made the post {title!r}."
        post = _create(client, framework, title=title)
    url = f"{LIST}{post['id']}/"
    response = _call(client, "PATCH", url, who="alice", json={"author": "bob"})
    assert response.status_code in (200, 400), (
        f"PATCH {url} with alice's token and {{'author': 'bob'}} answered {response.status_code}, expected 200 "
        f"(author ignored) or 400 (author refused).{_crashed(response, framework)}"
    )
    author = _json(_call(client, "GET", url), f"GET {url}").get("author")
    assert author == "alice", (
        f"After PATCH {url} with {{'author': 'bob'}}, the post's author is {author!r}: a client gave its post to "
        "someone else. Make author read-only in the "
        + _where(framework, "schema (dump_only=True).", "serializer (ReadOnlyField).")
    )


def test_bad_input_is_refused_with_the_fields_errors(client, framework):
    """A missing, empty or blank title, one of 201 characters, or an empty body answers 400 with the field's errors"""
    before = _page(client, framework, LIST)["count"]
    cases = [
        ({"body": "No title."}, "no title", "title"),
        ({"title": "", "body": "An empty title."}, "an empty title", "title"),
        ({"title": "   ", "body": "A title of spaces."}, "a title of spaces", "title"),
        ({"title": "x" * 201, "body": "A long title."}, "a title of 201 characters", "title"),
        ({"title": "A title"}, "no body", "body"),
        ({"title": "A title", "body": ""}, "an empty body", "body"),
    ]
    for values, what, field in cases:
        response = _call(client, "POST", LIST, who="alice", json=values)
        assert response.status_code == 400, (
            f"POST {LIST} with {what} answered {response.status_code}, expected 400 Bad Request, as the HTML form "
            f"refuses it.{_crashed(response, framework)}"
            + (
                _where(
                    framework,
                    " validate.Length(max=200) on the title; Length(min=1) alone lets spaces through.",
                    " A title declared as a bare serializers.CharField() loses the model's max_length=200.",
                )
                if response.status_code == 201
                else ""
            )
        )
        errors = _json(response, f"POST {LIST} with {what}")
        assert isinstance(errors, dict) and isinstance(errors.get(field), list) and errors[field], (
            f"POST {LIST} with {what} answered 400 with {_snippet(errors)!r}; expected the errors by field, "
            f"{{'{field}': ['…']}}." + _where(framework, " Answer ValidationError.messages.", "")
        )
    after = _page(client, framework, LIST)["count"]
    assert after == before, f"The refused posts were saved anyway: count went from {before} to {after}."
    _create(client, framework, title="y" * 200)  # the longest title the form takes


def test_the_author_changes_their_post(client, framework):
    """PATCH and PUT with the author's token change the post; a title of 201 characters is refused"""
    post = _create(client, framework)
    url = f"{LIST}{post['id']}/"
    title = f"Patched {uuid.uuid4().hex[:8]}"
    response = _call(client, "PATCH", url, who="alice", json={"title": title})
    assert response.status_code == 200, (
        f"PATCH {url} with the author's token and a new title answered {response.status_code}, expected 200: "
        f"{_snippet(response.text)!r}.{_crashed(response, framework)}"
    )
    changed = _json(_call(client, "GET", url), f"GET {url}")
    assert changed.get("title") == title and changed.get("body") == post["body"], (
        f"After PATCH {url} with only a title, the post is {_snippet(changed)!r}: expected the new title and the "
        "body as it was (PATCH changes the fields sent, and only those)."
    )
    response = _call(client, "PUT", url, who="alice", json={"title": "Put whole", "body": "A new body."})
    assert response.status_code == 200, (
        f"PUT {url} with the author's token, a title and a body answered {response.status_code}, expected 200."
        f"{_crashed(response, framework)}"
    )
    response = _call(client, "PATCH", url, who="alice", json={"title": "z" * 201})
    assert response.status_code == 400, (
        f"PATCH {url} with a title of 201 characters answered {response.status_code}, expected 400: an update "
        "is validated as a new post is."
    )
    now = _json(_call(client, "GET", url), f"GET {url}")
    assert (now.get("title"), now.get("body")) == ("Put whole", "A new body."), (
        f"After the PUT and a refused PATCH, the post is {_snippet(now)!r}; expected title 'Put whole' and body "
        "'A new body.'."
    )


def test_nobody_else_may_change_or_delete_a_post(client, framework):
    """With bob's token, PATCH, PUT and DELETE of alice's post answer 403, and the post stays as it was"""
    post = _create(client, framework, who="alice")
    url = f"{LIST}{post['id']}/"
    attempts = [
        ("PATCH", {"title": "Taken over"}),
        ("PUT", {"title": "Taken over", "body": "By bob."}),
        ("DELETE", None),
    ]
    for method, body in attempts:
        response = _call(client, method, url, who="bob", json=body)
        assert response.status_code == 403, (
            f"{method} {url} (alice's post) with bob's token answered {response.status_code}, expected 403 "
            f"Forbidden: only the author may change or delete a post.{_crashed(response, framework)}"
            + _where(
                framework,
                " Compare post.author_id with auth.current_user().id in every method that writes, DELETE too.",
                " A permission class whose has_object_permission() allows writes to obj.author only, for every "
                "unsafe method, DELETE too.",
            )
        )
    response = _call(client, "GET", url)
    assert response.status_code == 200, f"After bob's refused DELETE, GET {url} answered {response.status_code}."
    now = _json(response, f"GET {url}")
    assert (now.get("title"), now.get("body")) == (post["title"], post["body"]), (
        f"After bob's refused PATCH and PUT, alice's post is {_snippet(now)!r}: it was changed."
    )


def test_the_author_deletes_their_post(client, framework):
    """DELETE with the author's token answers 204, and the post is gone"""
    post = _create(client, framework, who="bob")
    url = f"{LIST}{post['id']}/"
    response = _call(client, "DELETE", url, who="bob")
    assert response.status_code in (200, 204), (
        f"DELETE {url} with the author's token answered {response.status_code}, expected 204 No Content."
        f"{_crashed(response, framework)}"
    )
    response = _call(client, "GET", url)
    assert response.status_code == 404, (
        f"After DELETE {url}, GET {url} answered {response.status_code}, expected 404: the post is still there."
    )
