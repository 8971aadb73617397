"""Hidden tests for "The ORM in depth" (Flask and Django).

Black box, over HTTP, against the bookshop the setup step loaded: a search by title or
author name, authors with their counts (none left out, none multiplied), a book list in
a fixed number of queries (the starter's X-Queries header counts them), and an order
that lowers every stock or none."""

from urllib.parse import quote

MAX_QUERIES = 3

ALL_BOOKS = {
    "A Wizard of Earthsea": ("Ursula K. Le Guin", ["classic", "fantasy"]),
    "Frankenstein": ("Mary Shelley", ["classic", "horror", "sci-fi"]),
    "Going Postal": ("Terry Pratchett", []),
    "Mort": ("Terry Pratchett", ["fantasy", "humour"]),
    "Small Gods": ("Terry Pratchett", ["classic", "fantasy", "humour"]),
    "The Dispossessed": ("Ursula K. Le Guin", ["sci-fi"]),
    "The Left Hand of Darkness": ("Ursula K. Le Guin", ["classic", "sci-fi"]),
}

AUTHORS = [
    {"name": "Terry Pratchett", "books": 3, "tags": 3},
    {"name": "Ursula K. Le Guin", "books": 3, "tags": 3},
    {"name": "Mary Shelley", "books": 1, "tags": 3},
    {"name": "Italo Calvino", "books": 0, "tags": 0},
    {"name": "Octavia E. Butler", "books": 0, "tags": 0},
]


def _where(framework, flask, django):
    return flask if framework == "flask" else django


def _json(response, what):
    assert response.status_code == 200, f"{what} answered {response.status_code}, expected 200. The app's log says why."
    try:
        return response.json()
    except ValueError:
        raise AssertionError(f"{what} did not answer JSON: {response.text[:200]!r}") from None


def _search(client, q):
    what = f"GET /books/search/?q={q}"
    books = _json(client.get(f"/books/search/?q={quote(q)}"), what).get("books")
    assert isinstance(books, list), f'{what} answered no "books" list.'
    return [(book.get("title"), book.get("author")) for book in books]


def _expected(*titles):
    return [(title, ALL_BOOKS[title][0]) for title in sorted(titles)]


def _search_advice(framework):
    return _where(
        framework,
        "Join the author and combine both tests with or_(): "
        "or_(Book.title.icontains(q, autoescape=True), Author.name.icontains(q, autoescape=True)).",
        'Combine both lookups with |: Q(title__icontains=q) | Q(author__name__icontains=q) ("author__name" '
        "follows the foreign key to the author's name).",
    )


def test_the_search_finds_a_title_whatever_its_case(client, framework):
    """GET /books/search/?q=EARTHSEA and ?q=darkness find the book with that word in its title"""
    for q, title in (("EARTHSEA", "A Wizard of Earthsea"), ("darkness", "The Left Hand of Darkness")):
        got = _search(client, q)
        assert got == _expected(title), (
            f"GET /books/search/?q={q} answered {got}, expected {_expected(title)}: the title contains {q!r} "
            f"once case is ignored. {_search_advice(framework)}"
        )


def test_the_search_finds_books_by_their_authors_name(client, framework):
    """GET /books/search/?q=pratchett and ?q=le guin find every book by that author, sorted by title"""
    for q, titles in (
        ("pratchett", ("Going Postal", "Mort", "Small Gods")),
        ("le guin", ("A Wizard of Earthsea", "The Dispossessed", "The Left Hand of Darkness")),
    ):
        got = _search(client, q)
        assert got == _expected(*titles), (
            f"GET /books/search/?q={q} answered {got}, expected {_expected(*titles)}: no title contains {q!r}, "
            f"but their author's name does, in other letter case and only in part. {_search_advice(framework)}"
        )


def test_the_search_finds_a_title_or_an_author(client, framework):
    """GET /books/search/?q=ar finds two titles with "ar" and Mary Shelley's book, each once"""
    got = _search(client, "ar")
    want = _expected("A Wizard of Earthsea", "Frankenstein", "The Left Hand of Darkness")
    assert got == want, (
        f"GET /books/search/?q=ar answered {got}, expected {want}: 'Wizard', 'Earthsea' and 'Darkness' have "
        f"'ar' in the title, Frankenstein in its author's name (Mary Shelley). A book matches when its title "
        f"OR its author's name does. {_search_advice(framework)}"
    )


def test_the_search_takes_percent_and_underscore_literally(client, framework):
    """GET /books/search/?q=% and ?q=_ find nothing: no title or name has those characters"""
    for q in ("%", "_"):
        got = _search(client, q)
        assert got == [], (
            f"GET /books/search/?q={q} answered {got}, expected no books: no title or name contains {q!r}. "
            + _where(
                framework,
                f'In LIKE, {q!r} is a wildcard: ilike(f"%{{q}}%") lets the visitor\'s text match anything. '
                "icontains(q, autoescape=True) escapes it for you.",
                "icontains escapes LIKE's wildcards for you; a raw LIKE in .extra() or raw SQL does not.",
            )
        )


