"""What a post looks like in JSON, and what a client may send: DRF serializers."""

from rest_framework import serializers  # noqa: F401 (for PostSerializer)

from .models import Post  # noqa: F401 (for PostSerializer)

# TODO: PostSerializer, a ModelSerializer of Post with the fields id, title, body,
# author (the author's username, read-only) and published (read-only).
