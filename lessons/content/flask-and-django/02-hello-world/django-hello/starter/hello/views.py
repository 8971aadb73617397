from django.http import HttpResponse


def home(request):
    # TODO: greet the visitor with the text the exercise asks for.
    return HttpResponse("TODO")
