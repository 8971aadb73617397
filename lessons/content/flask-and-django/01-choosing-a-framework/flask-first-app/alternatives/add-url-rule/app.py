"""Todo, a first Flask app: a home page and an about page."""

from flask import Flask

app = Flask(__name__)


def home():
    return "Welcome to Todo!"


def about():
    return "Todo keeps track of things to do."


app.add_url_rule("/", view_func=home)
app.add_url_rule("/about/", view_func=about)


if __name__ == "__main__":
    app.run()
