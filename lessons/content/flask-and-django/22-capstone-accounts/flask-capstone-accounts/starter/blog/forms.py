from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField  # noqa: F401 (for PostForm)
from wtforms.validators import DataRequired, Length  # noqa: F401 (for PostForm)


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


# TODO: PostForm, with a title (required, at most 200 characters) and a body
# (required, a TextAreaField). The template posts/form.html shows form.title and form.body.
