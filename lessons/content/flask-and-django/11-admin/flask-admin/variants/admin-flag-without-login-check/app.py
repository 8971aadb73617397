"""The todo app, with Flask-Admin's pages for its todos at /admin/."""

import os
from urllib.parse import urlsplit

from flask import Flask, abort, redirect, render_template, request, url_for
from flask_admin import Admin, AdminIndexView
from flask_admin.contrib.sqla import ModelView
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import CSRFProtect, FlaskForm
from models import Todo, User, db, seed
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

app = Flask(__name__)
# A real deployment sets SECRET_KEY in its environment; the fallback is for your machine.
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-not-secret")
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///todo.sqlite3"
db.init_app(app)
# Every POST needs a CSRF token: the login form, logging out and Flask-Admin's forms,
# whose templates add Flask-WTF's token when CSRFProtect is on.
csrf = CSRFProtect(app)

login_manager = LoginManager(app)
login_manager.login_view = "login"


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


def safe_next(target):
    """Where to go after logging in: only a path on this site, never another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and not urlsplit(target).netloc:
        return target
    return url_for("index")


@app.route("/")
def index():
    todos = db.session.scalars(db.select(Todo).order_by(Todo.id)).all()
    return render_template("index.html", todos=todos)


@app.route("/login/", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).filter_by(username=form.username.data))
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        error = "Wrong username or password."
    return render_template("login.html", form=form, error=error)


@app.route("/logout/", methods=["POST"])
def logout():
    logout_user()
    return redirect(url_for("index"))


class AdminOnly:
    """Flask-Admin lets everyone in until a view says otherwise: only admins may pass."""

    def is_accessible(self):
        return current_user.is_admin

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(403)  # logged in, but not an admin: logging in again would not help
        return redirect(url_for("login", next=request.full_path.rstrip("?")))


class AdminHome(AdminOnly, AdminIndexView):
    pass


class TodoAdmin(AdminOnly, ModelView):
    column_list = ["title", "done"]
    column_searchable_list = ["title"]
    column_filters = ["done"]


admin = Admin(app, name="Duet Todo admin", index_view=AdminHome())
admin.add_view(TodoAdmin(Todo, db))

with app.app_context():
    db.create_all()
    seed()


if __name__ == "__main__":
    app.run()
