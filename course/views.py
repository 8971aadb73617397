from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lessons.models import Course

from .models import Enrollment


def home(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.filter(published=True)
    enrolled = set()
    if request.user.is_authenticated:
        enrolled = set(Enrollment.objects.filter(user=request.user).values_list("course_id", flat=True))
    return render(request, "course/home.html", {"courses": courses, "enrolled": enrolled})


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        messages.success(request, f"Welcome, {user.username}! Pick a course to start.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_POST
def enrol(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=course_slug, published=True)
    Enrollment.objects.get_or_create(user=request.user, course=course)
    messages.success(request, f"You are enrolled in {course.title}.")
    return redirect(course)
