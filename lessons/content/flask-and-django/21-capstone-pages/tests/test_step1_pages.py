"""Hidden tests for the capstone, step 1: the blog's list and detail pages, with the
twelve posts the setup step loads. Black-box HTTP checks, shared by the Flask and the
Django exercise."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from duet_harness.html import page_text

# The sample posts, newest first by their publication date (not by id: the fixture and
# the seed command add them in another order).
NEWEST_FIRST = [
    ("Shipping it", "bob", "Waitress, a real secret key and DEBUG off."),
    ("Paginating a list", "alice", "Five at a time, with a link to the next five."),
    ("Blueprints or apps?", "bob", "Two names for one idea: a part of a site with its own views."),
    ("Sessions and cookies", "bob", "A signed cookie in Flask, a database row in Django."),
    ("Forms and CSRF", "bob", "Every form that changes something carries a token."),
    ("The admin site", "alice", "Django writes it for you; Flask-Admin comes close."),
    ("A week with SQLite", "bob", "One file, no server, and more than enough for a blog."),
    ("Migrations, explained", "alice", "A migration is a change to the schema, written down in order."),
    ("Why I write tests first", "bob", "A failing test is a to-do list that checks itself."),
    ("Templates without tears", "alice", "Jinja and the Django template language escape what you print."),
    ("Hello, Duet", "alice", "The first post of this blog: one app, written twice."),
    ("An old post, imported", "alice", "Imported last from the old blog, but written first."),
]
POST_PAGE = re.compile(r"^/posts/(\d+)/$")


class _Links(HTMLParser):
    """Every link on the page with its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._href, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.found.append((urlsplit(self._href).path, " ".join("".join(self._text).split())))
            self._href = None


def _links(html):
    reader = _Links()
    reader.feed(html)
    return reader.found


def _crashed(status, framework):
    if status < 500:
        return ""
    advice = " Your app raised an error: read the traceback in your app's log below."
    if framework == "django":
        advice += " 'no such table: blog_post' means blog/migrations/ has no migration that creates the table."
    return advice


def _home(client, framework):
    response = client.get("/")
    assert response.status_code == 200, (
        f"GET / answered {response.status_code}, expected 200 with the list of posts.{_crashed(response.status_code, framework)}"
    )
    return response


def _post_links(client, framework):
    """{title: /posts/<id>/} from the links on the home page."""
    found = {}
    for path, text in _links(_home(client, framework).text):
        if POST_PAGE.match(path):
            found.setdefault(text, path)
    return found


def test_the_home_page_lists_every_post_newest_first(client, framework):
    """GET / lists the twelve posts of the setup step, newest first"""
    text = page_text(_home(client, framework).text)
    missing = [title for title, _, _ in NEWEST_FIRST if title not in text]
    assert not missing, (
        f"GET / should list the title of every post the setup step loaded; missing: {', '.join(map(repr, missing))}. "
        f"The page says: {text[:200]!r}"
    )
    shown = sorted((title for title, _, _ in NEWEST_FIRST), key=text.find)
    expected = [title for title, _, _ in NEWEST_FIRST]
    assert shown == expected, (
        "GET / should list the posts newest first, by their publication date. Expected: "
        f"{', '.join(expected)}. Your page lists: {', '.join(shown)}. "
        + (
            'Order by the date with .order_by("-published") (or ordering in the model\'s Meta); the ids do not follow '
            "the dates."
            if framework == "django"
            else "Order by the date with select(Post).order_by(Post.published.desc()); the ids do not follow the dates."
        )
    )


def test_each_title_links_to_the_posts_page(client, framework):
    """On GET /, each post's title links to its page /posts/<id>/"""
    found = _post_links(client, framework)
    missing = [title for title, _, _ in NEWEST_FIRST if title not in found]
    assert not missing, (
        "On GET /, each title should be a link to the post's page, /posts/<id>/ (with the trailing slash); "
        f"no such link for: {', '.join(map(repr, missing))}. Links on the page: {_links(client.get('/').text)[:6]}"
    )
    assert len(set(found[title] for title, _, _ in NEWEST_FIRST)) == len(NEWEST_FIRST), (
        f"Two titles on GET / link to the same page: {found}. Link each post to /posts/<its id>/."
    )


def test_each_post_page_shows_its_title_author_and_body(client, framework):
    """GET /posts/<id>/ shows the post's title, its author's username and its body"""
    found = _post_links(client, framework)
    for title, author, body in NEWEST_FIRST:
        if title not in found:
            continue  # the test above says which link is missing
        url = found[title]
        response = client.get(url)
        assert response.status_code == 200, (
            f"GET {url} (the link of {title!r} on the home page) answered {response.status_code}, expected 200."
            f"{_crashed(response.status_code, framework)}"
        )
        text = page_text(response.text)
        for what, expected in (("title", title), ("author's username", author), ("body", body)):
            assert expected in text, (
                f"GET {url} should show the post's {what}, {expected!r}. The page says: {text[:240]!r}. "
                "Does the view look the post up by the id in the URL?"
            )


def test_an_unknown_post_is_not_found(client, framework):
    """GET /posts/<id>/ for an id with no post answers 404, not an error"""
    for url in ("/posts/999999/", "/posts/0/"):
        response = client.get(url)
        assert response.status_code == 404, (
            f"GET {url} (no post has that id) answered {response.status_code}, expected 404 Not Found. "
            + (
                "Post.objects.get() raises Post.DoesNotExist, a 500: use get_object_or_404(Post, pk=pk)."
                if framework == "django"
                else "db.session.get() returns None, and None.title is an error: use db.get_or_404(Post, post_id)."
            )
        )
