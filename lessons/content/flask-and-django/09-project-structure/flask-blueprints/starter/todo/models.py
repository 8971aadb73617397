"""The extensions and the model. The extensions are created here without an app, so
that every module can import them; create_app() binds them with init_app()."""

from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The models' base class, as lessons 07 and 08 set Flask-SQLAlchemy up."""


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()


class Todo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(default=False)
