"""A todo app where every user has their own todos: registration, login and logout
with Flask-Login, passwords hashed with Werkzeug."""

from urllib.parse import urlsplit

from flask import Flask, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from forms import LoginForm, RegisterForm, TodoForm
from models import Todo, User, db
from sqlalchemy import select

app = Flask(__name__)
app.config.from_mapping(
    # For learning only. A real app reads its secret key from the environment: it
    # signs the session cookie, so whoever knows it can log in as anyone.
    SECRET_KEY="flask-insecure-duet-course-dev-key-not-for-production",  # noqa: S106
    SQLALCHEMY_DATABASE_URI="sqlite:///todo.sqlite3",
)
db.init_app(app)
CSRFProtect(app)

login_manager = LoginManager(app)
login_manager.login_message_category = "info"
# Where @login_required sends anonymous visitors, as /login/?next=<the page they wanted>.
login_manager.login_view = "login"


@login_manager.user_loader
def load_user(user_id):
    """Flask-Login keeps only the user's id in the session; this turns it back into a User."""
    return db.session.get(User, int(user_id))


with app.app_context():
    db.create_all()


def safe_next_url(target):
    """`target` if it is a path on this site, else None.

    The login page is reached as /login/?next=<page>, and anyone can write a link with
    next=https://evil.example/: going there blindly after a login is an open redirect.
    """
    # One leading slash: browsers read "//evil.example", "///evil.example" and
    # "/\evil.example" as another site.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    # urlsplit() also drops tabs and newlines, as browsers do: "/\t/evil.example".
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@app.get("/")
def home():
    return redirect(url_for("todo_index"))


@app.route("/register/", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        if db.session.scalar(select(User).filter_by(username=form.username.data)) is not None:
            form.username.errors.append("That username is taken.")
        else:
            user = User(username=form.username.data)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            login_user(user)
            return redirect(url_for("todo_index"))
    return render_template("register.html", form=form)


@app.route("/login/", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = db.session.scalar(select(User).filter_by(username=form.username.data))
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(request.args.get("next") or url_for("todo_index"))
        # The same message whether the username or the password was wrong: telling
        # them apart would tell a stranger which usernames exist.
        error = "Invalid username or password."
    return render_template("login.html", form=form, error=error)


@app.post("/logout/")
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("login"))


@app.route("/todos/", methods=["GET", "POST"])
@login_required
def todo_index():
    form = TodoForm()
    if form.validate_on_submit():
        db.session.add(Todo(title=form.title.data, owner=current_user))
        db.session.commit()
        return redirect(url_for("todo_index"))
    todos = db.session.scalars(select(Todo).filter_by(owner_id=current_user.id).order_by(Todo.id)).all()
    return render_template("todos.html", form=form, todos=todos)


@app.get("/todos/<int:todo_id>/")
@login_required
def todo_detail(todo_id):
    # Filter by owner too: another user's todo is "not found", not "forbidden", which
    # would tell them it exists.
    todo = db.first_or_404(select(Todo).filter_by(id=todo_id, owner_id=current_user.id))
    return render_template("todo.html", todo=todo)


if __name__ == "__main__":
    app.run()
