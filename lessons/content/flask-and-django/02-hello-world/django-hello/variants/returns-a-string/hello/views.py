def home(request):
    return "Hello from Django!"
