"""The bookshop's JSON pages: search, authors, the book list, orders."""

from flask import Blueprint, jsonify, request
from sqlalchemy import distinct, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from .extensions import db
from .models import Author, Book, book_tags

bp = Blueprint("shop", __name__)


class OrderCannotBeFilled(Exception):
    pass


@bp.get("/books/search/")
def book_search():
    q = request.args.get("q", "")
    query = (
        select(Book)
        .join(Book.author)
        .where(or_(Book.title.icontains(q, autoescape=True), Author.name.icontains(q, autoescape=True)))
        .options(joinedload(Book.author))
        .order_by(Book.title)
    )
    books = db.session.scalars(query)
    return jsonify(books=[{"id": b.id, "title": b.title, "author": b.author.name} for b in books])


@bp.get("/authors/")
def author_list():
    books = func.count(distinct(Book.id))
    tags = func.count(distinct(book_tags.c.tag_id))
    query = (
        select(Author.name, books, tags)
        .outerjoin(Author.books)
        .outerjoin(book_tags, book_tags.c.book_id == Book.id)
        .group_by(Author.id)
        .order_by(books.desc(), Author.name)
    )
    rows = db.session.execute(query)
    return jsonify(authors=[{"name": name, "books": n, "tags": t} for name, n, t in rows])


@bp.get("/books/")
def book_list():
    query = select(Book).options(joinedload(Book.author), selectinload(Book.tags)).order_by(Book.title)
    books = db.session.scalars(query)
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
    try:
        for item in items:
            # One UPDATE that checks and lowers the stock in the database, so that two
            # orders at once can never both take the last copy.
            result = db.session.execute(
                update(Book)
                .where(Book.id == item["book"], Book.stock >= item["quantity"])
                .values(stock=Book.stock - item["quantity"])
            )
            if result.rowcount != 1:
                raise OrderCannotBeFilled(item["book"])
            db.session.commit()
    except OrderCannotBeFilled as short:
        db.session.rollback()
        return jsonify(error=f"Book {short} is unknown or has too few copies: nothing was ordered."), 409
    db.session.commit()
    return jsonify(ordered=len(items)), 201
