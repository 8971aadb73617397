"""The todo app's tables: its users (some of them admins) and their todos."""

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(default=False)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Todo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(default=False)

    def __str__(self) -> str:
        return self.title


# generate_password_hash() of each password: only the salted hash is stored, and it is
# computed once here because hashing is slow on purpose.
SEED_USERS = [
    (
        "ada",  # password "lovelace-1815"
        "scrypt:32768:8:1$BRirudDWOotF1LGs$01fedb6b54ac9f2e3a9c8cd924413cd85900f50cc17c488db8e3f68ee8ab79c2"
        "806c94ccf47c96d26a8703bc5c52968fbf5dc51f9cd8a400c794421f8bb6c6e0",
        True,
    ),
    (
        "bob",  # password "builder-1998"
        "scrypt:32768:8:1$Ptup5mbImeoTYWmZ$bb58f5454ce6c39bde7e6c407ec593fedb6aeea259127d03daeb69ad75418b2f"
        "9ad29d61e249b6f26bd1e9024fcd2821ddeab4ef7506afe972b16a64ff08e9e6",
        False,
    ),
]


def seed() -> None:
    """The exercise's known users and a few todos, created once on an empty database.

    The passwords are written here only so that you can log in while you learn: real
    accounts are created by their owners, or by a command that asks for the password.
    """
    if db.session.scalar(db.select(User).limit(1)) is not None:
        return
    db.session.add_all(
        [
            User(username=username, password_hash=password_hash, is_admin=is_admin)
            for username, password_hash, is_admin in SEED_USERS
        ]
    )
    db.session.add_all(
        [
            Todo(title="Buy milk", notes="Two litres, semi-skimmed."),
            Todo(title="Walk the dog", notes="Around the park, not just the block.", done=True),
            Todo(title="Write the report", notes="Due on Friday."),
        ]
    )
    db.session.commit()
