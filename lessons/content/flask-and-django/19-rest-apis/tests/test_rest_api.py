"""Hidden tests for "A bookmarks API with owners" (Flask and Django REST framework).

Black box, over HTTP, against the seeded data: twelve bookmarks (ids 1 to 12; alice owns
1, 3, 4, 6, 8, 10 and 12, bob the others) and two users with the tokens below. Lists come
in pages of five in DRF's shape; writing needs "Authorization: Token <key>"; only a
bookmark's owner may change or delete it; titles and links are validated. The tests may
run in any order: they create their own bookmarks and never delete a seeded one."""

from urllib.parse import urlsplit

ALICE = {"Authorization": "Token alice-token-2026"}
BOB = {"Authorization": "Token bob-token-2026"}
LIST = "/api/bookmarks/"
PAGE_SIZE = 5
SEEDED_OWNERS = {1: "alice", 2: "bob", 3: "alice", 4: "alice", 5: "bob"}


def _where(framework, flask, django):
    return flask if framework == "flask" else django


def _json(response, what):
    try:
        return response.json()
    except ValueError:
        raise AssertionError(
            f"{what} answered {response.status_code} with a body that is not JSON "
            f"(Content-Type {response.headers.get('Content-Type')!r}): {response.text[:200]!r}. An API answers "
            f"JSON, its errors too."
        ) from None


def _detail(response, what):
    body = _json(response, what)
    assert isinstance(body, dict) and isinstance(body.get("detail"), str), (
        f'{what} answered {response.status_code} with {body!r}; expected an error in DRF\'s shape, {{"detail": "..."}}.'
    )


def _no_route(response, framework):
    """Advice for a 404 where the API should be."""
    if response.status_code != 404:
        return " The app's log says why."
    return _where(
        framework,
        ' Add the two URL rules to bp in bookmarks/api.py: bp.add_url_rule("/bookmarks/", view_func=...).',
        ' Register the viewset in bookmarks/urls.py: router.register("bookmarks", BookmarkViewSet).',
    )


def _count(client, framework=""):
    response = client.get(LIST)
    assert response.status_code == 200, (
        f"GET {LIST} answered {response.status_code}, expected 200.{_no_route(response, framework)}"
    )
    return _json(response, f"GET {LIST}")["count"]


