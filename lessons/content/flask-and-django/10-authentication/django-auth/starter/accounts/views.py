from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def register(request):
    if request.method == "POST":
        form = UserCreationForm(request.POST)
        if form.is_valid():
            # save() stores the password hashed, through user.set_password().
            user = form.save()
            login(request, user)
            return redirect("todos:index")
    else:
        form = UserCreationForm()
    return render(request, "registration/register.html", {"form": form})
