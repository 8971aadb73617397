"""The app's forms, declared with django.forms."""

from django import forms


class TodoForm(forms.Form):
    # TODO: a title has at most 100 characters.
    title = forms.CharField(label="Title")
