"""Users and their todos. A user's password is never stored: only a salted hash of it,
which can check a password but cannot be turned back into one."""

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash


class Base(DeclarativeBase):
    """The models' base class, as lessons 07 and 08 set Flask-SQLAlchemy up."""


db = SQLAlchemy(model_class=Base)


class User(UserMixin, db.Model):
    """UserMixin gives Flask-Login what it needs: is_authenticated, get_id() and co."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    todos: Mapped[list["Todo"]] = relationship(back_populates="owner", cascade="all, delete-orphan")

    def set_password(self, password):
        # scrypt with a random salt, written as "scrypt:32768:8:1$<salt>$<hash>"
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


class Todo(db.Model):
    __tablename__ = "todo"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    done: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    owner: Mapped[User] = relationship(back_populates="todos")
