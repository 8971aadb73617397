from django.views.generic import DetailView, ListView

from .models import Post


class PostListView(ListView):
    model = Post
    context_object_name = "posts"  # the template loops over "posts"


class PostDetailView(DetailView):
    model = Post  # looks the post up by the pk in the URL, or answers 404


post_list = PostListView.as_view()
post_detail = PostDetailView.as_view()
