"""``{{ exchange|exchange_view:framework }}``: a stored exchange as the text a test's
transcript shows (``sandbox.transcripts``); the template escapes all of it."""

from __future__ import annotations

from typing import Any

from django import template

from sandbox.transcripts import ExchangeView
from sandbox.transcripts import exchange_view as view_of

register = template.Library()


@register.filter
def exchange_view(exchange: Any, framework: str = "") -> ExchangeView | None:
    return view_of(exchange, framework or "") if isinstance(exchange, dict) else None
