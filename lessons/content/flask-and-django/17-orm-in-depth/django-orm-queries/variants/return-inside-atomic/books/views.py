"""The bookshop's JSON pages: search, authors, the book list, orders."""

import json

from django.db import transaction
from django.db.models import Count, F, Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from .models import Author, Book


class OrderCannotBeFilled(Exception):
    pass


@require_GET
def book_search(request):
    q = request.GET.get("q", "")
    books = (
        Book.objects.filter(Q(title__icontains=q) | Q(author__name__icontains=q))
        .select_related("author")
        .order_by("title")
    )
    return JsonResponse({"books": [{"id": b.id, "title": b.title, "author": b.author.name} for b in books]})


@require_GET
def author_list(request):
    authors = Author.objects.annotate(
        book_count=Count("books", distinct=True),
        tag_count=Count("books__tags", distinct=True),
    ).order_by("-book_count", "name")
    return JsonResponse({"authors": [{"name": a.name, "books": a.book_count, "tags": a.tag_count} for a in authors]})


@require_GET
def book_list(request):
    books = Book.objects.select_related("author").prefetch_related("tags").order_by("title")
    return JsonResponse(
        {
            "books": [
                {
                    "id": b.id,
                    "title": b.title,
                    "author": b.author.name,
                    "stock": b.stock,
                    # sorted() in Python: b.tags.order_by("name") would be a new query per book.
                    "tags": sorted(tag.name for tag in b.tags.all()),
                }
                for b in books
            ]
        }
    )


@require_POST
def order_create(request):
    items = json.loads(request.body)["items"]
    try:
        with transaction.atomic():
            for item in items:
                # One UPDATE that checks and lowers the stock in the database, so that two
                # orders at once can never both take the last copy.
                lowered = Book.objects.filter(pk=item["book"], stock__gte=item["quantity"]).update(
                    stock=F("stock") - item["quantity"]
                )
                if lowered != 1:
                    return JsonResponse({"error": "Too few copies: nothing was ordered."}, status=409)
    except OrderCannotBeFilled as short:
        return JsonResponse(
            {"error": f"Book {short} is unknown or has too few copies: nothing was ordered."}, status=409
        )
    return JsonResponse({"ordered": len(items)}, status=201)
