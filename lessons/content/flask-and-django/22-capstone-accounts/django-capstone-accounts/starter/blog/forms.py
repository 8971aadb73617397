from django import forms  # noqa: F401 (for PostForm)

# TODO: PostForm, a ModelForm of Post with the fields title and body (never author:
# the view sets it from request.user).
