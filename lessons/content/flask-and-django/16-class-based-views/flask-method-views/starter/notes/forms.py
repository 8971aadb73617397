from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class NoteForm(FlaskForm):
    # DataRequired refuses an empty title and a title of spaces alike.
    title = StringField("Title", validators=[DataRequired(), Length(max=100)])
    body = TextAreaField("Body")
