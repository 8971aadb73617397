"""The forms, with Flask-WTF: each one checks its fields and carries a CSRF token."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[
            InputRequired(),
            Length(max=150),
            Regexp(r"^[\w.@+-]+$", message="Letters, digits and @ . + - _ only."),
        ],
    )
    password = PasswordField("Password", validators=[InputRequired(), Length(min=8)])
    confirm = PasswordField(
        "Password again", validators=[InputRequired(), EqualTo("password", message="The two passwords differ.")]
    )


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired()])
    password = PasswordField("Password", validators=[InputRequired()])


class TodoForm(FlaskForm):
    title = StringField("New todo", validators=[InputRequired(), Length(max=200)])
