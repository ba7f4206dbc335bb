"""The sessions list's subscription links (`{% feed_links_section %}`)."""

from __future__ import annotations

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accounts.kept_markup import HoledMarkup, KeptMarkup

register = template.Library()

_SECTION = "immersion/_feed_links.html"
_kept = KeptMarkup(size=8)
# A region's link, as the section's loop wrote it.
LINK = (
    '\n      <li><span class="fw-semibold">{} :</span> '
    '<a href="{}" class="text-break">{}</a></li>\n    '
)


@register.simple_tag
def feed_links_section(feed_links, csrf_token) -> str:
    """The section of the user's subscription links (`feed_links`: a region's name and
    its private address each), with the form renewing them (`csrf_token`, the page's):
    nothing without a link. Its text, drawn once per language, holds the links and the
    token as holes (a dozen template nodes a page before); each link is escaped here."""
    if not feed_links:
        return ""
    links = "".join(LINK.format(escape(name), escape(url), escape(url)) for name, url in feed_links)
    if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 (Django's "no token")
        # {% csrf_token %} writes nothing then: a state no page is in, drawn as it is.
        return render_to_string(_SECTION, {"links": mark_safe(links), "csrf_token": csrf_token})  # noqa: S308
    section = _kept.get(
        _SECTION,
        lambda: HoledMarkup.draw(
            lambda holes: render_to_string(_SECTION, holes), ("links", "csrf_token")
        ),
    )
    return section.fill(links=mark_safe(links), csrf_token=csrf_token)  # noqa: S308
