"""The bookshop's JSON pages: search, authors, the book list, orders."""

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from .extensions import db
from .models import Book

bp = Blueprint("shop", __name__)


@bp.get("/books/search/")
def book_search():
    q = request.args.get("q", "")
    # TODO: books whose title OR whose author's name contains q, ignoring case.
    books = db.session.scalars(select(Book).where(Book.title == q).order_by(Book.title))
    return jsonify(books=[{"id": b.id, "title": b.title, "author": b.author.name} for b in books])


@bp.get("/authors/")
def author_list():
    # TODO: every author, with their number of books and of different tags on them.
    return jsonify(authors=[])


@bp.get("/books/")
def book_list():
    # Right answer, but how many queries does it make? Look at X-Queries.
    books = db.session.scalars(select(Book).order_by(Book.title))
    return jsonify(
        books=[
            {
                "id": b.id,
                "title": b.title,
                "author": b.author.name,
                "stock": b.stock,
                "tags": sorted(tag.name for tag in b.tags),
            }
            for b in books
        ]
    )


@bp.post("/orders/")
def order_create():
    # TODO: all of the order, or nothing.
    return jsonify(error="Orders are not written yet."), 501
