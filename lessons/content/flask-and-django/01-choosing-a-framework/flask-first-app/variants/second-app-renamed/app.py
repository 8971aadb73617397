"""Todo, a first Flask app: a home page and an about page."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def home():
    return "Welcome to Todo!"


# About page (copied in from another small Flask project)
about_app = Flask(__name__)


@about_app.route("/about/")
def about():
    return "Todo keeps track of things to do."


if __name__ == "__main__":
    app.run()
