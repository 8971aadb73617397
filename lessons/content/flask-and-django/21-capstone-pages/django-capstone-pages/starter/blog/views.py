from django.shortcuts import render


def post_list(request):
    # TODO: every post, newest first by its publication date.
    posts = []
    return render(request, "blog/post_list.html", {"posts": posts})


def post_detail(request, pk):
    # TODO: the post whose id is pk, or 404 Not Found.
    post = None
    return render(request, "blog/post_detail.html", {"post": post})
