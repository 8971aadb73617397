"""The bookshop's JSON pages: search, authors, the book list, orders."""

from flask import Blueprint, jsonify, request
from sqlalchemy import desc, distinct, func, or_, select
from sqlalchemy.orm import joinedload

from .extensions import db
from .models import Author, Book, book_tags

bp = Blueprint("shop", __name__)


@bp.get("/books/search/")
def book_search():
    q = request.args.get("q", "")
    query = (
        select(Book)
        .where(
            or_(
                Book.title.icontains(q, autoescape=True),
                Book.author.has(Author.name.icontains(q, autoescape=True)),
            )
        )
        .options(joinedload(Book.author))
        .order_by(Book.title)
    )
    books = db.session.scalars(query)
    return jsonify(books=[{"id": b.id, "title": b.title, "author": b.author.name} for b in books])


@bp.get("/authors/")
def author_list():
    # One subquery per count, each run for one author: no join multiplies the other.
    books = select(func.count(Book.id)).where(Book.author_id == Author.id).scalar_subquery()
    tags = (
        select(func.count(distinct(book_tags.c.tag_id)))
        .join(Book, Book.id == book_tags.c.book_id)
        .where(Book.author_id == Author.id)
        .scalar_subquery()
    )
    query = select(Author.name, books.label("books"), tags.label("tags")).order_by(desc("books"), Author.name)
    rows = db.session.execute(query)
    return jsonify(authors=[{"name": name, "books": n, "tags": t} for name, n, t in rows])


@bp.get("/books/")
def book_list():
    query = select(Book).options(joinedload(Book.author), joinedload(Book.tags)).order_by(Book.title)
    # A joined collection repeats each book once per tag: unique() folds the rows back.
    books = db.session.scalars(query).unique()
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
    items = request.get_json()["items"]
    for item in items:
        # FOR UPDATE locks the row until the commit on PostgreSQL or MySQL (SQLite locks
        # the whole database at the first write instead).
        book = db.session.scalars(select(Book).where(Book.id == item["book"]).with_for_update()).first()
        if book is None or book.stock < item["quantity"]:
            db.session.rollback()
            return jsonify(error=f"Book {item['book']} is unknown or has too few copies: nothing was ordered."), 409
        book.stock -= item["quantity"]
    db.session.commit()
    return jsonify(ordered=len(items)), 201
