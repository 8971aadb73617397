"""The bookshop's JSON pages: search, authors, the book list, orders."""

import json

from django.db import transaction
from django.db.models import Count, F, Prefetch
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from .models import Author, Book, Tag


@require_GET
def book_search(request):
    q = request.GET.get("q", "")
    books = Book.objects.filter(title__icontains=q) | Book.objects.filter(author__name__icontains=q)
    books = books.select_related("author").order_by("title")
    return JsonResponse({"books": [{"id": b.id, "title": b.title, "author": b.author.name} for b in books]})


@require_GET
def author_list(request):
    authors = Author.objects.annotate(
        book_count=Count("books__id", distinct=True),
        tag_count=Count("books__tags__name", distinct=True),
    ).order_by(F("book_count").desc(), "name")
    return JsonResponse({"authors": [{"name": a.name, "books": a.book_count, "tags": a.tag_count} for a in authors]})


@require_GET
def book_list(request):
    tags = Prefetch("tags", queryset=Tag.objects.order_by("name"))
    books = Book.objects.select_related("author").prefetch_related(tags).order_by("title")
    return JsonResponse(
        {
            "books": [
                {
                    "id": b.id,
                    "title": b.title,
                    "author": b.author.name,
                    "stock": b.stock,
                    "tags": [tag.name for tag in b.tags.all()],
                }
                for b in books
            ]
        }
    )


@require_POST
def order_create(request):
    items = json.loads(request.body)["items"]
    with transaction.atomic():
        for item in items:
            # select_for_update() locks the row until the end of the block on PostgreSQL
            # or MySQL; SQLite ignores it and locks the whole database at the first write.
            book = Book.objects.select_for_update().filter(pk=item["book"]).first()
            if book is None or book.stock < item["quantity"]:
                # Leaving the block by return commits, unless it is marked for rollback.
                transaction.set_rollback(True)
                return JsonResponse(
                    {"error": f"Book {item['book']} is unknown or has too few copies: nothing was ordered."},
                    status=409,
                )
            book.stock -= item["quantity"]
            book.save(update_fields=["stock"])
    return JsonResponse({"ordered": len(items)}, status=201)
