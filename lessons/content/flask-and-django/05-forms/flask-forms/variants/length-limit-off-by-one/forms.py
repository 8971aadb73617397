"""The app's forms, declared with Flask-WTF (WTForms with CSRF protection built in)."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class TodoForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=101)])
