"""Tests for the todos app that look at what each view hands to its template
(response.context) and build every URL from its name with reverse(). Run them from
the folder that holds manage.py with:

    python manage.py test -v 2
"""

from operator import attrgetter

from django.test import TestCase
from django.urls import reverse

from .models import Todo

LIST_URL = reverse("todos:list")


def detail_url(pk):
    return reverse("todos:detail", args=[pk])


class ListViewTests(TestCase):
    def setUp(self):
        # Saved in this order, so "Todo 6" is the newest and "Todo 1" the oldest.
        for n in range(1, 7):
            Todo.objects.create(title=f"Todo {n}")

    def test_first_page_has_the_five_newest_todos_newest_first(self):
        response = self.client.get(LIST_URL)

        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "todos/todo_list.html")
        self.assertQuerySetEqual(
            response.context["todos"],
            ["Todo 6", "Todo 5", "Todo 4", "Todo 3", "Todo 2"],
            transform=attrgetter("title"),
        )
        self.assertTrue(response.context["has_next"])

    def test_second_page_has_only_the_oldest_todo(self):
        response = self.client.get(LIST_URL, {"page": 2})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"], 2)
        self.assertQuerySetEqual(
            response.context["todos"], ["Todo 1"], transform=attrgetter("title")
        )
        self.assertFalse(response.context["has_next"])

    def test_missing_pages_are_404(self):
        for page in ["3", "0", "-1", "two"]:
            with self.subTest(page=page):
                response = self.client.get(LIST_URL, {"page": page})
                self.assertEqual(response.status_code, 404)


class EmptyListTests(TestCase):
    def test_first_page_of_no_todos_is_an_empty_list(self):
        response = self.client.get(LIST_URL)

        self.assertEqual(response.status_code, 200)
        self.assertQuerySetEqual(response.context["todos"], [])


class DetailViewTests(TestCase):
    def test_detail_view_gets_the_todo(self):
        todo = Todo.objects.create(title="Buy milk")

        response = self.client.get(detail_url(todo.pk))

        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "todos/todo_detail.html")
        self.assertEqual(response.context["todo"], todo)

    def test_unknown_pk_is_404(self):
        todo = Todo.objects.create(title="Buy milk")

        response = self.client.get(detail_url(todo.pk + 1))

        self.assertEqual(response.status_code, 404)


class AddTodoTests(TestCase):
    def test_posting_a_title_saves_it_and_redirects_to_its_page(self):
        response = self.client.post(LIST_URL, {"title": "Buy milk"})

        todo = Todo.objects.get()
        self.assertEqual(todo.title, "Buy milk")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response.url, detail_url(todo.pk))

    def test_a_title_at_the_limit_is_saved(self):
        response = self.client.post(LIST_URL, {"title": "y" * 100})

        self.assertEqual(response.status_code, 302)
        self.assertEqual(Todo.objects.count(), 1)

    def test_bad_titles_redisplay_the_form_with_an_error(self):
        too_long = "Ensure this value has at most 100 characters (it has 101)."
        cases = [
            ("", "This field is required."),
            ("  ", "This field is required."),
            ("\n\t ", "This field is required."),
            ("y" * 101, too_long),
        ]
        for title, error in cases:
            with self.subTest(title=title):
                response = self.client.post(LIST_URL, {"title": title})

                self.assertEqual(response.status_code, 200)
                self.assertFormError(response.context["form"], "title", error)
                self.assertEqual(Todo.objects.count(), 0)
