from django.http import HttpResponse


def home(request):
    return HttpResponse("Welcome to Todo!")


def about(request):
    return HttpResponse("Todo keeps track of things to do.")
