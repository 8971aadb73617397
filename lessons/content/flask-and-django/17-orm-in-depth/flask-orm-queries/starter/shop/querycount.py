"""Counts the SQL statements of each request and sends the count as X-Queries.

SQLAlchemy calls before_cursor_execute for every statement any engine sends to the
database; the count lives in g, which lasts one request (lesson 15)."""

from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "before_cursor_execute")
def _count_statement(conn, cursor, statement, parameters, context, executemany):
    if has_app_context() and "queries" in g:
        g.queries += 1


def _start_counting():
    g.queries = 0


def _send_count(response):
    response.headers["X-Queries"] = str(g.get("queries", 0))
    return response


def init_app(app):
    app.before_request(_start_counting)
    app.after_request(_send_count)
