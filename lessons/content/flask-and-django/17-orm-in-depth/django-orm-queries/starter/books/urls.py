from django.urls import path

from . import views

app_name = "books"
urlpatterns = [
    path("books/search/", views.book_search, name="search"),
    path("authors/", views.author_list, name="authors"),
    path("books/", views.book_list, name="list"),
    path("orders/", views.order_create, name="order"),
]
