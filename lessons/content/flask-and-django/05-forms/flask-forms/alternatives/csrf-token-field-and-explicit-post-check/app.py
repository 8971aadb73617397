"""The todo app: a list of todos and a form to add one."""

from flask import Flask, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFProtect
from forms import TodoForm
from store import TODOS, add_todo

app = Flask(__name__)
# Flask-WTF signs its CSRF tokens with the secret key.
# For learning only: a real app reads its secret key from the environment.
app.config["SECRET_KEY"] = "dev-only-not-a-secret-change-me"  # noqa: S105
# Refuse every POST, PUT, PATCH and DELETE without a valid token: 400 Bad Request.
csrf = CSRFProtect(app)


@app.route("/todos/")
def todo_list():
    return render_template("todos/list.html", todos=TODOS)


@app.route("/todos/new/", methods=["GET", "POST"])
def todo_new():
    form = TodoForm()
    if request.method == "POST" and form.validate():
        add_todo(form.title.data)
        # Post/Redirect/Get: reloading the list will not send the form again.
        return redirect(url_for("todo_list"))
    return render_template("todos/new.html", form=form)


if __name__ == "__main__":
    app.run()
