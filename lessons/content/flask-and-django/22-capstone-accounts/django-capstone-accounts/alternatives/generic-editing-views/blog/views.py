from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from .models import Post


class PostListView(ListView):
    queryset = Post.objects.select_related("author").order_by("-published")
    context_object_name = "posts"


class PostDetailView(DetailView):
    model = Post


class PostCreateView(LoginRequiredMixin, CreateView):
    model = Post
    fields = ["title", "body"]

    def form_valid(self, form):
        form.instance.author = self.request.user
        return super().form_valid(form)  # saves, then redirects to get_absolute_url()


class PostUpdateView(LoginRequiredMixin, UserPassesTestMixin, UpdateView):
    model = Post
    fields = ["title", "body"]

    def test_func(self):
        # A signed-in user who fails it gets 403; an anonymous one, the sign-in page.
        return self.get_object().author == self.request.user


post_list = PostListView.as_view()
post_detail = PostDetailView.as_view()
post_create = PostCreateView.as_view()
post_edit = PostUpdateView.as_view()
