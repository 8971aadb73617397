"""The "pages" blueprint: the site's plain pages, at the root of the URL space."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render_template("pages/home.html")


@bp.get("/about/")
def about():
    return render_template("pages/about.html")
