from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from sqlalchemy import select

from .extensions import db, login_manager
from .forms import LoginForm
from .models import User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


def safe_next_url(target):
    """target if it is a path on this site, else None: never another site's address."""
    if not target or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None  # https://evil.example/ and //evil.example/ alike
    return target


@bp.route("/login/", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).filter_by(username=form.username.data))
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("posts.index"))
        flash("Invalid username or password.")
    return render_template("auth/login.html", form=form)


@bp.post("/logout/")
def logout():
    logout_user()
    return redirect(url_for("posts.index"))
