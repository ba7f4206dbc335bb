"""A list page's export links and pages' navigation (`accounts/list_markup.py`)."""

from __future__ import annotations

from django import template

from accounts.list_markup import export_links_markup, pagination_markup

register = template.Library()


@register.simple_tag
def export_links(links, label):
    """`{% export_links links label %}`: the list's download links
    (`reporting.exports.export_links`), named `label` for screen readers."""
    return export_links_markup(links, label)


@register.simple_tag
def pagination(page, query="", hx_target=""):
    """`{% pagination page query %}`: the navigation between the list's pages, keeping
    its filters (`query`); with `hx_target`, links that swap that element."""
    return pagination_markup(page, query, hx_target)
