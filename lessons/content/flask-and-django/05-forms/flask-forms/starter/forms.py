"""The app's forms, declared with Flask-WTF (WTForms with CSRF protection built in)."""

from flask_wtf import FlaskForm
from wtforms import StringField


class TodoForm(FlaskForm):
    # TODO: a title is required and has at most 100 characters.
    title = StringField("Title")
