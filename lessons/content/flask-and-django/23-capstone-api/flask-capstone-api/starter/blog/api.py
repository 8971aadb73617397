"""The blog's JSON API, under /api/ (create_app() registers the blueprint)."""

from flask import Blueprint, abort, request, url_for  # noqa: F401 (for your views)
from flask.views import MethodView  # noqa: F401 (for your views)
from flask_httpauth import HTTPTokenAuth
from marshmallow import ValidationError  # noqa: F401 (for your views)
from sqlalchemy import select  # noqa: F401 (for your views)
from werkzeug.exceptions import HTTPException

from .extensions import db  # noqa: F401 (for your views)
from .models import Post, User  # noqa: F401 (for your views)

bp = Blueprint("api", __name__, url_prefix="/api")
auth = HTTPTokenAuth(scheme="Token")  # reads "Authorization: Token <key>"
PAGE_SIZE = 5


@bp.errorhandler(HTTPException)
def json_error(error):
    """abort(404), abort(403) and the like, answered in JSON inside the API."""
    return {"detail": error.description}, error.code


@auth.error_handler
def auth_error(status):
    # Flask-HTTPAuth adds the WWW-Authenticate: Token header to this answer itself.
    return {"detail": "Send a valid token: Authorization: Token <key>."}, status


# TODO: @auth.verify_token: the User whose api_token is the token sent, or None.

# TODO: two MethodViews, routed with bp.add_url_rule():
#   /posts/ (GET: a page of PAGE_SIZE posts, newest first, as
#     {"count", "next", "previous", "results"}; POST: a new post by auth.current_user(),
#     201), and
#   /posts/<int:post_id>/ (GET; PUT, PATCH and DELETE for the post's author only:
#     401 without a valid token, 403 for anyone else, 404 for an unknown id).
# Validation errors answer 400 with ValidationError.messages.
