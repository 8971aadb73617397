"""Hidden tests for "Todo lists": a list holds many todos. Black-box HTTP checks, shared
by the Flask and the Django exercise (the URLs and the pages are the same in both)."""

import re
import uuid

from duet_harness.html import find_form, forms, links, page_text


def _unique(word):
    return f"{word} {uuid.uuid4().hex[:8]}"


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _where(framework):
    """Where the relation and its migration live, in the learner's framework."""
    if framework == "django":
        return "the ForeignKey in todos/models.py and its migration todos/migrations/0002_todos_belong_to_lists.py"
    return "the relationships in models.py and the revision migrations/versions/0002_todos_belong_to_lists.py"


def _advice(status, framework):
    """What to look at when a page did not answer as expected."""
    if status >= 500:
        if framework == "django":
            return (
                "Your app raised an error: read the traceback in your app's log below. "
                "\"Cannot resolve keyword 'todos'\" or \"unexpected keyword argument 'todo_list'\" means "
                'Todo has no todo_list = models.ForeignKey(..., related_name="todos") yet; '
                '"no such column: todos_todo.todo_list_id" means the model has it but your migration 0002 '
                "does not add it to the table."
            )
        return (
            "Your app raised an error: read the traceback in your app's log below. "
            "\"has no attribute 'todos'\" or \"'todo_list' is an invalid keyword argument\" means the "
            'relationships are missing in models.py; "no such column: todo.todo_list_id" means the models '
            "have them but your revision 0002 does not add the column to the table."
        )
    return f"Look at {_where(framework)}."


def _create_list(client, framework, name):
    """Create a list through the form on /lists/; return the URL of its page."""
    page = client.get("/lists/")
    assert page.status_code == 200, (
        f"GET /lists/ answered {page.status_code}, expected 200 with the form to create a list. "
        f"{_advice(page.status_code, framework)}"
    )
    form = find_form(page.text, field="name")
    assert form is not None, "GET /lists/ has no form with a field called name to create a list."
    response = client.post(form.action or "/lists/", data=form.filled(name=name), allow_redirects=False)
    assert response.status_code in (302, 303), (
        f"Creating the list {name!r} (POST {form.action or '/lists/'}) answered {response.status_code}, "
        f"expected a redirect to the new list's page. {_advice(response.status_code, framework)}"
    )
    url = response.headers["Location"]
    assert re.search(r"/lists/\d+/$", url), (
        f"Creating the list {name!r} redirected to {url!r}, expected the list's own page /lists/<id>/."
    )
    return url


def _add_todo(client, framework, list_url, title):
    """Add a todo through the form on the list's page; return the list page after it."""
    page = client.get(list_url)
    assert page.status_code == 200, (
        f"GET {list_url} (a list you just created) answered {page.status_code}, expected 200. "
        f"{_advice(page.status_code, framework)}"
    )
    form = find_form(page.text, field="title")
    assert form is not None, f"GET {list_url} has no form with a field called title to add a todo."
    response = client.post(form.action, data=form.filled(title=title))
    assert response.status_code == 200, (
        f"Adding the todo {title!r} (POST {form.action}) ended with {response.status_code}, expected a "
        f"redirect back to the list's page. {_advice(response.status_code, framework)}"
    )
    return response


def _todo_link(list_page_html, list_url, title):
    """The link to a todo's own page, found on its list's page by the todo's title."""
    for match in re.finditer(r'<a\s[^>]*href="(/todos/\d+/)"[^>]*>(.*?)</a>', list_page_html, re.S):
        if title in match.group(2):
            return match.group(1)
    raise AssertionError(f"GET {list_url} does not link the todo {title!r} to its page /todos/<id>/.")


def test_a_new_list_has_its_own_page(client, framework):
    """Creating a list leads to its page, /lists/<id>/, which shows its name"""
    name = _unique("Groceries")
    url = _create_list(client, framework, name)
    page = client.get(url)
    assert page.status_code == 200, (
        f"GET {url} (the list {name!r}) answered {page.status_code}, expected 200. "
        f"{_advice(page.status_code, framework)}"
    )
    assert name in page_text(page.text), (
        f"GET {url} should show the list's name {name!r}, but the page says: {_snippet(page_text(page.text))!r}"
    )


def test_a_todo_added_to_a_list_is_shown_on_the_list(client, framework):
    """A todo added to a list appears on that list's page"""
    url = _create_list(client, framework, _unique("Garden"))
    title = _unique("Water the roses")
    page = _add_todo(client, framework, url, title)
    assert title in page_text(page.text), (
        f"After adding {title!r} to the list at {url}, its page does not show it: "
        f"{_snippet(page_text(page.text))!r}. The page shows todo_list.todos: look at {_where(framework)}."
    )


