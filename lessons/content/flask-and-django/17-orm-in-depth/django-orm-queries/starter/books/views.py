"""The bookshop's JSON pages: search, authors, the book list, orders."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from .models import Book


@require_GET
def book_search(request):
    q = request.GET.get("q", "")
    # TODO: books whose title OR whose author's name contains q, ignoring case.
    books = Book.objects.filter(title=q).order_by("title")
    return JsonResponse({"books": [{"id": b.id, "title": b.title, "author": b.author.name} for b in books]})


@require_GET
def author_list(request):
    # TODO: every author, with their number of books and of different tags on them.
    return JsonResponse({"authors": []})


@require_GET
def book_list(request):
    # Right answer, but how many queries does it make? Look at X-Queries.
    books = Book.objects.order_by("title")
    return JsonResponse(
        {
            "books": [
                {
                    "id": b.id,
                    "title": b.title,
                    "author": b.author.name,
                    "stock": b.stock,
                    "tags": sorted(tag.name for tag in b.tags.all()),
                }
                for b in books
            ]
        }
    )


@require_POST
def order_create(request):
    # TODO: all of the order, or nothing.
    return JsonResponse({"error": "Orders are not written yet."}, status=501)
