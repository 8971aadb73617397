"""Todo lists that hold todos. The tables come from migrations/, applied at start."""

from flask import Flask, redirect, render_template, request, url_for
from flask_migrate import Migrate, upgrade
from flask_wtf.csrf import CSRFProtect
from models import Todo, TodoList, db
from sqlalchemy import func, select

app = Flask(__name__)
app.config.from_mapping(
    # For learning only. A real app reads its secret key from the environment.
    SECRET_KEY="flask-insecure-duet-course-dev-key-not-for-production",  # noqa: S106
    # A relative SQLite path: Flask-SQLAlchemy puts the file in the instance/ folder.
    SQLALCHEMY_DATABASE_URI="sqlite:///todo.sqlite3",
)
db.init_app(app)
Migrate(app, db)
CSRFProtect(app)

# Bring the database up to the newest revision in migrations/versions/, as
# `flask db upgrade` does. There is no db.create_all(): the migrations own the schema.
with app.app_context():
    upgrade()


@app.get("/")
def home():
    return redirect(url_for("list_index"))


@app.get("/lists/")
def list_index():
    # One query for every list and the number of its todos (an outer join keeps the
    # lists that have none).
    counted = (
        select(TodoList, func.count(Todo.id)).outerjoin(TodoList.todos).group_by(TodoList.id).order_by(TodoList.name)
    )
    return render_template("lists.html", lists=db.session.execute(counted).all())


@app.post("/lists/")
def list_create():
    name = request.form.get("name", "").strip()
    if not name:
        return redirect(url_for("list_index"))
    todo_list = TodoList(name=name)
    db.session.add(todo_list)
    db.session.commit()
    return redirect(url_for("list_detail", list_id=todo_list.id))


@app.get("/lists/<int:list_id>/")
def list_detail(list_id):
    todo_list = db.get_or_404(TodoList, list_id)
    return render_template("list.html", todo_list=todo_list)


@app.post("/lists/<int:list_id>/todos/")
def todo_create(list_id):
    todo_list = db.get_or_404(TodoList, list_id)
    title = request.form.get("title", "").strip()
    if title:
        db.session.add(Todo(title=title, todo_list=todo_list))
        db.session.commit()
    return redirect(url_for("list_detail", list_id=todo_list.id))


@app.post("/lists/<int:list_id>/delete/")
def list_delete(list_id):
    todo_list = db.get_or_404(TodoList, list_id)
    db.session.delete(todo_list)
    db.session.commit()
    return redirect(url_for("list_index"))


@app.get("/todos/<int:todo_id>/")
def todo_detail(todo_id):
    todo = db.get_or_404(Todo, todo_id)
    return render_template("todo.html", todo=todo)


if __name__ == "__main__":
    app.run()