def test_each_list_shows_only_its_own_todos(client, framework):
    """Each list's page shows its own todos and not those of another list"""
    home_url = _create_list(client, framework, _unique("Home"))
    work_url = _create_list(client, framework, _unique("Work"))
    home_todo, work_todo = _unique("Fix the tap"), _unique("Send the report")
    _add_todo(client, framework, home_url, home_todo)
    _add_todo(client, framework, work_url, work_todo)
    home = page_text(client.get(home_url).text)
    work = page_text(client.get(work_url).text)
    assert home_todo in home and work_todo not in home, (
        f"The list at {home_url} should show {home_todo!r} and not {work_todo!r} (added to another list). "
        f"It shows: {_snippet(home)!r}. Each todo must keep the list it was added to: {_where(framework)}."
    )
    assert work_todo in work and home_todo not in work, (
        f"The list at {work_url} should show {work_todo!r} and not {home_todo!r}. It shows: {_snippet(work)!r}."
    )


def test_the_lists_page_counts_the_todos_of_each_list(client, framework):
    """GET /lists/ shows how many todos each list holds"""
    full_name, empty_name = _unique("Packing"), _unique("Someday")
    full_url = _create_list(client, framework, full_name)
    _create_list(client, framework, empty_name)
    _add_todo(client, framework, full_url, _unique("Passport"))
    _add_todo(client, framework, full_url, _unique("Sunscreen"))
    page = client.get("/lists/")
    assert page.status_code == 200, (
        f"GET /lists/ answered {page.status_code}, expected 200. {_advice(page.status_code, framework)}"
    )
    text = page_text(page.text)
    for name, count in ((full_name, 2), (empty_name, 0)):
        expected = f"{name} ({count} todos)"
        assert expected in text, (
            f"GET /lists/ should say {expected!r} for a list with {count} todos. The page says: "
            f"{_snippet(text[max(0, text.find(name) - 20) :] if name in text else text)!r}. "
            "The page counts each list's todos through the relation, so a list with none must still be shown."
        )


def test_a_todo_page_names_its_list(client, framework):
    """GET /todos/<id>/ names the todo's list and links to it"""
    name = _unique("Books")
    url = _create_list(client, framework, name)
    title = _unique("Read Dune")
    page = _add_todo(client, framework, url, title)
    todo_url = _todo_link(page.text, url, title)
    todo = client.get(todo_url)
    assert todo.status_code == 200, (
        f"GET {todo_url} (the todo {title!r}) answered {todo.status_code}, expected 200. "
        f"{_advice(todo.status_code, framework)}"
    )
    assert name in page_text(todo.text) and url in links(todo.text), (
        f"GET {todo_url} should name its list {name!r} and link to {url}: the page uses todo.todo_list. "
        f"It says: {_snippet(page_text(todo.text))!r}"
    )


def test_deleting_a_list_deletes_its_todos(client, framework):
    """Deleting a list (POST /lists/<id>/delete/) deletes its todos too"""
    url = _create_list(client, framework, _unique("Old plans"))
    title = _unique("Learn the oboe")
    page = _add_todo(client, framework, url, title)
    todo_url = _todo_link(page.text, url, title)
    form = next((f for f in forms(page.text) if f.action.endswith("/delete/")), None)
    assert form is not None, f"GET {url} has no form that posts to {url}delete/ to delete the list."
    response = client.post(form.action, data=form.filled(), allow_redirects=False)
    assert response.status_code in (302, 303), (
        f"Deleting the list (POST {form.action}) while it holds the todo {title!r} answered "
        f"{response.status_code}, expected a redirect to /lists/. "
        + (
            "Your app raised an error while deleting: read the traceback in your app's log below. "
            + (
                "A list's todos must go with it: on_delete=models.CASCADE on the ForeignKey."
                if framework == "django"
                else 'A list\'s todos must go with it: cascade="all, delete-orphan" on TodoList.todos. '
                'Without it SQLAlchemy sets their todo_list_id to NULL, which "NOT NULL constraint failed" refuses.'
            )
            if response.status_code >= 500
            else ""
        )
    )
    gone = client.get(url)
    assert gone.status_code == 404, f"After deleting the list, GET {url} answered {gone.status_code}, expected 404."
    orphan = client.get(todo_url)
    assert orphan.status_code == 404, (
        f"After deleting its list, the todo {title!r} is still there: GET {todo_url} answered "
        f"{orphan.status_code}, expected 404. "
        + (
            "Use on_delete=models.CASCADE on Todo.todo_list."
            if framework == "django"
            else 'Give TodoList.todos cascade="all, delete-orphan", so the session deletes the todos with '
            "their list (SQLite ignores ON DELETE CASCADE unless foreign keys are switched on)."
        )
    )


def test_an_unknown_list_is_not_found(client):
    """GET /lists/<id>/ for a list that does not exist answers 404"""
    response = client.get("/lists/987654/")
    assert response.status_code == 404, (
        f"GET /lists/987654/ answered {response.status_code}, expected 404: there is no such list."
    )