def _authors(client):
    authors = _json(client.get("/authors/"), "GET /authors/").get("authors")
    assert isinstance(authors, list), 'GET /authors/ answered no "authors" list.'
    return authors


def test_authors_with_no_books_are_listed_with_zero(client, framework):
    """GET /authors/ lists Octavia E. Butler and Italo Calvino, who have no books here, with 0 books and 0 tags"""
    authors = {a.get("name"): a for a in _authors(client)}
    for name in ("Octavia E. Butler", "Italo Calvino"):
        assert name in authors, (
            f"GET /authors/ does not list {name}, who has no books in the shop; listed: {sorted(authors)}. "
            + _where(
                framework,
                "select(Author...).join(Author.books) is an inner join: an author with no book has no row to count. "
                "Use .outerjoin(Author.books) (and outerjoin the tags too).",
                "Start from Author.objects and annotate it: Count follows the relation with a LEFT OUTER JOIN, so "
                "authors with no books stay, with 0. Counting from Book (values('author__name')) cannot see them.",
            )
        )
        got = {"books": authors[name].get("books"), "tags": authors[name].get("tags")}
        assert got == {"books": 0, "tags": 0}, f"GET /authors/ gives {name} {got}, expected 0 books and 0 tags."


def test_author_counts_are_not_multiplied_by_the_tags(client, framework):
    """GET /authors/ counts 3 books and 3 tags for Pratchett and Le Guin, 1 book and 3 tags for Mary Shelley"""
    authors = {a.get("name"): a for a in _authors(client)}
    for want in AUTHORS[:3]:
        got = authors.get(want["name"])
        assert got is not None, f"GET /authors/ does not list {want['name']}."
        got = {"name": got.get("name"), "books": got.get("books"), "tags": got.get("tags")}
        assert got == want, (
            f"GET /authors/ says {got}, expected {want}. Counting books and tags in one query joins "
            f"author x book x tag: a book with three tags is three rows, so a plain count of books counts it "
            f"three times (and one tag on two books twice). Count different ones: "
            + _where(
                framework,
                "func.count(distinct(Book.id)) and func.count(distinct(book_tags.c.tag_id)).",
                'Count("books", distinct=True) and Count("books__tags", distinct=True).',
            )
        )


def test_authors_are_sorted_by_their_number_of_books_then_name(client, framework):
    """GET /authors/ lists the authors by number of books, most first, and by name among equals"""
    got = [{"name": a.get("name"), "books": a.get("books"), "tags": a.get("tags")} for a in _authors(client)]
    assert got == AUTHORS, (
        f"GET /authors/ answered {got}, expected {AUTHORS}: most books first, and authors with as many books "
        f"in alphabetical order of name. "
        + _where(
            framework,
            "order_by(the count's expression .desc(), Author.name).",
            'order_by("-book_count", "name") after the annotate().',
        )
    )


def _books(client):
    response = client.get("/books/")
    books = _json(response, "GET /books/").get("books")
    assert isinstance(books, list), 'GET /books/ answered no "books" list.'
    return response, books


def test_the_book_list_shows_each_books_author_and_tags(client, framework):
    """GET /books/ lists the seven books by title, each with its author, its stock and its tags sorted by name"""
    _, books = _books(client)
    got = {b.get("title"): (b.get("author"), b.get("tags")) for b in books}
    want = {title: (author, tags) for title, (author, tags) in ALL_BOOKS.items()}
    assert got == want, f"GET /books/ answered {got}, expected {want} (title: (author, tags sorted by name))."
    titles = [b.get("title") for b in books]
    assert titles == sorted(titles), f"GET /books/ lists {titles}, expected them sorted by title."
    assert all(isinstance(b.get("stock"), int) for b in books), "Each book in GET /books/ needs its stock, a number."


def test_the_book_list_takes_a_fixed_number_of_queries(client, framework):
    """GET /books/ makes at most 3 SQL queries (the X-Queries header), however many books there are"""
    response, books = _books(client)
    count = response.headers.get("X-Queries")
    assert count is not None and count.isdigit(), (
        f"GET /books/ answered without a number in X-Queries ({count!r}): the starter's query counter "
        + _where(
            framework,
            "(shop/querycount.py) must stay registered in create_app().",
            "(books/querycount.py) must stay first in MIDDLEWARE.",
        )
    )
    assert int(count) <= MAX_QUERIES, (
        f"GET /books/ made {count} SQL queries for {len(books)} books, expected at most {MAX_QUERIES}: one query "
        f"for the list, and then one more for each book's author or tags, is the N+1 problem. "
        + _where(
            framework,
            "Load them with the books: .options(joinedload(Book.author), selectinload(Book.tags)). A joinedload "
            "of the tags needs .unique() on the result, and sorting with a new query per book undoes it all.",
            'Load them with the books: .select_related("author").prefetch_related("tags"), then read '
            "b.tags.all() (sort in Python): b.tags.order_by(...) or .filter(...) is a new query per book, "
            "prefetched or not.",
        )
    )


