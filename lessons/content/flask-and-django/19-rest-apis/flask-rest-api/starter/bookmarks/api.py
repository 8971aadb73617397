from flask import Blueprint
from flask.views import MethodView  # noqa: F401
from flask_httpauth import HTTPTokenAuth

from .extensions import db  # noqa: F401
from .models import Bookmark, User  # noqa: F401
from .schemas import BookmarkSchema  # noqa: F401

bp = Blueprint("api", __name__, url_prefix="/api")

# Reads "Authorization: Token <key>"; a 401 carries "WWW-Authenticate: Token ...".
auth = HTTPTokenAuth(scheme="Token")


@auth.error_handler
def auth_error(status):
    return {"detail": "Authentication credentials were not provided or are not valid."}, status


# TODO: @auth.verify_token: the User whose token the client sent, or None.

# TODO: a MethodView for /api/bookmarks/ (GET: a page of 5; POST: a new bookmark of
# the token's user) and one for /api/bookmarks/<id>/ (GET, PATCH and DELETE; only the
# owner may change or delete), registered on bp with bp.add_url_rule().
