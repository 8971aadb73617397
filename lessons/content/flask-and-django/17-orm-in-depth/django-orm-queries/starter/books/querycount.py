"""Counts the SQL statements of each request and sends the count as X-Queries.

connection.execute_wrapper() calls the wrapper around every statement Django sends
on that connection, for as long as the with block lasts: here, the whole request."""

from django.db import connection


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response.headers["X-Queries"] = str(count)
        return response