def _stock(client):
    _, books = _books(client)
    return {b.get("title"): (b.get("id"), b.get("stock")) for b in books}


def _order(client, items):
    return client.post("/orders/", json={"items": [{"book": book, "quantity": n} for book, n in items]})


def _order_text(stock, items):
    names = {book_id: title for title, (book_id, _) in stock.items()}
    return ", ".join(f"{n} x {names.get(book, f'book {book}')}" for book, n in items)


def test_an_order_lowers_the_stock_of_each_book(client, framework):
    """POST /orders/ for 1 Mort and 2 Going Postal answers 201 and lowers those two stocks by 1 and 2"""
    before = _stock(client)
    items = [(before["Mort"][0], 1), (before["Going Postal"][0], 2)]
    response = _order(client, items)
    assert response.status_code == 201, (
        f"POST /orders/ for {_order_text(before, items)} (all in stock) answered {response.status_code}, expected 201."
    )
    after = _stock(client)
    for title, n in (("Mort", 1), ("Going Postal", 2)):
        assert after[title][1] == before[title][1] - n, (
            f"After ordering {n} x {title}, its stock went from {before[title][1]} to {after[title][1]}, "
            f"expected {before[title][1] - n}."
        )


def _assert_nothing_changed(framework, before, after, what):
    changed = {title: (before[title][1], after[title][1]) for title in before if before[title][1] != after[title][1]}
    assert not changed, (
        f"{what} answered 409, but stock changed (before, after): {changed}. An order is all or nothing: "
        + _where(
            framework,
            "write every item in the session and commit() once at the end; on the short item, "
            "db.session.rollback() and answer 409. A commit() per item makes the earlier ones permanent.",
            "do the items inside one transaction.atomic() block and raise an exception out of it on the short "
            "item, then answer 409 outside. Returning a response from inside the block leaves it normally, "
            "and that commits.",
        )
    )


def test_an_order_with_one_short_item_changes_nothing(client, framework):
    """POST /orders/ whose third item asks for one more copy than there is answers 409 and changes no stock"""
    before = _stock(client)
    items = [
        (before["A Wizard of Earthsea"][0], 1),
        (before["The Dispossessed"][0], 1),
        (before["Small Gods"][0], before["Small Gods"][1] + 1),
    ]
    what = f"POST /orders/ for {_order_text(before, items)} (Small Gods has {before['Small Gods'][1]})"
    response = _order(client, items)
    assert response.status_code == 409, f"{what} answered {response.status_code}, expected 409 Conflict."
    _assert_nothing_changed(framework, before, _stock(client), what)


def test_an_order_for_an_unknown_book_changes_nothing(client, framework):
    """POST /orders/ for 1 Mort and 1 of a book that does not exist answers 409 and changes no stock"""
    before = _stock(client)
    items = [(before["Mort"][0], 1), (999999, 1)]
    what = f"POST /orders/ for {_order_text(before, items)}"
    response = _order(client, items)
    assert response.status_code == 409, (
        f"{what} answered {response.status_code}, expected 409: a book the shop does not have cannot be ordered."
    )
    _assert_nothing_changed(framework, before, _stock(client), what)


def test_the_last_copies_can_be_ordered_and_no_more(client, framework):
    """POST /orders/ for every copy of Frankenstein answers 201 and leaves 0; one more copy then answers 409"""
    before = _stock(client)
    book_id, copies = before["Frankenstein"]
    items = [(book_id, copies)]
    response = _order(client, items)
    assert response.status_code == 201, (
        f"POST /orders/ for {copies} x Frankenstein, with {copies} in stock, answered {response.status_code}, "
        f"expected 201: an order may take the last copy (stock >= quantity, not >)."
    )
    left = _stock(client)["Frankenstein"][1]
    assert left == 0, f"After ordering all {copies} copies of Frankenstein, its stock is {left}, expected 0."
    response = _order(client, [(book_id, 1)])
    assert response.status_code == 409, (
        f"POST /orders/ for 1 x Frankenstein, with none left, answered {response.status_code}, expected 409."
    )
    left = _stock(client)["Frankenstein"][1]
    assert left == 0, f"After a refused order, Frankenstein's stock is {left}, expected it to stay 0."


def test_one_book_twice_in_an_order_counts_both_lines(client, framework):
    """POST /orders/ for every copy of a book and then 1 more of it answers 409 and changes nothing"""
    before = _stock(client)
    book_id, copies = before["The Left Hand of Darkness"]
    items = [(book_id, copies), (book_id, 1)]
    what = f"POST /orders/ for {_order_text(before, items)} (it has {copies})"
    response = _order(client, items)
    assert response.status_code == 409, (
        f"{what} answered {response.status_code}, expected 409: together the two lines ask for {copies + 1}. "
        f"Checking every line against the stock read before the order misses that; read it again for each "
        f"line, or let the database check it (an UPDATE ... WHERE stock >= quantity)."
    )
    _assert_nothing_changed(framework, before, _stock(client), what)
