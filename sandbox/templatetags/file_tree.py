"""The workspace's file tree as nested lists of links to the files' boxes (so the tree
works without JavaScript). static/js/exercise.js makes it an ARIA tree operable by keys
and builds the same markup again when the learner adds, renames or deletes a file
(Workspace.prototype.treeItems): keep the two alike. Built here rather than by a template
that includes itself once per folder, which cost more than the rest of the page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def file_tree(nodes: list[dict[str, Any]]) -> SafeString:
    return SafeString("".join(_node(node) for node in nodes))


def _node(node: dict[str, Any]) -> SafeString:
    if node["folder"]:
        return format_html(
            '<li class="tree-folder" data-folder="{}"><span class="tree-label">{}/</span><ul>{}</ul></li>',
            node["path"],
            node["name"],
            file_tree(node["children"]),
        )
    readonly = not node["editable"]
    return format_html(
        '<li class="tree-file{}" data-path="{}"{}><a class="tree-label" href="#{}"{}>{}{}</a></li>',
        " tree-readonly" if readonly else "",
        node["path"],
        SafeString(" data-removable") if node["removable"] else "",
        node["anchor"],
        format_html(' title="{} (read-only)"', node["path"]) if readonly else "",
        node["name"],
        SafeString('<span class="visually-hidden"> (read-only)</span>') if readonly else "",
    )
