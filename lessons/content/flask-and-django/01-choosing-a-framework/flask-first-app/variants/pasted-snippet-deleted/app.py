"""Todo, a first Flask app: a home page and an about page."""

from flask import Flask

# One application object: every route below is registered on it, and it is the
# WSGI application the server imports as "app:app".
app = Flask(__name__)


@app.route("/")
def home():
    return "Welcome to Todo!"


if __name__ == "__main__":
    app.run()