def _path(url):
    """The path and query of an absolute link, to follow it on the app under test."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _page(client, path, framework=""):
    response = client.get(path)
    assert response.status_code == 200, (
        f"GET {path} answered {response.status_code}, expected 200.{_no_route(response, framework)}"
    )
    body = _json(response, f"GET {path}")
    assert isinstance(body, dict) and {"count", "next", "previous", "results"} <= body.keys(), (
        f"GET {path} answered {str(body)[:300]}; expected a page in DRF's shape: "
        f'{{"count": ..., "next": ..., "previous": ..., "results": [...]}}.'
    )
    return body


def _absolute(link, what):
    parts = urlsplit(link or "")
    assert parts.scheme in ("http", "https") and parts.netloc, (
        f"{what} is {link!r}; expected an absolute URL (http://host/api/bookmarks/?page=2), as DRF's "
        f"PageNumberPagination gives. "
    )


def _bookmark(body, what):
    assert isinstance(body, dict) and {"id", "title", "link", "owner"} <= body.keys(), (
        f"{what}: {str(body)[:300]}; expected a bookmark with id, title, link and owner (the owner's username)."
    )
    return body


def _create(client, headers, title="A bookmark of the tests", link="https://example.com/page"):
    response = client.post(LIST, json={"title": title, "link": link}, headers=headers)
    assert response.status_code == 201, (
        f"POST {LIST} with a valid token, title {title!r} and link {link!r} answered {response.status_code} "
        f"{response.text[:200]!r}; expected 201 with the new bookmark."
    )
    return _bookmark(_json(response, f"POST {LIST}"), f"POST {LIST} answered")


def test_the_list_comes_five_a_page(client, framework):
    """GET /api/bookmarks/ answers the first 5 bookmarks, oldest first, with count, an absolute next and no previous"""
    body = _page(client, LIST, framework)
    results = body["results"]
    assert len(results) == PAGE_SIZE, (
        f"GET {LIST} has {len(results)} bookmarks in results; expected a page of {PAGE_SIZE}. "
        + _where(framework, "Give db.paginate() per_page=5.", 'Set "PAGE_SIZE": 5 in REST_FRAMEWORK.')
    )
    got = [(_bookmark(item, f"GET {LIST} has")["id"], item["owner"]) for item in results]
    assert got == list(SEEDED_OWNERS.items()), (
        f"GET {LIST} lists (id, owner) {got}; expected the oldest first, by id: {list(SEEDED_OWNERS.items())}, "
        f"with the owner as a username."
    )
    assert body["count"] >= 12, f"GET {LIST} says count {body['count']}; the seed alone has 12 bookmarks."
    assert body["previous"] is None, f"The first page's previous is {body['previous']!r}; expected null."
    _absolute(body["next"], "The first page's next")


def test_next_and_previous_walk_every_page(client, framework):
    """Following next from the first page visits every bookmark once; the last page's next is null; previous goes back"""
    body = _page(client, LIST, framework)
    count, seen, pages = body["count"], [], [body]
    while True:
        seen += [item["id"] for item in body["results"]]
        if body["next"] is None:
            break
        assert len(pages) <= count // PAGE_SIZE + 1, (
            f"After {len(pages)} pages of {count} bookmarks, next is still {body['next']!r}: the last page's "
            f"next must be null." + _where(framework, " Give a next link only when the page has_next.", "")
        )
        _absolute(body["next"], f"Page {len(pages)}'s next")
        following = client.get(_path(body["next"]))
        assert following.status_code == 200, (
            f"Page {len(pages)} has {len(body['results'])} bookmarks and next {body['next']!r}, which answers "
            f"{following.status_code}. The last page's next must be null, and every other next a page that exists."
            + _where(framework, " Give a next link only when the page has_next, from page.next_num.", "")
        )
        body = _page(client, _path(body["next"]))
        pages.append(body)
    sizes = [len(page["results"]) for page in pages]
    last = count - PAGE_SIZE * (len(pages) - 1)
    assert sizes == [PAGE_SIZE] * (len(pages) - 1) + [last] and 1 <= last <= PAGE_SIZE, (
        f"count is {count}, and following next gave pages of {sizes}: expected pages of {PAGE_SIZE}, the last "
        f"with the rest, and then next null."
    )
    assert seen == sorted(set(seen)) and len(seen) == count, (
        f"Following next from page 1 gave the ids {seen}; expected each of the {count} bookmarks once, by id."
    )
    for number in range(1, len(pages)):
        previous = pages[number]["previous"]
        _absolute(previous, f"Page {number + 1}'s previous")
        back = _page(client, _path(previous))
        assert [item["id"] for item in back["results"]] == [item["id"] for item in pages[number - 1]["results"]], (
            f"Page {number + 1}'s previous, {previous!r}, does not lead to page {number}."
        )


