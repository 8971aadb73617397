from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="todos:index"), name="home"),
    # register/, login/ and logout/: no app_name, so their names are plain "login"...
    path("", include("accounts.urls")),
    path("todos/", include("todos.urls")),
]
