from flask import Blueprint, render_template

from .forms import LoginForm

bp = Blueprint("auth", __name__)

# TODO: a user_loader for login_manager (blog/extensions.py), which returns the User
# with the id it is given, or None.


@bp.route("/login/", methods=["GET", "POST"])
def login():
    form = LoginForm()
    # TODO: on a valid POST, find the user by username and check the password; if
    # they match, sign the user in and redirect to ?next= when it is a path on this
    # site, else to the home page. If not, flash "Invalid username or password.".
    return render_template("auth/login.html", form=form)


@bp.post("/logout/")
def logout():
    # TODO: sign the user out, then redirect to the home page.
    return render_template("auth/login.html", form=LoginForm())
