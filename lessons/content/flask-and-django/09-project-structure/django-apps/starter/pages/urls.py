from django.urls import path

from . import views

# The namespace of these URL names: {% url 'pages:home' %}, reverse("pages:about").
app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
]
