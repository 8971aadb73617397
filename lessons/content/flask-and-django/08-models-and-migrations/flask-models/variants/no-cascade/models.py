"""The models: what a list and a todo are, in Python. The tables themselves are made by
the migrations in migrations/versions/."""

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    # Give every constraint a predictable name. Alembic needs names to find a
    # constraint again, and SQLite cannot alter a table in place: Alembic's "batch"
    # mode rebuilds it, and refuses an unnamed foreign key.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)


class TodoList(db.Model):
    __tablename__ = "todo_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))

    # One list, many todos.
    todos: Mapped[list["Todo"]] = relationship(back_populates="todo_list", order_by="Todo.id")

    def __repr__(self):
        return f"<TodoList {self.id} {self.name!r}>"


class Todo(db.Model):
    __tablename__ = "todo"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(default=False)

    # The column holds the list's id; the relationship gives the TodoList object.
    todo_list_id: Mapped[int] = mapped_column(db.ForeignKey("todo_list.id"), index=True)
    todo_list: Mapped[TodoList] = relationship(back_populates="todos")

    def __repr__(self):
        return f"<Todo {self.id} {self.title!r}>"
