from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Post


def post_list(request):
    posts = Post.objects.select_related("author").order_by("-published")
    return render(request, "blog/post_list.html", {"posts": posts})


def post_detail(request, pk):
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    return render(request, "blog/post_detail.html", {"post": post})


def post_create(request):
    # TODO: signed-in users only. Show a PostForm (blog/post_form.html, as "form");
    # on a valid POST, save the post with request.user as its author and redirect
    # to its page.
    return HttpResponse("Not written yet", status=501)


def post_edit(request, pk):
    # TODO: signed-in users only; 404 for an unknown post, 403 unless request.user
    # wrote it. Show a PostForm of the post (blog/post_form.html, as "form", and the
    # post as "post"); on a valid POST, save it and redirect to its page.
    return HttpResponse("Not written yet", status=501)
