"""Lesson and policy text: Markdown rendered, then sanitised (nh3), so an admin's
typo or a pasted script never reaches a reader's browser as markup.

The only text rendered as HTML in the product, and never text from a social
platform: its callers are the lesson pages and API (``Lesson.body``) and the policy
page (``Policy.body``), both written by admins. Two layers: markdown-it with raw HTML
off (pasted tags come out as text, ``javascript:`` links are not made), then nh3
against a tag and attribute allow-list with http, https and mailto links only.
``tests/ambassadors/test_training.py::test_no_lesson_or_policy_text_becomes_live_markup``
parses the output of 20 hostile inputs and finds only allowed tags, no event handler
or style attribute, and no other link scheme."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> SafeString:
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)
