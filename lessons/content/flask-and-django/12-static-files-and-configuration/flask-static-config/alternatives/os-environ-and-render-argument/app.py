"""The todo list page, with its stylesheet and the site's name."""

import os

from flask import Flask, render_template

app = Flask(__name__)
# Defaults in the code, then the environment on top: every TODO_* variable becomes a
# setting without its prefix, so TODO_SITE_NAME="Team tasks" sets SITE_NAME.
# No DEBUG here: debug mode is for your machine only, with `flask --app app run --debug`.
app.config["SITE_NAME"] = os.environ.get("TODO_SITE_NAME", "Duet Todo")

# This exercise keeps its todos in a list: the lesson is about the page around them.
TODOS = [
    {"title": "Buy milk", "done": False},
    {"title": "Walk the dog", "done": True},
    {"title": "Write the report", "done": False},
]


@app.route("/")
def index():
    return render_template("index.html", todos=TODOS, site_name=app.config["SITE_NAME"])


if __name__ == "__main__":
    app.run()
