from django.shortcuts import render

from .models import Post


def post_list(request):
    posts = Post.objects.select_related("author").order_by("-published")
    return render(request, "blog/post_list.html", {"posts": posts})


def post_detail(request, pk):
    post = Post.objects.get(pk=pk)
    return render(request, "blog/post_detail.html", {"post": post})
