"""Hidden tests for "Class-based views and editing" (Flask and Django).

Black box, over HTTP, with the forms as a browser sends them (CSRF token included).
The setup step fills the database with twelve notes, in id order; the list shows five a
page. The tests run in this file's order: the pagination checks come first, while the
twelve notes are all there; each later test that adds a note deletes nothing it did not
add itself."""

import re

from duet_harness.html import find_form, forms, page_text

SEEDED = 12
PER_PAGE = 5
NOTE_LINK = re.compile(r'href="(?:https?://[^/"]+)?/notes/(\d+)/"[^>]*>\s*([^<]*?)\s*<')


def _where(framework, flask, django):
    return flask if framework == "flask" else django


def _snippet(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _crashed(response):
    if response.status_code >= 500:
        return " Your app raised an error: read the traceback in your app's log below."
    if response.status_code == 501:
        return " That view is still the starter's placeholder."
    return ""


def _page(client, url):
    """{id: title} of the notes a list page links to, in order."""
    response = client.get(url)
    assert response.status_code == 200, (
        f"GET {url} answered {response.status_code}, expected 200 with a page of notes.{_crashed(response)}"
    )
    return {int(pk): title for pk, title in NOTE_LINK.findall(response.text)}


def _all_notes(client):
    """{id: title} of every note, read page by page as a visitor would."""
    found = {}
    for number in range(1, 40):
        response = client.get(f"/notes/?page={number}")
        if response.status_code == 404:
            break
        assert response.status_code == 200, (
            f"GET /notes/?page={number} answered {response.status_code}.{_crashed(response)}"
        )
        notes = {int(pk): title for pk, title in NOTE_LINK.findall(response.text)}
        if not set(notes) - set(found):
            break
        found.update(notes)
    return found


def _first_page_ids(client):
    return list(_page(client, "/notes/"))


def _form(client, url, what):
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} answered {page.status_code}, expected {what}.{_crashed(page)}"
    form = find_form(page.text, field="title")
    assert form is not None and "body" in form.fields, f"GET {url} has no form with the fields title and body."
    return form


def _send(client, url, form, **values):
    return client.post(form.action or url, data=form.filled(**values), allow_redirects=False)


def _note_page(client, pk):
    return client.get(f"/notes/{pk}/")


def _title_of(client, pk):
    response = _note_page(client, pk)
    assert response.status_code == 200, f"GET /notes/{pk}/ answered {response.status_code}.{_crashed(response)}"
    match = re.search(r"<h1>\s*(.*?)\s*</h1>", response.text, re.S)
    return match.group(1) if match else page_text(response.text)


def _is_redirect(response, what, framework, advice):
    assert response.status_code in (302, 303), (
        f"{what} answered {response.status_code}, expected a redirect (303 or 302).{_crashed(response)} "
        + (f"The page says: {_snippet(page_text(response.text))!r}. " if response.status_code == 200 else "")
        + advice
    )
    return response.headers.get("Location", "")


def _create(client, framework, title, body="Added by the checks."):
    form = _form(client, "/notes/new/", "200 with the form for a new note")
    response = _send(client, "/notes/new/", form, title=title, body=body)
    location = _is_redirect(
        response,
        f"Posting the new-note form with the title {title!r}",
        framework,
        _where(
            framework,
            "After form.validate_on_submit(), add the note, commit, and redirect to its page.",
            "A CreateView with model = Note and fields = ['title', 'body'] redirects to the note's "
            "get_absolute_url() once it is saved.",
        ),
    )
    match = re.search(r"/notes/(\d+)/$", location)
    assert match, f"Creating a note redirected to {location!r}, expected the new note's page, /notes/<id>/."
    return int(match.group(1))


BAD_TITLES = (("an empty title", ""), ("a title of spaces", "   "), ("a title of 101 characters", "x" * 101))


def _refused(response, what, framework):
    assert response.status_code == 200, (
        f"{what} answered {response.status_code}, expected 200: the same form again, with the error.{_crashed(response)}"
        + _where(
            framework,
            " When form.validate_on_submit() is False, render the form again instead of redirecting.",
            " An UpdateView or CreateView does that by itself when the form is not valid.",
        )
    )
    assert find_form(response.text, field="title") is not None, f"{what} answered a page without the form."
    assert 'class="error"' in response.text, (
        f"{what} showed the form again, but without an error message (the template shows each error in "
        f'<span class="error">): pass the form that was validated, with its errors, to the template.'
    )


# --- the list, page by page -------------------------------------------------------------


