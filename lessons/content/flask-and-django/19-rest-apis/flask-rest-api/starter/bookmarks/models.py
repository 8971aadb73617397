from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    # One API key per user, as DRF's authtoken keeps them: "Authorization: Token <key>".
    token: Mapped[str] = mapped_column(String(40), unique=True)
    bookmarks: Mapped[list["Bookmark"]] = relationship(back_populates="owner")


class Bookmark(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    link: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    owner: Mapped[User] = relationship(back_populates="bookmarks")
