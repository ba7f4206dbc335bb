"""Text written in Markdown (committee minutes, information notices) reaches a page or a
PDF only as sanitised HTML. One renderer for the whole portal, so one allow-list."""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
# Only these link schemes survive: javascript:, data: and the like are dropped.
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str, *, top_heading: int = 1) -> str:
    """Markdown to HTML, then through nh3's allow-list: no script, no event handler,
    no style, no javascript: link. Raw HTML typed in the Markdown is escaped or dropped.

    `top_heading` is the level a `#` title becomes: text shown under a page's own `<h1>`
    (minutes) starts at 2, text under a PDF's section headings deeper still, so a
    writer's title never competes with the page's outline (Python-Markdown's toc
    extension shifts the levels, capped at `<h6>`)."""
    if not text:
        return ""
    html = markdown_lib.markdown(
        text,
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": top_heading}},
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )


_UNSAFE = re.compile(
    r"<\s*(script|iframe|style|object|embed)|(java|vb)script\s*:|<[^>]+\son[a-z]+\s*=",
    re.IGNORECASE,
)


def has_unsafe_content(text: str) -> bool:
    """True when the Markdown holds something executable (a script, an event handler, a
    javascript: link) that rendering removes: the author is then told it was neutralised."""
    return bool(_UNSAFE.search(text or ""))