def test_the_list_shows_five_notes_a_page(client, framework):
    """GET /notes/ and /notes/?page=1 show the same five notes; ?page=2 shows the next five"""
    first = _page(client, "/notes/")
    advice = _where(
        framework,
        "db.paginate(select(Note).order_by(Note.id), per_page=5) gives the page that ?page= asks for.",
        "paginate_by = 5 on the ListView.",
    )
    assert len(first) == PER_PAGE, (
        f"GET /notes/ links to {len(first)} notes, expected {PER_PAGE} (the first page of {SEEDED}). {advice}"
    )
    assert _page(client, "/notes/?page=1") == first, "GET /notes/?page=1 does not show the same notes as /notes/."
    second = _page(client, "/notes/?page=2")
    assert len(second) == PER_PAGE and not set(second) & set(first), (
        f"GET /notes/?page=2 links to the notes {sorted(second)}, expected {PER_PAGE} others than page 1's "
        f"{sorted(first)}. {advice}"
    )
    shown = list(first) + list(second)
    assert shown == sorted(shown), (
        f"Pages 1 and 2 link to the notes in the order {shown}, expected id order, {sorted(shown)}. "
        + _where(framework, "order_by(Note.id) in the select.", 'ordering = ["id"] on the ListView, or Meta.ordering.')
    )


def test_the_last_page_has_the_rest_and_the_next_one_is_404(client, framework):
    """With twelve notes, ?page=3 shows the last two, and ?page=4 answers 404"""
    seen = set(_page(client, "/notes/?page=1")) | set(_page(client, "/notes/?page=2"))
    response = client.get("/notes/?page=3")
    assert response.status_code == 200, (
        f"GET /notes/?page=3 answered {response.status_code}, expected 200 with the last {SEEDED - 2 * PER_PAGE} "
        f"of {SEEDED} notes: the last page holds what is left, even when it is less than {PER_PAGE}."
        f"{_crashed(response)}"
        + _where(
            framework,
            " Count the pages rounding up (math.ceil), or let db.paginate() do it.",
            " paginate_orphans folds a short last page into the one before: leave it at 0.",
        )
    )
    last = {int(pk) for pk, _ in NOTE_LINK.findall(response.text)}
    assert len(last) == SEEDED - 2 * PER_PAGE and not last & seen, (
        f"GET /notes/?page=3 links to the notes {sorted(last)}, expected the {SEEDED - 2 * PER_PAGE} notes that "
        f"pages 1 and 2 do not show."
    )
    past = client.get("/notes/?page=4")
    assert past.status_code == 404, (
        f"GET /notes/?page=4, one page past the end, answered {past.status_code}, expected 404 (as ListView does)."
        + _where(framework, " db.paginate() does it with error_out=True, its default.", "")
    )


def test_a_page_number_that_is_not_one_is_404(client, framework):
    """?page=abc and ?page=0 answer 404, as ListView does"""
    for value in ("abc", "0"):
        response = client.get(f"/notes/?page={value}")
        assert response.status_code == 404, (
            f"GET /notes/?page={value} answered {response.status_code}, expected 404: there is no such page."
            + _where(
                framework,
                ' request.args.get("page", 1, type=int) quietly turns "abc" into 1; db.paginate() reads the '
                "page itself and answers 404.",
                "",
            )
        )


# --- one note ---------------------------------------------------------------------------


def test_a_note_has_its_own_page(client, framework):
    """GET /notes/<id>/ for a note of the list shows its title"""
    pk, title = next(iter(_page(client, "/notes/").items()))
    response = _note_page(client, pk)
    assert response.status_code == 200, f"GET /notes/{pk}/ answered {response.status_code}.{_crashed(response)}"
    assert title in page_text(response.text), f"GET /notes/{pk}/ does not show the note's title {title!r}."


def test_an_unknown_note_is_404_everywhere(client, framework):
    """GET /notes/999999/, /notes/999999/edit/ and /notes/999999/delete/ answer 404"""
    for url in ("/notes/999999/", "/notes/999999/edit/", "/notes/999999/delete/"):
        response = client.get(url)
        assert response.status_code == 404, (
            f"GET {url}, a note that does not exist, answered {response.status_code}, expected 404."
            + _where(
                framework,
                " db.session.get(Note, note_id) returns None for an unknown id; db.get_or_404(Note, note_id) "
                "answers 404.",
                " A DetailView, UpdateView or DeleteView answers 404 by itself, through get_object(); an "
                "override that calls Note.objects.get() raises DoesNotExist instead, a 500.",
            )
        )


# --- adding -----------------------------------------------------------------------------


def test_the_new_note_form_adds_a_note(client, framework):
    """The form at /notes/new/ adds one note and redirects to its page, which shows it"""
    before = _all_notes(client)
    pk = _create(client, framework, "Buy stamps", "A book of ten.")
    assert pk not in before, f"Creating a note redirected to /notes/{pk}/, a note that was already there."
    assert _title_of(client, pk) == "Buy stamps", f"/notes/{pk}/ does not show the new note's title 'Buy stamps'."
    after = _all_notes(client)
    assert len(after) == len(before) + 1, f"There were {len(before)} notes before the form, {len(after)} after."


def test_an_invalid_new_note_is_refused(client, framework):
    """An empty title, a title of spaces and one of 101 characters show the form again and add nothing"""
    before = _all_notes(client)
    for what, title in BAD_TITLES:
        form = _form(client, "/notes/new/", "200 with the form for a new note")
        _refused(_send(client, "/notes/new/", form, title=title), f"The new-note form with {what}", framework)
    after = _all_notes(client)
    assert len(after) == len(before), f"After three refused forms there are {len(after)} notes, not {len(before)}."


# --- editing ----------------------------------------------------------------------------


