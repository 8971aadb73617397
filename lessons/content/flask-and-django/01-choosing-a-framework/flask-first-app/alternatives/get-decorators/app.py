"""Todo, a first Flask app: a home page and an about page."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def home():
    return "<h1>Welcome to Todo!</h1>"


@app.get("/about/")
def about():
    return "<p>Todo keeps track of things to do.</p>"


if __name__ == "__main__":
    app.run()
