from django.urls import path

from . import views

urlpatterns = [
    path("register/", views.register, name="register"),
    # TODO: login/ and logout/, named "login" and "logout", with Django's own views.
]