def test_the_edit_form_is_filled_from_the_note(client, framework):
    """GET /notes/<id>/edit/ shows the form with the note's own title and body"""
    pk = _first_page_ids(client)[1]
    title = _title_of(client, pk)
    body = page_text(_note_page(client, pk).text)
    form = _form(client, f"/notes/{pk}/edit/", "200 with the form, filled from the note")
    assert form.fields.get("title") == title, (
        f"The form at /notes/{pk}/edit/ has the title {form.fields.get('title')!r}, expected the note's own, "
        f"{title!r}. "
        + _where(
            framework,
            "Build the form from the note: NoteForm(obj=note).",
            "An UpdateView fills the form from get_object() (instance=...); a CreateView starts empty.",
        )
    )
    assert form.fields.get("body") and form.fields["body"].strip() in body, (
        f"The form at /notes/{pk}/edit/ has the body {form.fields.get('body')!r}, expected the note's own."
    )


def test_saving_the_edit_form_changes_that_note(client, framework):
    """Posting /notes/<id>/edit/ changes that note, adds none, and redirects to its page"""
    pk = _first_page_ids(client)[2]
    before = _all_notes(client)
    url = f"/notes/{pk}/edit/"
    form = _form(client, url, "200 with the form, filled from the note")
    new_title = "Renamed by the checks"
    location = _is_redirect(
        _send(client, url, form, title=new_title, body="Edited."),
        f"Posting the edit form of note {pk}",
        framework,
        _where(framework, "form.populate_obj(note), commit, then redirect.", "An UpdateView does it by itself."),
    )
    assert location.endswith(f"/notes/{pk}/"), (
        f"Saving note {pk} redirected to {location!r}, expected that note's page, /notes/{pk}/."
    )
    after = _all_notes(client)
    assert len(after) == len(before), (
        f"Saving the edit form of note {pk} changed the number of notes from {len(before)} to {len(after)}: it "
        "must change that note, not add one. "
        + _where(
            framework,
            "form.populate_obj(note) copies the form into the note you loaded; then commit.",
            "Bind the form to the note on POST too (instance=note), as UpdateView does.",
        )
    )
    assert after.get(pk) == new_title and _title_of(client, pk) == new_title, (
        f"After saving the edit form of note {pk} with the title {new_title!r}, the note is called "
        f"{_title_of(client, pk)!r}."
    )


def test_an_invalid_edit_changes_nothing(client, framework):
    """An empty title, a title of spaces and one of 101 characters show the edit form again and change nothing"""
    pk = _first_page_ids(client)[3]
    title = _title_of(client, pk)
    url = f"/notes/{pk}/edit/"
    for what, bad in BAD_TITLES:
        form = _form(client, url, "200 with the form, filled from the note")
        _refused(_send(client, url, form, title=bad), f"The edit form of note {pk} with {what}", framework)
        now = _title_of(client, pk)
        assert now == title, (
            f"The edit form of note {pk} with {what} was refused, but the note is now called {now!r}, not "
            f"{title!r}: validate first, and copy the form into the note only when it is valid."
        )


# --- deleting ---------------------------------------------------------------------------


def test_get_on_delete_asks_and_deletes_nothing(client, framework):
    """GET /notes/<id>/delete/ shows a confirmation with a POST form, and the note is still there"""
    pk = _create(client, framework, "Delete me, maybe")
    url = f"/notes/{pk}/delete/"
    response = client.get(url, allow_redirects=False)
    assert response.status_code == 200, (
        f"GET {url} answered {response.status_code}, expected 200 with a confirmation page.{_crashed(response)} "
        "A GET must never delete: a link preview, a crawler or a prefetching browser would follow it."
    )
    assert any(form.method == "post" for form in forms(response.text)), (
        f"GET {url} has no form with method post to confirm with."
    )
    still = _note_page(client, pk)
    assert still.status_code == 200, f"After GET {url}, /notes/{pk}/ answers {still.status_code}: a GET deleted it."


def test_posting_the_delete_form_deletes_and_goes_to_the_list(client, framework):
    """The confirmation form, posted, deletes the note and redirects to /notes/"""
    pk = _create(client, framework, "Delete me")
    before = _all_notes(client)
    url = f"/notes/{pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} answered {page.status_code}.{_crashed(page)}"
    form = next((form for form in forms(page.text) if form.method == "post"), None)
    assert form is not None, f"GET {url} has no form with method post."
    location = _is_redirect(
        client.post(form.action or url, data=form.filled(), allow_redirects=False),
        f"Posting the delete form of note {pk}",
        framework,
        _where(
            framework,
            'Delete it, commit, and redirect to url_for("notes.list").',
            'A DeleteView with success_url = reverse_lazy("notes:list").',
        ),
    )
    assert re.search(r"(^|//[^/]+)/notes/$", location), f"Deleting redirected to {location!r}, expected /notes/."
    gone = _note_page(client, pk)
    assert gone.status_code == 404, f"After the delete, /notes/{pk}/ answers {gone.status_code}, expected 404."
    after = _all_notes(client)
    assert set(after) == set(before) - {pk}, "The delete removed other notes than the one it was asked to."
