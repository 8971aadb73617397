from datetime import datetime, timezone  # noqa: F401 (for Post)

from sqlalchemy import DateTime, ForeignKey, String, Text  # noqa: F401 (for Post)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    posts: Mapped[list["Post"]] = relationship(back_populates="author")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


# TODO: the Post model, which commands.py imports and fills: an id, a title (at most
# 200 characters), a body (Text), published (a DateTime that defaults to now), and
# author_id (a foreign key to user.id) with an author relationship that
# back_populates User.posts.
