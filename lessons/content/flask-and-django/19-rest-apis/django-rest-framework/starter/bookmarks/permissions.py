from rest_framework import permissions  # noqa: F401

# TODO: IsAuthorOrReadOnly: anyone may read a bookmark; only its owner may change or
# delete it.
