"""The app's forms, declared with django.forms."""

from django import forms


class TodoForm(forms.Form):
    # Required by default; max_length adds a validator and maxlength="100" to the input.
    title = forms.CharField(label="Title", widget=forms.TextInput(attrs={"maxlength": 100}))
