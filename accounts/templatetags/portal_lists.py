"""A list page's export links, pages' navigation and filter buttons
(`accounts/list_markup.py`)."""

from __future__ import annotations

from django import template

from accounts.list_markup import export_links_markup, filter_actions_markup, pagination_markup

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


@register.simple_tag
def filter_actions(clear_url, indicator=""):
    """`{% filter_actions clear_url "youth-loading" %}`: the filter form's buttons, and
    the loading indicator of a form that swaps its results."""
    return filter_actions_markup(clear_url, indicator)