def test_a_page_that_does_not_exist_is_a_404(client, framework):
    """?page= past the last page, 0, -1 or not a number answers 404 with {"detail": ...}"""
    past_the_end = -(-_count(client, framework) // PAGE_SIZE) + 1  # the number of pages, plus one
    for page in (past_the_end, 0, -1, "abc"):
        path = f"{LIST}?page={page}"
        response = client.get(path)
        assert response.status_code == 404, (
            f"GET {path} answered {response.status_code}; expected 404, as DRF's PageNumberPagination answers "
            f"a page that does not exist. "
            + _where(framework, "db.paginate() does so unless you pass error_out=False.", "")
        )
        _detail(response, f"GET {path}")


def test_one_bookmark_by_id(client, framework):
    """GET /api/bookmarks/2/ answers bob's bookmark; an unknown id answers 404 with {"detail": ...}"""
    response = client.get(f"{LIST}2/")
    assert response.status_code == 200, (
        f"GET {LIST}2/ answered {response.status_code}, expected 200.{_no_route(response, framework)}"
    )
    body = _bookmark(_json(response, f"GET {LIST}2/"), f"GET {LIST}2/ answered")
    expected = {"id": 2, "title": "Flask documentation", "link": "https://flask.palletsprojects.com/", "owner": "bob"}
    got = {key: body[key] for key in expected}
    assert got == expected, f"GET {LIST}2/ answered {got}; expected {expected}."
    response = client.get(f"{LIST}999999/")
    assert response.status_code == 404, f"GET {LIST}999999/ answered {response.status_code}, expected 404."
    _detail(response, f"GET {LIST}999999/")


def test_writing_without_a_valid_token_is_a_401(client, framework):
    """POST, PATCH and DELETE with no token, a wrong one or another scheme answer 401 with WWW-Authenticate: Token"""
    before = _count(client, framework)
    advice = _where(
        framework,
        "Put @auth.login_required on every method that writes (post, patch and delete).",
        "Put TokenAuthentication first (or alone) in DEFAULT_AUTHENTICATION_CLASSES, and IsAuthenticatedOrReadOnly "
        "in the permissions: DRF answers 401 with the WWW-Authenticate of the first authentication class, and "
        "SessionAuthentication has none, so with it first the answer is 403.",
    )
    tries = [
        ("POST", LIST, {}),
        ("POST", LIST, {"Authorization": "Token not-a-real-token"}),
        ("POST", LIST, {"Authorization": "Bearer alice-token-2026"}),
        ("PATCH", f"{LIST}1/", {}),
        ("PATCH", f"{LIST}1/", {"Authorization": "Token not-a-real-token"}),
        ("DELETE", f"{LIST}1/", {}),
        ("DELETE", f"{LIST}1/", {"Authorization": "Token not-a-real-token"}),
    ]
    for method, path, headers in tries:
        sent = f"{method} {path} with " + (f"Authorization: {headers['Authorization']}" if headers else "no token")
        body = {"title": "Written by nobody", "link": "https://example.com/nobody"}
        response = client.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, f"{sent} answered {response.status_code}; expected 401. {advice}"
        challenge = response.headers.get("WWW-Authenticate", "")
        assert challenge.split(" ")[0].lower() == "token", (
            f"{sent} answered 401 with WWW-Authenticate {challenge!r}; expected it to name the Token scheme, so "
            f"that the client knows what to send. {advice}"
        )
        _detail(response, sent)
    assert _count(client, framework) == before, (
        f"Requests without a valid token changed count from {before}: they wrote."
    )
    one = client.get(f"{LIST}1/")
    assert one.status_code == 200 and _json(one, f"GET {LIST}1/")["title"] == "Django REST framework", (
        f"After PATCH and DELETE without a valid token, GET {LIST}1/ answered {one.status_code} {one.text[:200]!r}; "
        f"expected the bookmark as it was."
    )


def test_a_token_creates_a_bookmark_owned_by_its_user(client, framework):
    """POST with alice's token answers 201 with the bookmark, owner alice and the title stripped; it is then listed"""
    before = _count(client, framework)
    body = _create(client, ALICE, title="  Flask-HTTPAuth tokens  ", link="https://flask-httpauth.readthedocs.io/")
    assert body["owner"] == "alice", (
        f"alice's POST answered owner {body['owner']!r}; expected 'alice', the user of the token. "
        + _where(framework, "Use auth.current_user().", "serializer.save(owner=self.request.user) in perform_create.")
    )
    assert body["title"] == "Flask-HTTPAuth tokens", (
        f"POST with the title '  Flask-HTTPAuth tokens  ' answered title {body['title']!r}; expected it stripped of "
        f"its spaces, 'Flask-HTTPAuth tokens'."
    )
    again = client.get(f"{LIST}{body['id']}/")
    assert again.status_code == 200, f"GET {LIST}{body['id']}/, the new bookmark, answered {again.status_code}."
    assert _json(again, "GET")["owner"] == "alice" and _count(client, framework) == before + 1, (
        f"After alice's POST, GET {LIST}{body['id']}/ answered {again.text[:200]!r} and count went from {before} to "
        f"{_count(client, framework)}; expected her bookmark, and one more."
    )


def test_a_client_cannot_choose_the_owner(client, framework):
    """Sending "owner" in a POST or a PATCH never changes whose bookmark it is"""
    advice = _where(
        framework,
        "Make owner dump_only in the schema, and take the owner from auth.current_user().",
        "Make owner read-only in the serializer (a ReadOnlyField, or read_only_fields) and set it in perform_create.",
    )
    before = _count(client, framework)
    response = client.post(
        LIST, json={"title": "Bob's own", "link": "https://example.com/bob", "owner": "alice"}, headers=BOB
    )
    if response.status_code == 201:
        owner = _json(response, f"POST {LIST}")["owner"]
        assert owner == "bob", f'bob\'s POST with "owner": "alice" made a bookmark of {owner!r}. {advice}'
    else:
        assert response.status_code == 400 and "owner" in _json(response, f"POST {LIST}"), (
            f'bob\'s POST with "owner": "alice" answered {response.status_code} {response.text[:200]!r}; expected '
            f"201 with owner bob (the field ignored), or 400 with an error on owner."
        )
        assert _count(client, framework) == before, "bob's refused POST still added a bookmark."
    mine = _create(client, ALICE, title="Alice keeps this one")
    path = f"{LIST}{mine['id']}/"
    response = client.patch(path, json={"owner": "bob"}, headers=ALICE)
    assert response.status_code in (200, 400), (
        f'alice\'s PATCH {path} with {{"owner": "bob"}} answered {response.status_code} {response.text[:200]!r}; '
        f"expected 200 (owner ignored) or 400."
    )
    owner = _json(client.get(path), f"GET {path}")["owner"]
    assert owner == "alice", (
        f'alice\'s PATCH {path} with {{"owner": "bob"}} gave her bookmark to {owner!r}: a client can hand its '
        f"bookmarks to someone else (and the owner field is writable). {advice}"
    )


def _refused(client, framework, payload, field, why):
    before = _count(client, framework)
    response = client.post(LIST, json=payload, headers=ALICE)
    sent = f"POST {LIST} with {payload}"
    assert response.status_code == 400, (
        f"{sent} answered {response.status_code} {response.text[:200]!r}; expected 400, because {why}."
    )
    body = _json(response, sent)
    assert isinstance(body, dict) and isinstance(body.get(field), list) and body[field], (
        f"{sent} answered 400 with {body!r}; expected the error in DRF's shape, "
        f'{{"{field}": ["message", ...]}}' + _where(framework, " (marshmallow's ValidationError.messages).", ".")
    )
    assert _count(client, framework) == before, f"{sent} was refused but added a bookmark all the same."


def test_titles_are_1_to_100_characters_once_stripped(client, framework):
    """An empty, all-spaces, missing, null or 101-character title is a 400 on "title"; 100 characters with spaces around is fine"""
    link = "https://example.com/titles"
    _refused(client, framework, {"title": "", "link": link}, "title", "the title is empty")
    _refused(client, framework, {"title": "     ", "link": link}, "title", "a title of spaces is empty once stripped")
    _refused(client, framework, {"link": link}, "title", "the title is missing")
    _refused(client, framework, {"title": None, "link": link}, "title", "the title is null")
    _refused(client, framework, {"title": "x" * 101, "link": link}, "title", "the title has 101 characters")
    body = _create(client, ALICE, title="  " + "x" * 100 + "  ", link=link)
    assert body["title"] == "x" * 100, (
        f"POST with a title of 100 x's between spaces answered title {body['title']!r}; expected the 100 x's."
    )


def test_links_must_be_http_or_https_urls(client, framework):
    """A link that is ftp://, javascript:, not a URL, empty or missing is a 400 on "link\""""
    title = "A link to check"
    _refused(client, framework, {"title": title, "link": "ftp://files.example.com/a.txt"}, "link", "ftp is not http(s)")
    _refused(client, framework, {"title": title, "link": "javascript:alert(1)"}, "link", "javascript: is not http(s)")
    _refused(client, framework, {"title": title, "link": "not a url"}, "link", "'not a url' is not a URL")
    _refused(client, framework, {"title": title, "link": ""}, "link", "the link is empty")
    _refused(client, framework, {"title": title}, "link", "the link is missing")
    _create(client, ALICE, title=title, link="http://example.com/plain-http")


def test_only_the_owner_may_change_or_delete(client, framework):
    """bob's PATCH and DELETE of alice's bookmark answer 403 with {"detail": ...} and change nothing"""
    advice = _where(
        framework,
        "Compare the bookmark's owner with auth.current_user() in patch and in delete, and abort(403).",
        "Add IsAuthorOrReadOnly (has_object_permission) to the viewset's permission_classes, beside "
        "IsAuthenticatedOrReadOnly: DRF calls it from get_object(), for each bookmark.",
    )
    mine = _create(client, ALICE, title="Alice's, not Bob's")
    path = f"{LIST}{mine['id']}/"
    for method in ("PATCH", "DELETE"):
        response = client.request(method, path, json={"title": "Bob was here"}, headers=BOB)
        assert response.status_code == 403, (
            f"bob's {method} {path} (alice's bookmark) answered {response.status_code}; expected 403. {advice}"
        )
        _detail(response, f"bob's {method} {path}")
    after = client.get(path)
    assert after.status_code == 200 and _json(after, f"GET {path}")["title"] == "Alice's, not Bob's", (
        f"After bob's PATCH and DELETE, GET {path} answered {after.status_code} {after.text[:200]!r}; expected "
        f"alice's bookmark unchanged."
    )
    seeded = client.patch(f"{LIST}1/", json={"title": "Bob was here"}, headers=BOB)
    assert seeded.status_code == 403, f"bob's PATCH {LIST}1/ (alice's) answered {seeded.status_code}; expected 403."


def test_the_owner_updates_then_deletes(client, framework):
    """alice PATCHes her bookmark (200, title stripped; a blank title is a 400), DELETEs it (204), then it is a 404"""
    mine = _create(client, ALICE, title="To be renamed")
    path = f"{LIST}{mine['id']}/"
    response = client.patch(path, json={"title": "  Renamed  "}, headers=ALICE)
    assert response.status_code == 200, (
        f"alice's PATCH {path} with a new title answered {response.status_code} {response.text[:200]!r}; expected 200."
    )
    body = _bookmark(_json(response, f"PATCH {path}"), f"PATCH {path} answered")
    assert body["title"] == "Renamed" and body["link"] == mine["link"], (
        f'alice\'s PATCH {path} with {{"title": "  Renamed  "}} answered {body}; expected the title \'Renamed\' '
        f"(stripped, as on POST) and the link unchanged."
    )
    response = client.patch(path, json={"title": "   "}, headers=ALICE)
    assert response.status_code == 400 and "title" in _json(response, f"PATCH {path}"), (
        f"alice's PATCH {path} with a title of spaces answered {response.status_code} {response.text[:200]!r}; "
        f'expected 400 with {{"title": [...]}}: a PATCH is validated like a POST.'
    )
    assert _json(client.get(path), f"GET {path}")["title"] == "Renamed", f"A refused PATCH changed {path}."
    unknown = client.patch(f"{LIST}999999/", json={"title": "Nothing"}, headers=ALICE)
    assert unknown.status_code == 404, f"alice's PATCH {LIST}999999/ answered {unknown.status_code}; expected 404."
    response = client.delete(path, headers=ALICE)
    assert response.status_code == 204, f"alice's DELETE {path} answered {response.status_code}; expected 204."
    gone = client.get(path)
    assert gone.status_code == 404, f"After alice's DELETE, GET {path} answered {gone.status_code}; expected 404."
    _detail(gone, f"GET {path} after DELETE")
