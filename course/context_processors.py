from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import can_author_anywhere


def site(request: HttpRequest) -> dict:
    """The site's name, and whether the user may author (asked only if a page shows it)."""
    return {
        "site_name": settings.SITE_NAME,
        "can_author": SimpleLazyObject(lambda: can_author_anywhere(request.user)),
    }
