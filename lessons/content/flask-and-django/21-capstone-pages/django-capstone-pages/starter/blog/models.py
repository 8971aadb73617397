from django.db import models  # noqa: F401 (you will need it)

# TODO: the Post model, with the fields the fixture blog/fixtures/blog.json gives
# every post: title (at most 200 characters), body (any length), author (a foreign key
# to the user model, settings.AUTH_USER_MODEL) and published (a date and time that
# defaults to now: django.utils.timezone.now).
